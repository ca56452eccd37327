// Turns SIGINT/SIGTERM/SIGHUP into an orderly stop: the first signal aborts
// the run (the writer stops, files go, an incomplete result is printed); a
// second one drains the cleanup registry and exits at once.
import type { CleanupRegistry } from '../cleanup.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** A signal, or `q` pressed in the dashboard (a user interrupt, like Ctrl-C). */
export type StopSignal = (typeof SIGNALS)[number] | 'q';

/** The conventional exit code for a run ended by a signal (128 + number); q as SIGINT. */
export const SIGNAL_EXIT: Record<StopSignal, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143, q: 130 };

export interface SignalGuard {
  signal: AbortSignal;
  /** The signal that stopped the run, if any. */
  received(): StopSignal | undefined;
  /** Stops the run as the first signal would (the dashboard's q). */
  stop(why: StopSignal): void;
  dispose(): void;
}

/** Installs the handlers for the life of one command. */
export function guardSignals(cleanup: CleanupRegistry, log: (m: string) => void): SignalGuard {
  const controller = new AbortController();
  let first: StopSignal | undefined;
  const handlers = SIGNALS.map((sig) => {
    const handler = () => {
      if (first === undefined) {
        first = sig;
        log(`${sig}: stopping the run and cleaning up (send it again to stop at once)`);
        controller.abort(sig);
        return;
      }
      void cleanup.drain().finally(() => process.exit(SIGNAL_EXIT[sig]));
    };
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => first,
    stop: (why) => {
      if (first !== undefined) return;
      first = why;
      controller.abort(why === 'q' ? 'q pressed' : why);
    },
    dispose: () =>
      handlers.forEach(([sig, h]) => {
        process.off(sig, h);
      }),
  };
}
