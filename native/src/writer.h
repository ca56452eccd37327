// The measured writer: sequential writes of one block size to one file, each
// followed (or not) by a sync, every syscall timed on its own. It knows
// nothing of Node: it reports to a WriterSink, which js_events.cc bridges.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "sys_error.h"

namespace edb {

enum class SyncMethod { None, Fdatasync, Fsync, Dsync, Sync };
enum class Prepare { Fallocate, Truncate, None, Overwrite };

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
  double rateOpsPerSec = 0;    // > 0: open loop, each op has an intended start
  uint32_t batchOps = 4096;    // hand samples over after this many ops...
  int64_t flushIntervalNs = 100000000;  // ...or after this long
};

// One operation = SAMPLE_STRIDE doubles, all in nanoseconds:
// start offset from the run's start, write(), sync (-1: none), service time
// (write start to sync end), response time (intended start to end; -1: unpaced).
constexpr int SAMPLE_STRIDE = 5;

struct WriterSummary {
  uint64_t ops = 0;
  uint64_t bytes = 0;
  uint64_t syncs = 0;
  int64_t prepareNs = 0;
  int64_t elapsedNs = 0;  // first op start to last op end
  bool stopped = false;   // stop() was called before the planned end
};

class WriterSink {
 public:
  virtual ~WriterSink() = default;
  virtual void prepared(int64_t prepareNs) = 0;
  virtual void samples(std::vector<double>&& batch) = 0;
  virtual void done(const WriterSummary& summary) = 0;
  virtual void failed(const SysError& error, const WriterSummary& soFar) = 0;
};

// Runs the whole job on the calling thread; returns when done, failed or stopped.
void runWriter(const WriterConfig& config, const std::atomic<bool>& stop, WriterSink& sink);

}  // namespace edb
