// `lab burst-credits`: the incident replayed. Each local
// member keeps its data on its own slowfs mount with a token bucket (a burst
// credit volume of --credits refilled at --baseline a second), the kube load
// runs, and once a second the lab reads every bucket and every member's WAL
// fsync histogram. From the first seconds' demand it forecasts when the first
// bucket empties, then watches it happen, and compares etcd before and after.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { electionsInLogs, startLocalEtcd } from '../etcd/local-etcd.js';
import { bucketQuantile, histogram, histogramDelta, type BucketHistogram } from '../etcd/prometheus.js';
import type { ResolvedOptions } from '../options/resolve.js';
import type { BURST_LAB_OPTION_KEYS } from '../options/table.js';
import type { RunContext } from '../run/context.js';
import { runHeader } from '../run/header.js';
import { checkMembers, labLoadOptions } from './lab-load.js';
import { labLoad, prepareLab, withLabSession } from './lab-session.js';
import { mountSlowfs, type SlowfsMount } from './slowfs.js';
import { scrapeMetrics } from '../observe/scrape-members.js';
import { ETCD_METRICS } from '../etcd/metric-names.js';
import { BURST_LAB_SCHEMA, type BurstLabResult, type BurstSecond } from './burst-lab-result.js';

const WAL = ETCD_METRICS.walFsync.name;
/** Seconds of load the forecast reads the demand from. */
export const FORECAST_SECONDS = 5;

export interface BurstLabOptions {
  dir: string;
  allowLiveEtcd: boolean;
  etcdBin: string;
  members: number;
  runtimeNs: number;
  baselineIops: number;
  /** The ceiling while credits last, operations a second (0: none). */
  burstIops: number;
  credits: number;
}

/** A member's /metrics, as observe reads it (5 s to answer). */
const scrape = (url: string) => scrapeMetrics(url, {}, 5000);

/** Every member's WAL fsync histogram summed (null when one could not be read). */
async function walOfAll(urls: string[]): Promise<BucketHistogram | null> {
  const all = await Promise.all(urls.map(scrape));
  const hs = all.map((s) => (s ? histogram(s, WAL) : null));
  if (hs.some((h) => h === null)) return null;
  return (hs as BucketHistogram[]).reduce((a, h) => ({
    bounds: a.bounds,
    cumulative: a.cumulative.map((c, i) => c + h.cumulative[i]!),
    count: a.count + h.count,
    sum: a.sum + h.sum,
  }));
}

const p99Ms = (after: BucketHistogram | null, before: BucketHistogram | null) => {
  if (!after) return null;
  const q = bucketQuantile(histogramDelta(after, before), 0.99);
  return q ? Math.round(q.estimateNs / 1e4) / 100 : null;
};

/**
 * The buckets and etcd's WAL fsync, second by second from the load's start: the timeline, the forecast from the
 * first FORECAST_SECONDS, and the second the first bucket emptied.
 */
class BucketWatch {
  readonly timeline: BurstSecond[] = [];
  start: BucketHistogram | null = null;
  atEmpty: BucketHistogram | null = null;
  forecast: { demand: number; emptySecond: number | null } | null = null;
  emptied: number | null = null;
  private prevWal: BucketHistogram | null = null;
  private prevUsed: number[] = [];
  private second = 0;
  private ticking: NodeJS.Timeout | null = null;

  constructor(
    private readonly mounts: SlowfsMount[],
    private readonly urls: string[],
    private readonly o: BurstLabOptions,
  ) {}

  private taken() {
    return this.mounts.map((m) => m.status()).map((s) => ({ used: s.writes! + s.syncs!, level: s.bucket_level! }));
  }

  /** Every bucket full as the load begins (etcd's start-up does not count against it), then a reading a second. */
  begin(): void {
    for (const m of this.mounts)
      m.set({ fsyncDelayUs: 0, bucket: { size: this.o.credits, rate: this.o.baselineIops, burst: this.o.burstIops } });
    this.prevUsed = this.taken().map((n) => n.used);
    void walOfAll(this.urls).then((h) => {
      this.start = h;
      this.prevWal = h;
    });
    this.ticking = setInterval(() => void this.tick(), 1000);
  }

  end(): void {
    if (this.ticking) clearInterval(this.ticking);
  }

