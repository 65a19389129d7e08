// 2-D convolutions in TF.js layouts: activations NHWC, filters HWIO (or HW·C·multiplier for depthwise,
// which is a grouped convolution with one input channel per group). Activations are handed to oneDNN as
// they are; filters are reordered into the blocked layout oneDNN's AVX-512 kernels want ('any'), which
// costs microseconds and lifts the convolutions from the GEMM fallback (~160 GFLOP/s here) to the direct
// JIT kernels (~470 GFLOP/s).
//
// In bf16 mode (an activation argument given as bf16) a primitive reads bf16 activations, gradients and
// filters and writes float32, or bf16 where the forward is given a bf16 output (a bf16-backed activation,
// src/bf16-shadows.ts); filters are converted once per weight version (Bf16Weights, keyed by JS). An
// activation may then come as bf16 only. Where oneDNN has no optimised bf16 implementation for a shape,
// that primitive runs in float32 on widened copies.
#include "bf16-values.h"
#include "common.h"
#include "parallel.h"

namespace fixclf {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

struct Geometry {
  int64_t n, h, w, c;  // input
  int64_t oh, ow, oc;  // output
  int64_t kh, kw;      // filter
  int64_t groups;      // 1, or c for depthwise
  memory::dims strides, dilations, padL, padR;

  memory::desc Src(dt type = dt::f32) const { return memory::desc({n, c, h, w}, type, tag::nhwc); }
  memory::desc Dst(dt type = dt::f32) const { return memory::desc({n, oc, oh, ow}, type, tag::nhwc); }
  memory::desc Bias() const { return memory::desc({oc}, dt::f32, tag::a); }
  memory::dims WeightDims() const {
    if (groups == 1) return {oc, c, kh, kw};
    return {groups, oc / groups, c / groups, kh, kw};
  }
  // The filter exactly as TF.js stores it.
  memory::desc UserWeights() const {
    if (groups == 1) return memory::desc(WeightDims(), dt::f32, tag::hwio);
    // [KH][KW][C][multiplier]: g strides by multiplier, o by 1, the single i is immaterial.
    int64_t mult = oc / groups;
    return memory::desc(WeightDims(), dt::f32, memory::dims{mult, 1, mult, kw * c * mult, c * mult});
  }
  memory::desc AnyWeights(dt type = dt::f32) const { return memory::desc(WeightDims(), type, tag::any); }
  double Flops() const { return 2.0 * n * oh * ow * oc * (c / groups) * kh * kw; }
};

// params: [strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom, padRight]
Geometry ReadGeometry(const Napi::CallbackInfo& info, size_t xDimsIndex, size_t wDimsIndex, size_t groupsIndex,
                      size_t yDimsIndex, size_t paramsIndex) {
  auto x = DimsArg(info, xDimsIndex, "xShape");
  auto w = DimsArg(info, wDimsIndex, "filterShape");
  int64_t groups = IntArg(info, groupsIndex, "groups");
  auto y = DimsArg(info, yDimsIndex, "yShape");
  auto p = DimsArg(info, paramsIndex, "convParams");
  if (x.size() != 4 || w.size() != 4 || y.size() != 4 || p.size() != 8) {
    throw Napi::RangeError::New(info.Env(), "convolution expects 4-D x, filter and y shapes and 8 parameters");
  }
  Geometry g;
  g.n = x[0];
  g.h = x[1];
  g.w = x[2];
  g.c = x[3];
  g.kh = w[0];
  g.kw = w[1];
  g.oh = y[1];
  g.ow = y[2];
  g.oc = y[3];
  g.groups = groups;
  if (groups != 1 && groups != g.c)
    throw Napi::RangeError::New(info.Env(), "groups must be 1 or the input channel count");
  if (w[2] != g.c || (groups == 1 ? w[3] != g.oc : w[3] * g.c != g.oc) || y[0] != g.n) {
    throw Napi::RangeError::New(info.Env(), "filter shape does not match x and y shapes");
  }
  g.strides = {p[0], p[1]};
  g.dilations = {p[2] - 1, p[3] - 1};
  g.padL = {p[4], p[5]};
  g.padR = {p[6], p[7]};
  return g;
}

Key GeometryKey(const char* op, const Geometry& g) {
  Key key(op);
  key.Add(memory::dims{g.n, g.h, g.w, g.c, g.oh, g.ow, g.oc, g.kh, g.kw, g.groups})
      .Add(g.strides)
      .Add(g.dilations)
      .Add(g.padL)
      .Add(g.padR);
  return key;
}

// bf16: bf16 source and filter, float32 bias and destination.
dnnl::convolution_forward::primitive_desc ForwardDesc(const Geometry& g, bool withBias,
                                                      const dnnl::primitive_attr& attr, dnnl::prop_kind prop,
                                                      bool bf16 = false, bool bf16Dst = false) {
  dt in = bf16 ? dt::bf16 : dt::f32;
  dt out = bf16 && bf16Dst ? dt::bf16 : dt::f32;
  auto desc =
      withBias ? dnnl::convolution_forward::desc(prop, dnnl::algorithm::convolution_direct, g.Src(in), g.AnyWeights(in),
                                                 g.Bias(), g.Dst(out), g.strides, g.dilations, g.padL, g.padR)
               : dnnl::convolution_forward::desc(prop, dnnl::algorithm::convolution_direct, g.Src(in), g.AnyWeights(in),
                                                 g.Dst(out), g.strides, g.dilations, g.padL, g.padR);
  return dnnl::convolution_forward::primitive_desc(desc, attr, CpuEngine());
}

// A reorder between the TF.js filter and the layout a primitive wants, skipped when they agree.
struct WeightsBridge {
  memory user;
  memory internal;
  memory::desc primMd;
  dnnl::reorder reorder;
  bool needed = false;

