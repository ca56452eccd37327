// `lab slow-network`: what etcd does when its members are far apart. Starts
// local members whose peer traffic passes delaying proxies of ours (this
// kernel has no netem), optionally on a slowed disk too, runs the kube load
// (or --workload), and reports the delay the proxies actually added, etcd's
// own peer round trip per link, commit and request latency, leader changes,
// failed proposals, etcd's log warnings, the peer round-trip checks, and the
// heartbeat/election values etcd's tuning guide gives for the round trip.
// Everything it made is undone on every exit path.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { electionsInLogs, startLocalEtcd } from '../etcd/local-etcd.js';
import { clusterVerdict, observedMembers } from '../observe/assemble-observe.js';
import { MemberSeries } from '../observe/member-series.js';
import { scrapeMetrics, serverIdOf } from '../observe/scrape-members.js';
import { LatencyHistogram } from '../stats/histogram.js';
import type { ResolvedOptions } from '../options/resolve.js';
import { defaultIn, type NETWORK_LAB_OPTION_KEYS } from '../options/table.js';
import { runHeader } from '../run/header.js';
import type { RunContext } from '../run/context.js';
import { countLogLines } from './lab-result.js';
import {
  type AddedDelay,
  type LinkAdded,
  NETWORK_RESULT_SCHEMA,
  type NetworkResult,
  type PeerLink,
} from './network-result.js';
import { linkChecks, MIN_LINK_CHUNKS } from './link-checks.js';
import { linkName } from './delay-proxy.js';
import { PeerProxies, type ProxyReading } from './peer-proxies.js';
import { raftTuning } from './raft-tuning.js';
import { mountSlowfs } from './slowfs.js';
import { steerLeader } from './steer-leader.js';
import { checkJitter, labLoadOptions } from './lab-load.js';
import { type LabSession, labLoad, prepareLab, withLabSession } from './lab-session.js';

export type ResolvedNetworkOptions = ResolvedOptions<(typeof NETWORK_LAB_OPTION_KEYS)[number]>;

/** Checks what can be checked before anything is started. */
function validate(r: ResolvedNetworkOptions): void {
  const o = r.values;
  if (o.members < 3 || o.members % 2 === 0)
    throw new UsageError(
      `--members: ${o.members} is not allowed; expected 3 or 5 (peers to delay between, and a majority that ` +
        'survives one slow member)',
      'members',
    );
  checkJitter(o.delay, o.jitter);
  if (o.stall > 0 && o.stallEvery <= o.stall + o.delay + o.jitter)
    throw new UsageError(
      `--stall-every: ${o.stallEvery / 1e6} ms is not longer than --stall plus --delay plus --jitter ` +
        `(${(o.stall + o.delay + o.jitter) / 1e6} ms); one stall must be over before the next`,
      'stallEvery',
    );
  if (o.electionTimeout < 5 * o.heartbeatInterval)
    throw new UsageError(
      `--election-timeout: ${o.electionTimeout / 1e6} ms is less than 5 times --heartbeat-interval ` +
        `(${o.heartbeatInterval / 1e6} ms); etcd refuses to start with that`,
      'electionTimeout',
    );
}

/** A member's /metrics, as observe reads it (5 s to answer). */
const scrape = (url: string) => scrapeMetrics(url, {}, 5000);

function addedDelay(readings: ProxyReading[]): NetworkResult['addedDelay'] {
  const h = new LatencyHistogram();
  try {
    for (const r of readings) h.addEncoded(r.added);
    const some = h.count > 0;
    const d: AddedDelay = {
      chunks: h.count,
      p50Ns: some ? h.percentileNs(50) : null,
      p99Ns: some ? h.percentileNs(99) : null,
      maxNs: some ? h.maxNs : null,
    };
    const stats = readings.map((r) => r.counts);
    return {
      ...d,
      connections: stats.reduce((a, s) => a + s.connections, 0),
      delayedConnections: stats.reduce((a, s) => a + s.delayedConnections, 0),
      bytes: stats.reduce((a, s) => a + s.bytes, 0),
      stalledChunks: stats.reduce((a, s) => a + s.stalledChunks, 0),
      stalls: new Set(stats.flatMap((s) => s.stalls)).size,
    };
  } finally {
    h.destroy();
  }
}

