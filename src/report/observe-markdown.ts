// An observe report as Markdown for a change ticket: the verdict, one table
// of members, each member's checks, and how to run it again.
import { formatDuration } from '../options/units.js';
import type { ObserveReport } from '../observe/observe-report.js';
import { hostLine } from './disk-text.js';
import { cell, checkRow } from './qualify-markdown.js';

/** The ticket-ready summary of an observation. */
export function renderObserveMarkdown(r: ObserveReport): string {
  const head = !r.complete
    ? 'INCOMPLETE'
    : r.verdict.passed
      ? `PASS, grade ${r.grade.letter}`
      : `FAIL, grade ${r.grade.letter ?? '-'}`;
  const s = r.source;
  const from =
    s.kind === 'members'
      ? `${s.endpoints.join(',')}, /metrics every ${s.intervalSeconds} s for ${r.window.seconds} s`
      : `Prometheus ${s.url}, the last ${formatDuration(s.sinceSeconds * 1e9)} in ${s.stepSeconds}-s steps`;
  const out = [
    `## etcd cluster observed: ${head} (${from})`,
    '',
    `**Verdict:** ${cell(r.verdict.text)}`,
    '',
    `Window: ${new Date(r.window.startMs).toISOString()} to ${new Date(r.window.endMs).toISOString()}. Figures are ` +
      "etcd's own bucket histograms: each p99 is a bucket range.",
    '',
    '| member | grade | WAL fsync p99 | backend commit p99 | worst peer RTT p99 | leader changes | failed ' +
      'proposals | heartbeats late |',
    '|---|---|---|---|---|---|---|---|',
    ...r.members.map((m) => {
      const x = m.metrics;
      const rtt = m.checks.find((c) => c.id === 'peer-rtt-p99')?.range ?? '-';
      return (
        `| ${cell(m.name)}${m.id && r.cluster?.leaderId === m.id ? ' (leader)' : ''} | ${m.grade.letter ?? '-'} | ` +
        `${x.walFsync?.p99?.text ?? '-'} | ${x.backendCommit?.p99?.text ?? '-'} | ${rtt} | ` +
        `${x.leaderChanges ?? '-'} | ` +
        `${x.proposalsFailed ?? '-'} | ${x.heartbeatSendFailures ?? '-'} |`
      );
    }),
  ];
  for (const m of r.members)
    out.push(
      '',
      `### ${cell(m.name)}: grade ${m.grade.letter ?? '-'}`,
      '',
      '| check | measured | limit | result | source |',
      '|---|---|---|---|---|',
      ...m.checks.map(checkRow),
    );
  if (r.warnings.length > 0) out.push('', '### Warnings', '', ...r.warnings.map((w) => `- ${cell(w)}`));
  out.push(
    '',
    `Observed from: ${hostLine(r.host).replace(/^host:\s+/, '')}; tool ${r.tool.name} ${r.tool.version}.`,
    '',
    'Run again:',
    '',
    '```',
    r.commandLine,
    '```',
    '',
  );
  return out.join('\n');
}
