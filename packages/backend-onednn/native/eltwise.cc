// Element-wise kernels: unary maps, binary maps with NumPy broadcasting, AddN, and the fused gradients
// the backend's gradient overrides call (ReLU, Square). Shapes are collapsed so that the innermost loop
// runs over a contiguous run with unit or zero strides, which the compiler vectorises.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "bf16-values.h"
#include "common.h"
#include "parallel.h"

namespace fixclf {
namespace {

// Codes shared with src/native.ts (BinaryOp).
enum BinaryOp : int { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3, kSquaredDifference = 4, kMaximum = 5, kMinimum = 6 };

template <int Op>
inline float Apply(float a, float b) {
  if constexpr (Op == kAdd) return a + b;
  if constexpr (Op == kSub) return a - b;
  if constexpr (Op == kMul) return a * b;
  if constexpr (Op == kDiv) return a / b;
  if constexpr (Op == kSquaredDifference) return (a - b) * (a - b);
  // TF.js propagates NaN through maximum/minimum.
  if constexpr (Op == kMaximum) return (a != a || b != b) ? NAN : (a > b ? a : b);
  if constexpr (Op == kMinimum) return (a != a || b != b) ? NAN : (a < b ? a : b);
  return 0.f;
}

struct BroadcastPlan {
  std::vector<int64_t> dims, aStrides, bStrides;  // collapsed, outermost first
  int64_t total = 1;
};

// Strides of a and b over the output, 0 where an input is broadcast; adjacent dimensions that broadcast
// the same way are merged.
BroadcastPlan PlanBroadcast(const Napi::Env& env, std::vector<int64_t> a, std::vector<int64_t> b,
                            const std::vector<int64_t>& out) {
  size_t rank = out.size();
  if (a.size() > rank || b.size() > rank) throw Napi::RangeError::New(env, "input rank exceeds output rank");
  a.insert(a.begin(), rank - a.size(), 1);
  b.insert(b.begin(), rank - b.size(), 1);
  std::vector<int64_t> aContig(rank), bContig(rank);
  int64_t as = 1, bs = 1;
  for (size_t i = rank; i-- > 0;) {
    if ((a[i] != out[i] && a[i] != 1) || (b[i] != out[i] && b[i] != 1)) {
      throw Napi::RangeError::New(env, "shapes are not broadcast-compatible with the output");
    }
    aContig[i] = as;
    bContig[i] = bs;
    as *= a[i];
    bs *= b[i];
  }
  BroadcastPlan plan;
  int prevKind = -1;
  for (size_t i = 0; i < rank; ++i) {
    if (out[i] == 1) continue;
    bool aB = a[i] == 1;
    bool bB = b[i] == 1;
    int kind = (aB ? 1 : 0) | (bB ? 2 : 0);
    int64_t aStride = aB ? 0 : aContig[i];
    int64_t bStride = bB ? 0 : bContig[i];
    if (kind == prevKind) {
      plan.dims.back() *= out[i];
      plan.aStrides.back() = aStride;
      plan.bStrides.back() = bStride;
    } else {
      plan.dims.push_back(out[i]);
      plan.aStrides.push_back(aStride);
      plan.bStrides.push_back(bStride);
      prevKind = kind;
    }
    plan.total *= out[i];
  }
  if (plan.dims.empty()) {
    plan.dims = {1};
    plan.aStrides = {0};
    plan.bStrides = {0};
  }
  return plan;
}

template <int Op>
void RunBinary(const BroadcastPlan& plan, const float* a, const float* b, float* out) {
  const size_t rank = plan.dims.size();
  const int64_t inner = plan.dims.back();
  const int64_t sa = plan.aStrides.back();
  const int64_t sb = plan.bStrides.back();
  ParallelFor(plan.total, 1, [&](int64_t begin, int64_t end) {
    int64_t index = begin;
    while (index < end) {
      // Offsets of the row holding `index`.
      int64_t row = index / inner;
      int64_t col = index % inner;
      int64_t aOffset = 0, bOffset = 0;
      for (size_t d = rank - 1; d-- > 0;) {
        int64_t coord = row % plan.dims[d];
        row /= plan.dims[d];
        aOffset += coord * plan.aStrides[d];
        bOffset += coord * plan.bStrides[d];
      }
      int64_t count = std::min(inner - col, end - index);
      const float* pa = a + aOffset + col * sa;
      const float* pb = b + bOffset + col * sb;
      float* po = out + index;
      if (sa == 1 && sb == 1) {
#pragma omp simd
        for (int64_t i = 0; i < count; ++i) po[i] = Apply<Op>(pa[i], pb[i]);
      } else if (sa == 1) {
        const float vb = *pb;
#pragma omp simd
        for (int64_t i = 0; i < count; ++i) po[i] = Apply<Op>(pa[i], vb);
      } else if (sb == 1) {
        const float va = *pa;
#pragma omp simd
        for (int64_t i = 0; i < count; ++i) po[i] = Apply<Op>(va, pb[i]);
      } else {
        const float v = Apply<Op>(*pa, *pb);
        for (int64_t i = 0; i < count; ++i) po[i] = v;
      }
      index += count;
    }
  });
}

// binary(op, a, aShape, b, bShape, out, outShape)
Napi::Value Binary(const Napi::CallbackInfo& info) {
  int op = static_cast<int>(IntArg(info, 0, "op"));
  auto aShape = DimsArg(info, 2, "aShape");
  auto bShape = DimsArg(info, 4, "bShape");
  auto outShape = DimsArg(info, 6, "outShape");
  const float* a = FloatArg(info, 1, "a", Product(aShape));
  const float* b = FloatArg(info, 3, "b", Product(bShape));
  float* out = FloatArg(info, 5, "out", Product(outShape));
  BroadcastPlan plan = PlanBroadcast(info.Env(), aShape, bShape, outShape);
  switch (op) {
    case kAdd: RunBinary<kAdd>(plan, a, b, out); break;
    case kSub: RunBinary<kSub>(plan, a, b, out); break;
    case kMul: RunBinary<kMul>(plan, a, b, out); break;
    case kDiv: RunBinary<kDiv>(plan, a, b, out); break;
    case kSquaredDifference: RunBinary<kSquaredDifference>(plan, a, b, out); break;
    case kMaximum: RunBinary<kMaximum>(plan, a, b, out); break;
    case kMinimum: RunBinary<kMinimum>(plan, a, b, out); break;
    default: throw Napi::RangeError::New(info.Env(), "unknown binary op " + std::to_string(op));
  }
  return info.Env().Undefined();
}

// Codes shared with src/native.ts (UnaryOp).
enum UnaryOp : int {
  kRelu = 0,
  kRelu6 = 1,
  kLeakyRelu = 2,
  kElu = 3,
  kSigmoid = 4,
  kTanh = 5,
  kNeg = 6,
  kSquare = 7,
  kSqrt = 8,
  kRsqrt = 9,
  kExp = 10,
  kLog = 11,
  kAbs = 12,
  kReciprocal = 13,
  kStep = 14
};

template <typename F>
void MapUnary(int64_t n, const float* x, float* y, F f) {
  ParallelFor(n, 1, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) y[i] = f(x[i]);
  });
}

