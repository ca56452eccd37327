// A histogram as Prometheus exposes it (etcd's /metrics): cumulative counts
// per upper bound, the shape the stats read buckets from.

/** A histogram: cumulative counts per upper bound (seconds), +Inf last. */
export interface BucketHistogram {
  bounds: number[];
  cumulative: number[];
  count: number;
  sum: number;
}
