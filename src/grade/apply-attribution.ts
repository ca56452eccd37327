// Marks the missed limits of one phase with what they belong to: a miss the
// subject under test caused (the disk; for `load`, etcd too) stays a failure;
// a miss the host, the client or (for a disk verdict) etcd caused becomes
// inconclusive (not evidence against the subject), with the reason.
import type { Check } from '../verdict/check.js';
import type { Attribution, Cause } from '../verdict/attribution.js';

/**
 * The checks with each failure attributed; `ids` limits it to the checks of this phase (default: all).
 * `subjects`: the causes whose misses stay failures (default the disk; `load` judges etcd as well).
 */
export function applyAttribution(
  checks: Check[],
  a: Attribution | null,
  ids?: (id: string) => boolean,
  subjects: readonly Cause[] = ['disk'],
): Check[] {
  if (!a) return checks;
  return checks.map((c) => {
    if (c.status !== 'fail' || (ids && !ids(c.id))) return c;
    if (subjects.includes(a.cause)) return { ...c, cause: a.cause };
    const why = `not the disk's: ${a.short} (${a.rule}; see the phase's attribution)`;
    return { ...c, status: 'inconclusive', cause: a.cause, note: c.note ? `${c.note}; ${why}` : why };
  });
}
