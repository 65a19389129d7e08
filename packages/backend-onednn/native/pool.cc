// Max and average pooling over NHWC and their gradients. TF.js's average pooling divides by the number of
// in-bounds elements (padding excluded) but its AvgPoolGrad kernel, on every backend, spreads dy/(kh·kw)
// (padding included); we reproduce both. oneDNN's max-pool backward needs the forward's workspace (the
// arg-max), which TF.js does not keep, so the gradient reruns the forward in training mode first.
#include "common.h"

namespace fixclf {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

struct PoolGeometry {
  memory::dims src, dst, kernel, strides, padL, padR;
  memory::desc Src() const { return memory::desc(src, dt::f32, tag::nhwc); }
  memory::desc Dst() const { return memory::desc(dst, dt::f32, tag::nhwc); }
};

// xShape [N,H,W,C], yShape [N,OH,OW,C], params [kh, kw, sh, sw, pt, pl, pb, pr]
PoolGeometry ReadPool(const Napi::CallbackInfo& info, size_t xIndex, size_t yIndex, size_t paramsIndex) {
  auto x = DimsArg(info, xIndex, "xShape");
  auto y = DimsArg(info, yIndex, "yShape");
  auto p = DimsArg(info, paramsIndex, "poolParams");
  if (x.size() != 4 || y.size() != 4 || p.size() != 8 || x[0] != y[0] || x[3] != y[3]) {
    throw Napi::RangeError::New(info.Env(),
                                "pooling expects 4-D x and y shapes with equal batch and channels, and 8 parameters");
  }
  PoolGeometry g;
  g.src = {x[0], x[3], x[1], x[2]};
  g.dst = {y[0], y[3], y[1], y[2]};
  g.kernel = {p[0], p[1]};
  g.strides = {p[2], p[3]};
  g.padL = {p[4], p[5]};
  g.padR = {p[6], p[7]};
  return g;
}

Key PoolKey(const char* op, const PoolGeometry& g) {
  Key key(op);
  key.Add(g.src).Add(g.dst).Add(g.kernel).Add(g.strides).Add(g.padL).Add(g.padR);
  return key;
}

dnnl::algorithm Algorithm(bool isMax, bool backward) {
  if (isMax) return dnnl::algorithm::pooling_max;
  return backward ? dnnl::algorithm::pooling_avg_include_padding : dnnl::algorithm::pooling_avg_exclude_padding;
}

dnnl::pooling_forward::primitive_desc ForwardDesc(const PoolGeometry& g, bool isMax, dnnl::prop_kind prop,
                                                  bool forBackward = false) {
  dnnl::pooling_forward::desc desc(prop, Algorithm(isMax, forBackward), g.Src(), g.Dst(), g.strides, g.kernel, g.padL,
                                   g.padR);
  return dnnl::pooling_forward::primitive_desc(desc, CpuEngine());
}

struct ForwardEntry {
  dnnl::pooling_forward prim;
  memory src, dst;
};

struct BackwardEntry {
  dnnl::pooling_forward forward;  // training mode, for max pooling's workspace
  memory src, scratchDst, workspace;
  dnnl::pooling_backward prim;
  memory diffDst, diffSrc;
  bool isMax = false;
};

LruCache<ForwardEntry>& ForwardCache() {
  static LruCache<ForwardEntry> cache(kPrimitiveCacheCapacity);
  return cache;
}
LruCache<BackwardEntry>& BackwardCache() {
  static LruCache<BackwardEntry> cache(kPrimitiveCacheCapacity);
  return cache;
}

// poolForward(isMax, x, xShape, y, yShape, params)
Napi::Value PoolForward(const Napi::CallbackInfo& info) {
  bool isMax = BoolArg(info, 0, "isMax");
  PoolGeometry g = ReadPool(info, 2, 4, 5);
  float* x = FloatArg(info, 1, "x", Product(g.src));
  float* y = FloatArg(info, 3, "y", Product(g.dst));
  Key key = PoolKey(isMax ? "max" : "avg", g);
  ForwardEntry& e = ForwardCache().Get(key, [&] {
    auto entry = std::make_unique<ForwardEntry>();
    entry->prim = dnnl::pooling_forward(ForwardDesc(g, isMax, dnnl::prop_kind::forward_inference));
    entry->src = memory(g.Src(), CpuEngine(), nullptr);
    entry->dst = memory(g.Dst(), CpuEngine(), nullptr);
    return entry;
  });
  e.src.set_data_handle(x);
  e.dst.set_data_handle(y);
  auto& stream = CpuStream();
  e.prim.execute(stream, {{DNNL_ARG_SRC, e.src}, {DNNL_ARG_DST, e.dst}});
  stream.wait();
  return info.Env().Undefined();
}

// poolBackward(isMax, dy, yShape, x|null, dx, xShape, params); x is needed for max pooling only.
Napi::Value PoolBackward(const Napi::CallbackInfo& info) {
  bool isMax = BoolArg(info, 0, "isMax");
  PoolGeometry g = ReadPool(info, 5, 2, 6);
  float* dy = FloatArg(info, 1, "dy", Product(g.dst));
  float* x = FloatArg(info, 3, "x", Product(g.src), !isMax);
  float* dx = FloatArg(info, 4, "dx", Product(g.src));
  Key key = PoolKey(isMax ? "max_bwd" : "avg_bwd", g);
  BackwardEntry& e = BackwardCache().Get(key, [&] {
    auto entry = std::make_unique<BackwardEntry>();
    auto hint = ForwardDesc(g, isMax, dnnl::prop_kind::forward_training, true);
    dnnl::pooling_backward::desc desc(Algorithm(isMax, true), g.Src(), g.Dst(), g.strides, g.kernel, g.padL, g.padR);
    auto pd = dnnl::pooling_backward::primitive_desc(desc, CpuEngine(), hint);
    entry->prim = dnnl::pooling_backward(pd);
    entry->diffDst = memory(g.Dst(), CpuEngine(), nullptr);
    entry->diffSrc = memory(g.Src(), CpuEngine(), nullptr);
    entry->isMax = isMax;
    if (isMax) {
      entry->forward = dnnl::pooling_forward(hint);
      entry->src = memory(g.Src(), CpuEngine(), nullptr);
      entry->scratchDst = memory(g.Dst(), CpuEngine());
      entry->workspace = memory(hint.workspace_desc(), CpuEngine());
    }
    return entry;
  });
  auto& stream = CpuStream();
  std::unordered_map<int, memory> args{{DNNL_ARG_DIFF_DST, e.diffDst}, {DNNL_ARG_DIFF_SRC, e.diffSrc}};
  e.diffDst.set_data_handle(dy);
  e.diffSrc.set_data_handle(dx);
  if (e.isMax) {
    e.src.set_data_handle(x);
    e.forward.execute(stream, {{DNNL_ARG_SRC, e.src}, {DNNL_ARG_DST, e.scratchDst}, {DNNL_ARG_WORKSPACE, e.workspace}});
    args[DNNL_ARG_WORKSPACE] = e.workspace;
  }
  e.prim.execute(stream, args);
  stream.wait();
  return info.Env().Undefined();
}

}  // namespace

void InitPool(Napi::Env env, Napi::Object exports) {
  RegisterCacheClearer(
      [] {
        ForwardCache().Clear();
        BackwardCache().Clear();
      },
      [] { return ForwardCache().size() + BackwardCache().size(); });
  Export<PoolForward>(env, exports, "poolForward");
  Export<PoolBackward>(env, exports, "poolBackward");
}

}  // namespace fixclf
