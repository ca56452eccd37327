#include "wal_writer.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <deque>
#include <optional>
#include <vector>

#include "abi.h"
#include "clock.h"
#include "io_util.h"
#include "segment_pipeline.h"
#include "slow_op_watch.h"
#include "wal_record.h"

namespace edb {
namespace {

constexpr size_t kPageWriterBytes = 128 * 1024;  // etcd's encoder buffer
constexpr size_t kPoolBytes = 2 * 1024 * 1024;   // random bytes records are cut from

std::string walName(uint64_t seq, uint64_t index) {
  char name[48];
  std::snprintf(name, sizeof name, "%016llx-%016llx.wal", static_cast<unsigned long long>(seq),
                static_cast<unsigned long long>(index));
  return name;
}

class WalRun {
 public:
  WalRun(const WalConfig& c, const std::atomic<bool>& stop, WriterSink& sink)
      : c_(c), stop_(stop), sink_(sink), pipeline_(c.dir, c.segmentBytes), rng_(c.seed),
        wal_("wal", c.batchOps, c.fold), cuts_("cut", 64), cutSyncs_("cutsync", 128), slow_("slowop", 64), watch_(c.slowOpNs) {}

  void run() {
    const int64_t prepStart = nowNs();
    dirFd_ = open(c_.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd_ < 0) return finish(lastError("open", c_.dir));
    if (!pool_.allocate(kPoolBytes)) return finish(SysError{ENOMEM, "posix_memalign", c_.dir, ""});
    SysError err;
    if (!openSegment(kSnapshot, &err)) return finish(err);
    sum_.prepareNs = nowNs() - prepStart;
    sink_.prepared(sum_.prepareNs);
    watch_.attach();
    loop();
  }

 private:
  void loop() {
    const double periodNs = c_.rateOpsPerSec > 0 ? 1e9 / c_.rateOpsPerSec : 0;
    runStart_ = nowNs();
    int64_t lastEnd = runStart_, lastFlush = runStart_;
    for (uint64_t i = 0;; i++) {
      if (stop_.load(std::memory_order_relaxed)) {
        sum_.stopped = true;
        break;
      }
      const int64_t intended = periodNs > 0 ? runStart_ + static_cast<int64_t>(static_cast<double>(i) * periodNs) : 0;
      if (c_.durationNs > 0 && std::max(lastEnd, intended) - runStart_ >= c_.durationNs) break;
      if (c_.totalBytes > 0 && sum_.bytes >= c_.totalBytes) break;
      encodeBatch();
      if (periodNs > 0 && nowNs() < intended) sleepUntilNs(intended);
      SysError err;
      if (!saveBatch(intended, &lastEnd, &err)) {
        sum_.elapsedNs = lastEnd - runStart_;
        return finish(err);
      }
      const bool due = lastEnd - lastFlush >= c_.flushIntervalNs;
      if (due || wal_.full()) {
        wal_.handOver(sink_, due);  // full: batchOps reached, or with fold a second ended
        cuts_.handTo(sink_);
        cutSyncs_.handTo(sink_);
        slow_.handTo(sink_);
        lastFlush = lastEnd;
      }
    }
    sum_.elapsedNs = lastEnd - runStart_;
    finish(std::nullopt);
  }

  // K entry records and the hard state, as one Raft Ready would save them.
  void encodeBatch() {
    buf_.clear();
    const uint32_t k = static_cast<uint32_t>(rng_.between(c_.batchMin, c_.batchMax));
    for (uint32_t r = 0; r < k; r++) {
      const size_t len = static_cast<size_t>(rng_.between(c_.recordMin, c_.recordMax));
      const size_t off = static_cast<size_t>(rng_.between(0, kPoolBytes - len));
      enc_.append(buf_, kEntry, pool_.data + off, len);
    }
    enc_.append(buf_, kState, pool_.data, 16);
    batchRecords_ = k;
  }

  // One write() (in 128 KiB pieces beyond the page writer's buffer), then one
  // fdatasync, or a cut when the segment is full: what etcd's WAL.Save does.
  bool saveBatch(int64_t intended, int64_t* lastEnd, SysError* err) {
    const int64_t t0 = nowNs();
    for (size_t done = 0; done < buf_.size(); done += kPageWriterBytes) {
      const size_t len = std::min(kPageWriterBytes, buf_.size() - done);
      if (writeAll(fd_, buf_.data() + done, len) < 0) return fail(err, "write", segPath_);
    }
    const int64_t t1 = nowNs();
    curOff_ += buf_.size();
    index_ += batchRecords_;
    tally_.records += batchRecords_;
    int64_t syncNs = 0;
    if (curOff_ < c_.segmentBytes) {
      if (fdatasync(fd_) != 0) return fail(err, "fdatasync", segPath_);
      syncNs = nowNs() - t1;
    } else if (!cut(&syncNs, err)) {
      return false;
    }
    const int64_t t2 = nowNs();
    sum_.ops++;
    sum_.syncs++;
    sum_.bytes += buf_.size();
    *lastEnd = t2;
    wal_.add(static_cast<double>(t0 - runStart_), static_cast<double>(t1 - t0), static_cast<double>(syncNs),
             static_cast<double>(t2 - t0), intended > 0 ? static_cast<double>(t2 - intended) : -1);
    watch_.after(t0, t2, runStart_, slow_);
    return true;
  }

