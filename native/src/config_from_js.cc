// Turns the config objects JS passes into the writers' C++ configs. JS has
// validated every value against the option table; this guards the boundary.
#include <string>

#include "commit_writer.h"
#include "js_events.h"
#include "neighbour_writer.h"
#include "seq_writer.h"
#include "wal_writer.h"

namespace edb {
namespace {

Napi::Error typeError(const Napi::Object& o, const std::string& key, const char* what) {
  return Napi::TypeError::New(o.Env(), "config." + key + " must be " + what);
}

double number(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) throw typeError(o, key, "a number");
  return v.As<Napi::Number>().DoubleValue();
}

double numberOr(const Napi::Object& o, const char* key, double fallback) {
  return o.Has(key) && !o.Get(key).IsUndefined() ? number(o, key) : fallback;
}

bool boolean(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsBoolean()) throw typeError(o, key, "a boolean");
  return v.As<Napi::Boolean>().Value();
}

std::string text(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsString()) throw typeError(o, key, "a string");
  return v.As<Napi::String>().Utf8Value();
}

// Picks one of `names` and returns its index in the list.
int choice(const Napi::Object& o, const char* key, std::initializer_list<const char*> names) {
  const std::string s = text(o, key);
  int i = 0;
  for (const char* n : names) {
    if (s == n) return i;
    i++;
  }
  throw typeError(o, key, "one of the names the option table allows");
}

void atLeastOne(const Napi::Object& o, std::initializer_list<double> values) {
  for (double v : values)
    if (v < 1) throw Napi::RangeError::New(o.Env(), "config sizes, counts and intervals must be >= 1");
}

WriterConfig seqConfig(const Napi::Object& o) {
  WriterConfig c;
  c.path = text(o, "path");
  c.blockSize = static_cast<uint64_t>(number(o, "blockSize"));
  c.fileSize = static_cast<uint64_t>(number(o, "fileSize"));
  c.timeBased = boolean(o, "timeBased");
  c.durationNs = static_cast<int64_t>(number(o, "durationNs"));
  c.sync = static_cast<SyncMethod>(choice(o, "syncMethod", {"none", "fdatasync", "fsync", "dsync", "sync"}));
  c.syncEvery = static_cast<uint32_t>(number(o, "syncEvery"));
  c.direct = boolean(o, "direct");
  c.prepare = static_cast<Prepare>(choice(o, "prepare", {"fallocate", "truncate", "none", "overwrite"}));
  if (o.Has("fallocate"))
    c.fallocate = static_cast<FallocateMode>(choice(o, "fallocate", {"native", "posix", "keep", "truncate", "none"}));
  if (o.Has("invalidate")) c.invalidate = boolean(o, "invalidate");
  if (o.Has("endFsync")) c.endFsync = boolean(o, "endFsync");
  c.rateOpsPerSec = number(o, "rateOpsPerSec");
  // Optional hand-over tuning (benchmarks measure what per-op hand-over costs).
  c.batchOps = static_cast<uint32_t>(numberOr(o, "batchOps", c.batchOps));
  c.flushIntervalNs = static_cast<int64_t>(numberOr(o, "flushIntervalNs", static_cast<double>(c.flushIntervalNs)));
  c.slowOpNs = static_cast<int64_t>(numberOr(o, "slowOpNs", static_cast<double>(c.slowOpNs)));
  if (o.Has("fold")) c.fold = boolean(o, "fold");
  atLeastOne(o, {static_cast<double>(c.blockSize), static_cast<double>(c.syncEvery), static_cast<double>(c.batchOps)});
  if (c.timeBased && c.durationNs <= 0) throw Napi::RangeError::New(o.Env(), "config.timeBased needs config.durationNs > 0");
  return c;
}

