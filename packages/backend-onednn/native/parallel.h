// OpenMP helpers for our own memory-bound loops (oneDNN threads itself).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "common.h"

namespace fixclf {

inline int ThreadIndex() {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

// Below this many elements a loop runs on one thread: waking the team costs more than it saves.
constexpr int64_t kParallelGrain = 1 << 14;

// Runs body(begin, end) over [0, count) split into contiguous chunks, one per thread.
template <typename Body>
void ParallelFor(int64_t count, int64_t costPerItem, Body body) {
  int threads = ThreadCount();
  if (threads <= 1 || count * costPerItem < kParallelGrain || count < 2) {
    body(int64_t{0}, count);
    return;
  }
  int64_t chunks = std::min<int64_t>(threads, count);
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (int64_t chunk = 0; chunk < chunks; ++chunk) {
    int64_t begin = count * chunk / chunks;
    int64_t end = count * (chunk + 1) / chunks;
    body(begin, end);
  }
}

// Column sums of a [rows, width] problem: body(rowBegin, rowEnd, partial) adds the rows' contributions to
// `sums` float arrays of `width` each (partial[s * width + c]); blocks of rows are accumulated in float,
// blocks are combined in double so that long reductions (N·H·W = 131072 rows) keep float accuracy.
template <typename Body>
std::vector<double> ColumnReduce(int64_t rows, int64_t width, int sums, Body body) {
  const int64_t slots = width * sums;
  int threads = ThreadCount();
  int64_t block = std::max<int64_t>(1, std::min<int64_t>(256, (1 << 15) / std::max<int64_t>(width, 1)));
  int64_t blocks = (rows + block - 1) / block;
  if (rows * width < kParallelGrain) threads = 1;
  std::vector<double> perThread(static_cast<size_t>(threads) * slots, 0.0);
#pragma omp parallel num_threads(threads)
  {
    double* total = perThread.data() + static_cast<size_t>(ThreadIndex()) * slots;
    std::vector<float> partial(slots);
#pragma omp for schedule(static)
    for (int64_t b = 0; b < blocks; ++b) {
      std::fill(partial.begin(), partial.end(), 0.f);
      body(b * block, std::min(rows, (b + 1) * block), partial.data());
      for (int64_t i = 0; i < slots; ++i) total[i] += partial[i];
    }
  }
  std::vector<double> result(slots, 0.0);
  for (int t = 0; t < threads; ++t) {
    for (int64_t i = 0; i < slots; ++i) result[i] += perThread[static_cast<size_t>(t) * slots + i];
  }
  return result;
}

}  // namespace fixclf
