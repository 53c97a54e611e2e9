// Register-tiled GEMMs (see kernels/small_gemm.hpp). A tile is kTileRows rows of C by up to
// kTileVectors 64-byte vectors, its accumulators in registers across the k loop; the k loop
// is cut into panels whose slice of B stays in L1 while every row tile of C passes over it.
// Storing a tile between panels and loading it back does not change a value, so the panel
// size, the tile shape and the split among threads leave every element's chain of FMAs as
// it is: over k in order.
#include "kernels/small_gemm.hpp"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/cpu/vec.hpp"

namespace axon::kernels {

namespace {
using simd::kLanes;
using simd::load;
using simd::splat;
using simd::store;
using simd::Vec;

// The tile fills the vector registers: R x NV accumulators, NV vectors of B, a broadcast of A.
#if defined(__AVX512F__)
constexpr int kTileRows = 6, kTileVectors = 4;  // 24 + 4 + 1 of 32 zmm registers
constexpr int kNarrowTileRows = 12;             // C one vector wide (a 10-unit layer): 12 + 1 + 1
#elif defined(__AVX__)
constexpr int kTileRows = 6, kTileVectors = 1;  // a 64-byte vector is 2 ymm: 12 + 2 + 1 of 16
constexpr int kNarrowTileRows = kTileRows;
#else
constexpr int kTileRows = 2, kTileVectors = 1;  // ... or 4 xmm: 8 + 4 + 1 of 16
constexpr int kNarrowTileRows = kTileRows;
#endif

// k panel of the in-place products: B's panel of kTileVectors vectors per row fills 24 KB,
// half of a 48 KB L1, beside A's rows.
constexpr int64_t kPanelRows = (24 << 10) / (kTileVectors * simd::kVectorBytes);
// k panel of the packed products: 64 rows of a 4-vector panel are 16 KB, which left room in
// L1 for A's lines; 64 did as well as or better than 96, 128 and 256 on the MNIST MLP's
// 1024x784x128 products.
constexpr int64_t kPackedPanelRows = 64;

// A^T B with A's rows far apart (a whole row of A, 3 KB for MNIST's x) is beyond the stride
// the hardware prefetcher follows: tiles asked to prefetch request A's line 16 rows ahead
// (2-3% faster on the MLP's x^T dz; 4 and 8 rows did less).
constexpr int64_t kPrefetchAhead = 16;

// B is packed (copied into column blocks, padded to whole vectors) when it is read as B^T or
// when enough row tiles share it: rows of B 512 bytes apart (128 float columns) fall on a
// few L1 sets and evict each other, packed rows of a panel are consecutive.
constexpr int64_t kPackMinRows = 64;
// A B^T for at most this many rows of A (batch-1 backward) is computed as dot products.
constexpr int64_t kDotMaxRows = 4;
// Products of fewer multiply-adds stay on the calling thread: a batch-1 prediction's
// products take microseconds, less than waking the other threads.
constexpr double kParallelWork = 64.0 * 64.0 * 64.0;

// C tile (R x NV vectors) = (accumulate ? C : 0) + sum over p < kb of a(p, i) * b(p, :), where
// a(p, i) = a[p * step_p + i * step_i]: A^T B for step_p = lda, step_i = 1, and A B for
// step_p = 1, step_i = lda. The last vector holds last_lanes valid columns of C (B's are
// padded with zeros where packed; PartialB: B is read in place and its rows end in that
// partial vector too).
template <class T, int R, int NV, bool PartialB>
void tile(int64_t kb, const T* a, int64_t step_p, int64_t step_i, const T* b, int64_t ldb, T* c, int64_t ldc,
          bool accumulate, int64_t last_lanes, bool prefetch_a) {
  const bool partial = last_lanes < kLanes<T>;
  // Fully unrolled loads and stores keep acc in registers: left to itself GCC rolled the
  // store loop and spilled all 24 accumulators to the stack around every tile.
  Vec<T> acc[R][NV];
#pragma GCC unroll 6
  for (int i = 0; i < R; ++i)
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j) {
      const T* from = c + i * ldc + j * kLanes<T>;
      acc[i][j] = !accumulate                    ? Vec<T>{}
                  : (partial && j == NV - 1) ? simd::load_partial(from, last_lanes)
                                             : load(from);
    }
  for (int64_t p = 0; p < kb; ++p) {
    if (prefetch_a) __builtin_prefetch(a + (p + kPrefetchAhead) * step_p);
    Vec<T> bv[NV];
    for (int j = 0; j < NV; ++j)
      bv[j] = PartialB && j == NV - 1 ? simd::load_partial(b + p * ldb + j * kLanes<T>, last_lanes)
                                      : load(b + p * ldb + j * kLanes<T>);
    for (int i = 0; i < R; ++i) {
      const Vec<T> av = splat(a[p * step_p + i * step_i]);
      for (int j = 0; j < NV; ++j) acc[i][j] = simd::fma<T>(av, bv[j], acc[i][j]);
    }
  }
#pragma GCC unroll 6
  for (int i = 0; i < R; ++i)
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j) {
      T* to = c + i * ldc + j * kLanes<T>;
      if (partial && j == NV - 1)
        simd::store_partial(to, acc[i][j], last_lanes);
      else
        store(to, acc[i][j]);
    }
}

