// A qualify report as Markdown for a change ticket: the verdict, the checks,
// the key percentiles, host and disk, and how to run it again. A pure
// function of the report.
import type { Check } from '../verdict/check.js';
import type { QualifyReport } from '../qualify/report.js';
import type { LatencySummary } from '../stats/summary.js';
import { deviceLine, hostLine } from './disk-text.js';
import { checkValue, ms, statusWord } from './format.js';
import { liveEtcdGuardLines, liveEtcdLines } from './live-etcd-text.js';
import { burstLine, deviceIoLine } from './device-io-text.js';
import { likeMarkdown } from './like-text.js';

export const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function checkRow(c: Check): string {
  const measured = c.range ?? (c.measured === null ? '-' : checkValue(c, c.measured));
  const result =
    c.status === 'pass'
      ? 'PASS'
      : c.status === 'fail'
        ? '**FAIL**'
        : c.status === 'inconclusive'
          ? `not the disk: ${statusWord(c).toLowerCase()}`
          : statusWord(c);
  return (
    `| ${cell(c.title)} | ${cell(measured)} | ${c.comparison} ${cell(checkValue(c, c.limit))} | ` +
    `${result}${c.note ? `: ${cell(c.note)}` : ''} | ${cell(c.source)} |`
  );
}

function latencyRow(label: string, s: LatencySummary | null | undefined): string | null {
  if (!s) return null;
  return `| ${label} | ${s.count} | ${[s.p50Ns, s.p90Ns, s.p99Ns, s.p999Ns, s.maxNs].map(ms).join(' | ')} |`;
}

/** The ticket-ready summary. */
export function renderQualifyMarkdown(r: QualifyReport): string {
  const head = r.complete
    ? r.verdict.passed
      ? `PASS, grade ${r.grade.letter}`
      : `FAIL, grade ${r.grade.letter ?? '-'}`
    : 'INCOMPLETE';
  const fio = r.phases.fio.result;
  const wal = r.phases.wal.result;
  const etcd = r.phases.etcd.result;
  const out = [
    `## etcd disk qualification: ${head} (${r.target.dir} on ${r.host.hostname})`,
    '',
    `**Verdict:** ${r.verdict.text}`,
    '',
    '| check | measured | limit | result | source |',
    '|---|---|---|---|---|',
    ...r.checks.map(checkRow),
    '',
    '### Key latencies (ms)',
    '',
    '| stream | count | p50 | p90 | p99 | p99.9 | max |',
    '|---|---|---|---|---|---|---|',
    ...[
      latencyRow("fdatasync, fio's etcd recipe", fio?.latency.sync),
      latencyRow('WAL fdatasync (etcd shape)', wal?.latency.sync),
      latencyRow('backend commit', wal?.commit?.latency.op),
      latencyRow('etcd request (kube workload)', etcd?.latency.response),
    ].filter((l): l is string => l !== null),
  ];
  for (const m of etcd?.server ?? [])
    out.push(
      '',
      `etcd's own WAL fsync (${m.url}, from its buckets): p50 ${m.walFsync?.p50?.text ?? '-'}, p99 ` +
        `${m.walFsync?.p99?.text ?? '-'}; leader changes ${m.leaderChanges ?? '-'}, failed proposals ` +
        `${m.proposalsFailed ?? '-'}`,
    );
  out.push(...likeMarkdown(r.like, cell));
  const io = [deviceIoLine(etcd?.deviceIo, etcd?.deviceWritesPerRequest), burstLine(r.burst)].filter(
    (l): l is string => l !== null,
  );
  if (io.length > 0) out.push('', '### Device writes and burst credits', '', ...io.map((l) => `- ${cell(l.trim())}`));
  const live = liveEtcdLines(r.liveEtcd);
  if (live.length > 0)
    out.push('', '### A live etcd shared the disk (--allow-live-etcd)', '', ...live.map((l) => `- ${cell(l.trim())}`));
  out.push('', '### Host and disk', '', `- ${hostLine(r.host).replace(/^host:\s+/, 'host: ')}`);
  out.push(...liveEtcdGuardLines(r.liveEtcdGuard).map((l) => `- ${cell(l.trim())}`));
  const dev = deviceLine(r.target);
  out.push(`- ${dev ? dev.replace(/^device:\s+/, 'device: ') : `filesystem ${r.target.fsType}`}`);
  out.push(
    `- etcd: ${r.etcd ? `${r.etcd.version} (${r.etcd.bin})` : 'none found: the etcd phase did not run'}; tool: ` +
      `${r.tool.name} ${r.tool.version}`,
  );
  for (const [name, p] of Object.entries(r.phases))
    out.push(
      `- phase ${name}: ${p.status}${p.reason ? ` (${cell([p.reason, p.hint].filter(Boolean).join('; '))})` : ''}`,
    );
  out.push(
    '',
    '### How to reproduce',
    '',
    '```',
    r.commandLine,
    '```',
    '',
    `Run ${r.runId}, ${r.startedAt} to ${r.finishedAt}, profile ${r.profile?.name ?? '-'}; report schema ${r.schema}.`,
  );
  if (!r.complete) out.push('', `**Incomplete:** ${r.incompleteReason}`);
  return `${out.join('\n')}\n`;
}
