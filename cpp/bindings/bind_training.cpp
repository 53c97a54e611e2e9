// The training, evaluation and prediction loops, from arrays or from a BatchQueue that a
// Python thread fills. Every loop runs with the GIL released; the hook retakes it.
#include "bindings/common.hpp"
#include "bindings/sigint.hpp"
#include "train/batch_queue.hpp"

namespace axon::bindings {

namespace {

template <class T>
DataView<T> view(const Array<T>& x, const Array<T>* y, const char* where) {
  DataView<T> d;
  d.x = x.data();
  d.n = x.ndim() ? x.shape(0) : 0;
  d.x_cols = per_sample<T>(x, "x");
  if (y) {
    AXON_CHECK(y->ndim() >= 1 && y->shape(0) == d.n, where, ": x and y must have the same number of samples, got ",
               d.n, " and ", y->ndim() ? y->shape(0) : 0);
    d.y = y->data();
    d.y_cols = per_sample<T>(*y, "y");
  }
  return d;
}

// hook(batch, logs) after a batch, hook(batch, None) before one; returns True to stop.
BatchHook to_hook(const py::object& fn) {
  if (fn.is_none()) return {};
  return [fn](int64_t batch, const Logs* logs) {
    py::gil_scoped_acquire gil;
    return fn(batch, logs ? py::object(to_dict(*logs)) : py::object(py::none())).cast<bool>();
  };
}

// Runs `loop(control)` without the GIL; it stops after a batch on Ctrl-C (see sigint.hpp):
// inside fit it reports `interrupted`, elsewhere on the main thread it raises KeyboardInterrupt.
template <class Loop>
py::tuple run_loop(const py::object& hook, bool every_batch, double interval, bool stop_on_nan, const Loop& loop) {
  LoopResult r;
  const LoopSigint sigint;
  {
    const LoopControl control{to_hook(hook), every_batch, interval, stop_on_nan, sigint.flag()};
    py::gil_scoped_release release;
    r = loop(control);
  }
  sigint.raise_if_caught();
  return py::make_tuple(to_dict(r.logs), r.steps, r.stopped, r.interrupted);
}

#define AXON_LOOP_ARGS                                                                                     \
  py::arg("hook") = py::none(), py::arg("every_batch") = false, py::arg("interval") = 0.05,               \
  py::arg("stop_on_nan") = false

// An uninitialised (rows, *out_shape) array for predictions.
template <class T>
py::array_t<T> output_array(int64_t rows, const Shape& out_shape) {
  std::vector<py::ssize_t> shape{py::ssize_t(rows)};
  shape.insert(shape.end(), out_shape.begin(), out_shape.end());
  return py::array_t<T>(shape);
}

// Drops the references to batches the engine has copied (called with the GIL held).
template <class T>
void release_finished(BatchQueue<T>& q) {
  for (void* owner : q.finished_owners()) py::reinterpret_steal<py::object>(static_cast<PyObject*>(owner));
}

template <class T>
void bind_queue(py::module_& m, const char* name) {
  py::class_<BatchQueue<T>>(m, name)
      .def(py::init<int64_t>(), py::arg("capacity"))
      .def(
          "push",
          [](BatchQueue<T>& q, const py::object& x, const py::object& y, const py::object& w) {
            release_finished(q);
            const auto xa = x.cast<Array<T>>();  // converted copies live on in `owner`
            AXON_CHECK(xa.ndim() >= 1 && xa.shape(0) > 0, "BatchQueue.push: x must be a non-empty batch");
            BorrowedBatch<T> b;
            b.rows = xa.shape(0);
            b.x = xa.data();
            b.x_cols = per_sample<T>(xa, "x");
            Array<T> ya, wa;
            if (!y.is_none()) {
              ya = y.cast<Array<T>>();
              AXON_CHECK(ya.ndim() >= 1 && ya.shape(0) == b.rows, "BatchQueue.push: x has ", b.rows,
                         " samples, y has ", ya.ndim() ? ya.shape(0) : 0);
              b.y = ya.data();
              b.y_cols = per_sample<T>(ya, "y");
            }
            if (!w.is_none()) {
              wa = w.cast<Array<T>>();
              AXON_CHECK(wa.size() == b.rows, "BatchQueue.push: sample_weight must have one value per sample (",
                         b.rows, "), got ", wa.size());
              b.w = wa.data();
            }
            py::object owner = py::make_tuple(xa, ya, wa);
            b.owner = owner.ptr();
            bool queued;
            {
              py::gil_scoped_release release;  // waits for room while the engine trains
              queued = q.push(b);
            }
            if (queued) owner.release();  // the queue's reference now, until finished_owners()
            return queued;
          },
          py::arg("x"), py::arg("y") = py::none(), py::arg("sample_weight") = py::none())
      .def("close", &BatchQueue<T>::close)
      .def("cancel", &BatchQueue<T>::cancel)
      .def("release_finished", &release_finished<T>,
           "Drops the references to batches the engine is done with (after cancel: all of them).");
}

}  // namespace

template <class T>
void bind_training(py::class_<Model<T>>& cls) {
  cls.def(
      "fit_epoch",
      locked([](Model<T>& self, const Array<T>& x, const Array<T>& y, int64_t batch_size, bool shuffle, int64_t pass,
         int64_t first_batch, int64_t max_steps, const py::object& sample_weight, const py::object& hook,
         bool every_batch, double interval, bool stop_on_nan) {
        DataView<T> d = view<T>(x, &y, "fit");
        d.w = sample_weights<T>(sample_weight, d.n, "fit");
        return run_loop(hook, every_batch, interval, stop_on_nan, [&](const LoopControl& c) {
          return self.fit_epoch(d, batch_size, shuffle, pass, first_batch, max_steps, c);
        });
      }),
      py::arg("x"), py::arg("y"), py::arg("batch_size"), py::arg("shuffle") = false, py::arg("pass_") = 0,
      py::arg("first_batch") = 0, py::arg("max_steps") = -1, py::arg("sample_weight") = py::none(), AXON_LOOP_ARGS);
  cls.def(
      "fit_queue",
      locked([](Model<T>& self, BatchQueue<T>& queue, int64_t max_steps, const py::object& hook, bool every_batch,
         double interval, bool stop_on_nan) {
        QueueSource<T> source(queue);
        return run_loop(hook, every_batch, interval, stop_on_nan,
                        [&](const LoopControl& c) { return self.fit_batches(source, max_steps, c); });
      }),
      py::arg("queue"), py::arg("max_steps") = -1, AXON_LOOP_ARGS);
  cls.def(
      "evaluate",
      locked([](Model<T>& self, const Array<T>& x, const Array<T>& y, int64_t batch_size, int64_t max_steps,
         const py::object& sample_weight, const py::object& hook, bool every_batch, double interval, bool stop_on_nan) {
        DataView<T> d = view<T>(x, &y, "evaluate");
        d.w = sample_weights<T>(sample_weight, d.n, "evaluate");
        return run_loop(hook, every_batch, interval, stop_on_nan,
                        [&](const LoopControl& c) { return self.evaluate(d, batch_size, max_steps, c); });
      }),
      py::arg("x"), py::arg("y"), py::arg("batch_size"), py::arg("max_steps") = -1,
      py::arg("sample_weight") = py::none(), AXON_LOOP_ARGS);
  cls.def(
      "evaluate_queue",
      locked([](Model<T>& self, BatchQueue<T>& queue, int64_t max_steps, const py::object& hook, bool every_batch,
         double interval, bool stop_on_nan) {
        QueueSource<T> source(queue);
        return run_loop(hook, every_batch, interval, stop_on_nan,
                        [&](const LoopControl& c) { return self.evaluate_batches(source, max_steps, c); });
      }),
      py::arg("queue"), py::arg("max_steps") = -1, AXON_LOOP_ARGS);
  cls.def(
      "predict",
      locked([](Model<T>& self, const Array<T>& x, int64_t batch_size) {
        const DataView<T> d = view<T>(x, nullptr, "predict");
        py::array_t<T> out = output_array<T>(d.n, self.graph().output_shape());
        T* dst = out.mutable_data();
        // Releasing and retaking the GIL costs more than a batch-1 forward pass saves.
        // Small inputs hold the GIL (a Ctrl-C waits for them, they are quick); large ones stop
        // after a batch on Ctrl-C.
        if (d.n * d.x_cols < (1 << 16)) {
          self.predict(d.x, d.n, d.x_cols, batch_size, dst);
        } else {
          const LoopSigint sigint;
          {
            py::gil_scoped_release release;
            self.predict(d.x, d.n, d.x_cols, batch_size, dst, sigint.flag());
          }
          sigint.raise_if_caught(/*any_catcher=*/true);
        }
        return out;
      }),
      py::arg("x"), py::arg("batch_size"));
  cls.def(
      "call_training",
      locked([](Model<T>& self, const Array<T>& x) {
        const DataView<T> d = view<T>(x, nullptr, "model(x, training=True)");
        py::array_t<T> out = output_array<T>(d.n, self.graph().output_shape());
        self.call_training(d.x, d.n, d.x_cols, out.mutable_data());
        return out;
      }),
      py::arg("x"));
  cls.def(
      "predict_queue",
      locked([](Model<T>& self, BatchQueue<T>& queue, int64_t max_steps) {
        QueueSource<T> source(queue);
        std::vector<T> values;
        int64_t rows = 0;
        const LoopSigint sigint;
        {
          py::gil_scoped_release release;
          rows = self.predict_batches(source, max_steps, &values, sigint.flag());
        }
        sigint.raise_if_caught(/*any_catcher=*/true);
        py::array_t<T> out = output_array<T>(rows, self.graph().output_shape());
        std::copy(values.begin(), values.end(), out.mutable_data());
        return out;
      }),
      py::arg("queue"), py::arg("max_steps") = -1);
}

// `with _core.catch_sigint(enable) as sigint:` ... `sigint.caught`
struct SigintScope {
  bool enable;
  std::unique_ptr<SigintCatcher> catcher;
};

void bind_queues(py::module_& m) {
  bind_queue<float>(m, "BatchQueue32");
  bind_queue<double>(m, "BatchQueue64");
  py::class_<SigintScope>(m, "catch_sigint")
      .def(py::init([](bool enable) { return SigintScope{enable, nullptr}; }), py::arg("enable") = true)
      .def("__enter__",
           [](SigintScope& s) -> SigintScope& {
             s.catcher = std::make_unique<SigintCatcher>(s.enable);
             return s;
           })
      .def("__exit__", [](SigintScope& s, const py::args&) { s.catcher.reset(); })
      .def_property_readonly("caught", [](const SigintScope& s) { return s.catcher && s.catcher->caught(); })
      .def_property_readonly("repeated", [](const SigintScope& s) { return s.catcher && s.catcher->repeated(); });
  remember_main_thread(py::module_::import("threading").attr("main_thread")().attr("ident").cast<unsigned long>());
}

template void bind_training<float>(py::class_<Model<float>>&);
template void bind_training<double>(py::class_<Model<double>>&);

}  // namespace axon::bindings
