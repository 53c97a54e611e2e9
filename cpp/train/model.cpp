#include "train/model.hpp"

#include <chrono>
#include <cmath>
#include <numeric>

#include "core/check.hpp"
#include "core/denormals.hpp"
#include "core/rng.hpp"

namespace axon {

namespace {

// Calls the loop's hook when due: around every batch when a callback needs them, else
// after a batch at most every interval_s (a clock read per batch costs ~20 ns).
class Reporter {
 public:
  explicit Reporter(const LoopControl& c) : c_(c), last_(std::chrono::steady_clock::now()) {}

  bool before(int64_t batch) const { return c_.hook && c_.every_batch && c_.hook(batch, nullptr); }

  template <class LogsFn>
  bool after(int64_t batch, bool bad_loss, const LogsFn& logs) {
    if (!c_.hook) return false;
    if (!(c_.every_batch || (bad_loss && c_.stop_on_nan) || due())) return false;
    const Logs l = logs();
    return c_.hook(batch, &l);
  }

  bool interrupted() const { return c_.interrupt && c_.interrupt->load(std::memory_order_relaxed); }

 private:
  bool due() {
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_).count() < c_.interval_s) return false;
    last_ = now;
    return true;
  }
  const LoopControl& c_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace

template <class T>
void Model<T>::build(const Shape& input_shape) {
  AXON_CHECK(!graph_.built(), "model: already built");
  graph_.build(input_shape, arena_);
  arena_.finalize();
}

template <class T>
void Model<T>::build_bounded(const Shape& input_shape, int64_t max_values) {
  AXON_CHECK(!graph_.built(), "model: already built");
  AXON_CHECK(max_values >= 0, "model: max_values must be non-negative, got ", max_values);
  // Checked as each layer declares its parameters, not after the graph is built: a layer
  // may allocate tables the size of its input in build (PReLU), so counting afterwards let
  // a 1 KB file cost gigabytes and seconds before it was refused.
  arena_.limit_values(max_values);
  graph_.build(input_shape, arena_);
  arena_.finalize(/*initialize=*/false);
}

template <class T>
void Model<T>::compile(std::unique_ptr<Loss<T>> loss, std::unique_ptr<Optimizer<T>> optimizer,
                       std::vector<std::unique_ptr<Metric<T>>> metrics) {
  AXON_CHECK(graph_.built(), "model: build the model before compiling it");
  AXON_CHECK(loss->spec().reduction != Reduction::none, "compile: loss '", loss->name(),
             "' has reduction='none'; training needs a scalar loss (use 'sum_over_batch_size' or 'sum')");
  const int last = graph_.size() - 1;
  Layer<T>& out = graph_.layer(last);
  out.keep_preactivation(false);
  // Fuse softmax/sigmoid into the cross-entropy when the output layer ends in it.
  const Activation act = out.output_activation();
  fused_ = act != Activation::linear && act == loss->fused_activation() && !loss->from_logits() &&
           !graph_.has_activity_regularizer(last);
  out.keep_preactivation(fused_);
  loss_ = std::move(loss);
  optimizer_ = std::move(optimizer);
  optimizer_->attach(arena_);
  // Shapes are fixed from here on, so metrics check once what they will be given.
  const int64_t k = graph_.output_shape().back();
  for (const auto& m : metrics) m->check(k, loss_->targets_per_row(k), output_size() / k);
  metrics_ = std::move(metrics);
  iterations_ = 0;
  target_size_.store(output_size() / k * loss_->targets_per_row(k), std::memory_order_relaxed);
}

template <class T>
void Model<T>::check_data(const DataView<T>& d, bool need_y, const char* where) const {
  AXON_CHECK(d.n > 0, where, ": x is empty (0 samples)");
  AXON_CHECK(d.x_cols == input_size(), where, ": x has ", d.x_cols, " values per sample, the model expects ",
             input_size(), " (input shape ", batch_shape_str(graph_.input_shape()), ")");
  if (!need_y) return;
  AXON_CHECK(compiled(), where, ": the model must be compiled first (call compile())");
  AXON_CHECK(d.y != nullptr, where, ": y is required");
  AXON_CHECK(d.y_cols == target_size(), where, ": y has ", d.y_cols, " values per sample; loss '", loss_->name(),
             "' with output shape ", batch_shape_str(graph_.output_shape()), " expects ", target_size());
}

template <class T>
double Model<T>::batch_loss(const Mat<T>& out, const Mat<T>& y, Mat<T>* grad, const T* w) {
  const int64_t k = graph_.output_shape().back();
  if (fused_) return loss_->compute_fused(*graph_.layer(graph_.size() - 1).preactivation(), y, k, grad, w);
  return loss_->compute(out, y, k, grad, w);
}

template <class T>
double Model<T>::train_step(const Mat<T>& x, const Mat<T>& y, const T* w) {
  Context ctx{true, uint64_t(iterations_)};
  const Mat<T>& out = graph_.forward(ctx, x);
  arena_.zero_grads();
  double loss = batch_loss(out, y, &dout_, w);
  loss += graph_.activity_penalty() + arena_.apply_regularization();
  update_metrics(out, y, w);  // before backward: it overwrites activations' gradients, not outputs
  graph_.backward(ctx, dout_, fused_);
  optimizer_->step(arena_, iterations_);
  arena_.apply_constraints();
  ++iterations_;
  return loss;
}

template <class T>
void Model<T>::reset_metrics() {
  for (auto& m : metrics_) m->reset();
}

template <class T>
void Model<T>::update_metrics(const Mat<T>& pred, const Mat<T>& y, const T* w) {
  const int64_t k = graph_.output_shape().back();
  for (auto& m : metrics_) m->update(pred, y, k, w);  // Keras weights compiled metrics too
}

template <class T>
std::vector<std::vector<double>> Model<T>::metric_results() const {
  std::vector<std::vector<double>> out;
  for (const auto& m : metrics_) out.push_back(m->results());
  return out;
}

template <class T>
Logs Model<T>::current_logs(double loss_sum, double count) const {
  Logs logs;
  logs.emplace_back("loss", count > 0 ? loss_sum / count : 0.0);
  for (const auto& m : metrics_) logs.emplace_back(m->name(), m->result());
  return logs;
}

template <class T>
void Model<T>::check_batch(const Batch<T>& b, bool need_y, const char* where) const {
  AXON_CHECK(b.x.cols() == input_size(), where, ": a batch has ", b.x.cols(), " values per sample, the model expects ",
             input_size(), " (input shape ", batch_shape_str(graph_.input_shape()), ")");
  if (!need_y) return;
  AXON_CHECK(b.y.rows() == b.x.rows() && b.y.cols() == target_size(), where, ": a batch's y has ", b.y.cols(),
             " values per sample; loss '", loss_->name(), "' with output shape ", batch_shape_str(graph_.output_shape()),
             " expects ", target_size());
  AXON_CHECK(b.w.empty() || int64_t(b.w.size()) == b.x.rows(), where, ": a batch has ", b.w.size(),
             " sample weights for ", b.x.rows(), " samples");
}

template <class T>
LoopResult Model<T>::fit_epoch(const DataView<T>& d, int64_t batch_size, bool shuffle, int64_t pass,
                               int64_t first_batch, int64_t max_steps, const LoopControl& control) {
  check_data(d, true, "fit");
  AXON_CHECK(batch_size > 0, "fit: batch_size must be a positive integer, got ", batch_size);
  const int64_t batches = ArraySource<T>::batches(d.n, batch_size);
  AXON_CHECK(first_batch >= 0 && first_batch <= batches, "fit: first batch ", first_batch, " is outside the ",
             batches, " batches of the data");
  if (shuffle) {
    // Fisher-Yates; draw i depends only on (seed, pass, i).
    order_.resize(size_t(d.n));
    std::iota(order_.begin(), order_.end(), int64_t(0));
    const Philox rng(seed_, 0x5EED);
    for (int64_t i = d.n - 1; i > 0; --i) std::swap(order_[size_t(i)], order_[rng.below(uint64_t(i + 1), uint64_t(i), uint64_t(pass))]);
  }
  // Unshuffled: batches are contiguous rows, copied without an index.
  ArraySource<T> source(d, batch_size, shuffle ? order_.data() : nullptr, first_batch);
  return fit_batches(source, max_steps, control);
}

template <class T>
LoopResult Model<T>::fit_batches(BatchSource<T>& source, int64_t max_steps, const LoopControl& control) {
  AXON_CHECK(compiled(), "fit: the model must be compiled first (call compile())");
  const FlushDenormals ftz(true);
  ThreadTuner::Scope threads(train_threads_);
  reset_metrics();
  Reporter reporter(control);
  double loss_sum = 0, count = 0;
  LoopResult r;
  for (int64_t b = 0; max_steps < 0 || b < max_steps; ++b) {
    if (reporter.before(b)) {
      r.stopped = true;
      break;
    }
    if (!source.next(&batch_)) break;
    check_batch(batch_, true, "fit");
    threads.before_batch();
    const double loss = train_step(batch_.x, batch_.y, batch_.weights());
    threads.after_batch(batch_.rows());
    loss_sum += loss * double(batch_.rows());
    count += double(batch_.rows());
    r.steps = b + 1;
    if (reporter.after(b, !std::isfinite(loss), [&] { return current_logs(loss_sum, count); })) {
      r.stopped = true;
      break;
    }
    if (reporter.interrupted()) {
      r.interrupted = true;
      break;
    }
  }
  r.logs = current_logs(loss_sum, count);
  return r;
}

template <class T>
LoopResult Model<T>::evaluate(const DataView<T>& d, int64_t batch_size, int64_t max_steps, const LoopControl& control) {
  check_data(d, true, "evaluate");
  AXON_CHECK(batch_size > 0, "evaluate: batch_size must be a positive integer, got ", batch_size);
  ArraySource<T> source(d, batch_size, nullptr, 0);
  return evaluate_batches(source, max_steps, control);
}

template <class T>
LoopResult Model<T>::evaluate_batches(BatchSource<T>& source, int64_t max_steps, const LoopControl& control) {
  AXON_CHECK(compiled(), "evaluate: the model must be compiled first (call compile())");
  const FlushDenormals ftz(true);
  ThreadTuner::Scope threads(inference_threads_);
  reset_metrics();
  Reporter reporter(control);
  const Context ctx{false, uint64_t(iterations_)};
  const double penalty = arena_.regularization_loss();  // Keras adds weight penalties here too
  double loss_sum = 0, count = 0;
  LoopResult r;
  for (int64_t b = 0; max_steps < 0 || b < max_steps; ++b) {
    if (reporter.before(b) || !source.next(&batch_)) break;
    check_batch(batch_, true, "evaluate");
    threads.before_batch();
    const Mat<T>& out = graph_.forward(ctx, batch_.x);
    loss_sum += (batch_loss(out, batch_.y, nullptr, batch_.weights()) + penalty) * double(batch_.rows());
    count += double(batch_.rows());
    update_metrics(out, batch_.y, batch_.weights());
    threads.after_batch(batch_.rows());
    r.steps = b + 1;
    if (reporter.after(b, false, [&] { return current_logs(loss_sum, count); })) break;
    if (reporter.interrupted()) {
      r.interrupted = true;
      break;
    }
  }
  r.logs = current_logs(loss_sum, count);
  return r;
}

template <class T>
int64_t Model<T>::predict(const T* x, int64_t n, int64_t x_cols, int64_t batch_size, T* out,
                          const std::atomic<bool>* interrupt) {
  check_data(DataView<T>{x, nullptr, n, x_cols, 0}, false, "predict");
  AXON_CHECK(batch_size > 0, "predict: batch_size must be a positive integer, got ", batch_size);
  const FlushDenormals ftz(n > 64);
  ThreadTuner::Scope threads(inference_threads_);
  const Context ctx{false, uint64_t(iterations_)};
  const int64_t out_cols = output_size();
  for (int64_t start = 0; start < n; start += batch_size) {
    const int64_t rows = std::min(batch_size, n - start);
    threads.before_batch();
    batch_.x = ConstMatMap<T>(x + start * x_cols, rows, x_cols);  // into a reused buffer
    const Mat<T>& y = graph_.forward(ctx, batch_.x);
    std::copy(y.data(), y.data() + rows * out_cols, out + start * out_cols);
    threads.after_batch(rows);
    if (interrupt && interrupt->load(std::memory_order_relaxed)) return start + rows;
  }
  return n;
}

template <class T>
void Model<T>::call_training(const T* x, int64_t n, int64_t x_cols, T* out) {
  check_data(DataView<T>{x, nullptr, n, x_cols, 0}, false, "model(x, training=True)");
  const FlushDenormals ftz(n > 64);
  const ThreadTuner::Scope threads(inference_threads_);
  // Keys from 2^62 up: never those of a training step (the optimizer's iteration count).
  const Context ctx{true, (uint64_t(1) << 62) + training_calls_++};
  batch_.x = ConstMatMap<T>(x, n, x_cols);
  const Mat<T>& y = graph_.forward(ctx, batch_.x);
  std::copy(y.data(), y.data() + y.size(), out);
}

template <class T>
int64_t Model<T>::predict_batches(BatchSource<T>& source, int64_t max_steps, std::vector<T>* out,
                                  const std::atomic<bool>* interrupt) {
  const FlushDenormals ftz(true);
  ThreadTuner::Scope threads(inference_threads_);
  const Context ctx{false, uint64_t(iterations_)};
  int64_t rows = 0;
  for (int64_t b = 0; (max_steps < 0 || b < max_steps) && source.next(&batch_); ++b) {
    check_batch(batch_, false, "predict");
    threads.before_batch();
    const Mat<T>& y = graph_.forward(ctx, batch_.x);
    threads.after_batch(batch_.rows());
    out->insert(out->end(), y.data(), y.data() + y.size());
    rows += batch_.rows();
    if (interrupt && interrupt->load(std::memory_order_relaxed)) break;
  }
  return rows;
}

template <class T>
double Model<T>::loss_and_gradients(const Mat<T>& x, const Mat<T>& y, Mat<T>* input_grad, const T* w) {
  check_data(DataView<T>{x.data(), y.data(), x.rows(), x.cols(), y.cols()}, true, "loss_and_gradients");
  Context ctx{true, uint64_t(iterations_)};
  const Mat<T>& out = graph_.forward(ctx, x);
  arena_.zero_grads();
  double loss = batch_loss(out, y, &dout_, w);
  loss += graph_.activity_penalty() + arena_.apply_regularization();
  graph_.backward(ctx, dout_, fused_, input_grad);
  return loss;
}

template <class T>
void Model<T>::gradients_from_output(const Mat<T>& x, const Mat<T>& dout, Mat<T>* input_grad) {
  Context ctx{true, uint64_t(iterations_)};
  graph_.forward(ctx, x);
  arena_.zero_grads();
  dout_ = dout;
  graph_.backward(ctx, dout_, false, input_grad);
}

template class Model<float>;
template class Model<double>;

}  // namespace axon
