#include "io_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace edb {

AlignedBuffer::~AlignedBuffer() { std::free(data); }

bool AlignedBuffer::allocate(size_t want) {
  size_t rounded = (want + 4095) / 4096 * 4096;
  if (rounded == 0) rounded = 4096;
  void* p = nullptr;
  if (posix_memalign(&p, 4096, rounded) != 0) return false;
  std::free(data);
  data = static_cast<char*>(p);
  size = rounded;
  Rng rng(rounded);
  for (size_t i = 0; i + 8 <= rounded; i += 8) {
    uint64_t v = rng.next();
    for (int b = 0; b < 8; b++) data[i + b] = static_cast<char>(v >> (8 * b));
  }
  return true;
}

namespace {

// Calls `once(done)` (a write or pwrite of the rest) until `len` bytes are
// written, retrying EINTR and treating a zero-byte write as a full disk.
template <typename Once>
ssize_t writeFully(size_t len, Once once) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = once(done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) {
      errno = ENOSPC;
      return -1;
    }
    done += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

}  // namespace

ssize_t writeAll(int fd, const char* data, size_t len) {
  return writeFully(len, [&](size_t done) { return write(fd, data + done, len - done); });
}

ssize_t pwriteAll(int fd, const char* data, size_t len, off_t offset) {
  return writeFully(len, [&](size_t done) { return pwrite(fd, data + done, len - done, offset + static_cast<off_t>(done)); });
}

int openSchedstat(long tid) {
  const std::string path = "/proc/self/task/" + std::to_string(tid) + "/schedstat";
  return open(path.c_str(), O_RDONLY | O_CLOEXEC);
}

bool readSchedstat(int fd, int64_t* runNs, int64_t* waitNs) {
  char buf[96];
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return false;
  buf[n] = '\0';
  long long run = 0, wait = 0;
  if (std::sscanf(buf, "%lld %lld", &run, &wait) != 2) return false;
  *runNs = run;
  *waitNs = wait;
  return true;
}

}  // namespace edb
