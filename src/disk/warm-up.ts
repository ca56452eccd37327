// Before a disk phase's writers start, its hand-over path runs over synthetic
// batches until V8 has optimised it: the addon's callback (WorkloadEvents.on),
// the handlers, the phase's sink and the recorders, each a method shared by
// every run. The CLI runs V8 without background threads (core/gc-schedule.ts),
// so an optimising compile runs on the JS thread; done during a run it held
// that thread for 10-15 ms at a time in the run's first second, and on a
// 2-core host the writer waited behind it inside its fdatasyncs: the ten
// operations above p99.9 of fio's 0.7 s recipe (issue 41). Done here it costs
// nothing the writer measures. The numbers are thrown away. The phase's
// once-a-second work (snapshots, the checks as they stand) runs on the
// synthetic seconds too: a run's first tick took a median 2.1 ms of the JS
// thread (1.5-3.2, ten runs), 1.2 (1.0-2.1, eight) after this rehearsal; the
// seconds after it take 0.5-1.2. A full collection ends it: the run starts
// with an empty young generation (a 20 s run had met a 9.7 ms scavenge 14 s
// in, the warm-up's garbage) and the old one's headroom whole. With the
// addon, folded chunks (stats/folded.ts) run too: a native measured writer
// hands its operations over that way.
import { collectNow } from '../core/gc-schedule.js';
import { EVENT_FOLDED, EVENT_SAMPLES, STREAM_NAMES } from '../native/abi.js';
import { DiskRecorder } from '../stats/disk-recorder.js';
import { S_RESPONSE, S_SERVICE, S_START, S_SYNC, S_WRITE, SAMPLE_STRIDE } from '../stats/samples.js';
import { WorkloadEvents } from './native-engine.js';
import { PhaseSink } from './phase-sink.js';
import { SinkHandlers } from './run-workloads.js';

/** Operations like a run's: mostly synced and unpaced, some without a sync and some paced, so every branch runs. */
function syntheticOps(ops: number): Float64Array {
  const batch = new Float64Array(ops * SAMPLE_STRIDE);
  for (let i = 0; i < ops; i++) {
    const at = i * SAMPLE_STRIDE;
    batch[at + S_START] = i * OP_NS + 0.5;
    batch[at + S_WRITE] = 4.1e3 + (i % 97) * 10.5;
    batch[at + S_SYNC] = i % 13 === 0 ? -1 : 2.0e5 + (i % 29) * 1.0e3 + 0.25;
    batch[at + S_SERVICE] = 2.1e5 + (i % 29) * 1.0e3 + 0.75;
    batch[at + S_RESPONSE] = i % 7 === 0 ? 2.2e5 + (i % 31) * 1.0e3 : -1;
  }
  return batch;
}

/** The addon's side of the hand-over path with no writer: events routed into `sink`, settling nothing. */
export function eventsInto(sink: PhaseSink): WorkloadEvents {
  return new WorkloadEvents(
    new SinkHandlers(sink, () => {}),
    () => {},
    () => {},
  );
}

const SLOWOP = STREAM_NAMES.indexOf('slowop');
/**
 * The last round's handlers, sink and recorders, kept: the optimised path holds some of them weakly, and the
 * collection that ends the warm-up would otherwise free them and make V8 drop that code (traced: onSamples,
 * "marking dependent code for deoptimization, reason: weak objects"), to compile it again in the run.
 */
const kept: { lastRound: WorkloadEvents | null; lastFolded: WorkloadEvents | null } = {
  lastRound: null,
  lastFolded: null,
};
/** An operation every 250 us, a tick every 40 batches: about a second with batches of 100. */
const OP_NS = 2.5e5;
const TICK_BATCHES = 40;

/** A phase's once-a-second work, handed a recorder for the measured stream and one for commits. */
export type SecondWork = (elapsedNs: number, main: DiskRecorder, commit: DiskRecorder) => void;

