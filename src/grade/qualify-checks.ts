// The checks of a `qualify` run, gathered from its three phases: the disk
// checks the phases already graded, plus IOPS and etcd's own view (its WAL
// fsync buckets, leader changes, failed proposals). A phase that did not run
// leaves its checks not-run, with why: they never count as passed.
import type { Check } from '../verdict/check.js';
import type { DiskResult } from '../disk/disk-result.js';
import type { LoadResult } from '../load/load-result.js';
import type { MemberMetrics } from '../etcd/server-metrics.js';
import { LIMIT_SOURCES, type RaftTiming } from './disk-checks.js';
import { serverWalCheck } from './server-disk.js';
import { applyAttribution } from './apply-attribution.js';
import { attributionLimits } from './attribution-limits.js';
import { attributeMiss } from './check-attribution.js';
import { hostDelay } from './host-delay.js';

export { serverWalCheck };

export interface QualifyLimits {
  syncP99Ns: number;
  commitP99Ns: number;
  raft: RaftTiming;
  minIops: number;
  recommendedIops: number;
  /** The etcd phase's own limits (from the kube profile and qualify's), quoted when it did not run. */
  etcd: { requestP99Ns: number; errors: number; throughputFloor: number };
}

/** A phase's outcome as the grade sees it: its result, or why there is none. */
export interface PhaseInput<R> {
  result: R | null;
  /** Why the phase has no result (not run, skipped, failed before measuring). */
  whyNot: string;
}

const HARDWARE_GUIDE = 'etcd hardware guide: sequential write+fdatasync IOPS';
const RAFT_SOURCE = "etcd metrics guide: a healthy cluster's leader stays put and its proposals commit";

function notRun(
  id: string,
  title: string,
  unit: Check['unit'],
  comparison: Check['comparison'],
  limit: number,
  source: string,
  note: string,
): Check {
  return { id, title, unit, comparison, measured: null, limit, status: 'not-run', source, note };
}

/** A check a phase graded, under a new id and title; not-run when the phase or the check is missing. */
function carried(
  from: DiskResult | LoadResult | null,
  id: string,
  as: { id: string; title?: string },
  whyNot: string,
): Check | null {
  const c = from?.checks.find((x) => x.id === id);
  if (!c) return null;
  const out: Check = { ...c, id: as.id, title: as.title ?? c.title };
  return from?.complete === false && c.status === 'pass'
    ? { ...out, status: 'not-run', note: whyNot !== '' ? whyNot : 'the phase did not complete' }
    : out;
}

function diskCheck(
  phase: PhaseInput<DiskResult>,
  id: string,
  as: { id: string; title: string },
  limit: number,
  source: string,
  unit: Check['unit'] = 'ns',
): Check {
  return carried(phase.result, id, as, phase.whyNot) ?? notRun(as.id, as.title, unit, '<', limit, source, phase.whyNot);
}

/** Sequential write+fdatasync operations per second, from the fio-recipe phase. */
export function iopsChecks(fio: PhaseInput<DiskResult>, l: QualifyLimits): Check[] {
  const required = {
    id: 'iops',
    title: 'write+fdatasync IOPS',
    unit: 'ops/s',
    comparison: '>=',
    limit: l.minIops,
    source: `${HARDWARE_GUIDE}, at least 50`,
  } as const;
  const advised = {
    id: 'iops-recommended',
    title: 'write+fdatasync IOPS for a busy cluster',
    unit: 'ops/s',
    comparison: '>=',
    limit: l.recommendedIops,
    source: `${HARDWARE_GUIDE}, 500 recommended for busy clusters`,
  } as const;
  const r = fio.result;
  if (!r || r.totals.ops === 0) {
    const why = r ? 'no operation completed' : fio.whyNot;
    return [
      notRun(required.id, required.title, 'ops/s', '>=', l.minIops, required.source, why),
      notRun(advised.id, advised.title, 'ops/s', '>=', l.recommendedIops, advised.source, why),
    ];
  }
  const iops = r.totals.iops;
  return [
    { ...required, measured: iops, status: iops >= l.minIops ? 'pass' : 'fail' },
    {
      ...advised,
      measured: iops,
      status: iops >= l.recommendedIops ? 'pass' : 'warn',
      ...(iops < l.recommendedIops && iops >= l.minIops
        ? { note: 'enough for a small cluster, not for a busy one' }
        : {}),
    },
  ];
}

