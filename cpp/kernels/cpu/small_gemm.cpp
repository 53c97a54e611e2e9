// Register-tiled GEMMs (see kernels/small_gemm.hpp). A tile is kTileRows rows of C by up to
// 4 vectors: 24 accumulators + 4 B vectors + a broadcast of A fill the 32 AVX-512 registers.
// The k loop is cut into blocks whose B panel (kb x 4 vectors) stays in L1 while every row
// tile of C passes over it.
#include "kernels/small_gemm.hpp"

#include <algorithm>

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

// Calls body(std::integral_constant<int, R>()) for r rows, 1..kTileRows.
template <class Body>
void with_rows(int64_t r, Body&& body) {
  switch (r) {
    case 1: body(std::integral_constant<int, 1>()); break;
    case 2: body(std::integral_constant<int, 2>()); break;
    case 3: body(std::integral_constant<int, 3>()); break;
    case 4: body(std::integral_constant<int, 4>()); break;
    case 5: body(std::integral_constant<int, 5>()); break;
    default: body(std::integral_constant<int, 6>()); break;
  }
}

// Rows of a panel: B's panel of kTileVectors vectors per row fills kPanelBytes.
constexpr int64_t kPanelRows = kPanelBytes / (kTileVectors * simd::kVectorBytes);

// C tile (R x NV vectors) = (accumulate ? C : 0) + sum over p < kb of a(p, i) * b(p, :),
// where a(p, i) = a[p * step_p + i * step_i]: A^T B for step_p = lda, step_i = 1, and A B
// for step_p = 1, step_i = lda.
template <class T, int R, int NV>
void tile(int64_t kb, const T* a, int64_t step_p, int64_t step_i, const T* b, int64_t ldb, T* c, int64_t ldc,
          bool accumulate) {
  Vec<T> acc[R][NV];
  for (int i = 0; i < R; ++i)
    for (int j = 0; j < NV; ++j) acc[i][j] = accumulate ? load(c + i * ldc + j * kLanes<T>) : Vec<T>{};
  for (int64_t p = 0; p < kb; ++p) {
    Vec<T> bv[NV];
    for (int j = 0; j < NV; ++j) bv[j] = load(b + p * ldb + j * kLanes<T>);
    for (int i = 0; i < R; ++i) {
      const Vec<T> av = splat(a[p * step_p + i * step_i]);
      for (int j = 0; j < NV; ++j) acc[i][j] += av * bv[j];
    }
  }
  for (int i = 0; i < R; ++i)
    for (int j = 0; j < NV; ++j) store(c + i * ldc + j * kLanes<T>, acc[i][j]);
}

// Walks C in tiles, k in panels: for each panel of k and each block of up to 4 column
// vectors, every row tile; tile(rows, vectors, p0, kb, i0, col0) does one.
template <class T, class Tile>
void for_each_tile(int64_t m, int64_t n, int64_t k, Tile&& tile) {
  const int64_t vectors = n / kLanes<T>;
  for (int64_t p0 = 0; p0 < k; p0 += kPanelRows) {
    const int64_t kb = std::min(kPanelRows, k - p0);
    for (int64_t v0 = 0; v0 < vectors; v0 += kTileVectors)
      simd::with_count_up_to_4(std::min<int64_t>(kTileVectors, vectors - v0), [&](auto nv) {
        for (int64_t i0 = 0; i0 < m; i0 += kTileRows)
          with_rows(std::min<int64_t>(kTileRows, m - i0), [&](auto r) { tile(r, nv, p0, kb, i0, v0 * kLanes<T>); });
      });
  }
}
}  // namespace

template <class T>
bool gemm_tn_accumulate(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c,
                        int64_t ldc) {
  if (n % kLanes<T> != 0) return false;
  for_each_tile<T>(m, n, k, [&](auto r, auto nv, int64_t p0, int64_t kb, int64_t i0, int64_t col0) {
    tile<T, decltype(r)::value, decltype(nv)::value>(kb, a + p0 * lda + i0, lda, 1, b + p0 * ldb + col0, ldb,
                                                      c + i0 * ldc + col0, ldc, true);
  });
  return true;
}

template <class T>
bool gemm_nn(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c, int64_t ldc) {
  if (n % kLanes<T> != 0) return false;
  for_each_tile<T>(m, n, k, [&](auto r, auto nv, int64_t p0, int64_t kb, int64_t i0, int64_t col0) {
    tile<T, decltype(r)::value, decltype(nv)::value>(kb, a + i0 * lda + p0, 1, lda, b + p0 * ldb + col0, ldb,
                                                      c + i0 * ldc + col0, ldc, p0 > 0);
  });
  return true;
}
#else
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
template bool gemm_nn<float>(int64_t, int64_t, int64_t, const float*, int64_t, const float*, int64_t, float*, int64_t);
template bool gemm_nn<double>(int64_t, int64_t, int64_t, const double*, int64_t, const double*, int64_t, double*,
                              int64_t);

}  // namespace axon::kernels
