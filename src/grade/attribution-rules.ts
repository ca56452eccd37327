// Who a failing figure belongs to: the disk, the host (other processes, or a
// hypervisor running other guests), the client (our load generator) or etcd
// itself. A figure measured while something other than the disk was the
// bottleneck is not evidence against the disk; these rules say which it was,
// in words, with the numbers that show it. Each rule cites why it holds.
import type { HostEvidence } from '../host/host-sampler.js';
import type { MemberMetrics } from '../etcd/server-metrics.js';
import type { LatencySummary } from '../stats/summary.js';
import type { Attribution, AttributionLimits, Cause } from '../verdict/attribution.js';

const SOURCES = {
  cpuWait:
    "a sample covers the syscall and the time the thread then waited for a CPU (Linux schedstat run_delay); etcd's " +
    'own fsync timer includes the same wait (ETCD-FACTS: with 6 busy processes on 2 cores a disk with fio p99 ' +
    '0.23 ms read 7.5 ms)',
  steal: 'steal time is CPU the hypervisor gave other guests: the guest waits without seeing why (proc(5), /proc/stat)',
  cpuSaturated:
    'on a saturated host etcd and its timers wait for a CPU: request latency and ' +
    'etcd_disk_wal_fsync_duration_seconds rise with CPU pressure, not with the disk (PSI, ' +
    'Documentation/accounting/psi.rst)',
  generator:
    'a request sent late with a client free was delayed by the load generator, not by etcd (open-loop accounting: ' +
    'intended vs actual send time)',
  eventLoop:
    'an answer read on the event loop is stamped when the socket delivers it; while the loop runs late it is not ' +
    "delivered, so the loop's lateness (perf_hooks' monitorEventLoopDelay) lies inside the response time",
  disk: "etcd's own WAL fsync or backend commit histograms were over their limits on a host with CPU to spare",
  memberLost:
    "a member that exits takes its clients' requests with it and its peers' proposals wait for a new quorum or " +
    'leader: what follows is the loss, not the disk (etcd failure modes, docs/op-guide/failures)',
  etcd:
    "etcd's disk histograms were within their limits on a host with CPU to spare: the time went inside etcd " +
    '(CPU, memory, its own work)',
} as const;

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? 'unknown' : `${Math.round(x * 1000) / 10} %`;
const ms = (ns: number) => `${+(ns / 1e6).toFixed(3)} ms`;
const cores = (x: number) => `${+x.toFixed(2)}`;

/** The host's CPU figures in words: "busy 97 %, CPU pressure 85 %, steal 0 %". */
export function hostCpuWords(h: HostEvidence | null): string {
  if (!h) return 'no host evidence';
  return (
    `host CPU busy ${pct(h.cpuBusy?.mean)}, CPU pressure ${pct(h.cpuPressureSome?.mean)}, steal ` +
    `${pct(h.cpuSteal?.mean)} (means over ${h.seconds} s, ${h.cpus} CPUs)`
  );
}

/** The host's CPU was saturated: busy share or CPU pressure at or above its limit. */
export function cpuSaturated(h: HostEvidence | null, l: AttributionLimits): boolean {
  const busy = h?.cpuBusy?.mean ?? null;
  const psi = h?.cpuPressureSome?.mean ?? null;
  return (busy !== null && busy >= l.cpuBusy) || (psi !== null && psi >= l.cpuPressure);
}

/**
 * A disk phase: on a saturated host, did the measuring thread wait for a CPU for
 * a material share of its measured time, or did the hypervisor take the CPU
 * (steal)? Otherwise the figures are the disk's. (The wait share alone is not
 * enough: a thread that sleeps between operations waits for a CPU after each
 * wake-up too, outside its samples, so a quiet host shows a share as well.)
 */
