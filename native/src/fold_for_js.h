// foldSamples(Float64Array of samples, stride 5) -> Float64Array[]: the chunks a
// writer with `fold` would hand over for those operations (fold.h). For tests,
// which hold the folded path to the per-operation one, and for the disk
// phase's warm-up, which runs the JS side of folded chunks before a run.
#pragma once
#include <napi.h>

namespace edb {

Napi::Value FoldSamples(const Napi::CallbackInfo& info);

}  // namespace edb
