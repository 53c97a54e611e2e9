// Ctrl-C during fit: while the engine trains with the GIL released, Python's own SIGINT
// handler could only raise KeyboardInterrupt once control returns to Python, leaving the
// epoch torn. Instead, for the duration of a training loop a handler of ours sets a flag
// that the loop checks after every batch, so training stops between two batches with
// consistent weights and fit() can return the history so far.
#pragma once
#include <atomic>
#include <csignal>

namespace axon::bindings {

class SigintCatcher {
 public:
  // Installs the handler when `enable` (fit on Python's main thread) and no catcher is
  // active already (fit called from a callback inside fit); restores the previous one after.
  explicit SigintCatcher(bool enable);
  ~SigintCatcher();
  SigintCatcher(const SigintCatcher&) = delete;
  SigintCatcher& operator=(const SigintCatcher&) = delete;

  // Null when not installed.
  const std::atomic<bool>* flag() const;

 private:
  bool installed_ = false;
  struct sigaction previous_ {};
};

}  // namespace axon::bindings
