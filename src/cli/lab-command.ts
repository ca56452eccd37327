// `etcd-disk-bench lab slow-disk`: make a slow disk on purpose and show what
// etcd does on it. Parse, run, print, set the exit code (0 when the lab ran;
// it demonstrates, it does not grade).
import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { runSlowDisk } from '../lab/run-slow-disk.js';
import { LAB_OPTION_KEYS } from '../options/table.js';
import { renderLabText } from '../report/lab-text.js';
import { addRunCommand, printJson } from './run-command.js';

const DESCRIPTION = `mount slowfs (a FUSE filesystem that sleeps before every fsync) over a directory on --dir,
run local etcd members on it under the kube workload, and report what etcd did: latency, leader changes,
failed proposals, heartbeat failures and its own log warnings. Needs root, /dev/fuse and slowfs (built when
libfuse3-dev is installed)`;

/** Adds `lab slow-disk` to the program. */
export function addLabCommand(program: Command, stderr: (s: string) => void): void {
  const lab = program.command('lab').description('experiments on purpose-made bad disks');
  addRunCommand(
    lab,
    'slow-disk',
    {
      command: 'lab',
      description: DESCRIPTION,
      keys: LAB_OPTION_KEYS,
      defaultProfile: null,
      run: runSlowDisk,
      finish: (result, resolved) => {
        stderr(renderLabText(result));
        printJson(resolved.values.json, result);
        return result.complete ? ExitCode.ok : ExitCode.environment;
      },
    },
    stderr,
  );
}
