import { UsageError } from '../core/errors.js';
import { LOAD_OPTION_KEYS, type ResolvedLoadOptions } from '../load/load-option-values.js';
import { loadProfile } from '../options/profiles.js';
import { resolveOptions } from '../options/resolve.js';
import type { ValueSource } from '../options/resolve.js';

/**
 * The kube profile against `endpoints`, with the lab's --runtime (0, the default, keeps the profile's length: a
 * lab has no --total, so 0 cannot mean "no end") and, when given, another workload shape.
 */
export function labLoadOptions(
  endpoints: string[],
  runtime: { value: number; source: ValueSource },
  workload?: ResolvedLoadOptions['values']['workload'],
): ResolvedLoadOptions {
  const l = resolveOptions(LOAD_OPTION_KEYS, {}, loadProfile('kube', LOAD_OPTION_KEYS));
  l.values.endpoints = endpoints.join(',');
  l.sources.endpoints = 'cli';
  if (workload) l.values.workload = workload;
  if (runtime.value > 0) {
    l.values.runtime = runtime.value;
    l.sources.runtime = runtime.source;
  }
  return l;
}

/** A delay cannot go below 0: --jitter at most --delay. */
export function checkJitter(delayNs: number, jitterNs: number): void {
  if (jitterNs > delayNs)
    throw new UsageError(
      `--jitter: ${jitterNs / 1e6} ms is more than --delay (${delayNs / 1e6} ms); a delay cannot go below 0`,
      'jitter',
    );
}

/** A lab's members keep a majority through one failure: 1, 3 or 5. */
export function checkMembers(members: number): void {
  if (members % 2 === 0)
    throw new UsageError(
      `--members: ${members} members cannot keep a majority through one failure; use 1, 3 or 5`,
      'members',
    );
}
