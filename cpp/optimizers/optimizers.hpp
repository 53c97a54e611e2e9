// The concrete optimizers (Keras 3 update rules; Keras defaults are in make_optimizer).
#pragma once
#include "core/check.hpp"
#include "optimizers/optimizer.hpp"

namespace axon {

template <class T>
class SGD final : public Optimizer<T> {
 public:
  SGD(double momentum, bool nesterov) : momentum_(momentum), nesterov_(nesterov) {
    AXON_CHECK(momentum >= 0 && momentum <= 1, "optimizer SGD: momentum must be in [0, 1], got ", momentum);
  }
  const char* name() const override { return "SGD"; }
  int num_slots() const override { return momentum_ > 0 ? 1 : 0; }

 protected:
  void update(T* p, const T* g, T* const* slots, size_t n, int64_t iteration) override;

 private:
  double momentum_;
  bool nesterov_;
};

template <class T>
class Adam final : public Optimizer<T> {
 public:
  Adam(double beta_1, double beta_2, double epsilon, bool amsgrad)
      : beta_1_(beta_1), beta_2_(beta_2), epsilon_(epsilon), amsgrad_(amsgrad) {}
  const char* name() const override { return "Adam"; }
  int num_slots() const override { return amsgrad_ ? 3 : 2; }

 protected:
  void update(T* p, const T* g, T* const* slots, size_t n, int64_t iteration) override;

 private:
  double beta_1_, beta_2_, epsilon_;
  bool amsgrad_;
};

template <class T>
class RMSprop final : public Optimizer<T> {
 public:
  RMSprop(double rho, double momentum, double epsilon, bool centered)
      : rho_(rho), momentum_(momentum), epsilon_(epsilon), centered_(centered) {}
  const char* name() const override { return "RMSprop"; }
  // velocity, then momentum (if any), then average gradient (if centered)
  int num_slots() const override { return 1 + (momentum_ > 0) + centered_; }

 protected:
  void update(T* p, const T* g, T* const* slots, size_t n, int64_t iteration) override;

 private:
  double rho_, momentum_, epsilon_;
  bool centered_;
};

template <class T>
class Adagrad final : public Optimizer<T> {
 public:
  Adagrad(double initial_accumulator_value, double epsilon) : initial_(initial_accumulator_value), epsilon_(epsilon) {}
  const char* name() const override { return "Adagrad"; }
  int num_slots() const override { return 1; }
  double slot_initial_value(int) const override { return initial_; }

 protected:
  void update(T* p, const T* g, T* const* slots, size_t n, int64_t iteration) override;

 private:
  double initial_, epsilon_;
};

}  // namespace axon
