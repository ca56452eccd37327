// The typed boundary to the C++ addon (native/): loads it, declares what it
// exports, and adapts its event callback to the Engine interface.
import { createRequire } from 'node:module';
import { NATIVE_ADDON } from '../paths.js';
import type { Engine, WriterConfig, WriterError, WriterHandle, WriterHandlers, WriterSummary } from './engine.js';
import { SAMPLE_STRIDE } from './samples.js';

/** Events the addon's writer thread delivers, in this order. */
type NativeEvent =
  | { type: 'prepared'; prepareNs: number }
  | { type: 'samples'; samples: Float64Array }
  | { type: 'done'; summary: WriterSummary }
  | { type: 'error'; error: WriterError; summary: WriterSummary };

interface NativeWriter {
  stop(): void;
}

/** The addon's exports (native/src/addon.cc). */
export interface NativeAddon {
  Writer: new (config: WriterConfig, onEvent: (ev: NativeEvent) => void) => NativeWriter;
  sampleStride: number;
}

let cached: { addon: NativeAddon } | { error: Error } | undefined;

/** Loads the addon once; returns it or the reason it cannot load. */
export function loadNativeAddon(): { addon: NativeAddon } | { error: Error } {
  if (cached) return cached;
  try {
    const addon = createRequire(import.meta.url)(NATIVE_ADDON) as NativeAddon;
    if (addon.sampleStride !== SAMPLE_STRIDE) throw new Error(`addon sample stride ${addon.sampleStride} != ${SAMPLE_STRIDE}: rebuild it`);
    cached = { addon };
  } catch (e) {
    cached = { error: e as Error };
  }
  return cached;
}

/** The engine backed by the C++ writer thread. */
export function nativeEngine(addon: NativeAddon): Engine {
  return {
    name: 'native',
    start(config: WriterConfig, handlers: WriterHandlers): WriterHandle {
      let resolve!: (s: WriterSummary) => void;
      let reject!: (e: WriterError) => void;
      const done = new Promise<WriterSummary>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      let handlerError: unknown;
      let writer: NativeWriter | undefined;
      // Called on the JS thread. Never throws back into the addon: a handler
      // failure stops the writer and rejects `done` instead.
      const onEvent = (ev: NativeEvent): void => {
        try {
          if (ev.type === 'samples' && handlerError === undefined) handlers.onSamples(ev.samples);
          else if (ev.type === 'prepared') handlers.onPrepared?.(ev.prepareNs);
          else if (ev.type === 'done') handlerError === undefined ? resolve(ev.summary) : reject(handlerError as WriterError);
          else if (ev.type === 'error') reject(Object.assign(ev.error, { summary: ev.summary }));
        } catch (e) {
          handlerError = e;
          writer?.stop();
        }
      };
      writer = new addon.Writer(config, onEvent);
      return { stop: () => writer?.stop(), done };
    },
  };
}
