// bfloat16 support: the CPU check, float32 → bf16 conversion of activations (into buffers JS pools), and
// the cache of converted weights. In bf16 mode convolutions and matrix products read bf16 inputs and
// accumulate and write float32 (what torch.autocast does on a CPU); everything else stays float32.
#include <cstring>

#include "bf16-values.h"
#include "common.h"
#include "parallel.h"

namespace fixclf {

using dnnl::memory;

bool CpuHasBf16() {
  // The effective ISA is what oneDNN dispatches on (the hardware, capped by DNNL_MAX_CPU_ISA). Its values
  // are bit masks: avx512_core_amx contains avx512_core_bf16's bits, avx2_vnni does not.
  auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
  auto bf16 = static_cast<unsigned>(dnnl::cpu_isa::avx512_core_bf16);
  return (isa & bf16) == bf16;
}

namespace {

const char* IsaName(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx512_mic: return "avx512_mic";
    case dnnl::cpu_isa::avx512_mic_4ops: return "avx512_mic_4ops";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    default: return "unknown";
  }
}

struct CachedLayout {
  memory::desc md;
  memory mem;
};

struct WeightStats {
  double conversions = 0;  // float32 → bf16 reorders of a weight
  double derived = 0;      // bf16 → bf16 reorders from another cached layout of the same weight version
  double hits = 0;         // a cached layout used as it was
};

std::unordered_map<int64_t, std::vector<CachedLayout>>& WeightCache() {
  static std::unordered_map<int64_t, std::vector<CachedLayout>> cache;
  return cache;
}
WeightStats g_weightStats;
double g_runs[kRunFamilies][2] = {};

LruCache<dnnl::reorder>& ReorderCache() {
  static LruCache<dnnl::reorder> cache(kPrimitiveCacheCapacity);
  return cache;
}

}  // namespace

const uint16_t* Bf16Arg(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t count) {
  Napi::Value value = info[index];
  if (value.IsNull() || value.IsUndefined()) return nullptr;
  int64_t length = FloatLength(info, index, name);
  if (length * 2 < count) {
    throw Napi::RangeError::New(info.Env(), std::string("argument '") + name + "' holds " + std::to_string(length * 2) +
                                                " bf16 values, expected " + std::to_string(count));
  }
  return reinterpret_cast<const uint16_t*>(FloatArg(info, index, name));
}

Values ValuesArg(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t count, bool bf16,
                 bool allowNull) {
  Values v;
  v.bf16 = bf16;
  if (bf16) {
    v.data = const_cast<uint16_t*>(Bf16Arg(info, index, name, count));
    if (v.data == nullptr && !allowNull)
      throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a Float32Array");
  } else {
    v.data = FloatArg(info, index, name, count, allowNull);
  }
  return v;
}

void AddDesc(Key& key, const memory::desc& md) {
  const dnnl_memory_desc_t& d = md.data;
  key.Add(static_cast<int64_t>(d.ndims))
      .Add(static_cast<int64_t>(d.data_type))
      .Add(static_cast<int64_t>(d.format_kind))
      .Add(static_cast<int64_t>(d.offset0))
      .Add(static_cast<int64_t>(d.extra.flags));
  for (int i = 0; i < d.ndims; ++i) key.Add(d.dims[i]).Add(d.padded_dims[i]).Add(d.padded_offsets[i]);
  if (d.format_kind == dnnl_blocked) {
    const auto& b = d.format_desc.blocking;
    for (int i = 0; i < d.ndims; ++i) key.Add(b.strides[i]);
    key.Add(static_cast<int64_t>(b.inner_nblks));
    for (int i = 0; i < b.inner_nblks; ++i) key.Add(b.inner_blks[i]).Add(b.inner_idxs[i]);
  }
}

bool IsReference(const std::string& implInfo) { return implInfo.rfind("ref", 0) == 0; }

dnnl::reorder& CachedReorder(const memory::desc& from, const memory::desc& to) {
  Key key("reorder");
  AddDesc(key, from);
  key.Add(int64_t{-1});
  AddDesc(key, to);
  return ReorderCache().Get(key, [&] {
    return std::make_unique<dnnl::reorder>(dnnl::reorder::primitive_desc(CpuEngine(), from, CpuEngine(), to));
  });
}

memory& Bf16Weights(int64_t key, const memory::desc& md, memory& user) {
  auto& stream = CpuStream();
  auto& layouts = WeightCache()[key];
  for (auto& layout : layouts) {
    if (layout.md == md) {
      g_weightStats.hits++;
      return layout.mem;
    }
  }
  memory mem(md, CpuEngine());
  // The forward and backward-data convolutions want different blocked layouts (oneDNN's jit kernels
  // run on no other); the second is made from the first's bf16 copy rather than converted again. Only
  // from a copy of the same dimensions: a reshaped tensor shares its dataId (and key) with another shape.
  CachedLayout* from = nullptr;
  for (auto& layout : layouts) {
    if (layout.md.dims() == md.dims()) {
      from = &layout;
      break;
    }
  }
  if (from != nullptr) {
    CachedReorder(from->md, md).execute(stream, from->mem, mem);
    g_weightStats.derived++;
  } else {
    CachedReorder(user.get_desc(), md).execute(stream, user, mem);
    g_weightStats.conversions++;
  }
  layouts.push_back({md, mem});
  return layouts.back().mem;
}

