// The disk rules graded in a `disk` run. Each check carries its limit and the
// source of that limit. A check that could not run is reported as not-run: it
// never counts as passed, and it does not fail the run either.
import type { Check } from '../verdict/check.js';
import type { DiskResult } from '../disk/disk-result.js';
import type { DiskStream } from '../stats/disk-recorder.js';
import type { StepFinding, StepReport } from '../stats/step-detector.js';
import type { LatencySummary } from '../stats/summary.js';

/** Sources of the limits, cited in every report. */
export const LIMIT_SOURCES = {
  walFsyncP99: 'etcd FAQ ("failed to send out heartbeat on time"); the etcd fio recipe: WAL fdatasync p99 below 10 ms',
  commitP99: 'etcd FAQ ("apply entries took too long"): backend commit p99 below 25 ms',
  stall:
    'etcd warns "leader failed to send out heartbeat on time" when a send is late by twice --heartbeat-interval ' +
    '(etcdserver/raft.go); a stall as long as --election-timeout is severe: followers campaign and the leader ' +
    'can be lost (etcd tuning guide)',
  overTime:
    'a burst-credit volume passes a short test and fails later (the EBS gp2 incident): the per-second sync p99 ' +
    'must not step up or stay above the limit',
} as const;

/** What a p99 rule reads of a stream: a result's full summary, or a tick's (summary.ts). */
export type P99Input = Pick<LatencySummary, 'count' | 'p99Ns' | 'opsPerSec'>;
/** What a stall rule reads of a stream. */
export type StallInput = Pick<LatencySummary, 'count' | 'maxNs' | 'p99Ns'>;

/** The fewest observations a percentile of ours is judged on: a p99 of fewer is little more than the maximum. */
export const MIN_P99_OBSERVATIONS = 100;

function p99Check(
  id: string,
  title: string,
  s: P99Input | null,
  limitNs: number,
  source: string,
  whyNot: string,
): Check {
  const base = { id, title, unit: 'ns', comparison: '<', limit: limitNs, source } as const;
  if (s === null) return { ...base, measured: null, status: 'not-run', note: whyNot };
  if (s.count === 0) return { ...base, measured: null, status: 'not-run', note: 'no operation completed' };
  const counted = { observations: s.count, minObservations: MIN_P99_OBSERVATIONS };
  if (s.count < MIN_P99_OBSERVATIONS) {
    const needS = s.opsPerSec > 0 ? Math.ceil(MIN_P99_OBSERVATIONS / s.opsPerSec) : null;
    return {
      ...base,
      ...counted,
      measured: null,
      status: 'not-run',
      note:
        `${s.count} observations; a p99 is judged on at least ${MIN_P99_OBSERVATIONS}` +
        (needS !== null ? ` (at ${+s.opsPerSec.toFixed(1)}/s, run at least ${needS} s)` : ''),
    };
  }
  return { ...base, ...counted, measured: s.p99Ns, status: s.p99Ns < limitNs ? 'pass' : 'fail' };
}

/** The 10 ms rule on whatever makes the writes durable. */
export function syncP99Check(
  result: Pick<DiskResult, 'durableStream' | 'workload'> & { latency: Record<DiskStream, P99Input> },
  limitNs: number,
): Check {
  const stream = result.durableStream;
  const w = result.workload;
  const title =
    w.mode === 'wal'
      ? 'WAL fdatasync p99'
      : stream === 'write'
        ? `write() with O_${w.syncMethod.toUpperCase()} p99`
        : `${w.syncMethod} p99`;
  const s = stream === null ? null : result.latency[stream];
  return p99Check(
    'sync-p99',
    title,
    s,
    limitNs,
    LIMIT_SOURCES.walFsyncP99,
    '--sync-method none: nothing was made durable',
  );
}

/** The 25 ms rule on bbolt-shaped backend commits (only when the commit stream ran). */
export function commitP99Check(commit: P99Input | null, limitNs: number): Check {
  return p99Check(
    'commit-p99',
    'backend commit p99',
    commit,
    limitNs,
    LIMIT_SOURCES.commitP99,
    'no commit stream (--commit)',
  );
}

/** A step whose new level stays under this share of the limit is news (a warning), not a failure. */
export const STEP_WARN_SHARE = 0.25;

/** The finding an over-time check is decided by: the first that fails, else the first (a warning). */
export function decidingFinding(report: StepReport, limitNs: number): { finding: StepFinding; fails: boolean } | null {
  const fails = (f: StepFinding) =>
    f.kind === 'above-limit' || f.medianP99Ns === null || f.medianP99Ns >= STEP_WARN_SHARE * limitNs;
  const failing = report.findings.find(fails);
  if (failing) return { finding: failing, fails: true };
  const first = report.findings[0];
  return first ? { finding: first, fails: false } : null;
}

/**
 * No sustained stretch above the limit and no step up to a level that matters in the per-second sync p99. A step that
 * stays under a quarter of the limit warns: etcd does not feel it yet, but a burst volume may be draining.
 */