// One product's operands and layout: op(A) is m x k, op(B) k x n, C m x n.
template <class T>
struct Product {
  int64_t m, n, k;
  const T* a;
  int64_t step_p, step_i;  // a(p, i), see tile
  const T* b;              // B as given, or packed
  int64_t ldb;             // B's row stride when not packed
  bool packed;
  T* c;
  int64_t ldc;
  bool accumulate;
  int64_t vectors() const { return (n + kLanes<T> - 1) / kLanes<T>; }
  int64_t last_lanes() const { return n - (vectors() - 1) * kLanes<T>; }
};

// op(B) copied into column blocks of kTileVectors vectors (the last block may be narrower),
// each block k rows of its own width, contiguous, padded with zeros to whole vectors: the
// block at column col0 starts at col0 * k. Thread t of `threads` copies its share.
template <class T>
void pack_b(bool transpose_b, int64_t n, int64_t k, const T* b, int64_t ldb, T* packed, int64_t t, int64_t threads) {
  const int64_t block_cols = kTileVectors * kLanes<T>;
  const int64_t blocks = (n + block_cols - 1) / block_cols;
  auto block_width = [&](int64_t col0) { return std::min(block_cols, n - col0); };
  auto padded = [&](int64_t w) { return (w + kLanes<T> - 1) / kLanes<T> * kLanes<T>; };
  auto share = [&](int64_t count, int64_t& begin, int64_t& end) {
    begin = count * t / threads;
    end = count * (t + 1) / threads;
  };
  int64_t begin, end;
  if (!transpose_b) {
    share(blocks * k, begin, end);
    for (int64_t row = begin; row < end; ++row) {
      const int64_t col0 = (row / k) * block_cols, p = row % k, w = block_width(col0), wp = padded(w);
      T* to = packed + col0 * k + p * wp;
      std::copy(b + p * ldb + col0, b + p * ldb + col0 + w, to);
      std::fill(to + w, to + wp, T(0));
    }
    return;
  }
  // op(B)(p, j) = b[j * ldb + p], copied in kSquare x kSquare blocks so that the reads and the
  // writes each stay on kSquare cache lines (a column at a time wrote one line per value).
  constexpr int64_t kSquare = 16;  // divides every block's width
  share((n + kSquare - 1) / kSquare, begin, end);
  for (int64_t jb = begin; jb < end; ++jb) {
    const int64_t j0 = jb * kSquare, j1 = std::min(n, j0 + kSquare);
    const int64_t col0 = j0 / block_cols * block_cols, wp = padded(block_width(col0));
    for (int64_t p0 = 0; p0 < k; p0 += kSquare) {
      const int64_t p1 = std::min(k, p0 + kSquare);
      for (int64_t j = j0; j < j1; ++j) {
        const T* from = b + j * ldb;
        T* to = packed + col0 * k + (j - col0);
        for (int64_t p = p0; p < p1; ++p) to[p * wp] = from[p];
      }
    }
  }
  const int64_t last0 = (blocks - 1) * block_cols, w = block_width(last0), wp = padded(w);
  share(k, begin, end);
  for (int64_t p = begin; p < end; ++p)
    std::fill(packed + last0 * k + p * wp + w, packed + last0 * k + (p + 1) * wp, T(0));
}

