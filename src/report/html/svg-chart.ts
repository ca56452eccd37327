// Charts as inline SVG, drawn by hand so the HTML report needs no script and
// no network: a line chart over time (the y axis always starts at 0: no
// truncated axis exaggerates a change) with the limit drawn, and a bar chart
// of a distribution over doubling buckets. Every chart has a title and a
// text description for screen readers; the numbers behind it live in a table
// beside it, never only in the picture. Events are drawn where they happened:
// shaded stretches (a step change), marks on the time axis (segment cuts,
// stalls), and vertical lines on a distribution (percentiles, the limit).

import { esc } from './html-text.js';

export interface Series {
  name: string;
  /** [x, y]; a null y is a gap. */
  points: [number, number | null][];
  /** A CSS class naming the colour (palette in the page's style sheet). */
  className: string;
  dashed?: boolean;
}

const W = 720;
const H = 260;
const PAD = { left: 64, right: 16, top: 16, bottom: 40 };

/** Round tick values for [0, max]: 1, 2 or 5 times a power of ten, about five of them. */
export function ticks(max: number): number[] {
  if (!(max > 0)) return [0];
  const raw = max / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  if (out[out.length - 1]! < max) out.push(+(out[out.length - 1]! + step).toPrecision(12));
  return out;
}

/** At most `n` points per series for display: each group's highest value, so no peak is lost. */
export function downsample(points: [number, number | null][], n: number): [number, number | null][] {
  if (points.length <= n) return points;
  const size = Math.ceil(points.length / n);
  const out: [number, number | null][] = [];
  for (let i = 0; i < points.length; i += size) {
    const group = points.slice(i, i + size);
    const ys = group.map((p) => p[1]).filter((y): y is number => y !== null);
    out.push([group[0]![0], ys.length > 0 ? Math.max(...ys) : null]);
  }
  return out;
}

/** A stretch of x shaded and labelled (a step change, a stretch above the limit). */
export interface Band {
  from: number;
  to: number;
  label: string;
}

/** An event at x, marked on the time axis (a segment cut, a stall) and named in its tooltip. */
export interface Mark {
  x: number;
  label: string;
  className: string;
}

const AXIS_Y = H - PAD.bottom;

function frame(
  title: string,
  nSeries: number,
  body: string,
  legend: { svg: string; lines: number },
  xLabel: string,
  yLabel: string,
): string {
  const h = H + 4 + 14 * legend.lines;
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${h}" role="img" aria-label="${esc(title)}" ` +
    `data-series="${nSeries}"><title>${esc(title)}</title>${body}` +
    `<line class="axis" x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${AXIS_Y}"/>` +
    `<line class="axis" x1="${PAD.left}" x2="${W - PAD.right}" y1="${AXIS_Y}" y2="${AXIS_Y}"/>` +
    `<text class="label" x="${(PAD.left + W - PAD.right) / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}` +
    `</text><text class="label" transform="translate(14 ${(PAD.top + AXIS_Y) / 2}) rotate(-90)" ` +
    `text-anchor="middle">${esc(yLabel)}</text>${legend.svg}</svg>`
  );
}

/** The legend under the chart, entries side by side, wrapped onto more lines when they do not fit. */
function legendOf(items: { name: string; className: string; symbol?: string }[]): { svg: string; lines: number } {
  if (items.length === 0) return { svg: '', lines: 0 };
  let x = PAD.left;
  let line = 0;
  const spans = items.map((s) => {
    const text = `${s.symbol ?? '■'} ${s.name}`;
    const width = text.length * 6.2 + 18;
    if (x > PAD.left && x + width > W - PAD.right) {
      x = PAD.left;
      line++;
    }
    const span = `<tspan class="${s.className}" x="${x.toFixed(0)}" y="${H + 14 + 14 * line}">${esc(text)}</tspan>`;
    x += width;
    return span;
  });
  return { svg: `<text class="legend">${spans.join('')}</text>`, lines: line + 1 };
}

function yGrid(yTicks: number[], py: (y: number) => number, format: (v: number) => string): string {
  return yTicks
    .map(
      (t) =>
        `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(t)}" y2="${py(t)}"/>` +
        `<text class="tick" x="${PAD.left - 6}" y="${py(t) + 4}" text-anchor="end">${esc(format(t))}</text>`,
    )
    .join('');
}

/**
 * A line chart of series over x, the limit (if any) as a labelled line, bands shaded and marks on the time axis.
 * `xMax`/`yMax` put several charts (two runs compared) on the same axes.
 */
