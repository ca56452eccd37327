// `etcd-disk-bench lab slow-disk`: make a slow disk on purpose and show what
// etcd does on it. Parse, run, print, set the exit code (0 when the lab ran;
// it demonstrates, it does not grade).
import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { runSlowDisk } from '../lab/run-slow-disk.js';
import { LAB_OPTION_KEYS } from '../options/table.js';
import { renderLabText } from '../report/lab-text.js';
import { addTuiOption, runGuarded } from './live-run.js';
import { addTableOptions, resolveCommand } from './table-options.js';

const DESCRIPTION = `mount slowfs (a FUSE filesystem that sleeps before every fsync) over a directory on --dir,
run local etcd members on it under the kube workload, and report what etcd did: latency, leader changes,
failed proposals, heartbeat failures and its own log warnings. Needs root, /dev/fuse and slowfs (built when libfuse3-dev is installed)`;

/** Adds `lab slow-disk` to the program. */
export function addLabCommand(program: Command, stderr: (s: string) => void): void {
  const lab = program.command('lab').description('experiments on purpose-made bad disks');
  const cmd = lab.command('slow-disk').description(DESCRIPTION);
  const readRaw = addTableOptions(cmd, LAB_OPTION_KEYS, 'lab');
  addTuiOption(cmd);
  cmd.action(async () => {
    const resolved = resolveCommand(LAB_OPTION_KEYS, readRaw(), null);
    await runGuarded(
      cmd,
      resolved.values.json,
      stderr,
      (t) => runSlowDisk(resolved, { ...t, argv: process.argv.slice(1) }),
      (result) => {
        stderr(renderLabText(result));
        if (resolved.values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return result.complete ? ExitCode.ok : ExitCode.environment;
      },
    );
  });
}
