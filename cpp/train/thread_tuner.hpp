// How many OpenMP threads a training or evaluation loop uses.
//
// A fixed team of `cores` threads collapses when another process competes for the cores: a
// parallel region ends at a barrier, and one preempted thread makes the whole team wait for
// its next time slice (the MNIST MLP at batch 32 ran 13x slower with one busy process on two
// cores, where one thread lost nothing). No count is best everywhere, so by default the loop
// measures: it times batches at each candidate count now and then (a probe), trains at the
// fastest in between, and probes again sooner when the current count slows down (load came
// or went). Thread counts change the speed, never the numbers: the kernels' results do not
// depend on the team size (their reductions are split in a fixed order).
//
// The user's explicit count (axon's set_num_threads, or OMP_NUM_THREADS in the environment
// when the engine loads) is used exactly, with no probing.
#pragma once
#include <chrono>
#include <cstdint>
#include <vector>

namespace axon {

// n > 0: every loop uses exactly n threads; 0: adaptive (the default).
void set_fixed_threads(int n);
int fixed_threads();
// The most threads an adaptive loop tries: the cores OpenMP sees when the engine loads.
int adaptive_max_threads();
void set_adaptive_max_threads(int n);

class ThreadTuner {
 public:
  // A loop's use of the tuner: sets the calling thread's OpenMP count for the loop (the
  // count is per thread in OpenMP, so fits in other threads keep theirs) and restores it.
  class Scope {
   public:
    explicit Scope(ThreadTuner& tuner);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    void before_batch();
    void after_batch(int64_t rows);

   private:
    ThreadTuner& tuner_;
    int previous_;
    std::chrono::steady_clock::time_point start_;
  };

  // max_threads: the most threads to try; 0: adaptive_max_threads() at each loop's start.
  explicit ThreadTuner(int max_threads = 0) : requested_max_(max_threads) {}

  // The count for the next batch.
  int current() const { return candidates_.empty() ? 1 : candidates_[size_t(current_)]; }
  // A batch of `rows` took `seconds` at current(): updates the choice (Scope times batches;
  // tests feed it simulated times).
  void record(double seconds, int64_t rows);
  // Makes the candidates for the maximum, if it changed (or none were made yet).
  void prepare();

 private:
  void reset_candidates(int max_threads);
  bool clearly_slower(double per_row) const;
  void next_probe();
  void choose_best();
  void start_probe();

  std::vector<int> candidates_;       // 1, 2, 4, ... up to the maximum
  std::vector<double> per_row_;       // seconds per row measured at each candidate (0: unmeasured)
  std::vector<double> probe_seconds_; // time and rows at each candidate in this probe round
  std::vector<int64_t> probe_rows_;
  int current_ = 0;                   // index into candidates_
  int best_ = -1;                     // the fastest at the last probe
  int requested_max_ = 0;
  int max_threads_ = 0;               // candidates_ were made for this maximum
  bool probing_ = true;
  int probe_index_ = 0;               // the candidate being probed
  int64_t batches_ = 0, rows_ = 0;    // in the current probe, or the current window of a stretch
  double seconds_ = 0;
  double stretch_elapsed_ = 0;        // seconds trained at the best count since the last probe
  double stretch_s_ = 0.25;           // how long to train at the best count before probing again
};

}  // namespace axon
