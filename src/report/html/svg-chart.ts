// Charts as inline SVG, drawn by hand so the HTML report needs no script and
// no network: a line chart over time (the y axis always starts at 0: no
// truncated axis exaggerates a change) with the limit drawn, and a bar chart
// of a distribution over doubling buckets. Every chart has a title and a
// text description for screen readers; the numbers behind it live in a table
// beside it, never only in the picture.

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

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

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

/** A line chart of series over x, the limit (if any) as a labelled line. */
export function lineChart(o: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  limit?: { value: number; label: string };
  /** Formats a y value for the axis. */
  yFormat: (v: number) => string;
}): string {
  const series = o.series.map((s) => ({ ...s, points: downsample(s.points, 600) }));
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]).filter((y): y is number => y !== null));
  const xMax = Math.max(1, ...xs);
  const yTicks = ticks(Math.max(o.limit?.value ?? 0, ...ys, 0) * 1.05);
  const yMax = yTicks[yTicks.length - 1]! || 1;
  const px = (x: number) => PAD.left + (x / xMax) * (W - PAD.left - PAD.right);
  const py = (y: number) => H - PAD.bottom - (y / yMax) * (H - PAD.top - PAD.bottom);
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
  const yAxis = yTicks.map(
    (t) =>
      `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(t)}" y2="${py(t)}"/>` +
      `<text class="tick" x="${PAD.left - 6}" y="${py(t) + 4}" text-anchor="end">${esc(o.yFormat(t))}</text>`,
  );
  const xAxis = ticks(xMax).map(
    (t) => `<text class="tick" x="${px(t)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${t}</text>`,
  );
  const limit = o.limit
    ? `<line class="limit" x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(o.limit.value)}" ` +
      `y2="${py(o.limit.value)}"/>` +
      `<text class="limit-label" x="${W - PAD.right}" y="${py(o.limit.value) - 4}" ` +
      `text-anchor="end">${esc(o.limit.label)}</text>`
    : '';
  const legend = series
    .map((s, i) => `<tspan class="${s.className}" x="${PAD.left + i * 140}">■ ${esc(s.name)}</tspan>`)
    .join('');
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${H + 18}" role="img" aria-label="${esc(o.title)}" ` +
    `data-series="${series.length}">` +
    `<title>${esc(o.title)}</title>${yAxis.join('')}${xAxis.join('')}` +
    `<line class="axis" x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${H - PAD.bottom}"/>` +
    `<line class="axis" x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}"/>` +
    `${limit}${paths.join('')}` +
    `<text class="label" x="${(PAD.left + W - PAD.right) / 2}" y="${H - 6}" ` +
    `text-anchor="middle">${esc(o.xLabel)}</text>` +
    `<text class="label" transform="translate(14 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)" ` +
    `text-anchor="middle">` +
    `${esc(o.yLabel)}</text><text class="legend" y="${H + 14}">${legend}</text></svg>`
  );
}

/** A bar chart: one bar per bucket, labelled, counts on a linear axis from 0; the limit between two bars. */
export function barChart(o: {
  title: string;
  xLabel: string;
  bars: { label: string; count: number; over?: boolean }[];
  /** Draw the limit after this many bars (fractional: inside a bar), its label beside it. */
  limit?: { after: number; label: string };
}): string {
  const max = Math.max(1, ...o.bars.map((b) => b.count));
  const yTicks = ticks(max);
  const yMax = yTicks[yTicks.length - 1]!;
  const bw = (W - PAD.left - PAD.right) / Math.max(1, o.bars.length);
  const py = (y: number) => H - PAD.bottom - (y / yMax) * (H - PAD.top - PAD.bottom);
  const bars = o.bars.map(
    (b, i) =>
      `<rect class="bar${b.over ? ' over' : ''}" x="${(PAD.left + i * bw + 1).toFixed(1)}" ` +
      `y="${py(b.count).toFixed(1)}" ` +
      `width="${(bw - 2).toFixed(1)}" height="${(H - PAD.bottom - py(b.count)).toFixed(1)}">` +
      `<title>${esc(b.label)}: ${b.count}</title></rect>` +
      `<text class="tick" x="${(PAD.left + i * bw + bw / 2).toFixed(1)}" y="${H - PAD.bottom + 14}" ` +
      `text-anchor="middle">` +
      `${esc(b.label)}</text>`,
  );
  const yAxis = yTicks.map(
    (t) =>
      `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(t)}" y2="${py(t)}"/>` +
      `<text class="tick" x="${PAD.left - 6}" y="${py(t) + 4}" text-anchor="end">${t}</text>`,
  );
  const lx = PAD.left + (o.limit?.after ?? 0) * bw;
  const limit = o.limit
    ? `<line class="limit" x1="${lx}" x2="${lx}" y1="${PAD.top}" y2="${H - PAD.bottom}"/>` +
      `<text class="limit-label" x="${lx + 4}" y="${PAD.top + 10}">${esc(o.limit.label)}</text>`
    : '';
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.title)}" data-series="1">` +
    `<title>${esc(o.title)}</title>${yAxis.join('')}${bars.join('')}${limit}` +
    `<line class="axis" x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}"/>` +
    `<text class="label" x="${(PAD.left + W - PAD.right) / 2}" y="${H - 6}" ` +
    `text-anchor="middle">${esc(o.xLabel)}</text></svg>`
  );
}
