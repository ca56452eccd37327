// The letter that summarises the checks, from the incident report's scale:
// A healthy (sync p99 <= 2 ms), B (<= 5 ms), C passes with little headroom
// (under the 10 ms limit), D fails (10-50 ms: alert), F fails badly (> 50 ms,
// or a check marked severe: a stall as long as the election timeout, leader
// churn). It grades the disk only: a limit missed while the host, the client or
// etcd itself was the bottleneck is inconclusive and does not count; when the
// main figure itself is inconclusive there is no letter, unless another check
// failed on the disk's own evidence.
import type { Check, Grade } from './check.js';
import type { Cause } from './attribution.js';

export interface GradeLimits {
  aNs: number;
  bNs: number;
  /** A failing sync p99 above this is F. */
  fNs: number;
}

/** Check ids whose failure alone makes the grade F (and any failure at or above its check's severeAt). */
export const SEVERE_CHECKS = new Set(['leader-changes']);

function isSevere(c: Check): boolean {
  return SEVERE_CHECKS.has(c.id) || (c.severeAt !== undefined && c.measured !== null && c.measured >= c.severeAt);
}

const ms = (ns: number) => `${+(ns / 1e6).toFixed(3)} ms`;
const causeWords = (c: Cause) => (c === 'client' ? 'load generator' : c);

/**
 * Grades from the checks; the main check (`mainId`, the durable write's p99: ours, or etcd's own WAL fsync when
 * observing a cluster) sets the letter within a pass.
 */
export function gradeOf(checks: Check[], limits: GradeLimits, mainId = 'sync-p99'): Grade {
  const sync = checks.find((c) => c.id === mainId);
  if (!sync || sync.status === 'not-run' || sync.measured === null)
    return { letter: null, reason: 'the sync check did not run' };
  const p99 = sync.measured;
  const failed = checks.filter((c) => c.status === 'fail');
  const severe = failed.filter(isSevere);
  // A failure weighed against the host's evidence and put on the disk (cause 'disk') stands even when the main
  // figure was the host's: a stall the host cannot account for costs etcd its leader whatever the p99 says.
  const disks = failed.filter((c) => c.cause === 'disk');
  if (sync.status === 'inconclusive' && sync.cause && sync.cause !== 'disk' && disks.length > 0) {
    const worst = disks.filter(isSevere);
    return {
      letter: worst.length > 0 ? 'F' : 'D',
      reason:
        `failed: ${(worst.length > 0 ? worst : disks).map((c) => c.title).join(', ')} (the disk's; ${sync.title} ` +
        `gave no verdict: the ${causeWords(sync.cause)} was the bottleneck)`,
    };
  }
  if (sync.status === 'inconclusive' && sync.cause && sync.cause !== 'disk')
    return {
      letter: null,
      reason: `no disk verdict: ${sync.title} missed its limit while the ${causeWords(sync.cause)} was the bottleneck`,
      limitedBy: sync.cause,
    };
  // A miss as long as the election timeout costs etcd its leader: if it is not the disk's, there is no verdict at all,
  // never a pass (a stall taken off the disk must not leave exit 0).
  const severeElsewhere = checks.find(
    (c) => c.status === 'inconclusive' && c.cause && c.cause !== 'disk' && isSevere(c),
  );
  if (severeElsewhere?.cause && severeElsewhere.cause !== 'disk')
    return {
      letter: null,
      reason:
        `no disk verdict: ${severeElsewhere.title} ${ms(severeElsewhere.measured ?? 0)} reached the severe tier ` +
        `(${ms(severeElsewhere.severeAt ?? 0)}) while the ${causeWords(severeElsewhere.cause)} could account ` +
        `for it${severeElsewhere.note ? ` (${severeElsewhere.note})` : ''}`,
      limitedBy: severeElsewhere.cause,
    };
  const notRun = checks.filter((c) => c.status === 'not-run').length;
  const inconclusive = checks.filter((c) => c.status === 'inconclusive').length;
  const aside = [notRun > 0 ? `${notRun} not run` : '', inconclusive > 0 ? `${inconclusive} not the disk's` : '']
    .filter(Boolean)
    .join(', ');
  const every = aside === '' ? 'every check passed' : `every check that judged the disk passed (${aside})`;
  if (severe.length > 0) return { letter: 'F', reason: `failed: ${severe.map((c) => c.title).join(', ')}` };
  if (failed.length > 0 && p99 > limits.fNs)
    return { letter: 'F', reason: `${sync.title} ${ms(p99)} is over ${ms(limits.fNs)}` };
  if (failed.length > 0) return { letter: 'D', reason: `failed: ${failed.map((c) => c.title).join(', ')}` };
  if (p99 <= limits.aNs) return { letter: 'A', reason: `${every}; ${sync.title} ${ms(p99)} <= ${ms(limits.aNs)}` };
  if (p99 <= limits.bNs) return { letter: 'B', reason: `${every}; ${sync.title} ${ms(p99)} <= ${ms(limits.bNs)}` };
  return { letter: 'C', reason: `${every}, with little headroom: ${sync.title} ${ms(p99)}` };
}

/**
 * Exit code of a graded run: 0 for A-C, 1 for D-F (and for no grade), 4 for no disk verdict (the host, client or etcd
 * limited the figures).
 */
export function gradeExitCode(g: Grade): 0 | 1 | 4 {
  if (g.letter === null && g.limitedBy) return 4;
  return g.letter !== null && ['A', 'B', 'C'].includes(g.letter) ? 0 : 1;
}

/** The grade of a run on a filesystem held in memory: no disk verdict, whatever the figures (exit 4). */
export function memoryGrade(memory: string): Grade {
  return {
    letter: null,
    reason: `no disk verdict: memory, not a disk: the directory is on ${memory}, so no disk was measured`,
    limitedBy: 'memory',
  };
}
