// etcd's side of a run as HTML: the load's request latency over time, its
// response and service time distributions, and each member's own WAL fsync
// and backend commit histograms in etcd's buckets (beside ours, where the WAL
// phase ran, counted in the same buckets), with leader changes and failed
// proposals in the members' table.
import type { LoadResult } from '../../load/load-result.js';
import type { BucketStream, MemberMetrics } from '../../etcd/server-metrics.js';
import { rebucket } from '../../stats/rebucket.js';
import { distribution, overTime, summaryTable } from './blocks.js';
import { behind, esc, ms, table } from './html-text.js';
import { barChart } from './svg-chart.js';

const bucketName = (le: number) => (Number.isFinite(le) ? `${+(le * 1e3).toPrecision(4)}` : '+Inf');

/**
 * Members' (and optionally our) counts in etcd's buckets as shares, so a 3-second WAL phase and a 10-second load
 * share an axis; the limit drawn where it falls.
 */
function bucketChart(
  title: string,
  series: { name: string; counts: number[] }[],
  boundsS: number[],
  limitNs: number,
): string {
  const used = boundsS.map((_, i) => series.some((s) => (s.counts[i] ?? 0) > 0));
  const atLimit = boundsS.findIndex((b) => b * 1e9 >= limitNs);
  const first = Math.max(0, Math.min(used.indexOf(true), atLimit));
  const last = Math.min(boundsS.length - 1, Math.max(used.lastIndexOf(true), atLimit + 1));
  const idx = Array.from({ length: Math.max(0, last - first + 1) }, (_, j) => first + j);
  const values = series.map((s) => {
    const total = s.counts.reduce((a, n) => a + n, 0) || 1;
    return idx.map((i) => +((100 * (s.counts[i] ?? 0)) / total).toFixed(3));
  });
  const lo = atLimit <= 0 ? 0 : boundsS[atLimit - 1]! * 1e9;
  const hi = boundsS[atLimit]! * 1e9;
  const chart = barChart({
    title,
    xLabel: "etcd's bucket, upper bound (ms)",
    yLabel: 'share of observations (%)',
    labels: idx.map((i) => bucketName(boundsS[i]!)),
    series: series.map((s, k) => ({ name: s.name, className: `c-s${k}`, values: values[k]! })),
    lines: [
      {
        after: atLimit - first + (Number.isFinite(hi) ? (limitNs - lo) / (hi - lo) : 0),
        label: `limit ${ms(limitNs)} ms`,
        className: 'limit',
      },
    ],
  });
  const rows = idx.map((i, j) => [
    `<= ${bucketName(boundsS[i]!)}`,
    ...series.map((s, k) => `${s.counts[i] ?? 0} (${values[k]![j]} %)`),
  ]);
  return (
    chart + behind('the numbers behind the chart', table('numbers', ['ms', ...series.map((s) => esc(s.name))], rows))
  );
}

const countsOf = (b: BucketStream) => b.buckets.map((x) => x.count);

/** The members' table: etcd's own figures over the run. */
export function membersTable(server: MemberMetrics[], names?: string[]): string {
  return table(
    'numbers',
    [
      'member',
      'WAL fsyncs',
      "WAL fsync p99 (etcd's buckets)",
      'backend commit p99',
      'leader changes',
      'failed proposals',
      'heartbeat send failures',
    ],
    server.map((m, i) => [
      esc(names?.[i] ?? m.url),
      String(m.walFsync?.count ?? '-'),
      esc(m.walFsync?.p99?.text ?? '-'),
      esc(m.backendCommit?.p99?.text ?? '-'),
      String(m.leaderChanges ?? '-'),
      String(m.proposalsFailed ?? '-'),
      String(m.heartbeatSendFailures ?? '-'),
    ]),
  );
}

/** Each member's WAL fsync (and backend commit) histogram in etcd's buckets, ours beside them when given. */
export function memberBuckets(
  server: MemberMetrics[],
  limits: { walNs: number; commitNs: number },
  ours?: { name: string; encoded: string },
  names?: string[],
): string {
  const withWal = server.filter((m) => m.walFsync && m.walFsync.count > 0);
  const out: string[] = [];
  if (withWal.length > 0) {
    const bounds = withWal[0]!.walFsync!.buckets.map((b) => b.leSeconds);
    const series = withWal.map((m) => ({
      name: `${names?.[server.indexOf(m)] ?? m.url}: etcd's WAL fsync`,
      counts: countsOf(m.walFsync!),
    }));
    if (ours) {
      const h = rebucket(ours.encoded, bounds);
      series.unshift({ name: ours.name, counts: h.cumulative.map((c, i) => c - (i === 0 ? 0 : h.cumulative[i - 1]!)) });
    }
    out.push(bucketChart("WAL fsync in etcd's buckets", series.slice(0, 6), bounds, limits.walNs));
  }
  const withCommit = server.filter((m) => m.backendCommit && m.backendCommit.count > 0);
  if (withCommit.length > 0)
    out.push(
      bucketChart(
        "backend commit in etcd's buckets",
        withCommit.slice(0, 6).map((m) => ({
          name: `${names?.[server.indexOf(m)] ?? m.url}: backend commit`,
          counts: countsOf(m.backendCommit!),
        })),
        withCommit[0]!.backendCommit!.buckets.map((b) => b.leSeconds),
        limits.commitNs,
      ),
    );
  return out.join('');
}

/** A load's request latency over time and its response/service distributions, then etcd's own view. */
export function loadView(
  load: LoadResult,
  requestLimitNs: number,
  limits: { walNs: number; commitNs: number },
  ours?: { name: string; encoded: string },
): string {
  const errors = load.errorsPerSecond.reduce((a, n) => a + n, 0);
  return (
    `<p>${load.totals.answered} requests answered of ${load.totals.sent} sent in ` +
    `${(load.totals.elapsedNs / 1e9).toFixed(1)} s (${load.totals.achievedPerSec}/s), ${load.totals.failed} failed` +
    `${errors > 0 ? ` (${errors} in the per-second count)` : ''}.</p>` +
    summaryTable([
      ['request (response time)', load.latency.response],
      ['service time', load.latency.service],
    ]) +
    overTime(
      'etcd: request latency (response time) per second',
      [{ name: 'response time', rows: load.timeSeries }],
      requestLimitNs,
      `request p99 limit ${ms(requestLimitNs)} ms`,
    ) +
    distribution(
      'etcd: response and service time distribution',
      [
        { name: 'response time', encoded: load.histograms.response, summary: load.latency.response },
        { name: 'service time', encoded: load.histograms.service, summary: load.latency.service },
      ],
      requestLimitNs,
    ) +
    "<h3>etcd's own view</h3>" +
    membersTable(load.server) +
    memberBuckets(load.server, limits, ours)
  );
}