// unary(op, x, y, alpha)
Napi::Value Unary(const Napi::CallbackInfo& info) {
  int op = static_cast<int>(IntArg(info, 0, "op"));
  int64_t n = FloatLength(info, 1, "x");
  const float* x = FloatArg(info, 1, "x", n);
  float* y = FloatArg(info, 2, "y", n);
  float alpha = static_cast<float>(NumberArg(info, 3, "alpha"));
  switch (op) {
    case kRelu: MapUnary(n, x, y, [](float v) { return v != v ? v : (v > 0.f ? v : 0.f); }); break;
    case kRelu6: MapUnary(n, x, y, [](float v) { return v != v ? v : std::min(std::max(v, 0.f), 6.f); }); break;
    case kLeakyRelu: MapUnary(n, x, y, [alpha](float v) { return v < 0.f ? alpha * v : v; }); break;
    case kElu: MapUnary(n, x, y, [](float v) { return v >= 0.f ? v : std::exp(v) - 1.f; }); break;
    case kSigmoid: MapUnary(n, x, y, [](float v) { return 1.f / (1.f + std::exp(-v)); }); break;
    case kTanh: MapUnary(n, x, y, [](float v) { return std::tanh(v); }); break;
    case kNeg: MapUnary(n, x, y, [](float v) { return -v; }); break;
    case kSquare: MapUnary(n, x, y, [](float v) { return v * v; }); break;
    case kSqrt: MapUnary(n, x, y, [](float v) { return std::sqrt(v); }); break;
    case kRsqrt: MapUnary(n, x, y, [](float v) { return 1.f / std::sqrt(v); }); break;
    case kExp: MapUnary(n, x, y, [](float v) { return std::exp(v); }); break;
    case kLog: MapUnary(n, x, y, [](float v) { return std::log(v); }); break;
    case kAbs: MapUnary(n, x, y, [](float v) { return std::fabs(v); }); break;
    case kReciprocal: MapUnary(n, x, y, [](float v) { return 1.f / v; }); break;
    case kStep: MapUnary(n, x, y, [alpha](float v) { return v != v ? v : (v > 0.f ? 1.f : alpha); }); break;
    default: throw Napi::RangeError::New(info.Env(), "unknown unary op " + std::to_string(op));
  }
  return info.Env().Undefined();
}

