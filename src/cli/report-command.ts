// `etcd-disk-bench report show|markdown|compare|fio`: renderers of a saved
// report. They read and print; only the HTML pages are written (never over a file).
import { renderBurstLabText } from '../report/burst-lab-text.js';
import type { Command } from 'commander';
import { readTextBounded } from '../core/read-bounded.js';
import { checkOutPath } from '../qualify/report-file.js';
import { renderCompareHtml } from '../report/html/compare-html.js';
import { renderFleetHtml } from '../report/html/fleet-html.js';
import { renderReportHtml, writeHtml } from '../report/html/write-html.js';
import { ExitCode, UsageError } from '../core/errors.js';
import { mergeReports } from '../report/merge.js';
import { renderFleetMarkdown, renderFleetText } from '../report/merge-text.js';
import { formatDuration, parseDuration } from '../options/units.js';
import { compareReports, renderComparison } from '../report/compare.js';
import { renderDiskText } from '../report/disk-text.js';
import { fioJson } from '../report/fio-export.js';
import { renderLoadText } from '../report/load-text.js';
import { renderQualifyMarkdown } from '../report/qualify-markdown.js';
import { renderQualifyText } from '../report/qualify-text.js';
import { readFleet, readGradedReport, readQualifyReport, readReport } from '../report/read-report.js';
import { renderObserveMarkdown } from '../report/observe-markdown.js';
import { renderObserveText } from '../report/observe-text.js';
import { compareObserveReports } from '../report/observe-compare.js';
import type { ObserveReport } from '../observe/observe-report.js';
import type { QualifyReport } from '../qualify/report.js';

const out = (s: string) => void process.stdout.write(s);

/** "20", "20%" or "20 %": a percentage from 0 to 1000. */
export function parsePercent(flag: string, raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(raw);
  const v = m ? Number(m[1]) : NaN;
  if (!(v >= 0 && v <= 1000))
    throw new UsageError(
      `${flag}: ${JSON.stringify(raw)} is not allowed; expected a percentage from 0 to 1000, e.g. 20 or 20%`,
    );
  return v / 100;
}

function parseFloor(raw: string): number {
  const v = parseDuration(raw);
  if (v === null || v < 0 || v > 60e9)
    throw new UsageError(
      `--min-change: ${JSON.stringify(raw)} is not allowed; expected a duration from 0 to 60s, e.g. 100us, 0.5ms, 2ms`,
    );
  return v;
}

/** Adds the `report` command and its subcommands to the program. */
export function addReportCommand(program: Command): void {
  const report = program.command('report').description('read a saved report: show, markdown, compare, fio');
  addMerge(report);
  addHtml(report);
  addShow(report);
  addMarkdown(report);
  addFio(report);
  addCompare(report);
}

function addMerge(report: Command): void {
  report
    .command('merge')
    .argument('<files...>', "qualify reports, or - for concatenated reports on stdin (e.g. kubectl logs' output)")
    .option('--json', 'print the fleet as JSON')
    .option('--markdown', 'print the fleet table as Markdown')
    .option('--html <file>', 'also write the fleet as a self-contained HTML page (never overwritten)')
    .description(
      "a fleet table of many nodes' qualify reports and disk results: device, fio/WAL/commit p99, IOPS, grade; " +
        'the worst node named, outliers (a p99 over twice the median of the others) flagged; exit 1 when a node ' +
        'did not pass',
    )
    .action((files: string[], opts: { json?: boolean; markdown?: boolean; html?: string }) => {
      const htmlOut = opts.html !== undefined ? checkOutPath(opts.html, '--html') : null;
      const reports = readFleet(files, () => readTextBounded(0, 'standard input'));
      const fleet = mergeReports(reports);
      if (htmlOut)
        writeHtml(
          htmlOut,
          renderFleetHtml(
            fleet,
            reports.map((r) => r.report),
          ),
          '--html',
        );
      out(
        opts.json
          ? `${JSON.stringify(fleet, null, 2)}\n`
          : opts.markdown
            ? renderFleetMarkdown(fleet)
            : renderFleetText(fleet),
      );
      process.exitCode = fleet.failed > 0 ? ExitCode.failed : ExitCode.ok;
    });
}

