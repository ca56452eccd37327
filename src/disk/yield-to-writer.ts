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
// 1024), and this thread samples the host's evidence. The addon's guard thread
// puts it back in SCHED_OTHER the first time it was ready without a CPU for
// most of 150 ms (native/src/cpu_yield.h): the yield is for a host with a CPU
// to spare. A timer on this thread did that job before, and beside six CPU hogs
// and a busy disk it fired too late: the sampler took 2 readings in a 4 s phase
// and never saw the writer's thread, so a miss the host caused read as the
// disk's (CI, 2026-12-07).

/** The addon's calls (native/src/cpu_yield.h). */
export interface ThreadPolicy {
  idleThisThread(): boolean;
  restoreFromIdle(): boolean;
  starvedWhileIdle(): boolean;
}

/** How the JS thread ran while the writers were timed. */
export type JsThreadPolicy = 'idle' | 'idle-until-starved' | null;

export interface Yielding {
  /**
   * 'idle': SCHED_IDLE throughout; 'idle-until-starved': back in SCHED_OTHER once the host left it no CPU;
   * null: left as it was (it could not come back). Final once restore() has run.
   */
  readonly policyDuring: JsThreadPolicy;
  /** Puts the JS thread, and any thread it started meanwhile, back; throws if Linux refused. */
  restore(): void;
}

class IdleYield implements Yielding {
  policyDuring: JsThreadPolicy = 'idle';
  private restored = false;

  constructor(private readonly policy: ThreadPolicy) {}

  restore(): void {
    if (this.restored) return;
    this.restored = true;
    const back = this.policy.restoreFromIdle();
    if (this.policy.starvedWhileIdle()) this.policyDuring = 'idle-until-starved';
    if (!back) throw new Error('could not put the JS thread back from SCHED_IDLE after the disk writer ran');
  }
}

/** Puts the calling (JS) thread in SCHED_IDLE when it can come back; restore() brings it back. */
export function yieldToWriter(policy: ThreadPolicy | null): Yielding {
  if (!policy?.idleThisThread()) return { policyDuring: null, restore: () => {} };
  return new IdleYield(policy);
}
