// A small reader for Prometheus' text exposition format, enough for etcd's
// /metrics: samples by metric name and labels, histograms as cumulative
// buckets. Label sets are folded: we sum across them unless asked otherwise.
import type { BucketHistogram } from '../stats/bucket-histogram.js';

export type { BucketHistogram } from '../stats/bucket-histogram.js';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * Parses the exposition text into samples (comments and blank lines skipped); with `prefixes`, only the metrics whose
 * names start with one of them (etcd's grpc_* series are two thirds of its text and nothing here reads them).
 */
export function parseMetrics(text: string, prefixes?: readonly string[]): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (prefixes && !prefixes.some((p) => line.startsWith(p))) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!;
    const value = m[3] === '+Inf' ? Infinity : Number(m[3]);
    if (!Number.isNaN(value)) out.push({ name: m[1]!, labels, value });
  }
  return out;
}

/** The sum of every sample of `name` (all label sets). null when absent. */
export function total(samples: Sample[], name: string): number | null {
  const hits = samples.filter((s) => s.name === name);
  return hits.length === 0 ? null : hits.reduce((a, s) => a + s.value, 0);
}

/**
 * Reads histogram `name` (summed over label sets). null when absent, or when its cumulative buckets go backwards (a
 * broken exporter or a hostile endpoint: no quantile of it can be trusted, so it is treated as not exported).
 */
export function histogram(samples: Sample[], name: string): BucketHistogram | null {
  const byLe = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== `${name}_bucket` || s.labels.le === undefined) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  if (byLe.size === 0) return null;
  const bounds = [...byLe.keys()].sort((a, b) => a - b);
  const cumulative = bounds.map((b) => byLe.get(b)!);
  if (cumulative.some((c, i) => c < 0 || !Number.isFinite(c) || (i > 0 && c < cumulative[i - 1]!))) return null;
  return {
    bounds,
    cumulative,
    count: total(samples, `${name}_count`) ?? 0,
    sum: total(samples, `${name}_sum`) ?? 0,
  };
}

/** after - before, bucket by bucket (a counter reset shows as negative: the caller reports it). */
export function histogramDelta(after: BucketHistogram, before: BucketHistogram | null): BucketHistogram {
  if (!before) return after;
  return {
    bounds: after.bounds,
    cumulative: after.cumulative.map((c, i) => c - (before.cumulative[i] ?? 0)),
    count: after.count - before.count,
    sum: after.sum - before.sum,
  };
}

/** Where a quantile falls: the bucket bounds around it and a linear interpolation inside. */
export interface BucketQuantile {
  /** Lower and upper bound of the bucket holding the quantile, in ns (upper null: beyond the last bound). */
  lowerNs: number;
  upperNs: number | null;
  /** Linear interpolation inside the bucket (what Prometheus' histogram_quantile does), in ns. */
  estimateNs: number;
  /** "<= 1 ms", "8-16 ms", "> 8192 ms": how a reader should quote it. */
  text: string;
}

const msText = (ns: number) => `${+(ns / 1e6).toPrecision(4)}`;

/** The q-quantile (0..1) of a bucket histogram; null with no observations. */
export function bucketQuantile(h: BucketHistogram, q: number): BucketQuantile | null {
  const n = h.cumulative[h.cumulative.length - 1] ?? 0;
  if (n <= 0) return null;
  const rank = q * n;
  const i = h.cumulative.findIndex((c) => c >= rank);
  const upper = h.bounds[i]!;
  const lower = i === 0 ? 0 : h.bounds[i - 1]!;
  const below = i === 0 ? 0 : h.cumulative[i - 1]!;
  const inBucket = h.cumulative[i]! - below;
  if (!Number.isFinite(upper))
    return { lowerNs: lower * 1e9, upperNs: null, estimateNs: lower * 1e9, text: `> ${msText(lower * 1e9)} ms` };
  const estimate = lower + (upper - lower) * (inBucket > 0 ? (rank - below) / inBucket : 1);
  const text = i === 0 ? `<= ${msText(upper * 1e9)} ms` : `${msText(lower * 1e9)}-${msText(upper * 1e9)} ms`;
  return { lowerNs: lower * 1e9, upperNs: upper * 1e9, estimateNs: Math.round(estimate * 1e9), text };
}

/** Histogram `name` split by one label's values (e.g. the peer RTT by "To"). */
export function histogramsBy(samples: Sample[], name: string, label: string): Map<string, BucketHistogram> {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    if (!s.name.startsWith(name)) continue;
    const v = s.labels[label];
    if (v === undefined) continue;
    const list = groups.get(v) ?? [];
    list.push(s);
    groups.set(v, list);
  }
  const out = new Map<string, BucketHistogram>();
  for (const [v, list] of groups) {
    const h = histogram(list, name);
    if (h) out.set(v, h);
  }
  return out;
}
