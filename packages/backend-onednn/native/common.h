// Shared plumbing of the addon: the oneDNN engine and stream, argument decoding with errors that
// name the argument, a bounded LRU cache for primitives, and the thread count.
#pragma once

#include <napi.h>

#include <cstdint>
#include <dnnl.hpp>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fixclf {

dnnl::engine& CpuEngine();
dnnl::stream& CpuStream();

// Threads used by our own loops and by oneDNN (OpenMP): every core unless FIXCLF_ONEDNN_THREADS says otherwise.
int ThreadCount();
void SetThreadCount(int threads);

// A Float32Array argument (or null when allowNull), with its element count checked when expected >= 0.
float* FloatArg(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t expected = -1,
                bool allowNull = false);
// The element count of a Float32Array argument.
int64_t FloatLength(const Napi::CallbackInfo& info, size_t index, const char* name);
int64_t IntArg(const Napi::CallbackInfo& info, size_t index, const char* name);
double NumberArg(const Napi::CallbackInfo& info, size_t index, const char* name);
bool BoolArg(const Napi::CallbackInfo& info, size_t index, const char* name);
std::vector<int64_t> DimsArg(const Napi::CallbackInfo& info, size_t index, const char* name);

int64_t Product(const std::vector<int64_t>& dims);

// Builds cache keys from the numbers that determine a primitive.
class Key {
 public:
  explicit Key(const char* op) : text_(op) {}
  Key& Add(int64_t value) {
    text_ += ',';
    text_ += std::to_string(value);
    return *this;
  }
  Key& Add(const std::vector<int64_t>& values) {
    text_ += '[';
    for (int64_t v : values) Add(v);
    text_ += ']';
    return *this;
  }
  Key& Add(double value) {
    text_ += ',';
    text_ += std::to_string(value);
    return *this;
  }
  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

// Primitive creation costs milliseconds; a training step reuses the same few dozen shapes, so we keep
// the most recently used entries and drop the oldest beyond `capacity`.
template <typename Entry>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) {}

  Entry& Get(const Key& key, const std::function<std::unique_ptr<Entry>()>& create) {
    auto found = index_.find(key.str());
    if (found != index_.end()) {
      order_.splice(order_.begin(), order_, found->second);
      return *found->second->second;
    }
    order_.emplace_front(key.str(), create());
    index_[key.str()] = order_.begin();
    while (order_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    return *order_.front().second;
  }

  size_t size() const { return order_.size(); }
  void Clear() {
    index_.clear();
    order_.clear();
  }

 private:
  size_t capacity_;
  std::list<std::pair<std::string, std::unique_ptr<Entry>>> order_;
  std::unordered_map<std::string, typename std::list<std::pair<std::string, std::unique_ptr<Entry>>>::iterator> index_;
};

// Every cache registers a way to empty itself, so that JS can release native memory on demand.
void RegisterCacheClearer(std::function<void()> clear, std::function<size_t()> size);
void ClearAllCaches();
size_t CachedPrimitiveCount();

constexpr size_t kPrimitiveCacheCapacity = 256;

// Wraps an exported function so that oneDNN and C++ errors reach JS as ordinary Errors.
using NativeFunction = Napi::Value (*)(const Napi::CallbackInfo&);
template <NativeFunction F>
Napi::Value Guarded(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (const Napi::Error&) {
    throw;
  } catch (const dnnl::error& e) {
    throw Napi::Error::New(info.Env(), std::string("oneDNN error: ") + e.what());
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), std::string("@fixclf/backend-onednn native error: ") + e.what());
  }
}

template <NativeFunction F>
void Export(Napi::Env env, Napi::Object exports, const char* name) {
  exports.Set(name, Napi::Function::New(env, Guarded<F>, name));
}

// Per-file registration, called from addon.cc.
void InitMemory(Napi::Env env, Napi::Object exports);
void InitConv(Napi::Env env, Napi::Object exports);
void InitMatmul(Napi::Env env, Napi::Object exports);
void InitBatchNorm(Napi::Env env, Napi::Object exports);
void InitEltwise(Napi::Env env, Napi::Object exports);
void InitReduce(Napi::Env env, Napi::Object exports);
void InitPool(Napi::Env env, Napi::Object exports);
void InitTransform(Napi::Env env, Napi::Object exports);
void InitCeiling(Napi::Env env, Napi::Object exports);
void InitBf16(Napi::Env env, Napi::Object exports);
void InitOptim(Napi::Env env, Napi::Object exports);
void InitHadamard(Napi::Env env, Napi::Object exports);

// --- bfloat16 (bf16.cc) ---------------------------------------------------------------------------
// Whether the CPU runs oneDNN's bf16 kernels natively (AVX512-BF16 or AMX, as oneDNN itself detects).
bool CpuHasBf16();
// A bf16 argument: a Float32Array whose bytes hold `count` bf16 values (2 per element), or null.
const uint16_t* Bf16Arg(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t count);
// Appends a memory descriptor (dims, data type, strides, blocking) to a cache key.
void AddDesc(Key& key, const dnnl::memory::desc& md);
// Whether a primitive descriptor is oneDNN's reference (unoptimised) implementation.
bool IsReference(const std::string& implInfo);
// A cached reorder primitive between two descriptors.
dnnl::reorder& CachedReorder(const dnnl::memory::desc& from, const dnnl::memory::desc& to);

// Converted copies of float32 weights in the bf16 layouts primitives want, per weight version: `key` is
// given by JS per TF.js dataId (tensors are immutable; JS drops the key when the tensor is disposed or its
// storage is rewritten in place, see src/bf16-shadows.ts). Returns the memory in layout `md`: cached, or
// reordered from another cached layout of the same key (bf16 to bf16), or from `user` (float32).
dnnl::memory& Bf16Weights(int64_t key, const dnnl::memory::desc& md, dnnl::memory& user);
// Builds a primitive descriptor in bf16 when asked and oneDNN has an optimised implementation for it;
// otherwise (no bf16 implementation, or only the reference one) in float32. `make(bool bf16)` builds it.
template <typename Pd, typename Make>
Pd ChoosePrecision(bool wantBf16, Make make, bool& usedBf16) {
  if (wantBf16) {
    try {
      Pd pd = make(true);
      if (!IsReference(pd.impl_info_str())) {
        usedBf16 = true;
        return pd;
      }
    } catch (const dnnl::error&) {
      // no bf16 implementation for this shape: float32 below
    }
  }
  usedBf16 = false;
  return make(false);
}

// Executions per kernel family and precision, for tests that must know bf16 really ran.
enum RunFamily : int {
  kConvForwardRuns = 0,
  kConvBackwardDataRuns,
  kConvBackwardWeightsRuns,
  kMatmulRuns,
  kRunFamilies
};
void CountRun(RunFamily family, bool bf16);

// Drops every converted weight (releaseMemory). Not part of ClearAllCaches: converted weights stay valid
// when the thread count changes.
void ClearBf16Weights();

// Activation codes shared with src/native.ts (ActivationCode).
enum Activation : int { kLinear = 0, kRelu = 1, kRelu6 = 2, kElu = 3, kSigmoid = 4, kLeakyRelu = 5 };
// Appends the activation as an eltwise post-op; false when it has no oneDNN equivalent.
bool AppendActivation(dnnl::post_ops& ops, int activation, float alpha);

}  // namespace fixclf
