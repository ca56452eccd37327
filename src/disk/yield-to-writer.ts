// While a native writer is measured, the JS thread yields the CPU to it. That
// thread does everything else of the run (its batches, the ticks and, since V8
// runs without background threads, the garbage collection and compiles); on a
// 2-core host the writer, woken by its I/O, otherwise waited behind it for a
// CPU inside its fdatasync (bench:tail, issue 41). The thread goes into
// SCHED_IDLE, where a writer waking on its CPU preempts it at once: traced, the
// writer's wait behind it fell from 31 to 6 ms a recipe run, and the operations
// it delayed by over 50 us from 148 to 5 (nice 5, the step before, had left
// most of those waits). Coming back needs CAP_SYS_NICE or a high RLIMIT_NICE:
// the addon tries the round trip on a throwaway thread first, and where it
// fails nothing changes and the report says so. The writers keep the default
// policy, as fio's thread does: the disk is not favoured over the host's other
// work. A thread inherits its creator's policy, so the JS thread yields only
// once the workloads' threads exist.

/** The addon's two calls (native/src/cpu_yield.h). */
export interface ThreadPolicy {
  idleThisThread(): boolean;
  restoreFromIdle(): boolean;
}

export interface Yielding {
  /** The JS thread's policy during the run: 'idle' (SCHED_IDLE), or null when it was left as it was. */
  policyDuring: 'idle' | null;
  /** Puts the JS thread, and any thread it started meanwhile, back; throws if Linux refused. */
  restore(): void;
}

/** Puts the calling (JS) thread in SCHED_IDLE when it can come back; restore() brings it back. */
export function yieldToWriter(policy: ThreadPolicy | null): Yielding {
  if (!policy?.idleThisThread()) return { policyDuring: null, restore: () => {} };
  return {
    policyDuring: 'idle',
    restore: () => {
      if (!policy.restoreFromIdle())
        throw new Error('could not put the JS thread back from SCHED_IDLE after the disk writer ran');
    },
  };
}