// The tiles of C's rows [i_begin, i_end) and vectors [v_begin, v_end) (v_begin a multiple of
// kTileVectors): for each k panel and each block of up to kTileVectors column vectors, every
// row tile of up to MaxRows rows.
template <class T, int MaxRows, bool PartialB>
void run_tiles_with(const Product<T>& pr, int64_t i_begin, int64_t i_end, int64_t v_begin, int64_t v_end) {
  const int64_t panel_rows = pr.packed ? kPackedPanelRows : kPanelRows;
  const int64_t vectors = pr.vectors(), last_lanes = pr.last_lanes();
  const bool prefetch_a = pr.step_i == 1;  // A^T B: A's rows are far apart
  for (int64_t p0 = 0; p0 < pr.k; p0 += panel_rows) {
    const int64_t kb = std::min(panel_rows, pr.k - p0);
    for (int64_t v0 = v_begin; v0 < v_end; v0 += kTileVectors)
      simd::with_count<kTileVectors>(v_end - v0, [&](auto nv) {
        constexpr int NV = decltype(nv)::value;
        const int64_t col0 = v0 * kLanes<T>, lanes = v0 + NV == vectors ? last_lanes : kLanes<T>;
        // A packed block is NV vectors wide; B in place keeps its own row stride.
        const int64_t ldb = pr.packed ? NV * kLanes<T> : pr.ldb;
        const T* b = pr.packed ? pr.b + col0 * pr.k + p0 * ldb : pr.b + p0 * ldb + col0;
        for (int64_t i0 = i_begin; i0 < i_end; i0 += MaxRows)
          simd::with_count<MaxRows>(i_end - i0, [&](auto r) {
            tile<T, decltype(r)::value, NV, PartialB>(kb, pr.a + p0 * pr.step_p + i0 * pr.step_i, pr.step_p,
                                                      pr.step_i, b, ldb, pr.c + i0 * pr.ldc + col0, pr.ldc,
                                                      pr.accumulate || p0 > 0, lanes, prefetch_a);
          });
      });
  }
}

template <class T>
void run_tiles(const Product<T>& pr, int64_t i_begin, int64_t i_end, int64_t v_begin, int64_t v_end) {
  const bool partial_b = !pr.packed && pr.last_lanes() != kLanes<T>;
  if (pr.vectors() == 1)
    return partial_b ? run_tiles_with<T, kNarrowTileRows, true>(pr, i_begin, i_end, v_begin, v_end)
                     : run_tiles_with<T, kNarrowTileRows, false>(pr, i_begin, i_end, v_begin, v_end);
  return partial_b ? run_tiles_with<T, kTileRows, true>(pr, i_begin, i_end, v_begin, v_end)
                   : run_tiles_with<T, kTileRows, false>(pr, i_begin, i_end, v_begin, v_end);
}

// This thread's share of the tiles when `threads` split them: whole row tiles while there
// are enough of them, else whole column blocks (a batch of a few dozen rows).
template <class T>
void run_share(const Product<T>& pr, int64_t t, int64_t threads) {
  const int64_t tiles = (pr.m + kTileRows - 1) / kTileRows, vectors = pr.vectors();
  const int64_t blocks = (vectors + kTileVectors - 1) / kTileVectors;
  if (tiles >= 2 * threads || blocks < threads) {
    const int64_t i_begin = std::min(pr.m, tiles * t / threads * kTileRows);
    const int64_t i_end = std::min(pr.m, tiles * (t + 1) / threads * kTileRows);
    if (i_begin < i_end) run_tiles(pr, i_begin, i_end, 0, vectors);
    return;
  }
  const int64_t v_begin = blocks * t / threads * kTileVectors;
  const int64_t v_end = std::min(vectors, blocks * (t + 1) / threads * kTileVectors);
  if (v_begin < v_end) run_tiles(pr, 0, pr.m, v_begin, v_end);
}

// The lanes of v added in a fixed pairwise order (the same for every instruction set).
template <class T>
T sum_lanes(const Vec<T>& v) {
  T lane[kLanes<T>];
  std::memcpy(lane, &v, sizeof(v));
  for (int64_t w = kLanes<T> / 2; w >= 1; w /= 2)
    for (int64_t i = 0; i < w; ++i) lane[i] += lane[i + w];
  return lane[0];
}