/** What the proxies carried and added on the link between members `a` and `b`, from every proxy's reading. */
function linkAdded(readings: ProxyReading[], a: number, b: number): LinkAdded | null {
  const parts = readings.map((r) => r.links[linkName(a, b)]).filter((x) => x !== undefined);
  if (parts.length === 0) return null;
  const h = new LatencyHistogram();
  try {
    for (const p of parts) h.addEncoded(p.added);
    const chunks = parts.reduce((x, p) => x + p.chunks, 0);
    const roundTripNs = chunks < MIN_LINK_CHUNKS ? null : h.count === 0 ? 0 : 2 * h.percentileNs(50);
    return { chunks, delayedChunks: h.count, roundTripNs };
  } finally {
    h.destroy();
  }
}

/** Starts the members behind their delaying proxies, on a slowed disk with --disk-delay; the leader steered. */
async function startNetworkCluster(s: LabSession, o: ResolvedNetworkOptions['values']) {
  const { runDir, cleanup, runId } = s;
  let dataParent = runDir;
  if (o.diskDelay > 0) {
    for (const d of ['backing', 'slow']) mkdirSync(join(runDir, d));
    await mountSlowfs(join(runDir, 'backing'), join(runDir, 'slow'), { fsyncDelayUs: o.diskDelay / 1e3 }, cleanup);
    dataParent = join(runDir, 'slow');
  }
  const slowIndex = o.between === 'all' ? null : 0;
  const delay = {
    delayNs: o.delay,
    jitterNs: o.jitter,
    stall: o.stall > 0 ? { everyNs: o.stallEvery, forNs: o.stall } : null,
  };
  let proxies: PeerProxies | null = null;
  const heartbeatMs = Math.round(o.heartbeatInterval / 1e6);
  const electionMs = Math.round(o.electionTimeout / 1e6);
  const cluster = await startLocalEtcd({
    bin: s.plan.bin,
    root: join(runDir, 'etcd'),
    members: o.members,
    cleanup,
    token: `edb-net-${runId}`,
    extraArgs: ['--heartbeat-interval', String(heartbeatMs), '--election-timeout', String(electionMs)],
    perMember: Array.from({ length: o.members }, () => ({ dataParent })),
    healthTimeoutMs: 60_000,
    peerAdvertise: async (urls) => {
      proxies = await PeerProxies.start(
        urls.map((u) => Number(new URL(u).port)),
        delay,
        slowIndex,
        cleanup,
      );
      return proxies.ports.map((p) => `http://127.0.0.1:${p}`);
    },
    onSpawned: (pids) => proxies?.setPids(pids),
  });
  const leader = o.between === 'all' ? null : await steerLeader(cluster, 0, o.between === 'one');
  return { cluster, proxies: proxies as PeerProxies | null, slowIndex, heartbeatMs, electionMs, leader };
}

type NetworkCluster = Awaited<ReturnType<typeof startNetworkCluster>>;

/** Every link both ways: etcd's own round trip where it recorded one (none yet in a short run), and what we added. */
function peerLinksOf(net: NetworkCluster, series: MemberSeries[], stats: ProxyReading[]): PeerLink[] {
  const members = net.cluster.members;
  const names = new Map<string, string>();
  series.forEach((s, i) => {
    const id = s.last ? serverIdOf(s.last) : null;
    if (id) names.set(id, members[i]!.name);
  });
  return members.flatMap((from, i) =>
    members.flatMap((to, j) => {
      if (i === j) return [];
      const own = series[i]!.peerRtt().find((p) => names.get(p.to) === to.name);
      const added = linkAdded(stats, i, j);
      return [
        { from: from.name, to: to.name, count: own?.count ?? 0, p50: own?.p50 ?? null, p99: own?.p99 ?? null, added },
      ];
    }),
  );
}

/**
 * etcd's figure lags (a smoothed round trip, 1/8 per 4 s probe); twice what the proxies added is the round trip the
 * members will settle at: the advice takes the larger.
 */
function tuningOf(peerLinks: PeerLink[], added: NetworkResult['addedDelay']): NetworkResult['tuning'] {
  const etcdRtt = Math.max(0, ...peerLinks.map((l) => l.p50?.estimateNs ?? 0));
  const ours = 2 * (added.p50Ns ?? 0);
  return {
    rttNs: etcdRtt > 0 ? etcdRtt : null,
    ...raftTuning(
      Math.max(etcdRtt, ours),
      etcdRtt >= ours
        ? "the round trip, etcd's slowest link (p50, interpolated)"
        : "the round trip, twice the delay the proxies added (etcd's smoothed figure was still " +
            `${(etcdRtt / 1e6).toFixed(1)} ms)`,
      added.stalls > 0 ? (added.maxNs ?? 0) : 0,
    ),
  };
}

