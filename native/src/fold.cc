#include "fold.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace edb {
namespace {

// src/stats/histogram.ts: 1 ns to 60 s, 3 significant digits, so HDR's sub-buckets hold 2048 values (half of
// them 1024) and a value's bucket is 53 minus the leading zeros of (value | 2047).
constexpr int64_t kHighestNs = 60'000'000'000;
constexpr int kHalfMagnitude = 10;
constexpr int64_t kSubMask = 2047;
constexpr size_t kCounts = 27 << kHalfMagnitude;  // buckets 0..25 reach 60 s

// What LatencyHistogram.record does to a value before recording it: rounded, at least 1.
int64_t recorded(double ns) { return std::max<int64_t>(1, static_cast<int64_t>(std::floor(ns + 0.5))); }

size_t indexOf(int64_t v) {
  const int bucket = 53 - __builtin_clzll(static_cast<uint64_t>(v | kSubMask));
  const int64_t sub = v >> bucket;
  return static_cast<size_t>(((bucket + 1) << kHalfMagnitude) + (sub - (int64_t{1} << kHalfMagnitude)));
}

// The lowest value of the bucket at `index`: recorded, it lands in that bucket.
double valueAt(size_t index) {
  int bucket = static_cast<int>(index >> kHalfMagnitude) - 1;
  int64_t sub = static_cast<int64_t>(index & ((size_t{1} << kHalfMagnitude) - 1)) + (int64_t{1} << kHalfMagnitude);
  if (bucket < 0) {
    bucket = 0;
    sub -= int64_t{1} << kHalfMagnitude;
  }
  return static_cast<double>(sub << bucket);
}

}  // namespace

int logBucketOf(double ns) {
  if (ns <= 32000) return 0;
  return static_cast<int>(std::min<double>(FOLD_LOG_BUCKETS - 1, std::ceil(std::log2(ns / 32000))));
}

ColumnFold::ColumnFold() : counts_(kCounts) { touched_.reserve(4096); }

void ColumnFold::add(double ns) {
  if (values_ == 0 || ns < min_) min_ = ns;
  if (values_ == 0 || ns > max_) max_ = ns;
  values_++;
  const int64_t v = recorded(ns);
  if (v > kHighestNs) {
    over_++;
    return;
  }
  const size_t i = indexOf(v);
  if (counts_[i]++ == 0) touched_.push_back(static_cast<uint32_t>(i));
}

void ColumnFold::take(double ns) {
  const int64_t v = recorded(ns);
  if (v > kHighestNs) over_--;
  else counts_[indexOf(v)]--;
}

void ColumnFold::appendTo(std::vector<double>& out) {
  if (values_ >= 1) take(min_);
  if (values_ >= 2) take(max_);
  const size_t head = out.size();
  out.push_back(0);  // pairs, filled in below
  out.push_back(static_cast<double>(values_));
  out.push_back(values_ >= 1 ? min_ : -1);
  out.push_back(values_ >= 2 ? max_ : -1);
  double pairs = 0;
  for (const uint32_t i : touched_) {
    if (counts_[i] == 0) continue;
    // The bucket's lowest value, or the minimum where that is higher (its own bucket): recorded, no pair moves
    // the histogram's minimum below the true one.
    out.push_back(std::max(valueAt(i), min_));
    out.push_back(counts_[i]);
    counts_[i] = 0;
    pairs++;
  }
  if (over_ > 0) {
    out.push_back(static_cast<double>(kHighestNs + 1));  // clamped and counted as such on the JS side
    out.push_back(static_cast<double>(over_));
    pairs++;
  }
  out[head] = pairs;
  touched_.clear();
  over_ = 0;
  values_ = 0;
}

void OpFold::add(double start, double write, double sync, double total, double response) {
  const double end = start + total;
  const double second = std::floor(end / 1e9);
  if (ops_ > 0 && second != second_) closed_.push_back(cut(second));
  second_ = second;
  lastEnd_ = end;
  ops_++;
  write_.add(write);
  op_.add(total);
  if (sync >= 0) {
    sync_.add(sync);
    logBuckets_[logBucketOf(sync)]++;
  }
  if (response >= 0) response_.add(response);
}

std::vector<std::vector<double>> OpFold::takeClosed() { return std::exchange(closed_, {}); }

std::vector<double> OpFold::takeOpen() { return cut(-1); }

std::vector<double> OpFold::cut(double nextSecond) {
  std::vector<double> out;
  out.reserve(FOLD_HEADER + FOLD_LOG_BUCKETS + 4 * 4 + 2 * 8192);
  out.insert(out.end(), {second_, nextSecond, static_cast<double>(ops_), lastEnd_});
  write_.appendTo(out);
  sync_.appendTo(out);
  op_.appendTo(out);
  response_.appendTo(out);
  for (uint64_t& n : logBuckets_) {
    out.push_back(static_cast<double>(n));
    n = 0;
  }
  ops_ = 0;
  return out;
}

}  // namespace edb
