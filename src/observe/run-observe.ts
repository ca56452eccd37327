// `observe`: a running cluster graded from its own metrics, adding no load.
// From the members (the member list, then each member's /metrics every
// --interval for --runtime, or until stopped) or from a Prometheus server
// (range queries over the last --since). Each member is graded on its own;
// the cluster gets the worst member's letter, named.
import { connection, reach } from '../etcd/connect.js';
import { tlsMaterial } from '../etcd/connection.js';
import { discoverEndpoints } from '../etcd/discovery-srv.js';
import { endpointUrls } from '../options/endpoints.js';
import { UsageError } from '../core/errors.js';
import { hostFacts } from '../host/host-facts.js';
import { type HostEvidence, HostSampler } from '../host/host-sampler.js';
import { attributionLimits } from '../grade/attribution-limits.js';
import { isLocalUrl, localAttribution } from './observe-attribution.js';
import { PhaseEvents } from '../events/phase-events.js';
import type { ResolvedOptions } from '../options/resolve.js';
import type { OBSERVE_OPTION_KEYS } from '../options/table.js';
import { commandLineOf } from '../run/command-line.js';
import { runHeader } from '../run/header.js';
import type { RunContext } from '../run/context.js';
import { newRunId } from '../run/run-id.js';
import { warningCollector } from '../run/warnings.js';
import { clusterVerdict, observedMembers, type MemberSource } from './assemble-observe.js';
import { readCluster, type ClusterInfo } from './cluster-info.js';
import { MemberSeries } from './member-series.js';
import { OBSERVE_REPORT_SCHEMA, type ObserveReport, type ObserveSource } from './observe-report.js';
import { observeTick } from './observe-ticks.js';
import { readPrometheus } from './prometheus-source.js';
import { metricsUrlsOf, pause, scrapeAll, type ScrapeTarget } from './scrape-members.js';
import { ReadLimitError } from '../etcd/fetch-text.js';

export type ObserveOptionKey = (typeof OBSERVE_OPTION_KEYS)[number];
export type ResolvedObserveOptions = ResolvedOptions<ObserveOptionKey>;

export interface ObserveRunContext extends RunContext {
  askPassword?: (user: string) => Promise<string>;
}

/** etcdctl's default endpoint, when none is given. */
const DEFAULT_ENDPOINT = '127.0.0.1:2379';

interface Watched {
  source: ObserveSource;
  cluster: ClusterInfo | null;
  members: MemberSource[];
  startMs: number;
  incompleteReason?: string;
}

/** Watches the members live until --runtime is up or the run is stopped. */
async function watchMembers(
  o: ResolvedObserveOptions['values'],
  ctx: ObserveRunContext,
  events: PhaseEvents,
  profile: string | null,
  warn: (m: string) => void,
): Promise<Watched> {
  const tls = o.cacert !== '' || o.cert !== '' || o.key !== '' || o.insecureSkipTlsVerify;
  const endpoints =
    o.discoverySrv !== ''
      ? await discoverEndpoints(o.discoverySrv, o.discoverySrvName)
      : endpointUrls(o.endpoints === '' ? DEFAULT_ENDPOINT : o.endpoints, tls);
  const conn = await connection(o, endpoints, ctx);
  const cluster = await reach(endpoints, () => readCluster(conn));
  const material = tlsMaterial(conn);
  const timeoutMs = Math.min(o.requestTimeout / 1e6, o.interval / 1e6);
  const given = o.metricsUrls === '' ? [] : o.metricsUrls.split(',');
  const { urls, warnings, fatal } = await metricsUrlsOf(cluster, given, material, timeoutMs);
  warnings.forEach(warn);
  const members: MemberSource[] = cluster.members.map((m, i) => ({
    name: m.name || m.id,
    id: m.id,
    metricsFrom: urls[i] ?? '',
    info: m,
    series: new MemberSeries(),
    alarms: cluster.alarms.filter((a) => a.memberId === m.id).map((a) => a.alarm),
    local: urls[i] !== undefined && urls[i] !== '' && isLocalUrl(urls[i]!),
  }));
  members.sort((a, b) => a.name.localeCompare(b.name)); // etcd lists members in no fixed order
  for (const m of cluster.members.filter((x) => x.statusError))
    warn(`member ${m.name || m.id}: its status could not be read (${m.statusError})`);
  const targets: ScrapeTarget[] = members
    .filter((m) => m.metricsFrom !== '')
    .map((m) => ({ url: m.metricsFrom, series: m.series }));
  const startMs = Date.now();
  const t0 = process.hrtime.bigint();
  const n = cluster.members.length;
  events.start(o.runtime, `${n} member${n === 1 ? '' : 's'} via ${endpoints.join(',')}`, profile);
  const tick = () => {
    const elapsedNs = Number(process.hrtime.bigint() - t0);
    const now = observedMembers(members, limitsOf(o), gradeLimitsOf(o));
    ctx.onEvent?.(observeTick(now, { elapsedNs, plannedNs: o.runtime, startMs, walLimitNs: o.syncP99Limit }));
  };
  // An answer past its size limit ends the observation: the report is written, incomplete, saying which and why.
  let cutOff = fatal;
  const read = () =>
    scrapeAll(targets, material, timeoutMs).catch((e: unknown) => {
      if (!(e instanceof ReadLimitError)) throw e;
      cutOff ??= e.message;
    });
  if (!cutOff) await read();
  while (!cutOff) {
    const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const leftMs = o.runtime > 0 ? o.runtime / 1e6 - elapsedMs : Infinity;
    if (ctx.signal?.aborted || leftMs <= 0) break;
    await pause(Math.min(o.interval / 1e6, leftMs), ctx.signal);
    await read(); // also the last read, when stopped
    tick();
  }
  for (const m of members)
    if (m.series.deltas.scrapes === 0) warn(`member ${m.name}: its /metrics at ${m.metricsFrom} could not be read`);
  // With --runtime 0 a stop is the end the user chose; with a runtime, stopping early leaves the window short.
  const stopped = ctx.signal?.aborted && o.runtime > 0;
  return {
    source: { kind: 'members', endpoints, intervalSeconds: o.interval / 1e9 },
    cluster,
    members,
    startMs,
    ...(cutOff
      ? { incompleteReason: cutOff }
      : stopped
        ? { incompleteReason: `interrupted (${String(ctx.signal?.reason ?? 'stopped')})` }
        : {}),
  };
}

