// While a native writer is measured, the JS thread yields the CPU to it. That
// thread does everything else of the run (its batches, the ticks and, since V8
// runs without background threads, the garbage collection and compiles); on a
// 2-core host the writer, woken by its I/O, otherwise waited behind it for a
// CPU inside its fdatasync (bench:tail, issue 41). The thread goes into
// SCHED_IDLE, where a writer waking on its CPU preempts it at once: traced, the
// writer's wait behind it fell from 25 to 5 ms a recipe run, and the operations
// it delayed by over 200 us from 11 to 0 (nice 5, the step before, had left
// most of those waits). Coming back needs CAP_SYS_NICE or a high RLIMIT_NICE:
// the addon tries the round trip on a throwaway thread first, and where it
// fails nothing changes and the report says so. The writers keep the default
// policy, as fio's thread does: the disk is not favoured over the host's other
// work. A thread inherits its creator's policy, so the JS thread yields only
// once the workloads' threads exist.
//
// On a saturated host an idle thread gets almost no CPU (weight 3 against
// 1024): beside six CPU hogs the host sampler, which runs on this thread, took
// 3 readings in a 10 s run instead of 11, and its seconds no longer lined up
// with the writer's. So a watchdog timer measures its own lateness, and the
// first time it is late by STARVED_MS the thread goes back to SCHED_OTHER for
// the rest of the run: the yield is for a host with a CPU to spare.

/** The addon's two calls (native/src/cpu_yield.h). */
export interface ThreadPolicy {
  idleThisThread(): boolean;
  restoreFromIdle(): boolean;
}

/** How the JS thread ran while the writers were timed. */
export type JsThreadPolicy = 'idle' | 'idle-until-starved' | null;

export interface Yielding {
  /**
   * 'idle': SCHED_IDLE throughout; 'idle-until-starved': back in SCHED_OTHER once the host left it no CPU;
   * null: left as it was (it could not come back).
   */
  readonly policyDuring: JsThreadPolicy;
  /** Puts the JS thread, and any thread it started meanwhile, back; throws if Linux refused. */
  restore(): void;
}

/** How often the watchdog fires, and how late a firing means the thread is starved. */
export const WATCH_EVERY_MS = 50;
export const STARVED_MS = 150;

/** The timer the watchdog runs on (a test's own clock in tests). */
export interface WatchClock {
  now(): number;
  every(ms: number, fn: () => void): () => void;
}

const realClock: WatchClock = {
  now: () => performance.now(),
  every: (ms, fn) => {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
};

class IdleYield implements Yielding {
  policyDuring: JsThreadPolicy = 'idle';
  private idle = true;
  private refused = false;
  private readonly stopWatch: () => void;

  constructor(
    private readonly policy: ThreadPolicy,
    clock: WatchClock,
  ) {
    let last = clock.now();
    this.stopWatch = clock.every(WATCH_EVERY_MS, () => {
      const now = clock.now();
      const late = now - last - WATCH_EVERY_MS;
      last = now;
      if (late < STARVED_MS) return;
      this.policyDuring = 'idle-until-starved';
      this.back();
    });
  }

  /** Back to SCHED_OTHER, once; a refusal is kept for restore() to report (a timer has no one to throw to). */
  private back(): void {
    this.stopWatch();
    if (!this.idle) return;
    this.idle = false;
    this.refused = !this.policy.restoreFromIdle();
  }

  restore(): void {
    this.back();
    if (this.refused) throw new Error('could not put the JS thread back from SCHED_IDLE after the disk writer ran');
  }
}

/** Puts the calling (JS) thread in SCHED_IDLE when it can come back; restore() brings it back. */
export function yieldToWriter(policy: ThreadPolicy | null, clock: WatchClock = realClock): Yielding {
  if (!policy?.idleThisThread()) return { policyDuring: null, restore: () => {} };
  return new IdleYield(policy, clock);
}