// C = (accumulate ? C : 0) + A B^T for a few rows of A (m x k) and B (n x k), both read along
// k in place: packing B^T would cost as much as the product. Each lane sums the k that fall on
// it, in order, and the lanes are then added by sum_lanes.
template <class T>
void dot_products(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c,
                  int64_t ldc, bool accumulate) {
  constexpr int kRowsOfB = 4;  // independent accumulator chains per row of A
  const int64_t full = k / kLanes<T> * kLanes<T>, rest = k - full;
  for (int64_t i = 0; i < m; ++i) {
    const T* ai = a + i * lda;
    for (int64_t j0 = 0; j0 < n; j0 += kRowsOfB)
      simd::with_count<kRowsOfB>(n - j0, [&](auto q) {
        constexpr int Q = decltype(q)::value;
        Vec<T> acc[Q];
        for (int j = 0; j < Q; ++j) acc[j] = Vec<T>{};
        for (int64_t p = 0; p < full; p += kLanes<T>) {
          const Vec<T> av = load(ai + p);
          for (int j = 0; j < Q; ++j) acc[j] = simd::fma<T>(av, load(b + (j0 + j) * ldb + p), acc[j]);
        }
        if (rest > 0) {
          const Vec<T> av = simd::load_partial(ai + full, rest);
          for (int j = 0; j < Q; ++j)
            acc[j] = simd::fma<T>(av, simd::load_partial(b + (j0 + j) * ldb + full, rest), acc[j]);
        }
        for (int j = 0; j < Q; ++j) {
          const T sum = sum_lanes<T>(acc[j]);
          T& out = c[i * ldc + j0 + j];
          out = accumulate ? out + sum : sum;
        }
      });
  }
}

template <class T>
Product<T> in_place(bool transpose_a, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b,
                    int64_t ldb, T* c, int64_t ldc, bool accumulate) {
  return Product<T>{m, n, k, a, transpose_a ? lda : 1, transpose_a ? 1 : lda, b, ldb, false, c, ldc, accumulate};
}
}  // namespace

template <class T>
void gemm(bool transpose_a, bool transpose_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b,
          int64_t ldb, T* c, int64_t ldc, bool accumulate) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, T(0));
    return;
  }
  if (transpose_b && !transpose_a && m <= kDotMaxRows) return dot_products(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
  Product<T> pr = in_place(transpose_a, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
  pr.packed = transpose_b || m >= kPackMinRows;
  // The caller's buffer: other threads only read it, and a call from inside a parallel
  // region gets a buffer of its own.
  static thread_local std::vector<T> packed_b;
  T* packed = nullptr;  // the calling thread's buffer (in the parallel region, `packed_b` names each thread's own)
  if (pr.packed) {
    packed_b.resize(size_t(k * pr.vectors() * kLanes<T>));
    packed = packed_b.data();
    pr.b = packed;
  }
  const bool parallel = !omp_in_parallel() && omp_get_max_threads() > 1 && double(m) * double(n) * double(k) >= kParallelWork;
  if (!parallel) {
    if (pr.packed) pack_b(transpose_b, n, k, b, ldb, packed, 0, 1);
    run_tiles(pr, 0, m, 0, pr.vectors());
    return;
  }
#pragma omp parallel
  {
    const int64_t t = omp_get_thread_num(), threads = omp_get_num_threads();
    if (pr.packed) pack_b(transpose_b, n, k, b, ldb, packed, t, threads);
#pragma omp barrier
    run_share(pr, t, threads);
  }
}

template <class T>
bool gemm_tn_accumulate(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c,
                        int64_t ldc) {
  if (n % kLanes<T> != 0) return false;
  run_tiles(in_place(true, m, n, k, a, lda, b, ldb, c, ldc, true), 0, m, 0, n / kLanes<T>);
  return true;
}

template <class T>
bool gemm_nn(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c, int64_t ldc) {
  if (n % kLanes<T> != 0) return false;
  if (k <= 0) {
    gemm<T>(false, false, m, n, k, a, lda, b, ldb, c, ldc, false);
    return true;
  }
  run_tiles(in_place(false, m, n, k, a, lda, b, ldb, c, ldc, false), 0, m, 0, n / kLanes<T>);
  return true;
}

#define AXON_INSTANTIATE(T)                                                                                         \
  template void gemm<T>(bool, bool, int64_t, int64_t, int64_t, const T*, int64_t, const T*, int64_t, T*, int64_t, \
                        bool);                                                                                      \
  template bool gemm_tn_accumulate<T>(int64_t, int64_t, int64_t, const T*, int64_t, const T*, int64_t, T*, int64_t); \
  template bool gemm_nn<T>(int64_t, int64_t, int64_t, const T*, int64_t, const T*, int64_t, T*, int64_t);
AXON_INSTANTIATE(float)
AXON_INSTANTIATE(double)
#undef AXON_INSTANTIATE

}  // namespace axon::kernels
