// `etcd-disk-bench disk`: parse, run the disk phase, print, set the exit code.
import type { Command } from 'commander';
import { CleanupRegistry } from '../cleanup.js';
import { runDisk } from '../disk/run-disk.js';
import { DISK_OPTION_KEYS } from '../disk/options.js';
import { ExitCode } from '../errors.js';
import { loadProfile } from '../options/profiles.js';
import { resolveOptions } from '../options/resolve.js';
import { renderDiskText } from '../report/disk-text.js';
import { guardSignals, SIGNAL_EXIT } from './signals.js';
import { addTableOptions } from './table-options.js';
import { addTuiOption, underView } from './live-run.js';

const DESCRIPTION = `measure sequential write + sync latency on the disk behind --dir, the way etcd's WAL needs it
(by default exactly fio's etcd recipe: 2300-byte writes, fdatasync after each, a 22 MiB fallocated file)`;

/** Adds the `disk` command to the program. */
export function addDiskCommand(program: Command, stderr: (s: string) => void): void {
  const cmd = program.command('disk').description(DESCRIPTION);
  const readRaw = addTableOptions(cmd, DISK_OPTION_KEYS);
  addTuiOption(cmd);
  cmd.action(async () => {
    const { raw, givenAs } = readRaw();
    const profileName = typeof raw.profile === 'string' && raw.profile !== '' ? raw.profile : null;
    const profile = profileName ? loadProfile(profileName, DISK_OPTION_KEYS) : null;
    const resolved = resolveOptions(DISK_OPTION_KEYS, raw, profile, givenAs);
    const cleanup = new CleanupRegistry();
    const guard = guardSignals(cleanup, (m) => stderr(`etcd-disk-bench: ${m}\n`));
    try {
      const result = await underView(cmd, resolved.values.json, guard, stderr, (onEvent) =>
        runDisk(resolved, { cleanup, signal: guard.signal, onEvent, argv: process.argv.slice(1) }),
      );
      stderr(renderDiskText(result));
      if (resolved.values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      const sig = guard.received();
      if (sig) process.exitCode = SIGNAL_EXIT[sig];
      else if (result.error) {
        stderr(`etcd-disk-bench: error: ${result.error.message}\n`);
        process.exitCode = ExitCode.environment;
      } else process.exitCode = result.passed ? ExitCode.ok : ExitCode.failed;
    } finally {
      await cleanup.drain();
      guard.dispose();
    }
  });
}
