// Where the training loop gets its batches from: the user's in-memory arrays (gathered in
// a shuffled order, never copied as a whole) or a queue that a Python producer thread fills
// (generators, PyDataset) while the engine trains on the previous batch.
#pragma once
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace axon {

// Borrowed, row-major views of the caller's dataset.
template <class T>
struct DataView {
  const T* x = nullptr;
  const T* y = nullptr;  // may be null for predict
  int64_t n = 0;         // samples
  int64_t x_cols = 0;    // values per sample
  int64_t y_cols = 0;
  const T* w = nullptr;  // per-sample loss weights (n values), or null
};

// One batch, owned. Reused from batch to batch, so the steady state allocates nothing.
template <class T>
struct Batch {
  Mat<T> x, y;
  std::vector<T> w;  // per-sample loss weights; empty when the batch is unweighted
  int64_t rows() const { return x.rows(); }
  const T* weights() const { return w.empty() ? nullptr : w.data(); }
};

template <class T>
class BatchSource {
 public:
  virtual ~BatchSource() = default;
  // Replaces *batch by the next batch; false when there is none.
  virtual bool next(Batch<T>* batch) = 0;
};

// Batches of a DataView in `order` (a permutation of the samples; null: in sequence),
// starting at batch `first_batch`.
template <class T>
class ArraySource final : public BatchSource<T> {
 public:
  ArraySource(const DataView<T>& data, int64_t batch_size, const int64_t* order, int64_t first_batch)
      : d_(data), batch_size_(batch_size), order_(order), next_(first_batch) {}
  bool next(Batch<T>* batch) override;
  static int64_t batches(int64_t n, int64_t batch_size) { return (n + batch_size - 1) / batch_size; }

 private:
  DataView<T> d_;
  int64_t batch_size_;
  const int64_t* order_;
  int64_t next_;
};

}  // namespace axon
