// Per-second windows of one latency stream: a time series with one row per
// second of the run, including seconds in which nothing completed (a stall
// shows as a row with count 0, not as a gap). Memory is one histogram plus
// one small row per second, whatever the number of operations.
import { LatencyHistogram } from './histogram.js';

/** One second of one stream. Latencies are null when nothing completed. */
export interface WindowRow {
  /** Seconds since the run's start at which this window begins. */
  second: number;
  count: number;
  p50Ns: number | null;
  p99Ns: number | null;
  maxNs: number | null;
}

/** Cuts a stream of (completion time, latency) pairs into per-second rows. */
export class SecondWindows {
  readonly rows: WindowRow[] = [];
  /** With keepEncoded: each second's histogram, encoded (for exact merging across threads). */
  readonly encoded: string[] = [];
  private readonly current = new LatencyHistogram();
  private currentSecond = 0;

  constructor(private readonly keepEncoded = false) {}

  /** The last closed second (a second closes when a later sample arrives or at finish()). */
  get last(): WindowRow | null {
    return this.rows[this.rows.length - 1] ?? null;
  }

  /** `atNs`: completion time since the run's start; must not go backwards by a window. */
  record(atNs: number, latencyNs: number): void {
    const second = Math.floor(atNs / 1e9);
    if (second < this.currentSecond)
      throw new RangeError(`sample at ${atNs} ns is before window ${this.currentSecond}`);
    while (second > this.currentSecond) this.close();
    this.current.record(latencyNs);
  }

  /** `count` latencies of `latencyNs` completed in `second` (a folded chunk's pair, stats/folded.ts). */
  recordCount(second: number, latencyNs: number, count: number): void {
    this.advanceTo(second);
    this.current.recordCount(latencyNs, count);
  }

  /** Closes every window before `second`: nothing more completes in them. */
  advanceTo(second: number): void {
    if (second < this.currentSecond) throw new RangeError(`second ${second} is before window ${this.currentSecond}`);
    while (second > this.currentSecond) this.close();
  }

  /** Closes windows up to (not including) `endNs`'s second, then the partial last one if it has data. */
  finish(endNs: number): void {
    const last = Math.floor(endNs / 1e9);
    while (this.currentSecond < last) this.close();
    if (this.current.count > 0) this.close();
    this.current.destroy();
  }

  private close(): void {
    const h = this.current;
    const empty = h.count === 0;
    this.rows.push({
      second: this.currentSecond,
      count: h.count,
      p50Ns: empty ? null : h.percentileNs(50),
      p99Ns: empty ? null : h.percentileNs(99),
      maxNs: empty ? null : h.maxNs,
    });
    if (this.keepEncoded) this.encoded.push(h.encode());
    h.reset();
    this.currentSecond++;
  }
}

/** Merges per-second encoded histograms of several threads into rows, second by second. */
export function mergeWindows(perThread: string[][]): WindowRow[] {
  const seconds = Math.max(0, ...perThread.map((e) => e.length));
  const rows: WindowRow[] = [];
  const h = new LatencyHistogram();
  for (let s = 0; s < seconds; s++) {
    h.reset();
    for (const e of perThread) if (e[s] !== undefined) h.addEncoded(e[s]!);
    const empty = h.count === 0;
    rows.push({
      second: s,
      count: h.count,
      p50Ns: empty ? null : h.percentileNs(50),
      p99Ns: empty ? null : h.percentileNs(99),
      maxNs: empty ? null : h.maxNs,
    });
  }
  h.destroy();
  return rows;
}
