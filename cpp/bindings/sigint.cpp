#include "bindings/sigint.hpp"

namespace axon::bindings {

namespace {

std::atomic<bool> g_caught{false};  // lock-free, so safe to use from a signal handler
std::atomic<bool> g_active{false};
struct sigaction g_previous {};

extern "C" void on_sigint(int) {
  if (!g_caught.exchange(true)) return;
  // Second Ctrl-C: Python's handler back, and the signal to it (both async-signal-safe).
  sigaction(SIGINT, &g_previous, nullptr);
  raise(SIGINT);
}

}  // namespace

SigintCatcher::SigintCatcher(bool enable) {
  if (!enable || g_active.exchange(true)) return;
  g_caught.store(false);
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  installed_ = sigaction(SIGINT, &action, &g_previous) == 0;
  if (!installed_) g_active.store(false);
}

SigintCatcher::~SigintCatcher() {
  if (!installed_) return;
  sigaction(SIGINT, &g_previous, nullptr);
  g_active.store(false);
}

bool SigintCatcher::caught() const { return installed_ && g_caught.load(); }

const std::atomic<bool>* SigintCatcher::active_flag() { return g_active.load() ? &g_caught : nullptr; }

}  // namespace axon::bindings
