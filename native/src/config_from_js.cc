#include <string>

#include "js_events.h"

namespace edb {
namespace {

double number(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string("config.") + key + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

bool boolean(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsBoolean()) throw Napi::TypeError::New(o.Env(), std::string("config.") + key + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

std::string text(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsString()) throw Napi::TypeError::New(o.Env(), std::string("config.") + key + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

SyncMethod syncMethod(const Napi::Object& o) {
  const std::string s = text(o, "syncMethod");
  if (s == "none") return SyncMethod::None;
  if (s == "fdatasync") return SyncMethod::Fdatasync;
  if (s == "fsync") return SyncMethod::Fsync;
  if (s == "dsync") return SyncMethod::Dsync;
  if (s == "sync") return SyncMethod::Sync;
  throw Napi::TypeError::New(o.Env(), "config.syncMethod must be none, fdatasync, fsync, dsync or sync");
}

Prepare prepare(const Napi::Object& o) {
  const std::string s = text(o, "prepare");
  if (s == "fallocate") return Prepare::Fallocate;
  if (s == "truncate") return Prepare::Truncate;
  if (s == "none") return Prepare::None;
  if (s == "overwrite") return Prepare::Overwrite;
  throw Napi::TypeError::New(o.Env(), "config.prepare must be fallocate, truncate, none or overwrite");
}

}  // namespace

WriterConfig configFromJs(const Napi::Object& o) {
  WriterConfig c;
  c.path = text(o, "path");
  c.blockSize = static_cast<uint64_t>(number(o, "blockSize"));
  c.fileSize = static_cast<uint64_t>(number(o, "fileSize"));
  c.timeBased = boolean(o, "timeBased");
  c.durationNs = static_cast<int64_t>(number(o, "durationNs"));
  c.sync = syncMethod(o);
  c.syncEvery = static_cast<uint32_t>(number(o, "syncEvery"));
  c.direct = boolean(o, "direct");
  c.prepare = prepare(o);
  c.rateOpsPerSec = number(o, "rateOpsPerSec");
  // Optional hand-over tuning (benchmarks measure what per-op hand-over costs).
  if (o.Has("batchOps")) c.batchOps = static_cast<uint32_t>(number(o, "batchOps"));
  if (o.Has("flushIntervalNs")) c.flushIntervalNs = static_cast<int64_t>(number(o, "flushIntervalNs"));
  if (c.blockSize < 1 || c.syncEvery < 1 || c.batchOps < 1) throw Napi::RangeError::New(o.Env(), "config.blockSize, config.syncEvery and config.batchOps must be >= 1");
  if (c.timeBased && c.durationNs <= 0) throw Napi::RangeError::New(o.Env(), "config.timeBased needs config.durationNs > 0");
  return c;
}

}  // namespace edb
