// The readable account of a `lab slow-disk` run: a pure function of its result.
import type { LabResult } from '../lab/lab-result.js';
import { renderLoadText } from './load-text.js';

/** What happened to etcd on the slowed disk. */
export function renderLabText(r: LabResult): string {
  const s = r.setup;
  const lines = [
    `etcd-disk-bench lab slow-disk: ${s.delayNs / 1e6} ms added to every ` +
      `fsync${s.jitterNs > 0 ? ` (+/- ${s.jitterNs / 1e6} ms)` : ''} on ${r.target.dir} (${r.target.fsType}); ` +
      `${s.members} member${s.members > 1 ? 's' : ''}, on the slowed disk: ` +
      `${s.slow === 'all' ? 'all' : `${s.slowMembers.join(', ')} (made the ${s.slow})`}; etcd ` +
      `${r.etcdVersion ?? '-'}` +
      `${r.leaderAtStart ? `; leader at the start: ${r.leaderAtStart}` : ''}`,
  ];
  if (r.noLeader) {
    lines.push(`NO LEADER: ${r.noLeader.message}. Every write would have failed: the load could not start.`);
  } else if (r.load) {
    lines.push('', renderLoadText(r.load).trimEnd());
  }
  if (r.members.length > 0) {
    lines.push('', "etcd's own log warnings:");
    for (const m of r.members)
      lines.push(
        `  ${m.name}${m.slow ? ' (slowed)' : ''}: ${m.slowFdatasync} "slow fdatasync", ${m.heartbeatLate} "failed ` +
          `to send out heartbeat on time", ${m.slowApply} "took too long", ${m.elections} elections started`,
      );
  }
  lines.push(`slowfs: ${r.slowfs.syncs ?? 0} syncs delayed, ${r.slowfs.writes ?? 0} writes passed through`);
  const changes = Math.max(0, ...(r.load?.server.map((m) => m.leaderChanges ?? 0) ?? [0]));
  const failedProposals = (r.load?.server ?? []).reduce((a, m) => a + (m.proposalsFailed ?? 0), 0);
  const hbFail = (r.load?.server ?? []).reduce((a, m) => a + (m.heartbeatSendFailures ?? 0), 0);
  lines.push(
    '',
    r.noLeader
      ? `WHAT HAPPENED: no stable leader (${r.noLeader.elections} elections, term ${r.noLeader.highestTerm}); the ` +
          `cluster was unavailable.`
      : `WHAT HAPPENED: request p99 ${r.load ? (r.load.latency.response.p99Ns / 1e6).toFixed(1) : '-'} ms, ` +
          `${r.load?.totals.failed ?? 0} failed requests, ${changes} leader changes, ${failedProposals} failed ` +
          `proposals, ${hbFail} heartbeat send failures.`,
  );
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  if (!r.complete) lines.push(`INCOMPLETE: ${r.incompleteReason}`);
  return `${lines.join('\n')}\n`;
}
