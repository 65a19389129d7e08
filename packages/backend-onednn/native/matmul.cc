// Batched matrix products as TF.js defines them: a [batchA, M, K] (or [batchA, K, M] transposed),
// b [batchB, K, N] (or [batchB, N, K]), a batch of 1 broadcast against the other; optional bias over N
// and a fused activation. Transposes are expressed as strides, so nothing is copied.
#include "common.h"

namespace fixclf {
namespace {

using dnnl::memory;
using dt = memory::data_type;

struct MatmulEntry {
  dnnl::matmul prim;
  memory a, b, bias, out;
  bool withBias = false;
};

LruCache<MatmulEntry>& Cache() {
  static LruCache<MatmulEntry> cache(kPrimitiveCacheCapacity);
  return cache;
}

// matmul(a, batchA, b, batchB, m, k, n, transposeA, transposeB, bias|null, out, activation, alpha)
Napi::Value Matmul(const Napi::CallbackInfo& info) {
  int64_t batchA = IntArg(info, 1, "batchA");
  int64_t batchB = IntArg(info, 3, "batchB");
  int64_t m = IntArg(info, 4, "m");
  int64_t k = IntArg(info, 5, "k");
  int64_t n = IntArg(info, 6, "n");
  bool transposeA = BoolArg(info, 7, "transposeA");
  bool transposeB = BoolArg(info, 8, "transposeB");
  if (batchA != batchB && batchA != 1 && batchB != 1) {
    throw Napi::RangeError::New(info.Env(), "batch sizes of a and b must agree or one must be 1");
  }
  int64_t batch = batchA > batchB ? batchA : batchB;
  float* a = FloatArg(info, 0, "a", batchA * m * k);
  float* b = FloatArg(info, 2, "b", batchB * k * n);
  float* bias = FloatArg(info, 9, "bias", n, true);
  float* out = FloatArg(info, 10, "out", batch * m * n);
  int activation = static_cast<int>(IntArg(info, 11, "activation"));
  float alpha = static_cast<float>(NumberArg(info, 12, "alpha"));

  Key key("matmul");
  key.Add(memory::dims{batchA, batchB, m, k, n, transposeA, transposeB, bias != nullptr, activation})
      .Add(static_cast<double>(alpha));
  MatmulEntry& e = Cache().Get(key, [&] {
    auto entry = std::make_unique<MatmulEntry>();
    memory::desc aMd({batchA, m, k}, dt::f32, transposeA ? memory::dims{m * k, 1, m} : memory::dims{m * k, k, 1});
    memory::desc bMd({batchB, k, n}, dt::f32, transposeB ? memory::dims{k * n, 1, k} : memory::dims{k * n, n, 1});
    memory::desc outMd({batch, m, n}, dt::f32, memory::dims{m * n, n, 1});
    memory::desc biasMd({1, 1, n}, dt::f32, memory::dims{n, n, 1});
    dnnl::post_ops ops;
    if (!AppendActivation(ops, activation, alpha)) throw std::runtime_error("unsupported fused activation");
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    auto desc = bias != nullptr ? dnnl::matmul::desc(aMd, bMd, biasMd, outMd) : dnnl::matmul::desc(aMd, bMd, outMd);
    entry->prim = dnnl::matmul(dnnl::matmul::primitive_desc(desc, attr, CpuEngine()));
    entry->a = memory(aMd, CpuEngine(), nullptr);
    entry->b = memory(bMd, CpuEngine(), nullptr);
    entry->out = memory(outMd, CpuEngine(), nullptr);
    entry->withBias = bias != nullptr;
    if (entry->withBias) entry->bias = memory(biasMd, CpuEngine(), nullptr);
    return entry;
  });
  e.a.set_data_handle(a);
  e.b.set_data_handle(b);
  e.out.set_data_handle(out);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, e.a}, {DNNL_ARG_WEIGHTS, e.b}, {DNNL_ARG_DST, e.out}};
  if (e.withBias) {
    e.bias.set_data_handle(bias);
    args[DNNL_ARG_BIAS] = e.bias;
  }
  auto& stream = CpuStream();
  e.prim.execute(stream, args);
  stream.wait();
  return info.Env().Undefined();
}

}  // namespace

void InitMatmul(Napi::Env env, Napi::Object exports) {
  RegisterCacheClearer([] { Cache().Clear(); }, [] { return Cache().size(); });
  Export<Matmul>(env, exports, "matmul");
}

}  // namespace fixclf