function addHtml(report: Command): void {
  report
    .command('html')
    .argument('<file>', 'a qualify or observe report, a disk/load result saved with --json, or report merge --json')
    .option('--out <file>', 'where to write the page (default: FILE with .html for .json); never overwritten')
    .description(
      'write one self-contained HTML page (no script, no network): the verdict, the checks, latency over time and ' +
        "its distribution per phase with the limit and events drawn, etcd's own figures, host, options, the command",
    )
    .action((file: string, opts: { out?: string }) => {
      writeHtml(opts.out ?? file.replace(/(\.json)?$/, '.html'), renderReportHtml(readReport(file)));
    });
}

function addShow(report: Command): void {
  report
    .command('show')
    .argument('<file>', 'a qualify or observe report, a disk/load/lab burst-credits result saved with --json')
    .description('print the readable summary of a report')
    .action((file: string) => {
      const r = readReport(file);
      out(
        r.kind === 'qualify'
          ? renderQualifyText(r.report)
          : r.kind === 'observe'
            ? renderObserveText(r.report)
            : r.kind === 'disk'
              ? renderDiskText(r.report)
              : r.kind === 'fleet'
                ? renderFleetText(r.report)
                : r.kind === 'burst-lab'
                  ? renderBurstLabText(r.report)
                  : renderLoadText(r.report),
      );
    });
}

function addMarkdown(report: Command): void {
  report
    .command('markdown')
    .argument('<file>', 'a qualify or observe report')
    .description(
      'print a ticket-ready Markdown summary: verdict, checks, key percentiles (per member for observe), host and ' +
        'disk, how to reproduce',
    )
    .action((file: string) => {
      const r = readGradedReport(file);
      out(r.kind === 'qualify' ? renderQualifyMarkdown(r.report) : renderObserveMarkdown(r.report));
    });
}

function addFio(report: Command): void {
  report
    .command('fio')
    .argument('<file>', 'a qualify report')
    .description('print the fio-recipe phase as fio JSON (jobs[0].sync.lat_ns.percentile["99.000000"] and friends)')
    .action((file: string) => out(`${JSON.stringify(fioJson(readQualifyReport(file)), null, 2)}\n`));
}

function addCompare(report: Command): void {
  report
    .command('compare')
    .argument('<before>', 'the earlier qualify (or observe) report')
    .argument('<after>', 'the later report of the same kind')
    .option('--html <file>', 'also write both runs on the same axes as a self-contained HTML page')
    .option('--margin <percent>', 'a figure counts as worse beyond this change (a percentage; default 20%)', '20%')
    .option(
      '--min-change <duration>',
      `a latency must also have grown by at least this (default ${formatDuration(100e3)})`,
      '100us',
    )
    .description(
      'side by side; exit 1 when a p99 got worse by more than the margin, IOPS dropped by more, or a check flipped ' +
        'to FAIL',
    )
    .action((before: string, after: string, opts: { margin: string; minChange: string; html?: string }) => {
      const o = { margin: parsePercent('--margin', opts.margin), floorNs: parseFloor(opts.minChange) };
      const htmlOut = opts.html !== undefined ? checkOutPath(opts.html, '--html') : null;
      const b = readGradedReport(before, 'BEFORE');
      const a = readGradedReport(after, 'AFTER');
      if (a.kind !== b.kind)
        throw new UsageError(
          `AFTER: ${after} is a ${a.kind} report and BEFORE a ${b.kind} report; compare like with like`,
        );
      const c =
        a.kind === 'qualify'
          ? compareReports(b.report as QualifyReport, a.report, o)
          : compareObserveReports(b.report as ObserveReport, a.report, o);
      out(renderComparison(c, o, { before, after }));
      if (htmlOut)
        writeHtml(
          htmlOut,
          renderCompareHtml(c, { name: 'before', report: b.report }, { name: 'after', report: a.report }),
          '--html',
        );
      process.exitCode = c.regressions > 0 ? ExitCode.failed : ExitCode.ok;
    });
}
