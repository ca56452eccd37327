#include "neighbour_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "clock.h"
#include "io_util.h"

namespace edb {

void runNeighbourWriter(const NeighbourConfig& c, const std::atomic<bool>& stop, WriterSink& sink) {
  WriterSummary sum;
  int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | (c.direct ? O_DIRECT : 0);
  int fd = open(c.path.c_str(), flags, 0600);
  if (fd < 0) return sink.failed(lastError("open", c.path), sum);
  AlignedBuffer buf;
  if (!buf.allocate(c.blockBytes)) {
    close(fd);
    return sink.failed(SysError{ENOMEM, "posix_memalign", c.path, ""}, sum);
  }
  sink.prepared(0);
  const int64_t start = nowNs();
  int64_t end = start;
  uint64_t offset = 0;
  SysError failure;
  bool failed = false;
  while (!stop.load(std::memory_order_relaxed)) {
    if (c.durationNs > 0 && end - start >= c.durationNs) break;
    if (c.bytesPerSec > 0) {
      const int64_t due = start + static_cast<int64_t>(static_cast<double>(sum.bytes) * 1e9 / c.bytesPerSec);
      if (due > nowNs()) sleepUntilNs(due);
    }
    if (offset + c.blockBytes > c.fileBytes) {
      if (lseek(fd, 0, SEEK_SET) < 0) {
        failure = lastError("lseek", c.path);
        failed = true;
        break;
      }
      offset = 0;
    }
    if (writeAll(fd, buf.data, c.blockBytes) < 0) {
      failure = lastError("write", c.path);
      failed = true;
      break;
    }
    offset += c.blockBytes;
    sum.ops++;
    sum.bytes += c.blockBytes;
    end = nowNs();
  }
  sum.stopped = stop.load();
  sum.elapsedNs = end - start;
  close(fd);
  if (failed) return sink.failed(failure, sum);
  sink.done(sum);
}

}  // namespace edb
