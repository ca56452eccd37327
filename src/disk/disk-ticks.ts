// Turns a disk phase's once-a-second snapshot into a tick: the streams, the
// checks as they stand and the letter they are heading to (from the grader
// the run was handed, by the same rules as the result).
import type { DiskGrading } from './disk-grading.js';
import type { StreamNow, TickEvent } from '../events/events.js';
import type { DiskOptions } from './disk-option-values.js';
import type { DiskWorkload } from './disk-result.js';
import type { PhaseSnapshot } from './run-phase.js';

/** The tick of a disk phase named `phase`. */
export function diskTick(
  s: PhaseSnapshot,
  phase: string,
  o: DiskOptions,
  workload: DiskWorkload,
  grading: DiskGrading,
): TickEvent {
  const m = s.main;
  const wal = workload.mode === 'wal';
  // write() alone is judged only by the stall limit; the sync by the 10 ms rule.
  const streams: StreamNow[] = [
    {
      name: wal ? 'WAL write()' : 'write()',
      lastSecond: m.lastSecond.write,
      total: m.summaries.write,
      limitNs: 2 * o.heartbeatInterval,
    },
  ];
  if (m.summaries.sync.count > 0)
    streams.push({
      name: wal ? 'WAL fdatasync' : workload.syncMethod,
      lastSecond: m.lastSecond.sync,
      total: m.summaries.sync,
      limitNs: o.syncP99Limit,
    });
  if (s.commit)
    streams.push({
      name: 'commit',
      lastSecond: s.commit.lastSecond.op,
      total: s.commit.summaries.op,
      limitNs: o.commitP99Limit,
    });
  const { checks, letter } = grading.tick(s, o, workload);
  return {
    type: 'tick',
    phase,
    elapsedNs: s.elapsedNs,
    plannedNs: o.runtime,
    ops: m.summaries.op.count,
    opsLastSecond: m.lastSecond.op?.count ?? null,
    errors: 0,
    streams,
    syncBuckets: m.summaries.sync.count > 0 ? m.syncBuckets : null,
    series: m.series,
    seriesLimitNs: o.syncP99Limit,
    server: null,
    checks,
    letter,
  };
}
