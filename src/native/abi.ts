// What the native addon and this code agree on, declared once on this side
// (native/src/abi.h is the other): the ABI version, the event kinds and stream
// indices each call from a writer carries, and every counter a writer reports.
// A build whose version, streams or counters differ is refused with a clear
// message, and the run falls back to the JS engine where it can.
import { SAMPLE_STRIDE } from '../stats/samples.js';

/**
 * Raise with native/src/abi.h's ABI_VERSION on any change to configs, events, samples, streams, counters or
 * exported functions.
 */
export const NATIVE_ABI_VERSION = 7;

/** The first argument of each call from a writer thread (abi.h's EventKind). */
export const EVENT_PREPARED = 0;
export const EVENT_SAMPLES = 1;
export const EVENT_DONE = 2;
export const EVENT_FAILED = 3;
/** A chunk of folded operations (stats/folded.ts), with its stream's index. */
export const EVENT_FOLDED = 4;

/** The sample streams, by the index a samples event carries (abi.h's STREAM_NAMES). */
export const STREAM_NAMES = ['seq', 'wal', 'cut', 'cutsync', 'commit', 'slowop'] as const;
export type StreamName = (typeof STREAM_NAMES)[number];

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
  streamNames?: unknown;
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
  const streams = Array.isArray(a.streamNames) ? a.streamNames : [];
  if (streams.join(',') !== STREAM_NAMES.join(','))
    return (
      `the native addon reports streams [${streams.join(', ')}], this code reads ` +
      `[${STREAM_NAMES.join(', ')}]; ${rebuild}`
    );
  const names = Array.isArray(a.counterNames) ? a.counterNames : [];
  if (names.join(',') !== COUNTER_NAMES.join(','))
    return (
      `the native addon reports counters [${names.join(', ')}], this code reads ` +
      `[${COUNTER_NAMES.join(', ')}]; ${rebuild}`
    );
  return null;
}
