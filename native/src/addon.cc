// Module entry: exports the Workload class and the sample layout it produces.
#include <napi.h>

#include "js_events.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Workload", edb::JsWriter::Define(env));
  exports.Set("sampleStride", Napi::Number::New(env, edb::SAMPLE_STRIDE));
  return exports;
}

}  // namespace

NODE_API_MODULE(edb_native, Init)
