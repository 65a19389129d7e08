// Reductions over one contiguous group of axes: x seen as [outer, reduced, inner] gives out [outer, inner].
// The caller (src/kernels/reduce.ts) maps TF.js's axes to that view, or falls back to the cpu kernel.
// Sums accumulate in float within blocks and in double across blocks.
#include <cmath>
#include <limits>

#include "common.h"
#include "parallel.h"

namespace fixclf {
namespace {

enum ReduceOp : int { kSum = 0, kMean = 1, kMax = 2, kMin = 3 };

// Sum of a contiguous run, float lanes per block, double across blocks.
double RunSum(const float* x, int64_t n) {
  constexpr int64_t kBlock = 4096;
  double total = 0.0;
  for (int64_t start = 0; start < n; start += kBlock) {
    int64_t end = std::min(n, start + kBlock);
    float block = 0.f;
#pragma omp simd reduction(+ : block)
    for (int64_t i = start; i < end; ++i) block += x[i];
    total += block;
  }
  return total;
}

void SumOrMean(const float* x, int64_t outer, int64_t reduced, int64_t inner, float* out, bool mean) {
  const double scale = mean ? 1.0 / static_cast<double>(reduced) : 1.0;
  if (inner == 1) {
    if (outer >= ThreadCount() || outer * reduced < kParallelGrain) {
      ParallelFor(outer, reduced, [&](int64_t begin, int64_t end) {
        for (int64_t o = begin; o < end; ++o) out[o] = static_cast<float>(RunSum(x + o * reduced, reduced) * scale);
      });
      return;
    }
    // Few long runs: split each run across threads.
    for (int64_t o = 0; o < outer; ++o) {
      std::vector<double> partial = ColumnReduce(reduced, 1, 1, [&](int64_t begin, int64_t end, float* acc) {
        float s = 0.f;
        const float* p = x + o * reduced;
#pragma omp simd reduction(+ : s)
        for (int64_t i = begin; i < end; ++i) s += p[i];
        acc[0] += s;
      });
      out[o] = static_cast<float>(partial[0] * scale);
    }
    return;
  }
  if (outer == 1 || outer < ThreadCount()) {
    for (int64_t o = 0; o < outer; ++o) {
      const float* base = x + o * reduced * inner;
      std::vector<double> sums = ColumnReduce(reduced, inner, 1, [&](int64_t begin, int64_t end, float* acc) {
        for (int64_t r = begin; r < end; ++r) {
          const float* row = base + r * inner;
#pragma omp simd
          for (int64_t c = 0; c < inner; ++c) acc[c] += row[c];
        }
      });
      for (int64_t c = 0; c < inner; ++c) out[o * inner + c] = static_cast<float>(sums[c] * scale);
    }
    return;
  }
  ParallelFor(outer, reduced * inner, [&](int64_t begin, int64_t end) {
    std::vector<float> block(inner);
    std::vector<double> total(inner);
    for (int64_t o = begin; o < end; ++o) {
      std::fill(total.begin(), total.end(), 0.0);
      const float* base = x + o * reduced * inner;
      for (int64_t r0 = 0; r0 < reduced; r0 += 256) {
        std::fill(block.begin(), block.end(), 0.f);
        int64_t r1 = std::min(reduced, r0 + 256);
        for (int64_t r = r0; r < r1; ++r) {
          const float* row = base + r * inner;
          float* acc = block.data();
#pragma omp simd
          for (int64_t c = 0; c < inner; ++c) acc[c] += row[c];
        }
        for (int64_t c = 0; c < inner; ++c) total[c] += block[c];
      }
      for (int64_t c = 0; c < inner; ++c) out[o * inner + c] = static_cast<float>(total[c] * scale);
    }
  });
}

template <bool IsMax>
void Extreme(const float* x, int64_t outer, int64_t reduced, int64_t inner, float* out) {
  ParallelFor(outer * inner, reduced, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      int64_t o = i / inner;
      int64_t c = i % inner;
      const float* p = x + o * reduced * inner + c;
      float best = p[0];
      for (int64_t r = 1; r < reduced; ++r) {
        float v = p[r * inner];
        // NaN wins, as in TF.js.
        if (v != v || (IsMax ? v > best : v < best)) best = v;
        if (best != best) break;
      }
      out[i] = best;
    }
  });
}

// reduce(op, x, outer, reduced, inner, out)
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  int op = static_cast<int>(IntArg(info, 0, "op"));
  int64_t outer = IntArg(info, 2, "outer");
  int64_t reduced = IntArg(info, 3, "reduced");
  int64_t inner = IntArg(info, 4, "inner");
  if (outer < 0 || reduced < 1 || inner < 0) throw Napi::RangeError::New(info.Env(), "invalid reduction extents");
  const float* x = FloatArg(info, 1, "x", outer * reduced * inner);
  float* out = FloatArg(info, 5, "out", outer * inner);
  switch (op) {
    case kSum: SumOrMean(x, outer, reduced, inner, out, false); break;
    case kMean: SumOrMean(x, outer, reduced, inner, out, true); break;
    case kMax: Extreme<true>(x, outer, reduced, inner, out); break;
    case kMin: Extreme<false>(x, outer, reduced, inner, out); break;
    default: throw Napi::RangeError::New(info.Env(), "unknown reduce op " + std::to_string(op));
  }
  return info.Env().Undefined();
}

}  // namespace

void InitReduce(Napi::Env env, Napi::Object exports) { Export<Reduce>(env, exports, "reduce"); }

}  // namespace fixclf
