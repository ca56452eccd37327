// Turns SIGINT/SIGTERM/SIGHUP into an orderly stop: the first signal aborts
// the run (the writer stops, files go, an incomplete result is printed); a
// second one drains the cleanup registry and exits at once.
import type { CleanupRegistry } from '../run/cleanup.js';
import { ExitCode } from '../core/errors.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** A signal, or `q` pressed in the dashboard (a user interrupt, like Ctrl-C). */
export type StopSignal = (typeof SIGNALS)[number] | 'q';

/** The conventional exit code for a run ended by a signal (128 + number); q as SIGINT. */
export const SIGNAL_EXIT: Record<StopSignal, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143, q: 130 };

export interface SignalGuard {
  signal: AbortSignal;
  /** The signal that stopped the run, if any. */
  received(): StopSignal | undefined;
  /** An error nothing caught (a fault of this tool) that stopped the run, if any. */
  fault(): Error | undefined;
  /** Stops the run as the first signal would (the dashboard's q). */
  stop(why: StopSignal): void;
  dispose(): void;
}

/** Installs the handlers for the life of one command. */
export function guardSignals(cleanup: CleanupRegistry, log: (m: string) => void): SignalGuard {
  const controller = new AbortController();
  let first: StopSignal | undefined;
  let fault: Error | undefined;
  // An error nothing caught is a bug of ours: stop the run as a signal would (its report says so, incomplete), and
  // exit with the internal-error code, never 0 or 1 (which would read as a verdict on the disk).
  const onFault = (e: unknown) => {
    if (fault !== undefined) {
      void cleanup.drain().finally(() => process.exit(ExitCode.internal));
      return;
    }
    fault = e instanceof Error ? e : new Error(String(e));
    log(`internal error (a fault of this tool, not of the disk): ${fault.stack ?? fault.message}; stopping`);
    controller.abort(`internal error: ${fault.message}`);
  };
  process.on('uncaughtException', onFault);
  process.on('unhandledRejection', onFault);
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
    fault: () => fault,
    stop: (why) => {
      if (first !== undefined) return;
      first = why;
      controller.abort(why === 'q' ? 'q pressed' : why);
    },
    dispose: () => {
      handlers.forEach(([sig, h]) => {
        process.off(sig, h);
      });
      process.off('uncaughtException', onFault);
      process.off('unhandledRejection', onFault);
    },
  };
}