export function overTimeCheck(report: StepReport, limitNs: number, title = 'sync p99 over time'): Check {
  const base = {
    id: 'latency-over-time',
    title,
    unit: 'ns',
    comparison: '<',
    limit: limitNs,
    source: LIMIT_SOURCES.overTime,
  } as const;
  if (!report.judged)
    return {
      ...base,
      measured: null,
      status: 'not-run',
      note: `${report.reason ?? 'not judged'}; a longer run detects ${report.detectable}`,
    };
  const decided = decidingFinding(report, limitNs);
  if (!decided)
    return {
      ...base,
      measured: report.baselineP99Ns,
      status: 'pass',
      note:
        `no step and no stretch above the limit (baseline: the lowest ${report.baselineSeconds} s stretch, ` +
        `from second ${report.baselineStartSecond}; detects ${report.detectable})`,
    };
  const { finding: f, fails } = decided;
  const what = f.kind === 'step' ? 'a step up from the baseline' : 'a stretch above the limit';
  const began = `${what} began at second ${f.startSecond} and lasted ${f.seconds} s`;
  if (!fails)
    return {
      ...base,
      measured: f.medianP99Ns,
      status: 'warn',
      note:
        `${began}, from ${ms(report.baselineP99Ns ?? 0)} to ${ms(f.medianP99Ns ?? 0)}: under a quarter of the ` +
        `limit, so etcd does not feel it yet; a burst-credit volume may be draining: run again with --volume ` +
        `(e.g. gp2:SIZE) for its forecast, or longer`,
    };
  return { ...base, measured: f.medianP99Ns, status: 'fail', note: began };
}

/** etcd's Raft timing the stall tiers come from (its --heartbeat-interval and --election-timeout). */
export interface RaftTiming {
  heartbeatNs: number;
  electionNs: number;
}

/**
 * No single write() or sync (a WAL cut's header and directory fsyncs included, as etcd counts them) as
 * long as two heartbeats: a fail (late heartbeats); as long as the election timeout: severe (grade F).
 */
export function stallCheck(streams: StallInput[], t: RaftTiming): Check {
  const limit = 2 * t.heartbeatNs;
  const base = {
    id: 'stall',
    title: 'longest write() or sync',
    unit: 'ns',
    comparison: '<',
    limit,
    severeAt: t.electionNs,
    source: LIMIT_SOURCES.stall,
  } as const;
  if (!streams.some((s) => s.count > 0))
    return { ...base, measured: null, status: 'not-run', note: 'no operation completed' };
  const worst = Math.max(...streams.map((s) => s.maxNs));
  const note =
    worst >= t.electionNs
      ? `severe: as long as the ${ms(t.electionNs)} election timeout, the leader can be lost`
      : worst >= limit
        ? `heartbeats would be late (twice the ${ms(t.heartbeatNs)} heartbeat interval); below the ` +
          `${ms(t.electionNs)} election timeout`
        : undefined;
  return { ...base, measured: worst, status: worst < limit ? 'pass' : 'fail', ...(note ? { note } : {}) };
}

/**
 * What blocks Raft: etcd's raft loop waits for the whole WAL.Save, the batch's write() and fdatasync and, on a segment
 * cut, its truncate, fdatasyncs, rename and directory fsync. Its longest, against the same tiers as a single stall.
 */
export function saveStallCheck(save: StallInput, cut: StallInput | null, t: RaftTiming, mode: 'wal' | 'seq'): Check {
  const limit = 2 * t.heartbeatNs;
  const base = {
    id: 'save-stall',
    title: mode === 'wal' ? 'longest WAL.Save (write + fdatasync, a cut whole)' : 'longest write() + sync',
    unit: 'ns',
    comparison: '<',
    limit,
    severeAt: t.electionNs,
    source:
      `${LIMIT_SOURCES.stall}; etcd's raft loop waits for the whole WAL.Save (wal/wal.go), a segment cut ` + 'included',
  } as const;
  if (save.count === 0) return { ...base, measured: null, status: 'not-run', note: 'no operation completed' };
  const longest = Math.max(save.maxNs, cut?.maxNs ?? 0);
  const cutWords =
    cut && cut.count > 0 ? `; ${cut.count} cuts, the longest ${ms(cut.maxNs)}, p99 ${ms(cut.p99Ns)}` : '';
  const tier =
    longest >= t.electionNs
      ? `severe: Raft blocked as long as the ${ms(t.electionNs)} election timeout`
      : longest >= limit
        ? `Raft blocked for twice the ${ms(t.heartbeatNs)} heartbeat interval: heartbeats would be late`
        : '';
  const note = [tier, cutWords.slice(2)].filter(Boolean).join('; ');
  return {
    ...base,
    measured: longest,
    status: longest < limit ? 'pass' : 'fail',
    ...(note ? { note } : {}),
    observations: save.count,
  };
}

const ms = (ns: number) => `${+(ns / 1e6).toFixed(3)} ms`;

/** The run passes when its main check passed and no check failed (not-run checks neither pass nor fail it). */
export function runPassed(checks: Check[]): boolean {
  return checks[0]?.status === 'pass' && !checks.some((c) => c.status === 'fail');
}
