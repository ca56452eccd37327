// The paced sender as JS sees it: `new Pacer()` starts its thread; add(fd),
// write(conn, bytes, dueNs[, flowBytes]), withdraw(conn, seq), credit(conn,
// bytes), remove(conn), poll(), stop() and now() (the
// pacer's clock, CLOCK_MONOTONIC ns as a double). poll() returns null when
// nothing happened, else { sent: Float64Array [conn, seq, atNs]...,
// reads: Float64Array [conn, atNs, start, end]... into data (one Buffer of
// every read's bytes), closed: Float64Array [conn, errno]... }.
#include "js_pacer.h"

#include <cerrno>
#include <cstring>

#include "clock.h"

namespace edb {

Napi::Function JsPacer::Define(Napi::Env env) {
  return DefineClass(env, "Pacer",
                     {
                         InstanceMethod("add", &JsPacer::Add),
                         InstanceMethod("write", &JsPacer::Write),
                         InstanceMethod("remove", &JsPacer::Remove),
                         InstanceMethod("withdraw", &JsPacer::Withdraw),
                         InstanceMethod("credit", &JsPacer::Credit),
                         InstanceMethod("poll", &JsPacer::Poll),
                         InstanceMethod("now", &JsPacer::Now),
                         InstanceMethod("stop", &JsPacer::Stop),
                     });
}

JsPacer::JsPacer(const Napi::CallbackInfo& info) : Napi::ObjectWrap<JsPacer>(info) {
  pacer_ = std::make_unique<Pacer>();
  // A worker thread that ends without stop() still ends the pacer's thread.
  env_ = info.Env();
  napi_add_env_cleanup_hook(env_, StopAtExit, pacer_.get());
}

void JsPacer::StopAtExit(void* pacer) { static_cast<Pacer*>(pacer)->stop(); }

JsPacer::~JsPacer() {
  napi_remove_env_cleanup_hook(env_, StopAtExit, pacer_.get());
  pacer_->stop();
}

Napi::Value JsPacer::Add(const Napi::CallbackInfo& info) {
  uint32_t id = pacer_->add(info[0].As<Napi::Number>().Int32Value());
  if (id == 0) throw Napi::Error::New(info.Env(), std::string("cannot take the socket: ") + strerror(errno));
  return Napi::Number::New(info.Env(), id);
}

Napi::Value JsPacer::Write(const Napi::CallbackInfo& info) {
  auto bytes = info[1].As<Napi::Buffer<uint8_t>>();
  const int64_t flow = info.Length() > 3 ? static_cast<int64_t>(info[3].As<Napi::Number>().DoubleValue()) : 0;
  auto seq = pacer_->write(info[0].As<Napi::Number>().Uint32Value(), bytes.Data(), bytes.Length(),
                           static_cast<int64_t>(info[2].As<Napi::Number>().DoubleValue()), flow);
  return Napi::Number::New(info.Env(), seq);
}

Napi::Value JsPacer::Withdraw(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), pacer_->withdraw(info[0].As<Napi::Number>().Uint32Value(),
                                                         info[1].As<Napi::Number>().Uint32Value()));
}

Napi::Value JsPacer::Credit(const Napi::CallbackInfo& info) {
  pacer_->credit(info[0].As<Napi::Number>().Uint32Value(),
                 static_cast<int64_t>(info[1].As<Napi::Number>().DoubleValue()));
  return info.Env().Undefined();
}

Napi::Value JsPacer::Remove(const Napi::CallbackInfo& info) {
  pacer_->remove(info[0].As<Napi::Number>().Uint32Value());
  return info.Env().Undefined();
}

Napi::Value JsPacer::Poll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  sent_.clear();
  reads_.clear();
  closed_.clear();
  pacer_->take(sent_, reads_, closed_);
  if (sent_.empty() && reads_.empty() && closed_.empty()) return env.Null();
  Napi::Object out = Napi::Object::New(env);
  auto sent = Napi::Float64Array::New(env, sent_.size() * 3);
  for (size_t k = 0; k < sent_.size(); k++) {
    sent[k * 3] = sent_[k].conn;
    sent[k * 3 + 1] = sent_[k].seq;
    sent[k * 3 + 2] = static_cast<double>(sent_[k].atNs);
  }
  // Every read's bytes in one buffer (one allocation a poll, not one a read), each read's [conn, atNs, start, end].
  size_t total = 0;
  for (const auto& r : reads_) total += r.bytes.size();
  auto data = Napi::Buffer<uint8_t>::New(env, total);
  auto reads = Napi::Float64Array::New(env, reads_.size() * 4);
  size_t at = 0;
  for (size_t k = 0; k < reads_.size(); k++) {
    const auto& r = reads_[k];
    if (!r.bytes.empty()) std::memcpy(data.Data() + at, r.bytes.data(), r.bytes.size());
    reads[k * 4] = r.conn;
    reads[k * 4 + 1] = static_cast<double>(r.atNs);
    reads[k * 4 + 2] = static_cast<double>(at);
    reads[k * 4 + 3] = static_cast<double>(at + r.bytes.size());
    at += r.bytes.size();
  }
  auto closed = Napi::Float64Array::New(env, closed_.size() * 2);
  for (size_t k = 0; k < closed_.size(); k++) {
    closed[k * 2] = closed_[k].conn;
    closed[k * 2 + 1] = closed_[k].error;
  }
  out.Set("sent", sent);
  out.Set("reads", reads);
  out.Set("data", data);
  out.Set("closed", closed);
  return out;
}

Napi::Value JsPacer::Now(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(nowNs()));
}

Napi::Value JsPacer::Stop(const Napi::CallbackInfo& info) {
  pacer_->stop();
  return info.Env().Undefined();
}

}  // namespace edb
