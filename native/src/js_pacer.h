// The `Pacer` class JS constructs (js_pacer.cc): a thin wrapper of pacer.h.
#pragma once
#include <napi.h>

#include <memory>
#include <vector>

#include "pacer.h"

namespace edb {

class JsPacer : public Napi::ObjectWrap<JsPacer> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit JsPacer(const Napi::CallbackInfo& info);
  ~JsPacer() override;

 private:
  Napi::Value Add(const Napi::CallbackInfo& info);
  Napi::Value Write(const Napi::CallbackInfo& info);
  Napi::Value Remove(const Napi::CallbackInfo& info);
  Napi::Value Withdraw(const Napi::CallbackInfo& info);
  Napi::Value Credit(const Napi::CallbackInfo& info);
  Napi::Value Poll(const Napi::CallbackInfo& info);
  Napi::Value Now(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);

  std::unique_ptr<Pacer> pacer_;
  static void StopAtExit(void* pacer);
  napi_env env_ = nullptr;
  std::vector<PacedSent> sent_;
  std::vector<PacedRead> reads_;
  std::vector<PacedClosed> closed_;
};

}  // namespace edb
