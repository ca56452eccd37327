// Drives the real program in a tmux pane, as a user at a terminal would:
// start it, read the screen, press keys, resize the window.
import { execFileSync } from 'node:child_process';
import { after } from 'node:test';
import { CLI } from './cli.js';

let n = 0;

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

export interface Pane {
  /** The visible screen as text (no escape sequences); with history, everything since the start. */
  capture(history?: boolean): string;
  keys(...keys: string[]): void;
  resize(cols: number, rows: number): void;
  /** A tmux format value of the pane, e.g. #{alternate_on}. */
  format(f: string): string;
  /** Whether the program (and the shell line after it) has finished: the marker is on screen. */
  finished(): boolean;
  kill(): void;
}

/**
 * Runs the CLI with `args` in a fresh detached tmux session of cols x rows; afterwards it prints EXIT=<code> and waits.
 */
export function startInTmux(args: string[], cols = 100, rows = 30): Pane {
  const session = `edb-test-${process.pid}-${n++}`;
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // CI unset: the dashboard runs only at a terminal without CI.
  tmux(
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    String(cols),
    '-y',
    String(rows),
    `env -u CI TERM=tmux-256color ${quoted}; echo EXIT=$?; sleep 600`,
  );
  tmux('set-option', '-t', session, 'window-size', 'manual');
  const pane: Pane = {
    capture: (history = false) => tmux('capture-pane', '-p', ...(history ? ['-S', '-'] : []), '-t', session),
    keys: (...keys) => void tmux('send-keys', '-t', session, ...keys),
    resize: (c, r) => void tmux('resize-window', '-t', session, '-x', String(c), '-y', String(r)),
    format: (f) => tmux('display-message', '-p', '-t', session, f).trim(),
    finished: () => /EXIT=\d+/.test(pane.capture()),
    kill: () => {
      try {
        tmux('kill-session', '-t', session);
      } catch {
        // already gone
      }
    },
  };
  after(() => pane.kill());
  return pane;
}
