// The fleet table of `report merge`, as text and as Markdown.
import type { Fleet, FleetRow } from './merge.js';
import { ms } from './format.js';

const HEAD = ['node', 'device', 'fio p99 ms', 'WAL p99 ms', 'commit p99 ms', 'IOPS', 'grade', 'run'];

function cells(r: FleetRow): string[] {
  return [
    r.node,
    r.device,
    ms(r.fioP99Ns),
    ms(r.walP99Ns),
    ms(r.commitP99Ns),
    r.iops === null ? '-' : String(Math.round(r.iops)),
    r.letter ?? '-',
    r.complete ? 'complete' : 'INCOMPLETE',
  ];
}

function summary(f: Fleet): string[] {
  const lines = f.rows.filter((r) => r.outlier).map((r) => `outlier: ${r.node}: ${r.outlier}`);
  lines.push(
    f.failed === 0
      ? `all ${f.rows.length} nodes passed; the worst is ${f.worst}`
      : `${f.failed} of ${f.rows.length} nodes did not pass; the worst is ${f.worst}`,
  );
  return lines;
}

/** Aligned columns, one row per node. */
export function renderFleetText(f: Fleet): string {
  const rows = [HEAD, ...f.rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  return `${[...lines, '', ...summary(f)].join('\n')}\n`;
}

/** The same table in Markdown, for a change ticket. */
export function renderFleetMarkdown(f: Fleet): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return `${[
    `## etcd disk qualification across ${f.rows.length} nodes`,
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map(() => '---').join('|')}|`,
    ...f.rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
    '',
    ...summary(f).map((l) => `- ${esc(l)}`),
  ].join('\n')}\n`;
}
