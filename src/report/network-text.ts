// The readable account of a `lab slow-network` run: a pure function of its result.
import type { NetworkResult } from '../lab/network-result.js';
import { statusWord } from './format.js';
import { renderLoadText } from './load-text.js';

const msOf = (ns: number | null | undefined) => (ns === null || ns === undefined ? '-' : (ns / 1e6).toFixed(1));

export function renderNetworkText(r: NetworkResult): string {
  const s = r.setup;
  const links =
    s.between === 'all'
      ? 'every link'
      : `the links of ${s.slowMember} (made the ${s.between === 'leader' ? 'leader' : 'follower'})`;
  const a = r.addedDelay;
  const stalls = s.stallNs > 0 ? `; the links stall ${s.stallNs / 1e6} ms every ${(s.stallEveryNs ?? 0) / 1e9} s` : '';
  const lines = [
    `etcd-disk-bench lab slow-network: ${s.delayNs / 1e6} ms one way` +
      `${s.jitterNs > 0 ? ` (+/- ${s.jitterNs / 1e6} ms)` : ''} ` +
      `on ${links}; ${s.members} members, --heartbeat-interval ${s.heartbeatMs} ms, --election-timeout ` +
      `${s.electionMs} ms${s.diskDelayNs > 0 ? `, ${s.diskDelayNs / 1e6} ms per fsync (slowfs)` : ''}` +
      `${stalls}; etcd ` +
      `${r.etcdVersion ?? '-'} on ${r.target.dir}${r.leaderAtStart ? `; leader at the start: ${r.leaderAtStart}` : ''}`,
    `added by the proxies (measured): p50 ${msOf(a.p50Ns)} ms, p99 ${msOf(a.p99Ns)} ms, max ${msOf(a.maxNs)} ms ` +
      `over ${a.chunks} chunks on ${a.delayedConnections} of ${a.connections} connections` +
      `${s.stallNs > 0 ? `; ${a.stalls} stalls held ${a.stalledChunks} chunks` : ''}`,
  ];
  if (r.load) lines.push('', renderLoadText(r.load).trimEnd());
  lines.push('', "etcd's own log warnings:");
  for (const m of r.members)
    lines.push(
      `  ${m.name}: ${m.heartbeatLate} "failed to send out heartbeat on time", ${m.slowApply} "took too long", ` +
        `${m.elections} elections started`,
    );
  // The links' checks carry both figures, the deciding one as the value: no separate table repeats them.
  lines.push(
    '',
    "peer round trip per link: etcd's own (etcd_network_peer_round_trip_time_seconds, its buckets; one recorded per " +
      "peer every 30 s) or what the proxies added on the link's chunks, whichever decides:",
  );
  for (const c of r.checks)
    lines.push(
      `${statusWord(c).padEnd(8)}${c.title} ${c.range ?? `${msOf(c.measured)} ms`} (limit < ${msOf(c.limit)} ms)` +
        `${c.note ? `: ${c.note}` : ''}`,
    );
  lines.push('', `AS OBSERVE GRADES IT: ${r.observed.verdict.text}`);
  const changes = Math.max(0, ...(r.load?.server.map((m) => m.leaderChanges ?? 0) ?? [0]));
  const failedProposals = (r.load?.server ?? []).reduce((x, m) => x + (m.proposalsFailed ?? 0), 0);
  const hbFail = (r.load?.server ?? []).reduce((x, m) => x + (m.heartbeatSendFailures ?? 0), 0);
  lines.push(
    '',
    `WHAT HAPPENED: request p99 ${r.load ? msOf(r.load.latency.response.p99Ns) : '-'} ms, ` +
      `${r.load?.totals.failed ?? 0} ` +
      `failed requests, ${changes} leader changes, ${r.elections} elections in the logs, ${failedProposals} failed ` +
      `proposals, ${hbFail} heartbeat send failures.`,
    `TUNING: ${r.tuning.text}`,
  );
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  if (!r.complete) lines.push(`INCOMPLETE: ${r.incompleteReason}`);
  return `${lines.join('\n')}\n`;
}
