#include "segment_pipeline.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace edb {

SegmentPipeline::SegmentPipeline(std::string dir, uint64_t segmentBytes)
    : dir_(std::move(dir)), segmentBytes_(segmentBytes), thread_([this] { loop(); }) {}

SegmentPipeline::~SegmentPipeline() { stop(); }

void SegmentPipeline::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (readyFd_ >= 0) close(readyFd_);
  readyFd_ = -1;
}

void SegmentPipeline::drainPurges(std::unique_lock<std::mutex>& lock) {
  while (!purges_.empty()) {
    std::string p = std::move(purges_.front());
    purges_.pop_front();
    lock.unlock();
    const bool ok = unlink(p.c_str()) == 0;
    lock.lock();
    if (ok) purged_++;
  }
}

// etcd's fileutil.Preallocate with extend: fallocate, and on a filesystem without it (ENOTSUP, EOPNOTSUPP) or when
// interrupted (EINTR), extend the file with ftruncate instead.
bool SegmentPipeline::preallocate(int fd, bool* fellBack) {
  if (fallocate(fd, 0, 0, static_cast<off_t>(segmentBytes_)) == 0) return true;
  if (errno != ENOTSUP && errno != EOPNOTSUPP && errno != EINTR) return false;
  *fellBack = true;
  return ftruncate(fd, static_cast<off_t>(segmentBytes_)) == 0;
}

void SegmentPipeline::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    drainPurges(lock);
    if (readyFd_ < 0 && !error_) {
      // etcd names them 0.tmp and 1.tmp, alternating.
      std::string path = dir_ + "/" + std::to_string(count_ % 2) + ".tmp";
      count_++;
      lock.unlock();
      std::optional<SysError> err;
      bool fellBack = false;
      int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0) {
        err = lastError("open", path);
      } else if (!preallocate(fd, &fellBack)) {
        err = lastError(fellBack ? "ftruncate" : "fallocate", path);
        close(fd);
        fd = -1;
      }
      lock.lock();
      if (fellBack && fd >= 0) fallbacks_++;
      if (err) error_ = err;
      readyFd_ = fd;
      readyPath_ = path;
      cv_.notify_all();
      continue;
    }
    cv_.wait(lock, [this] { return stopping_ || (readyFd_ < 0 && !error_) || !purges_.empty(); });
  }
  drainPurges(lock);  // a purge asked for is a purge done, even at the end
}

int SegmentPipeline::take(std::string* path, SysError* error) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return readyFd_ >= 0 || error_.has_value(); });
  if (readyFd_ < 0) {
    *error = *error_;
    return -1;
  }
  int fd = readyFd_;
  *path = readyPath_;
  readyFd_ = -1;
  cv_.notify_all();
  return fd;
}

void SegmentPipeline::purge(std::string path) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    purges_.push_back(std::move(path));
  }
  cv_.notify_all();
}

}  // namespace edb
