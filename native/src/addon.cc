// Module entry: exports the Workload class, the sample layout it produces, the
// ABI version, the stream and counter names (abi.h), so JS can refuse a stale
// build, the JS thread's yield to the writers (cpu_yield.h) and the fold of
// samples into chunks (fold_for_js.h).
#include <napi.h>

#include "abi.h"
#include "cpu_yield.h"
#include "fold_for_js.h"
#include "js_events.h"
#include "js_pacer.h"

namespace {

template <size_t N>
Napi::Array namesToJs(Napi::Env env, const char* const (&names)[N]) {
  Napi::Array out = Napi::Array::New(env, N);
  for (uint32_t i = 0; i < N; i++) out.Set(i, Napi::String::New(env, names[i]));
  return out;
}

Napi::Value IdleThisThread(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), edb::idleCallingThread());
}

Napi::Value RestoreFromIdle(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), edb::restoreFromIdle());
}

Napi::Value StarvedWhileIdle(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), edb::starvedWhileIdle());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Workload", edb::JsWriter::Define(env));
  exports.Set("Pacer", edb::JsPacer::Define(env));
  exports.Set("sampleStride", Napi::Number::New(env, edb::SAMPLE_STRIDE));
  exports.Set("abiVersion", Napi::Number::New(env, edb::ABI_VERSION));
  exports.Set("counterNames", namesToJs(env, edb::COUNTER_NAMES));
  exports.Set("streamNames", namesToJs(env, edb::STREAM_NAMES));
  exports.Set("idleThisThread", Napi::Function::New(env, IdleThisThread, "idleThisThread"));
  exports.Set("restoreFromIdle", Napi::Function::New(env, RestoreFromIdle, "restoreFromIdle"));
  exports.Set("foldSamples", Napi::Function::New(env, edb::FoldSamples, "foldSamples"));
  exports.Set("starvedWhileIdle", Napi::Function::New(env, StarvedWhileIdle, "starvedWhileIdle"));
  return exports;
}

}  // namespace

NODE_API_MODULE(edb_native, Init)
