// A bounded queue of batches between a producer (a Python thread reading a generator or a
// PyDataset) and the training loop, so Python's work on batch k+1 overlaps C++'s on batch k.
//
// The queue holds borrowed batches: pointers into the producer's arrays plus an opaque
// owner token that keeps them alive. The consumer copies a batch into its own buffers (as
// the array path gathers rows) and hands the token back through finished_owners(); only
// then may the producer release it. So the producer thread does no copying, and releasing
// Python objects stays on the side that holds the GIL.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "train/batch_source.hpp"

namespace axon {

template <class T>
struct BorrowedBatch {
  const T* x = nullptr;
  const T* y = nullptr;  // null: no targets (prediction)
  const T* w = nullptr;  // null: unweighted
  int64_t rows = 0, x_cols = 0, y_cols = 0;
  void* owner = nullptr;  // keeps x, y and w alive until it comes back from finished_owners()
};

template <class T>
class BatchQueue {
 public:
  explicit BatchQueue(int64_t capacity);

  // Producer side. Blocks while the queue is full; false (nothing queued: the caller keeps
  // ownership of batch.owner) once cancelled.
  bool push(const BorrowedBatch<T>& batch);
  // No more batches: pop() returns false once the queue is drained.
  void close();
  // Owners of batches the consumer has copied, and after cancel() of every batch never
  // popped: the producer releases them.
  std::vector<void*> finished_owners();

  // Consumer side. Blocks until a batch or close(); copies it into *batch; false when closed
  // and empty.
  bool pop(Batch<T>* batch);
  // The consumer is done (finished, stopped or failed): wakes a blocked producer, whose
  // push() then returns false.
  void cancel();

 private:
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::vector<BorrowedBatch<T>> slots_;
  std::vector<void*> finished_;
  size_t head_ = 0, count_ = 0;
  size_t low_water_ = 0;  // a full queue wakes its producer again at this count
  bool closed_ = false, cancelled_ = false, producer_waiting_ = false;
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
