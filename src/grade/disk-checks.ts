// The disk rules graded in a `disk` run. Each check carries its limit and the
// source of that limit, and a check that could not run never counts as passed.
import type { Check, DiskResult } from '../disk/result.js';

/** Sources of the limits, cited in every report. */
export const LIMIT_SOURCES = {
  walFsyncP99: 'etcd FAQ ("failed to send out heartbeat on time"); the etcd fio recipe: WAL fdatasync p99 below 10 ms',
} as const;

/** Which stream pays for durability under a sync method. */
export function durableStream(syncMethod: DiskResult['workload']['syncMethod']): DiskResult['durableStream'] {
  if (syncMethod === 'fdatasync' || syncMethod === 'fsync') return 'sync';
  if (syncMethod === 'dsync' || syncMethod === 'sync') return 'write';
  return null;
}

/** The 10 ms rule on whatever makes the writes durable. */
export function syncP99Check(result: Pick<DiskResult, 'durableStream' | 'latency' | 'workload'>, limitNs: number): Check {
  const stream = result.durableStream;
  const base = { id: 'sync-p99', limitNs, source: LIMIT_SOURCES.walFsyncP99 };
  if (stream === null)
    return { ...base, title: 'sync p99', measuredNs: null, status: 'not-run', note: '--sync-method none: nothing was made durable' };
  const s = result.latency[stream];
  const title = stream === 'sync' ? `${result.workload.syncMethod} p99` : `write() with O_${result.workload.syncMethod.toUpperCase()} p99`;
  if (s.count === 0) return { ...base, title, measuredNs: null, status: 'not-run', note: 'no operation completed' };
  return { ...base, title, measuredNs: s.p99Ns, status: s.p99Ns < limitNs ? 'pass' : 'fail' };
}

/** All checks pass (a not-run check is not a pass). */
export function allPassed(checks: Check[]): boolean {
  return checks.length > 0 && checks.every((c) => c.status === 'pass');
}
