// The concrete optimizers (Keras 3 update rules; Keras defaults are in make_optimizer).
// Slots are listed in the order the rules index them.
#pragma once
#include "optimizers/optimizer.hpp"

namespace axon {

// Update loops shorter than this run on one thread: starting the team costs more than it saves.
constexpr size_t kParallelMin = 1 << 15;

#define AXON_OPTIMIZER_COMMON(Name)                                                              \
  const char* name() const override { return #Name; }                                           \
                                                                                                 \
 protected:                                                                                      \
  void update(T* p, const T* g, T* const* slots, size_t n, double lr, int64_t iteration) override; \
                                                                                                 \
 public:

// slots: momentum (when momentum > 0)
template <class T>
class SGD final : public Optimizer<T> {
 public:
  AXON_OPTIMIZER_COMMON(SGD)
  SGD(double momentum, bool nesterov) : momentum_(momentum), nesterov_(nesterov) {}
  int num_slots() const override { return momentum_ > 0 ? 1 : 0; }

 private:
  double momentum_;
  bool nesterov_;
};

// slots: velocity, then momentum (if momentum > 0), then average gradient (if centered)
template <class T>
class RMSprop final : public Optimizer<T> {
 public:
  AXON_OPTIMIZER_COMMON(RMSprop)
  RMSprop(double rho, double momentum, double epsilon, bool centered)
      : rho_(rho), momentum_(momentum), epsilon_(epsilon), centered_(centered) {}
  int num_slots() const override { return 1 + (momentum_ > 0) + centered_; }

 private:
  double rho_, momentum_, epsilon_;
  bool centered_;
};

// slots: momentum
template <class T>
class Lion final : public Optimizer<T> {
 public:
  AXON_OPTIMIZER_COMMON(Lion)
  Lion(double beta_1, double beta_2) : beta_1_(beta_1), beta_2_(beta_2) {}
  int num_slots() const override { return 1; }

 private:
  double beta_1_, beta_2_;
};

// slots: m, v, v_hat (amsgrad). AdamW is this with weight_decay set.
template <class T>
class Adam final : public Optimizer<T> {
 public:
  AXON_OPTIMIZER_COMMON(Adam)
  Adam(double beta_1, double beta_2, double epsilon, bool amsgrad)
      : beta_1_(beta_1), beta_2_(beta_2), epsilon_(epsilon), amsgrad_(amsgrad) {}
  int num_slots() const override { return amsgrad_ ? 3 : 2; }

 private:
  double beta_1_, beta_2_, epsilon_;
  bool amsgrad_;
};

// slots: m, u (exponentially weighted infinity norm)
template <class T>
class Adamax final : public Optimizer<T> {
 public:
  AXON_OPTIMIZER_COMMON(Adamax)
  Adamax(double beta_1, double beta_2, double epsilon) : beta_1_(beta_1), beta_2_(beta_2), epsilon_(epsilon) {}
  int num_slots() const override { return 2; }

 private:
  double beta_1_, beta_2_, epsilon_;
};

// slots: m, v; plus the scalar momentum cache u_product = prod_t beta_1 (1 - 0.5 * 0.96^t).
template <class T>
class Nadam final : public Optimizer<T> {
 public:
  AXON_OPTIMIZER_COMMON(Nadam)
  Nadam(double beta_1, double beta_2, double epsilon) : beta_1_(beta_1), beta_2_(beta_2), epsilon_(epsilon) {}
  int num_slots() const override { return 2; }
  std::vector<double> scalar_state() const override { return {u_product_}; }
  void set_scalar_state(const std::vector<double>& state) override {
    if (state.size() == 1) u_product_ = state[0];
  }

 protected:
  void begin_step(int64_t iteration) override;
  void reset_state() override { u_product_ = 1.0; }

 private:
  double beta_1_, beta_2_, epsilon_;
  double u_product_ = 1.0;
};

// slots: accumulator (starts at initial_accumulator_value)
template <class T>
class Adagrad final : public Optimizer<T> {
 public:
  AXON_OPTIMIZER_COMMON(Adagrad)
  Adagrad(double initial_accumulator_value, double epsilon) : initial_(initial_accumulator_value), epsilon_(epsilon) {}
  int num_slots() const override { return 1; }
  double slot_initial_value(int) const override { return initial_; }

 private:
  double initial_, epsilon_;
};

// slots: accumulated squared gradient, accumulated squared update
template <class T>
class Adadelta final : public Optimizer<T> {
 public:
  AXON_OPTIMIZER_COMMON(Adadelta)
  Adadelta(double rho, double epsilon) : rho_(rho), epsilon_(epsilon) {}
  int num_slots() const override { return 2; }

 private:
  double rho_, epsilon_;
};

struct FtrlOptions {
  double learning_rate_power = -0.5, initial_accumulator_value = 0.1, l1 = 0, l2 = 0, l2_shrinkage = 0, beta = 0;
};

// slots: accumulator (starts at initial_accumulator_value), linear
template <class T>
class Ftrl final : public Optimizer<T> {
 public:
  AXON_OPTIMIZER_COMMON(Ftrl)
  explicit Ftrl(FtrlOptions o) : o_(o) {}
  int num_slots() const override { return 2; }
  double slot_initial_value(int k) const override { return k == 0 ? o_.initial_accumulator_value : 0.0; }

 private:
  FtrlOptions o_;
};

#undef AXON_OPTIMIZER_COMMON

}  // namespace axon
