// A run's warnings: kept for its result, passed to the caller's handler and
// put on the event stream for live views, in one place for every phase.
import type { EventSink } from '../events/events.js';

/** Where a run's warnings go besides its own result. */
export interface WarningTargets {
  onWarning?: (message: string) => void;
  onEvent?: EventSink;
}

/** The list a result keeps, and the function that adds to it and tells the caller and the views. */
export function warningCollector(ctx: WarningTargets): { warnings: string[]; warn: (message: string) => void } {
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    ctx.onWarning?.(message);
    ctx.onEvent?.({ type: 'warning', message });
  };
  return { warnings, warn };
}
