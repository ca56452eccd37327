// etcd's own view of the disk and of Raft, from each member's /metrics:
// scraped before the load, every second during it and after it. Reports
// deltas over the run, and bucket quantiles stated as the bucket range they
// fall in (etcd's buckets are 1, 2, 4, ... ms: any p99 read from them is an
// interpolation, not a measurement).
import { fetchText, type TlsMaterial } from './fetch-text.js';
import { bucketQuantile, histogram, histogramDelta, parseMetrics, total, type BucketHistogram, type BucketQuantile, type Sample } from './prometheus.js';

export interface BucketStream {
  /** Observations during the run. */
  count: number;
  p50: BucketQuantile | null;
  p99: BucketQuantile | null;
  /** Upper bounds in seconds and the run's count in each bucket (not cumulative). */
  buckets: { leSeconds: number; count: number }[];
}

export interface MemberMetrics {
  url: string;
  walFsync: BucketStream | null;
  backendCommit: BucketStream | null;
  /** Only in etcd versions that have etcd_disk_wal_write_duration_seconds. */
  walWrite: BucketStream | null;
  leaderChanges: number | null;
  /** Lowest etcd_server_has_leader seen in any scrape (0: a moment without a leader). */
  hasLeaderMin: number | null;
  heartbeatSendFailures: number | null;
  proposalsCommitted: number | null;
  proposalsFailed: number | null;
  proposalsPendingMax: number | null;
  slowApplies: number | null;
  dbSizeBytes: number | null;
  /** etcd_server_quota_backend_bytes: the size at which the member raises NOSPACE. */
  quotaBytes: number | null;
  scrapes: number;
  scrapeErrors: number;
}

const COUNTERS = {
  leaderChanges: 'etcd_server_leader_changes_seen_total',
  heartbeatSendFailures: 'etcd_server_heartbeat_send_failures_total',
  proposalsCommitted: 'etcd_server_proposals_committed_total',
  proposalsFailed: 'etcd_server_proposals_failed_total',
  slowApplies: 'etcd_server_slow_apply_total',
} as const;

function stream(before: Sample[], after: Sample[], name: string): BucketStream | null {
  const a = histogram(after, name);
  if (!a) return null;
  const d: BucketHistogram = histogramDelta(a, histogram(before, name));
  return {
    count: d.cumulative[d.cumulative.length - 1] ?? 0,
    p50: bucketQuantile(d, 0.5),
    p99: bucketQuantile(d, 0.99),
    buckets: d.bounds.map((b, i) => ({ leSeconds: b, count: d.cumulative[i]! - (i === 0 ? 0 : d.cumulative[i - 1]!) })),
  };
}

function delta(before: Sample[], after: Sample[], name: string): number | null {
  const a = total(after, name);
  return a === null ? null : a - (total(before, name) ?? 0);
}

/** Scrapes every member; call start() before the load and finish() after it. */
export class MetricsWatcher {
  private before: (Sample[] | null)[] = [];
  private latest: (Sample[] | null)[] = [];
  private hasLeaderMin: (number | null)[] = [];
  private pendingMax: (number | null)[] = [];
  private scrapes: number[] = [];
  private errors: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly urls: string[], private readonly tls: TlsMaterial) {}

  private async scrape(i: number): Promise<Sample[] | null> {
    try {
      const s = parseMetrics(await fetchText(`${this.urls[i]}/metrics`, this.tls, 2000));
      this.scrapes[i]!++;
      const hl = total(s, 'etcd_server_has_leader');
      if (hl !== null) this.hasLeaderMin[i] = Math.min(this.hasLeaderMin[i] ?? hl, hl);
      const pending = total(s, 'etcd_server_proposals_pending');
      if (pending !== null) this.pendingMax[i] = Math.max(this.pendingMax[i] ?? pending, pending);
      this.latest[i] = s;
      return s;
    } catch {
      this.errors[i]!++;
      return null;
    }
  }

  /** The "before" scrape, then one a second. */
  async start(): Promise<void> {
    this.scrapes = this.urls.map(() => 0);
    this.errors = this.urls.map(() => 0);
    this.hasLeaderMin = this.urls.map(() => null);
    this.pendingMax = this.urls.map(() => null);
    this.before = await Promise.all(this.urls.map((_, i) => this.scrape(i)));
    this.timer = setInterval(() => void Promise.all(this.urls.map((_, i) => this.scrape(i))), 1000);
    this.timer.unref(); // never the reason the process stays up
  }

  /** A metric's value per member in the "before" scrape (null where absent or not scraped). */
  beforeTotal(name: string): (number | null)[] {
    return this.before.map((b) => (b ? total(b, name) : null));
  }

  /** The deltas per member from the "before" scrape to the latest one, while the load runs (for live views). */
  live(): MemberMetrics[] {
    return this.urls.map((_, i) => this.member(i, this.latest[i] ?? null));
  }

  /** The "after" scrape and the deltas per member. */
  async finish(): Promise<MemberMetrics[]> {
    clearInterval(this.timer);
    const after = await Promise.all(this.urls.map((_, i) => this.scrape(i)));
    return this.urls.map((_, i) => this.member(i, after[i] ?? null));
  }

  private member(i: number, a: Sample[] | null): MemberMetrics {
    const b = this.before[i] ?? [];
    const c = (k: keyof typeof COUNTERS) => (a ? delta(b, a, COUNTERS[k]) : null);
    return {
      url: this.urls[i]!,
      walFsync: a ? stream(b, a, 'etcd_disk_wal_fsync_duration_seconds') : null,
      backendCommit: a ? stream(b, a, 'etcd_disk_backend_commit_duration_seconds') : null,
      walWrite: a ? stream(b, a, 'etcd_disk_wal_write_duration_seconds') : null,
      leaderChanges: c('leaderChanges'),
      hasLeaderMin: this.hasLeaderMin[i] ?? null,
      heartbeatSendFailures: c('heartbeatSendFailures'),
      proposalsCommitted: c('proposalsCommitted'),
      proposalsFailed: c('proposalsFailed'),
      proposalsPendingMax: this.pendingMax[i] ?? null,
      slowApplies: c('slowApplies'),
      dbSizeBytes: a ? total(a, 'etcd_mvcc_db_total_size_in_bytes') : null,
      quotaBytes: a ? total(a, 'etcd_server_quota_backend_bytes') : null,
      scrapes: this.scrapes[i]!,
      scrapeErrors: this.errors[i]!,
    };
  }
}
