// The shape every measuring command shares: its options from the table, a
// profile, the command line resolved over them, the work run under the signal
// guard and the view, then the result printed and turned into an exit code.
// A command says only what differs: which options, which work, how it ends.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../core/errors.js';
import { exposition, type Gauge, writeAtomically } from '../report/prom-out.js';
import type { ResolvedOptions } from '../options/resolve.js';
import type { CommandName, OptionKey } from '../options/table.js';
import { addTuiOption, runGuarded, type RunTools } from './live-run.js';
import { addTableOptions, resolveCommand } from './table-options.js';

export interface RunCommandSpec<K extends OptionKey, R> {
  command: CommandName;
  description: string;
  keys: readonly K[];
  /** The profile used when --profile is not given (null: none). */
  defaultProfile: string | null;
  /** Environment variables the options read (ETCDCTL_*), for the commands that take them. */
  env?: Record<string, string | undefined>;
  /** Runs before the view opens (e.g. asking for a password at the terminal). */
  before?: (resolved: ResolvedOptions<K>) => Promise<void>;
  /** The library call. */
  run: (resolved: ResolvedOptions<K>, tools: RunTools & { argv: string[] }) => Promise<R>;
  /** Prints the result and returns the exit code (a stop signal overrides it). */
  finish: (result: R, resolved: ResolvedOptions<K>) => number;
  /** The figures --prom-out writes (commands without it leave this out). */
  prom?: (result: R) => Gauge[];
  /** Whether a stop (q, Ctrl-C) is this run's normal end, keeping finish's exit code. */
  stopIsEnd?: (resolved: ResolvedOptions<K>) => boolean;
}

/** Adds a measuring command under `parent` as `name`. */
export function addRunCommand<K extends OptionKey, R>(
  parent: Command,
  name: string,
  spec: RunCommandSpec<K, R>,
  stderr: (s: string) => void,
): Command {
  const cmd = parent.command(name).description(spec.description.replace(/\s*\n\s*/g, ' '));
  const readRaw = addTableOptions(cmd, spec.keys, spec.command);
  addTuiOption(cmd);
  cmd.action(async () => {
    const resolved = resolveCommand(spec.keys, readRaw(), spec.defaultProfile, spec.command, spec.env);
    for (const note of resolved.profile?.deprecated ?? []) stderr(`etcd-disk-bench: warning: ${note}\n`);
    const promOut = checkPromOut((resolved.values as { promOut?: string }).promOut ?? '');
    await spec.before?.(resolved);
    const json = (resolved.values as { json?: boolean }).json === true;
    await runGuarded(
      cmd,
      json,
      stderr,
      (t) => spec.run(resolved, { ...t, argv: process.argv.slice(1) }),
      (result) => {
        const code = spec.finish(result, resolved);
        if (!promOut || !spec.prom) return code;
        try {
          writeAtomically(promOut, exposition(spec.prom(result)));
          stderr(`metrics: ${promOut}\n`);
          return code;
        } catch (e) {
          stderr(`etcd-disk-bench: error: ${(e as Error).message}\n`);
          return ExitCode.environment;
        }
      },
      spec.stopIsEnd?.(resolved) ?? false,
    );
  });
  return cmd;
}

/** --prom-out, checked before anything runs: a .prom file (the textfile collector reads no other) in a directory. */
function checkPromOut(raw: string): string | null {
  if (raw === '') return null;
  const path = resolve(raw);
  if (!path.endsWith('.prom'))
    throw new UsageError(
      `--prom-out: ${path} does not end in .prom; node_exporter's textfile collector reads only *.prom files`,
      'promOut',
    );
  let dir = false;
  try {
    dir = statSync(dirname(path)).isDirectory();
  } catch {
    dir = false;
  }
  if (!dir) throw new UsageError(`--prom-out: ${dirname(path)} is not an existing directory`, 'promOut');
  return path;
}

/** Prints `result` as JSON on stdout when --json was given. */
export function printJson(json: boolean, result: unknown): void {
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