// The ReLU's derivative at v as its gradient kernels apply it: 1 above zero, 0 at or below, NaN for NaN.
inline float ReluStep(float v) { return v != v ? v : (v > 0.f ? 1.f : 0.f); }

// out[0, n) computed a block at a time: fill(i0, len, block) writes elements i0 .. i0 + len − 1 as float32
// into `block`, which is then stored in out's type (narrowed in one vector pass when bf16). The block stays
// in L1, so a bf16 output costs no float32 copy of the whole tensor.
template <typename Out, typename Fill>
void MapInBlocks(int64_t n, Out* out, Fill fill) {
  ParallelFor(n, 1, [&](int64_t begin, int64_t end) {
    constexpr int64_t kBlock = 1024;
    float block[kBlock];
    for (int64_t i0 = begin; i0 < end; i0 += kBlock) {
      const int64_t len = std::min(kBlock, end - i0);
      fill(i0, len, block);
      StoreValues(out + i0, block, len);
    }
  });
}

// reluGrad(dy, x, dx, [bf16Mask, count]): dy·step(x) exactly as TF.js computes it (so NaN and ±0 agree), in
// one pass; written as a product of selects so that it vectorises. bf16Mask bits: 1 dy, 2 x, 4 dx; count
// (the element count) is needed when dy is bf16.
Napi::Value ReluGrad(const Napi::CallbackInfo& info) {
  int64_t bits = info.Length() > 3 && info[3].IsNumber() ? IntArg(info, 3, "bf16Mask") : 0;
  int64_t n = bits & 1 ? IntArg(info, 4, "count") : FloatLength(info, 0, "dy");
  Values dyv = ValuesArg(info, 0, "dy", n, bits & 1);
  Values xv = ValuesArg(info, 1, "x", n, bits & 2);
  Values dxv = ValuesArg(info, 2, "dx", n, bits & 4);
  WithType(dyv, [&](auto* dy) {
    WithType(xv, [&](auto* x) {
      WithType(dxv, [&](auto* dx) {
        MapInBlocks(n, dx, [&](int64_t i0, int64_t len, float* out) {
#pragma omp simd
          for (int64_t i = 0; i < len; ++i) out[i] = Widen(dy[i0 + i]) * ReluStep(Widen(x[i0 + i]));
        });
      });
    });
  });
  return info.Env().Undefined();
}

// addSameShape(a, b, out, bf16Mask, count): out = a + b over `count` elements, each float32 or bf16
// (bf16Mask bits: 1 a, 2 b, 4 out): the backward pass's sums of bf16 gradients (residual connections).
Napi::Value AddSameShape(const Napi::CallbackInfo& info) {
  int64_t bits = IntArg(info, 3, "bf16Mask");
  int64_t n = IntArg(info, 4, "count");
  Values a = ValuesArg(info, 0, "a", n, bits & 1);
  Values b = ValuesArg(info, 1, "b", n, bits & 2);
  Values out = ValuesArg(info, 2, "out", n, bits & 4);
  WithType(a, [&](auto* pa) {
    WithType(b, [&](auto* pb) {
      WithType(out, [&](auto* po) {
        MapInBlocks(n, po, [&](int64_t i0, int64_t len, float* sum) {
#pragma omp simd
          for (int64_t i = 0; i < len; ++i) sum[i] = Widen(pa[i0 + i]) + Widen(pb[i0 + i]);
        });
      });
    });
  });
  return info.Env().Undefined();
}

