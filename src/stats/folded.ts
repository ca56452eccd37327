// A writer's operations folded into a chunk per second (native/src/fold.h):
// each latency column as (value, count) pairs, every value the lowest of its
// histogram bucket, with the exact minimum and maximum beside them. Recorded
// here, a chunk gives the histograms, windows and log buckets its operations
// would have given one by one, for a few thousand calls a second instead of
// several per operation on the JS thread, which the writer shares a CPU with.
import type { LatencyHistogram } from './histogram.js';
import type { SecondWindows } from './windows.js';

/** The header: the second the chunk's operations completed in (from the run's start)... */
export const F_SECOND = 0;
/** ...the second of the operation that closed it, or -1 when it was handed over mid-second... */
export const F_NEXT_SECOND = 1;
/** ...how many operations it holds, and the last one's end (ns from the run's start). */
export const F_OPS = 2;
export const F_LAST_END = 3;
export const F_HEADER = 4;
/** Each column: its pairs, its values (the pairs' counts plus min and max), min, max (-1: none), then the pairs. */
const COLUMN_HEAD = 4;

/**
 * Records the column at `at` of `chunk` into `hist` and, when given, `window` (in `second`); returns where the next
 * column starts.
 */
export function recordColumn(
  chunk: Float64Array,
  at: number,
  hist: LatencyHistogram,
  window: SecondWindows | null,
  second: number,
): number {
  const values = chunk[at + 1]!;
  const end = at + COLUMN_HEAD + 2 * chunk[at]!;
  for (let i = at + COLUMN_HEAD; i < end; i += 2) {
    hist.recordCount(chunk[i]!, chunk[i + 1]!);
    window?.recordCount(second, chunk[i]!, chunk[i + 1]!);
  }
  for (let k = 0; k < values && k < 2; k++) {
    const ns = chunk[at + 2 + k]!;
    hist.record(ns);
    window?.recordCount(second, ns, 1);
  }
  return end;
}
