#include "train/batch_source.hpp"

#include <algorithm>

#include "kernels/kernels.hpp"

namespace axon {

template <class T>
bool ArraySource<T>::next(Batch<T>* batch) {
  const int64_t start = next_ * batch_size_;
  if (start >= d_.n) return false;
  const int64_t rows = std::min(batch_size_, d_.n - start);
  ++next_;
  batch->x.resize(rows, d_.x_cols);
  if (d_.y) batch->y.resize(rows, d_.y_cols);
  if (d_.w) batch->w.resize(size_t(rows));
  else batch->w.clear();
  if (order_ == nullptr) {  // in sequence: contiguous rows
    std::copy(d_.x + start * d_.x_cols, d_.x + (start + rows) * d_.x_cols, batch->x.data());
    if (d_.y) std::copy(d_.y + start * d_.y_cols, d_.y + (start + rows) * d_.y_cols, batch->y.data());
    if (d_.w) std::copy(d_.w + start, d_.w + start + rows, batch->w.data());
    return true;
  }
  kernels::gather_rows<T>(d_.x, d_.x_cols, order_ + start, rows, batch->x.data());
  if (d_.y) kernels::gather_rows<T>(d_.y, d_.y_cols, order_ + start, rows, batch->y.data());
  if (d_.w) kernels::gather_rows<T>(d_.w, 1, order_ + start, rows, batch->w.data());
  return true;
}

template class ArraySource<float>;
template class ArraySource<double>;

}  // namespace axon
