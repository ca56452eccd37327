// `etcd-disk-bench load`: parse, run the load, print, set the exit code.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { CleanupRegistry } from '../cleanup.js';
import { LOAD_OPTION_KEYS } from '../etcd/load-options.js';
import { runEtcdLoad } from '../etcd/run-etcd-load.js';
import { ExitCode } from '../errors.js';
import { loadProfile } from '../options/profiles.js';
import { resolveOptions } from '../options/resolve.js';
import { renderLoadText } from '../report/load-text.js';
import { guardSignals, SIGNAL_EXIT } from './signals.js';
import { addTableOptions } from './table-options.js';
import { addTuiOption, underView } from './live-run.js';

const DESCRIPTION = `put load against etcd, measured with the same statistics as the disk: an existing cluster
(--endpoints, etcdctl's conventions and ETCDCTL_* variables) or a throwaway local etcd on --dir`;

async function askPassword(user: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('no terminal');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await rl.question(`password for ${user}: `);
  } finally {
    rl.close();
  }
}

/** Adds the `load` command to the program. */
export function addLoadCommand(program: Command, stderr: (s: string) => void): void {
  const cmd = program.command('load').description(DESCRIPTION);
  const readRaw = addTableOptions(cmd, LOAD_OPTION_KEYS);
  addTuiOption(cmd);
  cmd.action(async () => {
    const { raw, givenAs } = readRaw();
    const profileName = typeof raw.profile === 'string' && raw.profile !== '' ? raw.profile : 'put';
    const profile = loadProfile(profileName, LOAD_OPTION_KEYS);
    const resolved = resolveOptions(LOAD_OPTION_KEYS, raw, profile, givenAs, process.env);
    const cleanup = new CleanupRegistry();
    const guard = guardSignals(cleanup, (m) => stderr(`etcd-disk-bench: ${m}\n`));
    try {
      // The password is asked before the dashboard takes the terminal.
      const result = await underView(cmd, resolved.values.json, guard, stderr, (onEvent) =>
        runEtcdLoad(resolved, { cleanup, signal: guard.signal, argv: process.argv.slice(1), onEvent, askPassword: process.stdin.isTTY ? askPassword : undefined }),
      );
      stderr(renderLoadText(result));
      if (resolved.values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      const sig = guard.received();
      if (sig) process.exitCode = SIGNAL_EXIT[sig];
      else if (!result.complete) process.exitCode = ExitCode.environment;
      else process.exitCode = result.passed ? ExitCode.ok : ExitCode.failed;
    } finally {
      await cleanup.drain();
      guard.dispose();
    }
  });
}
