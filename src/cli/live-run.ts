// Runs a command's work under its view (dashboard or progress lines) and
// always restores the terminal afterwards, whatever happens.
import type { Command } from 'commander';
import type { EventSink } from '../events/events.js';
import { openView, viewChoice } from '../live/view.js';
import { CleanupRegistry } from '../run/cleanup.js';
import { ExitCode } from '../core/errors.js';
import { guardSignals, SIGNAL_EXIT, type SignalGuard } from './signals.js';

/** Adds --no-tui to a command. */
export function addTuiOption(cmd: Command): void {
  cmd.option(
    '--no-tui',
    'no dashboard: plain progress lines on stderr (also without a terminal, with --json, or when CI is set)',
  );
}

/** Whether the user asked for the dashboard not to run. */
export function tuiWanted(cmd: Command): boolean {
  return (cmd.opts() as { tui?: boolean }).tui !== false;
}

/** Runs `work` with an event sink feeding the chosen view; the view is closed before this returns or throws. */
export async function underView<T>(
  cmd: Command,
  json: boolean,
  guard: SignalGuard,
  stderr: (s: string) => void,
  work: (onEvent: EventSink) => Promise<T>,
): Promise<T> {
  const view = await openView(viewChoice(tuiWanted(cmd), json), stderr, () => guard.stop('q'));
  try {
    return await work((e) => view.handle(e));
  } finally {
    view.close();
  }
}

/** What a command's work gets: the cleanup registry, the stop signal and the event sink of its view. */
export interface RunTools {
  cleanup: CleanupRegistry;
  signal: AbortSignal;
  onEvent: EventSink;
}

/**
 * Runs one command's work under the signal guard and its view; `finish` prints
 * the result and returns the exit code, which a stop signal overrides. The
 * cleanup registry is drained and the handlers removed whatever happens.
 */
export async function runGuarded<T>(
  cmd: Command,
  json: boolean,
  stderr: (s: string) => void,
  work: (t: RunTools) => Promise<T>,
  finish: (result: T) => number,
  /** A stop is how this run ends (observe --runtime 0): the exit code stays the result's. */
  stopIsEnd = false,
): Promise<void> {
  const cleanup = new CleanupRegistry();
  const guard = guardSignals(cleanup, (m) => stderr(`etcd-disk-bench: ${m}\n`));
  try {
    const result = await underView(cmd, json, guard, stderr, (onEvent) =>
      work({ cleanup, signal: guard.signal, onEvent }),
    );
    const code = finish(result);
    const sig = guard.received();
    process.exitCode = guard.fault() ? ExitCode.internal : sig && !stopIsEnd ? SIGNAL_EXIT[sig] : code;
  } catch (e) {
    // The run's own error after a fault nothing caught: the fault is the story.
    if (guard.fault()) {
      process.exitCode = ExitCode.internal;
      return;
    }
    throw e;
  } finally {
    await cleanup.drain();
    guard.dispose();
  }
}
