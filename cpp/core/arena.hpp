// One contiguous buffer each for parameters, gradients and optimizer slots.
//
// Layers declare ParamSpecs at build time and keep the returned index; after finalize()
// they read Eigen::Map views into the buffers. Zeroing gradients, an optimizer step,
// regularization and saving are each one pass over a flat range.
//
// Every parameter starts on a 64-byte boundary (cache line, AVX-512 vector): a batch-1
// matrix-vector product over the Dense kernel runs 2x faster aligned. The padding between
// parameters is zero in params, grads and slots, so optimizers may sweep across it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/param_spec.hpp"
#include "core/regularizers.hpp"
#include "core/tensor.hpp"

#include <Eigen/Core>

namespace axon {

template <class T>
class Arena {
 public:
  // Declares a parameter of layer `owner` ("Dense 'dense'"); returns its index. Only valid
  // before finalize(). A shape beyond kMaxTensorValues is a ValueError.
  int declare(ParamSpec spec, std::string owner = "");
  // From now on declare() refuses a parameter that brings the total past max_values values
  // (a loaded file's count). It runs before the declaring layer allocates anything sized by
  // the parameter or its input, so a hostile architecture costs nothing to refuse.
  void limit_values(int64_t max_values) { max_values_ = max_values; }
  // Allocates params and grads, then fills params from their initializers (unless the
  // caller overwrites every parameter anyway: loading a saved model). Weights this machine
  // cannot hold are an OutOfMemory (MemoryError) naming the largest parameter and the bytes.
  void finalize(bool initialize = true);
  // (Re)allocates `count` optimizer slots of the arena's size, zero-filled.
  void allocate_slots(int count);

  bool finalized() const { return finalized_; }
  size_t size() const { return params_.size(); }
  int num_params() const { return int(specs_.size()); }
  const ParamSpec& spec(int i) const { return specs_[i]; }
  void set_trainable(int i, bool trainable) {
    specs_[i].trainable = trainable;
    ranges_dirty_ = true;  // the optimizer's ranges must drop (or regain) it
  }
  size_t offset(int i) const { return offsets_[i]; }
  size_t count(int i) const { return size_t(shape_size(specs_[i].shape)); }

  T* params() { return params_.data(); }
  T* grads() { return grads_.data(); }
  T* slot(int k) { return slots_.data() + size_t(k) * size(); }
  int num_slots() const { return num_slots_; }
  T* param(int i) { return params_.data() + offsets_[i]; }
  const T* param(int i) const { return params_.data() + offsets_[i]; }
  T* grad(int i) { return grads_.data() + offsets_[i]; }

  // A parameter seen as a matrix: (shape[0], rest) for rank >= 2, (1, n) for vectors.
  MatMap<T> param_mat(int i) { return as_mat(param(i), specs_[i].shape); }
  MatMap<T> grad_mat(int i) { return as_mat(grad(i), specs_[i].shape); }

  void zero_grads();
  // Merged [begin, end) ranges of trainable parameters, for the optimizer's flat loop.
  const std::vector<std::pair<size_t, size_t>>& trainable_ranges();
  // Adds the weight penalties' gradients to grads and returns the penalty.
  double apply_regularization();
  // The penalty alone (evaluation).
  double regularization_loss() const;
  // Projects every trainable constrained parameter back onto its constraint (Keras applies
  // constraints right after the optimizer update).
  void apply_constraints();

 private:
  static MatMap<T> as_mat(T* data, const Shape& s);
  [[noreturn]] void fail_allocation(const char* what, size_t values, size_t copies) const;
  std::vector<ParamSpec> specs_;
  std::vector<std::string> owners_;  // the declaring layer of each parameter, for messages
  std::vector<size_t> offsets_;
  // 64-byte aligned storage (Eigen's allocator aligns to EIGEN_MAX_ALIGN_BYTES = 64 with AVX-512).
  using Buffer = std::vector<T, Eigen::aligned_allocator<T>>;
  static constexpr size_t kAlign = 64 / sizeof(T);
  Buffer params_, grads_, slots_;
  std::vector<std::pair<size_t, size_t>> ranges_;
  std::vector<T> constraint_scratch_;  // per-group norms, reused every step
  mutable std::vector<RegScratch<T>> reg_scratch_;  // one per parameter (used by OrthogonalRegularizer)
  bool ranges_dirty_ = true;
  bool finalized_ = false;
  int num_slots_ = 0;
  int64_t max_values_ = -1;  // < 0: unlimited (a model built in code)
  long double declared_values_ = 0;  // long double: a hostile shape's product cannot overflow it
};

}  // namespace axon
