// A load's result from what it measured: totals, latency, the client's CPU,
// etcd's own view, and what the caller's grader made of them (the checks and
// what a missed limit belongs to). Nothing is measured or judged here; it only
// puts the figures where the result's reader finds them.
import type { HostEvidence } from '../host/host-sampler.js';
import { runHeader } from '../run/header.js';
import type { LoadStats } from '../stats/load-recorder.js';
import type { CompactionLog } from './compactor.js';
import type { BackgroundLog } from './kube-background.js';
import type { Pacing } from './connect-load.js';
import type { LoadGrading } from './load-grading.js';
import { redactArgv, type ResolvedLoadOptions } from './load-option-values.js';
import { LOAD_RESULT_SCHEMA, type LoadResult } from './load-result.js';
import type { LoadRun } from './runner.js';
import type { LoadTarget } from './target.js';
import type { MemberMetrics } from '../etcd/server-metrics.js';
import type { DeviceIo } from '../host/device-io.js';

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
  background: BackgroundLog | null;
  warnings: string[];
  incompleteReason: string | undefined;
  /** The grader the load's caller handed in. */
  grading: LoadGrading;
  deviceIo: DeviceIo;
  /** How the requests were timed (connect-load.ts choosePacing). */
  pacing: Pacing;
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
      pacing: x.pacing.pacing,
      pacingWhy: x.pacing.why,
      workers: o.workers,
      runtimeNs: o.runtime,
      total: o.total,
      ...(run.watches ? { watches: run.watches } : {}),
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
      collectDelay: stats.collectDelay,
    },
  };
  const client = {
    cpuUserNs: x.cpu.user * 1000,
    cpuSystemNs: x.cpu.system * 1000,
    cpuPerRequestNs: answered > 0 ? Math.round(((x.cpu.user + x.cpu.system) * 1000) / answered) : 0,
    eventLoopDelay: stats.eventLoopDelay,
  };
  const graded = x.grading.result({
    o,
    figures: partial,
    hostEvidence,
    server,
    local: target.local !== null,
    lost: target.localInfo?.lost ?? [],
    serverWalLimitNs: ctx.serverWalLimitNs ?? 10e6,
    serverCommitLimitNs: ctx.serverCommitLimitNs ?? 25e6,
    eventLoopDelay: stats.eventLoopDelay,
    incompleteReason,
  });
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
    checks: graded.checks,
    hostEvidence,
    deviceIo: x.deviceIo,
    // The figure nobody publishes: what one request of this workload, at this rate, cost the device.
    deviceWritesPerRequest:
      x.deviceIo.available && answered > 0 ? Math.round((x.deviceIo.totals.writes / answered) * 100) / 100 : null,
    attribution: graded.attribution,
    compaction: x.compaction,
    ...(x.background ? { background: x.background } : {}),
    passed: graded.passed,
    warnings: x.warnings,
  };
}
