// Chooses the view of a run: the dashboard when stdout is a terminal, plain
// progress lines on stderr otherwise (no terminal, --no-tui, --json, or CI set).
import type { RunEvent } from '../events/events.js';
import { ProgressLine } from './progress-line.js';

export interface View {
  handle(e: RunEvent): void;
  /** Restores the terminal (dashboard); always call it, also on errors. */
  close(): void;
  readonly kind: 'dashboard' | 'lines';
}

export interface ViewChoice {
  tui: boolean;
  json: boolean;
  stdoutIsTty: boolean;
  ci: boolean;
}

/** Whether the dashboard should run. */
export function wantsDashboard(c: ViewChoice): boolean {
  return c.tui && !c.json && c.stdoutIsTty && !c.ci;
}

/** Opens the view; the dashboard module (and blessed) loads only when it is used. */
export async function openView(c: ViewChoice, stderr: (s: string) => void, onStop: () => void): Promise<View> {
  if (wantsDashboard(c)) {
    const { Dashboard } = await import('./dashboard.js');
    const d = new Dashboard({ onStop });
    return { kind: 'dashboard', handle: (e) => d.handle(e), close: () => d.destroy() };
  }
  const p = new ProgressLine(stderr);
  return { kind: 'lines', handle: (e) => p.handle(e), close: () => undefined };
}

/** The choice for this process: --no-tui and --json from the command line, the rest from the environment. */
export function viewChoice(tui: boolean, json: boolean): ViewChoice {
  return {
    tui,
    json,
    stdoutIsTty: Boolean(process.stdout.isTTY),
    ci: Boolean(process.env.CI) && process.env.CI !== 'false',
  };
}
