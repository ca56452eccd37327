// From each member's series to the report's members, the cluster's letter
// (the worst member's) and the verdict that names the member and the cause.
import type { Check, Grade, Letter } from '../verdict/check.js';
import type { Attribution } from '../verdict/attribution.js';
import { attributeMember } from './observe-attribution.js';
import { memberMetrics } from '../etcd/server-metrics.js';
import type { GradeLimits } from '../verdict/letter.js';
import type { MemberInfo } from './cluster-info.js';
import type { MemberSeries } from './member-series.js';
import { MAIN_CHECK, memberChecks, memberGrade, type ObserveLimits } from './observe-checks.js';
import type { ObservedMember, ObserveReport } from './observe-report.js';

export interface MemberSource {
  name: string;
  id: string | null;
  metricsFrom: string;
  info: MemberInfo | null;
  series: MemberSeries;
  /** Its active alarms (null: not known). */
  alarms: string[] | null;
  /** Whether its etcd runs on this host (its /metrics on a loopback or an address of this machine). */
  local?: boolean;
}

const ORDER: Letter[] = ['A', 'B', 'C', 'D', 'F'];

/**
 * How far a member's own disk signal is past its limit: the bucket's lower bound over the limit (what is certainly
 * over), then the interpolated estimate over the limit; 0 when the check did not run.
 */
function margin(m: ObservedMember, id: string): [number, number] {
  const c = m.checks.find((x) => x.id === id);
  if (!c || c.status === 'not-run' || c.measured === null || c.limit === null || c.limit <= 0) return [0, 0];
  const lower = c.range ? lowerBoundNs(c.range) : c.measured;
  return [(lower ?? c.measured) / c.limit, c.measured / c.limit];
}

/** The lower bound of a bucket range as etcd's buckets are quoted ("16-32 ms", "<= 1 ms", "> 8192 ms"), in ns. */
function lowerBoundNs(range: string): number | null {
  const m = /^(?:(\d+(?:\.\d+)?)-\d+(?:\.\d+)?|> ?(\d+(?:\.\d+)?)|<= ?\d+(?:\.\d+)?) ms$/.exec(range.trim());
  if (!m) return null;
  return m[1] !== undefined ? Number(m[1]) * 1e6 : m[2] !== undefined ? Number(m[2]) * 1e6 : 0;
}

/**
 * A member's severity, compared left to right: its WAL fsync's margin past the limit (certain, then estimated), then
 * its backend commit's; the letter only after them. Never the order members are listed in.
 */
export function severity(m: ObservedMember): number[] {
  return [...margin(m, MAIN_CHECK), ...margin(m, 'etcd-backend-commit-p99'), ORDER.indexOf(m.grade.letter!)];
}

function moreSevere(a: number[], b: number[]): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! > b[k]!;
  return false;
}

