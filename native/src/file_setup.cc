#include "file_setup.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace edb {
namespace {

// Writes `size` bytes of non-zero data and makes them durable, so that the
// measured writes overwrite allocated, written blocks.
std::optional<SysError> overwriteAll(int fd, uint64_t size, const std::string& path, const std::atomic<bool>& stop) {
  std::vector<char> chunk(1 << 20);
  for (size_t i = 0; i < chunk.size(); i++) chunk[i] = static_cast<char>((i * 2654435761u) >> 24);
  uint64_t done = 0;
  while (done < size && !stop.load(std::memory_order_relaxed)) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(chunk.size(), size - done));
    ssize_t n = pwrite(fd, chunk.data(), want, static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return lastError("write", path);
    }
    done += static_cast<uint64_t>(n);
  }
  if (fdatasync(fd) != 0) return lastError("fdatasync", path);
  return std::nullopt;
}

std::optional<SysError> layOut(int fd, const WriterConfig& config, const std::atomic<bool>& stop) {
  switch (config.prepare) {
    case Prepare::Fallocate:
      if (config.fileSize > 0 && fallocate(fd, 0, 0, static_cast<off_t>(config.fileSize)) != 0) {
        SysError e = lastError("fallocate", config.path);
        if (e.errnum == EOPNOTSUPP) e.detail = "this filesystem cannot fallocate; use --prepare truncate or none";
        return e;
      }
      return std::nullopt;
    case Prepare::Truncate:
      if (ftruncate(fd, static_cast<off_t>(config.fileSize)) != 0) return lastError("ftruncate", config.path);
      return std::nullopt;
    case Prepare::Overwrite:
      return overwriteAll(fd, config.fileSize, config.path, stop);
    case Prepare::None:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<SysError> prepareFile(const WriterConfig& config, const std::atomic<bool>& stop) {
  int fd = open(config.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return lastError("open", config.path);
  std::optional<SysError> failure = layOut(fd, config, stop);
  if (close(fd) != 0 && !failure) failure = lastError("close", config.path);
  return failure;
}

int openForWrites(const WriterConfig& config, SysError* error) {
  int flags = O_WRONLY | O_CLOEXEC;
  if (config.direct) flags |= O_DIRECT;
  if (config.sync == SyncMethod::Dsync) flags |= O_DSYNC;
  if (config.sync == SyncMethod::Sync) flags |= O_SYNC;
  int fd = open(config.path.c_str(), flags);
  if (fd < 0) {
    *error = lastError("open", config.path);
    if (config.direct && error->errnum == EINVAL) error->detail = "this filesystem does not support O_DIRECT (--direct)";
  }
  return fd;
}

}  // namespace edb
