// The shape of a `qualify` report: one JSON object with every phase's full
// result (summaries, encoded HDR histograms, time series), the checks drawn
// from them, the letter and the verdict. schema/qualify-report.schema.json
// describes it; every view (text, Markdown, fio JSON, compare) reads it.
import type { Check, Grade } from '../verdict/check.js';
import type { DiskResult } from '../disk/disk-result.js';
import type { WalAgreement } from './wal-agreement.js';
import type { LiveEtcdBeside } from '../etcd/shared-etcd-watch.js';
import type { LiveEtcdGuardRecord } from '../run/live-etcd-guard.js';
import type { LoadResult } from '../load/load-result.js';
import type { DeviceFacts } from '../host/block-device.js';
import type { HostFacts } from '../host/host-facts.js';
import type { MountFacts } from '../host/mountinfo.js';
import type { ValueSource } from '../options/resolve.js';
import type { RunHeader } from '../run/header.js';
import type { BurstForecast } from '../verdict/burst.js';
import type { LikeSection } from '../like/size-load.js';

export const QUALIFY_REPORT_SCHEMA = 'etcd-disk-bench/qualify-report@2';
/** Earlier report versions `report` still reads (their newer fields are absent). */
export const OLDER_QUALIFY_SCHEMAS = ['etcd-disk-bench/qualify-report@1'];

export type PhaseName = 'fio' | 'wal' | 'etcd';

/**
 * done: ran to the end; failed: the environment failed it; interrupted: a signal; not-run: never started (why in
 * reason).
 */
export type PhaseStatus = 'done' | 'failed' | 'interrupted' | 'not-run';

export interface Phase<R> {
  status: PhaseStatus;
  /** What the phase does, in a line. */
  title: string;
  reason?: string;
  /** What would let a phase that did not run run (e.g. how to get etcd): said where the phase is listed, once. */
  hint?: string;
  result: R | null;
}

export interface QualifyReport extends RunHeader<typeof QUALIFY_REPORT_SCHEMA> {
  /** The node the report is for (--node-name; absent: the host name); from @2, optional. */
  node?: string;
  /** The command line as one shell-quoted string, to paste and run again. */
  commandLine: string;
  host: HostFacts;
  target: { dir: string; fsType: string; mount: MountFacts | null; device: DeviceFacts | null };
  options: Record<string, { value: unknown; source: ValueSource }>;
  /** The etcd binary of the etcd phase and its version; null when none was found. */
  /** The local etcd's binary, its version and where it came from (absent in reports before it: source). */
  etcd: { bin: string; version: string; source?: string } | null;
  phases: { fio: Phase<DiskResult>; wal: Phase<DiskResult>; etcd: Phase<LoadResult> };
  checks: Check[];
  grade: Grade;
  /** The WAL phase's fsyncs in etcd's own buckets next to etcd's figure (null without both); from @2. */
  walAgreement?: WalAgreement | null;
  /** The burst-credit forecast of --volume from the etcd phase's device writes; null without it (absent before). */
  burst?: BurstForecast | null;
  /** --like: the cluster history the etcd phase was sized from, every figure with its query; null without it. */
  like?: LikeSection | null;
  verdict: {
    /** A-C with a complete run. */
    passed: boolean;
    /** One paragraph: the answer, the reasons, and what it rests on. */
    text: string;
  };
  warnings: string[];
  /** --allow-live-etcd: the live etcds that shared the disk, with their own figures over the whole run. */
  /** What the live-etcd guard saw (the etcd processes, their directories and devices) and decided. */
  liveEtcdGuard?: LiveEtcdGuardRecord;
  liveEtcd?: LiveEtcdBeside[];
}
