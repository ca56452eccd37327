// The JS thread's scheduling policy while a native writer is measured. A
// thread in SCHED_IDLE is preempted at once by any normal thread that wakes
// on its CPU, so a writer woken by its I/O never waits behind the JS thread's
// batches, ticks or collections (nice 5, the step before, only shortened
// those waits: bench:tail, issue 41). The writers keep the default policy, as
// fio's thread does: the disk is not favoured over the host's other work.
// Going back to SCHED_OTHER needs CAP_SYS_NICE or an RLIMIT_NICE of at least
// 20, so a thread goes idle only after a throwaway thread made the round trip.
#pragma once

namespace edb {

// Puts the calling thread in SCHED_IDLE. False, with nothing changed, when it is not in SCHED_OTHER (a policy
// the user chose is kept) or when this process could not put it back.
bool idleCallingThread();

// Puts every thread of the process that is in SCHED_IDLE back in SCHED_OTHER: the calling thread, and the
// threads it started while idle, which inherited the policy. False when one could not be put back.
bool restoreFromIdle();

}  // namespace edb
