// The typed boundary to the C++ addon (native/): loads it, declares what it
// exports, and adapts its event callback to promises and handlers.
import { loadAddon } from '../native/addon.js';
import type { Engine, WriterConfig, WriterError, WriterHandle, WriterHandlers, WriterSummary } from './engine.js';
import type { CommitConfig, NeighbourConfig, WalConfig } from './workload-configs.js';

/** The sample streams the writer threads report. */
export type StreamName = 'seq' | 'wal' | 'cut' | 'cutsync' | 'commit' | 'slowop';

/** Events a workload thread delivers, in this order. */
type NativeEvent =
  | { type: 'prepared'; prepareNs: number; tid: number }
  | { type: 'samples'; stream: StreamName; samples: Float64Array }
  | { type: 'done'; summary: WriterSummary }
  | { type: 'error'; error: WriterError; summary: WriterSummary };

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
    onEvent: (ev: NativeEvent) => void,
  ) => NativeWorkload;
  sampleStride: number;
  abiVersion: number;
  counterNames: string[];
}

/** Handlers for a workload: like WriterHandlers, with the stream each batch belongs to. */
export interface WorkloadHandlers {
  onPrepared?(prepareNs: number, tid: number): void;
  onSamples?(batch: Float64Array, stream: StreamName): void;
}

/** Loads the addon once (native/addon.ts); returns it, typed for the workloads, or the reason it cannot load. */
export function loadNativeAddon(): { addon: NativeAddon } | { error: Error } {
  const loaded = loadAddon();
  if ('error' in loaded) return loaded;
  if (typeof loaded.addon.Workload !== 'function')
    return { error: new Error('the addon is from an older build: rebuild it') };
  return { addon: loaded.addon as unknown as NativeAddon };
}

/** Starts one workload thread. `done` rejects with an fs-style error (plus `summary`). */
export function startWorkload<K extends keyof WorkloadConfigs>(
  addon: NativeAddon,
  kind: K,
  config: WorkloadConfigs[K],
  handlers: WorkloadHandlers,
): WriterHandle {
  let resolve!: (s: WriterSummary) => void;
  let reject!: (e: WriterError) => void;
  const done = new Promise<WriterSummary>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  let handlerError: unknown;
  let workload: NativeWorkload | undefined;
  // Called on the JS thread. Never throws back into the addon: a handler
  // failure stops the workload and rejects `done` instead.
  const onEvent = (ev: NativeEvent): void => {
    try {
      if (ev.type === 'samples') {
        if (handlerError === undefined) handlers.onSamples?.(ev.samples, ev.stream);
      } else if (ev.type === 'prepared') {
        handlers.onPrepared?.(ev.prepareNs, ev.tid);
      } else if (ev.type === 'error') {
        reject(Object.assign(ev.error, { summary: ev.summary }));
      } else if (handlerError === undefined) {
        resolve(ev.summary);
      } else {
        reject(handlerError as WriterError);
      }
    } catch (e) {
      handlerError = e;
      workload?.stop();
    }
  };
  workload = new addon.Workload(kind, config, onEvent);
  return { stop: () => workload?.stop(), done };
}

/** The sequential-writer engine backed by the C++ writer thread. */
export function nativeEngine(addon: NativeAddon): Engine {
  return {
    name: 'native',
    start: (config: WriterConfig, handlers: WriterHandlers): WriterHandle =>
      startWorkload(addon, 'seq', config, {
        onPrepared: handlers.onPrepared,
        // The writer's slow operations come as their own stream; everything else it sends is its operations.
        onSamples: (b, stream) => handlers.onSamples(b, stream === 'slowop' ? 'slowop' : undefined),
      }),
  };
}
