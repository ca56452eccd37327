// Runs a native workload to completion in tests and gathers its samples by stream.
import type { WriterError, WriterSummary } from '../../src/disk/engine.js';
import {
  loadNativeAddon,
  startWorkload,
  type NativeAddon,
  type StreamName,
  type WorkloadConfigs,
} from '../../src/disk/native-engine.js';
import { SAMPLE_STRIDE } from '../../src/stats/samples.js';

export function addon(): NativeAddon {
  const loaded = loadNativeAddon();
  if (!('addon' in loaded)) throw new Error(`the native addon must load in tests: ${loaded.error.message}`);
  return loaded.addon;
}

export interface Gathered {
  summary?: WriterSummary;
  error?: WriterError;
  /** Column arrays per stream: rows of SAMPLE_STRIDE numbers. */
  rows: Partial<Record<StreamName, number[][]>>;
}

/** Starts a workload, stops it after `stopAfterMs` if given, and waits for its end. */
export async function gather<K extends keyof WorkloadConfigs>(
  kind: K,
  config: WorkloadConfigs[K],
  stopAfterMs?: number,
): Promise<Gathered> {
  const got: Gathered = { rows: {} };
  const handle = startWorkload(addon(), kind, config, {
    onSamples: (b, stream) => {
      got.rows[stream] ??= [];
      const rows = got.rows[stream];
      for (let i = 0; i < b.length; i += SAMPLE_STRIDE) rows.push(Array.from(b.subarray(i, i + SAMPLE_STRIDE)));
    },
  });
  const timer = stopAfterMs !== undefined ? setTimeout(() => handle.stop(), stopAfterMs) : undefined;
  try {
    got.summary = await handle.done;
  } catch (e) {
    got.error = e as WriterError;
  } finally {
    clearTimeout(timer);
  }
  return got;
}
