#!/usr/bin/env -S node --incremental-marking-soft-trigger=90 --incremental-marking-hard-trigger=95 --single-threaded
// The command-line entry: wires commander, maps errors to the exit-code
// contract (0 pass, 1 FAIL, 2 usage, 3 environment). The only code that exits.
import { Command, CommanderError } from 'commander';
import { EnvironmentError, ExitCode, isInternalFault, UsageError } from '../core/errors.js';
import { TOOL } from '../core/version.js';
import { addDiskCommand } from './disk-command.js';
import { addK8sCommand } from './k8s-command.js';
import { addLoadCommand } from './load-command.js';
import { addObserveCommand } from './observe-command.js';
import { addQualifyCommand } from './qualify-command.js';
import { addReportCommand } from './report-command.js';
import { addLabCommand } from './lab-command.js';

// A reader that goes away (`... 2>&1 | head -1`) must not kill a run before it
// cleans up: writes to a closed pipe are dropped, the run finishes and removes its files.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

const stderr = (s: string) => void (process.stderr.writable && process.stderr.write(s));

function buildProgram(): Command {
  const program = new Command(TOOL.name)
    .description('tells, with evidence, whether a disk can carry etcd')
    .version(TOOL.version)
    .showHelpAfterError('(add --help for the options)')
    // Before adding subcommands: they inherit it only when created after.
    .exitOverride();
  addQualifyCommand(program, stderr);
  addDiskCommand(program, stderr);
  addLoadCommand(program, stderr);
  addObserveCommand(program, stderr);
  addReportCommand(program);
  addLabCommand(program, stderr);
  addK8sCommand(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      const informational = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code);
      process.exitCode = informational ? ExitCode.ok : ExitCode.usage;
    } else if (e instanceof UsageError) {
      stderr(`etcd-disk-bench: error: ${e.message}\n`);
      process.exitCode = ExitCode.usage;
    } else if (e instanceof EnvironmentError) {
      stderr(`etcd-disk-bench: error: ${e.message}\n`);
      process.exitCode = ExitCode.environment;
    } else if (isInternalFault(e)) {
      stderr(`etcd-disk-bench: internal error (a fault of this tool, not of the disk): ${(e as Error).stack}\n`);
      process.exitCode = ExitCode.internal;
    } else {
      stderr(`etcd-disk-bench: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = ExitCode.environment;
    }
  }
}

// Outside a run (its guard handles its own), an error nothing caught is still ours: never exit 0 or 1 on it.
const outsideRun = (e: unknown) => {
  if (process.listenerCount('uncaughtException') > 1) return;
  stderr(`etcd-disk-bench: internal error (a fault of this tool, not of the disk): ${(e as Error)?.stack ?? e}\n`);
  process.exit(ExitCode.internal);
};
process.on('uncaughtException', outsideRun);
process.on('unhandledRejection', outsideRun);
await main(process.argv);
