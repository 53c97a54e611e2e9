// A bounded queue of batches between a producer (a Python thread reading a generator or a
// PyDataset) and the training loop. The producer copies each batch in while the engine
// trains on an earlier one, so Python's work on batch k+1 overlaps C++'s work on batch k.
//
// Slots are recycled: pop() swaps the queued batch with the consumer's previous one, whose
// buffers the producer then overwrites, so a steady stream of equal batches allocates nothing.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "train/batch_source.hpp"

namespace axon {

template <class T>
class BatchQueue {
 public:
  explicit BatchQueue(int64_t capacity);

  // Producer side. Blocks while the queue is full; false (nothing queued) once cancelled.
  // y may be null (prediction), w may be null (unweighted).
  bool push(const T* x, int64_t rows, int64_t x_cols, const T* y, int64_t y_cols, const T* w);
  // No more batches: pop() returns false once the queue is drained.
  void close();

  // Consumer side. Blocks until a batch or close(); false when closed and empty.
  bool pop(Batch<T>* batch);
  // The consumer is done (finished, stopped or failed): wakes a blocked producer, whose
  // push() then returns false, and drops what is queued.
  void cancel();

  int64_t capacity() const { return int64_t(slots_.size()); }

 private:
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::vector<Batch<T>> slots_;
  size_t head_ = 0, count_ = 0;
  bool closed_ = false, cancelled_ = false;
};

// The training loop's view of a queue.
template <class T>
class QueueSource final : public BatchSource<T> {
 public:
  explicit QueueSource(BatchQueue<T>& queue) : queue_(queue) {}
  bool next(Batch<T>* batch) override { return queue_.pop(batch); }

 private:
  BatchQueue<T>& queue_;
};

}  // namespace axon
