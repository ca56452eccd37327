// Finds what a burst-credit volume looks like in a latency time series: a
// sustained step up from the first minute's p99, or a sustained stretch above
// the sync limit, and says when it began. A second in which nothing completed
// counts as infinitely slow (the disk stalled).
import type { WindowRow } from './windows.js';

export interface StepOptions {
  limitNs: number;
  /** A step is a p99 at least this many times the baseline's... */
  factor: number;
  /** ...and never below this, so jitter on a very fast disk is not a step. */
  floorNs: number;
  /** Consecutive seconds a step or a stretch above the limit must last. */
  minSeconds: number;
  /** Seconds at the start of the run that form the baseline. */
  baselineSeconds: number;
}

export interface StepFinding {
  kind: 'step' | 'above-limit';
  /** Second of the run at which it began. */
  startSecond: number;
  seconds: number;
  /** Median per-second p99 during the stretch (null when every second stalled). */
  medianP99Ns: number | null;
}

export interface StepReport {
  /** False when the run was too short to judge; `reason` says why. */
  judged: boolean;
  reason?: string;
  baselineSeconds: number;
  baselineP99Ns: number | null;
  findings: StepFinding[];
}

function median(xs: number[]): number | null {
  const finite = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return finite.length === 0 ? null : finite[Math.floor((finite.length - 1) / 2)]!;
}

/** Runs of consecutive seconds (from `from`) where `hit` holds, at least `min` long. */
function stretches(values: number[], from: number, min: number, hit: (v: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let s = from; s <= values.length; s++) {
    const on = s < values.length && hit(values[s]!);
    if (on && start < 0) start = s;
    if (!on && start >= 0) {
      if (s - start >= min) out.push([start, s - start]);
      start = -1;
    }
  }
  return out;
}

/** Looks for steps and stretches above the limit in per-second sync rows. */
export function detectSteps(rows: WindowRow[], o: StepOptions): StepReport {
  const values = rows.map((r) => (r.count === 0 || r.p99Ns === null ? Infinity : r.p99Ns));
  const baselineSeconds = Math.min(Math.round(o.baselineSeconds / 1e9), Math.floor(values.length / 3));
  if (baselineSeconds < 3 || values.length < baselineSeconds + o.minSeconds)
    return {
      judged: false, baselineSeconds, baselineP99Ns: null, findings: [],
      reason: `needs at least ${Math.max(3, baselineSeconds) + o.minSeconds} s of samples (a baseline and a ${o.minSeconds} s stretch); the run had ${values.length} s`,
    };
  const baselineP99Ns = median(values.slice(0, baselineSeconds));
  const findings: StepFinding[] = [];
  for (const [start, seconds] of stretches(values, 0, o.minSeconds, (v) => v > o.limitNs))
    findings.push({ kind: 'above-limit', startSecond: start, seconds, medianP99Ns: median(values.slice(start, start + seconds)) });
  if (baselineP99Ns !== null) {
    const stepAt = Math.max(baselineP99Ns * o.factor, o.floorNs);
    const first = stretches(values, baselineSeconds, o.minSeconds, (v) => v >= stepAt)[0];
    if (first) findings.push({ kind: 'step', startSecond: first[0], seconds: first[1], medianP99Ns: median(values.slice(first[0], first[0] + first[1])) });
  }
  findings.sort((a, b) => a.startSecond - b.startSecond || a.kind.localeCompare(b.kind));
  return { judged: true, baselineSeconds, baselineP99Ns, findings };
}
