"""Bad input is a clear error naming what was wrong: integer size arguments of layers given
NaN, inf, floats, bools, strings, negatives or values beyond int64, and arrays of complex,
object, string or datetime dtype at every place arrays enter a model."""

import re

import numpy as np
import pytest

import axon
from axon import layers

# Integer size arguments: (id, factory taking the value, what the message names).
SIZE_ARGUMENTS = [
    ("dense_units", lambda v: layers.Dense(v), "Dense '"),
    ("conv_filters", lambda v: layers.Conv2D(v, 3), "Conv2D '"),
    ("conv_kernel_size", lambda v: layers.Conv2D(2, v), "Conv2D '"),
    ("conv_strides", lambda v: layers.Conv2D(2, 3, strides=v), "Conv2D '"),
    ("conv_dilation_rate", lambda v: layers.Conv2D(2, 3, dilation_rate=v), "Conv2D '"),
    ("conv_groups", lambda v: layers.Conv2D(4, 3, groups=v), "Conv2D '"),
    ("conv_transpose_filters", lambda v: layers.Conv2DTranspose(v, 3), "Conv2DTranspose '"),
    ("depthwise_multiplier", lambda v: layers.DepthwiseConv2D(3, depth_multiplier=v), "DepthwiseConv2D '"),
    ("max_pool_size", lambda v: layers.MaxPooling2D(pool_size=v), "MaxPooling2D '"),
    # strides=None alone means "pool_size"; a one-element list keeps None a bad value.
    ("avg_pool_strides", lambda v: layers.AveragePooling1D(2, strides=[v]), "AveragePooling1D '"),
    ("upsampling_size", lambda v: layers.UpSampling2D(size=v), "UpSampling2D '"),
    ("group_norm_groups", lambda v: layers.GroupNormalization(groups=v), "GroupNormalization '", -1),  # -1: instance norm
    ("input_shape", lambda v: axon.Input((v,)), "Input: shape"),
    ("layer_input_shape", lambda v: layers.Dense(2, input_shape=(v, 3)), "Dense '"),
]
BAD_SIZES = [0, -1, 2.5, True, float("nan"), float("inf"), "3", None, 2**63, np.float64(3.0), [2, 2, 2, 2]]
# Arguments where 0 is valid (padding, cropping) or -1 is (a Reshape's inferred axis).
NON_NEGATIVE_ARGUMENTS = [
    ("zero_padding", lambda v: layers.ZeroPadding2D(padding=v), "ZeroPadding2D '"),
    ("cropping", lambda v: layers.Cropping1D(cropping=v), "Cropping1D '"),
]
BAD_NON_NEGATIVE = [-1, 2.5, True, float("nan"), float("inf"), "3", None, 2**63, np.float64(3.0)]
BAD_TARGET_SHAPES = [None, 2.5, "3", (0,), (-2,), (2.0,), (True,), (float("nan"),), (2**63,), (-1, -1)]


# Every (argument, bad value) pair of both tables.
# A case's entries after the message are values it accepts (GroupNormalization's groups=-1).
BAD_ARGUMENTS = ([(c, v) for c in SIZE_ARGUMENTS for v in BAD_SIZES if not (type(v) is int and v in c[3:])]
                 + [(c, v) for c in NON_NEGATIVE_ARGUMENTS for v in BAD_NON_NEGATIVE])


@pytest.mark.parametrize("case,value", BAD_ARGUMENTS, ids=[f"{c[0]}={v!r}" for c, v in BAD_ARGUMENTS])
def test_bad_size_argument_is_a_value_error_naming_the_layer(case, value):
    _, make, where = case[:3]
    with pytest.raises(ValueError) as info:
        make(value)
    assert where in str(info.value)


@pytest.mark.parametrize("target_shape", BAD_TARGET_SHAPES, ids=[repr(t) for t in BAD_TARGET_SHAPES])
def test_bad_reshape_target_is_a_value_error_naming_the_layer(target_shape):
    with pytest.raises(ValueError, match="Reshape 'reshape"):
        axon.Sequential([axon.Input((4,)), layers.Reshape(target_shape)])


def test_values_beyond_int64_name_the_argument_and_the_limit():
    with pytest.raises(ValueError, match=r"Conv2D 'c': kernel_size=9223372036854775808 does not fit .* 2\*\*63 - 1"):
        layers.Conv2D(2, 2**63, name="c")
    with pytest.raises(ValueError, match="PReLU 'p': shared_axes entry=18446744073709551616 does not fit"):
        layers.PReLU(shared_axes=[2**64], name="p")
    with pytest.raises(ValueError, match="ZeroPadding1D 'z': padding=9223372036854775808 does not fit"):
        layers.ZeroPadding1D(padding=2**63, name="z")


