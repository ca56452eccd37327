// Picks the writer engine: native unless asked otherwise; the JS engine with a
// warning when the addon cannot load.
import type { Engine, EngineName } from './engine.js';
import { jsEngine } from './js-engine.js';
import { loadNativeAddon, nativeEngine } from './native-engine.js';

export interface EngineChoice {
  engine: Engine;
  /** Set when the native engine was asked for but could not load. */
  fallbackReason?: string;
}

/** Returns the engine to run. */
export function selectEngine(wanted: EngineName): EngineChoice {
  if (wanted === 'js') return { engine: jsEngine };
  const loaded = loadNativeAddon();
  if ('addon' in loaded) return { engine: nativeEngine(loaded.addon) };
  return {
    engine: jsEngine,
    fallbackReason:
      `the native writer could not load (${loaded.error.message.split('\n')[0]}); using --engine js, ` +
      `whose tail latency is noisier. Rebuild with: npm run build`,
  };
}
