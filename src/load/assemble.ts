// A load's result from what it measured: totals, latency, the client's CPU,
// etcd's own view, what a missed limit belongs to, and the checks. Nothing is
// measured here; it only puts the figures where the result's reader finds them.
import type { HostEvidence } from '../host/host-sampler.js';
import { etcdAttribution } from '../grade/attribution.js';
import { attributionLimits } from '../grade/attribution-limits.js';
import { applyAttribution } from '../grade/apply-attribution.js';
import { loadChecks } from '../grade/load-checks.js';
import { serverDiskView } from '../grade/server-disk.js';
import { runHeader } from '../report/run-header.js';
import type { LoadStats } from '../stats/load-recorder.js';
import type { CompactionLog } from './compactor.js';
import { redactArgv, type ResolvedLoadOptions } from './options.js';
import { LOAD_RESULT_SCHEMA, type LoadResult } from './result.js';
import type { LoadRun } from './runner.js';
import type { LoadTarget } from './target.js';
import type { MemberMetrics } from '../etcd/server-metrics.js';

export interface LoadOutcome {
  resolved: ResolvedLoadOptions;
  ctx: { argv?: string[]; serverWalLimitNs?: number; serverCommitLimitNs?: number };
  runId: string;
  startedAt: Date;
  run: LoadRun;
  stats: LoadStats;
  /** This process's CPU over the load (process.cpuUsage delta, us). */
  cpu: NodeJS.CpuUsage;
  hostEvidence: HostEvidence;
  server: MemberMetrics[];
  target: LoadTarget;
  prefix: string;
  deleted: number | null;
  compaction: CompactionLog | null;
  warnings: string[];
  incompleteReason: string | undefined;
}

/** The result of a load. */
export function assembleLoadResult(x: LoadOutcome): LoadResult {
  const { resolved, ctx, run, stats, target, hostEvidence, server, incompleteReason } = x;
  const o = resolved.values;
  const failed = Object.values(stats.errors).reduce((a, n) => a + n, 0);
  const answered = stats.service.count;
  const partial: Pick<LoadResult, 'totals' | 'latency' | 'workload'> = {
    workload: {
      name: o.workload,
      loop: o.rate > 0 ? 'open' : 'closed',
      rateTarget: o.rate,
      clients: o.clients,
      connections: o.conns,
      transport: o.transport,
      workers: o.workers,
      runtimeNs: o.runtime,
      total: o.total,
    },
    totals: {
      scheduled: run.scheduled,
      sent: run.sent,
      notSent: run.notSent,
      answered,
      failed,
      conflicts: stats.conflicts,
      elapsedNs: run.elapsedNs,
      achievedPerSec: run.elapsedNs > 0 ? Math.round((answered * 1e10) / run.elapsedNs) / 10 : 0,
      byKind: stats.byKind,
      errors: stats.errors,
    },
    latency: {
      service: stats.service,
      response: stats.response,
      failed: stats.failed,
      lateness: stats.lateness,
      generatorDelay: stats.generatorDelay,
    },
  };
  const client = {
    cpuUserNs: x.cpu.user * 1000,
    cpuSystemNs: x.cpu.system * 1000,
    cpuPerRequestNs: answered > 0 ? Math.round(((x.cpu.user + x.cpu.system) * 1000) / answered) : 0,
  };
  const serverDisk = serverDiskView(server, ctx.serverWalLimitNs ?? 10e6, ctx.serverCommitLimitNs ?? 25e6);
  const attribution = etcdAttribution(
    {
      host: hostEvidence,
      members: server,
      local: target.local !== null,
      generatorDelay: stats.generatorDelay,
      serverDiskFailed: serverDisk.failed,
      serverDiskWords: serverDisk.words,
      lost: target.localInfo?.lost ?? [],
      errors: stats.errors,
    },
    attributionLimits(o),
  );
  // A load judges the cluster: a miss etcd itself caused is a failure here (qualify, judging the disk, sets it
  // aside).
  const checks = applyAttribution(loadChecks(partial, o), attribution, undefined, ['disk', 'etcd']);
  return {
    ...runHeader(LOAD_RESULT_SCHEMA, {
      runId: x.runId,
      startedAt: x.startedAt,
      incompleteReason,
      argv: redactArgv(ctx.argv ?? []),
      profile: resolved.profile,
    }),
    target: { endpoints: target.endpoints, local: target.localInfo, kubernetes: target.kubernetes },
    options: Object.fromEntries(
      Object.entries(resolved.values).map(([k, v]) => [
        k,
        { value: k === 'user' && v ? '(set)' : v, source: resolved.sources[k as keyof typeof resolved.sources] },
      ]),
    ),
    ...partial,
    client,
    timeSeries: stats.timeSeries,
    errorsPerSecond: stats.errorsPerSecond,
    histograms: stats.histograms,
    server,
    keys: { prefix: x.prefix, deleted: x.deleted },
    checks,
    hostEvidence,
    attribution,
    compaction: x.compaction,
    passed:
      incompleteReason === undefined &&
      checks.every((c) => c.status !== 'fail' && c.status !== 'inconclusive') &&
      checks[0]!.status === 'pass',
    warnings: x.warnings,
  };
}
