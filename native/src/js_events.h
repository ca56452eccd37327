// The bridge between the writer thread and JavaScript: the `Writer` class JS
// constructs with a config and a callback. Events reach the callback in order
// through one thread-safe function: prepared, samples (Float64Array batches),
// then done or error. The thread never touches a JS value.
#pragma once
#include <napi.h>

#include <atomic>
#include <memory>
#include <thread>

#include "writer.h"

namespace edb {

struct WriterRun {
  WriterConfig config;
  std::atomic<bool> stop{false};
  Napi::ThreadSafeFunction tsfn;
  std::thread thread;
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

// Reads and checks the config object JS passed (JS validated it already;
// this only guards the boundary against wrong types).
WriterConfig configFromJs(const Napi::Object& o);

}  // namespace edb
