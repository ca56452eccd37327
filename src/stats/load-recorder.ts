// Records etcd requests: service time (from when the request was sent) and
// response time (from when it should have been sent, in an open loop), a
// per-second series, and counts by kind and by error. Keeps no raw samples.
// A recorder's part can be exported (encoded histograms and counts) and
// parts from several threads merged exactly.
import { LatencyHistogram } from './histogram.js';
import { summarize, type LatencySummary } from './summary.js';
import { mergeWindows, SecondWindows, type WindowRow } from './windows.js';

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

/** One recorder's contribution, plain data (it crosses worker boundaries). */
export interface LoadPart {
  service: string;
  response: string;
  perSecond: string[];
  byKind: Record<string, number>;
  errors: Record<string, number>;
  errorSeconds: number[];
  conflicts: number;
}

const addCounts = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
};

/** Merges parts into the statistics of the whole run (exact: histograms are added, not averaged). */
export function mergeLoadParts(parts: LoadPart[], elapsedNs: number): LoadStats {
  const service = new LatencyHistogram();
  const response = new LatencyHistogram();
  const byKind: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const errorSeconds: number[] = [];
  let conflicts = 0;
  for (const p of parts) {
    service.addEncoded(p.service);
    response.addEncoded(p.response);
    addCounts(byKind, p.byKind);
    addCounts(errors, p.errors);
    p.errorSeconds.forEach((n, s) => (errorSeconds[s] = (errorSeconds[s] ?? 0) + n));
    conflicts += p.conflicts;
  }
  const rows = mergeWindows(parts.map((p) => p.perSecond));
  const stats: LoadStats = {
    service: summarize(service, elapsedNs),
    response: summarize(response, elapsedNs),
    timeSeries: rows,
    histograms: { service: service.encode(), response: response.encode() },
    byKind, conflicts, errors,
    errorsPerSecond: rows.map((r) => errorSeconds[r.second] ?? 0),
  };
  service.destroy();
  response.destroy();
  return stats;
}

/** Accumulates one thread's requests. Call part() (or finish()) exactly once. */
export class LoadRecorder {
  private readonly service = new LatencyHistogram();
  private readonly response = new LatencyHistogram();
  private readonly windows = new SecondWindows(true);
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

  /** Where the load stands now, for live views: response time so far, the last closed second, errors. */
  snapshot(elapsedNs: number): { response: LatencySummary; lastSecond: WindowRow | null; series: WindowRow[]; errors: number } {
    return {
      response: summarize(this.response, elapsedNs), lastSecond: this.windows.last, series: this.windows.rows.slice(-120),
      errors: Object.values(this.errors).reduce((a, n) => a + n, 0),
    };
  }

  /** This thread's part, encoded; frees the histograms. */
  part(elapsedNs: number): LoadPart {
    this.windows.finish(elapsedNs);
    const p: LoadPart = {
      service: this.service.encode(), response: this.response.encode(), perSecond: [...this.windows.encoded],
      byKind: { ...this.byKind }, errors: { ...this.errors }, errorSeconds: [...this.errorSeconds], conflicts: this.conflicts,
    };
    this.service.destroy();
    this.response.destroy();
    return p;
  }

  /** The statistics of a run recorded by this recorder alone. */
  finish(elapsedNs: number): LoadStats {
    return mergeLoadParts([this.part(elapsedNs)], elapsedNs);
  }
}