/** The longest write() or sync of either disk phase: the worse phase's stall check, with that phase named. */
export function stallOfPhases(fio: PhaseInput<DiskResult>, wal: PhaseInput<DiskResult>, t: RaftTiming): Check {
  return longestOfPhases(fio, wal, t, 'stall', 'longest write() or fdatasync');
}

/** The worse of the two disk phases' longest-operation checks `id`, under `title`, with that phase named. */
export function longestOfPhases(
  fio: PhaseInput<DiskResult>,
  wal: PhaseInput<DiskResult>,
  t: RaftTiming,
  id: string,
  title: string,
): Check {
  const found = (['fio', 'wal'] as const)
    .map((phase) => ({ phase, c: (phase === 'fio' ? fio : wal).result?.checks.find((c) => c.id === id) }))
    .filter((x): x is { phase: 'fio' | 'wal'; c: Check } => x.c !== undefined && x.c.measured !== null);
  if (found.length === 0)
    return {
      ...notRun(id, title, 'ns', '<', 2 * t.heartbeatNs, LIMIT_SOURCES.stall, wal.whyNot),
      severeAt: t.electionNs,
    };
  const worst = found.reduce((a, x) => (x.c.measured! > a.c.measured! ? x : a));
  return { ...worst.c, title, note: [worst.c.note, `in the ${worst.phase} phase`].filter(Boolean).join('; ') };
}

/** The fio phase's IOPS shortfall, the host's only when its CPU wait and steal could have cost that much time. */
function attributeIops(c: Check, fio: DiskResult | null, minIops: number): Check {
  if (c.status !== 'fail' || !fio) return c;
  const requiredNs = Math.max(0, fio.totals.elapsedNs - (fio.totals.ops * 1e9) / minIops);
  const limits = attributionLimits(Object.fromEntries(Object.entries(fio.options ?? {}).map(([k, v]) => [k, v.value])));
  const d = hostDelay(fio.hostEvidence, 'writer', limits);
  return attributeMiss(
    c,
    d,
    requiredNs,
    `${fio.totals.ops} operations in ${+(fio.totals.elapsedNs / 1e9).toFixed(1)} s`,
  );
}

/** Leader changes and failed proposals during the load: etcd's Raft health on this disk. */
export function raftChecks(members: MemberMetrics[] | null, whyNot: string): Check[] {
  const changes = {
    id: 'leader-changes',
    title: 'leader changes during the load',
    unit: 'events',
    comparison: '<=',
    limit: 0,
    source: RAFT_SOURCE,
  } as const;
  const failed = {
    id: 'failed-proposals',
    title: 'failed Raft proposals during the load',
    unit: 'events',
    comparison: '<=',
    limit: 0,
    source: RAFT_SOURCE,
  } as const;
  if (!members)
    return [
      notRun(changes.id, changes.title, 'events', '<=', 0, changes.source, whyNot),
      notRun(failed.id, failed.title, 'events', '<=', 0, failed.source, whyNot),
    ];
  const read = (f: (m: MemberMetrics) => number | null, agg: 'max' | 'sum'): number | null => {
    const vs = members.map(f).filter((v): v is number => v !== null);
    if (vs.length === 0) return null;
    return agg === 'max' ? Math.max(...vs) : vs.reduce((a, v) => a + v, 0);
  };
  const noLeader = members.some((m) => m.hasLeaderMin === 0);
  const out: Check[] = [];
  const lc = read((m) => m.leaderChanges, 'max');
  out.push(
    lc === null
      ? notRun(changes.id, changes.title, 'events', '<=', 0, changes.source, "etcd's /metrics could not be read")
      : {
          ...changes,
          measured: lc,
          status: lc === 0 && !noLeader ? 'pass' : 'fail',
          ...(noLeader ? { note: 'a member was seen without a leader' } : {}),
        },
  );
  const fp = read((m) => m.proposalsFailed, 'sum');
  out.push(
    fp === null
      ? notRun(failed.id, failed.title, 'events', '<=', 0, failed.source, "etcd's /metrics could not be read")
      : { ...failed, measured: fp, status: fp === 0 ? 'pass' : 'fail' },
  );
  return out;
}

