// Turns a histogram into the numbers every view prints: count, min, mean,
// stddev, max, the percentiles etcd and fio users read, and rates.
import { LatencyHistogram } from './histogram.js';

/** The summary of one latency stream, in integer-ish nanoseconds. */
export interface LatencySummary {
  count: number;
  minNs: number;
  meanNs: number;
  stddevNs: number;
  maxNs: number;
  p50Ns: number;
  p90Ns: number;
  p99Ns: number;
  p999Ns: number;
  p9999Ns: number;
  /** Operations per second over the stream's elapsed time. */
  opsPerSec: number;
  /** Values above the histogram's range (60 s), counted at 60 s. */
  clampedHigh: number;
}

/** The percentiles reported, with the summary field each lands in. */
export const PERCENTILES = [
  [50, 'p50Ns'],
  [90, 'p90Ns'],
  [99, 'p99Ns'],
  [99.9, 'p999Ns'],
  [99.99, 'p9999Ns'],
] as const;

/** Summarises `h` for a stream that ran `elapsedNs`. */
export function summarize(h: LatencyHistogram, elapsedNs: number): LatencySummary {
  const s: LatencySummary = {
    count: h.count,
    minNs: h.minNs,
    meanNs: round3(h.meanNs),
    stddevNs: round3(h.stddevNs),
    maxNs: h.maxNs,
    p50Ns: 0,
    p90Ns: 0,
    p99Ns: 0,
    p999Ns: 0,
    p9999Ns: 0,
    opsPerSec: elapsedNs > 0 ? round3((h.count * 1e9) / elapsedNs) : 0,
    clampedHigh: h.clampedHigh,
  };
  // percentileNs() caps HDR's highest equivalent value at the true maximum.
  for (const [p, field] of PERCENTILES) s[field] = h.percentileNs(p);
  return s;
}

/** What a live view shows of a stream so far: count, p50, p99, p99.9 and max. */
export type LiveSummary = Pick<LatencySummary, 'count' | 'p50Ns' | 'p99Ns' | 'p999Ns' | 'maxNs'>;

/**
 * The live view's figures of `h`, each second: only what it shows (HDR's standard deviation walks every bucket
 * and was half the cost of a full summary, each second of a load).
 */
export function summarizeLive(h: LatencyHistogram): LiveSummary {
  return {
    count: h.count,
    p50Ns: h.percentileNs(50),
    p99Ns: h.percentileNs(99),
    p999Ns: h.percentileNs(99.9),
    maxNs: h.maxNs,
  };
}

/** What a disk tick judges and shows of a stream so far: the live figures and the rate. */
export type TickSummary = LiveSummary & Pick<LatencySummary, 'opsPerSec'>;

/**
 * A disk tick's figures, each second while the writer runs: a full summary walked the histogram seven times (mean,
 * standard deviation, p99.99) on the writer's host, a millisecond the writer could wait for (issue 41).
 */
export function summarizeTick(h: LatencyHistogram, elapsedNs: number): TickSummary {
  return { ...summarizeLive(h), opsPerSec: elapsedNs > 0 ? round3((h.count * 1e9) / elapsedNs) : 0 };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * The summary of several streams taken as one (e.g. every fsync etcd would
 * count in its WAL fsync metric), from their encoded histograms; max, min and
 * clamp counts come from the parts' summaries (the encoding loses the true max).
 */
export function unionSummary(
  parts: { histogram: string; summary: LatencySummary }[],
  elapsedNs: number,
): { summary: LatencySummary; histogram: string } {
  const h = new LatencyHistogram();
  try {
    for (const p of parts) h.addEncoded(p.histogram, p.summary.clampedHigh);
    const s = summarize(h, elapsedNs);
    const maxNs = Math.max(0, ...parts.map((p) => p.summary.maxNs));
    const mins = parts.filter((p) => p.summary.count > 0).map((p) => p.summary.minNs);
    for (const [, field] of PERCENTILES) s[field] = Math.min(s[field], maxNs);
    return { summary: { ...s, maxNs, minNs: mins.length > 0 ? Math.min(...mins) : 0 }, histogram: h.encode() };
  } finally {
    h.destroy();
  }
}

/**
 * Percentiles of a stored (encoded) histogram, computed as summarize() does:
 * capped at the true maximum `maxNs`, which the encoding does not keep (a
 * decoded histogram only knows the top sample's bucket).
 */
export function percentilesOfEncoded(encoded: string, ps: readonly number[], maxNs: number): number[] {
  const h = new LatencyHistogram();
  try {
    h.addEncoded(encoded);
    return ps.map((p) => Math.min(h.percentileNs(p), maxNs));
  } finally {
    h.destroy();
  }
}
