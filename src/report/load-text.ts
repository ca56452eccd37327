// The readable summary of a load result: a pure function of the result.
import type { LoadResult } from '../load/load-result.js';
import type { BucketStream } from '../etcd/server-metrics.js';
import { formatDuration } from '../options/units.js';
import { latencyHeader, latencyRow } from './disk-text.js';
import { attributionShown, checkLine } from './format.js';
import { deviceIoLine } from './device-io-text.js';

function bucketLine(label: string, s: BucketStream | null): string | null {
  if (!s) return null;
  return (
    `  ${label.padEnd(22)} ${String(s.count).padStart(8)} observed, p50 ${s.p50?.text ?? '-'}, p99 ` +
    `${s.p99?.text ?? '-'}`
  );
}

function serverLines(r: LoadResult): string[] {
  const lines = ["etcd's own view (from /metrics; p99 from 1, 2, 4, 8 ... ms buckets: a range, not a measurement):"];
  for (const m of r.server) {
    const version = m.version ? ` (etcd ${m.version})` : '';
    lines.push(`${m.url}${version}${m.scrapeErrors > 0 ? ` (${m.scrapeErrors} failed scrapes)` : ''}`);
    for (const l of [
      bucketLine('WAL fsync', m.walFsync),
      bucketLine('backend commit', m.backendCommit),
      bucketLine('WAL write', m.walWrite),
    ])
      if (l) lines.push(l);
    // What this member's version lacks is said, not left blank (metric-names.ts).
    for (const w of m.missing ?? []) lines.push(`  missing: ${w}`);
    lines.push(
      `  leader changes ${m.leaderChanges ?? '-'}, lowest has_leader ${m.hasLeaderMin ?? '-'}, heartbeat send ` +
        `failures ${m.heartbeatSendFailures ?? '-'}, ` +
        `proposals committed ${m.proposalsCommitted ?? '-'} / failed ${m.proposalsFailed ?? '-'} / most pending ` +
        `${m.proposalsPendingMax ?? '-'}, slow applies ${m.slowApplies ?? '-'}`,
    );
  }
  return lines;
}

/** The summary printed on stderr after a load. */
export function renderLoadText(r: LoadResult): string {
  const w = r.workload;
  const t = r.totals;
  const target = r.target.local
    ? `local etcd ${r.target.local.version} (${r.target.local.members} ` +
      `member${r.target.local.members > 1 ? 's' : ''}) on ${r.target.local.dir} (${r.target.local.fsType})`
    : r.target.endpoints.join(',');
  const carrier = `${w.transport ?? 'grpc-js'}${w.pacing ? `, ${w.pacing} pacing` : ''}`;
  const lines = [
    `etcd-disk-bench load: ${target}${r.profile ? `, profile ${r.profile.name}` : ''}`,
    `workload: ${w.name}, ${w.loop === 'open' ? `open loop at ${w.rateTarget}/s` : 'closed loop'}, ${w.clients} ` +
      `clients over ${w.connections} connection${w.connections > 1 ? 's' : ''} (${carrier}), ` +
      `${w.runtimeNs > 0 ? formatDuration(w.runtimeNs) : `${w.total} requests`}`,
    `result:   ${t.answered} answered of ${t.sent} sent in ${(t.elapsedNs / 1e9).toFixed(2)} s: ` +
      `${t.achievedPerSec}/s; ${t.failed} failed` +
      `${t.conflicts > 0 ? `, ${t.conflicts} conflicts` : ''}; keys under ${r.keys.prefix} deleted: ` +
      `${r.keys.deleted ?? 'no'}`,
  ];
  const scheduled = r.workload.loop === 'open' && t.scheduled !== undefined;
  // Requests never sent are said once, on the schedule line below.
  for (const [kind, n] of Object.entries(t.errors))
    if (!(scheduled && kind === 'NotSent')) lines.push(`  error ${kind}: ${n}`);
  for (const l of r.target.local?.lost ?? []) lines.push(`  lost: ${l.how} at second ${l.atSecond}`);
  const io = deviceIoLine(r.deviceIo, r.deviceWritesPerRequest);
  if (io && r.deviceIo?.available) lines.push(io);
  lines.push(
    '',
    latencyHeader(),
    latencyRow('response', r.latency.response),
    latencyRow('service', r.latency.service),
    '',
  );
  lines.push(...serverLines(r), '');
  if (scheduled) {
    lines.push(
      `schedule: ${t.scheduled} due, ${
        t.notSent ? `${t.notSent} of them never sent (counted as failed)` : 'every one of them sent'
      }`,
    );
    lines.push(
      `sent late: p99 ${(r.latency.lateness.p99Ns / 1e6).toFixed(3)} ms, of it the generator's own (a client ` +
        `free): p99 ${(r.latency.generatorDelay.p99Ns / 1e6).toFixed(3)} ms`,
    );
  }
  if (attributionShown(r.attribution, r.checks))
    lines.push(`attribution: ${r.attribution.cause}: ${r.attribution.why}`);
  const sourcesSaid = new Set<string>();
  for (const c of r.checks) lines.push(checkLine(c, sourcesSaid));
  for (const m of r.warnings) lines.push(`warning: ${m}`);
  if (!r.complete) lines.push(`INCOMPLETE: ${r.incompleteReason}`);
  return `${lines.join('\n')}\n`;
}
