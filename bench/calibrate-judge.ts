// How bench:calibrate sets our letter beside what etcd did. etcd's p99s come
// from its doubling buckets (1, 2, 4, 8, 16 ... ms), so its own figure is a
// range: "8-16 ms" is neither over nor under 10 ms. Such a pair is counted
// apart ("etcd's buckets cannot say"), never as agreement or disagreement.
import type { BucketQuantile } from '../src/etcd/prometheus.js';

export const WAL_LIMIT_NS = 10e6;
export const COMMIT_LIMIT_NS = 25e6;
/** The kube profile's bound on what a client waits. */
export const REQUEST_LIMIT_NS = 100e6;

export interface Ours {
  letter: string | null;
  exit: number | null;
  passed: boolean;
  reason: string;
  /** Our WAL phase's fdatasync p99 and backend commit p99 (null when not measured). */
  syncP99Ns: number | null;
  commitP99Ns: number | null;
  /** The failing checks of the report, by id. */
  failed: string[];
}

export interface Truth {
  wal: BucketQuantile | null;
  commit: BucketQuantile | null;
  heartbeatsLate: number;
  leaderChanges: number;
  elections: number;
  requestP99Ns: number | null;
  noLeader: boolean;
}

export type Verdict = 'agree' | 'false pass' | 'false fail' | 'no verdict' | "etcd's buckets cannot say";

/** Whether etcd's own bucketed p99 is over a limit, within it, or in a bucket that holds it. */
export function side(q: BucketQuantile | null, limitNs: number): 'over' | 'within' | 'cannot say' | 'none' {
  if (!q) return 'none';
  if (q.lowerNs >= limitNs) return 'over';
  if (q.upperNs !== null && q.upperNs <= limitNs) return 'within';
  return 'cannot say';
}

/** What etcd missed, in words; empty when it stayed within every limit. */
export function etcdMissed(t: Truth): string[] {
  const missed: string[] = [];
  if (t.noLeader) missed.push('no leader');
  const wal = side(t.wal, WAL_LIMIT_NS);
  const commit = side(t.commit, COMMIT_LIMIT_NS);
  if (wal === 'over') missed.push('WAL fsync p99');
  if (commit === 'over') missed.push('commit p99');
  if (t.requestP99Ns !== null && t.requestP99Ns > REQUEST_LIMIT_NS) missed.push('request p99');
  if (t.heartbeatsLate > 0) missed.push('late heartbeats');
  if (t.leaderChanges > 0) missed.push('leader changes');
  if (missed.length === 0 && (wal === 'cannot say' || commit === 'cannot say'))
    missed.push(`${wal === 'cannot say' ? 'WAL fsync' : 'commit'} p99 in a bucket holding the limit`);
  return missed;
}

/**
 * false pass: our A-C where etcd's own WAL fsync p99 was over 10 ms, it logged a late heartbeat, or it changed
 * leaders. false fail: our D-F where etcd stayed within every limit with no late heartbeat.
 */
export function judge(ours: Ours, t: Truth): Verdict {
  if (ours.letter === null) return 'no verdict';
  const wal = side(t.wal, WAL_LIMIT_NS);
  const harmed = t.noLeader || wal === 'over' || t.heartbeatsLate > 0 || t.leaderChanges > 0;
  const missed = etcdMissed(t);
  const undecided = missed.length === 1 && missed[0]!.includes('in a bucket holding');
  if (ours.passed) {
    if (harmed) return 'false pass';
    return wal === 'cannot say' ? "etcd's buckets cannot say" : 'agree';
  }
  if (missed.length === 0) return 'false fail';
  return undecided ? "etcd's buckets cannot say" : 'agree';
}
