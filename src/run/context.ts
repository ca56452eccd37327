// What every run (a disk phase, a load, qualify, the lab) gets from its
// caller, declared once: undo steps, the stop signal, where warnings and
// events go, the command line for the report, and which phase it is when a
// caller runs several. Whoever creates a cleanup registry drains it.
import type { CleanupRegistry } from './cleanup.js';
import type { EventSink, PhaseLabel } from '../events/events.js';

export interface RunContext {
  /** The caller's undo steps; a run registers what it creates (its own child registry where it drains them). */
  cleanup?: CleanupRegistry;
  /** Aborting stops the run; its result is then marked incomplete with the reason. */
  signal?: AbortSignal;
  /** Warnings as they happen (the result keeps them too). */
  onWarning?: (message: string) => void;
  /** The event stream for live views: phase-start, a tick a second, warnings, phase-end. */
  onEvent?: EventSink;
  /** The command line, recorded in the result. */
  argv?: string[];
  /** Which phase this is when a caller runs several (qualify, the lab); default: the command's only phase. */
  label?: PhaseLabel & { title: string };
}
