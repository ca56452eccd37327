// The WAL-faithful writer: etcd's write path for Raft entries. Records are
// framed as etcd frames them into 64,000,000-byte preallocated segments; each
// Raft batch is one write() then one fdatasync; a full segment is cut the way
// etcd cuts it (truncate, fdatasync, take the preallocated file, a few small
// records, fdatasync, rename, fsync the directory).
#pragma once
#include <atomic>
#include <cstdint>
#include <string>

#include "sink.h"

namespace edb {

struct WalConfig {
  std::string dir;                    // an existing, empty directory for the segments
  uint64_t segmentBytes = 64000000;   // etcd's SegmentSizeBytes
  uint64_t recordMin = 2200;          // entry data size, drawn uniformly per record
  uint64_t recordMax = 2400;
  uint32_t batchMin = 1;              // records per Raft batch, drawn uniformly
  uint32_t batchMax = 1;
  int64_t durationNs = 0;             // stop after this long (0: no limit)...
  uint64_t totalBytes = 0;            // ...or after this many bytes (0: no limit)
  double rateOpsPerSec = 0;           // batches per second; > 0: open loop
  uint32_t keepSegments = 5;          // older segments are purged (etcd --max-wals)
  uint64_t seed = 1;
  uint32_t batchOps = 4096;
  int64_t flushIntervalNs = 100000000;
  int64_t slowOpNs = 50000000;        // batches this long report the CPU wait inside them ("slowop")
  bool fold = false;                  // hand batches over folded, a chunk per second (fold.h)
};

// Reports "wal" samples (one per batch: write, fdatasync, total, response)
// and "cut" samples (one per segment cut: total cut time).
void runWalWriter(const WalConfig& config, const std::atomic<bool>& stop, WriterSink& sink);

}  // namespace edb
