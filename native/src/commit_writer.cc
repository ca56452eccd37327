#include "abi.h"
#include "commit_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <vector>

#include "clock.h"
#include "io_util.h"

namespace edb {
namespace {

class CommitRun {
 public:
  CommitRun(const CommitConfig& c, const std::atomic<bool>& stop, WriterSink& sink)
      : c_(c), stop_(stop), sink_(sink), rng_(c.seed), batch_("commit", 1024) {}

  void run() {
    const int64_t prepStart = nowNs();
    fd_ = open(c_.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) return finish(lastError("open", c_.path));
    if (!page_.allocate(c_.pageBytes)) return finish(SysError{ENOMEM, "posix_memalign", c_.path, ""});
    if (auto err = grow()) return finish(err);
    sum_.prepareNs = nowNs() - prepStart;
    sink_.prepared(sum_.prepareNs);
    const int64_t start = nowNs();
    int64_t tick = start;
    int64_t lastEnd = start;
    while (!stop_.load(std::memory_order_relaxed)) {
      tick += c_.intervalNs;
      // A Go ticker keeps at most one missed tick: skip the rest.
      const int64_t now = nowNs();
      if (now - tick > c_.intervalNs) tick = start + (now - start) / c_.intervalNs * c_.intervalNs;
      if (c_.durationNs > 0 && tick - start >= c_.durationNs) break;
      if (tick > now) sleepUntilNs(tick);
      if (stop_.load(std::memory_order_relaxed)) break;
      if (auto err = commit(start, tick, &lastEnd)) {
        sum_.elapsedNs = lastEnd - start;
        return finish(err);
      }
      batch_.handTo(sink_);
    }
    sum_.stopped = stop_.load();
    sum_.elapsedNs = lastEnd - start;
    finish(std::nullopt);
  }

 private:
  // The file grows by one step: truncate + fsync, as bbolt's grow does.
  std::optional<SysError> grow() {
    fileBytes_ += c_.growBytes;
    if (ftruncate(fd_, static_cast<off_t>(fileBytes_)) != 0) return lastError("ftruncate", c_.path);
    if (fsync(fd_) != 0) return lastError("fsync", c_.path);
    grows_++;
    return std::nullopt;
  }

  // Dirty pages: a quarter appended at the high-water mark while the file may
  // still grow, the rest scattered over pages already in use.
  void pickPages() {
    pages_.clear();
    const uint32_t m = static_cast<uint32_t>(rng_.between(c_.pagesMin, c_.pagesMax));
    const uint64_t maxPages = c_.maxBytes / c_.pageBytes;
    uint32_t appended = 0;
    for (uint32_t i = 0; i < m; i++) {
      if (i < m / 4 + 1 && hwm_ < maxPages) {
        pages_.push_back(hwm_++);
        appended++;
      } else {
        pages_.push_back(rng_.between(2, hwm_ - 1));
      }
    }
    std::sort(pages_.begin(), pages_.end());
    pages_.erase(std::unique(pages_.begin(), pages_.end()), pages_.end());
  }

  std::optional<SysError> commit(int64_t start, int64_t tick, int64_t* lastEnd) {
    pickPages();
    const int64_t t0 = nowNs();
    if (hwm_ * c_.pageBytes > fileBytes_)
      if (auto err = grow()) return err;
    for (uint64_t p : pages_) {
      *reinterpret_cast<uint64_t*>(page_.data) = p;
      if (pwriteAll(fd_, page_.data, c_.pageBytes, static_cast<off_t>(p * c_.pageBytes)) < 0) return lastError("pwrite", c_.path);
    }
    const int64_t t1 = nowNs();
    if (fdatasync(fd_) != 0) return lastError("fdatasync", c_.path);
    const int64_t t2 = nowNs();
    const off_t meta = static_cast<off_t>((sum_.ops % 2) * c_.pageBytes);
    if (pwriteAll(fd_, page_.data, c_.pageBytes, meta) < 0) return lastError("pwrite", c_.path);
    const int64_t t3 = nowNs();
    if (fdatasync(fd_) != 0) return lastError("fdatasync", c_.path);
    const int64_t t4 = nowNs();
    sum_.ops++;
    sum_.syncs += 2;
    sum_.bytes += (pages_.size() + 1) * c_.pageBytes;
    pagesWritten_ += pages_.size() + 1;
    *lastEnd = t4;
    batch_.add(static_cast<double>(t0 - start), static_cast<double>((t1 - t0) + (t3 - t2)),
               static_cast<double>((t2 - t1) + (t4 - t3)), static_cast<double>(t4 - t0), static_cast<double>(t4 - tick));
    return std::nullopt;
  }

  void finish(std::optional<SysError> failure) {
    batch_.handTo(sink_);
    if (fd_ >= 0) close(fd_);
    sum_.extra = {{counter::kPagesWritten, static_cast<double>(pagesWritten_)},
                  {counter::kGrows, static_cast<double>(grows_)},
                  {counter::kFileBytes, static_cast<double>(fileBytes_)}};
    if (failure) return sink_.failed(*failure, sum_);
    sink_.done(sum_);
  }

  const CommitConfig& c_;
  const std::atomic<bool>& stop_;
  WriterSink& sink_;
  Rng rng_;
  Batch batch_;
  AlignedBuffer page_;
  std::vector<uint64_t> pages_;
  WriterSummary sum_;
  int fd_ = -1;
  uint64_t fileBytes_ = 0, hwm_ = 4, grows_ = 0, pagesWritten_ = 0;
};

}  // namespace

void runCommitWriter(const CommitConfig& config, const std::atomic<bool>& stop, WriterSink& sink) {
  CommitRun(config, stop, sink).run();
}

}  // namespace edb
