// Counts of one latency stream in doubling buckets (32 us, 64 us, ... 524 ms,
// then everything slower): the coarse shape of a distribution for a live
// histogram panel. Sixteen counters, whatever the number of samples.

/** Upper edges in ns: 32 us * 2^k for k = 0..14; the last bucket has no edge. */
export const BUCKET_EDGES_NS: readonly number[] = Array.from({ length: 15 }, (_, k) => 32_000 * 2 ** k);

export class LogBuckets {
  readonly counts: number[] = new Array<number>(BUCKET_EDGES_NS.length + 1).fill(0);

  record(ns: number): void {
    const k = ns <= 32_000 ? 0 : Math.min(BUCKET_EDGES_NS.length, Math.ceil(Math.log2(ns / 32_000)));
    this.counts[k]!++;
  }

  /** Adds counts kept bucket by bucket (a folded chunk's, stats/folded.ts), from `at` in `from`. */
  addCounts(from: Float64Array, at: number): void {
    for (let k = 0; k < this.counts.length; k++) this.counts[k]! += from[at + k]!;
  }
}
