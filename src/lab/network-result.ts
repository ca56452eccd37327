// What `lab slow-network` found: the setup, the delay the proxies actually
// added, etcd's peer round trip per link, the load's full result, etcd's log
// warnings, the peer round-trip checks and the tuning etcd's guide suggests
// for the round trip measured.
import type { Check } from '../verdict/check.js';
import type { LoadResult } from '../load/load-result.js';
import type { BucketQuantile } from '../etcd/prometheus.js';
import type { ObservedMember, ObserveReport } from '../observe/observe-report.js';
import type { RunHeader } from '../run/header.js';
import type { LogCounts } from './lab-result.js';

export const NETWORK_RESULT_SCHEMA = 'etcd-disk-bench/lab-network@1';

export interface AddedDelay {
  /** Chunks held back. */
  chunks: number;
  p50Ns: number | null;
  p99Ns: number | null;
  maxNs: number | null;
}

/** What the proxies carried on one link (both directions) and the delay they added to it. */
export interface LinkAdded {
  /** Every chunk the link carried, delayed or not. */
  chunks: number;
  delayedChunks: number;
  /** Twice the p50 of the delay added one way; 0 when nothing was held back; null on too few chunks to say. */
  roundTripNs: number | null;
}

export interface PeerLink {
  /** The member that measured (etcd's prober runs on each member, towards each peer). */
  from: string;
  to: string;
  /** Round trips etcd recorded (one per peer every 30 s). */
  count: number;
  p50: BucketQuantile | null;
  p99: BucketQuantile | null;
  /** The proxies' own figure for the link (absent in results before it; null: no traffic seen on it). */
  added?: LinkAdded | null;
}

export interface Tuning {
  /** etcd's own round trip on its slowest link (p50, interpolated), ns; null when etcd recorded none. */
  rttNs: number | null;
  heartbeatMs: number;
  electionMs: number;
  /** The advice in words, with etcd's tuning guide's rules. */
  text: string;
}

export interface NetworkResult extends RunHeader<typeof NETWORK_RESULT_SCHEMA> {
  target: { dir: string; fsType: string };
  setup: {
    delayNs: number;
    jitterNs: number;
    between: 'all' | 'leader' | 'one';
    members: number;
    /** The member whose links are slowed (leader, one), or null for every link. */
    slowMember: string | null;
    heartbeatMs: number;
    electionMs: number;
    /** slowfs' added fsync delay when combined with a slow disk (0: none). */
    diskDelayNs: number;
    /** How long the slowed links stall (0: never) and how often (null: never). */
    stallNs: number;
    stallEveryNs: number | null;
  };
  etcdVersion: string | null;
  leaderAtStart: string | null;
  /** Measured through the proxies: each delayed chunk's release minus its arrival. */
  addedDelay: AddedDelay & {
    connections: number;
    delayedConnections: number;
    bytes: number;
    /** Chunks a stall held back, and the stalls that held any (0 without --stall). */
    stalledChunks: number;
    stalls: number;
  };
  peerLinks: PeerLink[];
  load: LoadResult | null;
  members: ({ name: string } & LogCounts)[];
  elections: number;
  /** One check per link: etcd's own round trip p99 against --peer-rtt-limit. */
  checks: Check[];
  /**
   * The members as `observe` would grade them over the load (the same checks: WAL fsync and commit p99, peer round
   * trip, leader changes, failed proposals, heartbeats late), each with its letter; the cluster's is the worst.
   */
  observed: { members: ObservedMember[] } & Pick<ObserveReport, 'grade' | 'worstMember' | 'verdict'>;
  tuning: Tuning;
  warnings: string[];
}
