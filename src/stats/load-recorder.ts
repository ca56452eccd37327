// Records etcd requests: service time (from when the request was sent) and
// response time (from when it should have been sent, in an open loop), a
// per-second series, and counts by kind and by error. Keeps no raw samples.
import { LatencyHistogram } from './histogram.js';
import { summarize, type LatencySummary } from './summary.js';
import { SecondWindows, type WindowRow } from './windows.js';

export interface LoadStats {
  service: LatencySummary;
  response: LatencySummary;
  /** One row per second of response time (service time in a closed loop). */
  timeSeries: WindowRow[];
  histograms: { service: string; response: string };
  byKind: Record<string, number>;
  conflicts: number;
  errors: Record<string, number>;
  /** Errors per second, aligned with timeSeries. */
  errorsPerSecond: number[];
}

/** Accumulates one load run. Call finish() exactly once. */
export class LoadRecorder {
  private readonly service = new LatencyHistogram();
  private readonly response = new LatencyHistogram();
  private readonly windows = new SecondWindows();
  private readonly byKind: Record<string, number> = {};
  private readonly errors: Record<string, number> = {};
  private readonly errorSeconds: number[] = [];
  private conflicts = 0;

  /** A request etcd answered; times in ns since the run's start. */
  ok(kind: string, conflict: boolean, intendedNs: number, sentNs: number, doneNs: number): void {
    this.service.record(doneNs - sentNs);
    this.response.record(doneNs - intendedNs);
    this.windows.record(doneNs, doneNs - intendedNs);
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    if (conflict) this.conflicts++;
  }

  /** A request that failed (timeout, unavailable, ...), by error name. */
  failed(errorKind: string, doneNs: number): void {
    this.errors[errorKind] = (this.errors[errorKind] ?? 0) + 1;
    const s = Math.floor(doneNs / 1e9);
    while (this.errorSeconds.length <= s) this.errorSeconds.push(0);
    this.errorSeconds[s]!++;
  }

  get answered(): number {
    return this.service.count;
  }

  finish(elapsedNs: number): LoadStats {
    this.windows.finish(elapsedNs);
    const rows = this.windows.rows;
    const stats: LoadStats = {
      service: summarize(this.service, elapsedNs),
      response: summarize(this.response, elapsedNs),
      timeSeries: rows,
      histograms: { service: this.service.encode(), response: this.response.encode() },
      byKind: { ...this.byKind },
      conflicts: this.conflicts,
      errors: { ...this.errors },
      errorsPerSecond: rows.map((r) => this.errorSeconds[r.second] ?? 0),
    };
    this.service.destroy();
    this.response.destroy();
    return stats;
  }
}