  void Init(const memory::desc& userMd, const memory::desc& primMd_, bool toUser) {
    primMd = primMd_;
    user = memory(userMd, CpuEngine(), nullptr);
    needed = !(userMd == primMd);
    if (needed) {
      internal = memory(primMd, CpuEngine());
      reorder = toUser ? dnnl::reorder(internal, user) : dnnl::reorder(user, internal);
    }
  }
  memory& Prim() { return needed ? internal : user; }

  // The filter `w` in the primitive's layout: for a bf16 primitive with a weight key, the cached
  // conversion of that weight version; otherwise reordered now (or `w` itself when the layouts agree).
  memory Filter(float* w, bool bf16, int64_t key) {
    user.set_data_handle(w);
    if (bf16 && key > 0) return Bf16Weights(key, primMd, user);
    if (needed) reorder.execute(CpuStream(), user, internal);
    return Prim();
  }
};

struct ForwardEntry {
  dnnl::convolution_forward prim;
  memory src, dst, bias;
  WeightsBridge weights;
  bool withBias = false;
  bool bf16 = false;
  bool bf16Dst = false;
};

struct BackwardDataEntry {
  dnnl::convolution_backward_data prim;
  memory diffSrc, diffDst;
  WeightsBridge weights;
  bool bf16 = false;
  bool bf16Dst = false;
};

struct BackwardWeightsEntry {
  dnnl::convolution_backward_weights prim;
  memory src, diffDst, diffBias;
  WeightsBridge diffWeights;
  bool withBias = false;
  bool bf16 = false;
};

LruCache<ForwardEntry>& ForwardCache() {
  static LruCache<ForwardEntry> cache(kPrimitiveCacheCapacity);
  return cache;
}
LruCache<BackwardDataEntry>& BackwardDataCache() {
  static LruCache<BackwardDataEntry> cache(kPrimitiveCacheCapacity);
  return cache;
}
LruCache<BackwardWeightsEntry>& BackwardWeightsCache() {
  static LruCache<BackwardWeightsEntry> cache(kPrimitiveCacheCapacity);
  return cache;
}

// Optional trailing bf16 arguments: a bf16 copy of an activation (null: float32 mode) and a weight key
// (> 0: the filter's converted copies are cached under it; 0: converted on every call).
bool HasArg(const Napi::CallbackInfo& info, size_t index) {
  return info.Length() > index && !info[index].IsNull() && !info[index].IsUndefined();
}
int64_t WeightKeyArg(const Napi::CallbackInfo& info, size_t index) {
  return HasArg(info, index) ? IntArg(info, index, "filterKey") : 0;
}

// n float32 values narrowed to bf16 (a float32 primitive's output where bf16 was asked for).
void NarrowParallel(uint16_t* dst, const float* src, int64_t n) {
  ParallelFor(n, 1, [&](int64_t begin, int64_t end) { NarrowRow(dst + begin, src + begin, end - begin); });
}

// An activation's float32 values for a float32 primitive: as given, or widened from its bf16 values into
// `scratch` when it came as bf16 only.
void* Float32Of(float* f32, const uint16_t* b, int64_t n, const char* name, std::vector<float>& scratch) {
  if (f32 != nullptr) return f32;
  if (b == nullptr) throw std::runtime_error(std::string("argument '") + name + "' is missing");
  scratch.resize(static_cast<size_t>(n));
  float* out = scratch.data();
  ParallelFor(n, 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = Widen(b[i]);
  });
  return out;
}

