#include "fold_for_js.h"

#include <cstring>
#include <vector>

#include "sink.h"

namespace edb {
namespace {

class Collect : public WriterSink {
 public:
  void prepared(int64_t) override {}
  void samples(const char*, std::vector<double>&&) override {}
  void folded(const char*, std::vector<double>&& chunk) override { chunks.push_back(std::move(chunk)); }
  void done(const WriterSummary&) override {}
  void failed(const SysError&, const WriterSummary&) override {}
  std::vector<std::vector<double>> chunks;
};

}  // namespace

Napi::Value FoldSamples(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    throw Napi::TypeError::New(env, "foldSamples(samples): a Float64Array of samples is required");
  const Napi::Float64Array raw = info[0].As<Napi::Float64Array>();
  if (raw.ElementLength() % SAMPLE_STRIDE != 0)
    throw Napi::RangeError::New(env, "foldSamples(samples): the length must be a multiple of the sample stride");
  Batch batch("seq", 1, true);
  Collect sink;
  // As a writer does: the chunks each ended second closes, then the open one at the end.
  for (size_t i = 0; i < raw.ElementLength(); i += SAMPLE_STRIDE) {
    batch.add(raw[i], raw[i + 1], raw[i + 2], raw[i + 3], raw[i + 4]);
    if (batch.full()) batch.handClosedTo(sink);
  }
  batch.handTo(sink);
  Napi::Array out = Napi::Array::New(env, sink.chunks.size());
  for (uint32_t k = 0; k < sink.chunks.size(); k++) {
    const std::vector<double>& c = sink.chunks[k];
    Napi::Float64Array a = Napi::Float64Array::New(env, c.size());
    std::memcpy(a.Data(), c.data(), c.size() * sizeof(double));
    out.Set(k, a);
  }
  return out;
}

}  // namespace edb
