// Optimizer updates of every weight of a model in one call: stochastic gradient descent with momentum,
// in PyTorch's semantics (what @fixclf/train's SGD does) or in TF.js's (tf.train.momentum / tf.train.sgd).
// A step then costs one native call and one pass over the weights instead of a few kernel calls per
// weight. Outputs may alias inputs (in-place updates): every element is read before it is written.
#include <algorithm>

#include "common.h"
#include "parallel.h"

namespace fixclf {
namespace {

struct Slot {
  const float* w;
  float* wOut;
  const float* g;
  const float* v;  // momentum buffer, or null (PyTorch: first step, v = d; TF.js: not used)
  float* vOut;     // the new buffer, or null (no momentum)
  float weightDecay;
  int64_t n;
};

// PyTorch (torch.optim.SGD): d = g + wd·w; v = μ·v + d (v = d on the first step);
// w -= lr·(nesterov ? d + μ·v : v); without momentum w -= lr·d. Written as @fixclf/train's sgd.ts
// computes it with TF.js ops (g + w·wd, v·μ + d, d + v·μ, w − u·lr) so that both round alike.
template <bool Decay, bool Momentum, bool HasV, bool Nesterov>
void TorchRange(const Slot& s, int64_t begin, int64_t end, float lr, float mu) {
  const float wd = s.weightDecay;
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) {
    float w = s.w[i];
    float d = Decay ? s.g[i] + w * wd : s.g[i];
    float u = d;
    if (Momentum) {
      float v = HasV ? s.v[i] * mu + d : d;
      s.vOut[i] = v;
      u = Nesterov ? d + v * mu : v;
    }
    s.wOut[i] = w - u * lr;
  }
}

// TF.js (MomentumOptimizer): a = m·a + g; w = c·(nesterov ? g + a·m : a) + w with c = −lr;
// SGDOptimizer (no momentum): w = c·g + w.
template <bool Momentum, bool Nesterov>
void TfjsRange(const Slot& s, int64_t begin, int64_t end, float c, float m) {
#pragma omp simd
  for (int64_t i = begin; i < end; ++i) {
    float g = s.g[i];
    float u = g;
    if (Momentum) {
      float a = m * s.v[i] + g;
      s.vOut[i] = a;
      u = Nesterov ? g + a * m : a;
    }
    s.wOut[i] = c * u + s.w[i];
  }
}

void UpdateRange(int mode, const Slot& s, int64_t begin, int64_t end, float rate, float mu, bool nesterov) {
  if (mode == 1) {
    if (s.vOut == nullptr) TfjsRange<false, false>(s, begin, end, rate, mu);
    else if (nesterov) TfjsRange<true, true>(s, begin, end, rate, mu);
    else TfjsRange<true, false>(s, begin, end, rate, mu);
    return;
  }
  bool decay = s.weightDecay != 0.f;
  if (s.vOut == nullptr) {
    if (decay) TorchRange<true, false, false, false>(s, begin, end, rate, mu);
    else TorchRange<false, false, false, false>(s, begin, end, rate, mu);
    return;
  }
  bool hasV = s.v != nullptr;
  int variant = (decay ? 4 : 0) | (hasV ? 2 : 0) | (nesterov ? 1 : 0);
  switch (variant) {
    case 0: TorchRange<false, true, false, false>(s, begin, end, rate, mu); break;
    case 1: TorchRange<false, true, false, true>(s, begin, end, rate, mu); break;
    case 2: TorchRange<false, true, true, false>(s, begin, end, rate, mu); break;
    case 3: TorchRange<false, true, true, true>(s, begin, end, rate, mu); break;
    case 4: TorchRange<true, true, false, false>(s, begin, end, rate, mu); break;
    case 5: TorchRange<true, true, false, true>(s, begin, end, rate, mu); break;
    case 6: TorchRange<true, true, true, false>(s, begin, end, rate, mu); break;
    default: TorchRange<true, true, true, true>(s, begin, end, rate, mu); break;
  }
}

Napi::Array ArrayArg(const Napi::CallbackInfo& info, size_t index, const char* name, uint32_t expected) {
  if (!info[index].IsArray())
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be an array");
  auto array = info[index].As<Napi::Array>();
  if (expected != UINT32_MAX && array.Length() != expected) {
    throw Napi::RangeError::New(info.Env(), std::string("argument '") + name + "' has " +
                                                std::to_string(array.Length()) + " entries, expected " +
                                                std::to_string(expected));
  }
  return array;
}

// The Float32Array at array[i] with `n` elements (any length when n < 0), or null where allowed.
float* ElementArg(Napi::Env env, const Napi::Array& array, uint32_t i, const char* name, int64_t n, bool allowNull,
                  int64_t* length = nullptr) {
  napi_value element;
  if (napi_get_element(env, array, i, &element) != napi_ok) throw Napi::Error::New(env, "cannot read array element");
  Napi::Value value(env, element);
  if (allowNull && (value.IsNull() || value.IsUndefined())) return nullptr;
  bool isTypedArray = false;
  napi_typedarray_type type;
  size_t count = 0;
  void* data = nullptr;
  if (napi_is_typedarray(env, element, &isTypedArray) != napi_ok || !isTypedArray ||
      napi_get_typedarray_info(env, element, &type, &count, &data, nullptr, nullptr) != napi_ok ||
      type != napi_float32_array) {
    throw Napi::TypeError::New(env, std::string(name) + "[" + std::to_string(i) + "] must be a Float32Array");
  }
  if (n >= 0 && static_cast<int64_t>(count) != n) {
    throw Napi::RangeError::New(env, std::string(name) + "[" + std::to_string(i) + "] has " + std::to_string(count) +
                                         " elements, expected " + std::to_string(n));
  }
  if (length != nullptr) *length = static_cast<int64_t>(count);
  return static_cast<float*>(data);
}

// sgdUpdate(mode, weights, weightsOut, grads, buffers, buffersOut, weightDecays, rate, momentum, nesterov)
//   mode 0: PyTorch's SGD, rate = lr; buffers[i] null on a weight's first step, buffersOut all null
//           without momentum; weightDecays per weight.
//   mode 1: TF.js's optimizers, rate = c = −lr; buffers are the accumulations (all given with momentum,
//           all null without); weightDecays ignored.
// weightsOut[i] / buffersOut[i] may be weights[i] / buffers[i] (in place).
Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int mode = static_cast<int>(IntArg(info, 0, "mode"));
  if (mode != 0 && mode != 1) throw Napi::RangeError::New(env, "argument 'mode' must be 0 (PyTorch) or 1 (TF.js)");
  auto weights = ArrayArg(info, 1, "weights", UINT32_MAX);
  uint32_t count = weights.Length();
  auto weightsOut = ArrayArg(info, 2, "weightsOut", count);
  auto grads = ArrayArg(info, 3, "grads", count);
  auto buffers = ArrayArg(info, 4, "buffers", count);
  auto buffersOut = ArrayArg(info, 5, "buffersOut", count);
  auto decayArray = ArrayArg(info, 6, "weightDecays", count);
  float rate = static_cast<float>(NumberArg(info, 7, "rate"));
  float mu = static_cast<float>(NumberArg(info, 8, "momentum"));
  bool nesterov = BoolArg(info, 9, "nesterov");

