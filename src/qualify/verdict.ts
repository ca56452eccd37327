// The answer in words: can this disk carry etcd, why, and what the answer
// rests on. Built from the checks and the letter only.
import type { Check } from '../disk/result.js';
import type { Grade } from '../grade/letter.js';
import type { QualifyReport } from './report.js';

const ETCD_CHECKS = /^(etcd-|leader-changes|failed-proposals)/;

function titles(cs: Check[]): string {
  return cs.map((c) => c.title).join('; ');
}

/** The verdict of a qualify run. */
export function verdictOf(checks: Check[], grade: Grade, phases: QualifyReport['phases'], complete: boolean, incompleteReason?: string): QualifyReport['verdict'] {
  const parts: string[] = [];
  const letter = grade.letter;
  const passed = complete && letter !== null && ['A', 'B', 'C'].includes(letter);
  if (!complete) parts.push(`NO VERDICT: the run did not complete (${incompleteReason ?? 'unknown reason'}); what was measured is in the report, but it is not a qualification.`);
  else if (letter === null) parts.push(`NO VERDICT: ${grade.reason}.`);
  else if (passed) parts.push(`PASS, grade ${letter}: this disk can carry etcd${letter === 'C' ? ', with little headroom' : ''} (${grade.reason}).`);
  else parts.push(`FAIL, grade ${letter}: this disk is not fit for etcd (${grade.reason}).`);
  const failed = checks.filter((c) => c.status === 'fail');
  if (complete && failed.length > 0) parts.push(`Failed: ${titles(failed)}.`);
  const warned = checks.filter((c) => c.status === 'warn');
  if (warned.length > 0) parts.push(`Warning: ${titles(warned)} below the recommended value.`);
  if (phases.etcd.status === 'not-run')
    parts.push(`The etcd phase did not run (${phases.etcd.reason ?? 'no reason given'}): this verdict rests on the disk phases alone.`);
  const notRun = checks.filter((c) => c.status === 'not-run' && !(phases.etcd.status === 'not-run' && ETCD_CHECKS.test(c.id)));
  if (notRun.length > 0) parts.push(`Not run, so not counted as passed: ${titles(notRun)}.`);
  return { passed, text: parts.join(' ') };
}
