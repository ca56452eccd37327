// `report compare BEFORE AFTER`: the key figures of two qualify reports side
// by side, and the regressions: a latency worse by more than the margin (and
// by at least a floor, so microseconds of noise do not count), IOPS lower by
// more than the margin, or a check that passed before and fails now.
import type { QualifyReport } from '../qualify/report.js';

export interface CompareOptions {
  /** Relative margin, e.g. 0.2 for 20 %. */
  margin: number;
  /** A latency must also have grown by at least this many ns. */
  floorNs: number;
}

export interface MetricRow {
  name: string;
  unit: 'ms' | 'ops/s';
  before: number | null;
  after: number | null;
  /** (after - before) / before; null when either is missing. */
  change: number | null;
  regression: boolean;
}

export interface Comparison {
  metrics: MetricRow[];
  flipped: { id: string; title: string; before: string; after: string }[];
  letters: { before: string | null; after: string | null };
  /** Why the two cannot be trusted side by side (an incomplete run). */
  caveats: string[];
  regressions: number;
}

type Picker = (r: QualifyReport) => number | null;

const METRICS: { name: string; unit: 'ms' | 'ops/s'; higherIsBetter?: boolean; pick: Picker }[] = [
  { name: 'WAL fdatasync p99', unit: 'ms', pick: (r) => r.phases.wal.result?.latency.sync.p99Ns ?? null },
  { name: "fdatasync p99, fio's recipe", unit: 'ms', pick: (r) => r.phases.fio.result?.latency.sync.p99Ns ?? null },
  { name: 'backend commit p99', unit: 'ms', pick: (r) => r.phases.wal.result?.commit?.latency.op.p99Ns ?? null },
  {
    name: 'longest write() or fdatasync',
    unit: 'ms',
    pick: (r) => r.checks.find((c) => c.id === 'stall')?.measured ?? null,
  },
  {
    name: 'write+fdatasync IOPS',
    unit: 'ops/s',
    higherIsBetter: true,
    pick: (r) => r.phases.fio.result?.totals.iops ?? null,
  },
  { name: 'etcd request p99', unit: 'ms', pick: (r) => r.phases.etcd.result?.latency.response.p99Ns ?? null },
  {
    name: "etcd's WAL fsync p99 (bucket estimate)",
    unit: 'ms',
    pick: (r) => r.checks.find((c) => c.id === 'etcd-wal-fsync-p99')?.measured ?? null,
  },
];

/** One figure before and after, and whether the change is a regression under the options. */
export function metricRow(
  name: string,
  unit: MetricRow['unit'],
  b: number | null,
  a: number | null,
  o: CompareOptions,
  higherIsBetter = false,
): MetricRow {
  if (b === null || a === null) return { name, unit, before: b, after: a, change: null, regression: false };
  const change = b === 0 ? (a === 0 ? 0 : Infinity) : (a - b) / b;
  const regression = higherIsBetter ? change < -o.margin : change > o.margin && a - b >= o.floorNs;
  return { name, unit, before: b, after: a, change, regression };
}

/** Compares two qualify reports. */
export function compareReports(before: QualifyReport, after: QualifyReport, o: CompareOptions): Comparison {
  const metrics = METRICS.map((m) => metricRow(m.name, m.unit, m.pick(before), m.pick(after), o, m.higherIsBetter));
  const flipped = after.checks
    .map((c) => ({ c, was: before.checks.find((x) => x.id === c.id) }))
    .filter(({ c, was }) => was?.status === 'pass' && c.status === 'fail')
    .map(({ c, was }) => ({ id: c.id, title: c.title, before: was!.status, after: c.status }));
  return comparison(metrics, flipped, before, after, []);
}

type Run = { complete: boolean; incompleteReason?: string; grade: { letter: string | null } };

/** The comparison from its rows: incomplete runs as caveats (an incomplete AFTER counts as a regression). */
export function comparison(
  metrics: MetricRow[],
  flipped: Comparison['flipped'],
  before: Run,
  after: Run,
  caveats: string[],
): Comparison {
  const all = [...caveats];
  if (!before.complete) all.push(`BEFORE is incomplete (${before.incompleteReason})`);
  if (!after.complete) all.push(`AFTER is incomplete (${after.incompleteReason}): no regression can be ruled out`);
  const regressions = metrics.filter((m) => m.regression).length + flipped.length + (after.complete ? 0 : 1);
  return {
    metrics,
    flipped,
    letters: { before: before.grade.letter, after: after.grade.letter },
    caveats: all,
    regressions,
  };
}

const fmt = (v: number | null, unit: MetricRow['unit']) =>
  v === null ? '-' : unit === 'ms' ? (v / 1e6).toFixed(3) : v.toFixed(1);

/** The comparison as text. */
export function renderComparison(c: Comparison, o: CompareOptions, names: { before: string; after: string }): string {
  const lines = [
    `before: ${names.before}`,
    `after:  ${names.after}`,
    '',
    `${'figure'.padEnd(42)}${'before'.padStart(12)}${'after'.padStart(12)}${'change'.padStart(10)}`,
  ];
  for (const m of c.metrics) {
    const change =
      m.change === null
        ? '-'
        : m.change === Infinity
          ? 'new'
          : `${m.change >= 0 ? '+' : ''}${(m.change * 100).toFixed(1)} %`;
    lines.push(
      `${`${m.name} (${m.unit})`.padEnd(42)}${fmt(m.before, m.unit).padStart(12)}${fmt(m.after, m.unit).padStart(12)}` +
        `${change.padStart(10)}${m.regression ? '  REGRESSION' : ''}`,
    );
  }
  for (const f of c.flipped) lines.push(`check ${f.title}: ${f.before} -> ${f.after}  REGRESSION`);
  lines.push(`grade: ${c.letters.before ?? '-'} -> ${c.letters.after ?? '-'}`);
  for (const w of c.caveats) lines.push(`caveat: ${w}`);
  const rule =
    `a latency worse by more than ${(o.margin * 100).toFixed(0)} % and by at least ` +
    `${(o.floorNs / 1e6).toFixed(3)} ms, IOPS lower by more than ${(o.margin * 100).toFixed(0)} %, or a check that ` +
    `passed and now fails`;
  lines.push(c.regressions === 0 ? `NO REGRESSION (${rule})` : `REGRESSION: ${c.regressions} found (${rule})`);
  return `${lines.join('\n')}\n`;
}
