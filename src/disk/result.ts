// The shape of a `disk` run's result: the one object every view (text, JSON)
// renders. Units are in the field names.
import type { ValueSource } from '../options/resolve.js';
import type { DiskStats } from '../stats/disk-recorder.js';
import type { EngineName, PrepareMode, SyncMethod } from './engine.js';

export const DISK_RESULT_SCHEMA = 'etcd-disk-bench/disk-result@1';

/** One graded rule: what was measured, against what, from where. */
export interface Check {
  id: string;
  title: string;
  /** null when the check could not run (then status is 'not-run'). */
  measuredNs: number | null;
  limitNs: number;
  status: 'pass' | 'fail' | 'not-run';
  source: string;
  note?: string;
}

export interface DiskWorkload {
  blockSize: number;
  fileSize: number;
  syncMethod: SyncMethod;
  syncEvery: number;
  direct: boolean;
  prepare: PrepareMode;
  timeBased: boolean;
  runtimeNs: number;
  rateOpsPerSec: number;
  /** 'open' when paced by --rate (response times recorded), else 'closed'. */
  loop: 'open' | 'closed';
}

export interface DiskResult {
  schema: typeof DISK_RESULT_SCHEMA;
  tool: { name: string; version: string };
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** False when the run was interrupted or failed; `incompleteReason` says why. */
  complete: boolean;
  incompleteReason?: string;
  argv: string[];
  target: { dir: string; runDir: string; file: string; fsType: string; logicalBlockSize: number | null };
  engine: EngineName;
  profile: { name: string; file: string; description: string } | null;
  options: Record<string, { value: unknown; source: ValueSource }>;
  workload: DiskWorkload;
  prepareNs: number;
  totals: { ops: number; bytes: number; syncs: number; elapsedNs: number; iops: number; bytesPerSec: number };
  /** Which stream carries the durability cost: sync for fdatasync/fsync, write for O_DSYNC/O_SYNC, none without sync. */
  durableStream: 'sync' | 'write' | null;
  latency: DiskStats['summaries'];
  timeSeries: DiskStats['timeSeries'];
  histograms: DiskStats['histograms'];
  checks: Check[];
  passed: boolean;
  warnings: string[];
  error?: { message: string; code?: string; errno?: number; syscall?: string; path?: string };
}