/** Each member with its checks and letter. */
export function observedMembers(
  sources: MemberSource[],
  limits: ObserveLimits,
  grade: GradeLimits,
  /** Who the local members' missed disk limits belong to (observe-attribution.ts); null: the figures stand. */
  attribution: Attribution | null = null,
): ObservedMember[] {
  const names = new Map(sources.filter((s) => s.id).map((s) => [s.id!, s.name]));
  const peerName = (id: string) => (names.has(id) ? `${names.get(id)} (${id})` : id);
  const judged = sources.map((s) => {
    const metrics = memberMetrics(s.metricsFrom, s.series.deltas);
    const peerRtt = s.series.peerRtt();
    return { s, metrics, peerRtt, own: memberChecks(metrics, peerRtt, s.alarms, limits, peerName) };
  });
  return judged.map(({ s, metrics, peerRtt, own }) => {
    // The checks another member on this host passed: the shared CPU did not push those over.
    const passedNearby = new Set(
      judged
        .filter((o) => o.s !== s && o.s.local)
        .flatMap((o) => o.own.filter((c) => c.status === 'pass').map((c) => c.id)),
    );
    const checks = s.local ? attributeMember(own, attribution, passedNearby) : own;
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

/**
 * The worst member: the one whose own disk signals are furthest past their limits (severity); a member without a
 * letter (nothing to grade) is not a candidate. A tie stays with the first only when every figure is equal.
 */
export function worstOf(members: ObservedMember[]): ObservedMember | null {
  let worst: ObservedMember | null = null;
  let worstKey: number[] = [];
  for (const m of members) {
    if (m.grade.letter === null) continue;
    const key = severity(m);
    if (!worst || moreSevere(key, worstKey)) {
      worst = m;
      worstKey = key;
    }
  }
  return worst;
}

const failedWords = (checks: Check[], skip: Set<string> = new Set()) =>
  checks
    .filter((c) => c.status === 'fail' && !skip.has(c.id))
    .map((c) => `${c.title} ${c.range ?? c.measured ?? '-'}${c.note ? ` (${c.note})` : ''}`)
    .join('; ');

/**
 * Checks that failed on every graded member of two or more: a shared cause (the load, the hosts' CPU, the network),
 * not each member's disk. The sentence names them with each member's figure and what etcd says about its own load.
 */
export function clusterWide(members: ObservedMember[]): { ids: Set<string>; text: string } {
  const graded = members.filter((m) => m.grade.letter !== null);
  const ids = new Set<string>();
  if (graded.length < 2) return { ids, text: '' };
  for (const c of graded[0]!.checks)
    if (graded.every((m) => m.checks.find((x) => x.id === c.id)?.status === 'fail')) ids.add(c.id);
  if (ids.size === 0) return { ids, text: '' };
  const figures = [...ids].map((id) => {
    const title = graded[0]!.checks.find((c) => c.id === id)!.title;
    const each = graded.map((m) => {
      const c = m.checks.find((x) => x.id === id)!;
      return `${m.name} ${c.range ?? c.measured ?? '-'}`;
    });
    return `${title} over its limit on every member (${each.join(', ')})`;
  });
  const cpu = graded.map((m) => (m.metrics.cpuCores ? `${m.name} ${m.metrics.cpuCores.mean.toFixed(2)}` : null));
  const load = graded[0]!.metrics;
  const evidence = [
    cpu.every((x) => x !== null) ? `etcd's own CPU ${cpu.join(', ')} cores` : '',
    load.proposalsCommitted !== null
      ? `${load.proposalsCommitted} proposals committed${
          load.proposalsPendingMax !== null ? `, at most ${load.proposalsPendingMax} pending` : ''
        }`
      : '',
  ].filter(Boolean);
  return {
    ids,
    text:
      `Cluster-wide: ${figures.join('; ')}: a cause the members share (the load, the hosts' CPU, the network), not ` +
      `each member's disk${evidence.length > 0 ? `; ${evidence.join('; ')}` : ''}.`,
  };
}

/** The cluster's letter and the verdict paragraph. */
export function clusterVerdict(
  members: ObservedMember[],
  complete: boolean,
  incompleteReason: string | undefined,
  attribution: Attribution | null = null,
): Pick<ObserveReport, 'grade' | 'worstMember' | 'verdict'> {
  const worst = worstOf(members);
  const ungraded = members.filter((m) => m.grade.letter === null).map((m) => m.name);
  // A limit missed on this host while something else held the CPU: said once, with its figures.
  const notDisk = members.some((m) => m.checks.some((c) => c.status === 'inconclusive'));
  const hostWords = attribution && notDisk ? ` On this host, ${attribution.why}.` : '';
  if (!worst) {
    const why = members.length === 0 ? 'no member was read' : `no member could be graded (${members[0]!.grade.reason})`;
    return {
      grade: {
        letter: null,
        reason: why,
        ...(notDisk && attribution && attribution.cause !== 'disk' ? { limitedBy: attribution.cause } : {}),
      },
      worstMember: null,
      verdict: { passed: false, text: `No verdict: ${why}.${hostWords}` },
    };
  }
  const grade: Grade = { letter: worst.grade.letter, reason: `${worst.name}: ${worst.grade.reason}` };
  const passed = complete && ['A', 'B', 'C'].includes(worst.grade.letter!);
  const shared = clusterWide(members);
  const own = (m: ObservedMember) => m.checks.some((c) => c.status === 'fail' && !shared.ids.has(c.id));
  const failing = members.filter(own);
  // The worst member leads: the one furthest past its limits.
  failing.sort((a, b) => (a === worst ? -1 : b === worst ? 1 : 0));
  const lines = failing.map((m) => `${m.name} (${m.grade.letter ?? '-'}): ${failedWords(m.checks, shared.ids)}`);
  const fine = members.filter((m) => !failing.includes(m) && m.grade.letter !== null).map((m) => m.name);
  const anyFailed = members.some((m) => m.checks.some((c) => c.status === 'fail'));
  const text = [
    !anyFailed
      ? `PASS, grade ${worst.grade.letter}: every member's own metrics stayed within etcd's limits; the worst is ` +
        `${worst.name} (${worst.grade.reason}).`
      : `FAIL, grade ${worst.grade.letter}:${lines.length > 0 ? ` ${lines.join('. ')}.` : ''}` +
        `${shared.text !== '' ? ` ${shared.text}` : ''}` +
        (fine.length > 0
          ? ` ${shared.ids.size > 0 ? 'Their own figures within the limits' : 'Within the limits'}: ${fine.join(', ')}.`
          : ''),
    ungraded.length > 0 ? `Not graded: ${ungraded.join(', ')}.` : '',
    hostWords.trim(),
    complete ? '' : `The observation did not complete (${incompleteReason}).`,
  ]
    .filter(Boolean)
    .join(' ');
  return { grade, worstMember: worst.name, verdict: { passed, text } };
}
