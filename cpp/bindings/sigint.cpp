#include "bindings/sigint.hpp"

namespace axon::bindings {

namespace {

std::atomic<bool> g_caught{false};  // lock-free, so safe to set from a signal handler
std::atomic<bool> g_active{false};

extern "C" void on_sigint(int) { g_caught.store(true, std::memory_order_relaxed); }

}  // namespace

SigintCatcher::SigintCatcher(bool enable) {
  if (!enable || g_active.exchange(true)) return;
  g_caught.store(false);
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  installed_ = sigaction(SIGINT, &action, &previous_) == 0;
  if (!installed_) g_active.store(false);
}

SigintCatcher::~SigintCatcher() {
  if (!installed_) return;
  sigaction(SIGINT, &previous_, nullptr);
  g_active.store(false);
}

const std::atomic<bool>* SigintCatcher::flag() const { return installed_ ? &g_caught : nullptr; }

}  // namespace axon::bindings
