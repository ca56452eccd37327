// What the live views show while observing: each member's figures so far, the
// worst member's WAL fsync p99 per interval as the chart, and the checks and
// letters as they stand.
import type { MemberNow, TickEvent } from '../events/events.js';
import type { WindowRow } from '../stats/windows.js';
import type { ObservedMember } from './observe-report.js';

function rowsOf(m: ObservedMember, startMs: number): WindowRow[] {
  return m.intervals.slice(-120).map((r) => ({
    second: Math.round((r.endMs - r.seconds * 1000 - startMs) / 1000),
    count: r.walFsyncs,
    p50Ns: r.walFsyncP50?.estimateNs ?? null,
    p99Ns: r.walFsyncP99?.estimateNs ?? null,
    maxNs: null,
  }));
}

/** The tick for the members as they stand. */
export function observeTick(
  members: ObservedMember[],
  o: { elapsedNs: number; plannedNs: number; startMs: number; walLimitNs: number },
): TickEvent {
  const last = (m: ObservedMember) => m.intervals[m.intervals.length - 1];
  const worst = [...members].sort(
    (a, b) => (last(b)?.walFsyncP99?.estimateNs ?? -1) - (last(a)?.walFsyncP99?.estimateNs ?? -1),
  )[0];
  const now: MemberNow[] = members.map((m) => ({
    name: m.name,
    walFsyncP99: m.metrics.walFsync?.p99?.text ?? null,
    lastWalFsyncP99: last(m)?.walFsyncP99?.text ?? null,
    backendCommitP99: m.metrics.backendCommit?.p99?.text ?? null,
    peerRttP99: m.checks.find((c) => c.id === 'peer-rtt-p99')?.range ?? null,
    leaderChanges: m.metrics.leaderChanges,
    letter: m.grade.letter,
  }));
  const fsyncs = members.reduce((a, m) => a + (m.metrics.walFsync?.count ?? 0), 0);
  const lastRate = members.reduce((a, m) => a + (last(m)?.walFsyncs ?? 0) / (last(m)?.seconds || 1), 0);
  const letters = members.map((m) => m.grade.letter).filter((l) => l !== null);
  return {
    type: 'tick',
    phase: 'observe',
    elapsedNs: o.elapsedNs,
    plannedNs: o.plannedNs,
    ops: fsyncs,
    opsLastSecond: members.some((m) => last(m)) ? Math.round(lastRate) : null,
    errors: members.reduce((a, m) => a + m.metrics.scrapeErrors, 0),
    streams: [],
    syncBuckets: null,
    series: worst ? rowsOf(worst, o.startMs) : [],
    seriesLimitNs: o.walLimitNs,
    server: worst
      ? {
          walFsyncP99: worst.metrics.walFsync?.p99?.text ?? null,
          backendCommitP99: worst.metrics.backendCommit?.p99?.text ?? null,
          leaderChanges: worst.metrics.leaderChanges,
          failedProposals: worst.metrics.proposalsFailed,
          hasLeader: worst.metrics.hasLeaderMin,
        }
      : null,
    members: now,
    checks: members.flatMap((m) => m.checks.map((c) => ({ ...c, id: `${m.name} ${c.id}` }))),
    letter: letters.length > 0 ? letters.sort().reverse()[0]! : null,
  };
}
