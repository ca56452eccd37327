// Number and check formatting shared by the text views.
import type { Check } from '../verdict/check.js';
import type { Attribution } from '../verdict/attribution.js';

/** All latencies print in milliseconds with microsecond resolution: one unit, scripts can read it. */
export function ms(ns: number | null): string {
  return ns === null ? '-' : (ns / 1e6).toFixed(3);
}

/** A measured value or a limit in a check's unit. */
export function checkValue(c: Check, v: number): string {
  return c.unit === 'ns'
    ? `${ms(v)} ms`
    : c.unit === 'requests/s' || c.unit === 'ops/s'
      ? `${+v.toFixed(1)}/s`
      : String(v);
}

export const STATUS_WORD: Record<Check['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  'not-run': 'NOT RUN',
  inconclusive: 'NOTDISK',
};

/** A check's status word; a limit missed for another cause than the disk names that cause (HOST, CLIENT, ETCD). */
export function statusWord(c: Check): string {
  return c.status === 'inconclusive' && c.cause ? c.cause.toUpperCase() : STATUS_WORD[c.status];
}

/** Whether a phase's attribution is worth printing: a limit was missed, or the host was busy enough to matter. */
export function attributionShown(a: Attribution | null | undefined, checks: Check[]): a is Attribution {
  return !!a && (a.cause === 'host' || checks.some((c) => c.status === 'fail' || c.status === 'inconclusive'));
}

/** One check as two lines: verdict, value, limit, note; then its source. */
export function checkLine(c: Check, sourcesSaid?: Set<string>): string {
  const verdict = statusWord(c);
  const measured = c.range !== undefined ? ` ${c.range}` : c.measured === null ? '' : ` ${checkValue(c, c.measured)}`;
  const note = c.note ? `: ${c.note}` : '';
  const line = `${verdict.padEnd(8)}${c.title}${measured} (limit ${c.comparison} ${checkValue(c, c.limit)})${note}`;
  // A source already quoted in this output (the same rule for each member, two rules from one guide) is not
  // quoted again.
  if (sourcesSaid?.has(c.source)) return line;
  sourcesSaid?.add(c.source);
  return `${line}\n        source: ${c.source}`;
}