// convForward(x|null, xShape, filter, filterShape, groups, bias|null, y|null, yShape, params, activation, alpha,
//             [xBf16|null, filterKey, yBf16|null]): x may be null when xBf16 is given, y when yBf16 is.
Napi::Value ConvForward(const Napi::CallbackInfo& info) {
  Geometry g = ReadGeometry(info, 1, 3, 4, 7, 8);
  int64_t xCount = g.n * g.h * g.w * g.c, yCount = g.n * g.oh * g.ow * g.oc;
  const uint16_t* xb = HasArg(info, 11) ? Bf16Arg(info, 11, "xBf16", xCount) : nullptr;
  int64_t filterKey = WeightKeyArg(info, 12);
  uint16_t* yb = HasArg(info, 13) ? const_cast<uint16_t*>(Bf16Arg(info, 13, "yBf16", yCount)) : nullptr;
  float* x = FloatArg(info, 0, "x", xCount, xb != nullptr);
  float* w = FloatArg(info, 2, "filter", g.kh * g.kw * g.c * (g.oc / g.groups));
  float* bias = FloatArg(info, 5, "bias", g.oc, true);
  float* y = FloatArg(info, 6, "y", yCount, yb != nullptr);
  int activation = static_cast<int>(IntArg(info, 9, "activation"));
  float alpha = static_cast<float>(NumberArg(info, 10, "alpha"));
  bool wantBf16 = xb != nullptr;
  bool wantBf16Dst = wantBf16 && yb != nullptr && y == nullptr;
  if (!wantBf16 && yb != nullptr) throw Napi::TypeError::New(info.Env(), "argument 'yBf16' needs 'xBf16'");

  Key key = GeometryKey("fwd", g);
  key.Add(static_cast<int64_t>(bias != nullptr)).Add(static_cast<int64_t>(activation)).Add(static_cast<double>(alpha));
  key.Add(static_cast<int64_t>(wantBf16)).Add(static_cast<int64_t>(wantBf16Dst));
  ForwardEntry& e = ForwardCache().Get(key, [&] {
    auto entry = std::make_unique<ForwardEntry>();
    dnnl::post_ops ops;
    if (!AppendActivation(ops, activation, alpha)) throw std::runtime_error("unsupported fused activation");
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    auto pd = ChoosePrecision<dnnl::convolution_forward::primitive_desc>(
        wantBf16,
        [&](bool bf16) {
          return ForwardDesc(g, bias != nullptr, attr, dnnl::prop_kind::forward_inference, bf16, wantBf16Dst);
        },
        entry->bf16);
    entry->bf16Dst = entry->bf16 && wantBf16Dst;
    entry->prim = dnnl::convolution_forward(pd);
    entry->src = memory(g.Src(entry->bf16 ? dt::bf16 : dt::f32), CpuEngine(), nullptr);
    entry->dst = memory(g.Dst(entry->bf16Dst ? dt::bf16 : dt::f32), CpuEngine(), nullptr);
    entry->withBias = bias != nullptr;
    if (entry->withBias) entry->bias = memory(g.Bias(), CpuEngine(), nullptr);
    entry->weights.Init(g.UserWeights(), pd.weights_desc(), false);
    return entry;
  });
  auto& stream = CpuStream();
  std::vector<float> xScratch, yScratch;
  e.src.set_data_handle(e.bf16 ? const_cast<uint16_t*>(xb) : Float32Of(x, xb, xCount, "x", xScratch));
  // A float32 primitive asked for a bf16 output writes float32 here first (shapes without a bf16 kernel).
  bool narrowAfter = y == nullptr && !e.bf16Dst;
  if (narrowAfter) yScratch.resize(static_cast<size_t>(yCount));
  e.dst.set_data_handle(e.bf16Dst ? static_cast<void*>(yb) : narrowAfter ? yScratch.data() : static_cast<void*>(y));
  memory filter = e.weights.Filter(w, e.bf16, filterKey);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, e.src}, {DNNL_ARG_WEIGHTS, filter}, {DNNL_ARG_DST, e.dst}};
  if (e.withBias) {
    e.bias.set_data_handle(bias);
    args[DNNL_ARG_BIAS] = e.bias;
  }
  e.prim.execute(stream, args);
  stream.wait();
  if (narrowAfter) NarrowParallel(yb, yScratch.data(), yCount);
  CountRun(kConvForwardRuns, e.bf16);
  return info.Env().Undefined();
}

