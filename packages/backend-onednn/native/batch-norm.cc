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

// Rows are at most this wide when a ReLU mask is applied on the fly (wider inputs take the slow path).
constexpr int64_t kMaxRowChunk = 4096;

// Row r of the gradient: dy itself, or dy·step(reluOutput) written into `scratch`.
inline const float* EffectiveDy(const float* dy, const float* mask, int64_t r, int64_t channels, float* scratch) {
  const float* dyr = dy + r * channels;
  if (mask == nullptr) return dyr;
  const float* mr = mask + r * channels;
#pragma omp simd
  for (int64_t c = 0; c < channels; ++c) {
    float v = mr[c];
    float step = v > 0.f ? 1.f : 0.f;
    step = v != v ? v : step;
    scratch[c] = dyr[c] * step;
  }
  return scratch;
}

// bnForward(x, channels, mean, variance, scale|null, offset|null, epsilon, y, residual|null, relu):
// y = [relu](γ·(x − μ)/√(v + ε) + β [+ residual]). The residual and ReLU let a deferred batch-norm output
// be consumed by the Add or Relu that follows it without ever being stored (src/kernels/FusedBatchNorm.ts).
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
  const float* residual = FloatArg(info, 8, "residual", total, true);
  bool relu = BoolArg(info, 9, "relu");

  std::vector<float> gain(channels), shift(channels);
  for (int64_t c = 0; c < channels; ++c) {
    gain[c] = (scale != nullptr ? scale[c] : 1.f) / std::sqrt(variance[c] + epsilon);
    shift[c] = offset != nullptr ? offset[c] : 0.f;
  }
  int64_t rows = total / channels;
  const float* pm = mean;
  const float* pg = gain.data();
  const float* ps = shift.data();
  ParallelFor(rows, channels, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const float* xr = x + r * channels;
      float* yr = y + r * channels;
      const float* rr = residual != nullptr ? residual + r * channels : nullptr;
      if (rr == nullptr && !relu) {
#pragma omp simd
        for (int64_t c = 0; c < channels; ++c) yr[c] = (xr[c] - pm[c]) * pg[c] + ps[c];
      } else if (rr == nullptr) {
#pragma omp simd
        for (int64_t c = 0; c < channels; ++c) {
          float v = (xr[c] - pm[c]) * pg[c] + ps[c];
          yr[c] = v != v ? v : (v > 0.f ? v : 0.f);
        }
      } else {
#pragma omp simd
        for (int64_t c = 0; c < channels; ++c) {
          float v = (xr[c] - pm[c]) * pg[c] + ps[c] + rr[c];
          yr[c] = (relu && !(v != v) && !(v > 0.f)) ? 0.f : v;
        }
      }
    }
  });
  return info.Env().Undefined();
}

// bnBackward(x, dy, channels, mean, variance, scale|null, epsilon, mode, dx|null, dmean|null, dvariance|null,
//            dscale|null, doffset|null, reluOutput|null); mode 0 = 'inputs', 1 = 'moments'. With reluOutput,
// dy is the gradient of a ReLU that followed: the gradient used is dy·step(reluOutput), computed on the fly.
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
  const float* mask = FloatArg(info, 13, "reluOutput", total, true);
  if (mask != nullptr && channels > kMaxRowChunk)
    throw Napi::RangeError::New(info.Env(), "reluOutput needs channels <= 4096");

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
    float masked[kMaxRowChunk];
    for (int64_t r = begin; r < end; ++r) {
      const float* xr = x + r * channels;
      const float* dyr = EffectiveDy(dy, mask, r, channels, masked);
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
      float masked[kMaxRowChunk];
      for (int64_t r = begin; r < end; ++r) {
        const float* xr = x + r * channels;
        const float* dyr = EffectiveDy(dy, mask, r, channels, masked);
        float* dxr = dx + r * channels;
#pragma omp simd
        for (int64_t c = 0; c < channels; ++c) dxr[c] = pg[c] * (dyr[c] - pmd[c] - (xr[c] - pm[c]) * pk[c]);
      }
    });
  }
  return info.Env().Undefined();
}

// channelMoments(x, channels, mean, variance): mean and (biased) variance per channel in one pass. Sums are
// of x − s with s the first row, so that E[(x − s)²] − E[x − s]² does not cancel catastrophically.
Napi::Value ChannelMoments(const Napi::CallbackInfo& info) {
  int64_t channels = IntArg(info, 1, "channels");
  int64_t rows = ChannelRows(info, channels);
  const float* x = FloatArg(info, 0, "x", rows * channels);
  float* mean = FloatArg(info, 2, "mean", channels);
  float* variance = FloatArg(info, 3, "variance", channels);
  if (rows == 0) throw Napi::RangeError::New(info.Env(), "channelMoments needs at least one row");
  std::vector<float> shift(x, x + channels);
  const float* ps = shift.data();
  std::vector<double> sums = ColumnReduce(rows, channels, 2, [&](int64_t begin, int64_t end, float* partial) {
    float* s1 = partial;
    float* s2 = partial + channels;
    for (int64_t r = begin; r < end; ++r) {
      const float* xr = x + r * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; ++c) {
        float d = xr[c] - ps[c];
        s1[c] += d;
        s2[c] += d * d;
      }
    }
  });
  for (int64_t c = 0; c < channels; ++c) {
    double m = sums[c] / rows;
    double v = sums[channels + c] / rows - m * m;
    mean[c] = static_cast<float>(m + ps[c]);
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
