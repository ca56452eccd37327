// Feeds writer sample batches into the disk streams' histograms and per-second
// windows, and turns them into the numbers a result holds. Keeps no raw samples.
import { F_HEADER, F_LAST_END, F_NEXT_SECOND, F_SECOND, recordColumn } from './folded.js';
import { S_RESPONSE, S_SERVICE, S_START, S_SYNC, S_WRITE, SAMPLE_STRIDE } from './samples.js';
import { LatencyHistogram } from './histogram.js';
import { summarize, summarizeTick, type LatencySummary, type TickSummary } from './summary.js';
import { LogBuckets } from './log-buckets.js';
import { SecondWindows, type WindowRow } from './windows.js';

/** The streams of a disk run: write(), sync, their sum per op, and open-loop response time. */
export const DISK_STREAMS = ['write', 'sync', 'op', 'response'] as const;
export type DiskStream = (typeof DISK_STREAMS)[number];

export interface DiskStats {
  summaries: Record<DiskStream, LatencySummary>;
  /** One row per second per stream (response has none: it follows op). */
  timeSeries: Record<'write' | 'sync' | 'op', WindowRow[]>;
  /** HdrHistogram compressed base64 of each stream, for re-analysis and merging. */
  histograms: Record<DiskStream, string>;
}

/** The streams as they stand mid-run, for live views. */
export interface DiskSnapshot {
  summaries: Record<'write' | 'sync' | 'op', TickSummary>;
  lastSecond: Record<'write' | 'sync' | 'op', WindowRow | null>;
  /** The sync (durable) latencies so far in doubling buckets (log-buckets.ts). */
  syncBuckets: number[];
  /** The latest 120 closed seconds of the sync stream (of op when nothing syncs). */
  series: WindowRow[];
}

/** Accumulates one disk run's samples. Call finish() exactly once. */
export class DiskRecorder {
  private readonly hists: Record<DiskStream, LatencyHistogram> = {
    write: new LatencyHistogram(),
    sync: new LatencyHistogram(),
    op: new LatencyHistogram(),
    response: new LatencyHistogram(),
  };
  private readonly windows = { write: new SecondWindows(), sync: new SecondWindows(), op: new SecondWindows() };
  private lastEndNs = 0;
  private readonly syncBuckets = new LogBuckets();

  /** Adds a batch of SAMPLE_STRIDE-float64 operations. */
  add(batch: Float64Array): void {
    if (batch.length % SAMPLE_STRIDE !== 0)
      throw new RangeError(`sample batch length ${batch.length} is not a multiple of ${SAMPLE_STRIDE}`);
    const { write, sync, op, response } = this.hists;
    for (let i = 0; i < batch.length; i += SAMPLE_STRIDE) {
      const service = batch[i + S_SERVICE]!;
      const endNs = batch[i + S_START]! + service;
      const w = batch[i + S_WRITE]!;
      const s = batch[i + S_SYNC]!;
      const r = batch[i + S_RESPONSE]!;
      write.record(w);
      op.record(service);
      this.windows.write.record(endNs, w);
      this.windows.op.record(endNs, service);
      if (s >= 0) {
        sync.record(s);
        this.syncBuckets.record(s);
        this.windows.sync.record(endNs, s);
      }
      if (r >= 0) response.record(r);
      this.lastEndNs = endNs;
    }
  }

  /** Adds a chunk of operations a writer folded (folded.ts): the same result as adding them one by one. */
  addFolded(chunk: Float64Array): void {
    const second = chunk[F_SECOND]!;
    const { write, sync, op, response } = this.hists;
    const w = this.windows;
    let at = recordColumn(chunk, F_HEADER, write, w.write, second);
    at = recordColumn(chunk, at, sync, w.sync, second);
    at = recordColumn(chunk, at, op, w.op, second);
    at = recordColumn(chunk, at, response, null, second);
    this.syncBuckets.addCounts(chunk, at);
    this.lastEndNs = chunk[F_LAST_END]!;
    // Closed by a later second's operation: its windows are final now, for the live view's last second.
    const next = chunk[F_NEXT_SECOND]!;
    if (next >= 0) {
      w.write.advanceTo(next);
      w.sync.advanceTo(next);
      w.op.advanceTo(next);
    }
  }

  /**
   * An operation an open-loop schedule called for before the end that was never issued (the writer was
   * still busy with earlier ones): its lateness at the end is its response time; it is no write or sync.
   */
  notIssued(responseNs: number): void {
    this.hists.response.record(Math.max(0, responseNs));
  }

  /** Number of operations recorded so far. */
  get ops(): number {
    return this.hists.op.count;
  }

  /** Where the streams stand now (summaries over `elapsedNs` so far); the recorder goes on. */
  snapshot(elapsedNs: number): DiskSnapshot {
    const { write, sync, op } = this.hists;
    const w = this.windows;
    return {
      summaries: {
        write: summarizeTick(write, elapsedNs),
        sync: summarizeTick(sync, elapsedNs),
        op: summarizeTick(op, elapsedNs),
      },
      lastSecond: { write: w.write.last, sync: w.sync.last, op: w.op.last },
      syncBuckets: [...this.syncBuckets.counts],
      series: (sync.count > 0 ? w.sync : w.op).rows.slice(-120),
    };
  }

  /** Summaries over `elapsedNs` (the run's measured time); frees the histograms. */
  finish(elapsedNs: number): DiskStats {
    const end = Math.max(elapsedNs, this.lastEndNs);
    for (const w of Object.values(this.windows)) w.finish(end);
    const summaries = {} as Record<DiskStream, LatencySummary>;
    const histograms = {} as Record<DiskStream, string>;
    for (const name of DISK_STREAMS) {
      summaries[name] = summarize(this.hists[name], elapsedNs);
      histograms[name] = this.hists[name].encode();
      this.hists[name].destroy();
    }
    return {
      summaries,
      timeSeries: { write: this.windows.write.rows, sync: this.windows.sync.rows, op: this.windows.op.rows },
      histograms,
    };
  }
}
