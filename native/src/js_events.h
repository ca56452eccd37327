// The bridge between writer threads and JavaScript: the `Workload` class JS
// constructs with a kind ("seq", "wal", "commit", "neighbour"), a config and a
// callback. Each workload is one thread; its events reach the callback in order
// through one thread-safe function: prepared, samples (Float64Array batches
// tagged with their stream), then done or error, each a call whose arguments
// abi.h lists. The thread never touches a JS value.
#pragma once
#include <napi.h>

#include <atomic>
#include <memory>
#include <functional>
#include <string>
#include <thread>

#include "seq_writer.h"

namespace edb {

// What a workload thread runs: one of the run*Writer functions, bound to its config.
using WorkloadBody = std::function<void(const std::atomic<bool>& stop, WriterSink& sink)>;

struct WriterRun {
  WorkloadBody body;
  std::string threadName;  // "edb-" and the kind, at most 15 bytes: what top -H and ftrace show
  std::atomic<bool> stop{false};
  Napi::ThreadSafeFunction tsfn;
  std::thread thread;
  // JS thread only: the one buffer every sample batch is copied into. A new
  // ArrayBuffer per batch is external memory V8 counts; about 6 MB/s of them
  // set off a full mark-compact mid-run, whose parallel phases took both CPUs
  // from the writer (issue 41). JS reads a batch during the callback only.
  Napi::Reference<Napi::ArrayBuffer> scratch;
};

class JsWriter : public Napi::ObjectWrap<JsWriter> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit JsWriter(const Napi::CallbackInfo& info);
  ~JsWriter() override;

 private:
  Napi::Value Stop(const Napi::CallbackInfo& info);
  std::shared_ptr<WriterRun> run_;
};

// Reads and checks the config object JS passed for `kind` (JS validated it
// already; this only guards the boundary against wrong types).
WorkloadBody workloadFromJs(const std::string& kind, const Napi::Object& config);

}  // namespace edb
