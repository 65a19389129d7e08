// Element access for kernels whose activations may be bf16: in bf16 mode a convolution writes its output,
// and the batch-norm passes write theirs, as bfloat16 (two per Float32Array element, as JS pools them),
// the way torch.autocast keeps activations. Kernels read and write through Widen/Narrow and are
// instantiated once per combination of element types; arithmetic stays float32.
#pragma once

#include <napi.h>

#include <cstdint>
#include <cstring>

#ifdef __AVX512BF16__
#include <immintrin.h>
#endif

namespace fixclf {

using bf16_t = uint16_t;

inline float Widen(float v) { return v; }
inline float Widen(bf16_t v) {
  uint32_t u = static_cast<uint32_t>(v) << 16;
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

// Round to nearest even, as oneDNN's and PyTorch's conversions do; NaN stays a (quiet) NaN.
inline bf16_t ToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  uint32_t rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
  uint32_t nan = (u >> 16) | 0x40u;
  return static_cast<bf16_t>((u & 0x7fffffffu) > 0x7f800000u ? nan : rounded);
}

inline void Narrow(float* p, float v) { *p = v; }
inline void Narrow(bf16_t* p, float v) { *p = ToBf16(v); }

// n values narrowed to bf16. With AVX512-BF16 (built with -march=native on such a CPU) by vcvtneps2bf16,
// which rounds to nearest even as ToBf16 does but treats denormal inputs as zero.
inline void NarrowRow(bf16_t* dst, const float* src, int64_t n) {
  int64_t i = 0;
#ifdef __AVX512BF16__
  for (; i + 16 <= n; i += 16) {
    __m256bh packed = _mm512_cvtneps_pbh(_mm512_loadu_ps(src + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), reinterpret_cast<__m256i&>(packed));
  }
#endif
#pragma omp simd
  for (int64_t j = i; j < n; ++j) dst[j] = ToBf16(src[j]);
}

// n float32 values stored as float32 or (narrowed) bf16.
inline void StoreValues(float* dst, const float* src, int64_t n) { std::memcpy(dst, src, sizeof(float) * n); }
inline void StoreValues(bf16_t* dst, const float* src, int64_t n) { NarrowRow(dst, src, n); }

// An activation argument that holds `count` float32 values, or `count` bf16 values when `bf16` (or null
// when allowNull). The pointer's type follows `bf16`; kernels dispatch on it.
struct Values {
  void* data = nullptr;
  bool bf16 = false;
  explicit operator bool() const { return data != nullptr; }
  template <typename T>
  T* As() const {
    return static_cast<T*>(data);
  }
};
Values ValuesArg(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t count, bool bf16,
                 bool allowNull = false);

// Calls body(float*) or body(bf16_t*) according to the element type of `v`.
template <typename Body>
void WithType(const Values& v, Body body) {
  if (v.bf16) body(v.As<bf16_t>());
  else body(v.As<float>());
}

}  // namespace fixclf
