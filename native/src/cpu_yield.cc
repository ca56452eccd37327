#include "cpu_yield.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "io_util.h"

namespace edb {

namespace {

constexpr auto kWatchEvery = std::chrono::milliseconds(50);
constexpr int kWindowReads = 3;                  // the last 150 ms
constexpr int64_t kStarvedWaitNs = 100'000'000;  // ready without a CPU for 100 ms of them,
constexpr int64_t kStarvedRunNs = 15'000'000;    // or ready throughout with under 15 ms on a CPU

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

// What the guard reads of a thread: whether it is ready to run (state R), its time on a CPU and its run-queue wait
// so far. The wait is counted only when a wait ends: a thread that never gets a CPU shows none, so a thread seen
// ready at every reading while its CPU time hardly grows is starved too.
struct Reading {
  bool ready;
  int64_t runNs;
  int64_t waitNs;
};

bool readOf(int statFd, int schedstatFd, Reading* r) {
  int64_t run = 0, wait = 0;
  if (!readSchedstat(schedstatFd, &run, &wait)) return false;
  char buf[512];
  const ssize_t n = pread(statFd, buf, sizeof buf - 1, 0);
  if (n <= 0) return false;
  buf[n] = '\0';
  const char* close = std::strrchr(buf, ')');  // the command name may hold anything but ends at the last ')'
  if (close == nullptr || close[1] == '\0') return false;
  *r = Reading{close[2] == 'R', run, wait};
  return true;
}

// Watches one idle thread until stopped or until it finds it starved (then puts it back and ends).
class Guard {
 public:
  Guard(pid_t tid, int statFd, int schedstatFd) : tid_(tid), statFd_(statFd), schedstatFd_(schedstatFd) {
    thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "edb-idleguard");
      watch();
    });
  }

  ~Guard() {
    finish();
    close(statFd_);
    close(schedstatFd_);
  }

  // Stops the guard and waits for it; then whether it found the thread starved.
  bool finish() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    return starved_;
  }

 private:
  void watch() {
    // The ring holds the last kWindowReads + 1 readings: the window's start and every reading in it.
    Reading ring[kWindowReads + 1];
    if (!readOf(statFd_, schedstatFd_, &ring[0])) return;  // unreadable: nothing to judge by, it stays idle
    std::unique_lock<std::mutex> lock(mu_);
    for (int i = 1; !stopping_; i++) {
      if (cv_.wait_for(lock, kWatchEvery, [this] { return stopping_; })) return;
      Reading& now = ring[i % (kWindowReads + 1)];
      if (!readOf(statFd_, schedstatFd_, &now)) return;  // the thread is gone
      if (i < kWindowReads) continue;                     // a whole window first
      if (!starved(ring[(i + 1) % (kWindowReads + 1)], now, ring)) continue;
      // A refusal here shows in restoreFromIdle, which tries again.
      if (sched_getscheduler(tid_) == SCHED_IDLE) setPolicy(tid_, SCHED_OTHER);
      starved_ = true;
      return;
    }
  }

  // From `start` to `now`: waited kStarvedWaitNs, or ready at every reading of `ring` with under kStarvedRunNs on a CPU.
  static bool starved(const Reading& start, const Reading& now, const Reading (&ring)[kWindowReads + 1]) {
    if (now.waitNs - start.waitNs >= kStarvedWaitNs) return true;
    for (const Reading& r : ring)
      if (!r.ready) return false;
    return now.runNs - start.runNs < kStarvedRunNs;
  }

  const pid_t tid_;
  const int statFd_;
  const int schedstatFd_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool starved_ = false;  // written by the guard thread, read after its join
  std::thread thread_;
};

// One idle spell at a time, begun and ended on the JS thread.
Guard* guard = nullptr;
bool lastStarved = false;

}  // namespace

bool idleCallingThread() {
  if (guard != nullptr || sched_getscheduler(0) != SCHED_OTHER || !roundTripAllowed()) return false;
  const pid_t self = static_cast<pid_t>(syscall(SYS_gettid));
  const std::string stat = "/proc/self/task/" + std::to_string(self) + "/stat";
  const int statFd = open(stat.c_str(), O_RDONLY | O_CLOEXEC);
  const int schedstatFd = openSchedstat(self);
  // Without them nothing could tell a starved thread: it stays as it is.
  if (statFd < 0 || schedstatFd < 0) {
    if (statFd >= 0) close(statFd);
    if (schedstatFd >= 0) close(schedstatFd);
    return false;
  }
  // The guard starts first, so it inherits SCHED_OTHER.
  guard = new Guard(self, statFd, schedstatFd);
  lastStarved = false;
  if (setPolicy(0, SCHED_IDLE)) return true;
  delete guard;
  guard = nullptr;
  return false;
}

bool restoreFromIdle() {
  if (guard != nullptr) {
    lastStarved = guard->finish();  // after this it changes nothing
    delete guard;
    guard = nullptr;
  }
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

bool starvedWhileIdle() { return lastStarved; }

}  // namespace edb
