// etcd's filePipeline: a background thread that keeps the next WAL segment
// preallocated (fallocate to the full segment size; where the filesystem has no
// fallocate, ftruncate, as etcd's fileutil.Preallocate falls back) so a cut only has to take
// it, and that removes old segments (etcd purges them off the write path too).
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "sys_error.h"

namespace edb {

class SegmentPipeline {
 public:
  SegmentPipeline(std::string dir, uint64_t segmentBytes);
  ~SegmentPipeline();  // stop()s

  // Finishes the purges asked for, stops the thread and joins it. Idempotent.
  void stop();

  // Blocks until a preallocated file is ready. Returns its fd (path in *path),
  // or -1 with *error filled when preallocation failed.
  int take(std::string* path, SysError* error);
  // Asks the background thread to unlink `path`.
  void purge(std::string path);
  uint64_t purged() const { return purged_; }
  // Segments preallocated with ftruncate because fallocate was not supported (or interrupted).
  uint64_t fallbacks() const { return fallbacks_; }

 private:
  void loop();
  void drainPurges(std::unique_lock<std::mutex>& lock);
  bool preallocate(int fd, bool* fellBack);

  const std::string dir_;
  const uint64_t segmentBytes_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  int readyFd_ = -1;
  std::string readyPath_;
  std::optional<SysError> error_;
  std::deque<std::string> purges_;
  uint64_t count_ = 0;
  uint64_t purged_ = 0;
  uint64_t fallbacks_ = 0;
  std::thread thread_;
};

}  // namespace edb
