// The JS thread's scheduling policy while a native writer is measured. A
// thread in SCHED_IDLE is preempted at once by any normal thread that wakes
// on its CPU, so a writer woken by its I/O never waits behind the JS thread's
// batches, ticks or collections (nice 5, the step before, only shortened
// those waits: bench:tail, issue 41). The writers keep the default policy, as
// fio's thread does: the disk is not favoured over the host's other work.
// Going back to SCHED_OTHER needs CAP_SYS_NICE or an RLIMIT_NICE of at least
// 20, so a thread goes idle only after a throwaway thread made the round trip.
//
// On a saturated host an idle thread gets almost no CPU (weight 3 against
// 1024), and the JS thread also samples the host's evidence each second. A
// guard thread (SCHED_OTHER) reads the idle thread's state and schedstat every
// 50 ms; the first time it waited for a CPU 100 ms of the last 150, or was
// ready at every reading of them with under 15 ms on a CPU (a wait is counted
// only once it ends), the guard puts it back in SCHED_OTHER for the run. The guard
// runs outside the thread it watches: a timer on the starved thread itself
// fires only when that thread gets a CPU, which beside six CPU hogs and a
// busy disk took seconds (CI, 2026-12-07).
#pragma once

namespace edb {

// Puts the calling thread in SCHED_IDLE, under a guard. False, with nothing changed, when it is not in SCHED_OTHER
// (a policy the user chose is kept), when this process could not put it back, or when one is idle already.
bool idleCallingThread();

// Stops the guard and puts every thread of the process that is in SCHED_IDLE back in SCHED_OTHER: the idle
// thread, and the threads it started while idle, which inherited the policy. False when one could not be put back.
bool restoreFromIdle();

// Whether the guard of the last idle spell found the thread starved and put it back early.
bool starvedWhileIdle();

}  // namespace edb
