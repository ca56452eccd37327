// A disk phase (fio's recipe, the WAL shape) or a saved `disk` result as HTML:
// totals, the latency table, fdatasync latency over time with what happened
// marked (step changes and stretches above the limit shaded, segment cuts and
// stalls on the time axis), the backend commit stream over time, and the
// distribution with the limit and percentiles.
import type { DiskResult } from '../../disk/disk-result.js';
import type { WindowRow } from '../../stats/windows.js';
import { commandLineOf } from '../../run/command-line.js';
import { deviceLine, hostLine } from '../disk-text.js';
import { checksTable, distribution, optionsTable, overTime, rerun, summaryTable, type TimeEvents } from './blocks.js';
import { esc, ms } from './html-text.js';
import { headlineOf, htmlPage, section } from './page.js';
import type { Mark } from './svg-chart.js';

/** The stall limit the phase was judged with (twice the heartbeat interval; 200 ms by default). */
function stallLimitNs(r: DiskResult): number {
  return r.checks.find((c) => c.id === 'stall')?.limit ?? 200e6;
}

/** Seconds whose slowest operation reached the stall limit, as marks. */
function stallMarks(rows: WindowRow[], limitNs: number, what: string): Mark[] {
  return rows
    .filter((r) => r.maxNs !== null && r.maxNs >= limitNs)
    .map((r) => ({
      x: r.second,
      className: 'm-stall',
      label: `stall: ${what} took ${ms(r.maxNs)} ms in second ${r.second} (limit ${ms(limitNs)} ms)`,
    }));
}

/** What happened in the writer's run, placed in time. */
export function diskEvents(r: DiskResult): TimeEvents {
  const bands = r.stepChange.findings.map((f) => ({
    from: f.startSecond,
    to: f.startSecond + f.seconds,
    label:
      `${f.kind === 'step' ? 'step change' : 'above the limit'} from second ${f.startSecond} for ${f.seconds} s` +
      (f.medianP99Ns !== null ? `, p99 ${ms(f.medianP99Ns)} ms` : ''),
  }));
  const cuts: Mark[] = (r.wal?.timeSeries ?? []).map((c) => ({
    x: c.second,
    className: 'm-cut',
    label: `segment cut: ${c.count} in second ${c.second}, the longest ${ms(c.maxNs)} ms`,
  }));
  const stalls = stallMarks(r.timeSeries.sync, stallLimitNs(r), 'a write() and fdatasync');
  return { bands, marks: [...cuts, ...stalls] };
}

/** The section of one disk phase. */
export function diskPhaseSection(name: string, r: DiskResult | null, limitNs: number, commitLimitNs: number): string {
  if (!r) return section(name, '<p>Did not run.</p>');
  const cutWords = r.wal
    ? ` ${r.wal.segments} WAL segments, ${r.wal.cuts} cuts (longest ${ms(r.wal.cut.maxNs)} ms).`
    : '';
  const commit = r.commit
    ? overTime(
        `${name}: backend commit latency per second`,
        [{ name: 'backend commit', rows: r.commit.timeSeries }],
        commitLimitNs,
        `commit p99 limit ${ms(commitLimitNs)} ms`,
        { marks: stallMarks(r.commit.timeSeries, stallLimitNs(r), 'a backend commit') },
      )
    : '';
  return section(
    name,
    `<p>${r.totals.ops} operations in ${(r.totals.elapsedNs / 1e9).toFixed(1)} s, ${r.totals.iops} IOPS.` +
      `${esc(cutWords)}</p>`,
    summaryTable([
      ['fdatasync', r.latency.sync],
      ['write()', r.latency.write],
      ['backend commit', r.commit?.latency.op],
    ]),
    overTime(
      `${name}: fdatasync latency per second`,
      [{ name: 'fdatasync', rows: r.timeSeries.sync }],
      limitNs,
      `limit ${ms(limitNs)} ms`,
      diskEvents(r),
    ),
    distribution(
      `${name}: fdatasync latency distribution`,
      [{ name: 'fdatasync', encoded: r.histograms.sync, summary: r.latency.sync }],
      limitNs,
    ),
    commit,
    r.stepChange.judged ? '' : `<p class="meta">Step changes: ${esc(r.stepChange.reason ?? 'not judged')}</p>`,
  );
}

/** A saved `disk` result (disk --json) as a page. */
export function renderDiskHtml(r: DiskResult): string {
  const limitNs = r.checks.find((c) => c.id === 'sync-p99')?.limit ?? 10e6;
  const commitLimitNs = r.checks.find((c) => c.id === 'commit-p99')?.limit ?? 25e6;
  const headline = headlineOf(r.complete, r.passed, r.grade.letter);
  return htmlPage(
    {
      title: `etcd-disk-bench disk: ${headline} (${r.target.dir})`,
      headline,
      letter: r.grade.letter ?? '-',
      reason: r.grade.reason,
      meta: [r.host.hostname, r.target.dir, r.startedAt, `${r.tool.name} ${r.tool.version}`],
    },
    [
      section('Checks', checksTable(r.checks)),
      diskPhaseSection('The disk run', r, limitNs, commitLimitNs),
      section('Host and disk', `<p>${esc(hostLine(r.host))}</p><p>${esc(deviceLine(r.target) ?? r.target.fsType)}</p>`),
      section('Options', optionsTable(r.options)),
      rerun(commandLineOf(r.argv)),
    ],
  );
}
