#include "common.h"

#include <cstdlib>
#include <thread>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace fixclf {

dnnl::engine& CpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& CpuStream() {
  static dnnl::stream stream(CpuEngine());
  return stream;
}

namespace {
int DefaultThreads() {
  const char* env = std::getenv("FIXCLF_ONEDNN_THREADS");
  if (env != nullptr && std::atoi(env) > 0) return std::atoi(env);
#ifdef _OPENMP
  return omp_get_num_procs();
#else
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
#endif
}
int g_threads = 0;
}  // namespace

int ThreadCount() {
  if (g_threads == 0) SetThreadCount(DefaultThreads());
  return g_threads;
}

void SetThreadCount(int threads) {
  int count = threads < 1 ? 1 : threads;
  // oneDNN sizes a primitive's work split and scratchpad for the threads present when it was created;
  // cached primitives must not run with more, so a new count starts a new cache.
  if (g_threads != 0 && count != g_threads) ClearAllCaches();
  g_threads = count;
#ifdef _OPENMP
  omp_set_num_threads(g_threads);
#endif
}

namespace {
// One napi_get_typedarray_info call instead of node-addon-api's several: argument decoding is most of the
// cost of a native call on a small tensor.
bool Float32Info(napi_env env, napi_value value, float** data, size_t* length) {
  bool isTypedArray = false;
  if (napi_is_typedarray(env, value, &isTypedArray) != napi_ok || !isTypedArray) return false;
  napi_typedarray_type type;
  void* raw = nullptr;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, nullptr, nullptr) != napi_ok) return false;
  if (type != napi_float32_array) return false;
  *data = static_cast<float*>(raw);
  return true;
}
}  // namespace

float* FloatArg(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t expected, bool allowNull) {
  Napi::Value value = info[index];
  if (allowNull && (value.IsNull() || value.IsUndefined())) return nullptr;
  float* data = nullptr;
  size_t length = 0;
  if (!Float32Info(info.Env(), value, &data, &length)) {
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a Float32Array");
  }
  if (expected >= 0 && static_cast<int64_t>(length) != expected) {
    throw Napi::RangeError::New(info.Env(), std::string("argument '") + name + "' has " + std::to_string(length) +
                                                " elements, expected " + std::to_string(expected));
  }
  return data;
}

int64_t FloatLength(const Napi::CallbackInfo& info, size_t index, const char* name) {
  float* data = nullptr;
  size_t length = 0;
  if (!Float32Info(info.Env(), info[index], &data, &length)) {
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a Float32Array");
  }
  return static_cast<int64_t>(length);
}

int64_t IntArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a number");
  }
  return info[index].As<Napi::Number>().Int64Value();
}

double NumberArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a number");
  }
  return info[index].As<Napi::Number>().DoubleValue();
}

bool BoolArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsBoolean()) {
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a boolean");
  }
  return info[index].As<Napi::Boolean>().Value();
}

std::vector<int64_t> DimsArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  Napi::Value value = info[index];
  std::vector<int64_t> dims;
  napi_env env = info.Env();
  bool isArray = false;
  uint32_t length = 0;
  if (napi_is_array(env, value, &isArray) != napi_ok || !isArray ||
      napi_get_array_length(env, value, &length) != napi_ok) {
    throw Napi::TypeError::New(env, std::string("argument '") + name + "' must be an array of integers");
  }
  dims.resize(length);
  for (uint32_t i = 0; i < length; ++i) {
    napi_value element;
    if (napi_get_element(env, value, i, &element) != napi_ok ||
        napi_get_value_int64(env, element, &dims[i]) != napi_ok) {
      throw Napi::TypeError::New(env, std::string("argument '") + name + "' must hold only numbers");
    }
  }
  return dims;
}

int64_t Product(const std::vector<int64_t>& dims) {
  int64_t p = 1;
  for (int64_t d : dims) p *= d;
  return p;
}

namespace {
struct CacheHandle {
  std::function<void()> clear;
  std::function<size_t()> size;
};
std::vector<CacheHandle>& Caches() {
  static std::vector<CacheHandle> caches;
  return caches;
}
}  // namespace

void RegisterCacheClearer(std::function<void()> clear, std::function<size_t()> size) {
  Caches().push_back({std::move(clear), std::move(size)});
}

void ClearAllCaches() {
  for (auto& cache : Caches()) cache.clear();
}

size_t CachedPrimitiveCount() {
  size_t total = 0;
  for (auto& cache : Caches()) total += cache.size();
  return total;
}

bool AppendActivation(dnnl::post_ops& ops, int activation, float alpha) {
  switch (activation) {
    case kLinear: return true;
    case kRelu: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f); return true;
    case kRelu6: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip_v2, 0.f, 6.f); return true;
    case kElu: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_elu, 1.f, 0.f); return true;
    case kSigmoid: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_logistic, 0.f, 0.f); return true;
    case kLeakyRelu: ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, alpha, 0.f); return true;
    default: return false;
  }
}

}  // namespace fixclf
