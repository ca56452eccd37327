// What the native addon and this code agree on, declared once on this side
// (native/src/abi.h is the other): the ABI version and every counter a writer
// reports. A build whose version or counters differ is refused with a clear
// message, and the run falls back to the JS engine where it can.
import { SAMPLE_STRIDE } from '../stats/samples.js';

/** Raise with native/src/abi.h's ABI_VERSION on any change to configs, events, samples or counters. */
export const NATIVE_ABI_VERSION = 3;

/** The counters in a writer's summary (`extra`), in native/src/abi.h's order. */
export const COUNTER_NAMES = [
  'segments',
  'cuts',
  'dirFsyncs',
  'records',
  'purged',
  'voluntarySwitches',
  'involuntarySwitches',
  'pagesWritten',
  'grows',
  'fileBytes',
  'preallocFallbacks',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];

/** What a loaded addon says about itself. */
export interface AddonIdentity {
  abiVersion?: unknown;
  counterNames?: unknown;
  sampleStride?: unknown;
}

/** Why this addon build cannot be used (a stale or foreign build), or null when it matches. */
export function abiMismatch(a: AddonIdentity): string | null {
  const rebuild = 'rebuild it with: npm run build';
  if (a.abiVersion !== NATIVE_ABI_VERSION)
    return (
      `the native addon is from another build (ABI ${String(a.abiVersion ?? 'none')}, this code needs ` +
      `${NATIVE_ABI_VERSION}); ${rebuild}`
    );
  if (a.sampleStride !== SAMPLE_STRIDE)
    return `the native addon's sample stride ${String(a.sampleStride)} is not ${SAMPLE_STRIDE}; ${rebuild}`;
  const names = Array.isArray(a.counterNames) ? a.counterNames : [];
  if (names.join(',') !== COUNTER_NAMES.join(','))
    return (
      `the native addon reports counters [${names.join(', ')}], this code reads ` +
      `[${COUNTER_NAMES.join(', ')}]; ${rebuild}`
    );
  return null;
}
