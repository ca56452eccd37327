// The typed boundary to the C++ addon (native/): loads it, declares what it
// exports, and adapts its event callback to promises and handlers.
import {
  EVENT_DONE,
  EVENT_FOLDED,
  EVENT_PREPARED,
  EVENT_SAMPLES,
  STREAM_NAMES,
  type StreamName,
} from '../native/abi.js';
import { loadAddon } from '../native/addon.js';
import type { Engine, WriterConfig, WriterError, WriterHandle, WriterHandlers, WriterSummary } from './engine.js';
import type { CommitConfig, NeighbourConfig, WalConfig } from './workload-configs.js';

export type { StreamName };

/** The addon's callback: each event's kind, then its values (abi.ts, native/src/abi.h). */
type NativeEventCallback = (kind: number, a: unknown, b: unknown) => void;

interface NativeWorkload {
  stop(): void;
}

/** The config each workload kind takes (native/src/config_from_js.cc). */
export interface WorkloadConfigs {
  seq: WriterConfig;
  wal: WalConfig;
  commit: CommitConfig;
  neighbour: NeighbourConfig;
}

/** The addon's exports (native/src/addon.cc). */
export interface NativeAddon {
  Workload: new <K extends keyof WorkloadConfigs>(
    kind: K,
    config: WorkloadConfigs[K],
    onEvent: NativeEventCallback,
  ) => NativeWorkload;
  sampleStride: number;
  abiVersion: number;
  counterNames: string[];
  /** The calling thread into SCHED_IDLE; false with nothing changed when it could not return (cpu_yield.h). */
  idleThisThread(): boolean;
  /** Every thread of the process in SCHED_IDLE back to SCHED_OTHER; false when one could not be put back. */
  restoreFromIdle(): boolean;
  /** Whether the last idle spell's guard found the thread starved and put it back early. */
  starvedWhileIdle(): boolean;
  /** The chunks a writer with `fold` hands over for these samples (native/src/fold_for_js.h). */
  foldSamples(samples: Float64Array): Float64Array[];
}

/** Handlers for a workload: like WriterHandlers, with the stream each batch belongs to. */
export interface WorkloadHandlers {
  onPrepared?(prepareNs: number, tid: number): void;
  onSamples?(batch: Float64Array, stream: StreamName): void;
  /** A chunk of operations folded (stats/folded.ts), from a workload configured with `fold`. */
  onFolded?(chunk: Float64Array, stream: StreamName): void;
}

/** Loads the addon once (native/addon.ts); returns it, typed for the workloads, or the reason it cannot load. */
export function loadNativeAddon(): { addon: NativeAddon } | { error: Error } {
  const loaded = loadAddon();
  if ('error' in loaded) return loaded;
  if (typeof loaded.addon.Workload !== 'function')
    return { error: new Error('the addon is from an older build: rebuild it') };
  return { addon: loaded.addon as unknown as NativeAddon };
}

/**
 * One workload's events, delivered to its handlers on the JS thread. The addon calls `on` through a bound
 * function: a method is one function for every workload of the process, so the code V8 optimised for it (and for
 * the handlers' methods it calls) before a run serves every run (warm-up.ts), where a closure per workload would
 * be compiled anew, on this thread, while its writer is timed. Never throws back into the addon: a handler
 * failure stops the workload and rejects `done` instead.
 */
export class WorkloadEvents {
  private handlerError: unknown;
  workload: NativeWorkload | undefined;

  constructor(
    private readonly handlers: WorkloadHandlers,
    private readonly resolve: (s: WriterSummary) => void,
    private readonly reject: (e: WriterError) => void,
  ) {}

  on(kind: number, a: unknown, b: unknown): void {
    try {
      if (kind === EVENT_SAMPLES) {
        if (this.handlerError === undefined) this.handlers.onSamples?.(b as Float64Array, STREAM_NAMES[a as number]!);
      } else if (kind === EVENT_FOLDED) {
        if (this.handlerError === undefined) this.handlers.onFolded?.(b as Float64Array, STREAM_NAMES[a as number]!);
      } else if (kind === EVENT_PREPARED) {
        this.handlers.onPrepared?.(a as number, b as number);
      } else if (kind === EVENT_DONE) {
        if (this.handlerError === undefined) this.resolve(a as WriterSummary);
        else this.reject(this.handlerError as WriterError);
      } else {
        this.reject(Object.assign(a as WriterError, { summary: b as WriterSummary }));
      }
    } catch (e) {
      this.handlerError = e;
      this.workload?.stop();
    }
  }
}

/** Starts one workload thread. `done` rejects with an fs-style error (plus `summary`). */
export function startWorkload<K extends keyof WorkloadConfigs>(
  addon: NativeAddon,
  kind: K,
  config: WorkloadConfigs[K],
  handlers: WorkloadHandlers,
): WriterHandle {
  let events!: WorkloadEvents;
  const done = new Promise<WriterSummary>((resolve, reject) => {
    events = new WorkloadEvents(handlers, resolve, reject);
  });
  const workload = new addon.Workload(kind, config, events.on.bind(events));
  events.workload = workload;
  return { stop: () => workload.stop(), done };
}

/** The sequential-writer engine backed by the C++ writer thread. */
export function nativeEngine(addon: NativeAddon): Engine {
  return {
    name: 'native',
    start: (config: WriterConfig, handlers: WriterHandlers): WriterHandle =>
      // The handlers as they are: the writer's streams are 'seq' (its operations) and 'slowop'.
      startWorkload(addon, 'seq', config, handlers),
  };
}