void ClearBf16Weights() { WeightCache().clear(); }

void CountRun(RunFamily family, bool bf16) { g_runs[family][bf16 ? 1 : 0] += 1; }

namespace {

// bf16Support() → { supported, isa }
Napi::Value Bf16Support(const Napi::CallbackInfo& info) {
  auto result = Napi::Object::New(info.Env());
  result.Set("supported", CpuHasBf16());
  result.Set("isa", IsaName(dnnl::get_effective_cpu_isa()));
  return result;
}

// toBf16(src, dst): dst (a Float32Array of at least ceil(n / 2) elements) receives src's n values as bf16.
Napi::Value ToBf16Array(const Napi::CallbackInfo& info) {
  int64_t n = FloatLength(info, 0, "src");
  const float* src = FloatArg(info, 0, "src", n);
  int64_t slots = FloatLength(info, 1, "dst");
  if (slots * 2 < n) throw Napi::RangeError::New(info.Env(), "argument 'dst' is too short for src as bf16");
  auto* dst = reinterpret_cast<uint16_t*>(FloatArg(info, 1, "dst", slots));
  ParallelFor(n, 1, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) dst[i] = ToBf16(src[i]);
  });
  if (n % 2 == 1 && slots * 2 > n) dst[n] = 0;  // the unused half of the last slot, for tidiness
  return info.Env().Undefined();
}

// fromBf16(src, dst): the inverse (exact): a bf16-backed tensor's float32 values when something reads them.
Napi::Value FromBf16Array(const Napi::CallbackInfo& info) {
  int64_t n = FloatLength(info, 1, "dst");
  float* dst = FloatArg(info, 1, "dst", n);
  const uint16_t* src = Bf16Arg(info, 0, "src", n);
  ParallelFor(n, 1, [&](int64_t begin, int64_t end) {
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) dst[i] = Widen(src[i]);
  });
  return info.Env().Undefined();
}

// forgetBf16Weights(keys): drops the converted copies of weight versions JS no longer has.
Napi::Value ForgetBf16Weights(const Napi::CallbackInfo& info) {
  if (!info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "argument 'keys' must be an array");
  for (int64_t key : DimsArg(info, 0, "keys")) WeightCache().erase(key);
  return info.Env().Undefined();
}

// bf16WeightStats() → { weights, layouts, bytes, conversions, derived, hits }
Napi::Value Bf16WeightStats(const Napi::CallbackInfo& info) {
  double layouts = 0, bytes = 0;
  for (auto& [key, list] : WeightCache()) {
    layouts += static_cast<double>(list.size());
    for (auto& layout : list) bytes += static_cast<double>(layout.md.get_size());
  }
  auto result = Napi::Object::New(info.Env());
  result.Set("weights", static_cast<double>(WeightCache().size()));
  result.Set("layouts", layouts);
  result.Set("bytes", bytes);
  result.Set("conversions", g_weightStats.conversions);
  result.Set("derived", g_weightStats.derived);
  result.Set("hits", g_weightStats.hits);
  return result;
}

// precisionRuns() → { convForward: { fp32, bf16 }, convBackwardData, convBackwardWeights, matmul }
Napi::Value PrecisionRuns(const Napi::CallbackInfo& info) {
  static const char* names[kRunFamilies] = {"convForward", "convBackwardData", "convBackwardWeights", "matmul"};
  auto result = Napi::Object::New(info.Env());
  for (int f = 0; f < kRunFamilies; ++f) {
    auto counts = Napi::Object::New(info.Env());
    counts.Set("fp32", g_runs[f][0]);
    counts.Set("bf16", g_runs[f][1]);
    result.Set(names[f], counts);
  }
  return result;
}

}  // namespace

void InitBf16(Napi::Env env, Napi::Object exports) {
  RegisterCacheClearer([] { ReorderCache().Clear(); }, [] { return ReorderCache().size(); });
  Export<Bf16Support>(env, exports, "bf16Support");
  Export<ToBf16Array>(env, exports, "toBf16");
  Export<FromBf16Array>(env, exports, "fromBf16");
  Export<ForgetBf16Weights>(env, exports, "forgetBf16Weights");
  Export<Bf16WeightStats>(env, exports, "bf16WeightStats");
  Export<PrecisionRuns>(env, exports, "precisionRuns");
}

}  // namespace fixclf
