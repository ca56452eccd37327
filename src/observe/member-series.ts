// One member's /metrics over an observation, snapshot by snapshot (a live
// scrape, or a Prometheus range query's step): the whole window's deltas
// (MemberDeltas, as the load reads them), one row per interval between two
// successful snapshots, and the peer round trip per peer.
import { MemberDeltas } from '../etcd/metric-deltas.js';
import { ETCD_METRICS as M } from '../etcd/metric-names.js';
import {
  bucketQuantile,
  histogram,
  histogramDelta,
  histogramsBy,
  total,
  type BucketHistogram,
  type BucketQuantile,
  type Sample,
} from '../etcd/prometheus.js';

export const PEER_RTT = M.peerRtt.name;

/** A quantile read from etcd's buckets, compactly: the interpolated estimate and the bucket it lies in. */
export interface BucketFigure {
  estimateNs: number;
  /** "2-4 ms": the bucket; the estimate is an interpolation inside it. */
  text: string;
}

/** One interval between two successful snapshots. */
export interface IntervalRow {
  /** When the interval ended (ms since the epoch). */
  endMs: number;
  seconds: number;
  walFsyncs: number;
  walFsyncP50: BucketFigure | null;
  walFsyncP99: BucketFigure | null;
  backendCommits: number;
  backendCommitP99: BucketFigure | null;
  /** The worst peer's round-trip p99 over the interval. */
  peerRttP99: BucketFigure | null;
  leaderChanges: number | null;
  proposalsFailed: number | null;
  heartbeatSendFailures: number | null;
  slowApplies: number | null;
  dbSizeBytes: number | null;
  dbInUseBytes: number | null;
  /** Raft entries committed over the interval (etcd_server_proposals_committed_total); absent before it was kept. */
  proposalsCommitted?: number | null;
  /** Puts and deletes the store applied (etcd_mvcc_put_total, etcd_mvcc_delete_total), and keys at the end. */
  puts?: number | null;
  deletes?: number | null;
  /** Transactions of more than one operation (etcd_mvcc_txn_total) and leases granted. */
  txns?: number | null;
  leaseGrants?: number | null;
  keys?: number | null;
  /** etcd_server_is_leader at the end: 1 on the leader. */
  isLeader?: number | null;
}

/** The round trip to one peer over the whole window. */
export interface PeerRtt {
  /** The peer's member id (hex), as etcd labels it ("To"). */
  to: string;
  count: number;
  p50: BucketQuantile | null;
  p99: BucketQuantile | null;
  buckets: { leSeconds: number; count: number }[];
}

const figure = (q: BucketQuantile | null): BucketFigure | null =>
  q ? { estimateNs: q.estimateNs, text: q.text } : null;

/**
 * What a histogram gained between two snapshots. Both snapshots are real reads: a series absent from the earlier one
 * appeared since (etcd creates a labelled series on its first observation), so all of it is new; a count that went
 * down is a restart, counted from 0.
 */
function delta(cur: BucketHistogram | null, prev: BucketHistogram | null): BucketHistogram | null {
  if (!cur) return null;
  if (!prev || prev.bounds.length !== cur.bounds.length || cur.count < prev.count) return cur;
  return histogramDelta(cur, prev);
}

function counterDelta(cur: Sample[], prev: Sample[], name: string): number | null {
  const a = total(cur, name);
  const b = total(prev, name);
  if (a === null || b === null) return null;
  return a >= b ? a - b : a; // went down: the member restarted, and counts from 0
}

function count(h: BucketHistogram | null): number {
  return h ? (h.cumulative[h.cumulative.length - 1] ?? 0) : 0;
}

/** What each peer's round-trip histogram gained between two snapshots, by peer id. */
function peerDeltas(prev: Sample[], cur: Sample[]): Map<string, BucketHistogram> {
  const before = histogramsBy(prev, PEER_RTT, 'To');
  const out = new Map<string, BucketHistogram>();
  for (const [to, h] of histogramsBy(cur, PEER_RTT, 'To')) {
    const d = delta(h, before.get(to) ?? null);
    if (d) out.set(to, d);
  }
  return out;
}

