#include "cpu_yield.h"

#include <dirent.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

namespace edb {

namespace {

bool setPolicy(pid_t tid, int policy) {
  sched_param p{};
  p.sched_priority = 0;
  return sched_setscheduler(tid, policy, &p) == 0;
}

// The round trip on a thread of its own: the caller's policy is never at stake.
bool roundTripAllowed() {
  bool ok = false;
  std::thread probe([&ok] {
    const pid_t self = static_cast<pid_t>(syscall(SYS_gettid));
    ok = setPolicy(self, SCHED_IDLE) && setPolicy(self, SCHED_OTHER);
  });
  probe.join();
  return ok;
}

}  // namespace

bool idleCallingThread() {
  if (sched_getscheduler(0) != SCHED_OTHER) return false;
  return roundTripAllowed() && setPolicy(0, SCHED_IDLE);
}

bool restoreFromIdle() {
  DIR* tasks = opendir("/proc/self/task");
  if (tasks == nullptr) return sched_getscheduler(0) != SCHED_IDLE || setPolicy(0, SCHED_OTHER);
  bool ok = true;
  while (const dirent* e = readdir(tasks)) {
    if (e->d_name[0] == '.') continue;
    const pid_t tid = static_cast<pid_t>(std::atoi(e->d_name));
    // A thread that has ended since the listing is gone from the question too.
    if (sched_getscheduler(tid) == SCHED_IDLE && !setPolicy(tid, SCHED_OTHER)) ok = false;
  }
  closedir(tasks);
  return ok;
}

}  // namespace edb
