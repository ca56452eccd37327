// The readable summary of an observe report (printed after the run and by
// `report show`): the cluster, each member's figures and checks, the verdict.
import { formatDuration } from '../options/units.js';
import type { ObservedMember, ObserveReport } from '../observe/observe-report.js';
import { checkLine } from './format.js';

const mib = (b: number | null) => (b === null ? '-' : `${(b / 1048576).toFixed(1)} MiB`);

function sourceLine(r: ObserveReport): string {
  const s = r.source;
  return s.kind === 'members'
    ? `observed ${r.members.length} member${r.members.length === 1 ? '' : 's'} via ${s.endpoints.join(',')}, ` +
        'their /metrics read every ' +
        `${s.intervalSeconds} s for ${r.window.seconds} s (${new Date(r.window.startMs).toISOString()} to ` +
        `${new Date(r.window.endMs).toISOString()})`
    : `read ${r.members.length} members from Prometheus at ${s.url}: the last ` +
        `${formatDuration(s.sinceSeconds * 1e9)} in ` +
        `${s.stepSeconds}-s steps`;
}

function memberLines(m: ObservedMember, leader: string | null, sourcesSaid: Set<string>): string[] {
  const x = m.metrics;
  const info = m.info;
  // A reason that is one check's note (no WAL fsync in the window) points at that check instead of repeating it.
  const said = m.grade.letter === null ? m.checks.find((c) => c.note === m.grade.reason) : undefined;
  const grade = said ? `no grade: see ${said.title} below` : `grade ${m.grade.letter ?? '-'} (${m.grade.reason})`;
  const lines = [
    `member ${m.name}${m.id ? ` (${m.id})` : ''}${leader !== null && m.id === leader ? ' [leader]' : ''}` +
      `${info?.version ? `, etcd ${info.version}` : ''}: ${grade}`,
    // The p99s are in the checks below; this line gives what they do not: the count and the median.
    `  WAL fsync: ${x.walFsync?.count ?? 0} in the window, p50 ${x.walFsync?.p50?.text ?? '-'}; backend commit p50 ` +
      `${x.backendCommit?.p50?.text ?? '-'}`,
  ];
  for (const p of m.peerRtt) lines.push(`  round trip to ${p.to}: p99 ${p.p99?.text ?? '-'} (${p.count} measured)`);
  lines.push(
    `  leader changes ${x.leaderChanges ?? '-'}, failed proposals ${x.proposalsFailed ?? '-'}, heartbeats sent ` +
      `late ${x.heartbeatSendFailures ?? '-'}, slow applies ${x.slowApplies ?? '-'}`,
    `  db ${mib(x.dbSizeBytes)}, in use ${mib(x.dbInUseBytes)}, quota ${mib(x.quotaBytes)}; reads ${x.scrapes} ok, ` +
      `${x.scrapeErrors} failed`,
  );
  const worst = m.intervals.reduce<(typeof m.intervals)[number] | null>(
    (w, r) => ((r.walFsyncP99?.estimateNs ?? -1) > (w?.walFsyncP99?.estimateNs ?? -1) ? r : w),
    null,
  );
  if (worst?.walFsyncP99)
    lines.push(
      `  worst interval: WAL fsync p99 ${worst.walFsyncP99.text} in the ${worst.seconds} s to ` +
        `${new Date(worst.endMs).toISOString()}`,
    );
  for (const c of m.checks) lines.push(`  ${checkLine(c, sourcesSaid).replace('\n', '\n  ')}`);
  return lines;
}

/** The observe report as text. */
export function renderObserveText(r: ObserveReport): string {
  const leader = r.cluster?.leaderId ?? null;
  const lines = [sourceLine(r)];
  if (r.cluster) {
    lines.push(`cluster ${r.cluster.clusterId}, leader ${leader ?? 'none'}`);
    for (const a of r.cluster.alarms) lines.push(`ALARM ${a.alarm} on member ${a.memberId}`);
  }
  lines.push('');
  // Each rule's source is quoted under its first member only.
  const sourcesSaid = new Set<string>();
  for (const m of r.members) lines.push(...memberLines(m, leader, sourcesSaid), '');
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  // The verdict below names the worst member; the GRADE line gives the letter alone.
  lines.push(`GRADE ${r.grade.letter ?? '-'}`);
  lines.push(r.verdict.text);
  return `${lines.join('\n')}\n`;
}
