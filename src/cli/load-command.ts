// `etcd-disk-bench load`: parse, run the load, print, set the exit code.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { LOAD_OPTION_KEYS, parseUser } from '../etcd/load-options.js';
import { runEtcdLoad } from '../etcd/run-etcd-load.js';
import { ExitCode } from '../errors.js';
import { renderLoadText } from '../report/load-text.js';
import { addTableOptions, resolveCommand } from './table-options.js';
import { addTuiOption, runGuarded } from './live-run.js';

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
  const readRaw = addTableOptions(cmd, LOAD_OPTION_KEYS, 'load');
  addTuiOption(cmd);
  cmd.action(async () => {
    const resolved = resolveCommand(LOAD_OPTION_KEYS, readRaw(), 'put', process.env);
    // A password is asked for before the dashboard takes the terminal.
    const user = parseUser(resolved.values.user);
    if (user && user.password === null && process.stdin.isTTY)
      resolved.values.user = `${user.username}:${await askPassword(user.username)}`;
    await runGuarded(
      cmd,
      resolved.values.json,
      stderr,
      (t) => runEtcdLoad(resolved, { ...t, argv: process.argv.slice(1) }),
      (result) => {
        stderr(renderLoadText(result));
        if (resolved.values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        if (!result.complete) return ExitCode.environment;
        if (result.passed) return ExitCode.ok;
        // Every missed limit belonged to the host, the client or etcd itself: no verdict on the disk or the cluster.
        return result.checks.some((c) => c.status === 'fail') || !result.checks.some((c) => c.status === 'inconclusive')
          ? ExitCode.failed
          : ExitCode.noVerdict;
      },
    );
  });
}
