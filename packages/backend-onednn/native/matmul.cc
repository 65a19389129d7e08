// Batched matrix products as TF.js defines them: a [batchA, M, K] (or [batchA, K, M] transposed),
// b [batchB, K, N] (or [batchB, N, K]), a batch of 1 broadcast against the other; optional bias over N
// and a fused activation. Transposes are expressed as strides, so nothing is copied. In bf16 mode (bf16
// copies of a and b given) the product reads bf16 and accumulates and writes float32.
#include "common.h"

namespace fixclf {
namespace {

using dnnl::memory;
using dt = memory::data_type;

struct MatmulEntry {
  dnnl::matmul prim;
  memory a, b, bias, out;
  bool withBias = false;
  bool bf16 = false;
};

LruCache<MatmulEntry>& Cache() {
  static LruCache<MatmulEntry> cache(kPrimitiveCacheCapacity);
  return cache;
}

// matmul(a, batchA, b, batchB, m, k, n, transposeA, transposeB, bias|null, out, activation, alpha,
//        [aBf16|null, bBf16|null])
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
  auto given = [&](size_t i) { return info.Length() > i && !info[i].IsNull() && !info[i].IsUndefined(); };
  const uint16_t* ab = given(13) ? Bf16Arg(info, 13, "aBf16", batchA * m * k) : nullptr;
  const uint16_t* bb = given(14) ? Bf16Arg(info, 14, "bBf16", batchB * k * n) : nullptr;
  bool wantBf16 = ab != nullptr && bb != nullptr;

  Key key("matmul");
  key.Add(memory::dims{batchA, batchB, m, k, n, transposeA, transposeB, bias != nullptr, activation})
      .Add(static_cast<double>(alpha))
      .Add(static_cast<int64_t>(wantBf16));
  MatmulEntry& e = Cache().Get(key, [&] {
    auto entry = std::make_unique<MatmulEntry>();
    auto aMd = [&](dt type) {
      return memory::desc({batchA, m, k}, type, transposeA ? memory::dims{m * k, 1, m} : memory::dims{m * k, k, 1});
    };
    auto bMd = [&](dt type) {
      return memory::desc({batchB, k, n}, type, transposeB ? memory::dims{k * n, 1, k} : memory::dims{k * n, n, 1});
    };
    memory::desc outMd({batch, m, n}, dt::f32, memory::dims{m * n, n, 1});
    memory::desc biasMd({1, 1, n}, dt::f32, memory::dims{n, n, 1});
    dnnl::post_ops ops;
    if (!AppendActivation(ops, activation, alpha)) throw std::runtime_error("unsupported fused activation");
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    auto pd = ChoosePrecision<dnnl::matmul::primitive_desc>(
        wantBf16,
        [&](bool bf16) {
          dt in = bf16 ? dt::bf16 : dt::f32;
          auto desc = bias != nullptr ? dnnl::matmul::desc(aMd(in), bMd(in), biasMd, outMd)
                                      : dnnl::matmul::desc(aMd(in), bMd(in), outMd);
          return dnnl::matmul::primitive_desc(desc, attr, CpuEngine());
        },
        entry->bf16);
    entry->prim = dnnl::matmul(pd);
    dt in = entry->bf16 ? dt::bf16 : dt::f32;
    entry->a = memory(aMd(in), CpuEngine(), nullptr);
    entry->b = memory(bMd(in), CpuEngine(), nullptr);
    entry->out = memory(outMd, CpuEngine(), nullptr);
    entry->withBias = bias != nullptr;
    if (entry->withBias) entry->bias = memory(biasMd, CpuEngine(), nullptr);
    return entry;
  });
  e.a.set_data_handle(e.bf16 ? const_cast<uint16_t*>(ab) : static_cast<void*>(a));
  e.b.set_data_handle(e.bf16 ? const_cast<uint16_t*>(bb) : static_cast<void*>(b));
  e.out.set_data_handle(out);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, e.a}, {DNNL_ARG_WEIGHTS, e.b}, {DNNL_ARG_DST, e.out}};
  if (e.withBias) {
    e.bias.set_data_handle(bias);
    args[DNNL_ARG_BIAS] = e.bias;
  }
  auto& stream = CpuStream();
  e.prim.execute(stream, args);
  stream.wait();
  CountRun(kMatmulRuns, e.bf16);
  return info.Env().Undefined();
}

}  // namespace

void InitMatmul(Napi::Env env, Napi::Object exports) {
  RegisterCacheClearer([] { Cache().Clear(); }, [] { return Cache().size(); });
  Export<Matmul>(env, exports, "matmul");
}

}  // namespace fixclf
