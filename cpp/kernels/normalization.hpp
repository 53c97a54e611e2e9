// Device-neutral kernels for the normalization layers (BatchNormalization,
// LayerNormalization, GroupNormalization).
//
// Each layer is two steps, and each step sees the data through one small view:
//  - statistics and normalization over a GroupView: the tensor as (outer, reduce, groups,
//    inner) row-major, one mean/variance per (outer, group) taken over its reduce*inner values
//      BatchNormalization  (1, N*before, C, after)        one statistic per channel
//      GroupNormalization  (N, before, G, C/G*after)      one per sample and group
//      LayerNormalization  (N*before, M, after, 1)        one per row over the M normalized values
//  - the per-channel affine y = z*gamma + beta over a ChannelView (outer, channels, inner).
//
// Every statistic and every gamma/beta gradient is summed in double over blocks whose size
// depends on the shape only, each block by one thread in order, and the blocks are added in
// order, so results do not depend on the thread count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace axon::kernels {

struct GroupView {
  int64_t outer = 1, reduce = 1, groups = 1, inner = 1;
  int64_t stats() const { return outer * groups; }
  int64_t count() const { return reduce * inner; }  // values per statistic
};

struct ChannelView {
  int64_t outer = 1, channels = 1, inner = 1;
};

// mean, var: (outer, groups); var is the biased (population) variance, two-pass.
template <class T>
void group_moments(const T* x, const GroupView& v, T* mean, T* var);

// z = (x - mean) * inv_std (centered) or z = x * inv_std (not centered), statistics per group.
template <class T>
void group_normalize(const T* x, const GroupView& v, const T* mean, const T* inv_std, bool centered, T* z);

// The gradient through z = (x - mean) * inv_std with mean and inv_std taken from x itself:
//   dx = inv_std * (dz - mean(dz) - (z - shift) * mean(dz * z))
// where, centered: shift = 0; not centered (z = x * inv_std with var still about the mean,
// LayerNormalization's rms_scaling): the mean(dz) term drops and shift = mean * inv_std.
// g holds dz on entry and dx on return.
template <class T>
void group_normalize_backward(const GroupView& v, const T* z, const T* mean, const T* inv_std, bool centered, T* g);

// y = z * gamma[c] + beta[c]; gamma or beta may be null (1 and 0).
template <class T>
void channel_affine(const ChannelView& v, const T* z, const T* gamma, const T* beta, T* y);

// dgamma[c] += sum dy*z, dbeta[c] += sum dy (each skipped when null);
// dz = dy * gamma[c] (dy itself when gamma is null) when dz is not null; dz may alias dy.
template <class T>
void channel_affine_backward(const ChannelView& v, const T* dy, const T* z, const T* gamma, T* dgamma, T* dbeta,
                             T* dz);

constexpr size_t kMaxPermuteRank = 16;

// Per sample, dst = src with its axes permuted: dst axis i is src axis perm[i] (`shape` is
// src's per-sample shape, 1 to kMaxPermuteRank axes). LayerNormalization over non-adjacent
// axes moves them last.
template <class T>
void permute_samples(const T* src, int64_t n, const std::vector<int64_t>& shape, const std::vector<int>& perm, T* dst);

}  // namespace axon::kernels
