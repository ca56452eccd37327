// The configs of the etcd-shaped native workloads, field for field what
// native/src/config_from_js.cc reads. Sizes in bytes, times in ns.

/** The WAL writer: etcd's segments, framing, batches and cuts. */
export interface WalConfig {
  dir: string;
  segmentBytes: number;
  recordMin: number;
  recordMax: number;
  batchMin: number;
  batchMax: number;
  durationNs: number;
  totalBytes: number;
  rateOpsPerSec: number;
  keepSegments: number;
  seed?: number;
  /** Hand the batches over folded, a chunk per second (stats/folded.ts), and hand-over after this long. */
  fold?: boolean;
  flushIntervalNs?: number;
}

/** The backend-commit stream: bbolt's page writes and two fdatasyncs per commit. */
export interface CommitConfig {
  path: string;
  intervalNs: number;
  pagesMin: number;
  pagesMax: number;
  growBytes?: number;
  maxBytes?: number;
  durationNs?: number;
}

/** A noisy neighbour: large sequential writes to its own file. */
export interface NeighbourConfig {
  path: string;
  blockBytes: number;
  fileBytes: number;
  bytesPerSec: number;
  direct: boolean;
  durationNs?: number;
}
