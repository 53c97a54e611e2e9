"""Shape arithmetic that does not fit: every hostile layer config is a ValueError naming the
layer (FormatError when it came from a file), never a wrapped product, a SIGFPE or a
silently empty shape. The engine bounds every tensor at 2**44 values (kMaxTensorValues)."""

import io
import json
import zipfile

import numpy as np
import pytest

import axon
from axon import layers
from axon.saving import format as fmt
from axon.saving import model_io
from saving_helpers import reseal

BIG = 2**62

# (id, input shape, layer, words the message must contain besides the layer's name).
# Each once crashed (SIGFPE, wrapped sizes) or gave a wrong shape before the checks.
HOSTILE = [
    ("reshape_product_wraps_to_zero", (4,), lambda: layers.Reshape((2**32, 2**32, -1), name="hostile"),
     ["target_shape", "(None, 4294967296, 4294967296, -1)"]),
    ("reshape_known_beyond_bound", (4,), lambda: layers.Reshape((-1, BIG), name="hostile"), ["target_shape"]),
    ("conv_transpose_huge_filters", (4, 4, 1), lambda: layers.Conv2DTranspose(BIG, 3, name="hostile"),
     ["4611686018427387904"]),
    ("conv_transpose_huge_strides", (4, 4, 1),
     lambda: layers.Conv2DTranspose(2, 3, strides=(BIG, 2**31), name="hostile"), ["strides 4611686018427387904"]),
    ("conv_transpose_axis_beyond_bound", (8, 1),
     lambda: layers.Conv1DTranspose(2, 3, strides=2**42, padding="same", name="hostile"),
     ["spatial axis 1", "would exceed"]),
    ("conv_transpose_output_beyond_bound", (8, 1),
     lambda: layers.Conv1DTranspose(4, 3, strides=2**40, padding="same", name="hostile"),
     ["output shape (None, 8796093022208, 4)"]),
    ("conv_transpose_3d_kernel_taps_wrap", (2, 2, 2, 1),
     lambda: layers.Conv3DTranspose(2, 2**31, name="hostile"), ["2147483648"]),
    ("conv_huge_filters", (8, 8, 1), lambda: layers.Conv2D(BIG, 3, name="hostile"),
     ["weight 'kernel'", "(3, 3, 1, 4611686018427387904)"]),
    ("conv_same_huge_kernel", (8, 8, 1), lambda: layers.Conv2D(2, 2**40, padding="same", name="hostile"),
     ["window"]),
    ("conv_valid_kernel_larger_than_input", (8, 8, 1), lambda: layers.Conv2D(2, 2**40, name="hostile"),
     ["larger than the input"]),
    ("conv_dilation_extent_wraps", (8, 1),
     lambda: layers.Conv1D(2, 3, dilation_rate=BIG, padding="same", name="hostile"), ["dilation_rate 4611686018427387904"]),
    ("conv_causal_dilation_extent_wraps", (8, 1),
     lambda: layers.Conv1D(2, 3, dilation_rate=BIG, padding="causal", name="hostile"), ["too large"]),
    ("conv_valid_dilation_extent_wraps", (8, 1), lambda: layers.Conv1D(2, 3, dilation_rate=BIG, name="hostile"),
     ["too large"]),
    ("depthwise_multiplier_wraps", (8, 8, 2),
     lambda: layers.DepthwiseConv2D(3, depth_multiplier=BIG, name="hostile"), ["depth_multiplier"]),
    ("separable_huge_filters", (8, 8, 2), lambda: layers.SeparableConv2D(BIG, 3, name="hostile"),
     ["pointwise_kernel"]),
    ("max_pool_same_huge_window", (8, 8, 1),
     lambda: layers.MaxPooling2D(pool_size=2**31, padding="same", name="hostile"), ["window"]),
    ("avg_pool_3d_window_extent", (4, 4, 4, 1), lambda: layers.AveragePooling3D(pool_size=BIG, name="hostile"),
     ["too large"]),
    ("zero_padding_huge", (4, 4, 1), lambda: layers.ZeroPadding2D(padding=BIG, name="hostile"), ["padding"]),
    ("cropping_sum_wraps", (4, 4, 1), lambda: layers.Cropping2D(cropping=BIG, name="hostile"), ["cropping"]),
    ("upsampling_huge", (4, 4, 1), lambda: layers.UpSampling2D(size=2**31, name="hostile"), ["size"]),
    ("dense_kernel_wraps", (4,), lambda: layers.Dense(BIG, name="hostile"),
     ["weight 'kernel'", "(4, 4611686018427387904)"]),
    ("dense_output_beyond_bound", (2**20, 1), lambda: layers.Dense(2**25, name="hostile"),
     ["output shape (None, 1048576, 33554432)"]),
    ("group_norm_huge_groups", (8, 4), lambda: layers.GroupNormalization(groups=BIG, name="hostile"), ["groups"]),
]


