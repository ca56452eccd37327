// The letter that summarises the checks, from the incident report's scale:
// A healthy (sync p99 <= 2 ms), B (<= 5 ms), C passes with little headroom
// (under the 10 ms limit), D fails (10-50 ms: alert), F fails badly (> 50 ms,
// or a check marked severe: a stall past two heartbeats, leader churn).
import type { Check } from '../disk/result.js';

export type Letter = 'A' | 'B' | 'C' | 'D' | 'F';

export interface GradeLimits {
  aNs: number;
  bNs: number;
  /** A failing sync p99 above this is F. */
  fNs: number;
}

export interface Grade {
  /** null when the sync check did not run: there is nothing to grade. */
  letter: Letter | null;
  reason: string;
}

/** Check ids whose failure alone makes the grade F. */
export const SEVERE_CHECKS = new Set(['stall', 'leader-changes']);

/** Grades from the checks; `sync` is the check on the durable write's p99 (the first check). */
export function gradeOf(checks: Check[], limits: GradeLimits): Grade {
  const sync = checks.find((c) => c.id === 'sync-p99');
  if (!sync || sync.status === 'not-run' || sync.measured === null) return { letter: null, reason: 'the sync check did not run' };
  const p99 = sync.measured;
  const failed = checks.filter((c) => c.status === 'fail');
  const severe = failed.filter((c) => SEVERE_CHECKS.has(c.id));
  const ms = (ns: number) => `${+(ns / 1e6).toFixed(3)} ms`;
  if (severe.length > 0) return { letter: 'F', reason: `failed: ${severe.map((c) => c.title).join(', ')}` };
  if (failed.length > 0 && p99 > limits.fNs) return { letter: 'F', reason: `${sync.title} ${ms(p99)} is over ${ms(limits.fNs)}` };
  if (failed.length > 0) return { letter: 'D', reason: `failed: ${failed.map((c) => c.title).join(', ')}` };
  if (p99 <= limits.aNs) return { letter: 'A', reason: `every check passed; ${sync.title} ${ms(p99)} <= ${ms(limits.aNs)}` };
  if (p99 <= limits.bNs) return { letter: 'B', reason: `every check passed; ${sync.title} ${ms(p99)} <= ${ms(limits.bNs)}` };
  return { letter: 'C', reason: `every check passed, with little headroom: ${sync.title} ${ms(p99)}` };
}

/** Exit code of a graded run: 0 for A-C, 1 for D-F (and for no grade). */
export function gradeExitCode(g: Grade): 0 | 1 {
  return g.letter !== null && ['A', 'B', 'C'].includes(g.letter) ? 0 : 1;
}
