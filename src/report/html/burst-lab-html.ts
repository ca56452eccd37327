// A `lab burst-credits` result as a page: the bucket's credits and etcd's WAL
// fsync p99 second by second on one time axis (two charts, the same seconds,
// the forecast and the moment the bucket emptied marked on both), the
// forecast against what happened, the numbers behind the charts, the load.
import { commandLineOf } from '../../run/command-line.js';
import type { BurstLabResult } from '../../lab/burst-lab-result.js';
import { rerun } from './blocks.js';
import { loadView } from './etcd-view.js';
import { behind, esc, table } from './html-text.js';
import { htmlPage, section } from './page.js';
import { lineChart, type Mark } from './svg-chart.js';

const WAL_LIMIT_MS = 10;
const msText = (v: number | null) => (v === null ? '-' : `${v.toFixed(2)} ms`);

/** The forecast and the drain, marked where they fell. */
function marksOf(r: BurstLabResult): Mark[] {
  const b = r.bucket;
  const marks: Mark[] = [];
  if (b.forecastEmptySecond !== null)
    marks.push({
      x: b.forecastEmptySecond,
      label: `forecast: empty at second ${b.forecastEmptySecond}`,
      className: 'm-cut',
    });
  if (b.emptiedAtSecond !== null)
    marks.push({ x: b.emptiedAtSecond, label: `emptied: at second ${b.emptiedAtSecond}`, className: 'm-stall' });
  return marks;
}

export function renderBurstLabHtml(r: BurstLabResult): string {
  const b = r.bucket;
  const seconds = Math.max(1, r.timeline.length);
  const marks = marksOf(r);
  const headline = !r.complete
    ? 'INCOMPLETE'
    : b.emptiedAtSecond === null
      ? 'NO BUCKET EMPTIED'
      : `EMPTIED AT SECOND ${b.emptiedAtSecond}`;
  const reason =
    (b.forecastEmptySecond === null
      ? 'no drain forecast'
      : `forecast from the first seconds' demand of ${b.demandIops} credits/s: second ${b.forecastEmptySecond}`) +
    `; etcd's WAL fsync p99 ${msText(b.walFsyncP99BeforeMs)} before, ${msText(b.walFsyncP99AfterMs)} after; ` +
    `${r.elections.leaderChanges} leader changes`;
  const credits = lineChart({
    title: 'Credits left in the lowest bucket, per second',
    xLabel: 'second of the load',
    yLabel: 'credits',
    series: [{ name: 'credits left', className: 'c-s0', points: r.timeline.map((t) => [t.second, t.creditsLeft]) }],
    marks,
    xMax: seconds,
    yFormat: String,
  });
  const latency = lineChart({
    title: "etcd's WAL fsync p99 per second, the worst member",
    xLabel: 'second of the load',
    yLabel: 'ms',
    series: [{ name: 'WAL fsync p99', className: 'c-p99', points: r.timeline.map((t) => [t.second, t.walFsyncP99Ms]) }],
    limit: { value: WAL_LIMIT_MS, label: `limit ${WAL_LIMIT_MS} ms` },
    marks,
    xMax: seconds,
    yFormat: String,
  });
  const numbers = table(
    'numbers',
    ['second', 'credits taken', 'credits left', 'WAL fsync p99 (ms)'],
    r.timeline.map((t) => [
      String(t.second),
      String(Math.round(t.credits)),
      String(Math.round(t.creditsLeft)),
      t.walFsyncP99Ms === null ? '-' : t.walFsyncP99Ms.toFixed(2),
    ]),
  );
  const facts = table(
    'numbers',
    ['', 'value'],
    [
      [
        'bucket',
        `${b.creditsFull} credits, refilled at ${b.baselineIops}/s${b.burstIops ? `, at most ${b.burstIops}/s` : ''}`,
      ],
      ['demand, first seconds', b.demandIops === null ? '-' : `${b.demandIops} credits/s`],
      ['forecast: empty at second', b.forecastEmptySecond === null ? '-' : String(b.forecastEmptySecond)],
      ['emptied at second', b.emptiedAtSecond === null ? '-' : String(b.emptiedAtSecond)],
      ["etcd's WAL fsync p99 before / after", `${msText(b.walFsyncP99BeforeMs)} / ${msText(b.walFsyncP99AfterMs)}`],
      ['leader changes / elections in the logs', `${r.elections.leaderChanges} / ${r.elections.inLogs}`],
    ].map(([k, v]) => [esc(k!), esc(v!)]),
  );
  return htmlPage(
    {
      title: `etcd-disk-bench lab burst-credits: ${headline}`,
      headline,
      letter: '-',
      reason,
      meta: [
        `${r.target.dir} (${r.target.fsType})`,
        `etcd ${r.etcdVersion}`,
        r.startedAt,
        `${r.tool.name} ${r.tool.version}`,
      ],
    },
    [
      section(
        'The bucket and etcd, second by second',
        credits,
        latency,
        behind(`the ${r.timeline.length} seconds behind the charts`, numbers),
      ),
      section('Forecast against what happened', facts),
      ...r.warnings.map((w) => `<p>${esc(`warning: ${w}`)}</p>`),
      section('The kube load', loadView(r.load, 100e6, { walNs: 10e6, commitNs: 25e6 })),
      rerun(commandLineOf(r.argv)),
    ],
  );
}
