// Does the WAL phase predict etcd's own WAL fsync figure? Our exact samples
// (every fsync as etcd counts them: batch syncs, cut header and directory
// fsyncs) are put into etcd's own buckets and read the same way, then the two
// p99 buckets are compared. More than one bucket apart is stated, with what it
// means. When etcd's p99 bucket holds the limit (8-16 ms around 10 ms), its
// buckets cannot tell which side it is on; our exact figure of the same
// fsyncs can, and the etcd check becomes a warning rather than a failure by
// interpolation.
import type { Check } from '../verdict/check.js';
import type { DiskResult } from '../disk/disk-result.js';
import { bucketQuantile, type BucketQuantile } from '../etcd/prometheus.js';
import type { MemberMetrics } from '../etcd/server-metrics.js';
import { rebucket } from '../stats/rebucket.js';

export interface WalAgreement {
  /** Our WAL phase's fsyncs in etcd's buckets: the p99's bucket and interpolation, and our exact p99. */
  ours: { range: string; estimateNs: number; exactP99Ns: number };
  /** etcd's own (the slowest member's) p99 bucket. */
  etcd: { range: string; estimateNs: number; url: string };
  /** How many buckets etcd's p99 lies above ours (negative: below). */
  bucketsApart: number;
  note: string;
}

function bucketIndex(q: BucketQuantile, bounds: number[]): number {
  return q.upperNs === null ? bounds.length - 1 : bounds.findIndex((b) => Math.abs(b * 1e9 - q.upperNs!) < 1);
}

/** Compares the WAL phase with etcd's own view; null when either is missing. */
export function walAgreement(wal: DiskResult | null, members: MemberMetrics[] | null): WalAgreement | null {
  const facts = wal?.wal;
  if (!facts?.etcdFsyncHistogram || !members) return null;
  let worst: MemberMetrics | null = null;
  for (const m of members)
    if (m.walFsync?.p99 && (!worst || m.walFsync.p99.estimateNs > worst.walFsync!.p99!.estimateNs)) worst = m;
  if (!worst) return null;
  const bounds = worst.walFsync!.buckets.map((b) => b.leSeconds);
  const theirs = worst.walFsync!.p99!;
  const mine = bucketQuantile(rebucket(facts.etcdFsyncHistogram, bounds), 0.99);
  if (!mine) return null;
  const apart = bucketIndex(theirs, bounds) - bucketIndex(mine, bounds);
  const note =
    Math.abs(apart) <= 1
      ? `they agree within etcd's bucket resolution (${Math.abs(apart)} bucket${Math.abs(apart) === 1 ? '' : 's'} ` +
        `apart)`
      : apart > 1
        ? `etcd saw slower fsyncs than the WAL phase measured (${apart} buckets apart): etcd's timer also covers ` +
          `its waits for a CPU and its own backend commits and snapshots on the same disk under the load; see the ` +
          `etcd phase's attribution before blaming the disk`
        : `the WAL phase saw slower fsyncs than etcd (${-apart} buckets apart): at this load etcd made fewer, ` +
          `larger syncs than the WAL phase's flat-out writer, or the disk changed between the phases`;
  return {
    ours: { range: mine.text, estimateNs: mine.estimateNs, exactP99Ns: facts.etcdFsync.p99Ns },
    etcd: { range: theirs.text, estimateNs: theirs.estimateNs, url: worst.url },
    bucketsApart: apart,
    note,
  };
}

/**
 * etcd's WAL fsync check failed only by interpolation inside the bucket that holds the limit, while our exact
 * figure of the same fsyncs is under the limit and within a bucket of etcd's: a warning, with both figures.
 */
export function settleInsideBucket(c: Check, a: WalAgreement | null): Check {
  const inside = c.status === 'fail' && c.note?.startsWith('the limit lies inside the bucket');
  if (!inside || !a || a.ours.exactP99Ns >= c.limit || Math.abs(a.bucketsApart) > 1) return c;
  const ms = (ns: number) => `${+(ns / 1e6).toFixed(3)} ms`;
  return {
    ...c,
    status: 'warn',
    cause: undefined,
    note:
      `etcd's p99 lies in ${a.etcd.range}, the bucket that holds the ${ms(c.limit)} limit: its buckets cannot ` +
      `tell which side it is on (interpolated ${ms(c.measured!)}); the WAL phase measured the same fsyncs exactly ` +
      `at p99 ${ms(a.ours.exactP99Ns)} (${a.ours.range} in etcd's buckets, ${Math.abs(a.bucketsApart)} bucket apart)`,
  };
}
