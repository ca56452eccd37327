// What `lab burst-credits` returns: the bucket, the forecast and when it
// emptied, etcd before and after, the elections, and a line per second
// (credits taken, credits left, etcd's WAL fsync p99), with the load's result.
import type { LoadResult } from '../load/load-result.js';
import type { RunHeader } from '../run/header.js';

export const BURST_LAB_SCHEMA = 'etcd-disk-bench/lab-burst-credits@1';

export interface BurstSecond {
  second: number;
  /** Credits taken in this second (writes and fsyncs through slowfs), on the busiest member's bucket. */
  credits: number;
  /** The lowest bucket's level at the end of the second. */
  creditsLeft: number;
  /** The worst member's WAL fsync p99 over the second (interpolated in etcd's buckets), ms. */
  walFsyncP99Ms: number | null;
}

export interface BurstLabResult extends RunHeader<typeof BURST_LAB_SCHEMA> {
  target: { dir: string; fsType: string };
  etcdVersion: string;
  bucket: {
    creditsFull: number;
    baselineIops: number;
    /** The volume's ceiling while credits last, operations a second (0: none; absent before it existed). */
    burstIops?: number;
    /** Credits a second taken in the first FORECAST_SECONDS of load, on the busiest bucket. */
    demandIops: number | null;
    forecastEmptySecond: number | null;
    emptiedAtSecond: number | null;
    walFsyncP99BeforeMs: number | null;
    walFsyncP99AfterMs: number | null;
  };
  elections: { leaderChanges: number; inLogs: number };
  timeline: BurstSecond[];
  load: LoadResult;
  warnings: string[];
}