const limitsOf = (o: ResolvedObserveOptions['values']) => ({
  walFsyncP99Ns: o.syncP99Limit,
  commitP99Ns: o.commitP99Limit,
  peerRttP99Ns: o.peerRttLimit,
});
const gradeLimitsOf = (o: ResolvedObserveOptions['values']) => ({ aNs: o.gradeA, bNs: o.gradeB, fNs: o.gradeF });

/** Runs observe. Bad input throws before the cluster is contacted. */
export async function runObserve(
  resolved: ResolvedObserveOptions,
  ctx: ObserveRunContext = {},
): Promise<ObserveReport> {
  const o = resolved.values;
  if (o.endpoints !== '' && o.discoverySrv !== '')
    throw new UsageError(
      '--discovery-srv and --endpoints: give one (etcdctl would use the SRV records)',
      'discoverySrv',
    );
  if (o.prometheusUrl !== '' && resolved.sources.endpoints === 'cli')
    throw new UsageError(
      '--prometheus-url and --endpoints: give one (the cluster read through Prometheus, or the members directly)',
      'prometheusUrl',
    );
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const { warnings, warn } = warningCollector(ctx);
  const profile = resolved.profile?.name ?? null;
  const events = new PhaseEvents(
    ctx.onEvent,
    ctx.label ?? { command: 'observe', phase: 'observe', index: 1, of: 1, title: "the cluster's own metrics" },
  );
  const host = await hostFacts();
  // This host's CPU over the window: it judges the members that run here (a busy host slows etcd's own timers).
  const sampler = o.prometheusUrl === '' ? new HostSampler() : null;
  sampler?.start();
  let hostEvidence: HostEvidence | null = null;
  let watched: Watched;
  try {
    watched = await events.run<Watched>(ctx.signal, () =>
      o.prometheusUrl !== '' ? readPrometheus(o, events, profile) : watchMembers(o, ctx, events, profile, warn),
    );
  } finally {
    hostEvidence = sampler?.stop() ?? null;
  }
  events.end(watched.incompleteReason ? 'interrupted' : 'done', watched.incompleteReason);
  const judged = observedMembers(watched.members, limitsOf(o), gradeLimitsOf(o));
  const local = judged.filter((_, i) => watched.members[i]!.local);
  const attribution = localAttribution(local, hostEvidence, attributionLimits(o));
  const members = observedMembers(watched.members, limitsOf(o), gradeLimitsOf(o), attribution);
  const endMs = Date.now();
  const complete = watched.incompleteReason === undefined;
  const argv = ctx.argv ?? [];
  return {
    ...runHeader(OBSERVE_REPORT_SCHEMA, {
      runId,
      startedAt,
      incompleteReason: watched.incompleteReason,
      argv,
      profile: resolved.profile,
    }),
    commandLine: commandLineOf(argv),
    host,
    source: watched.source,
    window:
      watched.source.kind === 'prometheus'
        ? { startMs: endMs - watched.source.sinceSeconds * 1000, endMs, seconds: watched.source.sinceSeconds }
        : { startMs: watched.startMs, endMs, seconds: Math.round((endMs - watched.startMs) / 1000) },
    cluster: watched.cluster,
    options: Object.fromEntries(
      Object.entries(o).map(([k, v]) => [
        k,
        { value: k === 'user' ? String(v).split(':')[0] : v, source: resolved.sources[k as ObserveOptionKey] },
      ]),
    ),
    members,
    hostEvidence,
    attribution,
    ...clusterVerdict(members, complete, watched.incompleteReason, attribution),
    warnings: [...new Set(warnings)],
  };
}
