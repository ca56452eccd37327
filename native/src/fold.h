// Folds a writer's operations into per-second chunks of counts, so the JS
// thread records a few thousand (value, count) pairs a second instead of every
// operation (issue 41: that per-operation work on the JS thread was the
// writer's extra tail). Each value is the lowest of its bucket in the layout
// src/stats/histogram.ts builds (HDR, 1 ns to 60 s, 3 significant digits), so
// recording the pairs gives the very histogram the operations would have
// given; the exact minimum and maximum travel beside them.
//
// A chunk, as float64s (src/stats/folded.ts reads it):
//   second, nextSecond (the second that cut it, or -1), ops, last end (ns from the run's start),
//   then write, sync, op (write+sync) and response, each: pairs, values, min, max, (value, count) x pairs
//   (min and max are not among the pairs; values counts them), then the sync values' 16 log-bucket counts.
#pragma once
#include <cstdint>
#include <vector>

namespace edb {

constexpr int FOLD_HEADER = 4;
constexpr int FOLD_LOG_BUCKETS = 16;

// One latency column of the chunk being folded.
class ColumnFold {
 public:
  ColumnFold();
  void add(double ns);
  bool empty() const { return values_ == 0; }
  // Appends this column's part of a chunk and starts afresh.
  void appendTo(std::vector<double>& out);

 private:
  void take(double ns);  // takes one value (min or max) back out of the counts
  std::vector<uint32_t> counts_;
  std::vector<uint32_t> touched_;
  uint64_t over_ = 0;  // values past the histogram's range (src/stats/histogram.ts clamps and counts them)
  uint64_t values_ = 0;
  double min_ = 0, max_ = 0;
};

// The four columns of a writer's operations, cut into one chunk per second of completion.
class OpFold {
 public:
  // Adds one operation (the sample layout of sink.h). A second change closes the current chunk first.
  void add(double start, double write, double sync, double total, double response);
  bool hasClosed() const { return !closed_.empty(); }
  bool hasOpen() const { return ops_ > 0; }
  // The chunks second changes closed, oldest first; then the open one (cut mid-second, nextSecond -1).
  std::vector<std::vector<double>> takeClosed();
  std::vector<double> takeOpen();

 private:
  std::vector<double> cut(double nextSecond);
  ColumnFold write_, sync_, op_, response_;
  uint64_t logBuckets_[FOLD_LOG_BUCKETS] = {};
  double second_ = 0;
  double lastEnd_ = 0;
  uint64_t ops_ = 0;
  std::vector<std::vector<double>> closed_;
};

// The log bucket src/stats/log-buckets.ts puts `ns` in: 0 up to 32 us, then one per doubling, the last open.
int logBucketOf(double ns);

}  // namespace edb
