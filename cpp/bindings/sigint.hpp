// Ctrl-C while the engine runs with the GIL released: Python's own SIGINT handler could only
// raise KeyboardInterrupt once control returns to Python, at whatever point that is (after a
// whole predict, or in the middle of the callbacks of an epoch end). Instead, while a loop
// runs, a handler of ours sets a flag; the engine checks it after every batch, so it stops at
// a clean point (the weights are those after a whole batch).
//
// - fit (`with _core.catch_sigint()` in Python) returns the history so far after a first
//   Ctrl-C; a second one hands the signal back to Python, and fit lets that second
//   KeyboardInterrupt propagate (for a fit stuck in a user's callback, or a user who wants
//   out now rather than the history).
// - Any other engine loop called on the main thread without an active catcher (evaluate,
//   predict, train_on_batch...) installs its own (LoopSigint) and raises KeyboardInterrupt
//   after the batch it was on.
#pragma once
#include <atomic>
#include <csignal>

namespace axon::bindings {

class SigintCatcher {
 public:
  // Installs the handler when `enable` (called on Python's main thread) and no catcher is
  // active already (fit called from inside fit); the destructor restores the previous one.
  explicit SigintCatcher(bool enable);
  ~SigintCatcher();
  SigintCatcher(const SigintCatcher&) = delete;
  SigintCatcher& operator=(const SigintCatcher&) = delete;

  bool installed() const { return installed_; }
  bool caught() const;
  // Caught twice: the second signal went to Python's handler (KeyboardInterrupt pending).
  bool repeated() const;
  // The flag of the active catcher, or null when none is installed (what the loops check).
  static const std::atomic<bool>* active_flag();

 private:
  bool installed_ = false;
};

// Python's main thread (threading.main_thread().ident), the one whose handlers see signals;
// set when the module loads. on_main_thread() compares the calling thread with it.
void remember_main_thread(unsigned long ident);
bool on_main_thread();

// An engine loop's Ctrl-C: the active catcher's flag (fit's), or when the loop runs on the
// main thread outside fit, a catcher of its own; after the loop, raise_if_caught() turns a
// Ctrl-C that catcher caught into KeyboardInterrupt (call it with the GIL held). A loop with
// no result to hand back when cut short (predict) raises even under fit's catcher:
// raise_if_caught(/*any_catcher=*/true), so partial predictions are never returned.
class LoopSigint {
 public:
  LoopSigint() : own_(SigintCatcher::active_flag() == nullptr && on_main_thread()) {}
  const std::atomic<bool>* flag() const { return SigintCatcher::active_flag(); }
  void raise_if_caught(bool any_catcher = false) const;

 private:
  SigintCatcher own_;
};

}  // namespace axon::bindings
