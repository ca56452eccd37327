// How far a percentile is over a limit, in time: the least total delay that
// would have to come out of the slowest operations for the percentile to drop
// under the limit. The grader weighs it against the CPU wait measured beside
// the operations: a wait smaller than this cannot explain the miss.
import type hdr from 'hdr-histogram-js';
import { decodeHistogram } from './histogram.js';

export interface PercentileExcess {
  count: number;
  /** Operations at or above the limit. */
  atOrAbove: number;
  /** The fewest of them that must fall under the limit for the percentile to pass. */
  mustFall: number;
  /** The least delay (ns) that removes them: the sum of the smallest `mustFall` excesses over the limit. */
  requiredNs: number;
}

type Iterable = hdr.Histogram & {
  recordedValuesIterator: {
    reset(): void;
    hasNext(): boolean;
    next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
  };
  lowestEquivalentValue(v: number): number;
};

/** The excess of an encoded histogram's `percentile` (0-100) over `limitNs`. */
export function percentileExcess(encoded: string, limitNs: number, percentile = 99): PercentileExcess {
  const h = decodeHistogram(encoded) as unknown as Iterable;
  const above: [number, number][] = [];
  let count = 0;
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    count += v.countAtValueIteratedTo;
    const value = h.lowestEquivalentValue(v.valueIteratedTo);
    if (value >= limitNs) above.push([value, v.countAtValueIteratedTo]);
  }
  const atOrAbove = above.reduce((a, [, n]) => a + n, 0);
  // The percentile passes when no more than this many operations reach the limit.
  const allowed = Math.floor(((100 - percentile) / 100) * count);
  const mustFall = Math.max(0, atOrAbove - allowed);
  let left = mustFall;
  let requiredNs = 0;
  for (const [value, n] of above) {
    if (left === 0) break;
    const take = Math.min(left, n);
    // Just under the limit is enough: each must lose its excess plus a nanosecond.
    requiredNs += take * (value - limitNs + 1);
    left -= take;
  }
  return { count, atOrAbove, mustFall, requiredNs };
}
