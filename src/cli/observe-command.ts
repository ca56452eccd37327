// `etcd-disk-bench observe`: grade a running cluster from its own metrics
// (or a Prometheus server's copy of them), adding no load; write the report,
// print the summary, set the exit code.
import type { Command } from 'commander';
import { ExitCode } from '../core/errors.js';
import { gradeExitCode } from '../verdict/letter.js';
import { runObserve } from '../observe/run-observe.js';
import { OBSERVE_OPTION_KEYS } from '../options/table.js';
import { checkOutPath, defaultReportPath } from '../qualify/report-file.js';
import { renderObserveText } from '../report/observe-text.js';
import { askMissingPassword } from './ask-password.js';
import { observeGauges } from '../report/prom-out.js';
import { saveReport } from './save-report.js';
import { addRunCommand, printJson } from './run-command.js';

const DESCRIPTION = `grade a running cluster's disks from its members' own metrics, adding no load: WAL fsync and
backend commit p99, peer round trip, leader changes, failed proposals, heartbeats sent late, alarms, per member,
read every --interval for --runtime (or from a Prometheus server over --since). Writes a JSON report (results/ or
--out). Exit 0 when every member grades A-C, 1 when one grades D-F`;

/** Adds the `observe` command to the program. */
export function addObserveCommand(program: Command, stderr: (s: string) => void): void {
  let outPath: string | null = null;
  addRunCommand(
    program,
    'observe',
    {
      command: 'observe',
      description: DESCRIPTION,
      keys: OBSERVE_OPTION_KEYS,
      defaultProfile: 'observe',
      env: process.env,
      before: async (resolved) => {
        outPath = resolved.values.out !== '' ? checkOutPath(resolved.values.out) : null;
        await askMissingPassword(resolved.values);
      },
      run: runObserve,
      prom: observeGauges,
      finish: (report, resolved) => {
        stderr(`\n${renderObserveText(report)}`);
        const path = outPath ?? defaultReportPath(report.host.hostname, report.startedAt, 'observe');
        const written = saveReport(path, report, stderr);
        printJson(resolved.values.json, report);
        if (!report.complete || !written) return ExitCode.environment;
        // No member had anything to grade (a cluster that took no writes): no verdict, as with a limited figure.
        return report.grade.letter === null ? ExitCode.noVerdict : gradeExitCode(report.grade);
      },
      // With --runtime 0 the observation runs until stopped: q or Ctrl-C ends it normally.
      stopIsEnd: (resolved) => resolved.values.runtime === 0,
    },
    stderr,
  );
}
