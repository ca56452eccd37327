#include "seq_writer.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <memory>

#include "abi.h"
#include "clock.h"
#include "fio_layout.h"
#include "io_util.h"
#include "slow_op_watch.h"

namespace edb {
namespace {

bool syncsAfterWrite(const WriterConfig& c, uint64_t opIndex) {
  if (c.sync != SyncMethod::Fdatasync && c.sync != SyncMethod::Fsync) return false;
  return (opIndex + 1) % c.syncEvery == 0;
}

const char* syncName(SyncMethod m) { return m == SyncMethod::Fsync ? "fsync" : "fdatasync"; }

}  // namespace

void runSeqWriter(const WriterConfig& c, const std::atomic<bool>& stop, WriterSink& sink) {
  WriterSummary sum;
  int64_t prepStart = nowNs();
  if (auto err = fioLayOut(c, stop)) return sink.failed(*err, sum);
  SysError openErr;
  int fd = fioOpen(c, &openErr);
  if (fd < 0) return sink.failed(openErr, sum);
  sum.prepareNs = nowNs() - prepStart;
  sink.prepared(sum.prepareNs);

  AlignedBuffer buf;
  if (!buf.allocate(c.blockSize)) {
    close(fd);
    errno = ENOMEM;
    return sink.failed(lastError("posix_memalign", c.path), sum);
  }
  const size_t bs = static_cast<size_t>(c.blockSize);
  const double periodNs = c.rateOpsPerSec > 0 ? 1e9 / c.rateOpsPerSec : 0;
  Batch batch("seq", c.batchOps, c.fold);
  Batch slow("slowop", 64);
  SlowOpWatch watch(c.slowOpNs);
  watch.attach();
  uint64_t offset = 0;
  std::optional<SysError> failure;

  const int64_t runStart = nowNs();
  int64_t lastEnd = runStart;
  int64_t lastFlush = runStart;
  for (uint64_t i = 0;; i++) {
    if (stop.load(std::memory_order_relaxed)) {
      sum.stopped = true;
      break;
    }
    int64_t intended = periodNs > 0 ? runStart + static_cast<int64_t>(static_cast<double>(i) * periodNs) : 0;
    if (c.durationNs > 0 && std::max(lastEnd, intended) - runStart >= c.durationNs) break;
    if (offset + bs > c.fileSize) {
      if (!c.timeBased) break;
      fioOnWrap(c, fd);
      if (lseek(fd, 0, SEEK_SET) < 0) {
        failure = lastError("lseek", c.path);
        break;
      }
      offset = 0;
    }
    // Vary the block a little each time, as fio's scramble_buffers does.
    *reinterpret_cast<uint64_t*>(buf.data) = i;
    if (periodNs > 0 && nowNs() < intended) sleepUntilNs(intended);

    const int64_t t0 = nowNs();
    const ssize_t n = writeAll(fd, buf.data, bs);
    const int64_t t1 = nowNs();
    if (n < 0) {
      failure = lastError("write", c.path);
      if (c.direct && failure->errnum == EINVAL)
        failure->detail = "O_DIRECT rejected a write of " + std::to_string(bs) +
                          " bytes: the block size must be a multiple of the device's logical block size";
      break;
    }
    double syncNs = -1;
    int64_t t2 = t1;
    if (syncsAfterWrite(c, i)) {
      const int rc = c.sync == SyncMethod::Fsync ? fsync(fd) : fdatasync(fd);
      t2 = nowNs();
      if (rc != 0) {
        failure = lastError(syncName(c.sync), c.path);
        break;
      }
      syncNs = static_cast<double>(t2 - t1);
      sum.syncs++;
    }
    offset += bs;
    sum.ops++;
    sum.bytes += bs;
    lastEnd = t2;
    batch.add(static_cast<double>(t0 - runStart), static_cast<double>(t1 - t0), syncNs,
              static_cast<double>(t2 - t0), periodNs > 0 ? static_cast<double>(t2 - intended) : -1);
    watch.after(t0, t2, runStart, slow);
    const bool due = t2 - lastFlush >= c.flushIntervalNs;
    if (due || batch.full()) {
      batch.handOver(sink, due);  // full: batchOps reached, or with fold a second ended
      slow.handTo(sink);
      lastFlush = t2;
    }
  }
  sum.elapsedNs = lastEnd - runStart;
  // Context switches of this thread during the run: an involuntary one means
  // the scheduler preempted the measuring thread, and that wait is in a sample.
  rusage ru{};
  if (getrusage(RUSAGE_THREAD, &ru) == 0)
    sum.extra = {{counter::kVoluntarySwitches, static_cast<double>(ru.ru_nvcsw)},
                 {counter::kInvoluntarySwitches, static_cast<double>(ru.ru_nivcsw)}};
  batch.handTo(sink);
  slow.handTo(sink);
  // fio backend.c: with end_fsync, one fsync of the file when the job's I/O is done.
  if (c.endFsync && !failure && fsync(fd) != 0) failure = lastError("fsync", c.path);
  if (close(fd) != 0 && !failure) failure = lastError("close", c.path);
  if (failure) return sink.failed(*failure, sum);
  sink.done(sum);
}

}  // namespace edb
