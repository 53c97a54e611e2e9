// Ctrl-C during fit: while the engine trains with the GIL released, Python's own SIGINT
// handler could only raise KeyboardInterrupt once control returns to Python, at whatever
// point that is (in the middle of the callbacks of an epoch end, say). Instead, for the
// duration of fit a handler of ours sets a flag; the engine checks it after every batch and
// fit between epochs, so training stops at a clean point and fit returns the history so far.
// A second Ctrl-C hands the signal back to Python (KeyboardInterrupt at once), for a fit
// stuck in a user's callback.
#pragma once
#include <atomic>
#include <csignal>

namespace axon::bindings {

class SigintCatcher {
 public:
  // Installs the handler when `enable` (fit on Python's main thread) and no catcher is
  // active already (fit called from inside fit); the destructor restores the previous one.
  explicit SigintCatcher(bool enable);
  ~SigintCatcher();
  SigintCatcher(const SigintCatcher&) = delete;
  SigintCatcher& operator=(const SigintCatcher&) = delete;

  bool caught() const;
  // The flag of the active catcher, or null when none is installed (what the loops check).
  static const std::atomic<bool>* active_flag();

 private:
  bool installed_ = false;
};

}  // namespace axon::bindings