// convBackwardData(dy|null, yShape, filter, filterShape, groups, dx|null, xShape, params,
//                  [dyBf16|null, filterKey, dxBf16|null]): dy may be null when dyBf16 is given, dx when dxBf16 is.
Napi::Value ConvBackwardData(const Napi::CallbackInfo& info) {
  Geometry g = ReadGeometry(info, 6, 3, 4, 1, 7);
  int64_t dyCount = g.n * g.oh * g.ow * g.oc, dxCount = g.n * g.h * g.w * g.c;
  const uint16_t* dyb = HasArg(info, 8) ? Bf16Arg(info, 8, "dyBf16", dyCount) : nullptr;
  uint16_t* dxb = HasArg(info, 10) ? const_cast<uint16_t*>(Bf16Arg(info, 10, "dxBf16", dxCount)) : nullptr;
  float* dy = FloatArg(info, 0, "dy", dyCount, dyb != nullptr);
  float* w = FloatArg(info, 2, "filter", g.kh * g.kw * g.c * (g.oc / g.groups));
  float* dx = FloatArg(info, 5, "dx", dxCount, dxb != nullptr);
  int64_t filterKey = WeightKeyArg(info, 9);
  bool wantBf16 = dyb != nullptr;
  bool wantBf16Dst = wantBf16 && dxb != nullptr && dx == nullptr;
  if (!wantBf16 && dxb != nullptr) throw Napi::TypeError::New(info.Env(), "argument 'dxBf16' needs 'dyBf16'");

  Key key = GeometryKey("bwd_data", g);
  key.Add(static_cast<int64_t>(wantBf16)).Add(static_cast<int64_t>(wantBf16Dst));
  BackwardDataEntry& e = BackwardDataCache().Get(key, [&] {
    auto entry = std::make_unique<BackwardDataEntry>();
    auto pd = ChoosePrecision<dnnl::convolution_backward_data::primitive_desc>(
        wantBf16,
        [&](bool bf16) {
          dt in = bf16 ? dt::bf16 : dt::f32;
          auto hint = ForwardDesc(g, false, dnnl::primitive_attr(), dnnl::prop_kind::forward_training, bf16);
          dt out = bf16 && wantBf16Dst ? dt::bf16 : dt::f32;
          auto desc =
              dnnl::convolution_backward_data::desc(dnnl::algorithm::convolution_direct, g.Src(out), g.AnyWeights(in),
                                                    g.Dst(in), g.strides, g.dilations, g.padL, g.padR);
          return dnnl::convolution_backward_data::primitive_desc(desc, CpuEngine(), hint);
        },
        entry->bf16);
    entry->bf16Dst = entry->bf16 && wantBf16Dst;
    entry->prim = dnnl::convolution_backward_data(pd);
    entry->diffSrc = memory(g.Src(entry->bf16Dst ? dt::bf16 : dt::f32), CpuEngine(), nullptr);
    entry->diffDst = memory(g.Dst(entry->bf16 ? dt::bf16 : dt::f32), CpuEngine(), nullptr);
    entry->weights.Init(g.UserWeights(), pd.weights_desc(), false);
    return entry;
  });
  auto& stream = CpuStream();
  // A float32 primitive asked for a bf16 dx writes float32 here first (shapes without a bf16 kernel).
  bool narrowAfter = dx == nullptr && !e.bf16Dst;
  std::vector<float> dxScratch, dyScratch;
  if (narrowAfter) dxScratch.resize(static_cast<size_t>(dxCount));
  e.diffSrc.set_data_handle(e.bf16Dst     ? static_cast<void*>(dxb)
                            : narrowAfter ? dxScratch.data()
                                          : static_cast<void*>(dx));
  e.diffDst.set_data_handle(e.bf16 ? const_cast<uint16_t*>(dyb) : Float32Of(dy, dyb, dyCount, "dy", dyScratch));
  memory filter = e.weights.Filter(w, e.bf16, filterKey);
  e.prim.execute(stream, {{DNNL_ARG_DIFF_SRC, e.diffSrc}, {DNNL_ARG_WEIGHTS, filter}, {DNNL_ARG_DIFF_DST, e.diffDst}});
  stream.wait();
  if (narrowAfter) NarrowParallel(dxb, dxScratch.data(), dxCount);
  CountRun(kConvBackwardDataRuns, e.bf16);
  return info.Env().Undefined();
}