/** The members graded as observe grades them, over the load's window (the two reads around it). */
function observedOf(net: NetworkCluster, series: MemberSeries[], urls: string[], peerRttLimit: number) {
  return observedMembers(
    series.map((s, i) => ({
      name: net.cluster.members[i]!.name,
      id: s.last ? serverIdOf(s.last) : null,
      metricsFrom: urls[i]!,
      info: null,
      series: s,
      alarms: null,
    })),
    {
      walFsyncP99Ns: defaultIn('syncP99Limit', 'observe') as number,
      commitP99Ns: defaultIn('commitP99Limit', 'observe') as number,
      peerRttP99Ns: peerRttLimit,
    },
    {
      aNs: defaultIn('gradeA', 'observe') as number,
      bNs: defaultIn('gradeB', 'observe') as number,
      fNs: defaultIn('gradeF', 'observe') as number,
    },
  );
}

/** Runs the lab. Bad input throws before anything is started. */
export async function runSlowNetwork(r: ResolvedNetworkOptions, ctx: RunContext = {}): Promise<NetworkResult> {
  const o = r.values;
  validate(r);
  const plan = prepareLab(o, o.diskDelay > 0 ? '--disk-delay: ' : false);
  return withLabSession(plan, ctx, async (s) => {
    const net = await startNetworkCluster(s, o);
    const { cluster, proxies } = net;
    const urls = cluster.members.map((m) => m.clientUrl);
    const logFiles = cluster.members.map((m) => m.logFile);
    const series = urls.map(() => new MemberSeries());
    const first = await Promise.all(urls.map(scrape));
    for (const [i, m] of first.entries()) series[i]!.add(m, Date.now());
    const { load, logsFrom } = await labLoad(
      s,
      labLoadOptions(cluster.endpoints, { value: o.runtime, source: r.sources.runtime }, o.workload),
      {
        command: 'lab slow-network',
        phase: 'slow-network',
        title:
          `${o.workload} load on etcd with ${o.delay / 1e6} ms one way between ` +
          `${o.between === 'all' ? 'all members' : 'm0 and the others'}`,
      },
      logFiles,
      { onLoadStart: () => proxies?.startStalls(), onLoadEnd: () => proxies?.stopStalls() },
    );
    const last = await Promise.all(urls.map(scrape));
    for (const [i, m] of last.entries()) series[i]!.add(m, Date.now());
    const stats = await proxies!.stats();
    const peerLinks = peerLinksOf(net, series, stats);
    const added = addedDelay(stats);
    const observedList = observedOf(net, series, urls, o.peerRttLimit);
    const counts = countLogLines(logFiles, logsFrom);
    return {
      ...runHeader(NETWORK_RESULT_SCHEMA, {
        runId: s.runId,
        startedAt: s.startedAt,
        incompleteReason: load.incompleteReason,
        argv: ctx.argv ?? [],
        profile: r.profile,
      }),
      target: { dir: plan.prepared.target.dir, fsType: plan.prepared.target.fsType },
      setup: {
        delayNs: o.delay,
        jitterNs: o.jitter,
        between: o.between,
        members: o.members,
        slowMember: net.slowIndex === null ? null : cluster.members[net.slowIndex]!.name,
        heartbeatMs: net.heartbeatMs,
        electionMs: net.electionMs,
        diskDelayNs: o.diskDelay,
        stallNs: o.stall,
        stallEveryNs: o.stall > 0 ? o.stallEvery : null,
      },
      etcdVersion: cluster.version,
      leaderAtStart: net.leader,
      addedDelay: added,
      peerLinks,
      load,
      members: cluster.members.map((m, i) => ({ name: m.name, ...counts[i]! })),
      elections: electionsInLogs(logFiles, logsFrom).elections,
      checks: linkChecks(peerLinks, o.peerRttLimit),
      observed: { members: observedList, ...clusterVerdict(observedList, load.complete, load.incompleteReason) },
      tuning: tuningOf(peerLinks, added),
      warnings: s.warnings,
    };
  });
}
