// Runs an engine to completion in tests and gathers what it reported.
import type { Engine, WriterConfig, WriterError, WriterSummary } from '../../src/disk/engine.js';
import { SAMPLE_STRIDE } from '../../src/stats/samples.js';

export interface Collected {
  summary?: WriterSummary;
  error?: WriterError;
  samples: Float64Array[];
  ops: number;
  prepared: boolean;
}

/** The default test config: fio's recipe, small. */
export function config(path: string, over: Partial<WriterConfig> = {}): WriterConfig {
  return {
    path,
    blockSize: 2300,
    fileSize: 2300 * 200,
    timeBased: false,
    durationNs: 0,
    syncMethod: 'fdatasync',
    syncEvery: 1,
    direct: false,
    prepare: 'fallocate',
    rateOpsPerSec: 0,
    ...over,
  };
}

/** Starts `engine`, optionally calls `during(stop)` once prepared, and waits for the end. */
export async function runEngine(
  engine: Engine,
  c: WriterConfig,
  during?: (stop: () => void) => void,
): Promise<Collected> {
  const got: Collected = { samples: [], ops: 0, prepared: false };
  const handle = engine.start(c, {
    onPrepared: () => {
      got.prepared = true;
      during?.(() => handle.stop());
    },
    onSamples: (b, stream) => {
      // The native writer's slow operations (50 ms or more) come again as their own stream.
      if (stream === 'slowop') return;
      got.samples.push(b.slice());
      got.ops += b.length / SAMPLE_STRIDE;
    },
  });
  try {
    got.summary = await handle.done;
  } catch (e) {
    got.error = e as WriterError;
  }
  return got;
}

/** Column `col` of every sample. */
export function column(got: Collected, col: number): number[] {
  const out: number[] = [];
  for (const b of got.samples) for (let i = col; i < b.length; i += SAMPLE_STRIDE) out.push(b[i]!);
  return out;
}
