// A qualify report as one self-contained HTML page for people who did not run
// it: the verdict in large type, the checks, each phase's latency over time
// (p50, p99, max per second, the limit drawn) and its distribution, etcd's own
// buckets, host and disk, the options with their sources, and the command to
// run it again. No script, no request: styles and SVG inline. Every chart has
// its numbers in a table beside it.
import type { Check, DiskResult } from '../../disk/result.js';
import type { QualifyReport } from '../../qualify/report.js';
import type { LatencySummary } from '../../stats/summary.js';
import { rebucket } from '../../stats/rebucket.js';
import type { WindowRow } from '../../stats/windows.js';
import { deviceLine, hostLine } from '../disk-text.js';
import { checkValue, statusWord } from '../format.js';
import { PAGE_STYLE } from './page-style.js';
import { barChart, lineChart } from './svg-chart.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const ms = (ns: number | null | undefined) => (ns === null || ns === undefined ? '-' : (ns / 1e6).toFixed(3));

/** Doubling bucket bounds for a distribution: 32 us ... 1.05 s, then everything slower. */
const BOUNDS_S = [...Array.from({ length: 16 }, (_, k) => 32e-6 * 2 ** k), Infinity];

function checksTable(checks: Check[]): string {
  const rows = checks.map((c) => {
    const measured = c.range ?? (c.measured === null ? '-' : checkValue(c, c.measured));
    return (
      `<tr class="status-${c.status}"><td>${esc(statusWord(c))}</td><td>${esc(c.title)}</td><td>${esc(measured)}</td>` +
      `<td>${esc(`${c.comparison} ${checkValue(c, c.limit)}`)}</td><td>${esc(c.note ?? '')}</td>` +
      `<td>${esc(c.source)}</td></tr>`
    );
  });
  return (
    '<table class="checks"><thead><tr><th>result</th><th>check</th><th>measured</th><th>limit</th><th>note</th>' +
    `<th>source</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function summaryTable(rows: [string, LatencySummary | null | undefined][]): string {
  const body = rows
    .filter((r): r is [string, LatencySummary] => !!r[1])
    .map(
      ([name, s]) =>
        `<tr><td>${esc(name)}</td><td>${s.count}` +
        `</td>${[s.p50Ns, s.p90Ns, s.p99Ns, s.p999Ns, s.maxNs].map((v) => `<td>${ms(v)}</td>`).join('')}</tr>`,
    );
  return (
    '<table class="numbers"><thead><tr><th>stream</th><th>count</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th>' +
    `<th>p99.9 ms</th><th>max ms</th></tr></thead><tbody>${body.join('')}</tbody></table>`
  );
}

/** p50, p99 and max per second as a chart, with the per-10-second rows behind it in a table. */
function overTime(title: string, rows: WindowRow[], limitNs: number, limitLabel: string): string {
  const pts = (pick: (r: WindowRow) => number | null) => rows.map((r): [number, number | null] => [r.second, pick(r)]);
  const chart = lineChart({
    title,
    xLabel: 'seconds into the phase',
    yLabel: 'latency (ms)',
    yFormat: (v) => ms(v).replace(/\.?0+$/, '') || '0',
    limit: { value: limitNs, label: limitLabel },
    series: [
      { name: 'p50 per second', className: 'c-p50', points: pts((r) => r.p50Ns) },
      { name: 'p99 per second', className: 'c-p99', points: pts((r) => r.p99Ns) },
      { name: 'max per second', className: 'c-max', dashed: true, points: pts((r) => r.maxNs) },
    ],
  });
  const step = Math.max(1, Math.ceil(rows.length / 60));
  const table = [];
  for (let i = 0; i < rows.length; i += step) {
    const g = rows.slice(i, i + step);
    const worst = (pick: (r: WindowRow) => number | null) =>
      Math.max(...g.map(pick).filter((v): v is number => v !== null), -1);
    const f = (v: number) => (v < 0 ? '-' : ms(v));
    table.push(
      `<tr><td>${g[0]!.second}-${g[g.length - 1]!.second}</td><td>${g.reduce((a, r) => a + r.count, 0)}</td>` +
        `<td>${f(worst((r) => r.p50Ns))}</td><td>${f(worst((r) => r.p99Ns))}</td><td>${f(worst((r) => r.maxNs))}` +
        `</td></tr>`,
    );
  }
  return (
    `${chart}<details><summary>the numbers behind the chart ` +
    `(${step === 1 ? 'each second' : `the highest of each ${step} s`})` +
    '</summary><table class="numbers"><thead><tr><th>seconds</th><th>operations</th><th>p50 ms</th><th>p99 ms</th>' +
    `<th>max ms</th></tr></thead><tbody>${table.join('')}</tbody></table></details>`
  );
}

/** The distribution of an encoded HDR histogram over doubling buckets, bars over the limit marked. */
function distribution(title: string, encoded: string, limitNs: number): string {
  const h = rebucket(encoded, BOUNDS_S);
  const counts = h.cumulative.map((c, i) => c - (i === 0 ? 0 : h.cumulative[i - 1]!));
  const label = (i: number) => {
    const ub = BOUNDS_S[i]!;
    if (!Number.isFinite(ub)) return `>${(BOUNDS_S[i - 1]! * 1e3).toPrecision(3)}`;
    return `${+(ub * 1e3).toPrecision(3)}`;
  };
  // From the first bucket with samples to the last, widened to the buckets either side of the limit.
  const atLimit = BOUNDS_S.findIndex((b) => b * 1e9 >= limitNs);
  const first = Math.min(
    Math.max(
      0,
      counts.findIndex((c) => c > 0),
    ),
    atLimit,
  );
  const last = Math.max(counts.length - 1 - [...counts].reverse().findIndex((c) => c > 0), atLimit + 1);
  const shown = counts.slice(first, last + 1).map((count, j) => ({ i: first + j, count }));
  const bars = shown.map(({ i, count }) => ({ label: label(i), count, over: i > atLimit }));
  const chart = barChart({
    title,
    xLabel: 'latency bucket, upper bound (ms)',
    bars,
    // inside its bucket, where it falls between the bucket's bounds
    limit: {
      after:
        atLimit -
        first +
        (limitNs - (atLimit === 0 ? 0 : BOUNDS_S[atLimit - 1]! * 1e9)) /
          (BOUNDS_S[atLimit]! * 1e9 - (atLimit === 0 ? 0 : BOUNDS_S[atLimit - 1]! * 1e9)),
      label: `limit ${ms(limitNs)} ms`,
    },
  });
  const rows = shown.map(
    ({ i, count }) =>
      `<tr><td>${i === 0 ? 0 : ms(BOUNDS_S[i - 1]! * 1e9)} ` +
      `- ${Number.isFinite(BOUNDS_S[i]!) ? ms(BOUNDS_S[i]! * 1e9) : '...'}</td><td>${count}</td></tr>`,
  );
  return (
    `${chart}<details><summary>the numbers behind the chart</summary><table class="numbers"><thead><tr><th>ms</th>` +
    `<th>count</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`
  );
}

function diskPhase(name: string, r: DiskResult | null, limitNs: number): string {
  if (!r) return `<section><h2>${esc(name)}</h2><p>Did not run.</p></section>`;
  return (
    `<section><h2>${esc(name)}</h2><p>${r.totals.ops} operations in ${(r.totals.elapsedNs / 1e9).toFixed(1)} s, ` +
    `${r.totals.iops} IOPS.</p>${summaryTable([
      ['fdatasync', r.latency.sync],
      ['write()', r.latency.write],
      ['backend commit', r.commit?.latency.op],
    ])}` +
    overTime(`${name}: fdatasync latency per second`, r.timeSeries.sync, limitNs, `limit ${ms(limitNs)} ms`) +
    distribution(`${name}: fdatasync latency distribution`, r.histograms.sync, limitNs) +
    '</section>'
  );
}

/** The etcd phase: request latency over time, and each member's own buckets. */
function etcdSection(r: QualifyReport, requestLimit: number): string {
  const etcd = r.phases.etcd.result;
  const h2 = '<section><h2>etcd under the kube load</h2>';
  if (!etcd) return `${h2}<p>${esc(r.phases.etcd.reason ?? 'Did not run.')}</p></section>`;
  const members = etcd.server.map(
    (m) =>
      `<tr><td>${esc(m.url)}</td><td>${esc(m.walFsync?.p99?.text ?? '-')}</td>` +
      `<td>${esc(m.backendCommit?.p99?.text ?? '-')}</td>` +
      `<td>${m.leaderChanges ?? '-'}</td><td>${m.proposalsFailed ?? '-'}</td></tr>`,
  );
  return (
    h2 +
    summaryTable([
      ['request (response time)', etcd.latency.response],
      ['service time', etcd.latency.service],
    ]) +
    overTime(
      'etcd: request latency per second',
      etcd.timeSeries,
      requestLimit,
      `request p99 limit ${ms(requestLimit)} ms`,
    ) +
    '<table class="numbers"><thead><tr><th>member</th><th>WAL fsync p99 (etcd\'s buckets)</th>' +
    '<th>backend commit p99</th><th>leader changes</th><th>failed proposals</th></tr></thead>' +
    `<tbody>${members.join('')}</tbody></table></section>`
  );
}

/** The page. */
export function renderQualifyHtml(r: QualifyReport): string {
  const limitNs = Number(r.options.syncP99Limit?.value ?? 10e6);
  const requestLimit = Number(r.phases.etcd.result?.options?.putP99Limit?.value ?? 100e6) || 100e6;
  const letter = r.grade.letter ?? '-';
  const headline = !r.complete ? 'INCOMPLETE' : r.verdict.passed ? `PASS, grade ${letter}` : `FAIL, grade ${letter}`;
  const options = Object.entries(r.options)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(JSON.stringify(v.value))}</td><td>${esc(v.source)}</td></tr>`)
    .join('');
  const head =
    `<title>etcd disk qualification: ${esc(headline)} (${esc(r.node ?? r.host.hostname)})</title>` +
    `<style>${PAGE_STYLE}</style>`;
  const meta = [r.node ?? r.host.hostname, r.target.dir, r.startedAt, `${r.tool.name} ${r.tool.version}`];
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `${head}</head>`,
    `<body><header><p class="verdict grade-${esc(letter)}">${esc(headline)}</p><p>${esc(r.verdict.text)}</p>`,
    `<p class="meta">${meta.map(esc).join(' · ')}</p></header>`,
    `<section><h2>Checks</h2>${checksTable(r.checks)}</section>`,
    diskPhase("fio's etcd recipe", r.phases.fio.result, limitNs),
    diskPhase("etcd's WAL shape", r.phases.wal.result, limitNs),
    etcdSection(r, requestLimit),
    `<section><h2>Host and disk</h2><p>${esc(hostLine(r.host))}</p>`,
    `<p>${esc(deviceLine(r.target) ?? r.target.fsType)}</p></section>`,
    '<section><h2>Options</h2><table class="numbers"><thead><tr><th>option</th><th>value</th><th>from</th></tr>',
    `</thead><tbody>${options}</tbody></table></section>`,
    `<section><h2>Run it again</h2><pre>${esc(r.commandLine)}</pre></section>`,
    '</body></html>',
    '',
  ].join('\n');
}
