// etcd's own view of the disk, from its bucket histograms: WAL fsync p99 and
// backend commit p99, each judged on the bucket's bounds (by interpolation
// only when the limit lies inside the bucket, and said so). Used by the
// qualify checks and by the attribution of a slow load.
import type { Check } from '../verdict/check.js';
import type { BucketQuantile } from '../etcd/prometheus.js';
import type { BucketStream, MemberMetrics } from '../etcd/server-metrics.js';
import { LIMIT_SOURCES } from './disk-checks.js';

/** The member whose stream's p99 is the worst. */
function worstP99(members: MemberMetrics[], pick: (m: MemberMetrics) => BucketStream | null): BucketQuantile | null {
  let worst: BucketQuantile | null = null;
  for (const m of members) {
    const q = pick(m)?.p99 ?? null;
    if (q && (!worst || q.estimateNs > worst.estimateNs)) worst = q;
  }
  return worst;
}

/**
 * The fewest observations a p99 from etcd's buckets may pass on. Below 20 the p99 is the largest observation or
 * near it; etcd fsyncs its WAL and commits its backend many times a second under any write load, so a window with
 * fewer saw almost no writes. A peer round trip is different: etcd's prober records its smoothed figure once per
 * peer every 30 s (rafthttp's status monitor), so one lone sample can still be the figure from before a change:
 * two, a minute apart, are the least a pass rests on.
 */
export const MIN_OBSERVATIONS = { walFsync: 20, backendCommit: 20, peerRtt: 2 } as const;

/** How many observations a figure rests on, the fewest a pass needs, and how to get more (for the note). */
export interface Evidence {
  count: number;
  min: number;
  more: string;
}

/**
 * A quantile read from etcd's buckets against a limit: by the bucket's bounds, by interpolation only inside it. With
 * `evidence`, a pass on fewer observations than its minimum is not run instead (a failure stands: what was observed
 * is already over the limit).
 */
export function judgeBucketQuantile(
  q: BucketQuantile,
  limitNs: number,
  base: Pick<Check, 'id' | 'title' | 'source'>,
  evidence?: Evidence,
): Check {
  const counts = evidence ? { observations: evidence.count, minObservations: evidence.min } : {};
  const b = { ...base, unit: 'ns', comparison: '<', limit: limitNs, measured: q.estimateNs, range: q.text } as const;
  const judged: Check =
    q.upperNs !== null && q.upperNs <= limitNs
      ? { ...b, ...counts, status: 'pass' }
      : q.lowerNs >= limitNs
        ? { ...b, ...counts, status: 'fail' }
        : {
            ...b,
            ...counts,
            status: q.estimateNs < limitNs ? 'pass' : 'fail',
            note:
              `the limit lies inside the bucket; judged by linear interpolation ` +
              `(${(q.estimateNs / 1e6).toFixed(1)} ms)`,
          };
  if (!evidence || judged.status !== 'pass' || evidence.count >= evidence.min) return judged;
  return {
    ...judged,
    status: 'not-run',
    note:
      `${evidence.count} observation${evidence.count === 1 ? '' : 's'} in the window, fewer than the ` +
      `${evidence.min} a pass needs (${q.text} so far); ${evidence.more}`,
  };
}

/** A p99 from etcd's buckets against a limit. */
export function bucketP99Check(
  members: MemberMetrics[] | null,
  whyNot: string,
  limitNs: number,
  c: { id: string; title: string; source: string; pick: (m: MemberMetrics) => BucketStream | null; min: number },
): Check {
  const base = { id: c.id, title: c.title, unit: 'ns', comparison: '<', limit: limitNs, source: c.source } as const;
  if (!members) return { ...base, measured: null, status: 'not-run', note: whyNot };
  const q = worstP99(members, c.pick);
  if (!q) return { ...base, measured: null, status: 'not-run', note: 'etcd reported no observation during the load' };
  const count = Math.min(...members.map((m) => c.pick(m)?.count ?? 0));
  const more = 'run the etcd phase longer, or with more writes';
  return judgeBucketQuantile(q, limitNs, { id: c.id, title: c.title, source: c.source }, { count, min: c.min, more });
}

/** etcd's own WAL fsync p99 (etcd_disk_wal_fsync_duration_seconds). */
export function serverWalCheck(members: MemberMetrics[] | null, whyNot: string, limitNs: number): Check {
  return bucketP99Check(members, whyNot, limitNs, {
    id: 'etcd-wal-fsync-p99',
    title: "etcd's own WAL fsync p99 (etcd_disk_wal_fsync_duration_seconds)",
    source: LIMIT_SOURCES.walFsyncP99,
    pick: (m) => m.walFsync,
    min: MIN_OBSERVATIONS.walFsync,
  });
}

/** etcd's own backend commit p99 (etcd_disk_backend_commit_duration_seconds). */
export function serverCommitCheck(members: MemberMetrics[] | null, whyNot: string, limitNs: number): Check {
  return bucketP99Check(members, whyNot, limitNs, {
    id: 'etcd-backend-commit-p99',
    title: "etcd's own backend commit p99 (etcd_disk_backend_commit_duration_seconds)",
    source: LIMIT_SOURCES.commitP99,
    pick: (m) => m.backendCommit,
    min: MIN_OBSERVATIONS.backendCommit,
  });
}

/**
 * Whether etcd's own disk figures failed (null: unknown), in words: "WAL fsync p99 2-4 ms, backend commit p99 8-16 ms".
 */
export function serverDiskView(
  members: MemberMetrics[],
  walLimitNs: number,
  commitLimitNs: number,
): { failed: boolean | null; words: string } {
  const wal = serverWalCheck(members, 'no metrics', walLimitNs);
  const commit = serverCommitCheck(members, 'no metrics', commitLimitNs);
  const ran = [wal, commit].filter((c) => c.status !== 'not-run');
  const words =
    `etcd's own WAL fsync p99 ${wal.range ?? 'unknown'} and backend commit p99 ` + `${commit.range ?? 'unknown'}`;
  if (ran.length === 0) return { failed: null, words };
  return { failed: ran.some((c) => c.status === 'fail'), words };
}
