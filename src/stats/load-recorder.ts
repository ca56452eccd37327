// Records etcd requests: service time (from when the request was sent) and
// response time (from when it should have been sent, in an open loop), a
// per-second series, and counts by kind and by error. Failed requests keep
// their response time in a histogram of their own; requests that were due but
// never sent count as failed, with their lateness as latency. How late each
// request left (lateness) and the part of it the generator alone caused (a
// client slot was free: generator delay) tell a late client from a slow etcd.
// Keeps no raw samples.
// A recorder's part can be exported (encoded histograms and counts) and
// parts from several threads merged exactly.
import { LatencyHistogram } from './histogram.js';
import { type LatencySummary, type LiveSummary, summarize, summarizeLive } from './summary.js';
import { mergeWindows, SecondWindows, type WindowRow } from './windows.js';

/** The histograms a load keeps. */
export const LOAD_STREAMS = ['service', 'response', 'failed', 'lateness', 'generatorDelay', 'collectDelay'] as const;
export type LoadStream = (typeof LOAD_STREAMS)[number];

export interface LoadStats {
  service: LatencySummary;
  response: LatencySummary;
  /**
   * Response time of failed requests (from the intended start to the failure; never-sent ones: to the end of sending).
   */
  failed: LatencySummary;
  /** Sent time minus intended start, of every sent request (open loop). */
  lateness: LatencySummary;
  /** The part of the lateness when a client slot was free: the generator itself was late. */
  generatorDelay: LatencySummary;
  /**
   * From when an answer was read off its connection to when the generator took it (the pacer's next collection, or
   * the rest of the event loop's turn): the client's, kept out of service and response time.
   */
  collectDelay: LatencySummary;
  /**
   * How late the generator's event loop ran (perf_hooks' monitor, 10 ms resolution; the worst thread's): on the event
   * loop an answer waits that long unread, inside its response time. null where not measured.
   */
  eventLoopDelay: { p99Ns: number; maxNs: number } | null;
  /** One row per second of response time (service time in a closed loop). */
  timeSeries: WindowRow[];
  histograms: Record<LoadStream, string>;
  byKind: Record<string, number>;
  conflicts: number;
  errors: Record<string, number>;
  /** Errors per second, aligned with timeSeries. */
  errorsPerSecond: number[];
}

/** One recorder's contribution, plain data (it crosses worker boundaries). */
export interface LoadPart {
  histograms: Record<LoadStream, string>;
  /** Values past the histograms' range, per stream (the encoding does not keep them). */
  clampedHigh: Record<LoadStream, number>;
  perSecond: string[];
  byKind: Record<string, number>;
  errors: Record<string, number>;
  errorSeconds: number[];
  conflicts: number;
  eventLoopDelay: { p99Ns: number; maxNs: number } | null;
}

const addCounts = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
};

/** Merges parts into the statistics of the whole run (exact: histograms are added, not averaged). */
export function mergeLoadParts(parts: LoadPart[], elapsedNs: number): LoadStats {
  const h = Object.fromEntries(LOAD_STREAMS.map((k) => [k, new LatencyHistogram()])) as Record<
    LoadStream,
    LatencyHistogram
  >;
  const byKind: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const errorSeconds: number[] = [];
  let conflicts = 0;
  const loops = parts.map((p) => p.eventLoopDelay).filter((x): x is { p99Ns: number; maxNs: number } => x !== null);
  const loop =
    loops.length > 0
      ? { p99Ns: Math.max(...loops.map((x) => x.p99Ns)), maxNs: Math.max(...loops.map((x) => x.maxNs)) }
      : null;
  for (const p of parts) {
    for (const k of LOAD_STREAMS) h[k].addEncoded(p.histograms[k], p.clampedHigh[k]);
    addCounts(byKind, p.byKind);
    addCounts(errors, p.errors);
    p.errorSeconds.forEach((n, s) => {
      errorSeconds[s] = (errorSeconds[s] ?? 0) + n;
    });
    conflicts += p.conflicts;
  }
  const rows = mergeWindows(parts.map((p) => p.perSecond));
  const stats: LoadStats = {
    service: summarize(h.service, elapsedNs),
    response: summarize(h.response, elapsedNs),
    failed: summarize(h.failed, elapsedNs),
    lateness: summarize(h.lateness, elapsedNs),
    generatorDelay: summarize(h.generatorDelay, elapsedNs),
    collectDelay: summarize(h.collectDelay, elapsedNs),
    eventLoopDelay: loop,
    timeSeries: rows,
    histograms: Object.fromEntries(LOAD_STREAMS.map((k) => [k, h[k].encode()])) as Record<LoadStream, string>,
    byKind,
    conflicts,
    errors,
    errorsPerSecond: rows.map((r) => errorSeconds[r.second] ?? 0),
  };
  for (const k of LOAD_STREAMS) h[k].destroy();
  return stats;
}

