// A fleet (`report merge`) as a page: how many nodes passed and the worst one,
// each node's fdatasync p99 as a bar (WAL, or fio's recipe for a disk run of
// it; over the limit marked), the fleet table with outliers, and, when the
// nodes' reports are at hand, their fdatasync p99 per second on the same axes.
import type { DiskResult } from '../../disk/disk-result.js';
import type { QualifyReport } from '../../qualify/report.js';
import { type Fleet, isQualify, rankedP99 } from '../merge.js';
import { overTime } from './blocks.js';
import { esc, ms, msTick, table } from './html-text.js';
import { htmlPage, section } from './page.js';
import { barChart } from './svg-chart.js';

/** How many nodes' series share one chart before it stops being readable: the worst ones are drawn. */
const MAX_LINES = 6;

/** The per-second fdatasync series a node's report has: its WAL phase's, or one disk run's. */
function seriesOf(
  r: QualifyReport | DiskResult,
): { name: string; p99Ns: number; rows: DiskResult['timeSeries']['sync'] } | null {
  const qualify = isQualify(r);
  const run = qualify ? r.phases.wal.result : r;
  if (!run) return null;
  const node = r.node ?? r.host.hostname;
  return {
    name: qualify || run.wal ? node : `${node} (fio's recipe)`,
    p99Ns: run.latency.sync.p99Ns,
    rows: run.timeSeries.sync,
  };
}

export function renderFleetHtml(f: Fleet, reports: (QualifyReport | DiskResult)[] = [], limitNs = 10e6): string {
  const headline = f.failed === 0 ? `PASS, all ${f.rows.length} nodes` : `FAIL, ${f.failed} of ${f.rows.length} nodes`;
  const reason =
    (f.failed === 0 ? 'every node passed' : `${f.failed} did not pass`) +
    `; the worst is ${f.worst ?? '-'}` +
    f.rows
      .filter((r) => r.outlier)
      .map((r) => `; outlier: ${r.node}: ${r.outlier}`)
      .join('');
  const bars = barChart({
    title: 'fdatasync p99 per node (WAL; fio recipe where no WAL ran)',
    xLabel: 'node',
    yLabel: 'fdatasync p99 (ms)',
    labels: f.rows.map((r) => r.node),
    series: [{ name: 'fdatasync p99', className: 'c-s0', values: f.rows.map((r) => (rankedP99(r) ?? 0) / 1e6) }],
    over: f.rows.map((r) => (rankedP99(r) ?? 0) >= limitNs),
    yFormat: (v) => String(+v.toPrecision(3)),
  });
  const rows = f.rows.map((r) => [
    esc(r.node),
    esc(r.device),
    ms(r.fioP99Ns),
    ms(r.walP99Ns),
    ms(r.commitP99Ns),
    r.iops === null ? '-' : String(Math.round(r.iops)),
    esc(r.letter ?? '-'),
    r.complete ? 'complete' : 'INCOMPLETE',
    esc(r.outlier ?? ''),
  ]);
  const series = reports
    .map(seriesOf)
    .filter((x) => x !== null)
    .sort((a, b) => b.p99Ns - a.p99Ns)
    .slice(0, MAX_LINES);
  const lines =
    series.length > 0
      ? section(
          'fdatasync p99 per second, node by node',
          series.length < reports.length ? `<p>The ${series.length} nodes with the highest p99.</p>` : '',
          overTime(
            'fdatasync p99 per second, node by node',
            series.map((x) => ({ name: x.name, rows: x.rows })),
            limitNs,
            `limit ${msTick(limitNs)} ms`,
          ),
        )
      : '';
  return htmlPage(
    {
      title: `etcd-disk-bench fleet: ${headline}`,
      headline,
      letter: f.failed === 0 ? 'pass' : 'fail',
      reason,
      meta: [`${f.rows.length} nodes`, ...(reports[0] ? [reports[0].startedAt] : [])],
    },
    [
      section(
        'Nodes',
        bars,
        table(
          'numbers',
          ['node', 'device', 'fio p99 ms', 'WAL p99 ms', 'commit p99 ms', 'IOPS', 'grade', 'run', 'outlier'],
          rows,
        ),
      ),
      lines,
    ],
  );
}
