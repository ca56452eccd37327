// The slow operations a native writer reports beside its samples ("slowop",
// native/src/slow_op_watch.h): each one's CPU wait measured inside it, so a
// stall can be weighed against the wait it actually held, not the seconds
// around it.
import { S_RESPONSE, S_SERVICE, S_START, S_SYNC, S_WRITE, SAMPLE_STRIDE } from '../stats/samples.js';

/** One operation at least 50 ms long, and what its thread's schedstat said across it. */
export interface SlowOp {
  /** Start, from the run's start. */
  startNs: number;
  durationNs: number;
  /** Run-queue wait inside it, at most (from the last reading before it began). */
  cpuWaitNs: number;
  /** Time on a CPU inside it, at most. */
  runNs: number;
  /** How long before the start that reading was: the part of the wait figure that may precede the operation. */
  slackNs: number;
}

/** The most kept per phase: the longest. */
export const MAX_SLOW_OPS = 100;

/** Decodes a "slowop" batch (the sample layout reused: start, duration, wait, run, slack). */
export function slowOpsOf(batch: Float64Array): SlowOp[] {
  const out: SlowOp[] = [];
  for (let i = 0; i + SAMPLE_STRIDE <= batch.length; i += SAMPLE_STRIDE)
    out.push({
      startNs: batch[i + S_START]!,
      durationNs: batch[i + S_WRITE]!,
      cpuWaitNs: Math.max(0, batch[i + S_SYNC]!),
      runNs: Math.max(0, batch[i + S_SERVICE]!),
      slackNs: Math.max(0, batch[i + S_RESPONSE]!),
    });
  return out;
}

/** Keeps the longest MAX_SLOW_OPS, longest first. */
export function keepLongest(ops: SlowOp[]): SlowOp[] {
  return [...ops].sort((a, b) => b.durationNs - a.durationNs).slice(0, MAX_SLOW_OPS);
}
