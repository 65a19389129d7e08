// Tensor storage handed to JS: 64-byte aligned (what AVX-512 loads like), not zero-filled (every kernel
// writes its whole output), owned by an ArrayBuffer whose finalizer frees it. The JS side recycles these
// buffers itself (src/buffer-pool.ts), so allocation and page faults leave the steady state of training.
#include <cstdlib>

#include "common.h"

namespace fixclf {
namespace {

Napi::Value Allocate(const Napi::CallbackInfo& info) {
  int64_t bytes = IntArg(info, 0, "byteLength");
  if (bytes < 0) throw Napi::RangeError::New(info.Env(), "argument 'byteLength' must not be negative");
  size_t rounded = (static_cast<size_t>(bytes) + 63) / 64 * 64;
  if (rounded == 0) rounded = 64;
  void* data = std::aligned_alloc(64, rounded);
  if (data == nullptr)
    throw Napi::Error::New(info.Env(), "out of memory allocating " + std::to_string(bytes) + " bytes");
  Napi::MemoryManagement::AdjustExternalMemory(info.Env(), static_cast<int64_t>(rounded));
  auto* size = new size_t(rounded);
  return Napi::ArrayBuffer::New(
      info.Env(), data, static_cast<size_t>(bytes),
      [](Napi::Env env, void* ptr, size_t* size) {
        std::free(ptr);
        Napi::MemoryManagement::AdjustExternalMemory(env, -static_cast<int64_t>(*size));
        delete size;
      },
      size);
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  SetThreadCount(static_cast<int>(IntArg(info, 0, "threads")));
  return info.Env().Undefined();
}

Napi::Value Threads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), ThreadCount()); }

Napi::Value ClearCaches(const Napi::CallbackInfo& info) {
  ClearAllCaches();
  ClearBf16Weights();
  return info.Env().Undefined();
}

Napi::Value CacheSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(CachedPrimitiveCount()));
}

Napi::Value Version(const Napi::CallbackInfo& info) {
  const dnnl_version_t* v = dnnl_version();
  auto result = Napi::Object::New(info.Env());
  result.Set("major", v->major);
  result.Set("minor", v->minor);
  result.Set("patch", v->patch);
  result.Set("cpuRuntime", v->cpu_runtime == DNNL_RUNTIME_OMP   ? "omp"
                           : v->cpu_runtime == DNNL_RUNTIME_TBB ? "tbb"
                                                                : "other");
  return result;
}

}  // namespace

void InitMemory(Napi::Env env, Napi::Object exports) {
  Export<Allocate>(env, exports, "allocate");
  Export<SetThreads>(env, exports, "setThreads");
  Export<Threads>(env, exports, "threads");
  Export<ClearCaches>(env, exports, "clearCaches");
  Export<CacheSize>(env, exports, "cacheSize");
  Export<Version>(env, exports, "version");
}

}  // namespace fixclf
