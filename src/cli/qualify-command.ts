// `etcd-disk-bench qualify`: the main job. Parse, run the three phases, write
// the report, print the summary and the verdict, set the exit code.
import type { Command } from 'commander';
import { ExitCode } from '../core/errors.js';
import { gradeExitCode } from '../verdict/letter.js';
import { QUALIFY_OPTION_KEYS } from '../options/table.js';
import { checkOutPath, defaultReportPath } from '../qualify/report-file.js';
import { runQualify } from '../qualify/run-qualify.js';
import { renderQualifyText } from '../report/qualify-text.js';
import { qualifyGauges } from '../report/prom-out.js';
import { htmlPathOf, saveHtml, saveReport } from './save-report.js';
import { renderQualifyHtml } from '../report/html/qualify-html.js';
import { addRunCommand, printJson } from './run-command.js';

export const DEFAULT_QUALIFY_PROFILE = 'standard';

const DESCRIPTION = `can this disk carry etcd? Runs fio's etcd recipe, etcd's WAL shape with backend commits, then a
throwaway local etcd under a Kubernetes-shaped load on the disk behind --dir; grades A-F against etcd's limits,
writes a JSON report (results/ or --out) and prints the verdict. Exit 0 for A-C, 1 for D-F`;

/** Adds the `qualify` command to the program. */
export function addQualifyCommand(program: Command, stderr: (s: string) => void): void {
  let outPath: string | null = null;
  addRunCommand(
    program,
    'qualify',
    {
      command: 'qualify',
      description: DESCRIPTION,
      keys: QUALIFY_OPTION_KEYS,
      defaultProfile: DEFAULT_QUALIFY_PROFILE,
      // ETCD_DISK_BENCH_NODE_NAME (a Job's downward API) names the node.
      env: process.env,
      // An --out that exists is refused before anything runs.
      before: async (resolved) => {
        outPath = resolved.values.out !== '' ? checkOutPath(resolved.values.out) : null;
        if (outPath && resolved.values.html) checkOutPath(htmlPathOf(outPath), '--html', 'html');
      },
      run: runQualify,
      prom: qualifyGauges,
      finish: (report, resolved) => {
        stderr(`\n${renderQualifyText(report)}`);
        const profile = resolved.profile!.name;
        const path =
          outPath ??
          defaultReportPath(report.host.hostname, report.startedAt, profile.includes('/') ? 'custom' : profile);
        const written = saveReport(path, report, stderr);
        // The page of a report that could not be written would be the only copy of it: it goes with the report.
        const page =
          written && resolved.values.html ? saveHtml(htmlPathOf(path), renderQualifyHtml(report), stderr) : true;
        printJson(resolved.values.json, report);
        if (!report.complete || !written || !page) return ExitCode.environment;
        return gradeExitCode(report.grade);
      },
    },
    stderr,
  );
}
