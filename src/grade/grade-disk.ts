// The disk grader: a disk run's checks, what a miss belongs to and its letter,
// each second while it runs and once at its end. The callers of runDisk hand it
// in (src/disk/grading.ts), so the runner measures and this judges.
import type { DiskGrading, DiskMeasured } from '../disk/grading.js';
import { durableStream } from '../options/sync-method.js';
import { applyAttribution } from './apply-attribution.js';
import { diskAttribution, stallAttribution } from './attribution.js';
import { attributionLimits } from './attribution-limits.js';
import type { Check } from './check.js';
import { commitP99Check, overTimeCheck, runPassed, stallCheck, syncP99Check } from './disk-checks.js';
import { gradeOf } from './letter.js';
import { burstCheck, forecastBurst } from './burst.js';
import { parseVolume } from '../options/volume.js';

/** The finished phase, judged. */
function gradeResult(m: DiskMeasured): ReturnType<DiskGrading['result']> {
  const { o, workload, stats, commit, hostEvidence } = m;
  const partial = { durableStream: durableStream(workload.syncMethod), latency: stats.summaries, workload };
  const stallStreams = [
    stats.summaries.write,
    stats.summaries.sync,
    ...(m.cutSyncs ? [m.cutSyncs.summaries.sync] : []),
  ];
  const checks: Check[] = [
    syncP99Check(partial, o.syncP99Limit),
    stallCheck(stallStreams, { heartbeatNs: o.heartbeatInterval, electionNs: o.electionTimeout }),
  ];
  if (commit) checks.push(commitP99Check(commit.latency.op, o.commitP99Limit));
  checks.push(overTimeCheck(m.stepChange, o.syncP99Limit));
  const volume = o.volume === '' ? null : parseVolume(o.volume);
  const burst = volume
    ? forecastBurst(volume, m.deviceIo, "the disk phase's own writes, a closed loop as fast as the disk goes")
    : null;
  if (volume && burst)
    checks.push(burstCheck(burst, volume.hdd, m.deviceIo.available ? '' : `no device I/O: ${m.deviceIo.reason}`));
  const limits = attributionLimits(o);
  const durable = partial.durableStream === null ? stats.summaries.op : stats.summaries[partial.durableStream];
  const durableWords =
    o.mode === 'wal'
      ? 'WAL fdatasync'
      : partial.durableStream === 'write'
        ? `write() with O_${workload.syncMethod.toUpperCase()}`
        : workload.syncMethod;
  const attribution = {
    writer: diskAttribution(hostEvidence, durable, durableWords, limits),
    commit: commit ? diskAttribution(hostEvidence, commit.latency.op, 'backend commit', limits, 'commit') : null,
  };
  // A stall is judged first on the seconds around it, then like the phase's other figures.
  const stall = checks.find((c) => c.id === 'stall');
  const stallRows =
    stats.summaries.write.maxNs >= stats.summaries.sync.maxNs ? stats.timeSeries.write : stats.timeSeries.sync;
  const stallHost =
    stall?.status === 'fail' && stall.measured !== null
      ? stallAttribution(stall.measured, stall.limit, stallRows, hostEvidence, Math.round(m.prepareNs / 1e9), limits)
      : null;
  const attributed = applyAttribution(
    applyAttribution(
      applyAttribution(checks, stallHost, (id) => id === 'stall'),
      attribution.writer,
      (id) => id !== 'commit-p99',
    ),
    attribution.commit,
    (id) => id === 'commit-p99',
  );
  return {
    burst,
    checks: attributed,
    attribution,
    grade:
      m.incompleteReason === undefined
        ? gradeOf(attributed, { aNs: o.gradeA, bNs: o.gradeB, fNs: o.gradeF })
        : { letter: null, reason: 'the run did not complete' },
    passed: m.incompleteReason === undefined && runPassed(attributed),
  };
}

/** The checks as they stand each second; write() alone is judged only by the stall limit. */
const gradeTick: DiskGrading['tick'] = (s, o, workload) => {
  const m = s.main;
  const latency = { ...m.summaries, response: m.summaries.op };
  const checks = [
    syncP99Check({ durableStream: durableStream(workload.syncMethod), latency, workload }, o.syncP99Limit),
    stallCheck([m.summaries.write, m.summaries.sync], {
      heartbeatNs: o.heartbeatInterval,
      electionNs: o.electionTimeout,
    }),
  ];
  if (s.commit) checks.push(commitP99Check(s.commit.summaries.op, o.commitP99Limit));
  return { checks, letter: gradeOf(checks, { aNs: o.gradeA, bNs: o.gradeB, fNs: o.gradeF }).letter };
};

export const diskGrading: DiskGrading = { tick: gradeTick, result: gradeResult };
