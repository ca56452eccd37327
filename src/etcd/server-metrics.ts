// etcd's own view of the disk and of Raft, from each member's /metrics:
// scraped before the load, every second during it and after it, added up
// scrape by scrape (metric-deltas.ts). Bucket quantiles are stated as the
// bucket range they fall in (etcd's buckets are 1, 2, 4, ... ms: any p99 read
// from them is an interpolation, not a measurement). Also etcd's CPU and
// memory, so a verdict can tell a slow disk from an etcd short of CPU.
import { fetchText, ReadLimitError, type TlsMaterial } from './fetch-text.js';
import { MemberDeltas, type GaugeRange } from './metric-deltas.js';
import { ETCD_METRICS, type EtcdMetric, missingMetric } from './metric-names.js';
import {
  bucketQuantile,
  parseMetrics,
  total,
  type BucketHistogram,
  type BucketQuantile,
  type Sample,
} from './prometheus.js';

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
  /** The member's version (etcd_server_version); null when no scrape succeeded. */
  version?: string | null;
  /** Metrics this tool reads that the member's version does not expose, each in words (metric-names.ts). */
  missing?: string[];
  walFsync: BucketStream | null;
  backendCommit: BucketStream | null;
  /** Only in etcd versions that have etcd_disk_wal_write_duration_seconds (3.5.15 on): else in `missing`. */
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
  /** etcd_mvcc_db_total_size_in_use_in_bytes at the end (the rest of dbSizeBytes is free pages: fragmentation). */
  dbInUseBytes: number | null;
  /** etcd_server_quota_backend_bytes: the size at which the member raises NOSPACE. */
  quotaBytes: number | null;
  /** CPU the member used over the run, in cores (process_cpu_seconds_total), mean and the busiest second. */
  cpuCores: { mean: number; max: number } | null;
  /** Resident memory (process_resident_memory_bytes) at the first and last scrape, and the most seen. */
  residentBytes: Pick<GaugeRange, 'first' | 'last' | 'max'> | null;
  /** The store's revision and its compacted revision at the end (compaction progress). */
  revision: number | null;
  compactRevision: number | null;
  scrapes: number;
  scrapeErrors: number;
  /** Where the deltas start: the "before" scrape, or a later one when that failed (then said here). */
  baselineNote?: string;
  /** Counters or histograms that went down during the run (a member restart): deltas restart from there. */
  counterResets: number;
}

function stream(d: BucketHistogram | undefined): BucketStream | null {
  if (!d) return null;
  return {
    count: d.cumulative[d.cumulative.length - 1] ?? 0,
    p50: bucketQuantile(d, 0.5),
    p99: bucketQuantile(d, 0.99),
    buckets: d.bounds.map((b, i) => ({ leSeconds: b, count: d.cumulative[i]! - (i === 0 ? 0 : d.cumulative[i - 1]!) })),
  };
}

/** One member's figures from its deltas. */
export function memberMetrics(url: string, m: MemberDeltas): MemberMetrics {
  const g = m.gauges;
  const cores = m.counter('cpuSeconds');
  const span = m.spanSeconds;
  const b = m.baseline;
  const missing = (Object.keys(ETCD_METRICS) as EtcdMetric[])
    .map((k) => missingMetric(k, m.version))
    .filter((w): w is string => w !== null);
  return {
    url,
    version: m.version,
    missing,
    walFsync: stream(m.histograms.walFsync),
    backendCommit: stream(m.histograms.backendCommit),
    walWrite: stream(m.histograms.walWrite),
    leaderChanges: m.counter('leaderChanges'),
    hasLeaderMin: g.hasLeader?.min ?? null,
    heartbeatSendFailures: m.counter('heartbeatSendFailures'),
    proposalsCommitted: m.counter('proposalsCommitted'),
    proposalsFailed: m.counter('proposalsFailed'),
    proposalsPendingMax: g.proposalsPending?.max ?? null,
    slowApplies: m.counter('slowApplies'),
    dbSizeBytes: g.dbSizeBytes?.last ?? null,
    dbInUseBytes: g.dbInUseBytes?.last ?? null,
    quotaBytes: g.quotaBytes?.last ?? null,
    cpuCores:
      cores !== null && span > 0
        ? { mean: Math.round((cores / span) * 1e4) / 1e4, max: Math.max(0, ...m.cpuCores) }
        : null,
    residentBytes: g.residentBytes
      ? { first: g.residentBytes.first, last: g.residentBytes.last, max: g.residentBytes.max }
      : null,
    revision: g.revision?.last ?? null,
    compactRevision: g.compactRevision?.last ?? null,
    scrapes: m.scrapes,
    scrapeErrors: m.failures,
    ...(b && b.scrapeIndex > 0
      ? {
          baselineNote:
            `the first ${b.scrapeIndex} scrape${b.scrapeIndex > 1 ? 's' : ''} failed: deltas count ` +
            `from scrape ${b.scrapeIndex + 1}, about ${b.scrapeIndex} s into the run`,
        }
      : b
        ? {}
        : { baselineNote: 'no scrape succeeded' }),
    counterResets: m.resets,
  };
}

/** The metric families a watcher reads (every name in metric-deltas.ts, and what callers ask beforeTotal for). */
const WATCHED_PREFIXES = ['etcd_', 'process_'] as const;

/** Scrapes every member; call start() before the load and finish() after it. */
export class MetricsWatcher {
  private members: MemberDeltas[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** An answer past its size limit: the endpoint cannot be trusted, and the run ends (whenFatal). */
  private fatal: ReadLimitError | null = null;
  private onFatal: ((e: ReadLimitError) => void) | null = null;

  constructor(
    private readonly urls: string[],
    private readonly tls: TlsMaterial,
  ) {}

  private async scrape(i: number): Promise<void> {
    let s: Sample[] | null = null;
    try {
      s = parseMetrics(await fetchText(`${this.urls[i]}/metrics`, this.tls, 2000), WATCHED_PREFIXES);
    } catch (e) {
      if (e instanceof ReadLimitError && !this.fatal) {
        this.fatal = e;
        clearInterval(this.timer);
        this.onFatal?.(e);
      }
      s = null;
    }
    this.members[i]!.add(s);
  }

  /** Calls `cb` once if a member's /metrics goes past its size limit (at once if it already has). */
  whenFatal(cb: (e: ReadLimitError) => void): void {
    this.onFatal = cb;
    if (this.fatal) cb(this.fatal);
  }

  private scrapeAll(): Promise<void> {
    return Promise.all(this.urls.map((_, i) => this.scrape(i))).then(() => undefined);
  }

  /** The "before" scrape, then one a second. */
  async start(): Promise<void> {
    this.members = this.urls.map(() => new MemberDeltas());
    await this.scrapeAll();
    if (this.fatal) return;
    this.timer = setInterval(() => void this.scrapeAll(), 1000);
    this.timer.unref(); // never the reason the process stays up
  }

  /** A metric's value per member in its baseline scrape (null where absent or never scraped). */
  beforeTotal(name: string): (number | null)[] {
    return this.members.map((m) => (m.baseline ? total(m.baseline.samples, name) : null));
  }

  /** The deltas per member so far, while the load runs (for live views). */
  live(): MemberMetrics[] {
    return this.urls.map((u, i) => memberMetrics(u, this.members[i]!));
  }

  /** The "after" scrape and the deltas per member. */
  async finish(): Promise<MemberMetrics[]> {
    clearInterval(this.timer);
    await this.scrapeAll();
    return this.live();
  }
}
