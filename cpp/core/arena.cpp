#include "core/arena.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/check.hpp"
#include "core/constraints.hpp"
#include "core/initializers.hpp"
#include "core/memory.hpp"
#include "core/regularizers.hpp"

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace axon {

namespace {

// Allocates `n` zeros in `buffer`, asking Linux for transparent huge pages first when the
// buffer is large: first-touch page faults on 4 KiB pages dominate building (and loading)
// a 100 MB model, and huge pages cut them ~500-fold (and the TLB misses of every step).
template <class Buffer>
void assign_zeros(Buffer& buffer, size_t n) {
  using T = typename Buffer::value_type;
  buffer.clear();
  buffer.shrink_to_fit();
  buffer.reserve(n);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kPage = 4096;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(buffer.data()) + kPage - 1) & ~(kPage - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(buffer.data()) + n * sizeof(T)) & ~(kPage - 1);
  if (n * sizeof(T) >= (size_t(4) << 20) && end > begin)
    madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // advice only: failure is harmless
#endif
  buffer.assign(n, T(0));  // within the reserved capacity: no reallocation
}

}  // namespace

template <class T>
int Arena<T>::declare(ParamSpec spec, std::string owner) {
  AXON_CHECK(!finalized_, "arena: cannot declare parameter '", spec.name, "' after the model was built");
  for (int64_t d : spec.shape)
    AXON_CHECK(d > 0, "parameter '", spec.name, "': every dimension must be positive, got ", batch_shape_str(spec.shape));
  if (max_values_ >= 0) {
    long double n = 1;
    for (int64_t d : spec.shape) n *= static_cast<long double>(d);
    declared_values_ += n;
    AXON_CHECK(declared_values_ <= static_cast<long double>(max_values_), "parameter '", spec.name, "' (",
               double(n), " values) makes the architecture need ", double(declared_values_),
               " parameter values, more than the ", max_values_, " stored with it");
  }
  // Configuration errors surface when the model is built, not at the first step.
  const std::string what = "weight '" + spec.name + "'";
  shape_size(spec.shape, what, "shape", /*batched=*/false);  // throws beyond kMaxTensorValues
  owners_.push_back(std::move(owner));
  check_initializer(spec.init, spec.shape, what);
  check_regularizer(spec.reg, spec.shape, what);
  check_constraint(spec.constraint, spec.shape, what);
  specs_.push_back(std::move(spec));
  return int(specs_.size()) - 1;
}

template <class T>
void Arena<T>::finalize(bool initialize) {
  size_t total = 0;
  offsets_.clear();
  for (const ParamSpec& s : specs_) {
    offsets_.push_back(total);
    // Each count is at most kMaxTensorValues (declare checked it); the sum may still wrap.
    if (__builtin_add_overflow(total, (size_t(shape_size(s.shape)) + kAlign - 1) / kAlign * kAlign, &total))
      fail_allocation("the weights", SIZE_MAX, 2);
  }
  if (total > machine_memory_bytes() / sizeof(T) / 2) fail_allocation("the weights", total, 2);
  try {
    assign_zeros(params_, total);
    assign_zeros(grads_, total);
  } catch (const std::exception&) {  // bad_alloc, or length_error beyond the vector's max_size
    params_ = Buffer();
    grads_ = Buffer();
    fail_allocation("the weights", total, 2);
  }
  reg_scratch_.resize(specs_.size());
  if (initialize)
    for (size_t i = 0; i < specs_.size(); ++i) axon::initialize<T>(specs_[i].init, specs_[i].shape, param(int(i)));
  finalized_ = true;
  ranges_dirty_ = true;
}

template <class T>
void Arena<T>::allocate_slots(int count) {
  const size_t values = size_t(count) * size();  // size() fits memory twice over: no overflow
  if (values > machine_memory_bytes() / sizeof(T)) fail_allocation("the optimizer's slots", values, 1);
  try {
    assign_zeros(slots_, values);
  } catch (const std::exception&) {
    slots_ = Buffer();
    fail_allocation("the optimizer's slots", values, 1);
  }
  num_slots_ = count;
}

// "model: cannot allocate the weights: 4e+12 float32 values (16 TB, and as much again for
// their gradients), more than this machine's 135 GB of RAM and swap; the largest is
// Dense 'dense' weight 'kernel' (4, 1000000000000) (16 TB)".
template <class T>
void Arena<T>::fail_allocation(const char* what, size_t values, size_t copies) const {
  size_t largest = 0;
  for (size_t i = 1; i < specs_.size(); ++i)
    if (shape_size(specs_[i].shape) > shape_size(specs_[largest].shape)) largest = i;
  const double bytes = double(values) * double(sizeof(T));
  const size_t memory = machine_memory_bytes();
  std::string message = cat("model: cannot allocate ", what, ": ", double(values), " ",
                            sizeof(T) == 4 ? "float32" : "float64", " values (", human_bytes(bytes),
                            copies > 1 ? ", and as much again for their gradients)" : ")");
  message += double(copies) * bytes > double(memory)
                 ? cat(", more than this machine's ", human_bytes(double(memory)), " of RAM and swap")
                 : std::string(", which the system refused");
  if (!specs_.empty()) {
    const ParamSpec& s = specs_[largest];
    const std::string& owner = owners_[largest];
    message += cat("; the largest is ", owner.empty() ? "" : owner + " ", "weight '", s.name, "' ", tuple_str(s.shape),
                   " (", human_bytes(double(shape_size(s.shape)) * double(sizeof(T))), ")");
  }
  throw OutOfMemory(message);
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
    if (!specs_[i].reg.active()) continue;
    // Frozen weights still pay the penalty (Keras adds it to the loss) but get no update.
    const MatMap<T> w = param_mat(int(i));
    penalty += regularize<T>(specs_[i].reg, w.data(), w.rows(), w.cols(), grad(int(i)), reg_scratch_[i]);
  }
  return penalty;
}

template <class T>
double Arena<T>::regularization_loss() const {
  double penalty = 0;
  for (size_t i = 0; i < specs_.size(); ++i) {
    if (!specs_[i].reg.active()) continue;
    const Shape& s = specs_[i].shape;
    const int64_t rows = s.size() <= 1 ? 1 : s[0];
    penalty += regularize<T>(specs_[i].reg, param(int(i)), rows, shape_size(s) / rows, nullptr, reg_scratch_[i]);
  }
  return penalty;
}

template <class T>
void Arena<T>::apply_constraints() {
  for (size_t i = 0; i < specs_.size(); ++i)
    if (specs_[i].trainable && specs_[i].constraint.active())
      apply_constraint<T>(specs_[i].constraint, specs_[i].shape, param(int(i)), constraint_scratch_);
}

template <class T>
MatMap<T> Arena<T>::as_mat(T* data, const Shape& s) {
  if (s.size() <= 1) return MatMap<T>(data, 1, s.empty() ? 1 : s[0]);
  return MatMap<T>(data, s[0], shape_size(s) / s[0]);
}

template class Arena<float>;
template class Arena<double>;

}  // namespace axon
