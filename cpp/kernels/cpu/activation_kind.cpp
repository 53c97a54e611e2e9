#include "kernels/activation_kind.hpp"

#include <cmath>
#include <utility>

#include "core/check.hpp"

namespace axon {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Entry {
  const char* name;
  ActivationSpec spec;  // Keras defaults
};

// Keras 3 names and defaults; aliases map to the same kind.
const Entry kTable[] = {
    {"linear", {Activation::linear}},
    {"relu", {Activation::relu, 0.0, kInf, 0.0}},
    {"sigmoid", {Activation::sigmoid}},
    {"tanh", {Activation::tanh}},
    {"softmax", {Activation::softmax}},
    {"celu", {Activation::celu, 1.0}},
    {"elu", {Activation::elu, 1.0}},
    {"exponential", {Activation::exponential}},
    {"gelu", {Activation::gelu, 0.0}},  // keras.activations.gelu: approximate=False
    {"glu", {Activation::glu}},
    {"hard_shrink", {Activation::hard_shrink, 0.5}},
    {"hard_sigmoid", {Activation::hard_sigmoid}},
    {"hard_silu", {Activation::hard_silu}},
    {"hard_swish", {Activation::hard_silu}},
    {"hard_tanh", {Activation::hard_tanh}},
    {"leaky_relu", {Activation::leaky_relu, 0.2}},
    {"log_sigmoid", {Activation::log_sigmoid}},
    {"log_softmax", {Activation::log_softmax}},
    {"mish", {Activation::mish}},
    {"relu6", {Activation::relu6}},
    {"selu", {Activation::selu}},
    {"silu", {Activation::silu}},
    {"swish", {Activation::silu}},
    {"soft_shrink", {Activation::soft_shrink, 0.5}},
    {"softplus", {Activation::softplus}},
    {"softsign", {Activation::softsign}},
    {"sparse_plus", {Activation::sparse_plus}},
    {"sparsemax", {Activation::sparsemax}},
    {"squareplus", {Activation::squareplus, 4.0}},
    {"tanh_shrink", {Activation::tanh_shrink}},
    {"threshold", {Activation::threshold, 0.0, 0.0}},  // Keras requires both; Python passes them
    {"step", {Activation::step}},
};

std::string known_names() {
  std::string s;
  for (const Entry& e : kTable) s += (s.empty() ? "" : ", ") + std::string(e.name);
  return s;
}

}  // namespace

ActivationSpec parse_activation(const std::string& name, const std::string& where) {
  if (name.empty() || name == "None") return ActivationSpec{};
  for (const Entry& e : kTable)
    if (name == e.name) return e.spec;
  fail(where, ": unknown activation '", name, "'; expected one of ", known_names());
}

void validate_activation(const ActivationSpec& s, const std::string& where) {
  const char* n = activation_name(s.kind);
  AXON_CHECK(!std::isnan(s.a) && !std::isnan(s.b) && !std::isnan(s.c), where, ": activation ", n,
             " got a NaN argument");
  switch (s.kind) {
    case Activation::relu:
      AXON_CHECK(s.b >= 0, where, ": relu max_value must be >= 0, got ", s.b);
      AXON_CHECK(std::isfinite(s.a) && std::isfinite(s.c), where, ": relu negative_slope and threshold must be finite");
      break;
    case Activation::elu:
    case Activation::celu:
      AXON_CHECK(s.kind == Activation::elu || s.a != 0, where, ": celu alpha must be non-zero");
      break;
    case Activation::hard_shrink:
    case Activation::soft_shrink:
      AXON_CHECK(s.a >= 0, where, ": ", n, " threshold must be >= 0, got ", s.a);
      break;
    case Activation::squareplus:
      AXON_CHECK(s.a >= 0, where, ": squareplus b must be >= 0, got ", s.a);
      break;
    default:
      break;
  }
}

const char* activation_name(Activation a) {
  for (const Entry& e : kTable)
    if (e.spec.kind == a) return e.name;
  return "linear";
}

bool activation_needs_input(const ActivationSpec& s) {
  switch (s.kind) {
    case Activation::linear:
    case Activation::sigmoid:
    case Activation::tanh:
    case Activation::softmax:
    case Activation::exponential:
    case Activation::step:
    case Activation::log_softmax:
    case Activation::sparsemax:
      return false;
    case Activation::relu:  // plain relu (and relu with max_value) can read its output
      return s.a != 0.0 || s.c != 0.0;
    default:
      return true;
  }
}

bool activation_is_axiswise(Activation a) {
  return a == Activation::softmax || a == Activation::log_softmax || a == Activation::sparsemax ||
         a == Activation::glu;
}

AxisSpan activation_span(const ActivationSpec& s, const Shape& shape, bool axis_counts_batch,
                         const std::string& where) {
  if (!activation_is_axiswise(s.kind)) return {};
  const int rank = int(shape.size());
  AXON_CHECK(rank > 0, where, ": ", activation_name(s.kind), " needs an input with a feature axis");
  int ax = s.axis;
  if (ax < 0) {
    ax += rank;
  } else if (axis_counts_batch) {
    AXON_CHECK(ax != 0, where, ": ", activation_name(s.kind), " cannot run over the batch axis (axis=0)");
    ax -= 1;
  }
  AXON_CHECK(ax >= 0 && ax < rank, where, ": axis ", s.axis, " is out of range for input shape ",
             axis_counts_batch ? batch_shape_str(shape) : batch_shape_str(shape).replace(1, 6, ""));
  AxisSpan span;
  span.group = shape[size_t(ax)];
  for (int i = ax + 1; i < rank; ++i) span.inner *= shape[size_t(i)];
  if (s.kind == Activation::glu)
    AXON_CHECK(span.group % 2 == 0, where, ": glu halves axis ", s.axis, ", whose size must be even, got ",
               span.group);
  return span;
}

Shape activation_output_shape(const ActivationSpec& s, const Shape& shape, bool axis_counts_batch,
                              const std::string& where) {
  const AxisSpan span = activation_span(s, shape, axis_counts_batch, where);
  if (s.kind != Activation::glu) return shape;
  Shape out = shape;
  int ax = s.axis < 0 ? s.axis + int(shape.size()) : s.axis - (axis_counts_batch ? 1 : 0);
  out[size_t(ax)] = span.group / 2;
  return out;
}

Activation fusable_activation(const ActivationSpec& s, const Shape& shape) {
  if (s.kind == Activation::sigmoid) return Activation::sigmoid;
  const int rank = int(shape.size());
  if (s.kind == Activation::softmax && rank > 0 && (s.axis == -1 || s.axis == rank)) return Activation::softmax;
  return Activation::linear;
}

}  // namespace axon
