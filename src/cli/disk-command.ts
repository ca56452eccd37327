// `etcd-disk-bench disk`: run the disk phase, print, set the exit code.
import type { Command } from 'commander';
import { DISK_OPTION_KEYS } from '../disk/disk-option-values.js';
import { runDisk } from '../disk/run-disk.js';
import { ExitCode } from '../core/errors.js';
import { diskGrading } from '../grade/grade-disk.js';
import { renderDiskText } from '../report/disk-text.js';
import { diskGauges } from '../report/prom-out.js';
import { addRunCommand, printJson } from './run-command.js';

const DESCRIPTION = `measure sequential write + sync latency on the disk behind --dir, the way etcd's WAL needs it
(by default exactly fio's etcd recipe: 2300-byte writes, fdatasync after each, a 22 MiB fallocated file)`;

/** Adds the `disk` command to the program. */
export function addDiskCommand(program: Command, stderr: (s: string) => void): void {
  addRunCommand(
    program,
    'disk',
    {
      command: 'disk',
      description: DESCRIPTION,
      keys: DISK_OPTION_KEYS,
      defaultProfile: null,
      run: (resolved, tools) => runDisk(resolved, { ...tools, grading: diskGrading }),
      prom: diskGauges,
      finish: (result, resolved) => {
        stderr(renderDiskText(result));
        printJson(resolved.values.json, result);
        if (!result.error)
          return result.passed ? ExitCode.ok : result.grade.limitedBy ? ExitCode.noVerdict : ExitCode.failed;
        stderr(`etcd-disk-bench: error: ${result.error.message}\n`);
        return ExitCode.environment;
      },
    },
    stderr,
  );
}
