#include "core/arena.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/check.hpp"
#include "core/initializers.hpp"

namespace axon {

template <class T>
int Arena<T>::declare(ParamSpec spec) {
  AXON_CHECK(!finalized_, "arena: cannot declare parameter '", spec.name, "' after the model was built");
  for (int64_t d : spec.shape)
    AXON_CHECK(d > 0, "parameter '", spec.name, "': every dimension must be positive, got ", batch_shape_str(spec.shape));
  specs_.push_back(std::move(spec));
  return int(specs_.size()) - 1;
}

template <class T>
void Arena<T>::finalize() {
  size_t total = 0;
  offsets_.clear();
  for (const ParamSpec& s : specs_) {
    offsets_.push_back(total);
    total += (size_t(shape_size(s.shape)) + kAlign - 1) / kAlign * kAlign;
  }
  params_.assign(total, T(0));
  grads_.assign(total, T(0));
  for (size_t i = 0; i < specs_.size(); ++i) initialize<T>(specs_[i].init, specs_[i].shape, param(int(i)));
  finalized_ = true;
  ranges_dirty_ = true;
}

template <class T>
void Arena<T>::allocate_slots(int count) {
  num_slots_ = count;
  slots_.assign(size_t(count) * size(), T(0));
}

template <class T>
void Arena<T>::zero_grads() {
  std::memset(grads_.data(), 0, grads_.size() * sizeof(T));
}

template <class T>
const std::vector<std::pair<size_t, size_t>>& Arena<T>::trainable_ranges() {
  if (ranges_dirty_) {
    ranges_.clear();
    for (size_t i = 0; i < specs_.size(); ++i) {
      if (!specs_[i].trainable) continue;
      const size_t b = offsets_[i], e = b + (count(int(i)) + kAlign - 1) / kAlign * kAlign;
      if (!ranges_.empty() && ranges_.back().second == b)
        ranges_.back().second = e;
      else
        ranges_.emplace_back(b, e);
    }
    ranges_dirty_ = false;
  }
  return ranges_;
}

template <class T>
double Arena<T>::apply_regularization() {
  double penalty = 0;
  for (size_t i = 0; i < specs_.size(); ++i) {
    const RegSpec& r = specs_[i].reg;
    if (!r.active()) continue;
    const T* w = param(int(i));
    T* g = grad(int(i));
    const T l1 = T(r.l1), two_l2 = T(2 * r.l2);
    const size_t n = count(int(i));
    double l1_sum = 0, l2_sum = 0;
    for (size_t j = 0; j < n; ++j) {
      l1_sum += std::abs(double(w[j]));
      l2_sum += double(w[j]) * double(w[j]);
      // Frozen weights still pay the penalty (Keras adds it to the loss) but get no update.
      g[j] += l1 * T((w[j] > 0) - (w[j] < 0)) + two_l2 * w[j];
    }
    penalty += r.l1 * l1_sum + r.l2 * l2_sum;
  }
  return penalty;
}

template <class T>
double Arena<T>::regularization_loss() const {
  double penalty = 0;
  for (size_t i = 0; i < specs_.size(); ++i) {
    const RegSpec& r = specs_[i].reg;
    if (!r.active()) continue;
    const T* w = params_.data() + offsets_[i];
    double l1_sum = 0, l2_sum = 0;
    for (size_t j = 0, n = size_t(shape_size(specs_[i].shape)); j < n; ++j) {
      l1_sum += std::abs(double(w[j]));
      l2_sum += double(w[j]) * double(w[j]);
    }
    penalty += r.l1 * l1_sum + r.l2 * l2_sum;
  }
  return penalty;
}

template <class T>
MatMap<T> Arena<T>::as_mat(T* data, const Shape& s) {
  if (s.size() <= 1) return MatMap<T>(data, 1, s.empty() ? 1 : s[0]);
  return MatMap<T>(data, s[0], shape_size(s) / s[0]);
}

template class Arena<float>;
template class Arena<double>;

}  // namespace axon
