// make_optimizer: Keras names, arguments and defaults -> a configured optimizer.
#include <algorithm>
#include <cmath>

#include "core/check.hpp"
#include "optimizers/optimizers.hpp"

namespace axon {

namespace {

// Reads `key` from the user's config, or `fallback` (the Keras default) when absent.
double get(const OptimizerConfig& cfg, const char* key, double fallback) {
  auto it = cfg.find(key);
  return it == cfg.end() ? fallback : it->second;
}

constexpr const char* kBaseKeys[] = {"learning_rate", "weight_decay", "clipnorm", "clipvalue", "global_clipnorm"};

void check_keys(const std::string& opt, const OptimizerConfig& cfg, std::initializer_list<const char*> own) {
  for (const auto& [key, value] : cfg) {
    (void)value;
    auto is = [&](const char* a) { return key == a; };
    if (std::any_of(own.begin(), own.end(), is) || std::any_of(std::begin(kBaseKeys), std::end(kBaseKeys), is))
      continue;
    std::string list;
    for (const char* a : own) list += std::string(a) + ", ";
    for (const char* a : kBaseKeys) list += std::string(a) + (a == kBaseKeys[4] ? "" : ", ");
    fail("optimizer ", opt, ": unknown argument '", key, "'; expected one of ", list);
  }
}

void check_range(const std::string& opt, const char* key, double v, double lo, double hi) {
  AXON_CHECK(v >= lo && v <= hi, "optimizer ", opt, ": `", key, "` must be in [", lo, ", ", hi, "], got ", v);
}

// weight_decay / clipnorm / clipvalue / global_clipnorm: absent is None; only one clip at a time.
GradientOptions base_options(const std::string& opt, const OptimizerConfig& c, double default_weight_decay) {
  GradientOptions o;
  o.weight_decay = get(c, "weight_decay", default_weight_decay);
  o.clipnorm = get(c, "clipnorm", -1);
  o.clipvalue = get(c, "clipvalue", -1);
  o.global_clipnorm = get(c, "global_clipnorm", -1);
  for (const char* key : {"weight_decay", "clipnorm", "clipvalue", "global_clipnorm"}) {
    auto it = c.find(key);
    if (it != c.end())
      AXON_CHECK(std::isfinite(it->second) && it->second >= 0, "optimizer ", opt, ": `", key,
                 "` must be a number >= 0, got ", it->second);
  }
  const int clips = int(c.count("clipnorm")) + int(c.count("clipvalue")) + int(c.count("global_clipnorm"));
  AXON_CHECK(clips <= 1, "optimizer ", opt, ": Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set");
  return o;
}

}  // namespace

template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const std::string& name, const OptimizerConfig& c) {
  std::unique_ptr<Optimizer<T>> opt;
  double lr = 0.001, default_weight_decay = -1;
  if (name == "sgd") {
    check_keys(name, c, {"momentum", "nesterov"});
    const double momentum = get(c, "momentum", 0.0);
    check_range(name, "momentum", momentum, 0, 1);
    opt = std::make_unique<SGD<T>>(momentum, get(c, "nesterov", 0.0) != 0.0);
    lr = 0.01;
  } else if (name == "rmsprop") {
    check_keys(name, c, {"rho", "momentum", "epsilon", "centered"});
    opt = std::make_unique<RMSprop<T>>(get(c, "rho", 0.9), get(c, "momentum", 0.0), get(c, "epsilon", 1e-7),
                                       get(c, "centered", 0.0) != 0.0);
  } else if (name == "lion") {
    check_keys(name, c, {"beta_1", "beta_2"});
    const double beta_1 = get(c, "beta_1", 0.9);
    AXON_CHECK(beta_1 > 0 && beta_1 <= 1, "optimizer lion: `beta_1` must be in (0, 1], got ", beta_1);
    opt = std::make_unique<Lion<T>>(beta_1, get(c, "beta_2", 0.99));
  } else if (name == "adam" || name == "adamw") {
    check_keys(name, c, {"beta_1", "beta_2", "epsilon", "amsgrad"});
    opt = std::make_unique<Adam<T>>(get(c, "beta_1", 0.9), get(c, "beta_2", 0.999), get(c, "epsilon", 1e-7),
                                    get(c, "amsgrad", 0.0) != 0.0);
    if (name == "adamw") default_weight_decay = 0.004;
  } else if (name == "adamax" || name == "nadam") {
    check_keys(name, c, {"beta_1", "beta_2", "epsilon"});
    const double b1 = get(c, "beta_1", 0.9), b2 = get(c, "beta_2", 0.999), eps = get(c, "epsilon", 1e-7);
    if (name == "adamax")
      opt = std::make_unique<Adamax<T>>(b1, b2, eps);
    else
      opt = std::make_unique<Nadam<T>>(b1, b2, eps);
  } else if (name == "adagrad") {
    check_keys(name, c, {"initial_accumulator_value", "epsilon"});
    opt = std::make_unique<Adagrad<T>>(get(c, "initial_accumulator_value", 0.1), get(c, "epsilon", 1e-7));
  } else if (name == "adadelta") {
    check_keys(name, c, {"rho", "epsilon"});
    opt = std::make_unique<Adadelta<T>>(get(c, "rho", 0.95), get(c, "epsilon", 1e-7));
  } else if (name == "ftrl") {
    check_keys(name, c, {"learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
                         "l2_regularization_strength", "l2_shrinkage_regularization_strength", "beta"});
    FtrlOptions o;
    o.learning_rate_power = get(c, "learning_rate_power", -0.5);
    o.initial_accumulator_value = get(c, "initial_accumulator_value", 0.1);
    o.l1 = get(c, "l1_regularization_strength", 0.0);
    o.l2 = get(c, "l2_regularization_strength", 0.0);
    o.l2_shrinkage = get(c, "l2_shrinkage_regularization_strength", 0.0);
    o.beta = get(c, "beta", 0.0);
    AXON_CHECK(o.learning_rate_power <= 0, "optimizer ftrl: `learning_rate_power` needs to be negative or zero, got ",
               o.learning_rate_power);
    AXON_CHECK(o.initial_accumulator_value >= 0,
               "optimizer ftrl: `initial_accumulator_value` needs to be positive or zero, got ",
               o.initial_accumulator_value);
    AXON_CHECK(o.l1 >= 0, "optimizer ftrl: `l1_regularization_strength` needs to be positive or zero, got ", o.l1);
    AXON_CHECK(o.l2 >= 0, "optimizer ftrl: `l2_regularization_strength` needs to be positive or zero, got ", o.l2);
    AXON_CHECK(o.l2_shrinkage >= 0,
               "optimizer ftrl: `l2_shrinkage_regularization_strength` needs to be positive or zero, got ",
               o.l2_shrinkage);
    opt = std::make_unique<Ftrl<T>>(o);
  } else {
    fail("optimizer: unknown optimizer '", name,
         "'; expected one of sgd, rmsprop, lion, adam, adamw, adamax, nadam, adagrad, adadelta, ftrl");
  }
  opt->options = base_options(name, c, default_weight_decay);
  opt->set_learning_rate(get(c, "learning_rate", lr));
  return opt;
}

template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const std::string&, const OptimizerConfig&);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const std::string&, const OptimizerConfig&);

}  // namespace axon