export interface WarmUp {
  /** Run at each synthetic second in place of the two recorders' snapshots (default: just the snapshots). */
  second?: SecondWork | undefined;
  rounds?: number;
  batches?: number;
  opsPerBatch?: number;
  /**
   * The addon's fold (native/src/fold_for_js.h): given, folded chunks run too, as a native writer hands them over,
   * into recorders of their own (a recorder takes one or the other in a run).
   */
  fold?: ((samples: Float64Array) => Float64Array[]) | undefined;
}

const snapshots: SecondWork = (t, main, commit) => {
  main.snapshot(t);
  commit.snapshot(t);
};

/**
 * Runs `rounds` phases' worth of batches through the hand-over path. Two rounds: the first one's end frees its
 * histograms, which changes a field that the optimised code relied on (hdr-histogram-js swaps in a placeholder);
 * the second optimises again, past that, so the code a run gets has nothing left to learn.
 *
 * Each batch is a promise reaction calling `on` through a bound function, as the addon calls it from C++: with
 * no JavaScript caller to fold the path into (V8 runs reactions from a builtin; Node's queueMicrotask would wrap
 * it in one), V8 optimises the path's own functions, the code a writer's calls then run. Traced (--trace-opt):
 * the handlers' onSamples with the sink and the recorder inlined, the recorder's add and records, the tick's
 * summary; `on` itself stays in baseline code, a few compares a batch.
 */
export async function warmUpHandOver(w: WarmUp = {}): Promise<void> {
  const { rounds = 2, batches = 2000, opsPerBatch = 100 } = w;
  const second = w.second ?? snapshots;
  const ops = syntheticOps(opsPerBatch);
  const batchNs = opsPerBatch * OP_NS;
  const settled = Promise.resolve();
  for (let round = 0; round < rounds; round++) {
    const recorders = [new DiskRecorder(), new DiskRecorder(), new DiskRecorder(), new DiskRecorder()] as const;
    const sink = new PhaseSink(...recorders);
    const events = eventsInto(sink);
    kept.lastRound = events;
    const folded = w.fold ? foldedRound(w.fold, Math.ceil(batches / FOLD_BATCHES), settled) : null;
    for (let k = 0; k < batches; k++) {
      // Mostly the measured stream, every stream now and then (the seq and WAL modes share the code).
      const stream = k % 8 === 7 ? (k >> 3) % STREAM_NAMES.length : k % 2;
      const n = stream === SLOWOP ? 1 : opsPerBatch - (k % 5);
      // Time goes on from batch to batch, as in a run: each recorder's per-second windows close.
      const batch = ops.slice(0, n * SAMPLE_STRIDE);
      for (let at = S_START; at < batch.length; at += SAMPLE_STRIDE) batch[at]! += k * batchNs;
      settled.then(events.on.bind(events, EVENT_SAMPLES, stream, batch));
      if (k % TICK_BATCHES === TICK_BATCHES - 1)
        settled.then(() => {
          const t = (k + 1) * batchNs;
          second(t, recorders[0], recorders[3]);
          recorders[1].snapshot(t);
          recorders[2].snapshot(t);
        });
      if (folded && k % FOLD_BATCHES === FOLD_BATCHES - 1) folded.deliver((k + 1) / FOLD_BATCHES - 1);
      // A chunk at a time: the batches' memory is freed as it goes.
      if (k % 100 === 99) await null;
    }
    await null;
    for (const r of recorders) r.finish(batches * batchNs);
    folded?.finish();
  }
  collectNow();
}

/** A folded chunk every this many batches: one per synthetic second's worth of batches, about. */
const FOLD_BATCHES = 80;

/** `chunks` seconds of synthetic operations folded, delivered one by one into a sink of their own. */
function foldedRound(fold: (samples: Float64Array) => Float64Array[], chunks: number, settled: Promise<void>) {
  const recorder = new DiskRecorder();
  const events = eventsInto(new PhaseSink(recorder, null, null, null));
  kept.lastFolded = events;
  const perSecond = Math.round(1e9 / OP_NS);
  const folded = fold(syntheticOps(chunks * perSecond));
  return {
    deliver(j: number): void {
      const chunk = folded[j];
      if (chunk) settled.then(events.on.bind(events, EVENT_FOLDED, j % 2, chunk));
    },
    finish(): void {
      recorder.finish(chunks * 1e9);
    },
  };
}
