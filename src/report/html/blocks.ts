// The pieces the HTML pages are built from: the checks table, a latency summary
// table, latency over time (p50/p99/max per second with the limit, and events
// marked where they happened), a latency distribution over doubling buckets
// (the limit and the percentiles drawn), the options with their sources, and
// the command to run again. Each chart carries its numbers in a table.
import type { Check } from '../../verdict/check.js';
import type { ValueSource } from '../../options/resolve.js';
import { rebucket } from '../../stats/rebucket.js';
import type { LatencySummary } from '../../stats/summary.js';
import type { WindowRow } from '../../stats/windows.js';
import { checkValue, statusWord } from '../format.js';
import { behind, esc, ms, msTick, table } from './html-text.js';
import { type Band, barChart, type BarLine, lineChart, type Mark, type Series } from './svg-chart.js';

/** Doubling bucket bounds for a distribution: 32 us ... 1.05 s, then everything slower. */
export const BOUNDS_S = [...Array.from({ length: 16 }, (_, k) => 32e-6 * 2 ** k), Infinity];

export function checksTable(checks: Check[], first: string[] = []): string {
  const rows = checks.map((c, i) => {
    const measured = c.range ?? (c.measured === null ? '-' : checkValue(c, c.measured));
    return (
      `<tr class="status-${c.status}">${first[i] !== undefined ? `<td>${esc(first[i]!)}</td>` : ''}` +
      `<td>${esc(statusWord(c))}</td><td>${esc(c.title)}</td><td>${esc(measured)}</td>` +
      `<td>${esc(`${c.comparison} ${checkValue(c, c.limit)}`)}</td><td>${esc(c.note ?? '')}</td>` +
      `<td>${esc(c.source)}</td></tr>`
    );
  });
  const head = [...(first.length > 0 ? ['member'] : []), 'result', 'check', 'measured', 'limit', 'note', 'source'];
  return (
    `<table class="checks"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

export function summaryTable(rows: [string, LatencySummary | null | undefined][]): string {
  return table(
    'numbers',
    ['stream', 'count', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms'],
    rows
      .filter((r): r is [string, LatencySummary] => !!r[1])
      .map(([name, s]) => [esc(name), String(s.count), ...[s.p50Ns, s.p90Ns, s.p99Ns, s.p999Ns, s.maxNs].map(ms)]),
  );
}

export interface TimeEvents {
  bands?: Band[];
  marks?: Mark[];
}

/**
 * p50, p99 and max per second as a chart, with the per-second rows behind it in a table (grouped to at most 60
 * rows, each group's highest value, so no peak is hidden). `runs` draws several runs on the same axes (compare).
 */
/** The fewest seconds a per-second chart is drawn for. */
export const MIN_CHART_SECONDS = 5;

export function overTime(
  title: string,
  runs: { name: string; rows: WindowRow[]; className?: string }[],
  limitNs: number | null,
  limitLabel: string,
  events: TimeEvents = {},
  axes: { xMax?: number; yMax?: number } = {},
): string {
  const seconds = Math.max(0, ...runs.map((r) => r.rows.length));
  // A line over two or three points says nothing a table does not: the page says so instead of drawing it.
  if (seconds < MIN_CHART_SECONDS)
    return (
      `<p class="note">${esc(title)}: too short for a chart (${seconds} s); the seconds are in the table.</p>` +
      runs.map((run) => windowTable(runs.length > 1 ? run.name : null, run.rows)).join('')
    );
  const pts = (rows: WindowRow[], pick: (r: WindowRow) => number | null) =>
    rows.map((r): [number, number | null] => [r.second, pick(r)]);
  const series: Series[] =
    runs.length === 1
      ? [
          { name: 'p50 per second', className: 'c-p50', points: pts(runs[0]!.rows, (r) => r.p50Ns) },
          { name: 'p99 per second', className: 'c-p99', points: pts(runs[0]!.rows, (r) => r.p99Ns) },
          { name: 'max per second', className: 'c-max', dashed: true, points: pts(runs[0]!.rows, (r) => r.maxNs) },
        ]
      : runs.map((run, i) => ({
          name: `${run.name}: p99 per second`,
          className: run.className ?? `c-s${i}`,
          points: pts(run.rows, (r) => r.p99Ns),
        }));
  const chart = lineChart({
    title,
    xLabel: 'seconds into the phase',
    yLabel: 'latency (ms)',
    yFormat: msTick,
    ...(limitNs !== null ? { limit: { value: limitNs, label: limitLabel } } : {}),
    ...events,
    ...axes,
    series,
  });
  return chart + runs.map((run) => windowTable(runs.length > 1 ? run.name : null, run.rows)).join('');
}

function windowTable(name: string | null, rows: WindowRow[]): string {
  const step = Math.max(1, Math.ceil(rows.length / 60));
  const out: string[][] = [];
  for (let i = 0; i < rows.length; i += step) {
    const g = rows.slice(i, i + step);
    const worst = (pick: (r: WindowRow) => number | null) => {
      const v = g.map(pick).filter((x): x is number => x !== null);
      return v.length > 0 ? ms(Math.max(...v)) : '-';
    };
    out.push([
      `${g[0]!.second}-${g[g.length - 1]!.second}`,
      String(g.reduce((a, r) => a + r.count, 0)),
      worst((r) => r.p50Ns),
      worst((r) => r.p99Ns),
      worst((r) => r.maxNs),
    ]);
  }
  return behind(
    `${name ? `${name}: ` : ''}the numbers behind the chart ` +
      `(${step === 1 ? 'each second' : `the highest of each ${step} s`})`,
    table('numbers', ['seconds', 'operations', 'p50 ms', 'p99 ms', 'max ms'], out),
  );
}

/** Where `ns` falls on a bucket axis starting at bucket `first`: bar index plus the fraction inside it. */
export function bucketPosition(ns: number, first: number, bounds = BOUNDS_S): number {
  const i = bounds.findIndex((b) => b * 1e9 >= ns);
  if (i === -1) return bounds.length - first;
  const lo = i === 0 ? 0 : bounds[i - 1]! * 1e9;
  const hi = bounds[i]! * 1e9;
  return i - first + (Number.isFinite(hi) ? (ns - lo) / (hi - lo) : 0.5);
}

function bucketLabel(i: number, bounds: number[]): string {
  const ub = bounds[i]!;
  if (!Number.isFinite(ub)) return `>${+(bounds[i - 1]! * 1e3).toPrecision(3)}`;
  return `${+(ub * 1e3).toPrecision(3)}`;
}

/**
 * The distribution of one or more runs' encoded HDR histograms over doubling buckets: bars over the limit marked,
 * the limit and each run's p50/p99/p99.9 as vertical lines. With two or more runs the bars are shares (%), so runs
 * of different lengths share an axis.
 */
export function distribution(
  title: string,
  runs: { name: string; encoded: string; summary: LatencySummary | null; className?: string }[],
  limitNs: number,
): string {
  const counted = runs.map((run) => {
    const h = rebucket(run.encoded, BOUNDS_S);
    return h.cumulative.map((c, i) => c - (i === 0 ? 0 : h.cumulative[i - 1]!));
  });
  const atLimit = BOUNDS_S.findIndex((b) => b * 1e9 >= limitNs);
  const any = BOUNDS_S.map((_, i) => counted.some((c) => c[i]! > 0));
  const first = Math.min(Math.max(0, any.indexOf(true)), atLimit);
  const last = Math.max(any.lastIndexOf(true), atLimit + 1);
  const idx = Array.from({ length: last - first + 1 }, (_, j) => first + j);
  const shares = runs.length > 1;
  const values = counted.map((c) => {
    const total = c.reduce((a, n) => a + n, 0) || 1;
    return idx.map((i) => (shares ? +((100 * c[i]!) / total).toFixed(3) : c[i]!));
  });
  const lines: BarLine[] = [
    { after: bucketPosition(limitNs, first), label: `limit ${ms(limitNs)} ms`, className: 'limit' },
  ];
  runs.forEach((run, k) => {
    const s = run.summary;
    if (!s || s.count === 0) return;
    const who = runs.length > 1 ? `${run.name} ` : '';
    // One run: p50, p99 and p99.9; several: each run's p99 only (the rest are in the tables), or the labels crowd.
    const marks: [string, number][] =
      runs.length === 1
        ? [
            ['p50', s.p50Ns],
            ['p99', s.p99Ns],
            ['p99.9', s.p999Ns],
          ]
        : [['p99', s.p99Ns]];
    for (const [q, ns] of marks)
      lines.push({ after: bucketPosition(ns, first), label: `${who}${q} ${ms(ns)} ms`, className: `pct pct-${k}` });
  });
  const chart = barChart({
    title,
    xLabel: 'latency bucket, upper bound (ms)',
    yLabel: shares ? 'share of operations (%)' : 'operations',
    labels: idx.map((i) => bucketLabel(i, BOUNDS_S)),
    series: runs.map((run, k) => ({ name: run.name, className: run.className ?? `c-s${k}`, values: values[k]! })),
    // One run: the bars past the limit in the warning colour; several: each run keeps its colour.
    ...(runs.length === 1 ? { over: idx.map((i) => i > atLimit) } : {}),
    lines,
  });
  const rows = idx.map((i, j) => [
    `${i === 0 ? '0' : ms(BOUNDS_S[i - 1]! * 1e9)} - ${Number.isFinite(BOUNDS_S[i]!) ? ms(BOUNDS_S[i]! * 1e9) : '...'}`,
    ...values.map((v) => String(v[j])),
  ]);
  return (
    chart +
    behind(
      'the numbers behind the chart',
      table('numbers', ['ms', ...runs.map((r) => (shares ? `${r.name} %` : 'count'))], rows),
    )
  );
}

/** The options of a run with where each value came from. */
export function optionsTable(options: Record<string, { value: unknown; source: ValueSource }>): string {
  return table(
    'numbers',
    ['option', 'value', 'from'],
    Object.entries(options).map(([k, v]) => [esc(k), esc(JSON.stringify(v.value)), esc(String(v.source))]),
  );
}

export function rerun(commandLine: string): string {
  return `<section><h2>Run it again</h2><pre>${esc(commandLine)}</pre></section>`;
}
