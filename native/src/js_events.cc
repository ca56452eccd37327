#include "js_events.h"

#include "abi.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <utility>

namespace edb {
namespace {

struct Event {
  EventKind kind;
  int stream = 0;  // index into STREAM_NAMES, with kSamples
  std::vector<double> samples;
  WriterSummary summary;
  SysError error;
  int64_t prepareNs = 0;
  int64_t tid = 0;  // the writer thread's Linux id, with kPrepared
};

int indexOf(const char* stream) {
  for (size_t i = 0; i < std::size(STREAM_NAMES); i++)
    if (std::strcmp(STREAM_NAMES[i], stream) == 0) return static_cast<int>(i);
  std::abort();  // a writer reporting a stream abi.h does not declare: a build error
}

Napi::Object summaryToJs(Napi::Env env, const WriterSummary& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("ops", static_cast<double>(s.ops));
  o.Set("bytes", static_cast<double>(s.bytes));
  o.Set("syncs", static_cast<double>(s.syncs));
  o.Set("prepareNs", static_cast<double>(s.prepareNs));
  o.Set("elapsedNs", static_cast<double>(s.elapsedNs));
  o.Set("stopped", s.stopped);
  Napi::Object extra = Napi::Object::New(env);
  for (const auto& [name, value] : s.extra) extra.Set(name, value);
  o.Set("extra", extra);
  return o;
}

// Shaped like Node's fs errors: "ENOENT: no such file or directory, open '/x'".
Napi::Error errorToJs(Napi::Env env, const SysError& e) {
  const char* code = uv_err_name(-e.errnum);
  std::string message = std::string(code) + ": " + uv_strerror(-e.errnum) + ", " + e.syscall + " '" + e.path + "'";
  if (!e.detail.empty()) message += " (" + e.detail + ")";
  Napi::Error err = Napi::Error::New(env, message);
  Napi::Object o = err.Value();
  o.Set("errno", Napi::Number::New(env, -e.errnum));
  o.Set("code", Napi::String::New(env, code));
  o.Set("syscall", Napi::String::New(env, e.syscall));
  o.Set("path", Napi::String::New(env, e.path));
  if (!e.detail.empty()) o.Set("detail", Napi::String::New(env, e.detail));
  return err;
}

// A view of the run's scratch buffer holding `samples`, the buffer grown when a batch does not fit.
Napi::Float64Array batchToJs(Napi::Env env, WriterRun& run, const std::vector<double>& samples) {
  const size_t bytes = samples.size() * sizeof(double);
  if (run.scratch.IsEmpty() || run.scratch.Value().ByteLength() < bytes)
    run.scratch = Napi::Persistent(Napi::ArrayBuffer::New(env, std::max<size_t>(bytes, 64 * 1024)));
  Napi::ArrayBuffer ab = run.scratch.Value();
  std::memcpy(ab.Data(), samples.data(), bytes);
  return Napi::Float64Array::New(env, samples.size(), ab, 0);
}

// Delivers one event on the JS thread. Exceptions from the callback must not
// escape here (node-addon-api would swallow them and exit 0): the JS side
// catches its own, and anything left is reported as an uncaught error.
// The run outlives every queued call: the thread-safe function's finalizer holds it.
void deliver(Napi::Env env, Napi::Function callback, WriterRun* run, Event* ev) {
  std::unique_ptr<Event> owned(ev);
  if (env == nullptr || callback.IsEmpty()) return;
  try {
    const Event& event = *owned;
    const auto num = [env](double x) { return Napi::Number::New(env, x); };
    switch (event.kind) {
      case kPrepared:
        callback.Call({num(kPrepared), num(static_cast<double>(event.prepareNs)), num(static_cast<double>(event.tid))});
        break;
      case kSamples:
      case kFolded:
        callback.Call({num(event.kind), num(event.stream), batchToJs(env, *run, event.samples)});
        break;
      case kDone:
        callback.Call({num(kDone), summaryToJs(env, event.summary)});
        break;
      case kFailed:
        callback.Call({num(kFailed), errorToJs(env, event.error).Value(), summaryToJs(env, event.summary)});
        break;
    }
  } catch (const Napi::Error& e) {
    napi_fatal_exception(env, e.Value());
  }
}

class TsfnSink : public WriterSink {
 public:
  explicit TsfnSink(WriterRun* run) : run_(run) {}
  // Called on the writer thread: its id lets JS read the thread's run-queue wait (schedstat).
  void prepared(int64_t prepareNs) override {
    send(new Event{kPrepared, 0, {}, {}, {}, prepareNs, static_cast<int64_t>(syscall(SYS_gettid))});
  }
  void samples(const char* stream, std::vector<double>&& batch) override {
    send(new Event{kSamples, indexOf(stream), std::move(batch), {}, {}, 0});
  }
  void folded(const char* stream, std::vector<double>&& chunk) override {
    send(new Event{kFolded, indexOf(stream), std::move(chunk), {}, {}, 0});
  }
  void done(const WriterSummary& s) override { send(new Event{kDone, 0, {}, s, {}, 0}); }
  void failed(const SysError& e, const WriterSummary& s) override {
    send(new Event{kFailed, 0, {}, s, e, 0});
  }

 private:
  void send(Event* ev) {
    WriterRun* run = run_;
    auto call = [run](Napi::Env env, Napi::Function callback, Event* e) { deliver(env, callback, run, e); };
    if (run_->tsfn.NonBlockingCall(ev, call) != napi_ok) delete ev;
  }
  WriterRun* run_;
};

}  // namespace

Napi::Function JsWriter::Define(Napi::Env env) {
  return DefineClass(env, "Workload", {InstanceMethod("stop", &JsWriter::Stop)});
}

JsWriter::JsWriter(const Napi::CallbackInfo& info) : Napi::ObjectWrap<JsWriter>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsObject() || !info[2].IsFunction())
    throw Napi::TypeError::New(env, "new Workload(kind, config, onEvent): kind string, config object and callback required");
  run_ = std::make_shared<WriterRun>();
  const std::string kind = info[0].As<Napi::String>().Utf8Value();
  run_->body = workloadFromJs(kind, info[1].As<Napi::Object>());
  run_->threadName = ("edb-" + kind).substr(0, 15);
  // The finalizer holds its own reference: the run outlives this JS object
  // until the thread has finished and been joined.
  auto* keep = new std::shared_ptr<WriterRun>(run_);
  run_->tsfn = Napi::ThreadSafeFunction::New(
      env, info[2].As<Napi::Function>(), "etcd-disk-bench-writer", 0, 1, keep,
      [](Napi::Env, std::shared_ptr<WriterRun>* held) {
        if ((*held)->thread.joinable()) (*held)->thread.join();
        delete held;
      });
  WriterRun* run = run_.get();
  run_->thread = std::thread([run]() {
    pthread_setname_np(pthread_self(), run->threadName.c_str());
    TsfnSink sink(run);
    run->body(run->stop, sink);
    run->tsfn.Release();
  });
}

JsWriter::~JsWriter() {
  // Set the flag first: the finalizer's join then waits one operation, not a run.
  if (run_) run_->stop.store(true);
}

Napi::Value JsWriter::Stop(const Napi::CallbackInfo& info) {
  run_->stop.store(true);
  return info.Env().Undefined();
}

}  // namespace edb
