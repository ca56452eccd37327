// The shape of a `disk` run's result: the one object every view (text, JSON)
// renders. Units are in the field names.
import type { LiveEtcdBeside } from '../etcd/shared-etcd-watch.js';
import type { LiveEtcdGuardRecord } from '../run/live-etcd-guard.js';
import type { Range } from '../options/spec.js';
import type { RunHeader } from '../run/header.js';
import type { Check, Grade } from '../verdict/check.js';
import type { Attribution } from '../verdict/attribution.js';
import type { HostEvidence } from '../host/host-sampler.js';
import type { DeviceFacts } from '../host/block-device.js';
import type { MountFacts } from '../host/mountinfo.js';
import type { HostFacts } from '../host/host-facts.js';
import type { JsThreadPolicy } from './yield-to-writer.js';
import type { ValueSource } from '../options/resolve.js';
import type { DiskStats, DiskStream } from '../stats/disk-recorder.js';
import type { StepReport } from '../stats/step-detector.js';
import type { LatencySummary } from '../stats/summary.js';
import type { WindowRow } from '../stats/windows.js';
import type { EngineName, PrepareMode, SyncMethod } from './engine.js';
import type { DeviceIo } from '../host/device-io.js';
import type { BurstForecast } from '../verdict/burst.js';
import type { SlowOp } from './slow-ops.js';

export const DISK_RESULT_SCHEMA = 'etcd-disk-bench/disk-result@4';
export const OLDER_DISK_SCHEMAS = ['etcd-disk-bench/disk-result@3'];

export interface DiskWorkload {
  mode: 'seq' | 'wal';
  /** seq mode: the block; wal mode: null (records vary, see wal). */
  blockSize: number | null;
  /** seq: bytes of the file; wal: bytes to write when no runtime is set. */
  fileSize: number;
  syncMethod: SyncMethod;
  syncEvery: number;
  direct: boolean;
  /** How the measured file was laid out; WAL segments are always fallocated. */
  prepare: PrepareMode;
  timeBased: boolean;
  runtimeNs: number;
  rateOpsPerSec: number;
  /** 'open' when paced by --rate (response times recorded), else 'closed'. */
  loop: 'open' | 'closed';
  wal: { segmentBytes: number; recordBytes: Range; batchRecords: Range; keepSegments: number } | null;
  commit: { intervalNs: number; pages: Range; pageBytes: number } | null;
  neighbours: { count: number; blockBytes: number; bytesPerSec: number; direct: boolean; fileBytes: number } | null;
}

export interface WalFacts {
  segments: number;
  cuts: number;
  dirFsyncs: number;
  records: number;
  purged: number;
  /**
   * Segments preallocated by extending with ftruncate, as etcd does where fallocate is not supported (absent in
   * older reports).
   */
  preallocFallbacks?: number;
  /**
   * One sample per cut: truncate, fdatasync, take the next segment, header records, fdatasync, rename, directory fsync.
   */
  cut: LatencySummary;
  /** The cuts per second of the run (count, and how long they took): where they happened (absent in older reports). */
  timeSeries?: WindowRow[];
  /** Each fsync of a cut besides the tail's: the new segment's header fdatasync and the directory fsync. */
  cutSyncs: LatencySummary;
  /**
   * Every fsync as etcd counts it in etcd_disk_wal_fsync_duration_seconds: each batch's fdatasync plus the
   * cuts' header and directory fsyncs; its encoded histogram, for re-bucketing as etcd's buckets.
   */
  etcdFsync: LatencySummary;
  etcdFsyncHistogram: string;
}

export interface CommitFacts {
  commits: number;
  /** Ticks in the measured time: commits that would have run on an idle disk. */
  expectedCommits: number;
  latency: Record<DiskStream, LatencySummary>;
  timeSeries: WindowRow[];
  histogram: string;
}

export interface NeighbourFacts {
  count: number;
  bytes: number;
  bytesPerSec: number;
  each: { bytes: number; bytesPerSec: number }[];
}

