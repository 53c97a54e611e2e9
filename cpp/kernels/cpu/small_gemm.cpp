// Register-tiled GEMMs (see kernels/small_gemm.hpp). A tile is kTileRows rows of C by up to
// 4 vectors: 24 accumulators + 4 B vectors + a broadcast of A fill the 32 AVX-512 registers.
// The k loop is cut into blocks whose B panel (kb x 4 vectors) stays in L1 while every row
// tile of C passes over it.
#include "kernels/small_gemm.hpp"

#include <omp.h>

#include <algorithm>
#include <vector>

#include "kernels/cpu/vec.hpp"

namespace axon::kernels {

#ifdef __AVX512F__
namespace {
using simd::kLanes;
using simd::load;
using simd::splat;
using simd::store;
using simd::Vec;

constexpr int kTileRows = 6;
constexpr int kTileVectors = 4;
constexpr int64_t kPanelBytes = 24 << 10;  // half of a 48 KB L1: B's panel plus A's rows

// Rows of a panel: B's panel of kTileVectors vectors per row fills kPanelBytes.
constexpr int64_t kPanelRows = kPanelBytes / (kTileVectors * simd::kVectorBytes);

// A^T B with A's rows far apart (a whole row of A, 3 KB for MNIST's x) is beyond the stride
// the hardware prefetcher follows: tiles asked to prefetch request A's line 16 rows ahead
// (2-3% faster on the MLP's x^T dz; 4 and 8 rows did less).
constexpr int64_t kPrefetchAhead = 16;

// C tile (R x NV vectors) = (accumulate ? C : 0) + sum over p < kb of a(p, i) * b(p, :),
// where a(p, i) = a[p * step_p + i * step_i]: A^T B for step_p = lda, step_i = 1, and A B
// for step_p = 1, step_i = lda.
template <class T, int R, int NV>
void tile(int64_t kb, const T* a, int64_t step_p, int64_t step_i, const T* b, int64_t ldb, T* c, int64_t ldc,
          bool accumulate, bool prefetch_a = false) {
  // Fully unrolled loads and stores keep acc in registers: left to itself GCC rolled the
  // store loop and spilled all 24 accumulators to the stack around every tile.
  Vec<T> acc[R][NV];
#pragma GCC unroll 6
  for (int i = 0; i < R; ++i)
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j) acc[i][j] = accumulate ? load(c + i * ldc + j * kLanes<T>) : Vec<T>{};
  for (int64_t p = 0; p < kb; ++p) {
    if (prefetch_a) __builtin_prefetch(a + (p + kPrefetchAhead) * step_p);
    Vec<T> bv[NV];
    for (int j = 0; j < NV; ++j) bv[j] = load(b + p * ldb + j * kLanes<T>);
    for (int i = 0; i < R; ++i) {
      const Vec<T> av = splat(a[p * step_p + i * step_i]);
      for (int j = 0; j < NV; ++j) acc[i][j] += av * bv[j];
    }
  }
#pragma GCC unroll 6
  for (int i = 0; i < R; ++i)
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j) store(c + i * ldc + j * kLanes<T>, acc[i][j]);
}

// Walks C's rows [i_begin, i_end) in tiles, k in panels of panel_rows: for each panel and
// each block of up to 4 column vectors, every row tile; tile(rows, vectors, p0, kb, i0, col0)
// does one.
template <class T, class Tile>
void for_each_tile(int64_t i_begin, int64_t i_end, int64_t n, int64_t k, int64_t panel_rows, Tile&& tile) {
  const int64_t vectors = n / kLanes<T>;
  for (int64_t p0 = 0; p0 < k; p0 += panel_rows) {
    const int64_t kb = std::min(panel_rows, k - p0);
    for (int64_t v0 = 0; v0 < vectors; v0 += kTileVectors)
      simd::with_count<kTileVectors>(vectors - v0, [&](auto nv) {
        for (int64_t i0 = i_begin; i0 < i_end; i0 += kTileRows)
          simd::with_count<kTileRows>(i_end - i0,
                                      [&](auto r) { tile(r, nv, p0, kb, i0, v0 * kLanes<T>); });
      });
  }
}

// The packed product's k panel: 64 rows of a 4-vector B panel are 16 KB, which left room in
// L1 for A's lines; 64 did as well as or better than 96, 128 and 256 on the MNIST MLP's
// 1024x784x128 products.
constexpr int64_t kPackedPanelRows = 64;

