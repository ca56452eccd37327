// A report's fdatasync distribution as slowfs replays it: the recorded values
// of its HDR histogram, each less what this disk and FUSE already add (the
// floor measured here first), merged into at most `maxBins` bins of nearby
// values (their weighted mean, their summed count), as [delay us, weight]
// pairs for slowfs' dist= setting; and the figures a replay is compared by.
import type hdr from 'hdr-histogram-js';
import { decodeHistogram } from '../stats/histogram.js';

type Iterable = hdr.Histogram & {
  recordedValuesIterator: {
    reset(): void;
    hasNext(): boolean;
    next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
  };
  destroy(): void;
};

/** The recorded values of an encoded histogram, [value ns, count], ascending. */
export function recordedValues(encoded: string): [number, number][] {
  const h = decodeHistogram(encoded) as unknown as Iterable;
  try {
    const out: [number, number][] = [];
    const it = h.recordedValuesIterator;
    it.reset();
    while (it.hasNext()) {
      const v = it.next();
      if (v.countAtValueIteratedTo > 0) out.push([v.valueIteratedTo, v.countAtValueIteratedTo]);
    }
    return out;
  } finally {
    h.destroy();
  }
}

/**
 * slowfs bins for a distribution of [value ns, count]: each value less `floorNs` (never below 0), in us, merged so
 * that at most `maxBins` remain: values within a constant ratio of a bin's first join it.
 */
export function replayBins(values: [number, number][], floorNs: number, maxBins = 256): [number, number][] {
  const shifted = values.map(([ns, n]) => [Math.max(0, ns - floorNs) / 1e3, n] as [number, number]);
  if (shifted.length <= maxBins) return shifted.map(([us, n]) => [Math.round(us), n]);
  const lo = Math.max(1, shifted.find(([us]) => us > 0)?.[0] ?? 1);
  const hi = Math.max(lo, shifted[shifted.length - 1]![0]);
  // Bins of a constant ratio, the smallest that leaves at most maxBins (a zero-delay bin of its own first).
  const ratio = Math.max(1.001, (hi / lo) ** (1 / (maxBins - 2)));
  const bins: [number, number][] = [];
  let start = -1;
  let sum = 0;
  let count = 0;
  const close = () => {
    if (count > 0) bins.push([Math.round(sum / count), count]);
    sum = 0;
    count = 0;
  };
  for (const [us, n] of shifted) {
    const joins = count > 0 && (start === 0 ? us === 0 : us <= start * ratio);
    if (!joins) {
      close();
      start = us;
    }
    sum += us * n;
    count += n;
  }
  close();
  return bins;
}

export interface DistFigures {
  count: number;
  p50Ns: number;
  p99Ns: number;
  p999Ns: number;
  maxNs: number;
}

/** The nearest-rank percentiles and the maximum of [value ns, count] (ascending). */
export function distFigures(values: [number, number][]): DistFigures {
  const count = values.reduce((a, [, n]) => a + n, 0);
  const at = (q: number) => {
    const rank = Math.max(1, Math.ceil(q * count));
    let seen = 0;
    for (const [ns, n] of values) {
      seen += n;
      if (seen >= rank) return ns;
    }
    return values[values.length - 1]?.[0] ?? 0;
  };
  return { count, p50Ns: at(0.5), p99Ns: at(0.99), p999Ns: at(0.999), maxNs: values[values.length - 1]?.[0] ?? 0 };
}