// reluGradAdd(dy, y, addend, out, bf16Mask, count): out = addend + dy·step(y) over `count` elements, the
// ReLU gradient summed into another gradient in one pass (a residual block's input: the shortcut's masked
// gradient plus the convolution's input gradient) instead of being written out first. bf16Mask bits: 1 dy,
// 2 y, 4 addend, 8 out hold bf16; 16 rounds dy·step(y) to bf16 before the sum, as the ReLU gradient would
// have been stored in bf16 mode (the same values as the two passes, bit for bit).
Napi::Value ReluGradAdd(const Napi::CallbackInfo& info) {
  int64_t bits = IntArg(info, 4, "bf16Mask");
  int64_t n = IntArg(info, 5, "count");
  Values dyv = ValuesArg(info, 0, "dy", n, bits & 1);
  Values yv = ValuesArg(info, 1, "y", n, bits & 2);
  Values av = ValuesArg(info, 2, "addend", n, bits & 4);
  Values outv = ValuesArg(info, 3, "out", n, bits & 8);
  bool roundProduct = (bits & 16) != 0;
  WithType(dyv, [&](auto* dy) {
    WithType(yv, [&](auto* y) {
      WithType(av, [&](auto* a) {
        WithType(outv, [&](auto* out) {
          MapInBlocks(n, out, [&](int64_t i0, int64_t len, float* sum) {
#pragma omp simd
            for (int64_t i = 0; i < len; ++i) {
              float product = Widen(dy[i0 + i]) * ReluStep(Widen(y[i0 + i]));
              if (roundProduct) product = Widen(ToBf16(product));
              sum[i] = Widen(a[i0 + i]) + product;
            }
          });
        });
      });
    });
  });
  return info.Env().Undefined();
}

// squareGrad(dy, x, dx): 2·x·dy.
Napi::Value SquareGrad(const Napi::CallbackInfo& info) {
  int64_t n = FloatLength(info, 0, "dy");
  const float* dy = FloatArg(info, 0, "dy", n);
  const float* x = FloatArg(info, 1, "x", n);
  float* dx = FloatArg(info, 2, "dx", n);
  ParallelFor(n, 1, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) dx[i] = dy[i] * (2.f * x[i]);
  });
  return info.Env().Undefined();
}

// addN([x0, x1, ...], out): element-wise sum of same-sized arrays, accumulated left to right as TF.js does.
Napi::Value AddN(const Napi::CallbackInfo& info) {
  if (!info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "argument 'inputs' must be an array");
  auto list = info[0].As<Napi::Array>();
  int64_t n = FloatLength(info, 1, "out");
  float* out = FloatArg(info, 1, "out", n);
  std::vector<const float*> inputs;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value v = list.Get(i);
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
        static_cast<int64_t>(v.As<Napi::Float32Array>().ElementLength()) != n) {
      throw Napi::TypeError::New(info.Env(), "addN inputs must be Float32Arrays of the output's size");
    }
    inputs.push_back(v.As<Napi::Float32Array>().Data());
  }
  if (inputs.empty()) throw Napi::RangeError::New(info.Env(), "addN needs at least one input");
  ParallelFor(n, static_cast<int64_t>(inputs.size()), [&](int64_t begin, int64_t end) {
    const float* first = inputs[0];
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) out[i] = first[i];
    for (size_t k = 1; k < inputs.size(); ++k) {
      const float* in = inputs[k];
#pragma omp simd
      for (int64_t i = begin; i < end; ++i) out[i] += in[i];
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void InitEltwise(Napi::Env env, Napi::Object exports) {
  Export<Binary>(env, exports, "binary");
  Export<Unary>(env, exports, "unary");
  Export<ReluGrad>(env, exports, "reluGrad");
  Export<AddSameShape>(env, exports, "addSameShape");
  Export<ReluGradAdd>(env, exports, "reluGradAdd");
  Export<SquareGrad>(env, exports, "squareGrad");
  Export<AddN>(env, exports, "addN");
}

}  // namespace fixclf
