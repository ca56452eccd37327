// `report compare --html`: two runs of the same kind on the same axes. The
// comparison's own table (each figure before and after, the change, whether
// it counts as worse) and the checks that flipped, then for qualify each disk
// phase's p99 per second and distribution, before over after; for observe
// each figure per member over the window, before and after on one scale.
import type { ObserveReport } from '../../observe/observe-report.js';
import type { QualifyReport } from '../../qualify/report.js';
import type { WindowRow } from '../../stats/windows.js';
import type { Comparison } from '../compare.js';
import { distribution, overTime } from './blocks.js';
import { esc, ms, table } from './html-text.js';
import { memberChart, OBSERVE_FIGURES, observeLimits } from './observe-html.js';
import { htmlPage, section } from './page.js';
import { qualifyLimits } from './qualify-html.js';

type Named<T> = { name: string; report: T };

function comparisonTable(c: Comparison): string {
  const v = (x: number | null, unit: string) => (x === null ? '-' : unit === 'ms' ? ms(x) : String(x));
  return (
    table(
      'numbers',
      ['figure', 'before', 'after', 'change', 'worse?'],
      c.metrics.map((m) => [
        esc(`${m.name} (${m.unit})`),
        v(m.before, m.unit),
        v(m.after, m.unit),
        m.change === null ? '-' : `${m.change >= 0 ? '+' : ''}${(m.change * 100).toFixed(1)} %`,
        m.regression ? '<strong>worse</strong>' : '',
      ]),
    ) +
    (c.flipped.length > 0
      ? `<p>Checks that flipped to FAIL: ${esc(c.flipped.map((f) => f.title).join(', '))}</p>`
      : '<p>No check flipped to FAIL.</p>') +
    (c.caveats.length > 0 ? `<p>${esc(c.caveats.join('; '))}</p>` : '')
  );
}

/** The highest value either run reached (an axis both share). */
function sharedMax(rows: WindowRow[][], limitNs: number): { xMax: number; yMax: number } {
  return {
    xMax: Math.max(1, ...rows.flatMap((r) => r.map((x) => x.second))),
    yMax: Math.max(limitNs, ...rows.flatMap((r) => r.map((x) => x.p99Ns ?? 0))) * 1.05,
  };
}

function qualifyPhases(b: Named<QualifyReport>, a: Named<QualifyReport>): string[] {
  const limit = qualifyLimits(a.report).syncNs;
  return (['fio', 'wal'] as const).map((phase) => {
    const title = phase === 'fio' ? "fio's etcd recipe" : "etcd's WAL shape";
    const runs = [b, a]
      .map((x, i) => ({ x, r: x.report.phases[phase].result, className: i === 0 ? 'c-before' : 'c-after' }))
      .filter((y) => y.r !== null);
    if (runs.length === 0) return section(title, '<p>Ran in neither.</p>');
    return section(
      title,
      overTime(
        `${title}: fdatasync p99 per second, before and after`,
        runs.map((y) => ({ name: y.x.name, rows: y.r!.timeSeries.sync, className: y.className })),
        limit,
        `limit ${ms(limit)} ms`,
        {},
        sharedMax(
          runs.map((y) => y.r!.timeSeries.sync),
          limit,
        ),
      ),
      distribution(
        `${title}: fdatasync latency distribution, before and after`,
        runs.map((y) => ({
          name: y.x.name,
          encoded: y.r!.histograms.sync,
          summary: y.r!.latency.sync,
          className: y.className,
        })),
        limit,
      ),
    );
  });
}

function observeFigures(b: Named<ObserveReport>, a: Named<ObserveReport>): string[] {
  const limits = observeLimits(a.report);
  return OBSERVE_FIGURES.map((f) => {
    const all = [b, a].flatMap((x) =>
      x.report.members.flatMap((m) => m.intervals.map((r) => f.pick(r)?.estimateNs ?? 0)),
    );
    const spans = [b, a].map((x) => x.report.window.seconds / 60);
    const axes = { xMax: Math.max(1 / 60, ...spans), yMax: Math.max(limits[f.limit], ...all) * 1.05 };
    const chart = (x: Named<ObserveReport>, which: string) =>
      memberChart(
        `${f.title}, ${which}`,
        x.report.members,
        x.report.window.startMs,
        f.pick,
        limits[f.limit],
        `limit ${ms(limits[f.limit])} ms`,
        axes,
        `${which}: `,
      );
    return section(f.title, chart(b, 'before'), chart(a, 'after'));
  });
}

export function renderCompareHtml(
  c: Comparison,
  b: Named<QualifyReport | ObserveReport>,
  a: Named<QualifyReport | ObserveReport>,
): string {
  const worse = c.regressions > 0;
  const headline = worse ? `WORSE: ${c.regressions} figure${c.regressions > 1 ? 's' : ''}` : 'NOT WORSE';
  const letters = `grade ${c.letters.before ?? '-'} before, ${c.letters.after ?? '-'} after`;
  const body =
    'phases' in a.report && 'phases' in b.report
      ? qualifyPhases(b as Named<QualifyReport>, a as Named<QualifyReport>)
      : observeFigures(b as Named<ObserveReport>, a as Named<ObserveReport>);
  return htmlPage(
    {
      title: `etcd-disk-bench compare: ${headline}`,
      headline,
      letter: worse ? 'fail' : 'pass',
      reason: `${letters}; ${c.flipped.length} check${c.flipped.length === 1 ? '' : 's'} flipped to FAIL`,
      meta: [`before: ${b.name} (${b.report.startedAt})`, `after: ${a.name} (${a.report.startedAt})`],
    },
    [section('What changed', comparisonTable(c)), ...body],
  );
}
