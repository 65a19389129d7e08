// Batch normalisation over the last (channel) axis of x viewed as [rows, channels], in one or two
// streaming passes. The forward is TF.js's FusedBatchNorm; the backward comes in two flavours:
//  - 'inputs': the gradient of FusedBatchNorm treating mean and variance as independent inputs (what
//    TF.js's registered gradient computes with ~14 element-wise kernels), in a single pass;
//  - 'moments': the full training-mode gradient when mean and variance are the batch moments of x
//    (dx = γ·rs·(dy − mean(dy) − x̂·mean(dy·x̂))), in two passes, so that the moments' own backward
//    contributes nothing further.
#include <cmath>

#include "common.h"
#include "parallel.h"

namespace fixclf {
namespace {

// Rows of x (argument 0) seen as [rows, channels].
int64_t ChannelRows(const Napi::CallbackInfo& info, int64_t channels) {
  int64_t length = FloatLength(info, 0, "x");
  if (channels <= 0 || length % channels != 0) {
    throw Napi::RangeError::New(info.Env(), "x size must be a multiple of the channel count");
  }
  return length / channels;
}

// bnForward(x, channels, mean, variance, scale|null, offset|null, epsilon, y)
Napi::Value BnForward(const Napi::CallbackInfo& info) {
  int64_t channels = IntArg(info, 1, "channels");
  int64_t total = ChannelRows(info, channels) * channels;
  const float* x = FloatArg(info, 0, "x", total);
  const float* mean = FloatArg(info, 2, "mean", channels);
  const float* variance = FloatArg(info, 3, "variance", channels);
  const float* scale = FloatArg(info, 4, "scale", channels, true);
  const float* offset = FloatArg(info, 5, "offset", channels, true);
  float epsilon = static_cast<float>(NumberArg(info, 6, "epsilon"));
  float* y = FloatArg(info, 7, "y", total);

  std::vector<float> a(channels), b(channels);
  for (int64_t c = 0; c < channels; ++c) {
    float rs = 1.f / std::sqrt(variance[c] + epsilon);
    a[c] = rs * (scale != nullptr ? scale[c] : 1.f);
    b[c] = (offset != nullptr ? offset[c] : 0.f) - mean[c] * a[c];
  }
  int64_t rows = total / channels;
  const float* pa = a.data();
  const float* pb = b.data();
  ParallelFor(rows, channels, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const float* xr = x + r * channels;
      float* yr = y + r * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; ++c) yr[c] = xr[c] * pa[c] + pb[c];
    }
  });
  return info.Env().Undefined();
}

// bnBackward(x, dy, channels, mean, variance, scale|null, epsilon, mode, dx|null, dmean|null, dvariance|null,
//            dscale|null, doffset|null); mode 0 = 'inputs', 1 = 'moments'.
Napi::Value BnBackward(const Napi::CallbackInfo& info) {
  int64_t channels = IntArg(info, 2, "channels");
  int64_t rows = ChannelRows(info, channels);
  int64_t total = rows * channels;
  const float* x = FloatArg(info, 0, "x", total);
  const float* dy = FloatArg(info, 1, "dy", total);
  const float* mean = FloatArg(info, 3, "mean", channels);
  const float* variance = FloatArg(info, 4, "variance", channels);
  const float* scale = FloatArg(info, 5, "scale", channels, true);
  float epsilon = static_cast<float>(NumberArg(info, 6, "epsilon"));
  int64_t mode = IntArg(info, 7, "mode");
  float* dx = FloatArg(info, 8, "dx", total, true);
  float* dmean = FloatArg(info, 9, "dmean", channels, true);
  float* dvariance = FloatArg(info, 10, "dvariance", channels, true);
  float* dscale = FloatArg(info, 11, "dscale", channels, true);
  float* doffset = FloatArg(info, 12, "doffset", channels, true);

  std::vector<float> rs(channels), gain(channels);
  for (int64_t c = 0; c < channels; ++c) {
    rs[c] = 1.f / std::sqrt(variance[c] + epsilon);
    gain[c] = rs[c] * (scale != nullptr ? scale[c] : 1.f);
  }
  const float* pm = mean;
  const float* pg = gain.data();
  // In 'inputs' mode dx needs no sums, so it is written during the reduction pass.
  bool dxInFirstPass = mode == 0 && dx != nullptr;
  std::vector<double> sums = ColumnReduce(rows, channels, 2, [&](int64_t begin, int64_t end, float* partial) {
    float* sumDy = partial;
    float* sumDyXc = partial + channels;
    for (int64_t r = begin; r < end; ++r) {
      const float* xr = x + r * channels;
      const float* dyr = dy + r * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; ++c) {
        sumDy[c] += dyr[c];
        sumDyXc[c] += dyr[c] * (xr[c] - pm[c]);
      }
      if (dxInFirstPass) {
        float* dxr = dx + r * channels;
#pragma omp simd
        for (int64_t c = 0; c < channels; ++c) dxr[c] = dyr[c] * pg[c];
      }
    }
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

  if (mode == 1 && dx != nullptr) {
    // dx = gain·(dy − Σdy/R − (x − μ)·rs²·Σ(dy·(x − μ))/R)
    std::vector<float> meanDy(channels), k(channels);
    for (int64_t c = 0; c < channels; ++c) {
      meanDy[c] = static_cast<float>(sums[c] / rows);
      k[c] = static_cast<float>(static_cast<double>(rs[c]) * rs[c] * sums[channels + c] / rows);
    }
    const float* pmd = meanDy.data();
    const float* pk = k.data();
    ParallelFor(rows, channels, [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        const float* xr = x + r * channels;
        const float* dyr = dy + r * channels;
        float* dxr = dx + r * channels;
#pragma omp simd
        for (int64_t c = 0; c < channels; ++c) dxr[c] = pg[c] * (dyr[c] - pmd[c] - (xr[c] - pm[c]) * pk[c]);
      }
    });
  }
  return info.Env().Undefined();
}

// bnVariance(x, channels, mean, variance): mean over rows of (x − mean)², i.e. Mean(Square(Sub(x, mean)))
// without materialising the two full-size intermediates.
Napi::Value BnVariance(const Napi::CallbackInfo& info) {
  int64_t channels = IntArg(info, 1, "channels");
  int64_t rows = ChannelRows(info, channels);
  const float* x = FloatArg(info, 0, "x", rows * channels);
  const float* mean = FloatArg(info, 2, "mean", channels);
  float* variance = FloatArg(info, 3, "variance", channels);
  std::vector<double> squares = ColumnReduce(rows, channels, 1, [&](int64_t begin, int64_t end, float* partial) {
    for (int64_t r = begin; r < end; ++r) {
      const float* xr = x + r * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; ++c) {
        float d = xr[c] - mean[c];
        partial[c] += d * d;
      }
    }
  });
  for (int64_t c = 0; c < channels; ++c) variance[c] = static_cast<float>(squares[c] / rows);
  return info.Env().Undefined();
}

}  // namespace

void InitBatchNorm(Napi::Env env, Napi::Object exports) {
  Export<BnForward>(env, exports, "bnForward");
  Export<BnBackward>(env, exports, "bnBackward");
  Export<BnVariance>(env, exports, "bnVariance");
}

}  // namespace fixclf
