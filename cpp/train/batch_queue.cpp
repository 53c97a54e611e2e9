#include "train/batch_queue.hpp"

#include "core/check.hpp"

namespace axon {

template <class T>
BatchQueue<T>::BatchQueue(int64_t capacity) {
  AXON_CHECK(capacity > 0, "BatchQueue: capacity must be positive, got ", capacity);
  slots_.resize(size_t(capacity));
  low_water_ = slots_.size() / 2;
}

template <class T>
bool BatchQueue<T>::push(const BorrowedBatch<T>& batch) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (count_ == slots_.size() && !cancelled_) {
    // Full: sleep until the consumer has drained it to half, so the producer thread wakes
    // once per capacity/2 batches rather than once per batch (each wake-up takes a core
    // away from the engine's threads).
    producer_waiting_ = true;
    not_full_.wait(lock, [&] { return cancelled_ || count_ <= low_water_; });
    producer_waiting_ = false;
  }
  if (cancelled_) return false;
  AXON_CHECK(!closed_, "BatchQueue: push after close");
  slots_[(head_ + count_) % slots_.size()] = batch;
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
std::vector<void*> BatchQueue<T>::finished_owners() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<void*> out;
  out.swap(finished_);
  return out;
}

template <class T>
bool BatchQueue<T>::pop(Batch<T>* batch) {
  BorrowedBatch<T> b;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    not_empty_.wait(lock, [&] { return count_ > 0 || closed_ || cancelled_; });
    if (count_ == 0 || cancelled_) return false;
    b = slots_[head_];
    head_ = (head_ + 1) % slots_.size();
    --count_;
    if (producer_waiting_ && count_ <= low_water_) not_full_.notify_one();
  }
  // Unlocked: the owner keeps the memory alive until it is listed as finished, below.
  batch->x = ConstMatMap<T>(b.x, b.rows, b.x_cols);
  if (b.y) {
    batch->y = ConstMatMap<T>(b.y, b.rows, b.y_cols);
  } else {
    batch->y.resize(b.rows, 0);
  }
  if (b.w) {
    batch->w.assign(b.w, b.w + b.rows);
  } else {
    batch->w.clear();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  finished_.push_back(b.owner);
  return true;
}

template <class T>
void BatchQueue<T>::cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_ = true;
  for (; count_ > 0; --count_, head_ = (head_ + 1) % slots_.size()) finished_.push_back(slots_[head_].owner);
  not_full_.notify_all();
  not_empty_.notify_all();
}

template class BatchQueue<float>;
template class BatchQueue<double>;

}  // namespace axon