  // etcd's cut(): truncate the tail at the current offset, fdatasync, then
  // open the next (preallocated) segment with its header records.
  bool cut(int64_t* batchSyncNs, SysError* err) {
    const int64_t t0 = nowNs();
    if (ftruncate(fd_, static_cast<off_t>(curOff_)) != 0) return fail(err, "ftruncate", segPath_);
    const int64_t t1 = nowNs();
    if (fdatasync(fd_) != 0) return fail(err, "fdatasync", segPath_);
    *batchSyncNs = nowNs() - t1;
    close(fd_);
    fd_ = -1;
    seq_++;
    if (!openSegment(kState, err)) return false;
    const int64_t t2 = nowNs();
    tally_.cuts++;
    cuts_.add(static_cast<double>(t0 - runStart_), static_cast<double>(headerWriteNs_),
              static_cast<double>(*batchSyncNs + headerSyncNs_), static_cast<double>(t2 - t0), -1);
    return true;
  }

  // Takes the preallocated file, writes crc + metadata + (snapshot|state)
  // records, fdatasyncs, renames it to its WAL name and fsyncs the directory.
  bool openSegment(WalRecordType third, SysError* err) {
    std::string tmp;
    fd_ = pipeline_.take(&tmp, err);
    if (fd_ < 0) return false;
    segPath_ = tmp;
    enc_ = WalEncoder(enc_.crc());
    buf_.clear();
    enc_.append(buf_, kCrc, nullptr, 0);
    enc_.append(buf_, kMetadata, pool_.data, 24);
    enc_.append(buf_, third, pool_.data + 64, 24);
    const int64_t t0 = nowNs();
    if (writeAll(fd_, buf_.data(), buf_.size()) < 0) return fail(err, "write", tmp);
    const int64_t t1 = nowNs();
    if (fdatasync(fd_) != 0) return fail(err, "fdatasync", tmp);
    const int64_t t2 = nowNs();
    // etcd names the first segment 0-0, then seq+1 - (index of the next entry).
    const std::string name = c_.dir + "/" + walName(seq_, seq_ == 0 ? 0 : index_ + 1);
    if (rename(tmp.c_str(), name.c_str()) != 0) return fail(err, "rename", tmp);
    const int64_t t3 = nowNs();
    if (fsync(dirFd_) != 0) return fail(err, "fsync", c_.dir);
    const int64_t t4 = nowNs();
    headerWriteNs_ = t1 - t0;
    headerSyncNs_ = (t2 - t1) + (t4 - t3);
    // etcd observes each of these in etcd_disk_wal_fsync_duration_seconds: one sample each
    // (not during preparation, before the clock starts).
    if (runStart_ > 0) {
      cutSyncs_.add(static_cast<double>(t1 - runStart_), 0, static_cast<double>(t2 - t1), static_cast<double>(t2 - t1), -1);
      cutSyncs_.add(static_cast<double>(t3 - runStart_), 0, static_cast<double>(t4 - t3), static_cast<double>(t4 - t3), -1);
    }
    tally_.dirFsyncs++;
    tally_.segments++;
    segPath_ = name;
    curOff_ = buf_.size();
    segments_.push_back(name);
    while (segments_.size() > c_.keepSegments) {
      pipeline_.purge(segments_.front());
      segments_.pop_front();
    }
    return true;
  }

  bool fail(SysError* err, const char* syscall, const std::string& path) {
    *err = lastError(syscall, path);
    return false;
  }

  void finish(std::optional<SysError> failure) {
    wal_.handTo(sink_);
    cuts_.handTo(sink_);
    cutSyncs_.handTo(sink_);
    slow_.handTo(sink_);
    if (fd_ >= 0) close(fd_);
    if (dirFd_ >= 0) close(dirFd_);
    pipeline_.stop();  // so the purge count below includes every purge asked for
    sum_.extra = {{counter::kSegments, static_cast<double>(tally_.segments)},
                  {counter::kCuts, static_cast<double>(tally_.cuts)},
                  {counter::kDirFsyncs, static_cast<double>(tally_.dirFsyncs)},
                  {counter::kRecords, static_cast<double>(tally_.records)},
                  {counter::kPurged, static_cast<double>(pipeline_.purged())},
                  {counter::kPreallocFallbacks, static_cast<double>(pipeline_.fallbacks())}};
    rusage ru{};
    if (getrusage(RUSAGE_THREAD, &ru) == 0) {
      sum_.extra.emplace_back(counter::kVoluntarySwitches, static_cast<double>(ru.ru_nvcsw));
      sum_.extra.emplace_back(counter::kInvoluntarySwitches, static_cast<double>(ru.ru_nivcsw));
    }
    if (failure) return sink_.failed(*failure, sum_);
    sink_.done(sum_);
  }

  struct Tally {
    uint64_t segments = 0, cuts = 0, dirFsyncs = 0, records = 0;
  };

  const WalConfig& c_;
  const std::atomic<bool>& stop_;
  WriterSink& sink_;
  SegmentPipeline pipeline_;
  Rng rng_;
  // cutSyncs_: each fsync of a segment cut other than the tail's (that one is the batch's sync): the new
  // segment's header fdatasync and the directory fsync.
  // slow_: for each batch at least slowOpNs long, the CPU wait measured inside it (slow_op_watch.h).
  Batch wal_, cuts_, cutSyncs_, slow_;
  SlowOpWatch watch_;
  AlignedBuffer pool_;
  WalEncoder enc_;
  std::vector<char> buf_;
  std::deque<std::string> segments_;
  std::string segPath_;
  WriterSummary sum_;
  Tally tally_;
  int fd_ = -1, dirFd_ = -1;
  uint64_t curOff_ = 0, seq_ = 0, index_ = 0;
  uint32_t batchRecords_ = 0;
  int64_t runStart_ = 0, headerWriteNs_ = 0, headerSyncNs_ = 0;
};

}  // namespace

void runWalWriter(const WalConfig& config, const std::atomic<bool>& stop, WriterSink& sink) {
  WalRun(config, stop, sink).run();
}

}  // namespace edb
