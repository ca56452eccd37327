// Module entry: exports the Workload class, the sample layout it produces, the
// ABI version and the counter names (abi.h), so JS can refuse a stale build.
#include <napi.h>

#include "abi.h"
#include "js_events.h"
#include "js_pacer.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Workload", edb::JsWriter::Define(env));
  exports.Set("Pacer", edb::JsPacer::Define(env));
  exports.Set("sampleStride", Napi::Number::New(env, edb::SAMPLE_STRIDE));
  exports.Set("abiVersion", Napi::Number::New(env, edb::ABI_VERSION));
  Napi::Array names = Napi::Array::New(env);
  uint32_t i = 0;
  for (const char* name : edb::COUNTER_NAMES) names.Set(i++, Napi::String::New(env, name));
  exports.Set("counterNames", names);
  return exports;
}

}  // namespace

NODE_API_MODULE(edb_native, Init)
