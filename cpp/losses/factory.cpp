// make_loss: Keras names (and their short aliases) to loss objects.
#include <utility>

#include "core/check.hpp"
#include "losses/losses.hpp"

namespace axon {

template <class T>
std::unique_ptr<Loss<T>> make_loss(const LossSpec& spec) {
  static const std::pair<const char*, Pointwise> pointwise[] = {
      {"mean_squared_error", Pointwise::mse},   {"mse", Pointwise::mse},
      {"mean_absolute_error", Pointwise::mae},  {"mae", Pointwise::mae},
      {"mean_absolute_percentage_error", Pointwise::mape}, {"mape", Pointwise::mape},
      {"mean_squared_logarithmic_error", Pointwise::msle}, {"msle", Pointwise::msle},
      {"huber_loss", Pointwise::huber},         {"huber", Pointwise::huber},
      {"log_cosh", Pointwise::log_cosh},        {"logcosh", Pointwise::log_cosh},
      {"poisson", Pointwise::poisson},
      {"kl_divergence", Pointwise::kld},        {"kld", Pointwise::kld},
      {"kullback_leibler_divergence", Pointwise::kld},
      {"hinge", Pointwise::hinge},              {"squared_hinge", Pointwise::squared_hinge},
  };
  const std::string& n = spec.name;
  for (const auto& [alias, kind] : pointwise)
    if (n == alias) return std::make_unique<PointwiseLoss<T>>(spec, kind);
  if (n == "categorical_hinge") return std::make_unique<CategoricalHinge<T>>(spec);
  if (n == "cosine_similarity") return std::make_unique<CosineSimilarity<T>>(spec);
  if (n == "binary_crossentropy") return std::make_unique<BinaryCrossentropy<T>>(spec);
  if (n == "categorical_crossentropy") return std::make_unique<CategoricalCrossentropy<T>>(spec);
  if (n == "sparse_categorical_crossentropy") return std::make_unique<SparseCategoricalCrossentropy<T>>(spec);
  if (n == "binary_focal_crossentropy") return std::make_unique<BinaryFocalCrossentropy<T>>(spec);
  if (n == "categorical_focal_crossentropy") return std::make_unique<CategoricalFocalCrossentropy<T>>(spec);
  fail("loss: unknown loss '", n, "'; expected one of mean_squared_error, mean_absolute_error, ",
       "mean_absolute_percentage_error, mean_squared_logarithmic_error, huber_loss, log_cosh, poisson, ",
       "kl_divergence, hinge, squared_hinge, categorical_hinge, cosine_similarity, binary_crossentropy, ",
       "categorical_crossentropy, sparse_categorical_crossentropy, binary_focal_crossentropy, ",
       "categorical_focal_crossentropy");
}

template <class T>
std::unique_ptr<Loss<T>> make_loss(const std::string& name, bool from_logits) {
  LossSpec spec;
  spec.name = name;
  spec.from_logits = from_logits;
  return make_loss<T>(spec);
}

template std::unique_ptr<Loss<float>> make_loss<float>(const LossSpec&);
template std::unique_ptr<Loss<double>> make_loss<double>(const LossSpec&);
template std::unique_ptr<Loss<float>> make_loss<float>(const std::string&, bool);
template std::unique_ptr<Loss<double>> make_loss<double>(const std::string&, bool);

}  // namespace axon
