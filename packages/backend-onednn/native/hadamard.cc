// Fast Walsh–Hadamard transforms for @fixclf/layers' head kernels (FixclfHadamardTransform,
// FixclfNormalizedHadamard and its gradient; the contract is in src/kernels/head-names.ts).
//
// H of order n = m·2^k is core ⊗ Sylvester(w), w = 2^k, core an m×m ±1 matrix passed by the caller: row r
// of a batch is viewed as m blocks of w; each block gets an in-place radix-2^j butterfly transform, and the
// blocks are mixed by the core (output block a = Σ_b ±block_b: whole-block additions for long blocks, dot
// products over b for short ones, e.g. 1000 = 500·2). The two steps commute, so each direction transforms
// only the blocks that hold non-zeros (forward: the features used; backward: the kept outputs) and mixes
// into only the blocks that are kept.
//
// The butterflies: the first log2(V) stages (V floats per vector register: 16 with AVX-512, 8 with AVX2)
// run inside one register per V elements (a lane permute and a sign flip per stage); the remaining stages
// go three at a time (radix 8: 8 vectors loaded, 24 additions, 8 stored) over the block, which for head-sized
// orders (a few thousand) lies in L1/L2. Rows are spread over OpenMP threads; each thread transforms in its
// own scratch rows, so inputs are never written.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

#include "common.h"
#include "parallel.h"

