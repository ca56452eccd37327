// What `lab replay-disk` found: the distribution it replayed and where from,
// this disk's own floor, the replay held against the original (our WAL phase
// on the replayed disk), and what a real etcd did on it under load.
import type { DiskResult } from '../disk/disk-result.js';
import type { LikeSection } from '../like/size-load.js';
import type { LoadResult } from '../load/load-result.js';
import type { RunHeader } from '../run/header.js';
import type { Check } from '../verdict/check.js';
import type { LogCounts } from './lab-result.js';
import type { DistFigures } from './replay-dist.js';

export const REPLAY_LAB_SCHEMA = 'etcd-disk-bench/replay-lab@1';

export type ReplayPhase = 'wal' | 'fio';

/** The distribution to replay and where it came from. */
export interface ReplaySource {
  file: string;
  schema: string;
  /** The node the report is for (its --node-name or host name), when it says. */
  node: string | null;
  startedAt: string;
  phase: ReplayPhase;
  /** The stream that paid for durability there: fdatasync/fsync, or write() under O_DSYNC/O_SYNC. */
  stream: 'sync' | 'write';
  /** Its recorded values, [ns, count] ascending, and their figures; the encoded histogram they came from. */
  values: [number, number][];
  encoded: string;
  figures: DistFigures;
}

/** This disk's own floor under a constant delay, and the overhead the replay takes off. */
export interface ReplayFloor {
  delayNs: number;
  figures: DistFigures;
  overheadNs: number;
}

/** What etcd itself did on the replayed disk, over the load. */
export interface ReplayEtcd {
  /** etcd_disk_wal_fsync_duration_seconds p99, the worst member (bucket estimate); null without a scrape. */
  walFsyncP99Ns: number | null;
  /** etcd_disk_backend_commit_duration_seconds p99, the worst member. */
  backendCommitP99Ns: number | null;
  /** "failed to send out heartbeat on time" in the members' logs. */
  heartbeatsLate: number;
  /** "slow fdatasync" (over a second) in the members' logs. */
  slowFdatasync: number;
  /** etcd_server_leader_changes_seen_total over the load, the most any member saw. */
  leaderChanges: number;
  /** Elections started in the members' logs since the load began. */
  elections: number;
  /** etcd_server_proposals_failed_total over the load, summed. */
  proposalsFailed: number;
  /** The load's request p99 (response time, the graded one). */
  requestP99Ns: number | null;
}

export interface ReplayLabResult extends RunHeader<typeof REPLAY_LAB_SCHEMA> {
  target: { dir: string; fsType: string };
  source: Omit<ReplaySource, 'values' | 'encoded'>;
  setup: {
    members: number;
    seed: number;
    floorRuntimeNs: number;
    walRuntimeNs: number;
    /** The bins slowfs drew from: [delay us, weight], the original less the floor. */
    bins: [number, number][];
  };
  /**
   * This disk's floor: our WAL phase through slowfs with a constant delay (the report's p50, at most 10 ms); what a
   * delayed sync costs beyond its delay (`overheadNs`, the p50 less the delay) is taken off every replayed value.
   */
  floor: ReplayFloor | null;
  replay: { original: DistFigures; replayed: DistFigures | null };
  /** The encoded HDR histograms behind those figures: the report's, and our WAL phase's on the replay. */
  histograms: { original: string; replayed: string | null };
  /** Why the host, not the disk, limited the floor's or the replay's WAL phase (its attribution); null: it did not. */
  hostLimited?: string | null;
  /** Our WAL phase on the replayed disk: its letter, why, and its fdatasync figures (null when it did not run). */
  walPhase: Pick<DiskResult, 'grade' | 'passed' | 'checks' | 'latency' | 'complete'> | null;
  etcdVersion: string | null;
  /** The cluster never held a leader long enough to become healthy (the load could not start). */
  noLeader: { elections: number; highestTerm: number; message: string } | null;
  etcd: ReplayEtcd | null;
  load: LoadResult | null;
  /** --like: the cluster history the load was sized from (absent without it). */
  like?: LikeSection;
  members: ({ name: string } & LogCounts)[];
  checks: Check[];
  slowfs: Record<string, number>;
  warnings: string[];
}