/** etcd ran on the disk but never held a stable leader: a severe Raft failure measured in elections. */
export function noLeaderCheck(elections: number, why: string): Check {
  return {
    id: 'leader-changes',
    title: 'leader changes during the load',
    unit: 'events',
    comparison: '<=',
    limit: 0,
    measured: elections,
    status: 'fail',
    cause: 'disk',
    source: RAFT_SOURCE,
    note: `${why}; the load could not start`,
  };
}

/** Every check of a qualify run, the WAL fdatasync p99 first (the letter is built on it). */
export function qualifyChecks(
  fio: PhaseInput<DiskResult>,
  wal: PhaseInput<DiskResult>,
  etcd: PhaseInput<LoadResult>,
  l: QualifyLimits,
  noLeader?: { elections: number; why: string },
): Check[] {
  const load = (
    id: string,
    as: string,
    title: string,
    unit: Check['unit'],
    comparison: Check['comparison'],
    limit: number,
  ) =>
    carried(etcd.result, id, { id: as, title }, etcd.whyNot) ??
    notRun(as, title, unit, comparison, limit, 'the kube profile', etcd.whyNot);
  const checks = [
    diskCheck(wal, 'sync-p99', { id: 'sync-p99', title: 'WAL fdatasync p99' }, l.syncP99Ns, LIMIT_SOURCES.walFsyncP99),
    diskCheck(
      fio,
      'sync-p99',
      { id: 'fio-sync-p99', title: "fdatasync p99, fio's etcd recipe" },
      l.syncP99Ns,
      LIMIT_SOURCES.walFsyncP99,
    ),
    diskCheck(
      wal,
      'commit-p99',
      { id: 'commit-p99', title: 'backend commit p99' },
      l.commitP99Ns,
      LIMIT_SOURCES.commitP99,
    ),
    ...iopsChecks(fio, l),
    stallOfPhases(fio, wal, l.raft),
    longestOfPhases(fio, wal, l.raft, 'save-stall', 'longest write + fdatasync (WAL.Save, a cut whole)'),
    diskCheck(
      wal,
      'latency-over-time',
      { id: 'latency-over-time', title: 'WAL fdatasync p99 over time' },
      l.syncP99Ns,
      LIMIT_SOURCES.overTime,
    ),
    serverWalCheck(etcd.result?.server ?? null, etcd.whyNot, l.syncP99Ns),
    ...(noLeader
      ? [noLeaderCheck(noLeader.elections, noLeader.why), raftChecks(null, etcd.whyNot)[1]!]
      : raftChecks(etcd.result?.server ?? null, etcd.whyNot)),
    load('request-p99', 'etcd-request-p99', 'etcd request p99 (kube workload)', 'ns', '<=', l.etcd.requestP99Ns),
    load('errors', 'etcd-errors', 'etcd failed requests', 'requests', '<=', l.etcd.errors),
    load('throughput', 'etcd-throughput', 'etcd requests/s achieved', 'requests/s', '>', l.etcd.throughputFloor),
  ];
  // The checks computed here from a phase's figures carry that phase's attribution (the carried ones have it already).
  const fioChecks = checks.map((c) => (c.id === 'iops' ? attributeIops(c, fio.result, l.minIops) : c));
  return applyAttribution(fioChecks, noLeader ? null : (etcd.result?.attribution ?? null), (id) =>
    ETCD_PHASE_CHECKS.test(id),
  );
}

/** The checks of the etcd phase. */
export const ETCD_PHASE_CHECKS = /^(etcd-|leader-changes|failed-proposals)/;