def _model(input_shape, layer):
    return axon.Sequential([axon.Input(input_shape), layer])


@pytest.mark.parametrize("case", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_layer_config_is_a_value_error_naming_the_layer(case):
    _, input_shape, make, words = case
    layer = make()
    with pytest.raises(ValueError) as info:
        _model(input_shape, layer)
    message = str(info.value)
    assert f"{type(layer).__name__} 'hostile'" in message
    for word in words:
        assert word in message


def test_input_beyond_the_bound_is_refused_instead_of_flattening_to_zero():
    with pytest.raises(ValueError, match=r"Input: shape \(4611686018427387904, 4\) would hold 18446744073709551616"):
        axon.Sequential([axon.Input((BIG, 4)), layers.Flatten()])
    # The bound itself is allowed: shapes are only arithmetic until a batch runs.
    model = axon.Sequential([axon.Input((2**22, 2**22)), layers.Flatten()])
    assert model.output_shape == (None, 2**44)
    with pytest.raises(ValueError, match="2\\*\\*44"):
        axon.Sequential([axon.Input((2**22, 2**22 + 1)), layers.Flatten()])


def test_huge_strides_that_fit_build_and_run():
    # strides far beyond the input are legal (Keras gives one output position); the
    # 'same' padding arithmetic must not wrap on them.
    for padding in ("valid", "same"):
        model = _model((4, 4, 1), layers.Conv2D(2, 3, strides=(BIG, 2**31), padding=padding,
                                                  kernel_initializer="ones"))
        assert model.output_shape == (None, 1, 1, 2)
        x = np.ones((1, 4, 4, 1), np.float32)
        # One window at (0, 0); 'same' pads max((1 - 1) * stride + 3 - 4, 0) = 0: all 9 taps inside.
        np.testing.assert_allclose(model.predict(x, verbose=0), np.full((1, 1, 1, 2), 9.0))


def test_weights_larger_than_memory_are_a_memory_error_naming_the_layer_and_bytes():
    with pytest.raises(MemoryError) as info:
        _model((4,), layers.Dense(10**12, name="huge"))
    message = str(info.value)
    assert "Dense 'huge' weight 'kernel' (4, 1000000000000) (16 TB)" in message
    assert "5e+12 float32 values (20 TB, and as much again for their gradients)" in message  # kernel + bias


def test_units_beyond_int64_are_refused_in_python():
    for units in (2**63, 2**100):
        with pytest.raises(ValueError, match=f"Dense 'dense_x': units={units} does not fit the engine's 64-bit"):
            layers.Dense(units, name="dense_x")


def test_output_shape_of_a_model_with_only_an_input():
    model = axon.Sequential([axon.Input((4,))], name="only_input")
    with pytest.raises(ValueError, match="Sequential 'only_input' has no layers yet"):
        model.output_shape


def _hostile_reshape_model():
    return axon.Sequential([axon.Input((4,)), layers.Reshape((2, 2)), layers.Flatten(), layers.Dense(1)])


def _set_target_shapes(node, value):
    """Rewrites every 'target_shape' in a config tree."""
    if isinstance(node, dict):
        for key in node:
            if key == "target_shape":
                node[key] = value
            else:
                _set_target_shapes(node[key], value)
    elif isinstance(node, list):
        for item in node:
            _set_target_shapes(item, value)


def test_axon_file_with_a_wrapping_reshape_is_a_format_error():
    data = model_io.model_to_bytes(_hostile_reshape_model())
    hostile = reseal(data, lambda header: _set_target_shapes(header["architecture"], [2**32, 2**32, -1]))
    with pytest.raises(fmt.FormatError, match="Reshape 'reshape.*target_shape"):
        model_io.model_from_bytes(hostile)


def test_keras_file_with_a_wrapping_reshape_is_a_format_error(tmp_path):
    path = tmp_path / "model.keras"
    _hostile_reshape_model().save(path)
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    config = json.loads(members["config.json"])
    _set_target_shapes(config, [2**32, 2**32, -1])
    members["config.json"] = json.dumps(config).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    path.write_bytes(buffer.getvalue())
    with pytest.raises(fmt.FormatError, match="Reshape 'reshape.*target_shape"):
        axon.saving.load_model(path)


def test_a_batch_whose_activations_exceed_memory_is_a_memory_error_naming_the_layer():
    # 4 GB per sample after upsampling; 4096 samples need 17.6 TB, more than any machine's
    # RAM and swap, so the engine refuses before allocating (whatever the overcommit policy).
    model = axon.Sequential([axon.Input((1, 1)), layers.UpSampling1D(size=2**30, name="up"),
                             layers.GlobalAveragePooling1D()])
    x = np.ones((4096, 1, 1), np.float32)
    with pytest.raises(MemoryError, match=r"UpSampling1D 'up': cannot allocate its output for a batch of 4096: "
                                          r"4096 x 1073741824 values \(17.6 TB\)"):
        model.predict(x, batch_size=4096, verbose=0)