/** One interval's row from two snapshots (and the peers' deltas between them). */
function intervalRow(
  prev: Sample[],
  cur: Sample[],
  peers: Map<string, BucketHistogram>,
  seconds: number,
  endMs: number,
): IntervalRow {
  const wal = delta(histogram(cur, M.walFsync.name), histogram(prev, M.walFsync.name));
  const commit = delta(histogram(cur, M.backendCommit.name), histogram(prev, M.backendCommit.name));
  let worst: BucketQuantile | null = null;
  for (const d of peers.values()) {
    const q = bucketQuantile(d, 0.99);
    if (q && (!worst || q.estimateNs > worst.estimateNs)) worst = q;
  }
  return {
    endMs,
    seconds,
    walFsyncs: count(wal),
    walFsyncP50: figure(wal ? bucketQuantile(wal, 0.5) : null),
    walFsyncP99: figure(wal ? bucketQuantile(wal, 0.99) : null),
    backendCommits: count(commit),
    backendCommitP99: figure(commit ? bucketQuantile(commit, 0.99) : null),
    peerRttP99: figure(worst),
    leaderChanges: counterDelta(cur, prev, M.leaderChanges.name),
    proposalsFailed: counterDelta(cur, prev, M.proposalsFailed.name),
    heartbeatSendFailures: counterDelta(cur, prev, M.heartbeatSendFailures.name),
    slowApplies: counterDelta(cur, prev, M.slowApplies.name),
    dbSizeBytes: total(cur, M.dbSize.name),
    dbInUseBytes: total(cur, M.dbInUse.name),
    proposalsCommitted: counterDelta(cur, prev, M.proposalsCommitted.name),
    puts: counterDelta(cur, prev, M.puts.name),
    deletes: counterDelta(cur, prev, M.deletes.name),
    txns: counterDelta(cur, prev, M.txns.name),
    leaseGrants: counterDelta(cur, prev, M.leaseGrants.name),
    keys: total(cur, M.keys.name),
    isLeader: total(cur, M.isLeader.name),
  };
}

/** A member's snapshots added up. */
export class MemberSeries {
  readonly deltas = new MemberDeltas();
  readonly rows: IntervalRow[] = [];
  private readonly peers = new Map<string, BucketHistogram>();
  private prev: { samples: Sample[]; atMs: number } | null = null;
  /** The latest successful snapshot (for gauges and labels such as the version). */
  last: Sample[] | null = null;

  /** Records a snapshot taken at `atMs` (ms since the epoch); null: it failed. */
  add(samples: Sample[] | null, atMs: number): void {
    this.deltas.add(samples, BigInt(Math.round(atMs)) * 1_000_000n);
    if (!samples) return;
    if (this.prev) {
      const peers = peerDeltas(this.prev.samples, samples);
      this.rows.push(intervalRow(this.prev.samples, samples, peers, (atMs - this.prev.atMs) / 1000, atMs));
      for (const [to, d] of peers) {
        const sum = this.peers.get(to);
        this.peers.set(
          to,
          sum && sum.bounds.length === d.bounds.length
            ? {
                bounds: sum.bounds,
                cumulative: sum.cumulative.map((c, i) => c + d.cumulative[i]!),
                count: sum.count + d.count,
                sum: sum.sum + d.sum,
              }
            : d,
        );
      }
    }
    this.prev = { samples, atMs };
    this.last = samples;
  }

  /** The round trip to each peer over the window. */
  peerRtt(): PeerRtt[] {
    return [...this.peers].map(([to, h]) => ({
      to,
      count: count(h),
      p50: bucketQuantile(h, 0.5),
      p99: bucketQuantile(h, 0.99),
      buckets: h.bounds.map((b, i) => ({
        leSeconds: b,
        count: h.cumulative[i]! - (i === 0 ? 0 : h.cumulative[i - 1]!),
      })),
    }));
  }
}