  private async tick(): Promise<void> {
    this.second += 1;
    const now = this.taken();
    const wal = await walOfAll(this.urls);
    const credits = Math.max(...now.map((n, i) => n.used - (this.prevUsed[i] ?? n.used)));
    const creditsLeft = Math.min(...now.map((n) => n.level));
    this.timeline.push({ second: this.second, credits, creditsLeft, walFsyncP99Ms: p99Ms(wal, this.prevWal) });
    this.prevUsed = now.map((n) => n.used);
    this.prevWal = wal;
    if (this.second === FORECAST_SECONDS) {
      const demand = this.timeline.reduce((a, r) => a + r.credits, 0) / FORECAST_SECONDS;
      const drain = demand - this.o.baselineIops;
      this.forecast = {
        demand: Math.round(demand),
        emptySecond: drain > 0 ? Math.round((this.second + creditsLeft / drain) * 10) / 10 : null,
      };
    }
    if (this.emptied === null && creditsLeft <= 1) {
      this.emptied = this.second;
      this.atEmpty = wal;
    }
  }
}

/** Runs the lab. */
export async function runBurstCredits(o: BurstLabOptions, ctx: RunContext = {}): Promise<BurstLabResult> {
  const plan = prepareLab(o, '');
  return withLabSession(plan, ctx, async (s) => {
    const { runDir, cleanup, runId } = s;
    const mounts: SlowfsMount[] = [];
    for (let i = 0; i < o.members; i++) {
      mkdirSync(join(runDir, `backing${i}`));
      mkdirSync(join(runDir, `volume${i}`));
      mounts.push(
        await mountSlowfs(join(runDir, `backing${i}`), join(runDir, `volume${i}`), { fsyncDelayUs: 0 }, cleanup),
      );
    }
    const cluster = await startLocalEtcd({
      bin: plan.bin,
      root: join(runDir, 'etcd'),
      members: o.members,
      cleanup,
      token: `edb-lab-${runId}`,
      perMember: mounts.map((m) => ({ dataParent: m.mountPoint })),
      healthTimeoutMs: 60_000,
    });
    const urls = cluster.members.map((m) => m.clientUrl);
    const logFiles = cluster.members.map((m) => m.logFile);
    const watch = new BucketWatch(mounts, urls, o);
    const { load, logsFrom } = await labLoad(
      s,
      labLoadOptions(cluster.endpoints, { value: o.runtimeNs, source: 'cli' }),
      {
        command: 'lab burst-credits',
        phase: 'burst-credits',
        title:
          `kube load on etcd, each member on a bucket of ${o.credits} credits refilled at ${o.baselineIops}/s` +
          (o.burstIops > 0 ? `, at most ${o.burstIops}/s` : ''),
      },
      logFiles,
      { onLoadStart: () => watch.begin(), onLoadEnd: () => watch.end() },
    );
    watch.end();
    const end = await walOfAll(urls);
    const { elections } = electionsInLogs(logFiles, logsFrom);
    const f = watch.forecast;
    return {
      ...runHeader(BURST_LAB_SCHEMA, {
        runId,
        startedAt: s.startedAt,
        incompleteReason: load.incompleteReason,
        argv: ctx.argv ?? [],
        profile: null,
      }),
      target: { dir: plan.prepared.target.dir, fsType: plan.prepared.target.fsType },
      etcdVersion: cluster.version,
      bucket: {
        creditsFull: o.credits,
        baselineIops: o.baselineIops,
        burstIops: o.burstIops,
        demandIops: f?.demand ?? null,
        forecastEmptySecond: f?.emptySecond ?? null,
        emptiedAtSecond: watch.emptied,
        walFsyncP99BeforeMs: p99Ms(watch.atEmpty ?? end, watch.start),
        walFsyncP99AfterMs: watch.atEmpty ? p99Ms(end, watch.atEmpty) : null,
      },
      elections: {
        leaderChanges: Math.max(0, ...load.server.map((m) => m.leaderChanges ?? 0)),
        inLogs: elections,
      },
      timeline: watch.timeline,
      load,
      warnings: s.warnings,
    };
  });
}

/** `lab burst-credits` from its resolved options. */
export function runBurstLab(
  r: ResolvedOptions<(typeof BURST_LAB_OPTION_KEYS)[number]>,
  ctx: RunContext = {},
): Promise<BurstLabResult> {
  const o = r.values;
  checkMembers(o.members);
  return runBurstCredits(
    {
      dir: o.dir,
      allowLiveEtcd: o.allowLiveEtcd,
      etcdBin: o.etcdBin,
      members: o.members,
      runtimeNs: o.runtime,
      baselineIops: o.baseline,
      burstIops: o.burst,
      credits: o.credits,
    },
    ctx,
  );
}