namespace fixclf {
namespace {

// Stages with h ≥ hStart (h = half the butterfly span) over x[0, w), w a power of two: three stages per
// pass while three remain, then one radix-4 or radix-2 pass. The j loops are plain independent lanes, so
// the compiler vectorises them (h ≥ V whenever the register stages ran).
void WideStages(float* x, int64_t w, int64_t h) {
  while (h * 8 <= w) {
    const int64_t h2 = 2 * h, h3 = 3 * h, h4 = 4 * h, h5 = 5 * h, h6 = 6 * h, h7 = 7 * h;
    for (int64_t i = 0; i < w; i += 8 * h) {
      float* p = x + i;
#pragma omp simd
      for (int64_t j = 0; j < h; ++j) {
        const float a0 = p[j], a1 = p[j + h], a2 = p[j + h2], a3 = p[j + h3];
        const float a4 = p[j + h4], a5 = p[j + h5], a6 = p[j + h6], a7 = p[j + h7];
        const float b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
        const float b4 = a4 + a5, b5 = a4 - a5, b6 = a6 + a7, b7 = a6 - a7;
        const float c0 = b0 + b2, c1 = b1 + b3, c2 = b0 - b2, c3 = b1 - b3;
        const float c4 = b4 + b6, c5 = b5 + b7, c6 = b4 - b6, c7 = b5 - b7;
        p[j] = c0 + c4;
        p[j + h] = c1 + c5;
        p[j + h2] = c2 + c6;
        p[j + h3] = c3 + c7;
        p[j + h4] = c0 - c4;
        p[j + h5] = c1 - c5;
        p[j + h6] = c2 - c6;
        p[j + h7] = c3 - c7;
      }
    }
    h *= 8;
  }
  if (h * 4 <= w) {
    const int64_t h2 = 2 * h, h3 = 3 * h;
    for (int64_t i = 0; i < w; i += 4 * h) {
      float* p = x + i;
#pragma omp simd
      for (int64_t j = 0; j < h; ++j) {
        const float a0 = p[j], a1 = p[j + h], a2 = p[j + h2], a3 = p[j + h3];
        const float b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
        p[j] = b0 + b2;
        p[j + h] = b1 + b3;
        p[j + h2] = b0 - b2;
        p[j + h3] = b1 - b3;
      }
    }
    h *= 4;
  }
  if (h * 2 <= w) {
    for (int64_t i = 0; i < w; i += 2 * h) {
      float* p = x + i;
#pragma omp simd
      for (int64_t j = 0; j < h; ++j) {
        const float a = p[j], b = p[j + h];
        p[j] = a + b;
        p[j + h] = a - b;
      }
    }
  }
}

#if defined(__AVX512F__)
// One butterfly stage inside a register: lanes with bit h set become (partner − self), the others
// (self + partner); `partner` is v with lanes i and i^h swapped.
inline __m512 Stage512(__m512 v, __m512 partner, __mmask16 upper) {
  return _mm512_mask_sub_ps(_mm512_add_ps(v, partner), upper, partner, v);
}

// Stages h = 1, 2, 4, 8 on every 16 consecutive floats of x[0, w), w ≥ 16. (The masked forms of the
// permutes, with every lane selected, are the same instructions; the unmasked intrinsics trip GCC 12's
// -Wmaybe-uninitialized inside its own header.)
void RegisterStages16(float* x, int64_t w) {
  const __mmask16 all = 0xFFFF;
  for (int64_t i = 0; i < w; i += 16) {
    __m512 v = _mm512_loadu_ps(x + i);
    v = Stage512(v, _mm512_mask_permute_ps(v, all, v, 0xB1), 0xAAAA);  // h = 1: lanes [1,0,3,2] in each 128 bits
    v = Stage512(v, _mm512_mask_permute_ps(v, all, v, 0x4E), 0xCCCC);  // h = 2: [2,3,0,1]
    v = Stage512(v, _mm512_mask_shuffle_f32x4(v, all, v, v, _MM_SHUFFLE(2, 3, 0, 1)), 0xF0F0);  // h = 4: 128-bit pairs
    v = Stage512(v, _mm512_mask_shuffle_f32x4(v, all, v, v, _MM_SHUFFLE(1, 0, 3, 2)), 0xFF00);  // h = 8: 256-bit halves
    _mm512_storeu_ps(x + i, v);
  }
}
#endif

#if defined(__AVX2__)
// As Stage512: `signs` holds −0.0 in the lanes with bit h set, so v ^ signs = ±v and the sum is
// self + partner or partner − self.
inline __m256 Stage256(__m256 v, __m256 partner, __m256 signs) {
  return _mm256_add_ps(partner, _mm256_xor_ps(v, signs));
}

// Stages h = 1, 2, 4 on every 8 consecutive floats of x[0, w), w ≥ 8.
void RegisterStages8(float* x, int64_t w) {
  const __m256 odd = _mm256_setr_ps(0.f, -0.f, 0.f, -0.f, 0.f, -0.f, 0.f, -0.f);
  const __m256 pairs = _mm256_setr_ps(0.f, 0.f, -0.f, -0.f, 0.f, 0.f, -0.f, -0.f);
  const __m256 upper = _mm256_setr_ps(0.f, 0.f, 0.f, 0.f, -0.f, -0.f, -0.f, -0.f);
  for (int64_t i = 0; i < w; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    v = Stage256(v, _mm256_permute_ps(v, 0xB1), odd);
    v = Stage256(v, _mm256_permute_ps(v, 0x4E), pairs);
    v = Stage256(v, _mm256_permute2f128_ps(v, v, 0x01), upper);
    _mm256_storeu_ps(x + i, v);
  }
}
#endif

// x[0, w) ← Sylvester(w)·x[0, w), in place, w a power of two.
void Fwht(float* x, int64_t w) {
  int64_t h = 1;
#if defined(__AVX512F__)
  if (w >= 16) {
    RegisterStages16(x, w);
    h = 16;
  }
#endif
#if defined(__AVX2__)
  if (h == 1 && w >= 8) {
    RegisterStages8(x, w);
    h = 8;
  }
#endif
  WideStages(x, w, h);
}

// The block mix out_a = Σ_b core[a][b]·in_b (coreᵀ with transpose) for the output blocks a < aBlocks, over the
// input blocks b < bBlocks (the others are zero); blocks are w long. Built once per call, shared by the threads.
class Mixer {
 public:
  Mixer(const int8_t* core, int64_t m, int64_t w, int64_t aBlocks, int64_t bBlocks, bool transpose)
      : core_(core), m_(m), w_(w), aBlocks_(aBlocks), bBlocks_(bBlocks), transpose_(transpose) {
    if (m > 1 && w < kWideBlock) {
      // Short blocks: out[a·w + i] = coefficients[a] · column i, a dot product over b in SIMD lanes.
      coefficients_.resize(static_cast<size_t>(aBlocks * bBlocks));
      for (int64_t a = 0; a < aBlocks; ++a) {
        for (int64_t b = 0; b < bBlocks; ++b) coefficients_[a * bBlocks + b] = Sign(a, b);
      }
    }
  }

