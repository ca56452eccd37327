// The backend-commit stream: what bbolt does on each etcd backend commit
// (every 100 ms by default). Dirty 4 KiB pages of a growing file are written
// with pwrite in page order, fdatasync, one meta page, fdatasync again; the
// file grows in fixed steps with truncate + fsync.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>

#include "sink.h"

namespace edb {

struct CommitConfig {
  std::string path;                      // the db file to create
  int64_t intervalNs = 100000000;        // etcd's backend batch interval
  uint32_t pagesMin = 8;                 // dirty pages per commit, drawn uniformly
  uint32_t pagesMax = 32;
  uint32_t pageBytes = 4096;
  uint64_t growBytes = 16 * 1024 * 1024; // file growth step
  uint64_t maxBytes = 256 * 1024 * 1024; // stop growing here; reuse pages instead
  int64_t durationNs = 0;                // 0: until stopped
  uint64_t seed = 2;
};

// Reports "commit" samples: start, pwrite time, both fdatasyncs, total, and
// response from the tick the commit was due at.
void runCommitWriter(const CommitConfig& config, const std::atomic<bool>& stop, WriterSink& sink);

}  // namespace edb
