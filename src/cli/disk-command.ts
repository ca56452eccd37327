// `etcd-disk-bench disk`: parse, run the disk phase, print, set the exit code.
import type { Command } from 'commander';
import { runDisk } from '../disk/run-disk.js';
import { DISK_OPTION_KEYS } from '../disk/options.js';
import { ExitCode } from '../errors.js';
import { renderDiskText } from '../report/disk-text.js';
import { addTableOptions, resolveCommand } from './table-options.js';
import { addTuiOption, runGuarded } from './live-run.js';

const DESCRIPTION = `measure sequential write + sync latency on the disk behind --dir, the way etcd's WAL needs it
(by default exactly fio's etcd recipe: 2300-byte writes, fdatasync after each, a 22 MiB fallocated file)`;

/** Adds the `disk` command to the program. */
export function addDiskCommand(program: Command, stderr: (s: string) => void): void {
  const cmd = program.command('disk').description(DESCRIPTION);
  const readRaw = addTableOptions(cmd, DISK_OPTION_KEYS, 'disk');
  addTuiOption(cmd);
  cmd.action(async () => {
    const resolved = resolveCommand(DISK_OPTION_KEYS, readRaw(), null);
    await runGuarded(
      cmd,
      resolved.values.json,
      stderr,
      (t) => runDisk(resolved, { ...t, argv: process.argv.slice(1) }),
      (result) => {
        stderr(renderDiskText(result));
        if (resolved.values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        if (!result.error)
          return result.passed ? ExitCode.ok : result.grade.limitedBy ? ExitCode.noVerdict : ExitCode.failed;
        stderr(`etcd-disk-bench: error: ${result.error.message}\n`);
        return ExitCode.environment;
      },
    );
  });
}
