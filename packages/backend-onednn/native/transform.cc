// Data movement: Transpose (a oneDNN reorder between strided views), Concat, constant Pad and Slice.
#include <cstring>

#include "common.h"
#include "parallel.h"

namespace fixclf {
namespace {

using dnnl::memory;
using dt = memory::data_type;

struct TransposeEntry {
  dnnl::reorder prim;
  memory src, dst;
};

LruCache<TransposeEntry>& TransposeCache() {
  static LruCache<TransposeEntry> cache(kPrimitiveCacheCapacity);
  return cache;
}

// transpose(x, xShape, perm, y)
Napi::Value Transpose(const Napi::CallbackInfo& info) {
  auto shape = DimsArg(info, 1, "xShape");
  auto perm = DimsArg(info, 2, "perm");
  size_t rank = shape.size();
  if (perm.size() != rank || rank == 0 || rank > 12) {
    throw Napi::RangeError::New(info.Env(), "perm must have the rank of x (1 to 12)");
  }
  int64_t n = Product(shape);
  float* x = FloatArg(info, 0, "x", n);
  float* y = FloatArg(info, 3, "y", n);
  std::vector<int64_t> xStrides(rank);
  int64_t stride = 1;
  for (size_t i = rank; i-- > 0;) {
    xStrides[i] = stride;
    stride *= shape[i];
  }
  memory::dims outDims(rank), srcStrides(rank), dstStrides(rank);
  std::vector<bool> seen(rank, false);
  for (size_t i = 0; i < rank; ++i) {
    if (perm[i] < 0 || perm[i] >= static_cast<int64_t>(rank) || seen[perm[i]]) {
      throw Napi::RangeError::New(info.Env(), "perm must be a permutation of the axes of x");
    }
    seen[perm[i]] = true;
    outDims[i] = shape[perm[i]];
    srcStrides[i] = xStrides[perm[i]];
  }
  stride = 1;
  for (size_t i = rank; i-- > 0;) {
    dstStrides[i] = stride;
    stride *= outDims[i];
  }
  Key key("transpose");
  key.Add(shape).Add(perm);
  TransposeEntry& e = TransposeCache().Get(key, [&] {
    auto entry = std::make_unique<TransposeEntry>();
    entry->src = memory(memory::desc(outDims, dt::f32, srcStrides), CpuEngine(), nullptr);
    entry->dst = memory(memory::desc(outDims, dt::f32, dstStrides), CpuEngine(), nullptr);
    entry->prim = dnnl::reorder(entry->src, entry->dst);
    return entry;
  });
  e.src.set_data_handle(x);
  e.dst.set_data_handle(y);
  auto& stream = CpuStream();
  e.prim.execute(stream, e.src, e.dst);
  stream.wait();
  return info.Env().Undefined();
}

// concat([x0, x1, ...], [inner0, inner1, ...], outer, out): out is [outer, Σ inner_i], input i is [outer, inner_i].
Napi::Value Concat(const Napi::CallbackInfo& info) {
  if (!info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "argument 'inputs' must be an array");
  auto list = info[0].As<Napi::Array>();
  auto inner = DimsArg(info, 1, "innerSizes");
  int64_t outer = IntArg(info, 2, "outer");
  if (inner.size() != list.Length()) throw Napi::RangeError::New(info.Env(), "one inner size per input expected");
  int64_t rowSize = 0;
  for (int64_t s : inner) rowSize += s;
  float* out = FloatArg(info, 3, "out", outer * rowSize);
  std::vector<const float*> inputs;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value v = list.Get(i);
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
        static_cast<int64_t>(v.As<Napi::Float32Array>().ElementLength()) != outer * inner[i]) {
      throw Napi::TypeError::New(info.Env(), "concat input " + std::to_string(i) + " has the wrong size");
    }
    inputs.push_back(v.As<Napi::Float32Array>().Data());
  }
  ParallelFor(outer, rowSize, [&](int64_t begin, int64_t end) {
    for (int64_t o = begin; o < end; ++o) {
      float* dst = out + o * rowSize;
      for (size_t i = 0; i < inputs.size(); ++i) {
        std::memcpy(dst, inputs[i] + o * inner[i], sizeof(float) * inner[i]);
        dst += inner[i];
      }
    }
  });
  return info.Env().Undefined();
}