// B (k x n, row stride ldb) copied into column blocks of up to kTileVectors vectors, each
// block k rows of its own width, contiguous: block [col0, col0 + w) starts at col0 * k.
// Rows of B 512 bytes apart (128 float columns) fall on a few L1 sets and evict each
// other; the packed rows of a panel are consecutive. Called inside a parallel region.
template <class T>
void pack_b_blocks(int64_t n, int64_t k, const T* b, int64_t ldb, T* packed) {
  const int64_t block_cols = kTileVectors * kLanes<T>;
  const int64_t blocks = (n + block_cols - 1) / block_cols;
#pragma omp for schedule(static)
  for (int64_t row = 0; row < blocks * k; ++row) {
    const int64_t col0 = (row / k) * block_cols, p = row % k, w = std::min(block_cols, n - col0);
    std::copy(b + p * ldb + col0, b + p * ldb + col0 + w, packed + col0 * k + p * w);
  }
}
}  // namespace

template <class T>
bool gemm_packed(bool transpose_a, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b,
                 int64_t ldb, T* c, int64_t ldc, bool accumulate) {
  if (n % kLanes<T> != 0) return false;
  // The caller's buffer: other threads only read it, and a call from inside a parallel
  // region (one thread per team there) gets a buffer of its own.
  static thread_local std::vector<T> packed_b;
  packed_b.resize(size_t(n * k));
  T* packed = packed_b.data();
  const int64_t tiles = (m + kTileRows - 1) / kTileRows;
  // a(p, i) for C's row i and B's row p.
  const int64_t step_p = transpose_a ? lda : 1, step_i = transpose_a ? 1 : lda;
#pragma omp parallel
  {
    pack_b_blocks(n, k, b, ldb, packed);  // ends in the loop's barrier
    // Each thread owns a contiguous run of C's row tiles: every element is summed over k in
    // the same order whatever the thread count.
    const int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    const int64_t i_begin = std::min(m, tiles * t / threads * kTileRows);
    const int64_t i_end = std::min(m, tiles * (t + 1) / threads * kTileRows);
    for_each_tile<T>(i_begin, i_end, n, k, kPackedPanelRows,
                     [&](auto r, auto nv, int64_t p0, int64_t kb, int64_t i0, int64_t col0) {
                       const int64_t w = decltype(nv)::value * kLanes<T>;  // this column block's width
                       tile<T, decltype(r)::value, decltype(nv)::value>(
                           kb, a + p0 * step_p + i0 * step_i, step_p, step_i, packed + col0 * k + p0 * w, w,
                           c + i0 * ldc + col0, ldc, accumulate || p0 > 0, transpose_a);
                     });
  }
  return true;
}

template <class T>
bool gemm_tn_accumulate(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c,
                        int64_t ldc) {
  if (n % kLanes<T> != 0) return false;
  for_each_tile<T>(0, m, n, k, kPanelRows, [&](auto r, auto nv, int64_t p0, int64_t kb, int64_t i0, int64_t col0) {
    tile<T, decltype(r)::value, decltype(nv)::value>(kb, a + p0 * lda + i0, lda, 1, b + p0 * ldb + col0, ldb,
                                                      c + i0 * ldc + col0, ldc, true);
  });
  return true;
}

template <class T>
bool gemm_nn(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c, int64_t ldc) {
  if (n % kLanes<T> != 0) return false;
  for_each_tile<T>(0, m, n, k, kPanelRows, [&](auto r, auto nv, int64_t p0, int64_t kb, int64_t i0, int64_t col0) {
    tile<T, decltype(r)::value, decltype(nv)::value>(kb, a + i0 * lda + p0, 1, lda, b + p0 * ldb + col0, ldb,
                                                      c + i0 * ldc + col0, ldc, p0 > 0);
  });
  return true;
}
#else
template <class T>
bool gemm_packed(bool, int64_t, int64_t, int64_t, const T*, int64_t, const T*, int64_t, T*, int64_t, bool) {
  return false;
}
template <class T>
bool gemm_tn_accumulate(int64_t, int64_t, int64_t, const T*, int64_t, const T*, int64_t, T*, int64_t) {
  return false;
}
template <class T>
bool gemm_nn(int64_t, int64_t, int64_t, const T*, int64_t, const T*, int64_t, T*, int64_t) {
  return false;
}
#endif

template bool gemm_tn_accumulate<float>(int64_t, int64_t, int64_t, const float*, int64_t, const float*, int64_t,
                                        float*, int64_t);
template bool gemm_tn_accumulate<double>(int64_t, int64_t, int64_t, const double*, int64_t, const double*, int64_t,
                                         double*, int64_t);
template bool gemm_packed<float>(bool, int64_t, int64_t, int64_t, const float*, int64_t, const float*, int64_t,
                                 float*, int64_t, bool);
template bool gemm_packed<double>(bool, int64_t, int64_t, int64_t, const double*, int64_t, const double*, int64_t,
                                  double*, int64_t, bool);
template bool gemm_nn<float>(int64_t, int64_t, int64_t, const float*, int64_t, const float*, int64_t, float*, int64_t);
template bool gemm_nn<double>(int64_t, int64_t, int64_t, const double*, int64_t, const double*, int64_t, double*,
                              int64_t);

}  // namespace axon::kernels
