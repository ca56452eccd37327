// The one event stream every phase emits and every view reads: phase-start,
// a tick once a second, warnings, phase-end. Views subscribe to it and never
// reach into a workload; the numbers in a tick come from the stats and grade
// modules, so a view only formats.
import type { Check, Letter } from '../verdict/check.js';
import type { LiveSummary } from '../stats/summary.js';
import type { WindowRow } from '../stats/windows.js';

export interface PhaseStartEvent {
  type: 'phase-start';
  /** disk, load or qualify. */
  command: string;
  /** fio, wal, etcd for qualify; the command's name otherwise. */
  phase: string;
  index: number;
  of: number;
  title: string;
  /** 0 when the phase ends on a size or a count rather than a time. */
  plannedNs: number;
  /** What is being measured: the directory (and device) or the endpoints. */
  target: string;
  profile: string | null;
}

/** One latency stream as it stands: the last closed second and the run so far. */
export interface StreamNow {
  name: string;
  lastSecond: WindowRow | null;
  total: LiveSummary;
  /** The bound this stream is judged by (views mark values at or above it); null when none. */
  limitNs: number | null;
}

/** etcd's own numbers so far (from /metrics), worst member. */
export interface ServerNow {
  walFsyncP99: string | null;
  backendCommitP99: string | null;
  leaderChanges: number | null;
  failedProposals: number | null;
  /** 0 when a member was seen without a leader. */
  hasLeader: number | null;
}

/** One observed member as it stands (observe): etcd's own figures over the window so far, as bucket ranges. */
export interface MemberNow {
  name: string;
  walFsyncP99: string | null;
  /** Over the latest interval only. */
  lastWalFsyncP99: string | null;
  backendCommitP99: string | null;
  peerRttP99: string | null;
  leaderChanges: number | null;
  letter: Letter | null;
}

export interface TickEvent {
  type: 'tick';
  phase: string;
  elapsedNs: number;
  plannedNs: number;
  /** Operations (or requests) completed so far, and in the last closed second. */
  ops: number;
  opsLastSecond: number | null;
  errors: number;
  streams: StreamNow[];
  /** The durable latency so far in doubling buckets (stats/log-buckets.ts), when the phase has one. */
  syncBuckets: number[] | null;
  /** The main stream's closed seconds (p99 and count each), the latest 120. */
  series: WindowRow[];
  /** The bound the series' p99 is judged by; null when none. */
  seriesLimitNs: number | null;
  server: ServerNow | null;
  /** observe: each member's figures (the streams are then empty: etcd's buckets are not our samples). */
  members?: MemberNow[];
  /** The checks as they stand, and the letter they are heading to. */
  checks: Check[];
  letter: Letter | null;
}

export interface WarningEvent {
  type: 'warning';
  message: string;
}

export interface PhaseEndEvent {
  type: 'phase-end';
  phase: string;
  status: string;
  reason?: string;
}

/** Which phase a run is, for its phase-start event. */
export interface PhaseLabel {
  command: string;
  phase: string;
  index: number;
  of: number;
  /** The profile to name in views (qualify's, not the phase's own). */
  profile?: string | null;
}

export type RunEvent = PhaseStartEvent | TickEvent | WarningEvent | PhaseEndEvent;
export type EventSink = (e: RunEvent) => void;