// pad(x, xShape, before, out, outShape, value): constant padding; `before` holds the leading pad per axis.
Napi::Value Pad(const Napi::CallbackInfo& info) {
  auto xShape = DimsArg(info, 1, "xShape");
  auto before = DimsArg(info, 2, "before");
  auto outShape = DimsArg(info, 4, "outShape");
  size_t rank = xShape.size();
  if (rank == 0 || before.size() != rank || outShape.size() != rank) {
    throw Napi::RangeError::New(info.Env(), "pad expects x, before and out of the same non-zero rank");
  }
  const float* x = FloatArg(info, 0, "x", Product(xShape));
  float* out = FloatArg(info, 3, "out", Product(outShape));
  float value = static_cast<float>(NumberArg(info, 5, "value"));
  int64_t width = outShape[rank - 1];
  int64_t xWidth = xShape[rank - 1];
  int64_t lead = before[rank - 1];
  int64_t rows = Product(outShape) / std::max<int64_t>(width, 1);
  ParallelFor(rows, width, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      float* dst = out + r * width;
      // Map the output row to an input row, if it has one.
      int64_t rest = r, xRow = 0, xRowStride = 1;
      bool inside = true;
      for (size_t d = rank - 1; d-- > 0;) {
        int64_t coord = rest % outShape[d] - before[d];
        rest /= outShape[d];
        if (coord < 0 || coord >= xShape[d]) {
          inside = false;
          break;
        }
        xRow += coord * xRowStride;
        xRowStride *= xShape[d];
      }
      if (!inside) {
        std::fill(dst, dst + width, value);
        continue;
      }
      std::fill(dst, dst + lead, value);
      std::memcpy(dst + lead, x + xRow * xWidth, sizeof(float) * xWidth);
      std::fill(dst + lead + xWidth, dst + width, value);
    }
  });
  return info.Env().Undefined();
}

// slice(x, xShape, begin, out, outShape): the block of x starting at `begin` with out's extents.
Napi::Value Slice(const Napi::CallbackInfo& info) {
  auto xShape = DimsArg(info, 1, "xShape");
  auto begin = DimsArg(info, 2, "begin");
  auto outShape = DimsArg(info, 4, "outShape");
  size_t rank = xShape.size();
  if (rank == 0 || begin.size() != rank || outShape.size() != rank) {
    throw Napi::RangeError::New(info.Env(), "slice expects x, begin and out of the same non-zero rank");
  }
  for (size_t d = 0; d < rank; ++d) {
    if (begin[d] < 0 || outShape[d] < 0 || begin[d] + outShape[d] > xShape[d]) {
      throw Napi::RangeError::New(info.Env(), "slice exceeds the bounds of x on axis " + std::to_string(d));
    }
  }
  const float* x = FloatArg(info, 0, "x", Product(xShape));
  float* out = FloatArg(info, 3, "out", Product(outShape));
  if (Product(outShape) == 0) return info.Env().Undefined();
  // Trailing axes taken whole merge with the last partial one into a single contiguous run per row.
  size_t last = rank - 1;
  int64_t inner = 1;  // elements per index of axis `last`, in both x and out
  while (last > 0 && outShape[last] == xShape[last] && begin[last] == 0) {
    inner *= xShape[last];
    --last;
  }
  int64_t run = outShape[last] * inner;
  int64_t rows = Product(outShape) / run;
  ParallelFor(rows, run, [&](int64_t first, int64_t end) {
    for (int64_t r = first; r < end; ++r) {
      int64_t rest = r, offset = begin[last] * inner, stride = xShape[last] * inner;
      for (size_t d = last; d-- > 0;) {
        offset += (rest % outShape[d] + begin[d]) * stride;
        rest /= outShape[d];
        stride *= xShape[d];
      }
      std::memcpy(out + r * run, x + offset, sizeof(float) * run);
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void InitTransform(Napi::Env env, Napi::Object exports) {
  RegisterCacheClearer([] { TransposeCache().Clear(); }, [] { return TransposeCache().size(); });
  Export<Transpose>(env, exports, "transpose");
  Export<Concat>(env, exports, "concat");
  Export<Pad>(env, exports, "pad");
  Export<Slice>(env, exports, "slice");
}

}  // namespace fixclf