/** Accumulates one thread's requests. Call part() (or finish()) exactly once. */
export class LoadRecorder {
  private readonly h = Object.fromEntries(LOAD_STREAMS.map((k) => [k, new LatencyHistogram()])) as Record<
    LoadStream,
    LatencyHistogram
  >;
  private readonly windows = new SecondWindows(true);
  private readonly byKind: Record<string, number> = {};
  private readonly errors: Record<string, number> = {};
  private readonly errorSeconds: number[] = [];
  private conflicts = 0;
  private loopDelay: LoadStats['eventLoopDelay'] = null;
  /** Where this thread's clock started after the load's common start (ns): its rows are shifted by it. */
  private offsetNs = 0;

  /** Counts this thread's per-second rows from the load's common start, `offsetNs` before its own. */
  alignTo(offsetNs: number): void {
    this.offsetNs = Math.max(0, offsetNs);
  }

  /** A request left: `slotFreeNs` is when a client slot became free for it (0: one was free all along). */
  sent(intendedNs: number, sentNs: number, slotFreeNs: number): void {
    this.h.lateness.record(Math.max(0, sentNs - intendedNs));
    this.h.generatorDelay.record(Math.max(0, sentNs - Math.max(intendedNs, slotFreeNs)));
  }

  /** A request etcd answered; times in ns since the run's start. */
  ok(kind: string, conflict: boolean, intendedNs: number, sentNs: number, doneNs: number): void {
    this.h.service.record(doneNs - sentNs);
    this.h.response.record(doneNs - intendedNs);
    this.windows.record(doneNs + this.offsetNs, doneNs - intendedNs);
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    if (conflict) this.conflicts++;
  }

  /** An answer read at `readNs` was taken by the generator at `takenNs`: that wait is the client's. */
  collected(readNs: number, takenNs: number): void {
    this.h.collectDelay.record(Math.max(0, takenNs - readNs));
  }

  /** How late this thread's event loop ran over the load. */
  eventLoop(p99Ns: number, maxNs: number): void {
    this.loopDelay = { p99Ns, maxNs };
  }

  /** A request that failed (timeout, unavailable, never sent, ...), by error name, with its response time. */
  failed(errorKind: string, intendedNs: number, doneNs: number): void {
    this.h.failed.record(Math.max(0, doneNs - intendedNs));
    this.errors[errorKind] = (this.errors[errorKind] ?? 0) + 1;
    const s = Math.floor((doneNs + this.offsetNs) / 1e9);
    while (this.errorSeconds.length <= s) this.errorSeconds.push(0);
    this.errorSeconds[s]!++;
  }

  get answered(): number {
    return this.h.service.count;
  }

  /** Where the load stands now, for live views: response time so far, the last closed second, errors. */
  snapshot(): {
    response: LiveSummary;
    lastSecond: WindowRow | null;
    series: WindowRow[];
    errors: number;
  } {
    return {
      response: summarizeLive(this.h.response),
      lastSecond: this.windows.last,
      series: this.windows.rows.slice(-120),
      errors: Object.values(this.errors).reduce((a, n) => a + n, 0),
    };
  }

  /** This thread's part, encoded; frees the histograms. */
  part(elapsedNs: number): LoadPart {
    this.windows.finish(elapsedNs + this.offsetNs);
    const p: LoadPart = {
      histograms: Object.fromEntries(LOAD_STREAMS.map((k) => [k, this.h[k].encode()])) as Record<LoadStream, string>,
      clampedHigh: Object.fromEntries(LOAD_STREAMS.map((k) => [k, this.h[k].clampedHigh])) as Record<
        LoadStream,
        number
      >,
      perSecond: [...this.windows.encoded],
      byKind: { ...this.byKind },
      errors: { ...this.errors },
      errorSeconds: [...this.errorSeconds],
      conflicts: this.conflicts,
      eventLoopDelay: this.loopDelay,
    };
    for (const k of LOAD_STREAMS) this.h[k].destroy();
    return p;
  }

  /** The statistics of a run recorded by this recorder alone. */
  finish(elapsedNs: number): LoadStats {
    return mergeLoadParts([this.part(elapsedNs)], elapsedNs);
  }
}
