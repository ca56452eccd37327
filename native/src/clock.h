// The one clock of the measured path: CLOCK_MONOTONIC in integer nanoseconds.
#pragma once
#include <cerrno>
#include <cstdint>
#include <ctime>

namespace edb {

inline int64_t nowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

// Sleeps until an absolute CLOCK_MONOTONIC time (open-loop pacing).
inline void sleepUntilNs(int64_t deadline) {
  timespec ts;
  ts.tv_sec = deadline / 1000000000LL;
  ts.tv_nsec = deadline % 1000000000LL;
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

}  // namespace edb