  std::vector<Slot> slots;
  slots.reserve(count);
  std::vector<int64_t> offsets{0};
  for (uint32_t i = 0; i < count; ++i) {
    Slot s{};
    int64_t n = 0;
    s.w = ElementArg(env, weights, i, "weights", -1, false, &n);
    s.n = n;
    s.wOut = ElementArg(env, weightsOut, i, "weightsOut", n, false);
    s.g = ElementArg(env, grads, i, "grads", n, false);
    s.v = ElementArg(env, buffers, i, "buffers", n, true);
    s.vOut = ElementArg(env, buffersOut, i, "buffersOut", n, true);
    napi_value decay;
    double wd = 0;
    if (napi_get_element(env, decayArray, i, &decay) != napi_ok || napi_get_value_double(env, decay, &wd) != napi_ok) {
      throw Napi::TypeError::New(env, "weightDecays must hold numbers");
    }
    s.weightDecay = static_cast<float>(wd);
    if (mode == 1 && (s.vOut == nullptr) != (s.v == nullptr)) {
      throw Napi::TypeError::New(env, "TF.js mode needs both the accumulation and its output, or neither");
    }
    if (s.v != nullptr && s.vOut == nullptr) throw Napi::TypeError::New(env, "a momentum buffer needs an output");
    slots.push_back(s);
    offsets.push_back(offsets.back() + n);
  }
  int64_t total = offsets.back();
  // One parallel pass over all weights as if they were one array: each thread takes a contiguous range.
  ParallelFor(total, 4, [&](int64_t begin, int64_t end) {
    size_t t = static_cast<size_t>(std::upper_bound(offsets.begin(), offsets.end(), begin) - offsets.begin()) - 1;
    for (; t < slots.size() && offsets[t] < end; ++t) {
      int64_t from = std::max(begin, offsets[t]) - offsets[t];
      int64_t to = std::min(end, offsets[t + 1]) - offsets[t];
      if (from < to) UpdateRange(mode, slots[t], from, to, rate, mu, nesterov);
    }
  });
  return env.Undefined();
}

}  // namespace

void InitOptim(Napi::Env env, Napi::Object exports) { Export<SgdUpdate>(env, exports, "sgdUpdate"); }

}  // namespace fixclf
