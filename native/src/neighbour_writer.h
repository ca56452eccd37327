// A noisy neighbour: large sequential writes to its own file, flat out or at a
// set bandwidth, buffered or O_DIRECT, while the measured writer runs. It
// reports only what it achieved (bytes and time), not latencies.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>

#include "sink.h"

namespace edb {

struct NeighbourConfig {
  std::string path;                       // file to create
  uint64_t blockBytes = 1024 * 1024;      // bytes per write()
  uint64_t fileBytes = 1024ull << 20;     // wrap to the start here
  double bytesPerSec = 0;                 // 0: flat out
  bool direct = false;
  int64_t durationNs = 0;                 // 0: until stopped
};

void runNeighbourWriter(const NeighbourConfig& config, const std::atomic<bool>& stop, WriterSink& sink);

}  // namespace edb
