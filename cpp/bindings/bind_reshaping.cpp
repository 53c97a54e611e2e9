// Model.add_zero_padding / add_cropping / add_upsampling / add_spatial_dropout: the spatial
// utility layers.
#include "bindings/common.hpp"
#include "layers/reshaping.hpp"
#include "layers/spatial_dropout.hpp"

namespace axon::bindings {

namespace {
// "UpSampling2D 'up'": how errors raised here name the layer.
std::string named(const char* kind, size_t rank, const std::string& name) {
  return std::string(kind) + std::to_string(rank) + "D '" + name + "'";
}

bool is_channels_first(const std::string& data_format, const std::string& where) {
  AXON_CHECK(data_format == "channels_last" || data_format == "channels_first", where,
             ": data_format must be 'channels_last' or 'channels_first', got '", data_format, "'");
  return data_format == "channels_first";
}
}  // namespace

template <class T>
void bind_reshaping_layers(py::class_<Model<T>>& cls) {
  // before/after: one value per spatial axis; crop selects Cropping over ZeroPadding.
  cls.def(
      "add_pad_crop",
      [](Model<T>& m, const std::string& name, bool crop, const std::vector<int64_t>& before,
         const std::vector<int64_t>& after, const std::string& data_format, int input) {
        const bool cf = is_channels_first(data_format, named(crop ? "Cropping" : "ZeroPadding", before.size(), name));
        return m.graph().add(std::make_unique<PadCrop<T>>(name, crop, int(before.size()), before, after, cf), input);
      },
      py::arg("name"), py::arg("crop"), py::arg("before"), py::arg("after"), py::arg("data_format"),
      py::arg("input"));
  cls.def(
      "add_upsampling",
      [](Model<T>& m, const std::string& name, const std::vector<int64_t>& size, const std::string& data_format,
         const std::string& interpolation, int input) {
        const std::string at = named("UpSampling", size.size(), name);
        AXON_CHECK(interpolation == "nearest" || interpolation == "bilinear", at,
                   ": interpolation must be 'nearest' or 'bilinear', got '", interpolation, "'");
        const bool cf = is_channels_first(data_format, at);
        return m.graph().add(
            std::make_unique<UpSampling<T>>(name, int(size.size()), size, cf, interpolation == "bilinear"), input);
      },
      py::arg("name"), py::arg("size"), py::arg("data_format"), py::arg("interpolation"), py::arg("input"));
  cls.def(
      "add_spatial_dropout",
      [](Model<T>& m, const std::string& name, int rank, double rate, uint64_t seed, const std::string& data_format,
         int input) {
        const bool cf = is_channels_first(data_format, named("SpatialDropout", size_t(rank), name));
        return m.graph().add(std::make_unique<SpatialDropout<T>>(name, rank, rate, seed, cf), input);
      },
      py::arg("name"), py::arg("rank"), py::arg("rate"), py::arg("seed"), py::arg("data_format"), py::arg("input"));
}

template void bind_reshaping_layers<float>(py::class_<Model<float>>&);
template void bind_reshaping_layers<double>(py::class_<Model<double>>&);

}  // namespace axon::bindings
