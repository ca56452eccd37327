// Spawns the built CLI as a user would run it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/core/paths.js';

export const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI; `done` resolves when it exits (killed after timeoutMs). */
export function startCli(
  args: string[],
  timeoutMs = 60_000,
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}

/** Runs the CLI to the end. */
export function runCli(args: string[], timeoutMs?: number, env?: Record<string, string>): Promise<CliRun> {
  return startCli(args, timeoutMs, env).done;
}

/** Polls `check` every 20 ms until it returns true (or throws after timeoutMs). */
export async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The arguments of a short qualify run on `dir`, its report to `out`, with each phase's length. */
export function qualifyArgs(
  dir: string,
  out: string,
  fio: string,
  wal: string,
  etcd: string,
  more: string[] = [],
): string[] {
  return [
    'qualify',
    '--dir',
    dir,
    '--out',
    out,
    '--fio-runtime',
    fio,
    '--wal-runtime',
    wal,
    '--etcd-runtime',
    etcd,
    ...more,
  ];
}
