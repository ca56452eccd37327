// Turns the load's state each second into a tick: request latency so far,
// etcd's own numbers from the latest /metrics scrape, and the checks as they
// stand (from the grader the load was handed: the rules qualify grades by).
import type { ServerNow, TickEvent } from '../events/events.js';
import type { LoadRecorder } from '../stats/load-recorder.js';
import type { MemberMetrics } from '../etcd/server-metrics.js';
import type { LoadGrading } from './load-grading.js';

/** The worst member's numbers. */
export function serverNow(members: MemberMetrics[]): ServerNow {
  const worst = (f: (m: MemberMetrics) => { estimateNs: number; text: string } | null | undefined) =>
    members
      .map(f)
      .filter((q): q is { estimateNs: number; text: string } => Boolean(q))
      .sort((a, b) => b.estimateNs - a.estimateNs)[0]?.text ?? null;
  const nums = (f: (m: MemberMetrics) => number | null) => members.map(f).filter((v): v is number => v !== null);
  const changes = nums((m) => m.leaderChanges);
  const failed = nums((m) => m.proposalsFailed);
  const leader = nums((m) => m.hasLeaderMin);
  return {
    walFsyncP99: worst((m) => m.walFsync?.p99),
    backendCommitP99: worst((m) => m.backendCommit?.p99),
    leaderChanges: changes.length > 0 ? Math.max(...changes) : null,
    failedProposals: failed.length > 0 ? failed.reduce((a, v) => a + v, 0) : null,
    hasLeader: leader.length > 0 ? Math.min(...leader) : null,
  };
}

/** The bounds a load's tick marks: etcd's WAL fsync p99 and the request p99. */
export interface LoadTickLimits {
  serverWalNs: number;
  requestP99Ns: number;
}

/** The tick of a running load. `rec` is null when the load runs in worker threads (their numbers arrive at the end). */
export function loadTick(
  phase: string,
  elapsedNs: number,
  plannedNs: number,
  rec: LoadRecorder | null,
  members: MemberMetrics[],
  limits: LoadTickLimits,
  grading: LoadGrading,
): TickEvent {
  const snap = rec?.snapshot() ?? null;
  return {
    type: 'tick',
    phase,
    elapsedNs,
    plannedNs,
    ops: snap?.response.count ?? 0,
    opsLastSecond: snap?.lastSecond?.count ?? null,
    errors: snap?.errors ?? 0,
    streams: snap
      ? [{ name: 'request', lastSecond: snap.lastSecond, total: snap.response, limitNs: limits.requestP99Ns }]
      : [],
    syncBuckets: null,
    series: snap?.series ?? [],
    seriesLimitNs: limits.requestP99Ns,
    server: serverNow(members),
    checks: grading.tick(members, limits.serverWalNs),
    letter: null,
  };
}
