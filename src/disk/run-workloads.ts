// Starts the planned workloads together and ends them together: the measured
// writer decides the run's length; when it ends (or fails, or the run is
// aborted) the commit stream and neighbours are stopped and awaited. A side
// workload's failure stops the measured writer too.
import type { Engine, WriterError, WriterHandle, WriterSummary } from './engine.js';
import { startWorkload, type NativeAddon, type StreamName, type WorkloadHandlers } from './native-engine.js';
import type { DiskPlan } from './plan.js';

export type Outcome = { summary: WriterSummary; error?: undefined } | { summary: WriterSummary; error: WriterError };

export interface WorkloadOutcomes {
  main: Outcome;
  commit: Outcome | null;
  neighbours: Outcome[];
}

/** What takes every batch of a run's workloads, with its stream. */
export interface SampleSink {
  take(batch: Float64Array, stream: StreamName): void;
  /** A chunk of the stream's operations folded (stats/folded.ts). */
  takeFolded(chunk: Float64Array, stream: StreamName): void;
}

/**
 * A workload's handlers over the run's sink. A class, not closures: a batch then reaches the sink through the same
 * functions in every run, and warm-up.ts has them optimised before the first writer starts.
 */
export class SinkHandlers implements WorkloadHandlers {
  constructor(
    private readonly sink: SampleSink,
    private readonly prepared: (tid: number) => void,
  ) {}

  onSamples(batch: Float64Array, stream: StreamName): void {
    this.sink.take(batch, stream);
  }

  onFolded(chunk: Float64Array, stream: StreamName): void {
    this.sink.takeFolded(chunk, stream);
  }

  onPrepared(_prepareNs: number, tid: number): void {
    this.prepared(tid);
  }
}

/**
 * How a native measured writer hands its operations over: folded, each second's chunk as the second ends (and the
 * open one at the end). The interval, a second from the last hand-over, never comes due before a second ends.
 */
const FOLDED = { fold: true, flushIntervalNs: 1e9 } as const;

const EMPTY: WriterSummary = { ops: 0, bytes: 0, syncs: 0, prepareNs: 0, elapsedNs: 0, stopped: false };

async function settle(h: WriterHandle): Promise<Outcome> {
  try {
    return { summary: await h.done };
  } catch (e) {
    const error = e as WriterError;
    return { summary: error.summary ?? EMPTY, error };
  }
}

/**
 * Runs the plan; `sink` takes every batch with its stream, `onStarted` is called once every workload's thread
 * exists, `onPrepared` the moment the measured writer's clock starts, `onThread` with the Linux id of each
 * measuring thread (writer, commit) as it starts.
 */
export async function runWorkloads(
  plan: DiskPlan,
  engine: Engine,
  addon: NativeAddon | null,
  sink: SampleSink,
  opts: {
    signal?: AbortSignal;
    onStarted?: () => void;
    onPrepared?: () => void;
    onThread?: (name: 'writer' | 'commit', tid: number) => void;
  } = {},
): Promise<WorkloadOutcomes> {
  const { signal, onThread } = opts;
  const mainHandlers = new SinkHandlers(sink, (tid) => {
    onThread?.('writer', tid);
    opts.onPrepared?.();
  });
  const side: WriterHandle[] = [];
  const needNative = plan.main.kind === 'wal' || plan.commit !== null || plan.neighbours.length > 0;
  if (needNative && !addon) throw new Error('the WAL, commit and neighbour workloads need the native addon');
  // A native writer folds its operations into a chunk a second (stats/folded.ts): the JS thread, which shares the
  // CPUs with it, then does next to nothing per operation.
  const main =
    plan.main.kind === 'seq'
      ? engine.start(engine.name === 'native' ? { ...plan.main.config, ...FOLDED } : plan.main.config, mainHandlers)
      : startWorkload(addon!, 'wal', { ...plan.main.config, ...FOLDED }, mainHandlers);
  const commit = plan.commit
    ? startWorkload(addon!, 'commit', plan.commit, new SinkHandlers(sink, (tid) => onThread?.('commit', tid)))
    : null;
  if (commit) side.push(commit);
  const neighbours = plan.neighbours.map((n) => startWorkload(addon!, 'neighbour', n, {}));
  side.push(...neighbours);
  opts.onStarted?.();
  const stopAll = () =>
    [main, ...side].forEach((h) => {
      h.stop();
    });
  signal?.addEventListener('abort', stopAll, { once: true });
  if (signal?.aborted) stopAll();
  // A side workload that fails ends the run: its error is the run's error.
  side.forEach((h) => {
    h.done.catch(() => main.stop());
  });
  try {
    const mainOutcome = await settle(main);
    side.forEach((h) => {
      h.stop();
    });
    return {
      main: mainOutcome,
      commit: commit ? await settle(commit) : null,
      neighbours: await Promise.all(neighbours.map(settle)),
    };
  } finally {
    signal?.removeEventListener('abort', stopAll);
  }
}