  // Scratch floats Mix needs per thread.
  int64_t scratchSize() const { return coefficients_.empty() ? 0 : w_ * bBlocks_; }

  void Mix(const float* in, float* out, float* scratch) const {
    if (coefficients_.empty()) {
      // Long blocks: add or subtract whole input blocks, SIMD along the block.
      for (int64_t a = 0; a < aBlocks_; ++a) {
        float* dst = out + a * w_;
        std::fill(dst, dst + w_, 0.f);
        for (int64_t b = 0; b < bBlocks_; ++b) {
          const float* src = in + b * w_;
          if (Sign(a, b) > 0) {
#pragma omp simd
            for (int64_t i = 0; i < w_; ++i) dst[i] += src[i];
          } else {
#pragma omp simd
            for (int64_t i = 0; i < w_; ++i) dst[i] -= src[i];
          }
        }
      }
      return;
    }
    // columns[i][b] = in[b·w + i]
    for (int64_t b = 0; b < bBlocks_; ++b) {
      for (int64_t i = 0; i < w_; ++i) scratch[i * bBlocks_ + b] = in[b * w_ + i];
    }
    for (int64_t a = 0; a < aBlocks_; ++a) {
      const float* coefficients = coefficients_.data() + a * bBlocks_;
      for (int64_t i = 0; i < w_; ++i) {
        const float* column = scratch + i * bBlocks_;
        float sum = 0.f;
#pragma omp simd reduction(+ : sum)
        for (int64_t b = 0; b < bBlocks_; ++b) sum += coefficients[b] * column[b];
        out[a * w_ + i] = sum;
      }
    }
  }

 private:
  // Blocks at least this long are mixed block-wise (SIMD along the block); shorter ones by dot products.
  static constexpr int64_t kWideBlock = 16;

  float Sign(int64_t a, int64_t b) const {
    return static_cast<float>(transpose_ ? core_[b * m_ + a] : core_[a * m_ + b]);
  }

