// An `observe` report as a page: the cluster's letter and the member that set
// it, every member's checks, then per interval and member the WAL fsync p99,
// the backend commit p99 and the worst peer round trip (one line a member, the
// limit drawn, intervals with leader changes marked), each member's histograms
// in etcd's buckets, the member list, and the command.
import type { ObserveReport, ObservedMember } from '../../observe/observe-report.js';
import type { IntervalRow } from '../../observe/member-series.js';
import { checksTable, optionsTable, rerun } from './blocks.js';
import { memberBuckets, membersTable } from './etcd-view.js';
import { behind, esc, ms, msTick, table } from './html-text.js';
import { headlineOf, htmlPage, section } from './page.js';
import { lineChart, type Mark } from './svg-chart.js';

type Pick = (row: IntervalRow) => { estimateNs: number; text: string } | null;

/** One figure per interval and member, over minutes into the window, with leader changes marked. */
export function memberChart(
  title: string,
  members: ObservedMember[],
  startMs: number,
  pick: Pick,
  limitNs: number | null,
  limitLabel: string,
  axes: { xMax?: number; yMax?: number } = {},
  prefix = '',
): string {
  const x = (r: IntervalRow) => +((r.endMs - startMs) / 60_000).toFixed(3);
  const marks: Mark[] = members.flatMap((m) =>
    m.intervals
      .filter((r) => (r.leaderChanges ?? 0) > 0)
      .map((r) => ({
        x: x(r),
        className: 'm-stall',
        label: `leader change: ${r.leaderChanges} seen by ${m.name}, minute ${x(r)}`,
      })),
  );
  const drawn = members.filter((m) => m.intervals.some((r) => pick(r) !== null));
  if (drawn.length === 0)
    return (
      `<p>No member reported this in the window${members.length === 1 ? ' (a single member has no peers)' : ''}` +
      '.</p>'
    );
  const chart = lineChart({
    title,
    xLabel: 'minutes into the window',
    yLabel: 'latency (ms)',
    yFormat: msTick,
    ...(limitNs !== null ? { limit: { value: limitNs, label: limitLabel } } : {}),
    marks,
    ...axes,
    series: drawn.map((m) => ({
      name: `${prefix}${m.name}`,
      className: `c-s${members.indexOf(m) % 6}`,
      points: m.intervals.map((r): [number, number | null] => [x(r), pick(r)?.estimateNs ?? null]),
    })),
  });
  const rows = members.flatMap((m) =>
    m.intervals.map((r) => [esc(m.name), String(x(r)), esc(pick(r)?.text ?? '-'), ms(pick(r)?.estimateNs)]),
  );
  const step = Math.max(1, Math.ceil(rows.length / 200));
  return (
    chart +
    behind(
      `the numbers behind the chart${step > 1 ? ` (every ${step}th interval)` : ''}`,
      table(
        'numbers',
        ['member', 'minute', "etcd's bucket", 'interpolated ms'],
        rows.filter((_, i) => i % step === 0),
      ),
    )
  );
}

export const OBSERVE_FIGURES: { title: string; pick: Pick; limit: 'sync' | 'commit' | 'peer' }[] = [
  { title: 'WAL fsync p99 per interval', pick: (r) => r.walFsyncP99, limit: 'sync' },
  { title: 'backend commit p99 per interval', pick: (r) => r.backendCommitP99, limit: 'commit' },
  { title: 'peer round trip p99 per interval (the slowest peer)', pick: (r) => r.peerRttP99, limit: 'peer' },
];

export function observeLimits(r: ObserveReport): Record<'sync' | 'commit' | 'peer', number> {
  return {
    sync: Number(r.options.syncP99Limit?.value ?? 10e6),
    commit: Number(r.options.commitP99Limit?.value ?? 25e6),
    peer: Number(r.options.peerRttLimit?.value ?? 50e6),
  };
}

export function renderObserveHtml(r: ObserveReport): string {
  const limits = observeLimits(r);
  const headline = headlineOf(r.complete, r.verdict.passed, r.grade.letter);
  const where = r.source.kind === 'prometheus' ? `Prometheus ${r.source.url}` : r.source.endpoints.join(', ');
  const checks = r.members.flatMap((m) => m.checks.map((c) => ({ m: m.name, c })));
  const list = r.cluster
    ? table(
        'numbers',
        ['name', 'id', 'version', 'leader', 'db size', 'raft term', 'client URLs'],
        r.cluster.members.map((m) => [
          esc(m.name),
          esc(m.id),
          esc(m.version ?? '-'),
          m.isLeader ? 'leader' : '',
          m.dbSizeBytes === null ? '-' : `${(m.dbSizeBytes / 2 ** 20).toFixed(1)} MiB`,
          String(m.raftTerm ?? '-'),
          esc(m.clientUrls.join(', ')),
        ]),
      ) + (r.cluster.alarms.length > 0 ? `<p>alarms: ${esc(r.cluster.alarms.map((a) => a.alarm).join(', '))}</p>` : '')
    : '<p>Read from Prometheus: no member list.</p>';
  return htmlPage(
    {
      title: `etcd-disk-bench observe: ${headline} (${where})`,
      headline,
      letter: r.grade.letter ?? '-',
      reason: r.verdict.text,
      meta: [
        where,
        `${new Date(r.window.startMs).toISOString()}, ${r.window.seconds} s`,
        `${r.tool.name} ${r.tool.version}`,
      ],
    },
    [
      section(
        'Members',
        table(
          'numbers',
          ['member', 'grade', 'why'],
          r.members.map((m) => [esc(m.name), esc(m.grade.letter ?? '-'), esc(m.grade.reason)]),
        ),
      ),
      section(
        'Checks',
        checksTable(
          checks.map((x) => x.c),
          checks.map((x) => x.m),
        ),
      ),
      ...OBSERVE_FIGURES.map((f) =>
        section(
          f.title,
          memberChart(
            f.title,
            r.members,
            r.window.startMs,
            f.pick,
            limits[f.limit],
            `limit ${ms(limits[f.limit])} ms`,
            {
              xMax: Math.max(r.window.seconds / 60, 1 / 60),
            },
          ),
        ),
      ),
      section(
        "etcd's own view over the window",
        membersTable(
          r.members.map((m) => m.metrics),
          r.members.map((m) => m.name),
        ),
        memberBuckets(
          r.members.map((m) => m.metrics),
          { walNs: limits.sync, commitNs: limits.commit },
          undefined,
          r.members.map((m) => m.name),
        ),
      ),
      section('The cluster at the start', list),
      section('Options', optionsTable(r.options)),
      rerun(r.commandLine),
    ],
  );
}
