#include "bindings/sigint.hpp"

#include <pybind11/pybind11.h>

namespace axon::bindings {

namespace {

std::atomic<bool> g_caught{false};  // lock-free, so safe to use from a signal handler
std::atomic<int> g_count{0};
std::atomic<bool> g_active{false};
struct sigaction g_previous {};
unsigned long g_main_thread = 0;

extern "C" void on_sigint(int) {
  if (g_count.fetch_add(1) == 0) {
    g_caught.store(true);
    return;
  }
  // Second Ctrl-C: Python's handler back, and the signal to it (both async-signal-safe).
  sigaction(SIGINT, &g_previous, nullptr);
  raise(SIGINT);
}

}  // namespace

SigintCatcher::SigintCatcher(bool enable) {
  if (!enable || g_active.exchange(true)) return;
  g_caught.store(false);
  g_count.store(0);
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

bool SigintCatcher::repeated() const { return installed_ && g_count.load() >= 2; }

const std::atomic<bool>* SigintCatcher::active_flag() { return g_active.load() ? &g_caught : nullptr; }

void remember_main_thread(unsigned long ident) { g_main_thread = ident; }

bool on_main_thread() { return PyThread_get_thread_ident() == g_main_thread; }

}  // namespace axon::bindings

namespace axon::bindings {

void LoopSigint::raise_if_caught(bool any_catcher) const {
  const std::atomic<bool>* active = SigintCatcher::active_flag();
  if (!(own_.caught() || (any_catcher && active && active->load()))) return;
  PyErr_SetNone(PyExc_KeyboardInterrupt);
  throw pybind11::error_already_set();  // unwinding restores Python's handler (~SigintCatcher)
}

}  // namespace axon::bindings