// convBackwardFilter(x|null, xShape, dy|null, filterShape, groups, dw, dbias|null, yShape, params,
//                    [xBf16|null, dyBf16|null]): x and dy may be null when given as bf16.
Napi::Value ConvBackwardFilter(const Napi::CallbackInfo& info) {
  Geometry g = ReadGeometry(info, 1, 3, 4, 7, 8);
  int64_t xCount = g.n * g.h * g.w * g.c, dyCount = g.n * g.oh * g.ow * g.oc;
  const uint16_t* xb = HasArg(info, 9) ? Bf16Arg(info, 9, "xBf16", xCount) : nullptr;
  const uint16_t* dyb = HasArg(info, 10) ? Bf16Arg(info, 10, "dyBf16", dyCount) : nullptr;
  float* x = FloatArg(info, 0, "x", xCount, xb != nullptr);
  float* dy = FloatArg(info, 2, "dy", dyCount, dyb != nullptr);
  float* dw = FloatArg(info, 5, "dw", g.kh * g.kw * g.c * (g.oc / g.groups));
  float* dbias = FloatArg(info, 6, "dbias", g.oc, true);
  bool wantBf16 = xb != nullptr && dyb != nullptr;

  Key key = GeometryKey("bwd_weights", g);
  key.Add(static_cast<int64_t>(dbias != nullptr)).Add(static_cast<int64_t>(wantBf16));
  BackwardWeightsEntry& e = BackwardWeightsCache().Get(key, [&] {
    auto entry = std::make_unique<BackwardWeightsEntry>();
    auto pd = ChoosePrecision<dnnl::convolution_backward_weights::primitive_desc>(
        wantBf16,
        [&](bool bf16) {
          dt in = bf16 ? dt::bf16 : dt::f32;
          auto hint = ForwardDesc(g, dbias != nullptr, dnnl::primitive_attr(), dnnl::prop_kind::forward_training, bf16);
          auto desc = dbias != nullptr
                          ? dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, g.Src(in),
                                                                     g.AnyWeights(), g.Bias(), g.Dst(in), g.strides,
                                                                     g.dilations, g.padL, g.padR)
                          : dnnl::convolution_backward_weights::desc(dnnl::algorithm::convolution_direct, g.Src(in),
                                                                     g.AnyWeights(), g.Dst(in), g.strides, g.dilations,
                                                                     g.padL, g.padR);
          return dnnl::convolution_backward_weights::primitive_desc(desc, CpuEngine(), hint);
        },
        entry->bf16);
    entry->prim = dnnl::convolution_backward_weights(pd);
    entry->src = memory(g.Src(entry->bf16 ? dt::bf16 : dt::f32), CpuEngine(), nullptr);
    entry->diffDst = memory(g.Dst(entry->bf16 ? dt::bf16 : dt::f32), CpuEngine(), nullptr);
    entry->withBias = dbias != nullptr;
    if (entry->withBias) entry->diffBias = memory(g.Bias(), CpuEngine(), nullptr);
    entry->diffWeights.Init(g.UserWeights(), pd.diff_weights_desc(), true);
    return entry;
  });
  auto& stream = CpuStream();
  std::vector<float> xScratch, dyScratch;
  e.src.set_data_handle(e.bf16 ? const_cast<uint16_t*>(xb) : Float32Of(x, xb, xCount, "x", xScratch));
  e.diffDst.set_data_handle(e.bf16 ? const_cast<uint16_t*>(dyb) : Float32Of(dy, dyb, dyCount, "dy", dyScratch));
  e.diffWeights.user.set_data_handle(dw);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, e.src}, {DNNL_ARG_DIFF_DST, e.diffDst}, {DNNL_ARG_DIFF_WEIGHTS, e.diffWeights.Prim()}};
  if (e.withBias) {
    e.diffBias.set_data_handle(dbias);
    args[DNNL_ARG_DIFF_BIAS] = e.diffBias;
  }
  e.prim.execute(stream, args);
  if (e.diffWeights.needed) e.diffWeights.reorder.execute(stream, e.diffWeights.internal, e.diffWeights.user);
  stream.wait();
  CountRun(kConvBackwardWeightsRuns, e.bf16);
  return info.Env().Undefined();
}

}  // namespace

void InitConv(Napi::Env env, Napi::Object exports) {
  RegisterCacheClearer(
      [] {
        ForwardCache().Clear();
        BackwardDataCache().Clear();
        BackwardWeightsCache().Clear();
      },
      [] { return ForwardCache().size() + BackwardDataCache().size() + BackwardWeightsCache().size(); });
  Export<ConvForward>(env, exports, "convForward");
  Export<ConvBackwardData>(env, exports, "convBackwardData");
  Export<ConvBackwardFilter>(env, exports, "convBackwardFilter");
}

}  // namespace fixclf
