// Puts an exact HDR histogram into another's buckets: our own WAL fsync
// samples counted in etcd's etcd_disk_wal_fsync_duration_seconds buckets, so
// our figure and etcd's are read the same way (the same bucket, the same
// interpolation) and compared bucket for bucket.
import type hdr from 'hdr-histogram-js';
import type { BucketHistogram } from './bucket-histogram.js';
import { decodeHistogram } from './histogram.js';

/** Cumulative counts of the encoded histogram at each upper bound (seconds, ascending, +Inf last). */
export function rebucket(encoded: string, boundsSeconds: number[]): BucketHistogram {
  const h = decodeHistogram(encoded) as unknown as hdr.Histogram & {
    recordedValuesIterator: {
      reset(): void;
      hasNext(): boolean;
      next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
    };
    lowestEquivalentValue(v: number): number;
  };
  const counts = boundsSeconds.map(() => 0);
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    // A value belongs to the first bucket whose bound is >= it (Prometheus "le"); HDR keeps 3 significant
    // digits, so a sample is placed by the lowest value its HDR bucket stands for (2 ms exactly is <= 2 ms).
    const value = h.lowestEquivalentValue(v.valueIteratedTo);
    const i = boundsSeconds.findIndex((b) => value <= b * 1e9);
    counts[i === -1 ? counts.length - 1 : i]! += v.countAtValueIteratedTo;
  }
  let run = 0;
  const cumulative = counts.map((c) => (run += c));
  return { bounds: boundsSeconds, cumulative, count: run, sum: 0 };
}