def _compiled_model():
    model = axon.Sequential([axon.Input((3,)), layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    return model


GOOD_X = np.ones((4, 3), np.float32)
GOOD_Y = np.ones((4, 2), np.float32)
# (id, x, y, sample_weight, the argument the message names, the dtype it names)
BAD_ARRAYS = [
    ("complex_x", GOOD_X.astype(np.complex128) + 1j, GOOD_Y, None, "x", "complex128"),
    ("complex64_y", GOOD_X, GOOD_Y.astype(np.complex64), None, "y", "complex64"),
    ("complex_sample_weight", GOOD_X, GOOD_Y, np.ones(4) + 0.5j, "sample_weight", "complex128"),
    ("object_x", GOOD_X.astype(object), GOOD_Y, None, "x", "object"),
    ("string_x", np.full((4, 3), "1.0"), GOOD_Y, None, "x", "<U3"),
    ("datetime_y", GOOD_X, np.zeros((4, 2), "datetime64[s]"), None, "y", "datetime64[s]"),
    ("timedelta_x", np.zeros((4, 3), "timedelta64[s]"), GOOD_Y, None, "x", "timedelta64[s]"),
]
# Every entry point that takes arrays, and whether it takes y / sample_weight.
ENTRY_POINTS = {
    "fit": lambda m, x, y, w: m.fit(x, y, sample_weight=w, epochs=1, verbose=0),
    "fit_on_batches": lambda m, x, y, w: m.fit(iter([(x, y) if w is None else (x, y, w)]), epochs=1, verbose=0),
    "evaluate": lambda m, x, y, w: m.evaluate(x, y, sample_weight=w, verbose=0),
    "train_on_batch": lambda m, x, y, w: m.train_on_batch(x, y, sample_weight=w),
    "test_on_batch": lambda m, x, y, w: m.test_on_batch(x, y, sample_weight=w),
    "predict": lambda m, x, y, w: m.predict(x, verbose=0),
    "predict_on_batch": lambda m, x, y, w: m.predict_on_batch(x),
    "call": lambda m, x, y, w: m(x),
}
X_ONLY = {"predict", "predict_on_batch", "call"}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("case", BAD_ARRAYS, ids=[c[0] for c in BAD_ARRAYS])
def test_arrays_that_a_cast_would_corrupt_are_a_type_error(entry, case):
    _, x, y, w, name, dtype = case
    if entry in X_ONLY and name != "x":
        pytest.skip("takes no targets or weights")
    model = _compiled_model()
    with pytest.raises(TypeError) as info:
        ENTRY_POINTS[entry](model, x, y, w)
    message = str(info.value)
    assert name in message and dtype in message


def test_complex_data_message_says_what_to_do():
    with pytest.raises(TypeError, match=r"x: complex data \(dtype complex128\) is not supported.*\(\.real\) or .*\(abs\(\)\)"):
        _compiled_model().predict(GOOD_X.astype(np.complex128) + 1j, verbose=0)


@pytest.mark.parametrize("x,message", [
    (np.ones((4, 0), np.float32), r"expected shape \(N, 3\)"),
    (np.ones((0, 3), np.float32), "is empty"),
    (np.float32(1.0), "scalar"),
    (None, "expected an array, got None"),
    ([[1.0, 2.0], [3.0]], "could not be read as an array"),
], ids=["zero_features", "zero_samples", "scalar", "none", "ragged"])
def test_empty_scalar_and_ragged_arrays_are_value_errors(x, message):
    with pytest.raises(ValueError, match=message):
        _compiled_model().predict(x, verbose=0)


def test_unbuilt_model_refuses_zero_sized_sample_shapes():
    model = axon.Sequential([layers.Dense(2)], name="unbuilt")
    with pytest.raises(ValueError, match="Sequential 'unbuilt'.*positive integers"):
        model.predict(np.ones((4, 0), np.float32), verbose=0)


def test_real_arrays_of_every_accepted_kind_still_work():
    model = _compiled_model()
    for x in (GOOD_X.astype(bool), GOOD_X.astype(np.int64), GOOD_X.astype(np.uint8), GOOD_X.astype(np.float16)):
        assert model.predict(x, verbose=0).shape == (4, 2)
    model.fit(GOOD_X, GOOD_Y, sample_weight=[1, 2, 3, 4], epochs=1, verbose=0)  # int weights from a list
    model.fit(GOOD_X, GOOD_Y, sample_weight=np.ones(4, bool), epochs=1, verbose=0)


@pytest.mark.parametrize("value", [2**63, 2**64])
def test_batch_size_and_steps_beyond_int64_are_value_errors(value):
    model = _compiled_model()
    with pytest.raises(ValueError, match="does not fit the engine's 64-bit integers"):
        model.predict(GOOD_X, batch_size=value, verbose=0)
    with pytest.raises(ValueError, match="does not fit the engine's 64-bit integers"):
        model.fit(GOOD_X, GOOD_Y, steps_per_epoch=value, verbose=0)


AXIS_ARGUMENTS = [
    ("softmax", lambda v: layers.Softmax(axis=v), "Softmax '"),
    ("batch_norm", lambda v: layers.BatchNormalization(axis=v), "BatchNormalization '"),
    ("layer_norm", lambda v: layers.LayerNormalization(axis=v), "LayerNormalization '"),
    ("layer_norm_list", lambda v: layers.LayerNormalization(axis=[1, v]), "LayerNormalization '"),
    ("group_norm", lambda v: layers.GroupNormalization(groups=2, axis=v), "GroupNormalization '"),
]
BAD_AXES = [2**31, -(2**31) - 1, 2**62, 2**63]


@pytest.mark.parametrize("case,value", [(c, v) for c in AXIS_ARGUMENTS for v in BAD_AXES],
                         ids=[f"{c[0]}={v}" for c in AXIS_ARGUMENTS for v in BAD_AXES])
def test_axis_beyond_the_engines_int_is_a_value_error(case, value):
    # pybind11 answered these with an overload dump (TypeError) or "Unable to cast" (RuntimeError).
    _, make, where = case
    with pytest.raises(ValueError, match=f"{where}.*: axis={value} is not an axis of any input"):
        make(value)


@pytest.mark.parametrize("kernel,dtype", [(np.ones((3, 2)) + 1j, "complex128"), (np.full((3, 2), "a"), "<U1"),
                                          (np.ones((3, 2)).astype(object), "object")],
                         ids=["complex", "string", "object"])
def test_set_weights_refuses_what_a_cast_would_corrupt(kernel, dtype):
    model = axon.Sequential([axon.Input((3,)), layers.Dense(2, name="d")])
    before = model.layers[0].get_weights()[0].copy()
    with pytest.raises(TypeError, match=f"Layer 'd': weight 'kernel'.*{dtype}"):
        model.layers[0].set_weights([kernel, np.zeros(2)])
    np.testing.assert_array_equal(model.layers[0].get_weights()[0], before)


def test_prelu_index_larger_than_memory_is_a_memory_error_naming_the_layer():
    # alpha is shared over the huge axis (small), but its per-element index is not: 2**43 entries.
    with pytest.raises(MemoryError, match=r"PReLU 'p': cannot allocate the index of alpha .* \(70.4 TB\)"):
        axon.Sequential([axon.Input((2**40, 8)), layers.PReLU(shared_axes=[1], name="p")])


def test_non_finite_epsilon_is_refused_in_python_and_by_the_engine():
    with pytest.raises(ValueError, match="LayerNormalization 'n': epsilon must be a number >= 0.0 and finite, got inf"):
        layers.LayerNormalization(epsilon=float("inf"), name="n")
    # The engine's own check ran in the base class constructor, where naming the layer
    # called a pure virtual function: abort ("pure virtual method called").
    for layer in (layers.LayerNormalization(name="n"), layers.BatchNormalization(name="n"),
                  layers.GroupNormalization(2, name="n")):
        layer.epsilon = float("nan")
        message = f"{type(layer).__name__} 'n': epsilon must be a non-negative number, got nan"
        with pytest.raises(ValueError, match=message):
            axon.Sequential([axon.Input((4,)), layer])


@pytest.mark.parametrize("name", [5, 2.5, b"dense", ("a",)], ids=repr)
def test_layer_name_must_be_a_string(name):
    # an int reached the engine and came back as pybind11's overload dump
    with pytest.raises(ValueError, match=f"Dense: name must be a string, got {re.escape(repr(name))}"):
        layers.Dense(2, name=name)
