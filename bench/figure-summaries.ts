// The short forms of the recorded figures that the README and the other pages
// quote: each is drawn from one bench's recorded summary (docs/figures/NAME.md)
// by reading its tables, so a quoted figure cannot drift from the run it came
// from. A page shows one between `<!-- figures:SHORT -->` markers like any
// recorded block; `npm run figures` fills it and the figures test holds it.

/** A short form: the recorded file it reads and how it is written from that file's text. */
export interface FiguresSummary {
  from: string;
  make(recorded: string): string;
}

/** The cells of every table row of `text` whose first cell is `first` (trimmed, in order). */
export function rowsStartingWith(text: string, first: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    )
    .filter((cells) => cells[0] === first);
}

function oneRow(text: string, first: string, what: string): string[] {
  const rows = rowsStartingWith(text, first);
  if (rows.length !== 1) throw new Error(`${what}: ${rows.length} rows start with "${first}", expected 1`);
  return rows[0]!;
}

function matchOf(text: string, re: RegExp, what: string): RegExpExecArray {
  const m = re.exec(text);
  if (!m) throw new Error(`${what}: no ${re} in the recorded figures`);
  return m;
}

/** The part of `text` from the line starting with `heading` to the next heading of that level. */
export function section(text: string, heading: string): string {
  const start = text.split('\n').findIndex((l) => l.startsWith(heading));
  if (start < 0) throw new Error(`no section "${heading}" in the recorded figures`);
  const level = /^#+ /.exec(heading)?.[0] ?? '### ';
  const rest = text.split('\n').slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith(level));
  return rest.slice(0, end < 0 ? rest.length : end).join('\n');
}

/** "1.184 (0.933-1.634)" -> "1.184". */
const medianCell = (cell: string) => cell.split(' ')[0]!;

/** bench:fio: the time-based pairs' medians and the recipe's tail, each beside fio against fio. */
function fioSummary(text: string): string {
  const day = matchOf(text, /, (\d{4}-\d\d-\d\d)T/, 'fio')[1];
  const [, pairs, seconds] = matchOf(text, /### time-based: (\d+) pairs of (\d+) s/, 'fio');
  const tb = oneRow(section(text, '### time-based'), 'median', 'fio').filter((c) => c !== '');
  if (tb.length !== 6) throw new Error(`fio: the time-based median row has ${tb.length - 1} ratios, expected 5`);
  const [, iops, p50, p99, p999, p9999] = tb;
  const floor = oneRow(section(text, '### time-based'), 'control median', 'fio');
  const rounds = matchOf(text, /### real disk: .*, (\d+) rounds/, 'fio')[1];
  const [, samples, above] = matchOf(text, /about (\d+) samples: (\d+) of them above its p99\.9/, 'fio');
  const recipe = section(text, '### real disk');
  const native = oneRow(recipe, 'native', 'fio');
  const control = oneRow(recipe, 'fio (control)', 'fio');
  // The recipe's summary columns: tool, runs, p50, p99, p99.9, ... (bench/fio.ts TARGETS).
  return (
    `${seconds} s time-based pairs, ours / fio, medians of ${pairs} (${day}): IOPS ${iops}, p50 ${p50}, ` +
    `p99 ${p99}, p99.9 ${p999}, p99.99 ${p9999}; fio against fio p99.9 ${floor[4]}. ` +
    `fio's recipe (${samples} writes, about ${above} above p99.9), ` +
    `medians of ${rounds}: p99 ${medianCell(native[3]!)}, p99.9 ${medianCell(native[4]!)}; fio against fio ` +
    `${medianCell(control[3]!)} and ${medianCell(control[4]!)}.\n`
  );
}

/** bench:client: the per-request CPU table (the default kube path only) and the RSS growth. */
function clientTable(text: string): string {
  const when = matchOf(text, /^On this machine \((\d{4}-\d\d-\d\d)[,;].*BENCH_ROUNDS=(\d+)/m, 'client');
  const lines = [
    `${when[1]}, medians of ${when[2]}:`,
    '',
    '| load | etcdctl us | ours us | ours / etcdctl | etcd us beside etcdctl / ours | writes/s etcdctl / ours |',
    '|---|---|---|---|---|---|',
  ];
  for (const load of ['m', 'l']) {
    const rows = rowsStartingWith(text, load);
    if (rows.length === 0) continue;
    const [, a, b, ratio, etcdA, etcdB, wA, wB] = rows[0]!;
    lines.push(`| check perf ${load} | ${a} | ${b} | ${ratio} | ${etcdA} / ${etcdB} | ${wA} / ${wB} |`);
  }
  const kube = oneRow(text, 'kube 500/s, own transport, native pacing (ours / etcd)', 'client');
  lines.push(`| kube 500/s, 61 watches | - | ${kube[2]} | ${kube[3]} of etcd | - / ${kube[5]} | - / ${kube[7]} |`);
  const rss = /over a (\d+)-minute kube load.*first minute's: ([\d.]+)/.exec(text);
  if (rss) lines.push('', `Our RSS over ${rss[1]} minutes of kube load: ${rss[2]}x the first minute's.`);
  return `${lines.join('\n')}\n`;
}

/** bench:client: the kube load's cost in one sentence. */
function clientKube(text: string): string {
  const when = matchOf(text, /^On this machine \((\d{4}-\d\d-\d\d)[,;].*BENCH_KUBE_ROUNDS=(\d+)/m, 'client');
  const kube = oneRow(text, 'kube 500/s, own transport, native pacing (ours / etcd)', 'client');
  return (
    `${kube[2]} us of client CPU a request at 500/s, ${kube[3]} of etcd's own for the same requests ` +
    `(bench:client, ${when[1]}, the median of ${when[2]} runs).\n`
  );
}

/** bench:apiserver: the largest deviation, and the day and etcd it ran on. */
function apiserverSummary(text: string): string {
  const [, day, etcd] = matchOf(text, /^On this machine \((\d{4}-\d\d-\d\d); (etcd [\d.]+)/m, 'apiserver');
  const max = matchOf(text, /\*\*max deviation ([\d.]+ %)\*\*/, 'apiserver')[1];
  return `**max deviation ${max}** (${day}, ${etcd})\n`;
}

export const SUMMARIES: Record<string, FiguresSummary> = {
  'fio-summary': { from: 'fio', make: fioSummary },
  'client-summary': { from: 'client', make: clientTable },
  'client-kube': { from: 'client', make: clientKube },
  'apiserver-summary': { from: 'apiserver', make: apiserverSummary },
};