  const int8_t* core_;
  int64_t m_, w_, aBlocks_, bBlocks_;
  bool transpose_;
  std::vector<float> coefficients_;  // [aBlocks, bBlocks], row a: the signs mixing into output block a
};

struct Plan {
  int64_t order;
  int64_t m;  // core order
  int64_t w;  // Sylvester order, order / m
  const int8_t* core;
};

// The ±1 core argument (an Int8Array of m² entries, m·w = order with w a power of two), or [1] when null
// and order is a power of two.
Plan PlanArg(const Napi::CallbackInfo& info, size_t index, int64_t order) {
  static const int8_t kOne = 1;
  Napi::Env env = info.Env();
  if (order < 1) throw Napi::RangeError::New(env, "Hadamard order must be positive");
  const int8_t* core = &kOne;
  int64_t m = 1;
  if (!info[index].IsNull() && !info[index].IsUndefined()) {
    if (!info[index].IsTypedArray() || info[index].As<Napi::TypedArray>().TypedArrayType() != napi_int8_array) {
      throw Napi::TypeError::New(env, "argument 'core' must be an Int8Array");
    }
    auto array = info[index].As<Napi::Int8Array>();
    const auto length = static_cast<int64_t>(array.ElementLength());
    m = static_cast<int64_t>(std::llround(std::sqrt(static_cast<double>(length))));
    if (m < 1 || m * m != length) throw Napi::RangeError::New(env, "argument 'core' must hold m×m entries");
    core = array.Data();
  }
  const int64_t w = order / m;
  if (w * m != order || (w & (w - 1)) != 0) {
    throw Napi::RangeError::New(env, "Hadamard order must be the core's order times a power of two");
  }
  return {order, m, w, core};
}

// Transforms the blocks b < inBlocks of `row` (order long; blocks from inBlocks on are zero) and leaves
// H·row (Hᵀ·row with transpose, as the mixer was built) in the blocks a < outBlocks of the returned array:
// `row` itself when m = 1, else `mixed`. `scratch` holds mixer.scratchSize() floats.
float* Transform(const Plan& plan, const Mixer& mixer, float* row, float* mixed, float* scratch, int64_t inBlocks) {
  if (plan.m == 1) {
    Fwht(row, plan.w);
    return row;
  }
  for (int64_t b = 0; b < inBlocks; ++b) Fwht(row + b * plan.w, plan.w);
  mixer.Mix(row, mixed, scratch);
  return mixed;
}

int64_t BlocksCovering(int64_t length, int64_t w) { return (length + w - 1) / w; }

void CheckCounts(const Napi::CallbackInfo& info, std::initializer_list<int64_t> counts) {
  for (int64_t count : counts) {
    if (count < 0) throw Napi::RangeError::New(info.Env(), "batch, features and outputs must be non-negative");
  }
}

// Work per row, for ParallelFor's grain: n·(log2 w + m), plus the normalisation.
int64_t RowCost(const Plan& plan) {
  int64_t stages = 1;
  for (int64_t n = plan.w; n > 1; n >>= 1) ++stages;
  return plan.order * (stages + (plan.m > 1 ? plan.m : 0));
}

// hadamardRows(x, batch, order, core, transpose, y): y[r] = H·x[r] (Hᵀ·x[r]) for every row.
Napi::Value HadamardRows(const Napi::CallbackInfo& info) {
  const int64_t batch = IntArg(info, 1, "batch");
  const int64_t order = IntArg(info, 2, "order");
  const Plan plan = PlanArg(info, 3, order);
  const bool transpose = BoolArg(info, 4, "transpose");
  CheckCounts(info, {batch});
  const float* x = FloatArg(info, 0, "x", batch * order);
  float* y = FloatArg(info, 5, "y", batch * order);
  const Mixer mixer(plan.core, plan.m, plan.w, plan.m, plan.m, transpose);
  ParallelFor(batch, RowCost(plan), [&](int64_t begin, int64_t end) {
    std::vector<float> mixed(plan.m > 1 ? order : 0), scratch(mixer.scratchSize());
    for (int64_t r = begin; r < end; ++r) {
      float* out = y + r * order;
      std::memcpy(out, x + r * order, sizeof(float) * order);
      const float* result = Transform(plan, mixer, out, mixed.data(), scratch.data(), plan.m);
      if (result != out) std::memcpy(out, result, sizeof(float) * order);
    }
  });
  return info.Env().Undefined();
}

// headForward(x, batch, features, order, core, outputs, scale, epsilon, y):
// y[r] = scale·(H·pad(x[r][:used] / (‖x[r]‖ + epsilon)))[:outputs], used = min(features, order).
Napi::Value HeadForward(const Napi::CallbackInfo& info) {
  const int64_t batch = IntArg(info, 1, "batch");
  const int64_t features = IntArg(info, 2, "features");
  const int64_t order = IntArg(info, 3, "order");
  const Plan plan = PlanArg(info, 4, order);
  const int64_t outputs = IntArg(info, 5, "outputs");
  const float scale = static_cast<float>(NumberArg(info, 6, "scale"));
  const double epsilon = NumberArg(info, 7, "epsilon");
  CheckCounts(info, {batch, features, outputs});
  if (outputs > order) throw Napi::RangeError::New(info.Env(), "outputs must be at most the order");
  const float* x = FloatArg(info, 0, "x", batch * features);
  float* y = FloatArg(info, 8, "y", batch * outputs);
  const int64_t used = std::min(features, order);
  const int64_t inBlocks = BlocksCovering(used, plan.w);
  const int64_t outBlocks = BlocksCovering(outputs, plan.w);
  const Mixer mixer(plan.core, plan.m, plan.w, outBlocks, inBlocks, false);
  ParallelFor(batch, RowCost(plan), [&](int64_t begin, int64_t end) {
    std::vector<float> row(order), mixed(plan.m > 1 ? order : 0), scratch(mixer.scratchSize());
    for (int64_t r = begin; r < end; ++r) {
      const float* xr = x + r * features;
      double sumSquares = 0;
#pragma omp simd reduction(+ : sumSquares)
      for (int64_t k = 0; k < features; ++k) sumSquares += static_cast<double>(xr[k]) * xr[k];
      const float inv = static_cast<float>(1.0 / (std::sqrt(sumSquares) + epsilon));
#pragma omp simd
      for (int64_t k = 0; k < used; ++k) row[k] = xr[k] * inv;
      std::fill(row.begin() + used, row.begin() + std::min(order, inBlocks * plan.w), 0.f);
      const float* result = Transform(plan, mixer, row.data(), mixed.data(), scratch.data(), inBlocks);
      float* yr = y + r * outputs;
#pragma omp simd
      for (int64_t c = 0; c < outputs; ++c) yr[c] = result[c] * scale;
    }
  });
  return info.Env().Undefined();
}

// headBackward(dy, x, batch, features, order, core, outputs, scale, epsilon, dx):
// g = scale·(Hᵀ·pad(dy[r]))[:used], r = ‖x‖, d = r + epsilon, dx = g/d − x̂·(x̂·g)/r (g = 0 beyond used).
Napi::Value HeadBackward(const Napi::CallbackInfo& info) {
  const int64_t batch = IntArg(info, 2, "batch");
  const int64_t features = IntArg(info, 3, "features");
  const int64_t order = IntArg(info, 4, "order");
  const Plan plan = PlanArg(info, 5, order);
  const int64_t outputs = IntArg(info, 6, "outputs");
  const float scale = static_cast<float>(NumberArg(info, 7, "scale"));
  const double epsilon = NumberArg(info, 8, "epsilon");
  CheckCounts(info, {batch, features, outputs});
  if (outputs > order) throw Napi::RangeError::New(info.Env(), "outputs must be at most the order");
  const float* dy = FloatArg(info, 0, "dy", batch * outputs);
  const float* x = FloatArg(info, 1, "x", batch * features);
  float* dx = FloatArg(info, 9, "dx", batch * features);
  const int64_t used = std::min(features, order);
  const int64_t inBlocks = BlocksCovering(outputs, plan.w);
  const int64_t outBlocks = BlocksCovering(used, plan.w);
  const Mixer mixer(plan.core, plan.m, plan.w, outBlocks, inBlocks, true);
  ParallelFor(batch, RowCost(plan), [&](int64_t begin, int64_t end) {
    std::vector<float> row(order), mixed(plan.m > 1 ? order : 0), scratch(mixer.scratchSize());
    for (int64_t r = begin; r < end; ++r) {
      const float* dyr = dy + r * outputs;
#pragma omp simd
      for (int64_t c = 0; c < outputs; ++c) row[c] = dyr[c] * scale;
      std::fill(row.begin() + outputs, row.begin() + std::min(order, inBlocks * plan.w), 0.f);
      const float* g = Transform(plan, mixer, row.data(), mixed.data(), scratch.data(), inBlocks);
      const float* xr = x + r * features;
      double sumSquares = 0;
#pragma omp simd reduction(+ : sumSquares)
      for (int64_t k = 0; k < features; ++k) sumSquares += static_cast<double>(xr[k]) * xr[k];
      const double norm = std::sqrt(sumSquares);
      const double d = norm + epsilon;
      double dot = 0;  // x·g; x̂·g = dot / d
#pragma omp simd reduction(+ : dot)
      for (int64_t k = 0; k < used; ++k) dot += static_cast<double>(xr[k]) * g[k];
      // A zero row has x̂ = 0: any positive stand-in for r gives the right (zero) correction.
      const float invD = static_cast<float>(1.0 / d);
      const float along = static_cast<float>(dot / d / d / std::max(norm, 1e-30));  // (x̂·g)/(r·d)
      float* dxr = dx + r * features;
#pragma omp simd
      for (int64_t k = 0; k < used; ++k) dxr[k] = g[k] * invD - xr[k] * along;
#pragma omp simd
      for (int64_t k = used; k < features; ++k) dxr[k] = -xr[k] * along;
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void InitHadamard(Napi::Env env, Napi::Object exports) {
  Export<HadamardRows>(env, exports, "hadamardRows");
  Export<HeadForward>(env, exports, "headForward");
  Export<HeadBackward>(env, exports, "headBackward");
}

}  // namespace fixclf
