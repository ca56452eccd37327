#include "fio_layout.h"

#include "io_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace edb {
namespace {

// fio filesetup.c __file_invalidate_cache(): posix_fadvise(fd, off, len, POSIX_FADV_DONTNEED) for a regular
// file. Failure is not fatal in fio ("Cache flushing isn't a fatal condition"), nor here.
void dropCache(int fd, uint64_t off, uint64_t len) {
  (void)posix_fadvise(fd, static_cast<off_t>(off), static_cast<off_t>(len), POSIX_FADV_DONTNEED);
}

// fio filesetup.c fallocate_file(): the --fallocate modes (FIO_FALLOCATE_NATIVE is fio_fallocate(f, 0, size),
// fallocate(2) mode 0 on Linux; POSIX is posix_fallocate; KEEP_SIZE is fallocate with FALLOC_FL_KEEP_SIZE;
// TRUNCATE is ftruncate). fio only logs a failed native fallocate; an unsupported one here names the way out.
std::optional<SysError> allocate(int fd, const WriterConfig& c) {
  const off_t size = static_cast<off_t>(c.fileSize);
  if (size == 0) return std::nullopt;
  switch (c.fallocate) {
    case FallocateMode::Native:
      if (fallocate(fd, 0, 0, size) != 0) {
        SysError e = lastError("fallocate", c.path);
        if (e.errnum == EOPNOTSUPP) e.detail = "this filesystem cannot fallocate; use --fallocate truncate or none";
        return e;
      }
      return std::nullopt;
    case FallocateMode::Posix: {
      const int r = posix_fallocate(fd, 0, size);
      if (r != 0) {
        errno = r;
        return lastError("posix_fallocate", c.path);
      }
      return std::nullopt;
    }
    case FallocateMode::Keep:
      if (fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, size) != 0) return lastError("fallocate", c.path);
      return std::nullopt;
    case FallocateMode::Truncate:
      if (ftruncate(fd, size) != 0) return lastError("ftruncate", c.path);
      return std::nullopt;
    case FallocateMode::None:
      return std::nullopt;
  }
  return std::nullopt;
}

// fio filesetup.c extend_file() with overwrite=1 (a "new layout"): ftruncate to the size, the whole file written
// in blocks of the job's size, then fsync (create_fsync, default 1).
std::optional<SysError> writeWhole(int fd, const WriterConfig& c, const std::atomic<bool>& stop) {
  if (ftruncate(fd, static_cast<off_t>(c.fileSize)) != 0) return lastError("ftruncate", c.path);
  std::vector<char> block(static_cast<size_t>(c.blockSize));
  for (size_t i = 0; i < block.size(); i++) block[i] = static_cast<char>((i * 2654435761u) >> 24);
  uint64_t left = c.fileSize;
  while (left > 0 && !stop.load(std::memory_order_relaxed)) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(left, block.size()));
    // writeAll retries EINTR and short writes, and takes a write of 0 bytes as a full disk (it would loop for ever).
    if (writeAll(fd, block.data(), n) < 0) return lastError("write", c.path);
    left -= n;
  }
  if (fsync(fd) != 0) return lastError("fsync", c.path);
  return std::nullopt;
}

}  // namespace

std::optional<SysError> fioLayOut(const WriterConfig& c, const std::atomic<bool>& stop) {
  const bool newLayout = c.prepare == Prepare::Overwrite;
  // extend_file(): a write job without overwrite unlinks the file first. Ours is always new (ENOENT); where unlink
  // fails otherwise (EROFS, EACCES) the O_EXCL open below fails with the same error and names the open, as before.
  (void)unlink(c.path.c_str());
  // extend_file(): O_WRONLY, O_CREAT (allow_file_create), O_TRUNC for a new layout, mode 0644. O_EXCL and
  // O_CLOEXEC are ours (never an existing file; no fd for a child process), and change no I/O.
  int fd = open(c.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | (newLayout ? O_TRUNC : 0), 0644);
  if (fd < 0) return lastError("open", c.path);
  std::optional<SysError> failure;
  // --prepare none and truncate are fio's fallocate=none and fallocate=truncate.
  if (c.prepare == Prepare::Fallocate || newLayout) failure = allocate(fd, c);
  else if (c.prepare == Prepare::Truncate && ftruncate(fd, static_cast<off_t>(c.fileSize)) != 0)
    failure = lastError("ftruncate", c.path);
  if (!failure && newLayout) failure = writeWhole(fd, c, stop);
  // setup_files(): __file_invalidate_cache(td, f, old_len, extend_len) after every extend, whatever invalidate says.
  if (!failure) dropCache(fd, 0, c.fileSize);
  if (close(fd) != 0 && !failure) failure = lastError("close", c.path);
  return failure;
}

int fioOpen(const WriterConfig& c, SysError* error) {
  // filesetup.c generic_open_file(): O_RDWR and O_CREAT for a write job (mode 0600), O_DIRECT for direct=1, the
  // sync flags for sync=1/dsync.
  int flags = O_RDWR | O_CREAT | O_CLOEXEC;
  if (c.direct) flags |= O_DIRECT;
  if (c.sync == SyncMethod::Dsync) flags |= O_DSYNC;
  if (c.sync == SyncMethod::Sync) flags |= O_SYNC;
  const int fd = open(c.path.c_str(), flags, 0600);
  if (fd < 0) {
    *error = lastError("open", c.path);
    if (c.direct && error->errnum == EINVAL) error->detail = "this filesystem does not support O_DIRECT (--direct)";
    return -1;
  }
  // ioengines.c td_io_open_file(): invalidate (default 1) drops the cache, then fadvise_hint (default 1, the
  // I/O pattern's hint) says POSIX_FADV_SEQUENTIAL for sequential I/O over the file's region.
  if (c.invalidate) dropCache(fd, 0, c.fileSize);
  (void)posix_fadvise(fd, 0, static_cast<off_t>(c.fileSize), POSIX_FADV_SEQUENTIAL);
  return fd;
}

void fioOnWrap(const WriterConfig& c, int fd) {
  // io_u.c get_next_seq_offset() -> loop_cache_invalidate(): "if (o->invalidate_cache && !o->odirect)".
  if (c.invalidate && !c.direct) dropCache(fd, 0, c.fileSize);
}

}  // namespace edb
