// Turns a disk phase's once-a-second snapshot into a tick: the streams, the
// checks as they stand (graded by the same rules as the result) and the
// letter they are heading to.
import { commitP99Check, durableStream, stallCheck, syncP99Check } from '../grade/disk-checks.js';
import { gradeOf } from '../grade/letter.js';
import type { StreamNow, TickEvent } from '../live/events.js';
import type { DiskOptions } from './options.js';
import type { DiskWorkload } from './result.js';
import type { PhaseSnapshot } from './run-phase.js';

/** The tick of a disk phase named `phase`. */
export function diskTick(s: PhaseSnapshot, phase: string, o: DiskOptions, workload: DiskWorkload): TickEvent {
  const m = s.main;
  const wal = workload.mode === 'wal';
  const durable = durableStream(workload.syncMethod);
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
  const latency = { ...m.summaries, response: m.summaries.op };
  const checks = [
    syncP99Check({ durableStream: durable, latency, workload }, o.syncP99Limit),
    stallCheck([m.summaries.write, m.summaries.sync], {
      heartbeatNs: o.heartbeatInterval,
      electionNs: o.electionTimeout,
    }),
  ];
  if (s.commit) checks.push(commitP99Check(s.commit.summaries.op, o.commitP99Limit));
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
    letter: gradeOf(checks, { aNs: o.gradeA, bNs: o.gradeB, fNs: o.gradeF }).letter,
  };
}
