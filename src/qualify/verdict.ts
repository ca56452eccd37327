// The answer in words: can this disk carry etcd, why, and what the answer
// rests on: which figures were not the disk's (host, client, etcd itself) and
// which were measured on a busy host. Built from the checks, the letter and
// the phases' attributions only.
import type { Check, Grade } from '../verdict/check.js';
import type { QualifyReport } from './report.js';

import { ETCD_PHASE_CHECKS as ETCD_CHECKS } from '../grade/qualify-checks.js';
import type { Attribution } from '../verdict/attribution.js';
import type { WalAgreement } from './wal-agreement.js';

function titles(cs: Check[]): string {
  return cs.map((c) => c.title).join('; ');
}

/** The verdict of a qualify run. */
export function verdictOf(
  checks: Check[],
  grade: Grade,
  phases: QualifyReport['phases'],
  complete: boolean,
  incompleteReason?: string,
  agreement?: WalAgreement | null,
): QualifyReport['verdict'] {
  const parts: string[] = [];
  const letter = grade.letter;
  const passed = complete && letter !== null && ['A', 'B', 'C'].includes(letter);
  if (!complete)
    parts.push(
      `NO VERDICT: the run did not complete (${incompleteReason ?? 'unknown reason'}); what was measured is in the ` +
        `report, but it is not a qualification.`,
    );
  else if (letter === null && grade.limitedBy)
    parts.push(`NO DISK VERDICT: ${grade.reason.replace(/^no disk verdict: /, '')}.`);
  else if (letter === null) parts.push(`NO VERDICT: ${grade.reason}.`);
  else if (passed)
    parts.push(
      `PASS, grade ${letter}: this disk can carry etcd${letter === 'C' ? ', with little headroom' : ''} ` +
        `(${grade.reason}).`,
    );
  else parts.push(`FAIL, grade ${letter}: this disk is not fit for etcd (${grade.reason}).`);
  // Said once: the letter's reason names the failed checks it was built from; only others are listed here.
  const failed = checks.filter((c) => c.status === 'fail' && !grade.reason.includes(c.title));
  if (complete && failed.length > 0) parts.push(`Failed: ${titles(failed)}.`);
  const notDisk = checks.filter((c) => c.status === 'inconclusive');
  const whys = phaseAttributions(phases);
  if (notDisk.length > 0) {
    parts.push(`Not the disk's: ${titles(notDisk)}.`);
    // A disk phase's miss is weighed on its own seconds: its note says what could account for it, with the figures.
    for (const c of notDisk) if (phaseOf(c.id) !== 'etcd' && c.note) parts.push(`${c.title}: ${c.note}.`);
    for (const [phase, a] of whys)
      if (phase === 'etcd' && a.cause !== 'disk' && notDisk.some((c) => phaseOf(c.id) === phase))
        parts.push(`${phase} phase: ${a.why}.`);
  }
  for (const [phase, a] of whys)
    if (a.cause === 'host' && phase !== 'etcd' && !notDisk.some((c) => phaseOf(c.id) === phase))
      parts.push(
        `The ${phase} phase ran on a busy host (${a.why.replace(/^not a disk figure: /, '')}): its figures are ` +
          `upper bounds, the disk may be faster.`,
      );
  if (agreement && Math.abs(agreement.bucketsApart) > 1)
    parts.push(
      `The WAL phase and etcd disagree: our WAL fsync p99 falls in ${agreement.ours.range} of etcd's buckets, ` +
        `etcd's own in ${agreement.etcd.range}; ${agreement.note}.`,
    );
  const warned = checks.filter((c) => c.status === 'warn');
  if (warned.length > 0) parts.push(`Warning: ${titles(warned)} below the recommended value.`);
  if (phases.etcd.status === 'not-run')
    parts.push(
      `The etcd phase did not run (${phases.etcd.reason ?? 'no reason given'}): this verdict rests on the disk ` +
        `phases alone.`,
    );
  const notRun = checks.filter(
    (c) => c.status === 'not-run' && !(phases.etcd.status === 'not-run' && ETCD_CHECKS.test(c.id)),
  );
  if (notRun.length > 0) parts.push(`Not run, so not counted as passed: ${titles(notRun)}.`);
  return { passed, text: parts.join(' ') };
}

/** The phase a qualify check belongs to. */
function phaseOf(id: string): 'fio' | 'wal' | 'etcd' {
  if (ETCD_CHECKS.test(id)) return 'etcd';
  return id === 'fio-sync-p99' || id.startsWith('iops') ? 'fio' : 'wal';
}

/** Each phase's attribution of its measured writer (disk phases) or its load. */
function phaseAttributions(phases: QualifyReport['phases']): [string, Attribution][] {
  const out: [string, Attribution][] = [];
  if (phases.fio.result?.attribution) out.push(['fio', phases.fio.result.attribution.writer]);
  if (phases.wal.result?.attribution) out.push(['wal', phases.wal.result.attribution.writer]);
  if (phases.etcd.result?.attribution) out.push(['etcd', phases.etcd.result.attribution]);
  return out;
}
