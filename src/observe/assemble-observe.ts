// From each member's series to the report's members, the cluster's letter
// (the worst member's) and the verdict that names the member and the cause.
import type { Check } from '../disk/result.js';
import { memberMetrics } from '../etcd/server-metrics.js';
import type { Grade, GradeLimits, Letter } from '../grade/letter.js';
import type { MemberInfo } from './cluster-info.js';
import type { MemberSeries } from './member-series.js';
import { memberChecks, memberGrade, type ObserveLimits } from './observe-checks.js';
import type { ObservedMember, ObserveReport } from './observe-report.js';

export interface MemberSource {
  name: string;
  id: string | null;
  metricsFrom: string;
  info: MemberInfo | null;
  series: MemberSeries;
  /** Its active alarms (null: not known). */
  alarms: string[] | null;
}

const ORDER: Letter[] = ['A', 'B', 'C', 'D', 'F'];

/** Each member with its checks and letter. */
export function observedMembers(sources: MemberSource[], limits: ObserveLimits, grade: GradeLimits): ObservedMember[] {
  const names = new Map(sources.filter((s) => s.id).map((s) => [s.id!, s.name]));
  const peerName = (id: string) => (names.has(id) ? `${names.get(id)} (${id})` : id);
  return sources.map((s) => {
    const metrics = memberMetrics(s.metricsFrom, s.series.deltas);
    const peerRtt = s.series.peerRtt();
    const checks = memberChecks(metrics, peerRtt, s.alarms, limits, peerName);
    return {
      name: s.name,
      id: s.id,
      metricsFrom: s.metricsFrom,
      info: s.info,
      metrics,
      peerRtt,
      intervals: s.series.rows,
      checks,
      grade: memberGrade(checks, grade),
    };
  });
}

/** The worst member: the lowest letter; a member without one (nothing to grade) counts after F. */
export function worstOf(members: ObservedMember[]): ObservedMember | null {
  const rank = (m: ObservedMember) => (m.grade.letter === null ? -1 : ORDER.indexOf(m.grade.letter));
  let worst: ObservedMember | null = null;
  for (const m of members) if (m.grade.letter !== null && (!worst || rank(m) > rank(worst))) worst = m;
  return worst;
}

const failedWords = (checks: Check[]) =>
  checks
    .filter((c) => c.status === 'fail')
    .map((c) => `${c.title} ${c.range ?? c.measured ?? '-'}${c.note ? ` (${c.note})` : ''}`)
    .join('; ');

/** The cluster's letter and the verdict paragraph. */
export function clusterVerdict(
  members: ObservedMember[],
  complete: boolean,
  incompleteReason: string | undefined,
): Pick<ObserveReport, 'grade' | 'worstMember' | 'verdict'> {
  const worst = worstOf(members);
  const ungraded = members.filter((m) => m.grade.letter === null).map((m) => m.name);
  if (!worst) {
    const why = members.length === 0 ? 'no member was read' : `no member could be graded (${members[0]!.grade.reason})`;
    return {
      grade: { letter: null, reason: why },
      worstMember: null,
      verdict: { passed: false, text: `No verdict: ${why}.` },
    };
  }
  const grade: Grade = { letter: worst.grade.letter, reason: `${worst.name}: ${worst.grade.reason}` };
  const passed = complete && ['A', 'B', 'C'].includes(worst.grade.letter!);
  const failing = members.filter((m) => m.checks.some((c) => c.status === 'fail'));
  const lines = failing.map((m) => `${m.name} (${m.grade.letter ?? '-'}): ${failedWords(m.checks)}`);
  const fine = members.filter((m) => !failing.includes(m) && m.grade.letter !== null).map((m) => m.name);
  const text = [
    failing.length === 0
      ? `PASS, grade ${worst.grade.letter}: every member's own metrics stayed within etcd's limits; the worst is ` +
        `${worst.name} (${worst.grade.reason}).`
      : `FAIL, grade ${worst.grade.letter}: ${lines.join('. ')}.` +
        `${fine.length > 0 ? ` Within the limits: ${fine.join(', ')}.` : ''}`,
    ungraded.length > 0 ? `Not graded: ${ungraded.join(', ')}.` : '',
    complete ? '' : `The observation did not complete (${incompleteReason}).`,
  ]
    .filter(Boolean)
    .join(' ');
  return { grade, worstMember: worst.name, verdict: { passed, text } };
}
