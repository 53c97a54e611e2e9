#include "core/constraints.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/check.hpp"

namespace axon {

namespace {

// Keras' backend.epsilon(): every norm-based constraint divides by (eps + norm).
constexpr double kEpsilon = 1e-7;
// Odometer state lives on the stack (no allocation per optimizer step).
constexpr size_t kMaxRank = 16;
using Dims = std::array<int64_t, kMaxRank>;
using Flags = std::array<bool, kMaxRank>;

// For every element of a row-major tensor, the index of its norm group (the element's
// multi-index with the reduced axes dropped), walked with an odometer: no division per
// element and no table. Calls f(element, group).
template <class F>
void for_each_group(const Shape& shape, const Flags& reduced, F f) {
  const size_t rank = shape.size();
  Dims gstride{}, idx{};
  int64_t s = 1;
  for (size_t d = rank; d-- > 0;)
    if (!reduced[d]) gstride[d] = s, s *= shape[d];
  const int64_t n = shape_size(shape);
  int64_t g = 0;
  for (int64_t e = 0; e < n; ++e) {
    f(e, g);
    for (size_t d = rank; d-- > 0;) {  // increment the odometer
      g += gstride[d];
      if (++idx[d] < shape[d]) break;
      g -= gstride[d] * shape[d];
      idx[d] = 0;
    }
  }
}

Flags reduced_axes(const ConstraintSpec& spec, const Shape& shape) {
  Flags r{};
  for (int64_t a : spec.axes) r[size_t(a < 0 ? a + int64_t(shape.size()) : a)] = true;
  return r;
}

}  // namespace

void check_constraint(const ConstraintSpec& spec, const Shape& shape, const std::string& what) {
  if (spec.kind == ConstraintKind::none || spec.kind == ConstraintKind::non_neg) return;
  const int64_t rank = int64_t(shape.size());
  AXON_CHECK(shape.size() <= kMaxRank, "constraint: ", what, " has rank ", rank, "; at most ", kMaxRank,
             " is supported");
  for (int64_t a : spec.axes)
    AXON_CHECK(a >= -rank && a < rank, "constraint: axis ", a, " is out of range for ", what, " of rank ", rank);
  AXON_CHECK(spec.max_value >= 0 || spec.kind == ConstraintKind::unit_norm,
             "constraint: max_value must be >= 0, got ", spec.max_value);
}

template <class T>
void apply_constraint(const ConstraintSpec& spec, const Shape& shape, T* w, std::vector<T>& norm) {
  const int64_t n = shape_size(shape);
  if (spec.kind == ConstraintKind::none) return;
  if (spec.kind == ConstraintKind::non_neg) {
    for (int64_t i = 0; i < n; ++i) w[i] = std::max(w[i], T(0));
    return;
  }
  // Norms per group, then one scale factor per group, in T as Keras computes them.
  const Flags reduced = reduced_axes(spec, shape);
  int64_t groups = 1;
  for (size_t d = 0; d < shape.size(); ++d)
    if (!reduced[d]) groups *= shape[d];
  norm.assign(size_t(groups), T(0));  // reuses the caller's capacity
  for_each_group(shape, reduced, [&](int64_t e, int64_t g) { norm[size_t(g)] += w[e] * w[e]; });
  const T eps = T(kEpsilon), lo = T(spec.min_value), hi = T(spec.max_value), rate = T(spec.rate);
  for (T& v : norm) {
    const T r = std::sqrt(v);
    if (spec.kind == ConstraintKind::unit_norm) {
      v = T(1) / (eps + r);  // w / (eps + norm)
    } else {
      const T clipped = std::min(std::max(r, spec.kind == ConstraintKind::max_norm ? T(0) : lo), hi);
      const T desired = spec.kind == ConstraintKind::max_norm ? clipped : rate * clipped + (T(1) - rate) * r;
      v = desired / (eps + r);
    }
  }
  for_each_group(shape, reduced, [&](int64_t e, int64_t g) { w[e] *= norm[size_t(g)]; });
}

template void apply_constraint<float>(const ConstraintSpec&, const Shape&, float*, std::vector<float>&);
template void apply_constraint<double>(const ConstraintSpec&, const Shape&, double*, std::vector<double>&);

}  // namespace axon
