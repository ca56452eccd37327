// A phase's two framing events, from one place: phase-start once, phase-end
// once and only after a start, whether the phase returns or throws. A phase
// that throws after it started ends as failed (or interrupted, when its stop
// signal fired) with the error's message, so views never wait for an end.
import type { EventSink, PhaseLabel } from './events.js';

export class PhaseEvents {
  private started = false;
  private ended = false;

  constructor(
    private readonly emit: EventSink | undefined,
    readonly label: PhaseLabel & { title: string },
  ) {}

  /** phase-start: what runs, for how long, on what. */
  start(plannedNs: number, target: string, profile: string | null): void {
    if (this.started) return;
    this.started = true;
    const p = this.label.profile !== undefined ? this.label.profile : profile;
    this.emit?.({ type: 'phase-start', ...this.label, plannedNs, target, profile: p });
  }

  /** phase-end, once, after a start. */
  end(status: 'done' | 'failed' | 'interrupted', reason?: string): void {
    if (!this.started || this.ended) return;
    this.ended = true;
    this.emit?.({ type: 'phase-end', phase: this.label.phase, status, ...(reason ? { reason } : {}) });
  }

  /** Runs the phase's work; a throw after the start ends the phase before it propagates. */
  async run<R>(signal: AbortSignal | undefined, work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (e) {
      this.end(signal?.aborted ? 'interrupted' : 'failed', e instanceof Error ? e.message : String(e));
      throw e;
    }
  }
}
