#include "train/batch_queue.hpp"

#include <algorithm>
#include <utility>

#include "core/check.hpp"

namespace axon {

template <class T>
BatchQueue<T>::BatchQueue(int64_t capacity) {
  AXON_CHECK(capacity > 0, "BatchQueue: capacity must be positive, got ", capacity);
  slots_.resize(size_t(capacity));
}

template <class T>
bool BatchQueue<T>::push(const T* x, int64_t rows, int64_t x_cols, const T* y, int64_t y_cols, const T* w) {
  std::unique_lock<std::mutex> lock(mutex_);
  not_full_.wait(lock, [&] { return cancelled_ || count_ < slots_.size(); });
  if (cancelled_) return false;
  AXON_CHECK(!closed_, "BatchQueue: push after close");
  // The slot after the queued ones belongs to the (single) producer until count_ grows, so
  // the copy runs unlocked and the consumer can keep popping earlier batches meanwhile.
  Batch<T>& slot = slots_[(head_ + count_) % slots_.size()];
  lock.unlock();
  slot.x = ConstMatMap<T>(x, rows, x_cols);
  if (y) {
    slot.y = ConstMatMap<T>(y, rows, y_cols);
  } else {
    slot.y.resize(rows, 0);
  }
  if (w) {
    slot.w.assign(w, w + rows);
  } else {
    slot.w.clear();
  }
  lock.lock();
  if (cancelled_) return false;
  ++count_;
  not_empty_.notify_one();
  return true;
}

template <class T>
void BatchQueue<T>::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  not_empty_.notify_all();
}

template <class T>
bool BatchQueue<T>::pop(Batch<T>* batch) {
  std::unique_lock<std::mutex> lock(mutex_);
  not_empty_.wait(lock, [&] { return count_ > 0 || closed_ || cancelled_; });
  if (count_ == 0 || cancelled_) return false;
  Batch<T>& slot = slots_[head_];
  std::swap(slot.x, batch->x);
  std::swap(slot.y, batch->y);
  std::swap(slot.w, batch->w);
  head_ = (head_ + 1) % slots_.size();
  --count_;
  not_full_.notify_one();
  return true;
}

template <class T>
void BatchQueue<T>::cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_ = true;
  count_ = 0;
  not_full_.notify_all();
  not_empty_.notify_all();
}

template class BatchQueue<float>;
template class BatchQueue<double>;

}  // namespace axon
