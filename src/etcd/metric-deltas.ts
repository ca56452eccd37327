// What one member's /metrics did over a run, added up scrape by scrape: the
// deltas of counters and histograms between consecutive successful scrapes.
// The first successful scrape is the baseline (a failed "before" scrape does
// not turn lifetime totals into "during the run"), and a counter that went
// down was reset (the member restarted): its new value is the increase since
// the reset, never a negative delta.
import { ETCD_METRICS as M, versionIn } from './metric-names.js';
import { histogram, total, type BucketHistogram, type Sample } from './prometheus.js';

/** Counters read as deltas over the run. */
export const COUNTERS = {
  leaderChanges: M.leaderChanges.name,
  heartbeatSendFailures: M.heartbeatSendFailures.name,
  proposalsCommitted: M.proposalsCommitted.name,
  proposalsFailed: M.proposalsFailed.name,
  slowApplies: M.slowApplies.name,
  cpuSeconds: 'process_cpu_seconds_total',
} as const;
export type CounterName = keyof typeof COUNTERS;

/** Histograms read as deltas over the run. */
export const HISTOGRAMS = {
  walFsync: M.walFsync.name,
  backendCommit: M.backendCommit.name,
  walWrite: M.walWrite.name,
} as const;
export type HistogramName = keyof typeof HISTOGRAMS;

/** Gauges whose lowest, highest and last values are kept. */
export const GAUGES = {
  hasLeader: M.hasLeader.name,
  proposalsPending: M.proposalsPending.name,
  residentBytes: 'process_resident_memory_bytes',
  dbSizeBytes: M.dbSize.name,
  dbInUseBytes: M.dbInUse.name,
  quotaBytes: M.quotaBytes.name,
  revision: M.revision.name,
  compactRevision: M.compactRevision.name,
} as const;
export type GaugeName = keyof typeof GAUGES;

export interface GaugeRange {
  first: number;
  min: number;
  max: number;
  last: number;
}

function addInto(into: BucketHistogram | undefined, d: BucketHistogram): BucketHistogram {
  if (!into || into.bounds.length !== d.bounds.length) return { ...d, cumulative: [...d.cumulative] };
  return {
    bounds: into.bounds,
    cumulative: into.cumulative.map((c, i) => c + d.cumulative[i]!),
    count: into.count + d.count,
    sum: into.sum + d.sum,
  };
}

function histogramStep(prev: BucketHistogram | null, cur: BucketHistogram): { delta: BucketHistogram; reset: boolean } {
  if (!prev || prev.bounds.length !== cur.bounds.length)
    return { delta: { ...cur, cumulative: cur.cumulative.map(() => 0), count: 0, sum: 0 }, reset: false };
  if (cur.count < prev.count) return { delta: cur, reset: true };
  return {
    delta: {
      bounds: cur.bounds,
      cumulative: cur.cumulative.map((c, i) => c - prev.cumulative[i]!),
      count: cur.count - prev.count,
      sum: cur.sum - prev.sum,
    },
    reset: false,
  };
}

/** Adds up one member's scrapes. */
export class MemberDeltas {
  /** The first successful scrape, and its index among all scrapes (0: the "before" scrape). */
  baseline: { samples: Sample[]; scrapeIndex: number; atNs: bigint } | null = null;
  /** The previous successful scrape's counters and histograms, read once (null before the baseline). */
  private prev: {
    counters: Map<CounterName, number | null>;
    histograms: Map<HistogramName, BucketHistogram | null>;
  } | null = null;
  private lastAtNs: bigint | null = null;
  readonly counters: Partial<Record<CounterName, number>> = {};
  readonly histograms: Partial<Record<HistogramName, BucketHistogram>> = {};
  readonly gauges: Partial<Record<GaugeName, GaugeRange>> = {};
  /** Counters or histograms that went down between two scrapes. */
  resets = 0;
  /** The member's version, from its latest scrape (etcd_server_version). */
  version: string | null = null;
  scrapes = 0;
  failures = 0;
  /** Per successful scrape after the baseline: CPU cores the member used since the previous one. */
  readonly cpuCores: number[] = [];

  /** Records a scrape (null: it failed). */
  add(samples: Sample[] | null, atNs: bigint = process.hrtime.bigint()): void {
    const index = this.scrapes + this.failures;
    if (!samples) {
      this.failures++;
      return;
    }
    this.scrapes++;
    this.version = versionIn(samples) ?? this.version;
    for (const [k, name] of Object.entries(GAUGES) as [GaugeName, string][]) {
      const v = total(samples, name);
      if (v === null) continue;
      const g = this.gauges[k];
      this.gauges[k] = g
        ? { first: g.first, min: Math.min(g.min, v), max: Math.max(g.max, v), last: v }
        : { first: v, min: v, max: v, last: v };
    }
    const counters = new Map(
      (Object.entries(COUNTERS) as [CounterName, string][]).map(([k, n]) => [k, total(samples, n)]),
    );
    const histograms = new Map(
      (Object.entries(HISTOGRAMS) as [HistogramName, string][]).map(([k, n]) => [k, histogram(samples, n)]),
    );
    if (!this.prev) {
      this.baseline = { samples, scrapeIndex: index, atNs };
      for (const [k, v] of counters) if (v !== null) this.counters[k] = 0;
    } else {
      for (const [k, cur] of counters) {
        if (cur === null) continue;
        const before = this.prev.counters.get(k) ?? null;
        let d = before === null ? 0 : cur - before;
        if (d < 0) {
          this.resets++;
          d = cur;
        }
        this.counters[k] = (this.counters[k] ?? 0) + d;
        if (k === 'cpuSeconds' && this.lastAtNs !== null && atNs > this.lastAtNs)
          this.cpuCores.push(Math.round((d / (Number(atNs - this.lastAtNs) / 1e9)) * 1e4) / 1e4);
      }
    }
    for (const [k, cur] of histograms) {
      if (!cur) continue;
      const { delta, reset } = histogramStep(this.prev?.histograms.get(k) ?? null, cur);
      if (reset) this.resets++;
      this.histograms[k] = addInto(this.histograms[k], delta);
    }
    this.prev = { counters, histograms };
    this.lastAtNs = atNs;
  }

  /** A counter's increase over the run; null when the member never reported it. */
  counter(k: CounterName): number | null {
    return this.counters[k] ?? null;
  }

  /** Seconds from the baseline scrape to the latest one. */
  get spanSeconds(): number {
    return this.baseline && this.lastAtNs !== null ? Number(this.lastAtNs - this.baseline.atNs) / 1e9 : 0;
  }
}
