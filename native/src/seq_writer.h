// The sequential writer (fio's shape): writes of one block size to one file,
// each followed (or not) by a sync, every syscall timed on its own.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "sink.h"

namespace edb {

enum class SyncMethod { None, Fdatasync, Fsync, Dsync, Sync };
enum class Prepare { Fallocate, Truncate, None, Overwrite };
// fio's fallocate= values, for --prepare fallocate.
enum class FallocateMode { Native, Posix, Keep, Truncate, None };

struct WriterConfig {
  std::string path;            // file to create (must not exist)
  uint64_t blockSize = 2300;   // bytes per write()
  uint64_t fileSize = 0;       // bytes of the file region written sequentially
  bool timeBased = false;      // wrap to offset 0 at fileSize until durationNs
  int64_t durationNs = 0;      // 0: no time limit
  SyncMethod sync = SyncMethod::Fdatasync;
  uint32_t syncEvery = 1;      // sync after every N writes
  bool direct = false;         // O_DIRECT with an aligned buffer
  Prepare prepare = Prepare::Fallocate;
  FallocateMode fallocate = FallocateMode::Native;
  bool invalidate = true;      // fio invalidate=1: drop the page cache at open and on each wrap
  bool endFsync = false;       // fio end_fsync=1: fsync before close
  double rateOpsPerSec = 0;    // > 0: open loop, each op has an intended start
  uint32_t batchOps = 4096;    // hand samples over after this many ops...
  // ...or after this long: 10 ms keeps each hand-over's work on the JS thread near 0.1 ms (at 100 ms it was a
  // 1-2 ms burst the woken writer could wait behind for a CPU; bench:tail, issue 41)
  int64_t flushIntervalNs = 10000000;
  int64_t slowOpNs = 50000000;         // ops this long report the CPU wait inside them ("slowop")
  bool fold = false;                   // hand ops over folded, a chunk per second (fold.h), not one by one
};

// Runs the whole job on the calling thread; returns when done, failed or stopped.
void runSeqWriter(const WriterConfig& config, const std::atomic<bool>& stop, WriterSink& sink);

}  // namespace edb
