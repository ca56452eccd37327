// What every graded rule and every letter is, shared by the results that carry
// them (disk, load, qualify, observe, labs) and the grade that makes them: a
// leaf, so a result and its grading never import each other.
import type { Cause } from './attribution.js';

/** One graded rule: what was measured, against what, from where. */
export interface Check {
  id: string;
  title: string;
  /**
   * What measured and limit count: nanoseconds, requests, requests or operations per second, or events (leader changes,
   * proposals).
   */
  unit: 'ns' | 'requests' | 'requests/s' | 'ops/s' | 'events';
  /** How measured must compare with limit to pass. */
  comparison: '<' | '<=' | '>' | '>=';
  /** null when the check could not run (then status is 'not-run'). */
  measured: number | null;
  limit: number;
  /**
   * warn: an advisory limit missed; it neither passes nor fails the run. inconclusive: the limit was missed
   * while something other than the disk limited the figure (`cause` says what): not evidence against the disk.
   */
  status: 'pass' | 'fail' | 'warn' | 'not-run' | 'inconclusive';
  /** For a missed limit: what the figure belongs to (grade/attribution-rules.ts). */
  cause?: Cause;
  /** A failure at or above this is severe (grade F), e.g. a stall as long as etcd's election timeout. */
  severeAt?: number;
  source: string;
  note?: string;
  /** Where the value was read from a bucket histogram (etcd's /metrics): the bucket it falls in, e.g. "8-16 ms". */
  range?: string;
  /** How many observations the figure was judged on, and the fewest a pass needs (below it: not run). */
  observations?: number;
  minObservations?: number;
}

export type Letter = 'A' | 'B' | 'C' | 'D' | 'F';

export interface Grade {
  /** null when the sync check did not run: there is nothing to grade. */
  letter: Letter | null;
  reason: string;
  /** No letter because the main figure was limited by something other than the disk: what. */
  limitedBy?: Exclude<Cause, 'disk'>;
}