/** One method of a --sync-methods comparison. */
export interface MethodResult {
  method: string;
  syncMethod: SyncMethod;
  direct: boolean;
  ops: number;
  iops: number;
  latency: Pick<DiskStats['summaries'], 'write' | 'sync' | 'op'>;
  /** p50/p99 of whatever makes the write durable (sync, or write() under O_DSYNC/O_SYNC). */
  durableP50Ns: number | null;
  durableP99Ns: number | null;
  note?: string;
}

export interface DiskResult extends RunHeader<typeof DISK_RESULT_SCHEMA> {
  /** The node this run is for (--node-name, default the host name; absent in results before it). */
  node?: string;
  target: {
    dir: string;
    runDir: string;
    fsType: string;
    logicalBlockSize: number | null;
    /** The mount holding dir (mountinfo), and the block devices under it (sysfs); null when there is none. */
    mount: MountFacts | null;
    device: DeviceFacts | null;
  };
  engine: EngineName;
  /** The machine: kernel, OS, CPU, memory, virtualisation. */
  host: HostFacts;
  options: Record<string, { value: unknown; source: ValueSource }>;
  workload: DiskWorkload;
  prepareNs: number;
  /**
   * scheduled/notIssued: with --rate and --runtime, the operations due before the end and those of them never
   * issued (their lateness is in the response stream); otherwise scheduled = ops.
   */
  totals: {
    ops: number;
    bytes: number;
    syncs: number;
    elapsedNs: number;
    iops: number;
    bytesPerSec: number;
    scheduled: number;
    notIssued: number;
  };
  /**
   * Context switches of the measuring thread (native engine). An involuntary
   * one means the scheduler preempted it, and that wait is inside a sample.
   */
  writerThread: {
    voluntarySwitches: number;
    involuntarySwitches: number;
    /**
     * The JS thread's scheduling policy while the writer ran: 'idle' (SCHED_IDLE) when it yielded the CPU to the
     * writer, 'idle-until-starved' when a saturated host left it no CPU and it went back to SCHED_OTHER, null when
     * it was left as it was (src/disk/yield-to-writer.ts). Absent in reports from before 2026-12-07, some of
     * which carry jsThreadNice instead (5 when the thread ran at nice 5).
     */
    jsThreadPolicy?: JsThreadPolicy;
  } | null;
  /**
   * Which stream carries the durability cost: sync for fdatasync/fsync, write for O_DSYNC/O_SYNC, none without sync.
   */
  durableStream: 'sync' | 'write' | null;
  /** The measured writer: seq ops, or WAL batches (write = the batch's write(), sync = its fdatasync). */
  latency: DiskStats['summaries'];
  timeSeries: DiskStats['timeSeries'];
  histograms: DiskStats['histograms'];
  wal: WalFacts | null;
  commit: CommitFacts | null;
  neighbours: NeighbourFacts | null;
  /** Step changes and stretches above the limit in the per-second sync p99. */
  stepChange: StepReport;
  /**
   * The measured writer's operations of 50 ms or more (the longest 100), each with the CPU wait measured inside it
   * (absent in older results).
   */
  slowOps?: SlowOp[];
  /** --sync-methods: every method side by side (the main fields describe the first). */
  methods: MethodResult[] | null;
  checks: Check[];
  /**
   * Host evidence sampled each second of the run: CPU busy, steal, pressure, memory, the writer threads' run-queue
   * wait.
   */
  hostEvidence: HostEvidence;
  /** What the target's devices did over the phase, from /proc/diskstats (absent in results before it). */
  deviceIo?: DeviceIo;
  /** The burst-credit forecast of --volume at this phase's own device writes; null without --volume. */
  burst?: BurstForecast | null;
  /** What a failing figure belongs to: the measured writer's figures, and the commit stream's. */
  attribution: { writer: Attribution; commit: Attribution | null };
  /** The letter the checks add up to (A-C pass, D-F fail), with why. */
  grade: Grade;
  passed: boolean;
  warnings: string[];
  /** --allow-live-etcd: the live etcds that shared the disk, with their own figures during the run. */
  /** What the live-etcd guard saw (the etcd processes, their directories and devices) and decided. */
  liveEtcdGuard?: LiveEtcdGuardRecord;
  liveEtcd?: LiveEtcdBeside[];
  error?: { message: string; code?: string; errno?: number; syscall?: string; path?: string };
}
