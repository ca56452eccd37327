// Finds what a burst-credit volume looks like in a latency time series: a
// sustained step up from the run's lowest stable level, or a sustained stretch
// above the sync limit, and says when it began. A second in which nothing completed
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
  /** Length of the baseline stretch (ns; capped at a sixth of the run, at least 3 s). */
  baselineSeconds: number;
}

export interface StepFinding {
  kind: 'step' | 'above-limit';
  /** Second of the run at which it began. */
  startSecond: number;
  seconds: number;
  /** Median per-second p99 during the stretch (null when every second stalled). */
  medianP99Ns: number | null;
  /** The level the stretch crossed: the limit, or the step's threshold (factor x baseline, at least the floor). */
  levelNs: number;
}

export interface StepReport {
  /** False when the run was too short to judge; `reason` says why. */
  judged: boolean;
  reason?: string;
  baselineSeconds: number;
  baselineP99Ns: number | null;
  /** Where the baseline (the run's lowest stable stretch) began. */
  baselineStartSecond: number | null;
  findings: StepFinding[];
  /** What this run could detect, in words (a short run says how little). */
  detectable: string;
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

/** Seconds at the start left out of the baseline and the search: the first one is partial and warms up. */
export const SKIP_SECONDS = 1;

/**
 * The baseline stretch's length: --step-baseline, at most a sixth of the run (so a step has room after it), at least 3
 * s.
 */
function baselineLength(o: StepOptions, seconds: number): number {
  return Math.max(3, Math.min(Math.round(o.baselineSeconds / 1e9), Math.floor(seconds / 6)));
}

/**
 * Looks for steps and stretches above the limit in per-second sync rows. The
 * baseline is the run's lowest stable stretch (the lowest median over any
 * window of the baseline's length), so a step that comes early, even in the
 * first seconds, is found: a sustained level `factor` times that baseline.
 */
export function detectSteps(rows: WindowRow[], o: StepOptions): StepReport {
  const values = rows.map((r) => (r.count === 0 || r.p99Ns === null ? Infinity : r.p99Ns));
  const usable = values.length - SKIP_SECONDS;
  const baselineSeconds = baselineLength(o, usable);
  const detectable =
    `a level ${o.factor}x the run's lowest ${baselineSeconds} s stretch (and at least ` +
    `${o.floorNs / 1e6} ms), lasting ${o.minSeconds} s or more, anywhere after second ${SKIP_SECONDS}`;
  if (usable < baselineSeconds + o.minSeconds)
    return {
      judged: false,
      baselineSeconds,
      baselineP99Ns: null,
      baselineStartSecond: null,
      findings: [],
      detectable,
      reason:
        `needs at least ${SKIP_SECONDS + baselineSeconds + o.minSeconds} s of samples (a ${baselineSeconds} ` +
        `s baseline and a ${o.minSeconds} s stretch after the first ${SKIP_SECONDS} s); the run had ${values.length} s`,
    };
  let baselineP99Ns: number | null = null;
  let baselineStartSecond: number | null = null;
  for (let s = SKIP_SECONDS; s + baselineSeconds <= values.length; s++) {
    const m = median(values.slice(s, s + baselineSeconds));
    if (m !== null && (baselineP99Ns === null || m < baselineP99Ns)) [baselineP99Ns, baselineStartSecond] = [m, s];
  }
  const findings: StepFinding[] = [];
  for (const [start, seconds] of stretches(values, SKIP_SECONDS, o.minSeconds, (v) => v > o.limitNs))
    findings.push({
      kind: 'above-limit',
      startSecond: start,
      seconds,
      medianP99Ns: median(values.slice(start, start + seconds)),
      levelNs: o.limitNs,
    });
  if (baselineP99Ns !== null) {
    const stepAt = Math.max(baselineP99Ns * o.factor, o.floorNs);
    for (const [start, seconds] of stretches(values, SKIP_SECONDS, o.minSeconds, (v) => v >= stepAt))
      findings.push({
        kind: 'step',
        startSecond: start,
        seconds,
        medianP99Ns: median(values.slice(start, start + seconds)),
        levelNs: stepAt,
      });
  }
  findings.sort((a, b) => a.startSecond - b.startSecond || a.kind.localeCompare(b.kind));
  return { judged: true, baselineSeconds, baselineP99Ns, baselineStartSecond, findings, detectable };
}