export function diskAttribution(
  host: HostEvidence | null,
  durable: LatencySummary | null,
  what: string,
  l: AttributionLimits,
  thread = 'writer',
): Attribution {
  const measuredNs = durable ? durable.meanNs * durable.count : 0;
  const waitNs = host?.threads[thread]?.waitNs ?? null;
  const share = waitNs !== null && measuredNs > 0 ? Math.min(1, waitNs / measuredNs) : null;
  const steal = host?.cpuSteal?.mean ?? null;
  const figures = {
    cpuWaitShare: share,
    cpuWaitNs: waitNs,
    measuredNs,
    operations: durable?.count ?? null,
    cpuBusy: host?.cpuBusy?.mean ?? null,
    cpuPressure: host?.cpuPressureSome?.mean ?? null,
    steal,
  };
  const waited =
    waitNs !== null && durable && durable.count > 0
      ? `the ${thread} thread waited for a CPU for ${pct(share)} of the time measured as ${what} (${ms(waitNs)} in ` +
        `${durable.count} operations, ${+(waitNs / durable.count / 1e3).toFixed(1)} us each on average)`
      : null;
  if (share !== null && share >= l.cpuWaitShare && cpuSaturated(host, l))
    return {
      cause: 'host',
      rule: 'cpu-wait',
      short: 'the writer waited for a CPU on a saturated host',
      why: `not a disk figure: the host's CPU was saturated and ${waited}; ${hostCpuWords(host)}`,
      source: SOURCES.cpuWait,
      figures,
    };
  if (steal !== null && steal >= l.steal)
    return {
      cause: 'host',
      rule: 'steal',
      short: 'the hypervisor took the CPU (steal)',
      why:
        `not a disk figure: the hypervisor ran other guests for ${pct(steal)} of the CPU time (steal, limit ` +
        `${pct(l.steal)})`,
      source: SOURCES.steal,
      figures,
    };
  const base = waited ?? `no run-queue evidence for the ${thread} thread`;
  const saturated = cpuSaturated(host, l) ? 'the host was saturated, but' : 'the host had CPU to spare';
  return {
    cause: 'disk',
    rule: 'disk',
    short: 'the disk',
    source: SOURCES.cpuWait,
    figures,
    why:
      `the disk's figure: ${saturated}; ${base} (the host's would be ${pct(l.cpuWaitShare)} or more on a ` +
      `saturated host); ${hostCpuWords(host)}`,
  };
}

export interface EtcdPhaseEvidence {
  host: HostEvidence | null;
  members: MemberMetrics[];
  /** The members run on this host (a local etcd): their CPU counts in the host's. */
  local: boolean;
  generatorDelay: LatencySummary | null;
  /**
   * How late the generator's event loop ran, where answers are read on it (not on the native pacer): an answer waits
   * that long unread, inside its response time.
   */
  eventLoopDelay?: { p99Ns: number; maxNs: number } | null;
  /** etcd's own disk checks (WAL fsync p99, and commit p99 from its buckets): failed, passed, or unknown. */
  serverDiskFailed: boolean | null;
  serverDiskWords: string;
  /** Local members that exited mid-run (the load went on with the rest). */
  lost?: { name: string; how: string; atSecond: number }[];
  /** Requests that failed, by error kind. */
  errors?: Record<string, number>;
}

/**
 * An etcd phase: a saturated CPU (and whose), a late generator, noisy neighbours, the disk seen by etcd, or etcd
 * itself.
 */
