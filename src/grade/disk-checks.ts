// The disk rules graded in a `disk` run. Each check carries its limit and the
// source of that limit. A check that could not run is reported as not-run: it
// never counts as passed, and it does not fail the run either.
import type { Check } from './check.js';
import type { DiskResult } from '../disk/result.js';
import type { StepReport } from '../stats/step-detector.js';
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

function p99Check(
  id: string,
  title: string,
  s: LatencySummary | null,
  limitNs: number,
  source: string,
  whyNot: string,
): Check {
  const base = { id, title, unit: 'ns', comparison: '<', limit: limitNs, source } as const;
  if (s === null) return { ...base, measured: null, status: 'not-run', note: whyNot };
  if (s.count === 0) return { ...base, measured: null, status: 'not-run', note: 'no operation completed' };
  return { ...base, measured: s.p99Ns, status: s.p99Ns < limitNs ? 'pass' : 'fail' };
}

/** The 10 ms rule on whatever makes the writes durable. */
export function syncP99Check(
  result: Pick<DiskResult, 'durableStream' | 'latency' | 'workload'>,
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
export function commitP99Check(commit: LatencySummary | null, limitNs: number): Check {
  return p99Check(
    'commit-p99',
    'backend commit p99',
    commit,
    limitNs,
    LIMIT_SOURCES.commitP99,
    'no commit stream (--commit)',
  );
}

/** No step change and no sustained stretch above the limit in the per-second sync p99. */
export function overTimeCheck(report: StepReport, limitNs: number): Check {
  const base = {
    id: 'latency-over-time',
    title: 'sync p99 over time',
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
  const first = report.findings[0];
  if (!first)
    return {
      ...base,
      measured: report.baselineP99Ns,
      status: 'pass',
      note:
        `no step and no stretch above the limit (baseline: the lowest ${report.baselineSeconds} s stretch, ` +
        `from second ${report.baselineStartSecond}; detects ${report.detectable})`,
    };
  const what = first.kind === 'step' ? 'a step up from the baseline' : 'a stretch above the limit';
  return {
    ...base,
    measured: first.medianP99Ns,
    status: 'fail',
    note: `${what} began at second ${first.startSecond} and lasted ${first.seconds} s`,
  };
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
export function stallCheck(streams: LatencySummary[], t: RaftTiming): Check {
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

const ms = (ns: number) => `${+(ns / 1e6).toFixed(3)} ms`;

/** The run passes when its main check passed and no check failed (not-run checks neither pass nor fail it). */
export function runPassed(checks: Check[]): boolean {
  return checks[0]?.status === 'pass' && !checks.some((c) => c.status === 'fail');
}
