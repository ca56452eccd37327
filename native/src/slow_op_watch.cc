#include "slow_op_watch.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>

#include "clock.h"
#include "io_util.h"

namespace edb {

namespace {
constexpr int64_t kEveryNs = 10000000;   // a reading every 10 ms
constexpr size_t kRingReadings = 1000;    // the last 10 s: longer operations keep their first reading below
}  // namespace

SlowOpWatch::SlowOpWatch(int64_t slowNs) : slowNs_(slowNs) {}

SlowOpWatch::~SlowOpWatch() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) close(fd_);
}

void SlowOpWatch::attach() {
  if (slowNs_ <= 0) return;
  fd_ = openSchedstat(syscall(SYS_gettid));
  if (fd_ < 0) return;  // no schedstat on this kernel: nothing is reported, and the grader says so
  Snap first;
  if (read(&first)) ring_.push_back(first);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "edb-slowop");
    loop();
  });
}

bool SlowOpWatch::read(Snap* s) const {
  int64_t run = 0, wait = 0;
  if (!readSchedstat(fd_, &run, &wait)) return false;
  *s = Snap{nowNs(), run, wait};
  return true;
}

void SlowOpWatch::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    Snap s;
    const bool ok = read(&s);
    lock.lock();
    if (ok) {
      ring_.push_back(s);
      if (ring_.size() > kRingReadings) ring_.pop_front();
    }
    cv_.wait_for(lock, std::chrono::nanoseconds(kEveryNs), [this] { return stopping_; });
  }
}

void SlowOpWatch::after(int64_t startNs, int64_t endNs, int64_t runStart, Batch& out) {
  if (fd_ < 0 || endNs - startNs < slowNs_) return;
  Snap end;
  if (!read(&end)) return;
  Snap before{0, 0, 0};
  bool found = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = ring_.rbegin(); it != ring_.rend(); ++it)
      if (it->atNs <= startNs) {
        before = *it;
        found = true;
        break;
      }
  }
  if (!found) return;
  out.add(static_cast<double>(startNs - runStart), static_cast<double>(endNs - startNs),
          static_cast<double>(end.waitNs - before.waitNs), static_cast<double>(end.runNs - before.runNs),
          static_cast<double>(startNs - before.atNs));
}

}  // namespace edb
