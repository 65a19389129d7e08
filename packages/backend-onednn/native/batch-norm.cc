// Batch normalisation over the last (channel) axis of x viewed as [rows, channels], in one or two
// streaming passes. The forward is TF.js's FusedBatchNorm; the backward comes in two flavours:
//  - 'inputs': the gradient of FusedBatchNorm treating mean and variance as independent inputs (what
//    TF.js's registered gradient computes with ~14 element-wise kernels), in a single pass;
//  - 'moments': the full training-mode gradient when mean and variance are the batch moments of x
//    (dx = γ·rs·(dy − mean(dy) − x̂·mean(dy·x̂))), in two passes, so that the moments' own backward
//    contributes nothing further.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "bf16-values.h"
#include "common.h"
#include "parallel.h"

namespace fixclf {
namespace {

// In bf16 mode x, the residual, y, the ReLU output and dx may be bf16 (bf16-values.h): a trailing bit
// mask says which, and arithmetic stays float32. Element counts come from a float32 argument, or from a
// trailing count when every full-size argument is bf16.

int64_t RowsOf(const Napi::CallbackInfo& info, int64_t total, int64_t channels) {
  if (channels <= 0 || total % channels != 0) {
    throw Napi::RangeError::New(info.Env(), "x size must be a multiple of the channel count");
  }
  return total / channels;
}

int64_t MaskArg(const Napi::CallbackInfo& info, size_t index) {
  return info.Length() > index && info[index].IsNumber() ? IntArg(info, index, "bf16Mask") : 0;
}

// Rows are at most this wide when a ReLU mask is applied on the fly (wider inputs take the slow path).
constexpr int64_t kMaxRowChunk = 4096;

// Row r of the gradient as float32: dy itself, or dy·step(reluOutput), or a bf16 dy widened, in `scratch`.
template <typename G, typename M>
inline const float* EffectiveDy(const G* dy, const M* mask, int64_t r, int64_t channels, float* scratch) {
  const G* dyr = dy + r * channels;
  if constexpr (std::is_same_v<G, float>) {
    if (mask == nullptr) return dyr;
  }
  if (mask == nullptr) {
#pragma omp simd
    for (int64_t c = 0; c < channels; ++c) scratch[c] = Widen(dyr[c]);
    return scratch;
  }
  const M* mr = mask + r * channels;
#pragma omp simd
  for (int64_t c = 0; c < channels; ++c) {
    float v = Widen(mr[c]);
    float step = v > 0.f ? 1.f : 0.f;
    step = v != v ? v : step;
    scratch[c] = Widen(dyr[c]) * step;
  }
  return scratch;
}

// Rows of few channels are processed k at a time, as one row of k·channels values with the per-channel
// parameters repeated k times: a 16-channel row is one float32 vector, or half of one in bf16, and its loop
// overhead dominated (batch norm + ReLU over ResNet's 32×32×16 activations at batch 128: 0.38 ms per pass
// in float32, 0.68 ms in bf16, against 0.18 / 0.24 ms for the same bytes in 64-channel rows).
struct WideRows {
  int64_t k;          // rows taken together
  int64_t width;      // k·channels
  int64_t wide;       // rows of `width`
  int64_t rest;       // remaining rows of `channels`, after them
  int64_t restStart;  // element offset of the remaining rows
};
WideRows WidenRows(int64_t rows, int64_t channels) {
  int64_t k = channels < 64 && 64 % channels == 0 ? 64 / channels : 1;
  return {k, k * channels, rows / k, rows % k, rows / k * k * channels};
}
std::vector<float> Repeat(const std::vector<float>& perChannel, int64_t k) {
  std::vector<float> out;
  out.reserve(perChannel.size() * static_cast<size_t>(k));
  for (int64_t j = 0; j < k; ++j) out.insert(out.end(), perChannel.begin(), perChannel.end());
  return out;
}
// Column sums over widened rows folded back to `sums` arrays of `channels`.
std::vector<double> Fold(const std::vector<double>& wide, int64_t width, int64_t channels, int sums) {
  std::vector<double> out(static_cast<size_t>(channels * sums), 0.0);
  for (int s = 0; s < sums; ++s)
    for (int64_t i = 0; i < width; ++i) out[s * channels + i % channels] += wide[s * width + i];
  return out;
}

template <typename X, typename R, typename Y>
void BnForwardRows(const X* x, const R* residual, Y* y, int64_t rows, int64_t width, const float* pm, const float* pg,
                   const float* ps, bool relu) {
  constexpr bool kDirect = std::is_same_v<Y, float>;
  ParallelFor(rows, width, [&](int64_t begin, int64_t end) {
    float buffer[kMaxRowChunk];
    for (int64_t r = begin; r < end; ++r) {
      for (int64_t c0 = 0; c0 < width; c0 += kMaxRowChunk) {
        int64_t n = std::min(kMaxRowChunk, width - c0);
        int64_t at = r * width + c0;
        const X* xr = x + at;
        const R* rr = residual != nullptr ? residual + at : nullptr;
        float* out = kDirect ? reinterpret_cast<float*>(y + at) : buffer;
        const float* m = pm + c0;
        const float* g = pg + c0;
        const float* s = ps + c0;
        if (rr == nullptr && !relu) {
#pragma omp simd
          for (int64_t c = 0; c < n; ++c) out[c] = (Widen(xr[c]) - m[c]) * g[c] + s[c];
        } else if (rr == nullptr) {
#pragma omp simd
          for (int64_t c = 0; c < n; ++c) {
            float v = (Widen(xr[c]) - m[c]) * g[c] + s[c];
            out[c] = v != v ? v : (v > 0.f ? v : 0.f);
          }
        } else {
#pragma omp simd
          for (int64_t c = 0; c < n; ++c) {
            float v = (Widen(xr[c]) - m[c]) * g[c] + s[c] + Widen(rr[c]);
            out[c] = (relu && !(v != v) && !(v > 0.f)) ? 0.f : v;
          }
        }
        if constexpr (!kDirect) StoreValues(y + at, buffer, n);
      }
    }
  });
}

// bnForward(x, channels, mean, variance, scale|null, offset|null, epsilon, y, residual|null, relu,
//           [bf16Mask, count]): y = [relu](γ·(x − μ)/√(v + ε) + β [+ residual]); bf16Mask bits: 1 x,
// 2 residual, 4 y; count (the element count) is needed when x and y are both bf16. The residual and ReLU
// let a deferred batch-norm output be consumed by the Add or Relu that follows it without ever being
// stored (src/kernels/FusedBatchNorm.ts).
Napi::Value BnForward(const Napi::CallbackInfo& info) {
  int64_t channels = IntArg(info, 1, "channels");
  int64_t bits = MaskArg(info, 10);
  bool xb = bits & 1, rb = bits & 2, yb = bits & 4;
  int64_t total = !xb ? FloatLength(info, 0, "x") : !yb ? FloatLength(info, 7, "y") : IntArg(info, 11, "count");
  int64_t rows = RowsOf(info, total, channels);
  Values x = ValuesArg(info, 0, "x", total, xb);
  const float* mean = FloatArg(info, 2, "mean", channels);
  const float* variance = FloatArg(info, 3, "variance", channels);
  const float* scale = FloatArg(info, 4, "scale", channels, true);
  const float* offset = FloatArg(info, 5, "offset", channels, true);
  float epsilon = static_cast<float>(NumberArg(info, 6, "epsilon"));
  Values y = ValuesArg(info, 7, "y", total, yb);
  Values residual = ValuesArg(info, 8, "residual", total, rb, true);
  bool relu = BoolArg(info, 9, "relu");

  std::vector<float> m(mean, mean + channels), gain(channels), shift(channels);
  for (int64_t c = 0; c < channels; ++c) {
    gain[c] = (scale != nullptr ? scale[c] : 1.f) / std::sqrt(variance[c] + epsilon);
    shift[c] = offset != nullptr ? offset[c] : 0.f;
  }
  WideRows w = WidenRows(rows, channels);
  std::vector<float> pm = Repeat(m, w.k), pg = Repeat(gain, w.k), ps = Repeat(shift, w.k);
  WithType(x, [&](auto* xp) {
    WithType(y, [&](auto* yp) {
      WithType(residual, [&](auto* rp) {
        BnForwardRows(xp, rp, yp, w.wide, w.width, pm.data(), pg.data(), ps.data(), relu);
        int64_t o = w.restStart;
        if (w.rest > 0)
          BnForwardRows(xp + o, rp != nullptr ? rp + o : rp, yp + o, w.rest, channels, pm.data(), pg.data(), ps.data(),
                        relu);
      });
    });
  });
  return info.Env().Undefined();
}

// The batch-norm gradient over rows of `width` (parameters repeated to that width): the sums Σdy and
// Σdy·(x − μ) per column, and dx where it needs no sums ('inputs' mode)...
template <typename X, typename G, typename M, typename D>
std::vector<double> BnGradientSums(const X* x, const G* dy, const M* mask, D* dx, int64_t rows, int64_t width,
                                   const float* pm, const float* pg, bool writeDx) {
  constexpr bool kDirect = std::is_same_v<D, float>;
  return ColumnReduce(rows, width, 2, [&](int64_t begin, int64_t end, float* partial) {
    float* sumDy = partial;
    float* sumDyXc = partial + width;
    float masked[kMaxRowChunk];
    float row[kMaxRowChunk];
    for (int64_t r = begin; r < end; ++r) {
      const X* xr = x + r * width;
      const float* dyr = EffectiveDy(dy, mask, r, width, masked);
#pragma omp simd
      for (int64_t c = 0; c < width; ++c) {
        sumDy[c] += dyr[c];
        sumDyXc[c] += dyr[c] * (Widen(xr[c]) - pm[c]);
      }
      if (writeDx) {
        float* out = kDirect ? reinterpret_cast<float*>(dx + r * width) : row;
#pragma omp simd
        for (int64_t c = 0; c < width; ++c) out[c] = dyr[c] * pg[c];
        if constexpr (!kDirect) StoreValues(dx + r * width, row, width);
      }
    }
  });
}

// ...and, given the sums, dx = gain·(dy − Σdy/R − (x − μ)·rs²·Σ(dy·(x − μ))/R) ('moments' mode).
template <typename X, typename G, typename M, typename D>
void BnGradientApply(const X* x, const G* dy, const M* mask, D* dx, int64_t rows, int64_t width, const float* pm,
                     const float* pg, const float* pmd, const float* pk) {
  constexpr bool kDirect = std::is_same_v<D, float>;
  ParallelFor(rows, width, [&](int64_t begin, int64_t end) {
    float masked[kMaxRowChunk];
    float row[kMaxRowChunk];
    for (int64_t r = begin; r < end; ++r) {
      const X* xr = x + r * width;
      const float* dyr = EffectiveDy(dy, mask, r, width, masked);
      float* out = kDirect ? reinterpret_cast<float*>(dx + r * width) : row;
#pragma omp simd
      for (int64_t c = 0; c < width; ++c) out[c] = pg[c] * (dyr[c] - pmd[c] - (Widen(xr[c]) - pm[c]) * pk[c]);
      if constexpr (!kDirect) StoreValues(dx + r * width, row, width);
    }
  });
}

// bnBackward(x, dy, channels, mean, variance, scale|null, epsilon, mode, dx|null, dmean|null, dvariance|null,
//            dscale|null, doffset|null, reluOutput|null, [bf16Mask, count]); mode 0 = 'inputs', 1 = 'moments'.
// With reluOutput, dy is the gradient of a ReLU that followed: the gradient used is dy·step(reluOutput),
// computed on the fly. bf16Mask bits: 1 x, 2 reluOutput, 4 dx, 8 dy; count (the element count) is needed
// when dy is bf16.
Napi::Value BnBackward(const Napi::CallbackInfo& info) {
  int64_t channels = IntArg(info, 2, "channels");
  int64_t bits = MaskArg(info, 14);
  int64_t total = bits & 8 ? IntArg(info, 15, "count") : FloatLength(info, 1, "dy");
  int64_t rows = RowsOf(info, total, channels);
  Values x = ValuesArg(info, 0, "x", total, bits & 1);
  Values dyv = ValuesArg(info, 1, "dy", total, bits & 8);
  const float* mean = FloatArg(info, 3, "mean", channels);
  const float* variance = FloatArg(info, 4, "variance", channels);
  const float* scale = FloatArg(info, 5, "scale", channels, true);
  float epsilon = static_cast<float>(NumberArg(info, 6, "epsilon"));
  int64_t mode = IntArg(info, 7, "mode");
  Values dx = ValuesArg(info, 8, "dx", total, bits & 4, true);
  float* dmean = FloatArg(info, 9, "dmean", channels, true);
  float* dvariance = FloatArg(info, 10, "dvariance", channels, true);
  float* dscale = FloatArg(info, 11, "dscale", channels, true);
  float* doffset = FloatArg(info, 12, "doffset", channels, true);
  Values mask = ValuesArg(info, 13, "reluOutput", total, bits & 2, true);

  std::vector<float> m(mean, mean + channels), rs(channels), gain(channels);
  for (int64_t c = 0; c < channels; ++c) {
    rs[c] = 1.f / std::sqrt(variance[c] + epsilon);
    gain[c] = rs[c] * (scale != nullptr ? scale[c] : 1.f);
  }
  WideRows w = WidenRows(rows, channels);
  if ((mask || dx.bf16 || dyv.bf16) && w.width > kMaxRowChunk)
    throw Napi::RangeError::New(info.Env(), "reluOutput and bf16 dx or dy need channels <= 4096");
  std::vector<float> pm = Repeat(m, w.k), pg = Repeat(gain, w.k);
  // In 'inputs' mode dx needs no sums, so it is written during the reduction pass.
  bool dxInFirstPass = mode == 0 && dx;
  std::vector<double> sums;
  WithType(x, [&](auto* xp) {
    WithType(dyv, [&](auto* dy) {
      WithType(mask, [&](auto* mp) {
        WithType(dx, [&](auto* dp) {
          int64_t o = w.restStart;
          sums = Fold(BnGradientSums(xp, dy, mp, dp, w.wide, w.width, pm.data(), pg.data(), dxInFirstPass), w.width,
                      channels, 2);
          if (w.rest > 0) {
            auto rest = BnGradientSums(xp + o, dy + o, mp != nullptr ? mp + o : mp, dp != nullptr ? dp + o : dp, w.rest,
                                       channels, pm.data(), pg.data(), dxInFirstPass);
            for (size_t i = 0; i < sums.size(); ++i) sums[i] += rest[i];
          }
          if (mode != 1 || dp == nullptr) return;
          std::vector<float> meanDy(channels), k(channels);
          for (int64_t c = 0; c < channels; ++c) {
            meanDy[c] = static_cast<float>(sums[c] / rows);
            k[c] = static_cast<float>(static_cast<double>(rs[c]) * rs[c] * sums[channels + c] / rows);
          }
          std::vector<float> pmd = Repeat(meanDy, w.k), pk = Repeat(k, w.k);
          BnGradientApply(xp, dy, mp, dp, w.wide, w.width, pm.data(), pg.data(), pmd.data(), pk.data());
          if (w.rest > 0)
            BnGradientApply(xp + o, dy + o, mp != nullptr ? mp + o : mp, dp + o, w.rest, channels, pm.data(), pg.data(),
                            pmd.data(), pk.data());
        });
      });
    });
  });

  for (int64_t c = 0; c < channels; ++c) {
    double sumDy = sums[c];
    double sumDyXc = sums[channels + c];
    double s = scale != nullptr ? scale[c] : 1.0;
    double r = rs[c];
    if (dmean != nullptr) dmean[c] = static_cast<float>(-r * s * sumDy);
    if (dvariance != nullptr) dvariance[c] = static_cast<float>(-0.5 * s * r * r * r * sumDyXc);
    if (dscale != nullptr) dscale[c] = static_cast<float>(r * sumDyXc);
    if (doffset != nullptr) doffset[c] = static_cast<float>(sumDy);
  }
  return info.Env().Undefined();
}

template <typename X>
std::vector<double> MomentSums(const X* x, int64_t rows, int64_t width, const float* ps) {
  return ColumnReduce(rows, width, 2, [&](int64_t begin, int64_t end, float* partial) {
    float* s1 = partial;
    float* s2 = partial + width;
    for (int64_t r = begin; r < end; ++r) {
      const X* xr = x + r * width;
#pragma omp simd
      for (int64_t c = 0; c < width; ++c) {
        float d = Widen(xr[c]) - ps[c];
        s1[c] += d;
        s2[c] += d * d;
      }
    }
  });
}

// channelMoments(x, channels, mean, variance, [xIsBf16, count]): mean and (biased) variance per channel in
// one pass; count (the element count) is needed when x is bf16. Sums are taken of x − x[0] (the first row),
// which keeps the variance accurate when |mean| ≫ std.
Napi::Value ChannelMoments(const Napi::CallbackInfo& info) {
  int64_t channels = IntArg(info, 1, "channels");
  bool bf16 = info.Length() > 4 && info[4].IsBoolean() && BoolArg(info, 4, "xIsBf16");
  int64_t rows = RowsOf(info, bf16 ? IntArg(info, 5, "count") : FloatLength(info, 0, "x"), channels);
  Values xv = ValuesArg(info, 0, "x", rows * channels, bf16);
  float* mean = FloatArg(info, 2, "mean", channels);
  float* variance = FloatArg(info, 3, "variance", channels);
  if (rows == 0) throw Napi::RangeError::New(info.Env(), "channelMoments needs at least one row");
  std::vector<double> sums;
  std::vector<float> shift(channels);
  WideRows w = WidenRows(rows, channels);
  WithType(xv, [&](auto* x) {
    for (int64_t c = 0; c < channels; ++c) shift[c] = Widen(x[c]);
    std::vector<float> ps = Repeat(shift, w.k);
    sums = Fold(MomentSums(x, w.wide, w.width, ps.data()), w.width, channels, 2);
    if (w.rest > 0) {
      auto rest = MomentSums(x + w.restStart, w.rest, channels, ps.data());
      for (size_t i = 0; i < sums.size(); ++i) sums[i] += rest[i];
    }
  });
  for (int64_t c = 0; c < channels; ++c) {
    double m = sums[c] / rows;
    double v = sums[channels + c] / rows - m * m;
    mean[c] = static_cast<float>(m + shift[c]);
    variance[c] = static_cast<float>(v > 0 ? v : 0);
  }
  return info.Env().Undefined();
}

}  // namespace

void InitBatchNorm(Napi::Env env, Napi::Object exports) {
  Export<BnForward>(env, exports, "bnForward");
  Export<BnBackward>(env, exports, "bnBackward");
  Export<ChannelMoments>(env, exports, "channelMoments");
}

}  // namespace fixclf
