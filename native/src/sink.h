// What every writer thread reports through, and the batch it fills. The
// writers know nothing of Node; js_events.cc implements WriterSink.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fold.h"
#include "sys_error.h"

namespace edb {

// One operation = SAMPLE_STRIDE doubles, all in nanoseconds:
// start offset from the run's start, write part, sync part (-1: none), total
// (what the caller waited), response from the intended start (-1: unpaced).
constexpr int SAMPLE_STRIDE = 5;

struct WriterSummary {
  uint64_t ops = 0;
  uint64_t bytes = 0;
  uint64_t syncs = 0;
  int64_t prepareNs = 0;
  int64_t elapsedNs = 0;  // run start to last op end
  bool stopped = false;   // stop() was called before the planned end
  // Writer-specific counts (segments cut, directory fsyncs, ...), by name.
  std::vector<std::pair<std::string, double>> extra;
};

class WriterSink {
 public:
  virtual ~WriterSink() = default;
  virtual void prepared(int64_t prepareNs) = 0;
  // `stream` names what the samples measure ("seq", "wal", "cut", "commit").
  virtual void samples(const char* stream, std::vector<double>&& batch) = 0;
  // A chunk of the stream's operations folded into counts (fold.h).
  virtual void folded(const char* stream, std::vector<double>&& chunk) = 0;
  virtual void done(const WriterSummary& summary) = 0;
  virtual void failed(const SysError& error, const WriterSummary& soFar) = 0;
};

// Collects samples and hands them over every `ops` operations or when asked;
// with `fold`, folds them into a chunk per second (fold.h), handed over as each
// second ends or when asked.
class Batch {
 public:
  Batch(const char* stream, uint32_t ops, bool fold = false)
      : stream_(stream), capacity_(static_cast<size_t>(ops) * SAMPLE_STRIDE) {
    if (fold) fold_ = std::make_unique<OpFold>();
    else fresh();
  }
  void add(double start, double write, double sync, double total, double response) {
    if (fold_) return fold_->add(start, write, sync, total, response);
    buf_.push_back(start);
    buf_.push_back(write);
    buf_.push_back(sync);
    buf_.push_back(total);
    buf_.push_back(response);
  }
  bool full() const { return fold_ ? fold_->hasClosed() : buf_.size() >= capacity_; }
  void handTo(WriterSink& sink) {
    if (fold_) {
      handClosedTo(sink);
      if (fold_->hasOpen()) sink.folded(stream_, fold_->takeOpen());
      return;
    }
    if (buf_.empty()) return;
    sink.samples(stream_, std::move(buf_));
    fresh();
  }
  // Everything when `due`; otherwise (full) only the chunks whole seconds closed, with `fold`.
  void handOver(WriterSink& sink, bool due) { due ? handTo(sink) : handClosedTo(sink); }
  // With `fold`: hands over only the chunks whole seconds closed.
  void handClosedTo(WriterSink& sink) {
    if (!fold_) return handTo(sink);
    for (auto& chunk : fold_->takeClosed()) sink.folded(stream_, std::move(chunk));
  }

 private:
  void fresh() {
    buf_ = std::vector<double>();
    buf_.reserve(capacity_);
  }
  const char* stream_;
  size_t capacity_;
  std::vector<double> buf_;
  std::unique_ptr<OpFold> fold_;
};

}  // namespace edb
