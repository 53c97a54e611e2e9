#include "train/thread_tuner.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>

namespace axon {

namespace {

std::atomic<int> g_fixed_threads{0};
std::atomic<int> g_adaptive_max{0};

// A probe times at least this many batches and this long at one count, after one batch
// for the new team to warm up: long enough that a time slice lost to another process
// (a few ms) shows in the average, short enough to cost little at the slower counts.
constexpr int64_t kWarmupBatches = 1;
constexpr int64_t kProbeMinBatches = 3;
constexpr double kProbeMinSeconds = 0.02;
// Between probes the loop trains at the fastest count for a stretch of 0.25 s, doubled
// after each probe that confirms the choice, up to 2 s: on a machine whose load does not
// change, probing the slower counts costs about 1% of the time, and a load that goes away
// (which does not slow the current count down) is noticed within 2 s.
constexpr double kMinStretchSeconds = 0.25;
constexpr double kMaxStretchSeconds = 2.0;
// A stretch lasts at least this many times what the last probe round lost against the
// fastest count (so probing costs at most ~2%), within the bounds above.
constexpr double kStretchPerProbeLoss = 50.0;
// Probe again at once when the current count runs this much slower than it measured.
constexpr double kSlowdown = 1.5;
constexpr double kClearlySlower = 2.0;

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

void set_fixed_threads(int n) { g_fixed_threads.store(std::max(0, n)); }
int fixed_threads() { return g_fixed_threads.load(); }

int adaptive_max_threads() {
  const int n = g_adaptive_max.load();
  return n > 0 ? n : std::max(1, omp_get_num_procs());
}
void set_adaptive_max_threads(int n) { g_adaptive_max.store(std::max(1, n)); }

ThreadTuner::Scope::Scope(ThreadTuner& tuner) : tuner_(tuner), previous_(omp_get_max_threads()) {
  const int fixed = fixed_threads();
  if (fixed > 0) {
    omp_set_num_threads(fixed);
    return;
  }
  tuner_.prepare();
  omp_set_num_threads(tuner_.current());
}

ThreadTuner::Scope::~Scope() { omp_set_num_threads(previous_); }

void ThreadTuner::Scope::before_batch() { start_ = std::chrono::steady_clock::now(); }

void ThreadTuner::Scope::after_batch(int64_t rows) {
  if (fixed_threads() > 0) return;
  tuner_.record(seconds_since(start_), rows);
  omp_set_num_threads(tuner_.current());
}

void ThreadTuner::prepare() {
  const int max_threads = requested_max_ > 0 ? requested_max_ : adaptive_max_threads();
  if (max_threads != max_threads_) reset_candidates(max_threads);
}

void ThreadTuner::reset_candidates(int max_threads) {
  max_threads_ = max_threads;
  candidates_.clear();
  for (int n = 1; n < max_threads_; n *= 2) candidates_.push_back(n);
  candidates_.push_back(max_threads_);
  per_row_.assign(candidates_.size(), 0.0);
  stretch_s_ = kMinStretchSeconds;
  start_probe();
}

void ThreadTuner::start_probe() {
  probe_seconds_.assign(candidates_.size(), 0.0);
  probe_rows_.assign(candidates_.size(), 0);
  probing_ = true;
  probe_index_ = 0;
  current_ = 0;
  batches_ = rows_ = 0;
  seconds_ = 0;
}

void ThreadTuner::record(double seconds, int64_t rows) {
  if (candidates_.size() < 2) return;
  ++batches_;
  if (probing_) {
    probe_seconds_[size_t(probe_index_)] += seconds;
    probe_rows_[size_t(probe_index_)] += rows;
  }
  if (probing_ && clearly_slower(seconds / double(rows))) {
    per_row_[size_t(probe_index_)] = seconds / double(rows);
    next_probe();
    return;
  }
  if (probing_ && batches_ <= kWarmupBatches) return;
  seconds_ += seconds;
  rows_ += rows;
  const bool measured = batches_ >= kWarmupBatches + kProbeMinBatches && seconds_ >= kProbeMinSeconds;
  if (probing_) {
    if (!measured) return;
    per_row_[size_t(probe_index_)] = seconds_ / double(rows_);
    next_probe();
    return;
  }
  // Training at the best count: check each window of a probe's length for a slowdown. At the
  // smallest count a slowdown says nothing new (more threads would only wait more), so
  // only the stretch's end probes again there; under a load that comes and goes this keeps
  // probing the slower counts rare.
  if (!measured) return;
  const bool slowed = current_ > 0 && seconds_ / double(rows_) > kSlowdown * per_row_[size_t(current_)];
  stretch_elapsed_ += seconds_;
  batches_ = rows_ = 0;
  seconds_ = 0;
  if (slowed) stretch_s_ = kMinStretchSeconds;
  if (slowed || stretch_elapsed_ >= stretch_s_) start_probe();
}

// A probe's single batch (its team's first included) that runs this much slower than a count
// measured earlier in the same probe round ends the probe at once: a team preempted by
// other processes is 5-10x slower, and timing it for long would cost more than it tells.
bool ThreadTuner::clearly_slower(double per_row) const {
  for (int i = 0; i < probe_index_; ++i)
    if (per_row > kClearlySlower * per_row_[size_t(i)]) return true;
  return false;
}

void ThreadTuner::next_probe() {
  batches_ = rows_ = 0;
  seconds_ = 0;
  if (++probe_index_ < int(candidates_.size())) {
    current_ = probe_index_;
    return;
  }
  choose_best();
}

void ThreadTuner::choose_best() {
  const int previous_best = best_;
  best_ = int(std::min_element(per_row_.begin(), per_row_.end()) - per_row_.begin());
  stretch_s_ = best_ == previous_best ? std::min(2 * stretch_s_, kMaxStretchSeconds) : kMinStretchSeconds;
  double lost = 0;  // seconds the round spent beyond what the fastest count would have taken
  for (size_t i = 0; i < candidates_.size(); ++i)
    lost += std::max(0.0, probe_seconds_[i] - double(probe_rows_[i]) * per_row_[size_t(best_)]);
  stretch_s_ = std::max(stretch_s_, std::min(kMaxStretchSeconds, kStretchPerProbeLoss * lost));
  probing_ = false;
  current_ = best_;
  batches_ = rows_ = 0;
  seconds_ = 0;
  stretch_elapsed_ = 0;
}

}  // namespace axon