export function lineChart(o: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  limit?: { value: number; label: string };
  bands?: Band[];
  marks?: Mark[];
  xMax?: number;
  yMax?: number;
  /** Formats a y value for the axis. */
  yFormat: (v: number) => string;
}): string {
  const series = o.series.map((s) => ({ ...s, points: downsample(s.points, 600) }));
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]).filter((y): y is number => y !== null));
  const xMax = o.xMax ?? Math.max(1, ...xs);
  const yTicks = ticks(o.yMax ?? Math.max(o.limit?.value ?? 0, ...ys, 0) * 1.05);
  const yMax = yTicks[yTicks.length - 1]! || 1;
  const px = (x: number) => PAD.left + (Math.min(x, xMax) / xMax) * (W - PAD.left - PAD.right);
  const py = (y: number) => AXIS_Y - (Math.min(y, yMax) / yMax) * (AXIS_Y - PAD.top);
  const paths = series.map((s) => {
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (y === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`;
      pen = true;
    }
    return (
      `<path class="series ${s.className}${s.dashed ? ' dashed' : ''}" d="${d}"><title>${esc(s.name)}` +
      `</title></path>`
    );
  });
  const xAxis = ticks(xMax).map(
    (t) => `<text class="tick" x="${px(t)}" y="${AXIS_Y + 16}" text-anchor="middle">${t}</text>`,
  );
  const limit = o.limit
    ? `<line class="limit" x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(o.limit.value)}" ` +
      `y2="${py(o.limit.value)}"/><text class="limit-label" x="${W - PAD.right}" y="${py(o.limit.value) - 4}" ` +
      `text-anchor="end">${esc(o.limit.label)}</text>`
    : '';
  const bands = (o.bands ?? []).map(
    (b) =>
      `<rect class="band" x="${px(b.from).toFixed(1)}" y="${PAD.top}" ` +
      `width="${Math.max(2, px(b.to) - px(b.from)).toFixed(1)}" height="${AXIS_Y - PAD.top}">` +
      `<title>${esc(b.label)}</title></rect><text class="band-label" x="${(px(b.from) + 3).toFixed(1)}" ` +
      `y="${PAD.top + 11}">${esc(b.label)}</text>`,
  );
  const marks = (o.marks ?? []).map(
    (m) =>
      `<path class="mark ${m.className}" d="M${px(m.x).toFixed(1)},${AXIS_Y}l-4,8h8z"><title>${esc(m.label)}` +
      '</title></path>',
  );
  const markKinds = [...new Map((o.marks ?? []).map((m) => [m.className, m.label.split(':')[0]!])).entries()];
  const legend = legendOf([
    ...series,
    ...markKinds.map(([className, name]) => ({ className: `mark ${className}`, name, symbol: '▲' })),
    ...((o.bands ?? []).length > 0 ? [{ className: 'band-key', name: 'shaded: a step change', symbol: '▮' }] : []),
  ]);
  return frame(
    o.title,
    series.length,
    `${bands.join('')}${yGrid(yTicks, py, o.yFormat)}${xAxis.join('')}${limit}${paths.join('')}${marks.join('')}`,
    legend,
    o.xLabel,
    o.yLabel,
  );
}

/** A vertical line on a bar chart, after `after` bars (fractional: inside a bar), labelled. */
export interface BarLine {
  after: number;
  label: string;
  className: string;
}

/**
 * A bar chart over buckets: one bar per series in each bucket (two runs, or ours beside etcd's), counts (or
 * shares) on a linear axis from 0; bars over the limit marked; vertical lines for the limit and percentiles.
 */
export function barChart(o: {
  title: string;
  xLabel: string;
  yLabel?: string;
  labels: string[];
  series: { name: string; className: string; values: number[] }[];
  /** Buckets past the limit (drawn in the warning colour). */
  over?: boolean[];
  lines?: BarLine[];
  yFormat?: (v: number) => string;
}): string {
  const max = Math.max(0, ...o.series.flatMap((s) => s.values));
  const yTicks = ticks(max > 0 ? max : 1);
  const yMax = yTicks[yTicks.length - 1]!;
  const bw = (W - PAD.left - PAD.right) / Math.max(1, o.labels.length);
  const sw = (bw - 2) / Math.max(1, o.series.length);
  const py = (y: number) => AXIS_Y - (y / yMax) * (AXIS_Y - PAD.top);
  const groups = o.series.map(
    (s, k) =>
      `<g class="bar-series ${s.className}">${s.values
        .map(
          (v, i) =>
            `<rect class="bar${o.over?.[i] ? ' over' : ''}" x="${(PAD.left + i * bw + 1 + k * sw).toFixed(1)}" ` +
            `y="${py(v).toFixed(1)}" width="${Math.max(0.5, sw - 0.5).toFixed(1)}" ` +
            `height="${(AXIS_Y - py(v)).toFixed(1)}"><title>${esc(s.name)}, ${esc(o.labels[i]!)}: ${v}</title></rect>`,
        )
        .join('')}</g>`,
  );
  const every = Math.max(1, Math.ceil(o.labels.length / 18));
  const xAxis = o.labels.map((l, i) =>
    i % every === 0
      ? `<text class="tick" x="${(PAD.left + i * bw + bw / 2).toFixed(1)}" y="${AXIS_Y + 14}" ` +
        `text-anchor="middle">${esc(l)}</text>`
      : '',
  );
  const lines = (o.lines ?? []).map((l, j) => {
    const x = PAD.left + l.after * bw;
    // A label near the right edge is written to the left of its line, so it stays inside the chart.
    const right = x > PAD.left + (W - PAD.left - PAD.right) * 0.6;
    return (
      `<line class="${l.className}" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${PAD.top}" y2="${AXIS_Y}">` +
      `<title>${esc(l.label)}</title></line><text class="line-label" x="${(right ? x - 3 : x + 3).toFixed(1)}" ` +
      `y="${PAD.top + 10 + 12 * j}" text-anchor="${right ? 'end' : 'start'}">${esc(l.label)}</text>`
    );
  });
  return frame(
    o.title,
    o.series.length,
    `${yGrid(yTicks, py, o.yFormat ?? ((v) => String(v)))}${groups.join('')}${xAxis.join('')}${lines.join('')}`,
    o.series.length > 1 ? legendOf(o.series) : { svg: '', lines: 0 },
    o.xLabel,
    o.yLabel ?? 'count',
  );
}
