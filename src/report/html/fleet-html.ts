// A fleet (`report merge`) as a page: how many nodes passed and the worst one,
// each node's WAL fdatasync p99 as a bar (over the limit marked), the fleet
// table with outliers, and, when the nodes' reports are at hand, their WAL p99
// per second on the same axes.
import type { QualifyReport } from '../../qualify/report.js';
import type { Fleet } from '../merge.js';
import { overTime } from './blocks.js';
import { esc, ms, msTick, table } from './html-text.js';
import { htmlPage, section } from './page.js';
import { barChart } from './svg-chart.js';

/** How many nodes' series share one chart before it stops being readable: the worst ones are drawn. */
const MAX_LINES = 6;

export function renderFleetHtml(f: Fleet, reports: QualifyReport[] = [], limitNs = 10e6): string {
  const headline = f.failed === 0 ? `PASS, all ${f.rows.length} nodes` : `FAIL, ${f.failed} of ${f.rows.length} nodes`;
  const reason =
    (f.failed === 0 ? 'every node passed' : `${f.failed} did not pass`) +
    `; the worst is ${f.worst ?? '-'}` +
    f.rows
      .filter((r) => r.outlier)
      .map((r) => `; outlier: ${r.node}: ${r.outlier}`)
      .join('');
  const bars = barChart({
    title: 'WAL fdatasync p99 per node',
    xLabel: 'node',
    yLabel: 'WAL fdatasync p99 (ms)',
    labels: f.rows.map((r) => r.node),
    series: [{ name: 'WAL fdatasync p99', className: 'c-s0', values: f.rows.map((r) => (r.walP99Ns ?? 0) / 1e6) }],
    over: f.rows.map((r) => (r.walP99Ns ?? 0) >= limitNs),
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
  const withWal = reports
    .filter((r) => r.phases.wal.result)
    .sort((a, b) => b.phases.wal.result!.latency.sync.p99Ns - a.phases.wal.result!.latency.sync.p99Ns)
    .slice(0, MAX_LINES);
  const lines =
    withWal.length > 0
      ? section(
          'WAL fdatasync p99 per second, node by node',
          withWal.length < reports.length ? `<p>The ${MAX_LINES} nodes with the highest WAL p99.</p>` : '',
          overTime(
            'WAL fdatasync p99 per second, node by node',
            withWal.map((r) => ({ name: r.node ?? r.host.hostname, rows: r.phases.wal.result!.timeSeries.sync })),
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
