// The disk grader: a disk run's checks, what a miss belongs to and its letter,
// each second while it runs and once at its end. The callers of runDisk hand it
// in (src/disk/disk-grading.ts), so the runner measures and this judges.
import type { DiskGrading, DiskMeasured } from '../disk/disk-grading.js';
import { durableStream } from '../options/sync-method.js';
import { diskAttribution } from './attribution-rules.js';
import { attributeLongest, attributePercentile, attributeStretch, type PhaseHost } from './check-attribution.js';
import { percentileExcess } from '../stats/excess.js';
import { attributionLimits } from './attribution-limits.js';
import type { Check, Grade } from '../verdict/check.js';
import {
  commitP99Check,
  decidingFinding,
  overTimeCheck,
  runPassed,
  saveStallCheck,
  stallCheck,
  syncP99Check,
} from './disk-checks.js';
import { gradeOf, memoryGrade } from '../verdict/letter.js';
import { volumeBurst } from './burst-forecast.js';

const MAIN_THREAD = 'writer';

/** The stream that pays for durability: its summaries, rows and histogram carry every latency check. */
function durableOf(m: DiskMeasured): 'sync' | 'write' | 'op' {
  return durableStream(m.workload.syncMethod) ?? 'op';
}

/** The finished phase, judged. */
function gradeResult(m: DiskMeasured): ReturnType<DiskGrading['result']> {
  const { o, workload, stats, commit, hostEvidence } = m;
  const partial = { durableStream: durableStream(workload.syncMethod), latency: stats.summaries, workload };
  const timing = { heartbeatNs: o.heartbeatInterval, electionNs: o.electionTimeout };
  const stallStreams = [
    stats.summaries.write,
    stats.summaries.sync,
    ...(m.cutSyncs ? [m.cutSyncs.summaries.sync] : []),
  ];
  const durableName = durableOf(m);
  const streamWords = durableName === 'write' ? 'write()' : o.mode === 'wal' ? 'WAL fdatasync' : 'sync';
  const overTimeTitle = `${streamWords} p99 over time`;
  const checks: Check[] = [
    syncP99Check(partial, o.syncP99Limit),
    stallCheck(stallStreams, timing),
    saveStallCheck(stats.summaries.op, m.cuts ? m.cuts.summaries.op : null, timing, o.mode),
  ];
  if (commit) checks.push(commitP99Check(commit.latency.op, o.commitP99Limit));
  checks.push(overTimeCheck(m.stepChange, o.syncP99Limit, overTimeTitle));
  const volume = volumeBurst(
    o.volume,
    m.deviceIo,
    "the disk phase's own writes, a closed loop as fast as the disk goes",
    '',
  );
  const burst = volume?.forecast ?? null;
  if (volume) checks.push(volume.check);
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
  const p: PhaseHost = { host: hostEvidence, limits, offsetSeconds: Math.round(m.prepareNs / 1e9) };
  const judged = checks.map((c) => conclusiveOnFew(c, m, durableName));
  const attributed = judged.map((c) => attributeDiskCheck(c, m, durableName, p));
  const grade: Grade =
    m.incompleteReason !== undefined
      ? { letter: null, reason: 'the run did not complete' }
      : m.memory
        ? memoryGrade(m.memory)
        : gradeOf(attributed, { aNs: o.gradeA, bNs: o.gradeB, fNs: o.gradeF });
  // A severe miss put elsewhere leaves no letter: never a pass.
  const passed = m.incompleteReason === undefined && grade.limitedBy === undefined && runPassed(attributed);
  return { burst, checks: attributed, attribution, grade, passed };
}

/**
 * A p99 not run for want of observations still fails when two or more of them are over the limit: of any 100
 * observations that include them, more than 1 % would be over it, so no longer run could pass it.
 */
function conclusiveOnFew(c: Check, m: DiskMeasured, durable: 'sync' | 'write' | 'op'): Check {
  const thin = c.status === 'not-run' && c.observations !== undefined && c.observations < (c.minObservations ?? 0);
  if (!thin) return c;
  const hist = c.id === 'sync-p99' ? m.stats.histograms[durable] : c.id === 'commit-p99' ? m.commit?.histogram : null;
  if (!hist) return c;
  const over = percentileExcess(hist, c.limit).atOrAbove;
  if (over < 2) return c;
  return {
    ...c,
    status: 'fail',
    measured: c.id === 'sync-p99' ? m.stats.summaries[durable].p99Ns : (m.commit?.latency.op.p99Ns ?? null),
    note:
      `${over} of ${c.observations} observations at or over the limit: fewer than ${c.minObservations} judged, ` +
      `but no ${c.minObservations} that include them could pass`,
  };
}

/** One check of the phase, a miss weighed against the host evidence of its own operations and seconds. */
function attributeDiskCheck(c: Check, m: DiskMeasured, durable: 'sync' | 'write' | 'op', p: PhaseHost): Check {
  if (c.status !== 'fail') return c;
  const { stats } = m;
  switch (c.id) {
    case 'sync-p99':
      return attributePercentile(c, percentileExcess(stats.histograms[durable], c.limit), MAIN_THREAD, p);
    case 'commit-p99':
      return m.commit
        ? attributePercentile(c, percentileExcess(m.commit.histogram, c.limit), 'commit', p)
        : { ...c, cause: 'disk' };
    case 'stall': {
      const rows =
        stats.summaries.write.maxNs >= stats.summaries.sync.maxNs ? stats.timeSeries.write : stats.timeSeries.sync;
      return attributeLongest(c, rows, MAIN_THREAD, p, m.slowOps);
    }
    case 'save-stall': {
      const cutLonger = m.cuts !== null && m.cuts.summaries.op.maxNs > stats.summaries.op.maxNs;
      return attributeLongest(c, cutLonger ? m.cuts!.timeSeries.op : stats.timeSeries.op, MAIN_THREAD, p, m.slowOps);
    }
    case 'latency-over-time': {
      const decided = decidingFinding(m.stepChange, m.o.syncP99Limit);
      return decided
        ? attributeStretch(c, decided.finding, stats.timeSeries[durable], MAIN_THREAD, p)
        : { ...c, cause: 'disk' };
    }
    default:
      // The burst forecast reads the device's own writes: no CPU explains them.
      return { ...c, cause: 'disk' };
  }
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
    saveStallCheck(m.summaries.op, null, { heartbeatNs: o.heartbeatInterval, electionNs: o.electionTimeout }, o.mode),
  ];
  if (s.commit) checks.push(commitP99Check(s.commit.summaries.op, o.commitP99Limit));
  return { checks, letter: gradeOf(checks, { aNs: o.gradeA, bNs: o.gradeB, fNs: o.gradeF }).letter };
};

export const diskGrading: DiskGrading = { tick: gradeTick, result: gradeResult };