WalConfig walConfig(const Napi::Object& o) {
  WalConfig c;
  c.dir = text(o, "dir");
  c.segmentBytes = static_cast<uint64_t>(number(o, "segmentBytes"));
  c.recordMin = static_cast<uint64_t>(number(o, "recordMin"));
  c.recordMax = static_cast<uint64_t>(number(o, "recordMax"));
  c.batchMin = static_cast<uint32_t>(number(o, "batchMin"));
  c.batchMax = static_cast<uint32_t>(number(o, "batchMax"));
  c.durationNs = static_cast<int64_t>(number(o, "durationNs"));
  c.totalBytes = static_cast<uint64_t>(number(o, "totalBytes"));
  c.rateOpsPerSec = number(o, "rateOpsPerSec");
  c.keepSegments = static_cast<uint32_t>(number(o, "keepSegments"));
  c.seed = static_cast<uint64_t>(numberOr(o, "seed", 1));
  c.slowOpNs = static_cast<int64_t>(numberOr(o, "slowOpNs", static_cast<double>(c.slowOpNs)));
  if (o.Has("fold")) c.fold = boolean(o, "fold");
  c.flushIntervalNs = static_cast<int64_t>(numberOr(o, "flushIntervalNs", static_cast<double>(c.flushIntervalNs)));
  atLeastOne(o, {static_cast<double>(c.segmentBytes), static_cast<double>(c.recordMin), static_cast<double>(c.batchMin),
                 static_cast<double>(c.keepSegments)});
  if (c.recordMax < c.recordMin || c.batchMax < c.batchMin || c.recordMax > 1024 * 1024)
    throw Napi::RangeError::New(o.Env(), "config record/batch ranges must be min <= max, records at most 1 MiB");
  return c;
}

CommitConfig commitConfig(const Napi::Object& o) {
  CommitConfig c;
  c.path = text(o, "path");
  c.intervalNs = static_cast<int64_t>(number(o, "intervalNs"));
  c.pagesMin = static_cast<uint32_t>(number(o, "pagesMin"));
  c.pagesMax = static_cast<uint32_t>(number(o, "pagesMax"));
  c.growBytes = static_cast<uint64_t>(numberOr(o, "growBytes", static_cast<double>(c.growBytes)));
  c.maxBytes = static_cast<uint64_t>(numberOr(o, "maxBytes", static_cast<double>(c.maxBytes)));
  c.durationNs = static_cast<int64_t>(numberOr(o, "durationNs", 0));
  atLeastOne(o, {static_cast<double>(c.intervalNs), static_cast<double>(c.pagesMin), static_cast<double>(c.growBytes)});
  if (c.pagesMax < c.pagesMin) throw Napi::RangeError::New(o.Env(), "config.pagesMax must be >= pagesMin");
  return c;
}

NeighbourConfig neighbourConfig(const Napi::Object& o) {
  NeighbourConfig c;
  c.path = text(o, "path");
  c.blockBytes = static_cast<uint64_t>(number(o, "blockBytes"));
  c.fileBytes = static_cast<uint64_t>(number(o, "fileBytes"));
  c.bytesPerSec = number(o, "bytesPerSec");
  c.direct = boolean(o, "direct");
  c.durationNs = static_cast<int64_t>(numberOr(o, "durationNs", 0));
  atLeastOne(o, {static_cast<double>(c.blockBytes), static_cast<double>(c.fileBytes)});
  return c;
}

}  // namespace

WorkloadBody workloadFromJs(const std::string& kind, const Napi::Object& o) {
  using Stop = const std::atomic<bool>&;
  if (kind == "seq") return [c = seqConfig(o)](Stop stop, WriterSink& sink) { runSeqWriter(c, stop, sink); };
  if (kind == "wal") return [c = walConfig(o)](Stop stop, WriterSink& sink) { runWalWriter(c, stop, sink); };
  if (kind == "commit") return [c = commitConfig(o)](Stop stop, WriterSink& sink) { runCommitWriter(c, stop, sink); };
  if (kind == "neighbour") return [c = neighbourConfig(o)](Stop stop, WriterSink& sink) { runNeighbourWriter(c, stop, sink); };
  throw Napi::TypeError::New(o.Env(), "kind must be seq, wal, commit or neighbour");
}

}  // namespace edb
