// `etcd-disk-bench load`: run the load, print, set the exit code.
import type { Command } from 'commander';
import { LOAD_OPTION_KEYS } from '../load/load-option-values.js';
import { runEtcdLoad } from '../load/run-load.js';
import { ExitCode } from '../core/errors.js';
import { renderLoadText } from '../report/load-text.js';
import { askMissingPassword } from './ask-password.js';
import { loadGauges } from '../report/prom-out.js';
import { addRunCommand, printJson } from './run-command.js';
import { loadGrading } from '../grade/grade-load.js';

const DESCRIPTION = `put load against etcd, measured with the same statistics as the disk: an existing cluster
(--endpoints, etcdctl's conventions and ETCDCTL_* variables) or a throwaway local etcd on --dir`;

/** Adds the `load` command to the program. */
export function addLoadCommand(program: Command, stderr: (s: string) => void): void {
  addRunCommand(
    program,
    'load',
    {
      command: 'load',
      description: DESCRIPTION,
      keys: LOAD_OPTION_KEYS,
      defaultProfile: 'put',
      env: process.env,
      // A password is asked for before the dashboard takes the terminal.
      before: (resolved) => askMissingPassword(resolved.values),
      run: (resolved, tools) => runEtcdLoad(resolved, { ...tools, grading: loadGrading }),
      prom: loadGauges,
      finish: (result, resolved) => {
        stderr(renderLoadText(result));
        printJson(resolved.values.json, result);
        if (!result.complete) return ExitCode.environment;
        if (result.passed) return ExitCode.ok;
        // Every missed limit belonged to the host or the client: no verdict on the disk or the cluster.
        const failed = result.checks.some((c) => c.status === 'fail');
        return failed || !result.checks.some((c) => c.status === 'inconclusive') ? ExitCode.failed : ExitCode.noVerdict;
      },
    },
    stderr,
  );
}
