// axon.optimizers' view of the engine: the learning rate and schedule of a compiled model,
// weight-decay exclusions, schedule values, and a float64 trajectory runner for the tests.
#include "bindings/common.hpp"
#include "optimizers/optimizer.hpp"

namespace axon::bindings {

namespace {

// (kind, {argument: value}, boundaries, values) from axon.optimizers.schedules
Schedule to_schedule(const py::tuple& t) {
  AXON_CHECK(t.size() == 4, "schedule spec: expected (kind, params, boundaries, values)");
  Schedule s{t[0].cast<std::string>(), t[1].cast<ScheduleParams>(),
             t[2].cast<std::vector<double>>(), t[3].cast<std::vector<double>>()};
  s.check();
  return s;
}

// Runs `steps` optimizer steps on parameter tensors w_i; `fill_grads(step, arena)` writes the
// step's gradients into the arena. Returns each parameter after every step, (steps, n_i).
template <class FillGrads>
py::list run_steps(const std::string& name, const OptimizerConfig& config, const std::vector<Array<double>>& initial,
                   int64_t steps, const py::object& schedule, const std::vector<bool>& decay_mask,
                   FillGrads&& fill_grads) {
  Arena<double> arena;
  for (size_t i = 0; i < initial.size(); ++i)
    arena.declare(ParamSpec{"w" + std::to_string(i), {int64_t(initial[i].size())}, InitSpec{"zeros"}, {}, true});
  arena.finalize();
  for (size_t i = 0; i < initial.size(); ++i)
    std::copy(initial[i].data(), initial[i].data() + initial[i].size(), arena.param(int(i)));
  auto opt = make_optimizer<double>(name, config);
  if (!schedule.is_none()) opt->set_schedule(to_schedule(schedule.cast<py::tuple>()));
  opt->decay_mask = decay_mask;
  opt->attach(arena);
  std::vector<py::array_t<double>> out;
  for (const auto& w : initial) out.emplace_back(std::vector<py::ssize_t>{py::ssize_t(steps), py::ssize_t(w.size())});
  for (int64_t step = 0; step < steps; ++step) {
    fill_grads(step, arena);
    opt->step(arena, step);
    for (size_t i = 0; i < initial.size(); ++i) {
      const int64_t n = initial[i].size();
      std::copy(arena.param(int(i)), arena.param(int(i)) + n, out[i].mutable_data() + step * n);
    }
  }
  py::list result;
  for (auto& a : out) result.append(a);
  return result;
}

// Fixed gradients grads_i (steps, n_i): tests the rules, clipping and decay in isolation;
// several tensors make per-variable and global norms observable.
py::list trajectory(const std::string& name, const OptimizerConfig& config, const std::vector<Array<double>>& initial,
                    const std::vector<Array<double>>& grads, const py::object& schedule,
                    const std::vector<bool>& decay_mask) {
  AXON_CHECK(!initial.empty() && initial.size() == grads.size(),
             "optimizer_trajectory: expected as many gradient arrays as parameters");
  int64_t steps = -1;
  for (size_t i = 0; i < initial.size(); ++i) {
    const int64_t n = initial[i].size();
    AXON_CHECK(n > 0 && grads[i].ndim() == 2 && grads[i].shape(1) == n, "optimizer_trajectory: grads[", i,
               "] must be (steps, ", n, ")");
    AXON_CHECK(steps < 0 || steps == grads[i].shape(0), "optimizer_trajectory: every grads[i] needs the same steps");
    steps = grads[i].shape(0);
  }
  return run_steps(name, config, initial, steps, schedule, decay_mask, [&](int64_t step, Arena<double>& arena) {
    for (size_t i = 0; i < initial.size(); ++i) {
      const int64_t n = initial[i].size();
      std::copy(grads[i].data() + step * n, grads[i].data() + (step + 1) * n, arena.grad(int(i)));
    }
  });
}

// The quadratic f(w) = 0.5 w'Aw - b'w over the concatenation w of the tensors: each step's
// gradient A w - b is recomputed from the current weights, so the optimizer's own updates
// feed back into its gradients (a fixed-gradient trajectory cannot show that).
py::list quadratic(const std::string& name, const OptimizerConfig& config, const std::vector<Array<double>>& initial,
                   const Array<double>& a, const Array<double>& b, int64_t steps, const py::object& schedule,
                   const std::vector<bool>& decay_mask) {
  int64_t total = 0;
  for (const auto& w : initial) total += w.size();
  AXON_CHECK(!initial.empty() && total > 0, "optimizer_quadratic: expected parameters");
  AXON_CHECK(a.ndim() == 2 && a.shape(0) == total && a.shape(1) == total && b.size() == total,
             "optimizer_quadratic: A must be (", total, ", ", total, ") and b (", total, ")");
  AXON_CHECK(steps > 0, "optimizer_quadratic: steps must be > 0");
  return run_steps(name, config, initial, steps, schedule, decay_mask, [&](int64_t, Arena<double>& arena) {
    // The tensors are separate in the arena (aligned), so gather w first.
    std::vector<double> w;
    for (size_t i = 0; i < initial.size(); ++i) w.insert(w.end(), arena.param(int(i)), arena.param(int(i)) + initial[i].size());
    int64_t row = 0;
    for (size_t i = 0; i < initial.size(); ++i)
      for (int64_t j = 0; j < initial[i].size(); ++j, ++row) {
        double g = -b.data()[row];
        for (int64_t k = 0; k < total; ++k) g += a.data()[row * total + k] * w[size_t(k)];
        arena.grad(int(i))[j] = g;
      }
  });
}

}  // namespace

void bind_optimizers(py::module_& m) {
  m.def("optimizer_trajectory",
        [](const std::string& name, const OptimizerConfig& config, const py::object& initial, const py::object& grads,
           const py::object& schedule, const std::vector<bool>& decay_mask) -> py::object {
          // One array in, one array out (the single-tensor form); lists map to lists.
          if (py::isinstance<py::list>(initial) || py::isinstance<py::tuple>(initial))
            return trajectory(name, config, initial.cast<std::vector<Array<double>>>(),
                              grads.cast<std::vector<Array<double>>>(), schedule, decay_mask);
          Array<double> w = initial.cast<Array<double>>();
          w = w.reshape({w.size()});
          return trajectory(name, config, {w}, {grads.cast<Array<double>>()}, schedule, decay_mask)[0];
        },
        py::arg("name"), py::arg("config"), py::arg("initial"), py::arg("grads"), py::arg("schedule") = py::none(),
        py::arg("decay_mask") = std::vector<bool>{});
  m.def("optimizer_quadratic", &quadratic, py::arg("name"), py::arg("config"), py::arg("initial"), py::arg("A"),
        py::arg("b"), py::arg("steps"), py::arg("schedule") = py::none(), py::arg("decay_mask") = std::vector<bool>{});
  m.def(
      "schedule_value",
      [](const py::tuple& spec, double step) { return to_schedule(spec)(step); }, py::arg("spec"), py::arg("step"));
}

template <class T>
void bind_optimizer_methods(py::class_<Model<T>>& cls) {
  // Reading gives the rate of the next step (a schedule's value at `iterations`), as Keras.
  cls.def_property(
      "learning_rate", locked([](Model<T>& self) { return self.optimizer().learning_rate_at(self.iterations()); }),
      locked([](Model<T>& self, double lr) { self.optimizer().set_learning_rate(lr); }));
  cls.def("set_learning_rate_schedule",
          locked([](Model<T>& self, const py::tuple& spec) { self.optimizer().set_schedule(to_schedule(spec)); }));
  cls.def("set_weight_decay_mask", locked([](Model<T>& self, const std::vector<bool>& mask) {
    AXON_CHECK(int(mask.size()) == self.arena().num_params(), "weight decay mask: expected ",
               self.arena().num_params(), " entries, got ", mask.size());
    self.optimizer().decay_mask = mask;
  }));
  cls.def_property(
      "optimizer_scalar_state",
      locked([](Model<T>& self) {
        AXON_CHECK(self.compiled(), "optimizer state: the model is not compiled");
        return self.optimizer().scalar_state();
      }),
      locked([](Model<T>& self, const std::vector<double>& state) {
        AXON_CHECK(self.compiled(), "optimizer state: the model is not compiled");
        const size_t expected = self.optimizer().scalar_state().size();
        AXON_CHECK(state.size() == expected, "optimizer ", self.optimizer().name(), ": expected ", expected,
                   " scalar state values, got ", state.size());
        self.optimizer().set_scalar_state(state);
      }));
  cls.def_property_readonly("num_params", [](Model<T>& self) { return self.arena().num_params(); });
  cls.def("param_name", [](Model<T>& self, int id) { return self.arena().spec(id).name; });
}

template void bind_optimizer_methods<float>(py::class_<Model<float>>&);
template void bind_optimizer_methods<double>(py::class_<Model<double>>&);

}  // namespace axon::bindings