export function etcdAttribution(e: EtcdPhaseEvidence, l: AttributionLimits): Attribution {
  const h = e.host;
  const busy = h?.cpuBusy?.mean ?? null;
  const psi = h?.cpuPressureSome?.mean ?? null;
  const steal = h?.cpuSteal?.mean ?? null;
  const ours = h?.processCores?.mean ?? 0;
  const etcdCores = e.local ? e.members.reduce((a, m) => a + (m.cpuCores?.mean ?? 0), 0) : 0;
  const cpus = h?.cpus ?? 0;
  const others = busy !== null ? Math.max(0, busy * cpus - etcdCores - ours) : null;
  const gen = e.generatorDelay && e.generatorDelay.count > 0 ? e.generatorDelay.p99Ns : null;
  const figures = {
    cpuBusy: busy,
    cpuPressure: psi,
    steal,
    cpus,
    etcdCores: e.local ? etcdCores : null,
    clientCores: ours,
    otherCores: others,
    generatorDelayP99Ns: gen,
  };
  const lost = e.lost ?? [];
  if (lost.length > 0) {
    const failed = Object.entries(e.errors ?? {});
    const errs =
      failed.length > 0
        ? `; ${failed.reduce((a, [, n]) => a + n, 0)} requests failed ` +
          `(${failed.map(([k, n]) => `${k} ${n}`).join(', ')}): the client has no failover, so requests bound ` +
          'for the lost member fail or wait out their deadline'
        : '';
    return {
      cause: 'etcd',
      rule: 'member-lost',
      short: `a member was lost mid-run (${lost.map((m) => m.name).join(', ')})`,
      source: SOURCES.memberLost,
      figures: { ...figures, membersLost: lost.length, firstLostAtSecond: lost[0]!.atSecond },
      why:
        `not a disk verdict: ${lost.map((m) => `${m.how} at second ${m.atSecond}`).join('; ')}${errs}; the ` +
        `figures after it describe a cluster short of a member (${hostCpuWords(h)})`,
    };
  }
  if (cpuSaturated(h, l)) {
    const users: [Cause, number, string][] = [
      ['host', others ?? 0, 'other processes'],
      ['etcd', etcdCores, e.local ? 'etcd' : 'etcd (remote, not on this host)'],
      ['client', ours, 'the load generator'],
    ];
    const [cause, , who] = users.reduce((a, u) => (u[1] > a[1] ? u : a));
    const split =
      `cores used of ${cpus}: etcd ${cores(etcdCores)}, the load generator ${cores(ours)}, other ` +
      `processes ${cores(others ?? 0)}`;
    return {
      cause,
      rule: 'cpu-saturated',
      short: `the host's CPU was saturated, most of it used by ${who}`,
      source: SOURCES.cpuSaturated,
      figures,
      why:
        `not a disk verdict: the host's CPU was saturated (${hostCpuWords(h)}; ${split}); the most CPU went to ` +
        `${who}; etcd's latency figures are upper bounds`,
    };
  }
  if (gen !== null && gen >= l.generatorDelayNs)
    return {
      cause: 'client',
      rule: 'generator-late',
      short: 'the load generator sent requests late',
      source: SOURCES.generator,
      figures,
      why:
        `not a disk verdict: the load generator was late: requests left ${ms(gen)} after their due time at p99 ` +
        `with a client free (limit ${ms(l.generatorDelayNs)}); it used ${cores(ours)} cores`,
    };
  const loop = e.eventLoopDelay?.p99Ns ?? null;
  if (loop !== null && loop >= l.generatorDelayNs)
    return {
      cause: 'client',
      rule: 'event-loop-late',
      short: "the load generator's event loop ran late",
      source: SOURCES.eventLoop,
      figures: { ...figures, eventLoopDelayP99Ns: loop },
      why:
        `not a disk verdict: the load generator's event loop ran ${ms(loop)} late at p99 (worst ` +
        `${ms(e.eventLoopDelay!.maxNs)}; limit ${ms(l.generatorDelayNs)}): answers waited that long unread, inside ` +
        `their response time; it used ${cores(ours)} cores`,
    };
  if (steal !== null && steal >= l.steal)
    return {
      cause: 'host',
      rule: 'steal',
      short: 'the hypervisor took the CPU (steal)',
      source: SOURCES.steal,
      figures,
      why: `not a disk verdict: the hypervisor ran other guests for ${pct(steal)} of the CPU time (steal)`,
    };
  if (e.serverDiskFailed === true)
    return {
      cause: 'disk',
      rule: 'server-disk',
      short: 'the disk, as etcd saw it',
      source: SOURCES.disk,
      figures,
      why: `the disk, as etcd saw it: ${e.serverDiskWords}, with CPU to spare (${hostCpuWords(h)})`,
    };
  if (e.serverDiskFailed === null)
    return {
      cause: 'disk',
      rule: 'no-server-view',
      short: 'the disk is not ruled out',
      source: SOURCES.disk,
      figures,
      why:
        `etcd's own disk figures could not be read, and nothing points at the host or the client ` +
        `(${hostCpuWords(h)}): the disk is not ruled out`,
    };
  const mem = e.members.map((m) => m.residentBytes).filter((r) => r !== null);
  const memWords =
    mem.length > 0
      ? `, its memory ${mem.map((r) => `${Math.round(r!.first / 1e6)} -> ${Math.round(r!.last / 1e6)} MB`).join(', ')}`
      : '';
  return {
    cause: 'etcd',
    rule: 'etcd-itself',
    short: 'etcd itself, with its disk figures within limits',
    source: SOURCES.etcd,
    figures,
    why:
      `not a disk verdict: ${e.serverDiskWords}, within the limits, with CPU to spare (${hostCpuWords(h)}); the ` +
      `time went inside etcd (its CPU ${e.local ? `${cores(etcdCores)} cores` : 'not on this host'}${memWords})`,
  };
}
