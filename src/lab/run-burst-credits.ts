// `lab burst-credits`: the incident replayed. Each local
// member keeps its data on its own slowfs mount with a token bucket (a burst
// credit volume of --credits refilled at --baseline a second), the kube load
// runs, and once a second the lab reads every bucket and every member's WAL
// fsync histogram. From the first seconds' demand it forecasts when the first
// bucket empties, then watches it happen, and compares etcd before and after.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError, UsageError } from '../core/errors.js';
import { requireEtcd } from '../etcd/find-etcd.js';
import { electionsInLogs, logSize, startLocalEtcd } from '../etcd/local-etcd.js';
import { bucketQuantile, histogram, histogramDelta, type BucketHistogram } from '../etcd/prometheus.js';
import { loadGrading } from '../grade/grade-load.js';
import { runEtcdLoad } from '../load/run-load.js';
import type { ResolvedOptions } from '../options/resolve.js';
import type { BURST_LAB_OPTION_KEYS } from '../options/table.js';
import type { RunContext } from '../run/context.js';
import { runHeader } from '../run/header.js';
import { labLoadOptions, labTarget, openLabRun } from './lab-load.js';
import { mountSlowfs, slowfsUnavailable, type SlowfsMount } from './slowfs.js';
import { scrapeMetrics } from '../observe/scrape-members.js';
import { BURST_LAB_SCHEMA, type BurstLabResult, type BurstSecond } from './burst-lab-result.js';

const WAL = 'etcd_disk_wal_fsync_duration_seconds';
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

/** Runs the lab. */
export async function runBurstCredits(o: BurstLabOptions, ctx: RunContext = {}): Promise<BurstLabResult> {
  const bin = requireEtcd(o.etcdBin);
  const target = labTarget(o);
  const unavailable = slowfsUnavailable();
  if (unavailable) throw new EnvironmentError(unavailable);
  const { startedAt, runId, cleanup, warnings, runDir } = openLabRun(target, ctx);
  try {
    const mounts: SlowfsMount[] = [];
    for (let i = 0; i < o.members; i++) {
      mkdirSync(join(runDir, `backing${i}`));
      mkdirSync(join(runDir, `volume${i}`));
      mounts.push(
        await mountSlowfs(join(runDir, `backing${i}`), join(runDir, `volume${i}`), { fsyncDelayUs: 0 }, cleanup),
      );
    }
    const cluster = await startLocalEtcd({
      bin,
      root: join(runDir, 'etcd'),
      members: o.members,
      cleanup,
      token: `edb-lab-${runId}`,
      perMember: mounts.map((m) => ({ dataParent: m.mountPoint })),
      healthTimeoutMs: 60_000,
    });
    const urls = cluster.members.map((m) => m.clientUrl);
    const logFiles = cluster.members.map((m) => m.logFile);
    let logsFrom = logFiles.map(logSize);
    const timeline: BurstSecond[] = [];
    const taken = () =>
      mounts.map((m) => m.status()).map((s) => ({ used: s.writes! + s.syncs!, level: s.bucket_level! }));
    let start: BucketHistogram | null = null;
    let atEmpty: BucketHistogram | null = null;
    let prevWal: BucketHistogram | null = null;
    let prevUsed: number[] = [];
    let second = 0;
    let forecast: { demand: number; emptySecond: number | null } | null = null;
    let emptied: number | null = null;
    let ticking: NodeJS.Timeout | null = null;
    const tick = async () => {
      second += 1;
      const now = taken();
      const wal = await walOfAll(urls);
      const credits = Math.max(...now.map((n, i) => n.used - (prevUsed[i] ?? n.used)));
      const creditsLeft = Math.min(...now.map((n) => n.level));
      timeline.push({ second, credits, creditsLeft, walFsyncP99Ms: p99Ms(wal, prevWal) });
      prevUsed = now.map((n) => n.used);
      prevWal = wal;
      if (second === FORECAST_SECONDS) {
        const demand = timeline.reduce((a, r) => a + r.credits, 0) / FORECAST_SECONDS;
        const drain = demand - o.baselineIops;
        forecast = {
          demand: Math.round(demand),
          emptySecond: drain > 0 ? Math.round((second + creditsLeft / drain) * 10) / 10 : null,
        };
      }
      if (emptied === null && creditsLeft <= 1) {
        emptied = second;
        atEmpty = wal;
      }
    };
    const load = await runEtcdLoad(labLoadOptions(cluster.endpoints, { value: o.runtimeNs, source: 'cli' }), {
      grading: loadGrading,
      cleanup,
      signal: ctx.signal,
      argv: ctx.argv,
      onEvent: ctx.onEvent,
      label: {
        command: 'lab burst-credits',
        phase: 'burst-credits',
        index: 1,
        of: 1,
        title:
          `kube load on etcd, each member on a bucket of ${o.credits} credits refilled at ${o.baselineIops}/s` +
          (o.burstIops > 0 ? `, at most ${o.burstIops}/s` : ''),
        profile: null,
      },
      onWarning: (m) => warnings.push(m),
      onLoadStart: () => {
        // Every bucket full as the load begins: etcd's start-up does not count against it.
        for (const m of mounts)
          m.set({ fsyncDelayUs: 0, bucket: { size: o.credits, rate: o.baselineIops, burst: o.burstIops } });
        logsFrom = logFiles.map(logSize);
        prevUsed = taken().map((n) => n.used);
        void walOfAll(urls).then((h) => {
          start = h;
          prevWal = h;
        });
        ticking = setInterval(() => void tick(), 1000);
      },
      onLoadEnd: () => {
        if (ticking) clearInterval(ticking);
      },
    });
    if (ticking) clearInterval(ticking);
    const end = await walOfAll(urls);
    const { elections } = electionsInLogs(logFiles, logsFrom);
    const f = forecast as { demand: number; emptySecond: number | null } | null;
    return {
      ...runHeader(BURST_LAB_SCHEMA, {
        runId,
        startedAt,
        incompleteReason: load.incompleteReason,
        argv: ctx.argv ?? [],
        profile: null,
      }),
      target: { dir: target.dir, fsType: target.fsType },
      etcdVersion: cluster.version,
      bucket: {
        creditsFull: o.credits,
        baselineIops: o.baselineIops,
        burstIops: o.burstIops,
        demandIops: f?.demand ?? null,
        forecastEmptySecond: f?.emptySecond ?? null,
        emptiedAtSecond: emptied,
        walFsyncP99BeforeMs: p99Ms(atEmpty ?? end, start),
        walFsyncP99AfterMs: atEmpty ? p99Ms(end, atEmpty) : null,
      },
      elections: {
        leaderChanges: Math.max(0, ...load.server.map((m) => m.leaderChanges ?? 0)),
        inLogs: elections,
      },
      timeline,
      load,
      warnings,
    };
  } finally {
    if (!ctx.cleanup) await cleanup.drain();
  }
}

/** `lab burst-credits` from its resolved options. */
export function runBurstLab(
  r: ResolvedOptions<(typeof BURST_LAB_OPTION_KEYS)[number]>,
  ctx: RunContext = {},
): Promise<BurstLabResult> {
  const o = r.values;
  if (o.members % 2 === 0)
    throw new UsageError(
      `--members: ${o.members} members cannot keep a majority through one failure; use 1, 3 or 5`,
      'members',
    );
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
