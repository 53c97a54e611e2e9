// Model32 / Model64: build, compile, weights and gradient access (the loops: bind_training.cpp).
#include <cstring>

#include "bindings/common.hpp"
#include "bindings/metric_config.hpp"

namespace axon::bindings {

namespace {

template <class T>
py::array_t<T> param_array(Model<T>& m, int id) {
  const Shape& s = m.arena().spec(id).shape;
  py::array_t<T> out(std::vector<py::ssize_t>(s.begin(), s.end()));
  std::memcpy(out.mutable_data(), m.arena().param(id), m.arena().count(id) * sizeof(T));
  return out;
}

// A writable array over parameter `id`'s values in `buffer` (params or an optimizer slot),
// without a copy: saving writes it to the file as is and loading reads into it. `owner`
// (the Python model) is its base, so the arena outlives the view; the view is valid until
// the model is rebuilt or recompiled (slots are reallocated then).
template <class T>
py::array_t<T> arena_view(const py::object& owner, Model<T>& m, int id, T* buffer) {
  AXON_CHECK(id >= 0 && id < m.arena().num_params(), "param_view: no parameter ", id);
  const Shape& s = m.arena().spec(id).shape;
  return py::array_t<T>(std::vector<py::ssize_t>(s.begin(), s.end()), buffer + m.arena().offset(id), owner);
}

template <class T>
py::list grad_arrays(Model<T>& m) {
  py::list grads;
  for (int id = 0; id < m.arena().num_params(); ++id) {
    const Shape& s = m.arena().spec(id).shape;
    py::array_t<T> g(std::vector<py::ssize_t>(s.begin(), s.end()));
    std::memcpy(g.mutable_data(), m.arena().grad(id), m.arena().count(id) * sizeof(T));
    grads.append(g);
  }
  return grads;
}

template <class T>
py::array_t<T> mat_array(const Mat<T>& a, const py::array& like) {
  py::array_t<T> out(std::vector<py::ssize_t>(like.shape(), like.shape() + like.ndim()));
  std::memcpy(out.mutable_data(), a.data(), size_t(a.size()) * sizeof(T));
  return out;
}

}  // namespace

template <class T>
void bind_model(py::module_& m, const char* name) {
  py::class_<Model<T>> cls(m, name);
  cls.def(py::init<uint64_t>(), py::arg("seed"));
  // The add_<layer> methods and build run before the Python model publishes the engine
  // model to anyone else, so they need no lock. Structure queries (shapes, names, target
  // size) read what build and compile fixed and stay unlocked too: a batch producer thread
  // calls them while fit holds the lock (see ModelCallLock). Everything else is locked.
  bind_layers<T>(cls);
  cls.def("build", [](Model<T>& self, const Shape& input_shape) { self.build(input_shape); });
  cls.def_property_readonly("num_layers", [](Model<T>& self) { return self.graph().size(); });
  cls.def("output_shape", [](Model<T>& self, int i) { return self.graph().output_shape(i); });
  cls.def("layer_param_ids", [](Model<T>& self, int i) { return self.graph().layer(i).param_ids(); });
  cls.def("param_shape", [](Model<T>& self, int id) { return self.arena().spec(id).shape; });
  cls.def("param_trainable", locked([](Model<T>& self, int id) { return self.arena().spec(id).trainable; }));
  cls.def("set_param_trainable",
          locked([](Model<T>& self, int id, bool t) { self.arena().set_trainable(id, t); }));
  cls.def("set_layer_trainable",
          locked([](Model<T>& self, int i, bool t) { self.graph().layer(i).set_trainable(t); }));
  cls.def("get_param", locked([](Model<T>& self, int id) { return param_array(self, id); }));
  cls.def("set_param", locked([](Model<T>& self, int id, const Array<T>& value) {
    const ParamSpec& spec = self.arena().spec(id);
    AXON_CHECK(size_t(value.size()) == self.arena().count(id), "set_weights: weight '", spec.name,
               "' expects shape ", batch_shape_str(spec.shape).replace(1, 4, ""), " (", self.arena().count(id),
               " values), got ", value.size(), " values");
    std::memcpy(self.arena().param(id), value.data(), self.arena().count(id) * sizeof(T));
  }));
  cls.def_property_readonly("arena_size", [](Model<T>& self) { return self.arena().size(); });
  // Views: the lock covers taking the view; saving and loading hold the Python model's lock
  // while they read or write through it (axon.models.training).
  cls.def("param_view", [](const py::object& owner, int id) {
    Model<T>& self = owner.cast<Model<T>&>();
    const ModelCallLock<T> lock(self);
    return arena_view<T>(owner, self, id, self.arena().params());
  });
  cls.def("slot_view", [](const py::object& owner, int k, int id) {
    Model<T>& self = owner.cast<Model<T>&>();
    const ModelCallLock<T> lock(self);
    AXON_CHECK(k >= 0 && k < self.arena().num_slots(), "slot_view: no optimizer slot ", k, " (the optimizer has ",
               self.arena().num_slots(), ")");
    return arena_view<T>(owner, self, id, self.arena().slot(k));
  });
  cls.def_property_readonly("num_slots", locked([](Model<T>& self) { return self.arena().num_slots(); }));
  cls.def_property("seed", locked([](Model<T>& self) { return self.seed(); }),
                   locked([](Model<T>& self, uint64_t seed) { self.set_seed(seed); }));
  cls.def("build_bounded", [](Model<T>& self, const Shape& input_shape, int64_t max_values) {
    self.build_bounded(input_shape, max_values);
  });

  cls.def(
      "compile",
      locked([](Model<T>& self, const std::string& loss, bool from_logits, const std::string& optimizer,
                const OptimizerConfig& optimizer_config, const py::list& metrics, const py::dict& loss_config) {
        std::vector<std::unique_ptr<Metric<T>>> ms;
        for (const py::handle spec : metrics) ms.push_back(make_metric<T>(metric_config(spec)));
        self.compile(make_loss<T>(to_loss_spec(loss, from_logits, loss_config)),
                     make_optimizer<T>(optimizer, optimizer_config), std::move(ms));
      }),
      py::arg("loss"), py::arg("from_logits"), py::arg("optimizer"), py::arg("optimizer_config"), py::arg("metrics"),
      py::arg("loss_config") = py::dict());
  cls.def("metric_results", locked([](Model<T>& self) { return self.metric_results(); }));
  cls.def_property_readonly("fused_loss", locked([](Model<T>& self) { return self.fused_loss(); }));
  cls.def_property_readonly("target_size", &Model<T>::target_size);
  bind_optimizer_methods<T>(cls);  // learning_rate, schedule, weight-decay mask
  cls.def_property("iterations", locked([](Model<T>& self) { return self.iterations(); }),
                   locked([](Model<T>& self, int64_t it) { self.set_iterations(it); }));

  bind_training<T>(cls);  // fit/evaluate/predict loops

  cls.def(
      "loss_and_gradients",
      locked([](Model<T>& self, const Array<T>& x, const Array<T>& y, const py::object& sample_weight) {
        Mat<T> dx;
        const T* w = sample_weights<T>(sample_weight, x.ndim() ? x.shape(0) : 1, "loss_and_gradients");
        const double loss = self.loss_and_gradients(to_mat<T>(x, "x"), to_mat<T>(y, "y"), &dx, w);
        return py::make_tuple(loss, grad_arrays(self), mat_array<T>(dx, x));
      }),
      py::arg("x"), py::arg("y"), py::arg("sample_weight") = py::none());
  cls.def("gradients_from_output", locked([](Model<T>& self, const Array<T>& x, const Array<T>& dout) {
            Mat<T> dx;
            self.gradients_from_output(to_mat<T>(x, "x"), to_mat<T>(dout, "dout"), &dx);
            return py::make_tuple(grad_arrays(self), mat_array<T>(dx, x));
          }));
}

template void bind_model<float>(py::module_&, const char*);
template void bind_model<double>(py::module_&, const char*);

}  // namespace axon::bindings
