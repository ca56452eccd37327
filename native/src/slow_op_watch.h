// The CPU wait inside a slow operation, measured rather than inferred: a
// watcher thread reads the writer thread's schedstat (run time, run-queue
// wait) every 10 ms into a short ring; when an operation turns out slow, the
// writer reads its own schedstat at the end and subtracts the last reading
// from before the operation began. The difference bounds the time it was ready
// to run but had no CPU inside the operation (over by at most the wait in the
// few ms between that reading and the start, which is reported as slack).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "sink.h"

namespace edb {

class SlowOpWatch {
 public:
  // Operations at least `slowNs` long are reported (0: none, and no thread is started).
  explicit SlowOpWatch(int64_t slowNs);
  ~SlowOpWatch();
  SlowOpWatch(const SlowOpWatch&) = delete;
  SlowOpWatch& operator=(const SlowOpWatch&) = delete;

  // Called on the writer thread before its first operation: watches the calling thread.
  void attach();
  // After an operation from startNs to endNs (CLOCK_MONOTONIC): when slow, adds to `out` one sample of
  // (start from runStart, duration, run-queue wait inside at most, run time inside at most, slack).
  void after(int64_t startNs, int64_t endNs, int64_t runStart, Batch& out);

 private:
  struct Snap {
    int64_t atNs, runNs, waitNs;
  };
  bool read(Snap* s) const;
  void loop();

  const int64_t slowNs_;
  int fd_ = -1;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::deque<Snap> ring_;
  std::thread thread_;
};

}  // namespace edb
