// The benchmark's yardstick: oneDNN alone running convolution forward, backward-data and backward-weights
// on a list of layer shapes (NHWC activations, 'same' padding as TF.js computes it), with no JS, no
// allocation and no element-wise work around it. Optionally with the filters forced into TF.js's plain
// HWIO layout, which makes oneDNN fall back to its GEMM kernels.
#include <chrono>

#include "common.h"

namespace fixclf {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

double Now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

struct Timing {
  double flops = 0, fwd = 0, bwdData = 0, bwdWeights = 0;
};

// layers: [[h, w, inChannels, outChannels, kernel, stride, count], ...]
Napi::Value ConvCeiling(const Napi::CallbackInfo& info) {
  if (!info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "argument 'layers' must be an array");
  auto layers = info[0].As<Napi::Array>();
  int64_t batch = IntArg(info, 1, "batch");
  int64_t reps = IntArg(info, 2, "repetitions");
  bool plainWeights = BoolArg(info, 3, "plainWeights");
  auto& eng = CpuEngine();
  auto& stream = CpuStream();
  Timing total;
  for (uint32_t li = 0; li < layers.Length(); ++li) {
    Napi::Value layer = layers.Get(li);
    if (!layer.IsArray() || layer.As<Napi::Array>().Length() != 7) {
      throw Napi::TypeError::New(info.Env(),
                                 "each layer must be [h, w, inChannels, outChannels, kernel, stride, count]");
    }
    auto l = layer.As<Napi::Array>();
    auto at = [&](uint32_t i) { return l.Get(i).As<Napi::Number>().Int64Value(); };
    int64_t h = at(0), w = at(1), ci = at(2), co = at(3), k = at(4), s = at(5), count = at(6);
    int64_t oh = (h + s - 1) / s, ow = (w + s - 1) / s;
    int64_t padH = std::max<int64_t>(0, (oh - 1) * s + k - h), padW = std::max<int64_t>(0, (ow - 1) * s + k - w);
    memory::dims strides{s, s}, dil{0, 0}, pl{padH / 2, padW / 2}, pr{padH - padH / 2, padW - padW / 2};
    memory::desc src({batch, ci, h, w}, dt::f32, tag::nhwc), dst({batch, co, oh, ow}, dt::f32, tag::nhwc);
    memory::desc wei({co, ci, k, k}, dt::f32, plainWeights ? tag::hwio : tag::any);
    auto fpd = dnnl::convolution_forward::primitive_desc(
        dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, src,
                                        wei, dst, strides, dil, pl, pr),
        eng);
    auto dpd = dnnl::convolution_backward_data::primitive_desc(
        dnnl::convolution_backward_data::desc(dnnl::algorithm::convolution_direct, src, wei, dst, strides, dil, pl, pr),
        eng, fpd);
    auto wpd = dnnl::convolution_backward_weights::primitive_desc(
        dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, src, wei, dst, strides, dil, pl,
                                                 pr),
        eng, fpd);
    memory srcM(src, eng), dstM(dst, eng), dsrcM(src, eng), ddstM(dst, eng);
    memory weiF(fpd.weights_desc(), eng), weiD(dpd.weights_desc(), eng), dwei(wpd.diff_weights_desc(), eng);
    for (auto* m : {&srcM, &ddstM, &weiF, &weiD}) {
      float* p = static_cast<float*>(m->get_data_handle());
      size_t n = m->get_desc().get_size() / sizeof(float);
      for (size_t i = 0; i < n; ++i) p[i] = 0.01f * static_cast<float>(static_cast<int>(i % 13) - 6);
    }
    dnnl::convolution_forward fwd(fpd);
    dnnl::convolution_backward_data bwdD(dpd);
    dnnl::convolution_backward_weights bwdW(wpd);
    auto time = [&](auto&& run) {
      run();
      stream.wait();
      double t0 = Now();
      for (int64_t r = 0; r < reps; ++r) run();
      stream.wait();
      return (Now() - t0) / static_cast<double>(reps);
    };
    double tf = time([&] {
      fwd.execute(stream, {{DNNL_ARG_SRC, srcM}, {DNNL_ARG_WEIGHTS, weiF}, {DNNL_ARG_DST, dstM}});
    });
    double td = time([&] {
      bwdD.execute(stream, {{DNNL_ARG_DIFF_SRC, dsrcM}, {DNNL_ARG_WEIGHTS, weiD}, {DNNL_ARG_DIFF_DST, ddstM}});
    });
    double tw = time([&] {
      bwdW.execute(stream, {{DNNL_ARG_SRC, srcM}, {DNNL_ARG_DIFF_WEIGHTS, dwei}, {DNNL_ARG_DIFF_DST, ddstM}});
    });
    double flops = 2.0 * batch * oh * ow * co * ci * k * k;
    total.flops += 3 * flops * count;
    total.fwd += tf * count;
    total.bwdData += td * count;
    total.bwdWeights += tw * count;
  }
  double seconds = total.fwd + total.bwdData + total.bwdWeights;
  auto result = Napi::Object::New(info.Env());
  result.Set("flops", total.flops);
  result.Set("seconds", seconds);
  result.Set("gflops", total.flops / seconds / 1e9);
  result.Set("forwardGflops", total.flops / 3 / total.fwd / 1e9);
  result.Set("backwardDataGflops", total.flops / 3 / total.bwdData / 1e9);
  result.Set("backwardWeightsGflops", total.flops / 3 / total.bwdWeights / 1e9);
  return result;
}

}  // namespace

void InitCeiling(Napi::Env env, Napi::Object exports) { Export<ConvCeiling>(env, exports, "convCeiling"); }

}  // namespace fixclf
