// Runs a command's work under its view (dashboard or progress lines) and
// always restores the terminal afterwards, whatever happens.
import type { Command } from 'commander';
import type { EventSink } from '../live/events.js';
import { openView, viewChoice } from '../live/view.js';
import type { SignalGuard } from './signals.js';

/** Adds --no-tui to a command. */
export function addTuiOption(cmd: Command): void {
  cmd.option('--no-tui', 'no dashboard: plain progress lines on stderr (also without a terminal, with --json, or when CI is set)');
}

/** Whether the user asked for the dashboard not to run. */
export function tuiWanted(cmd: Command): boolean {
  return (cmd.opts() as { tui?: boolean }).tui !== false;
}

/** Runs `work` with an event sink feeding the chosen view; the view is closed before this returns or throws. */
export async function underView<T>(cmd: Command, json: boolean, guard: SignalGuard, stderr: (s: string) => void, work: (onEvent: EventSink) => Promise<T>): Promise<T> {
  const view = await openView(viewChoice(tuiWanted(cmd), json), stderr, () => guard.stop('q'));
  try {
    return await work((e) => view.handle(e));
  } finally {
    view.close();
  }
}
