// The trainer: a graph, its parameter arena, a loss, an optimizer and metrics, plus the
// epoch loop. Everything per batch (shuffled gather from the caller's arrays, forward,
// loss, backward, regularization, update, metrics) happens here, with no Python involved;
// the bindings release the GIL around fit_epoch/evaluate/predict.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/graph.hpp"
#include "losses/loss.hpp"
#include "metrics/metric.hpp"
#include "optimizers/optimizer.hpp"
#include "train/batch_source.hpp"
#include "train/thread_tuner.hpp"

namespace axon {

using Logs = std::vector<std::pair<std::string, double>>;  // ("loss", 0.12), ("accuracy", 0.97)

// Called with (batch index, running logs) after a batch, and with (batch index, null)
// before one when LoopControl::every_batch; returns true to stop.
using BatchHook = std::function<bool(int64_t, const Logs*)>;

// How a loop reports to its caller between batches.
struct LoopControl {
  BatchHook hook;             // may be empty
  bool every_batch = false;   // a Python callback overrides a batch method: before and after every batch
  double interval_s = 0.05;   // otherwise after a batch at most this often (the progress bar)
  bool stop_on_nan = false;   // TerminateOnNaN: report the batch whose loss is not finite at once
  const std::atomic<bool>* interrupt = nullptr;  // set asynchronously (Ctrl-C): stop after this batch
};

struct LoopResult {
  Logs logs;
  int64_t steps = 0;         // batches run
  bool stopped = false;      // the hook asked to stop
  bool interrupted = false;  // *interrupt was set
};

template <class T>
class Model {
 public:
  explicit Model(uint64_t seed) : seed_(seed) {}

  Graph<T>& graph() { return graph_; }
  Arena<T>& arena() { return arena_; }
  void build(const Shape& input_shape);
  void compile(std::unique_ptr<Loss<T>> loss, std::unique_ptr<Optimizer<T>> optimizer,
               std::vector<std::unique_ptr<Metric<T>>> metrics);
  bool compiled() const { return loss_ != nullptr; }
  bool fused_loss() const { return fused_; }
  Optimizer<T>& optimizer() { return *optimizer_; }
  // Every metric's full result (one value per class/threshold where it has several; the
  // logs hold their mean), as of the last fit_epoch/evaluate.
  std::vector<std::vector<double>> metric_results() const;

  // Training on the batches of pass `pass` over the data (shuffled with a permutation keyed
  // by (seed, pass)) from batch `first_batch`, for at most max_steps batches (< 0: to the
  // end of the pass). Keras' epochs are passes unless steps_per_epoch says otherwise.
  LoopResult fit_epoch(const DataView<T>& data, int64_t batch_size, bool shuffle, int64_t pass,
                       int64_t first_batch, int64_t max_steps, const LoopControl& control);
  // Training on batches from any source (a queue fed by Python), for at most max_steps.
  LoopResult fit_batches(BatchSource<T>& source, int64_t max_steps, const LoopControl& control);
  LoopResult evaluate(const DataView<T>& data, int64_t batch_size, int64_t max_steps, const LoopControl& control);
  LoopResult evaluate_batches(BatchSource<T>& source, int64_t max_steps, const LoopControl& control);
  // out: n rows of the output size. Stops after a batch once *interrupt is set (Ctrl-C);
  // returns the rows written.
  int64_t predict(const T* x, int64_t n, int64_t x_cols, int64_t batch_size, T* out,
                  const std::atomic<bool>* interrupt = nullptr);
  // Keras' model(x, training=True) outside fit: one forward pass of all n rows in training
  // mode. Dropout draws a new mask on every call (keyed by a count of these calls, apart
  // from the training steps' keys); BatchNormalization normalizes by the batch's statistics
  // and updates its moving ones, as Keras does.
  void call_training(const T* x, int64_t n, int64_t x_cols, T* out);
  // Appends each batch's outputs to *out; returns the number of rows. Stops after a batch
  // once *interrupt is set.
  int64_t predict_batches(BatchSource<T>& source, int64_t max_steps, std::vector<T>* out,
                          const std::atomic<bool>* interrupt = nullptr);

  // For gradient checks: the loss (with penalties) of one batch in training mode,
  // leaving its parameter gradients in the arena and dL/dx in input_grad.
  double loss_and_gradients(const Mat<T>& x, const Mat<T>& y, Mat<T>* input_grad, const T* w = nullptr);
  // Backward from an arbitrary output gradient (tests a layer without a loss).
  void gradients_from_output(const Mat<T>& x, const Mat<T>& dout, Mat<T>* input_grad);

  // Held by every binding that reads or writes this model's buffers (see ModelCallLock in
  // bindings/common.hpp): one call at a time per model, from any number of Python threads.
  // Recursive, because a callback that fit runs on its own thread may call evaluate/predict.
  std::recursive_mutex& call_mutex() { return call_mutex_; }

  int64_t iterations() const { return iterations_; }
  void set_iterations(int64_t it) { iterations_ = it; }
  uint64_t seed() const { return seed_; }
  void set_seed(uint64_t seed) { seed_ = seed; }  // a loaded model shuffles as the saved one did
  // build() for an untrusted (loaded) config: refuses before allocating when the parameters
  // would hold more than max_values values (Arena::limit_values: checked as each parameter
  // is declared). The parameters stay zero: the caller reads every one of them from the file.
  void build_bounded(const Shape& input_shape, int64_t max_values);
  int64_t input_size() const { return shape_size(graph_.input_shape()); }
  int64_t output_size() const { return shape_size(graph_.output_shape()); }
  // Values of y per sample the compiled loss expects (0 before compile). Kept in an atomic
  // at compile, so a batch producer thread may read it while fit holds call_mutex().
  int64_t target_size() const { return target_size_.load(std::memory_order_relaxed); }

 private:
  double train_step(const Mat<T>& x, const Mat<T>& y, const T* w);
  double batch_loss(const Mat<T>& out, const Mat<T>& y, Mat<T>* grad, const T* w);
  void check_data(const DataView<T>& data, bool need_y, const char* where) const;
  void check_batch(const Batch<T>& batch, bool need_y, const char* where) const;
  Logs current_logs(double loss_sum, double count) const;
  void reset_metrics();
  void update_metrics(const Mat<T>& pred, const Mat<T>& y, const T* w);

  Graph<T> graph_;
  Arena<T> arena_;
  std::unique_ptr<Loss<T>> loss_;
  std::unique_ptr<Optimizer<T>> optimizer_;
  std::vector<std::unique_ptr<Metric<T>>> metrics_;
  uint64_t seed_;
  int64_t iterations_ = 0;
  uint64_t training_calls_ = 0;  // call_training's count: its dropout masks' key
  bool fused_ = false;
  std::atomic<int64_t> target_size_{0};
  std::recursive_mutex call_mutex_;
  // Reused across batches: the current batch, the output gradient, the permutation.
  Batch<T> batch_;
  Mat<T> dout_;
  std::vector<int64_t> order_;
  // The loops' OpenMP team sizes (see thread_tuner.hpp): training steps and forward passes
  // cost different times per row, so each kind of loop measures its own.
  ThreadTuner train_threads_, inference_threads_;
};

}  // namespace axon
