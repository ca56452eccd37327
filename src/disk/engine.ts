// What a disk writer engine is: given a config, it writes on its own schedule
// and reports sample batches, then a summary or an fs-style error. The native
// addon and the plain-JS writer both implement it.
import type { SystemErrorLike } from '../core/errors.js';
import type { SyncMethod } from '../options/sync-method.js';
import type { CounterName } from '../native/abi.js';

export type { SyncMethod };

export type PrepareMode = 'fallocate' | 'truncate' | 'none' | 'overwrite';
export type EngineName = 'native' | 'js';

/** Exactly what a writer needs; the addon reads these fields by name. */
export interface WriterConfig {
  path: string;
  blockSize: number;
  fileSize: number;
  timeBased: boolean;
  durationNs: number;
  syncMethod: SyncMethod;
  syncEvery: number;
  direct: boolean;
  prepare: PrepareMode;
  /** fio's fallocate= mode for prepare 'fallocate' (default native). */
  fallocate?: 'native' | 'posix' | 'keep' | 'truncate' | 'none';
  /** fio's invalidate: drop the page cache at open and on each wrap (default true). Native only. */
  invalidate?: boolean;
  /** fio's end_fsync (default false). */
  endFsync?: boolean;
  rateOpsPerSec: number;
  /** Native only: hand samples to JS after this many ops (default 4096)... */
  batchOps?: number;
  /** ...or after this long (default 10 ms). Benchmarks set 1 to measure per-op hand-over. */
  flushIntervalNs?: number;
  /** Native only: hand the operations over folded, a chunk per second (stats/folded.ts), via onFolded. */
  fold?: boolean;
}

export interface WriterSummary {
  ops: number;
  bytes: number;
  syncs: number;
  prepareNs: number;
  /** First op's start to last op's end. */
  elapsedNs: number;
  /** True when stop() ended the run early. */
  stopped: boolean;
  /** Writer-specific counts, by the names native/abi.ts declares (segments, cuts, pagesWritten, ...). */
  extra?: Partial<Record<CounterName, number>>;
}

export interface WriterHandlers {
  /** The file is laid out; the clock starts now. `tid`: the writing thread's Linux id (schedstat). */
  onPrepared?(prepareNs: number, tid: number): void;
  /**
   * A batch of operations (see samples.ts for the layout); `stream` is 'seq' for the measured operations and
   * 'slowop' for the writer's slow ones (slow-ops.ts). The batch is valid during the call only: the native engine
   * copies every batch into one reused buffer (js_events.cc), so a handler that keeps samples copies them.
   */
  onSamples(batch: Float64Array, stream: 'seq' | 'slowop'): void;
  /** With `fold` (native only): a chunk of operations folded (stats/folded.ts); valid during the call only. */
  onFolded?(chunk: Float64Array, stream: 'seq'): void;
}

/** A running writer. `done` rejects with a SystemErrorLike (plus `summary`) on a syscall failure. */
export interface WriterHandle {
  stop(): void;
  readonly done: Promise<WriterSummary>;
}

export interface Engine {
  readonly name: EngineName;
  start(config: WriterConfig, handlers: WriterHandlers): WriterHandle;
}

/** The error a writer rejects with: an fs-style error plus what was done before it. */
export type WriterError = SystemErrorLike & { summary?: WriterSummary };
