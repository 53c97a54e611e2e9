"""Bad input raises a clear ValueError/TypeError naming the argument or layer, the
expected and the given value; nothing crashes the interpreter."""

import numpy as np
import pytest

import axon
from axon import layers


@pytest.fixture
def model():
    m = axon.Sequential([axon.Input((4,)), layers.Dense(3, activation="softmax")])
    m.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return m


def onehot(n, k=3):
    return np.eye(k)[np.arange(n) % k]


def test_wrong_input_shape(model):
    with pytest.raises(ValueError, match=r"x: expected shape \(N, 4\).*got \(5, 3\)"):
        model.fit(np.zeros((5, 3)), onehot(5), verbose=0)
    with pytest.raises(ValueError, match=r"expected shape \(N, 4\)"):
        model.predict(np.zeros((2, 5)), verbose=0)


def test_wrong_target_shape(model):
    with pytest.raises(ValueError, match=r"y: expected shape \(5, 3\) for loss 'categorical_crossentropy'.*got \(5, 4\)"):
        model.fit(np.zeros((5, 4)), np.zeros((5, 4)), verbose=0)


def test_mismatched_lengths(model):
    with pytest.raises(ValueError, match="same number of samples, got 5 and 4"):
        model.fit(np.zeros((5, 4)), onehot(4), verbose=0)


def test_empty_arrays(model):
    with pytest.raises(ValueError, match=r"x: is empty"):
        model.fit(np.zeros((0, 4)), np.zeros((0, 3)), verbose=0)
    with pytest.raises(ValueError, match=r"x: is empty"):
        model.predict(np.zeros((0, 4)), verbose=0)


def test_nan_labels(model):
    y = onehot(5)
    y[2, 1] = np.nan
    with pytest.raises(ValueError, match="y: contains NaN"):
        model.fit(np.zeros((5, 4)), y, verbose=0)


def test_out_of_range_sparse_labels():
    m = axon.Sequential([axon.Input((4,)), layers.Dense(3, activation="softmax")])
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"labels must be integers in \[0, 3\), got 7"):
        m.fit(np.zeros((4, 4)), np.array([0, 1, 7, 2]), verbose=0)
    with pytest.raises(ValueError, match=r"labels must be integers in \[0, 3\), got 0.5"):
        m.fit(np.zeros((2, 4)), np.array([0.5, 1]), verbose=0)
    # The model is still usable afterwards.
    m.fit(np.zeros((2, 4)), np.array([0, 1]), verbose=0)


def test_non_numeric_data(model):
    with pytest.raises(TypeError, match="x: expected numeric data"):
        model.fit(np.array([["a", "b", "c", "d"]]), onehot(1), verbose=0)
    with pytest.raises(ValueError, match="x: could not be read as an array"):
        model.fit([[1, 2], [3]], onehot(2), verbose=0)


@pytest.mark.parametrize("kwargs,pattern", [
    (dict(optimizer="adamm", loss="mse"), "unknown optimizer 'adamm'"),
    (dict(optimizer="adam", loss="mean_squared_errr"), "unknown loss 'mean_squared_errr'"),
    (dict(optimizer="adam", loss="mse", metrics=["acuracy"]), "unknown metric 'acuracy'"),
    (dict(optimizer="adam"), "a loss is required"),
])
def test_unknown_compile_strings(kwargs, pattern):
    m = axon.Sequential([layers.Dense(1, input_shape=(2,))])
    with pytest.raises(ValueError, match=pattern):
        m.compile(**kwargs)


@pytest.mark.parametrize("make,pattern", [
    (lambda: layers.Dense(4, activation="relux"), "unknown activation 'relux'"),
    (lambda: layers.Dense(0), r"Dense 'dense': units must be a positive integer, got 0"),
    (lambda: layers.Dense(4, kernel_initializer="glorot"), "unknown initializer 'glorot'"),
    (lambda: layers.Dense(4, kernel_regularizer="l3"), "unknown regularizer 'l3'"),
    (lambda: layers.Dropout(1.5), r"Dropout 'dropout': rate must be a number in \[0, 1\), got 1.5"),
    (lambda: layers.Reshape((0, 2)), "target_shape must be a tuple of positive integers"),
    (lambda: layers.Activation("swishy"), "unknown activation 'swishy'"),
    (lambda: axon.optimizers.Adam(learning_rate=-1), "Adam: learning_rate must be >= 0, got -1"),
    (lambda: axon.optimizers.SGD(momentum=2), r"SGD: momentum must be in \[0, 1\], got 2"),
    (lambda: layers.Dense(2, input_shape=(0,)), "input_shape: expected a tuple of positive integers"),
])
def test_bad_layer_and_optimizer_arguments(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()


def test_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError, match="Dense: unexpected keyword argument.*unitz"):
        layers.Dense(3, unitz=4)


def test_reshape_mismatch_names_the_layer():
    with pytest.raises(ValueError, match=r"Reshape 'reshape': cannot reshape input \(None, 6\) \(6 values\) to \(None, 4\)"):
        axon.Sequential([axon.Input((6,)), layers.Reshape((4,))])


def test_not_a_layer():
    with pytest.raises(TypeError, match="expected a Layer instance, got 'dense'"):
        axon.Sequential(["dense"])


def test_fit_before_compile():
    m = axon.Sequential([layers.Dense(1, input_shape=(2,))])
    with pytest.raises(ValueError, match="must compile the model"):
        m.fit(np.zeros((2, 2)), np.zeros(2))


def test_bad_fit_arguments(model):
    x, y = np.zeros((5, 4)), onehot(5)
    with pytest.raises(ValueError, match="batch_size: expected a positive integer, got 0"):
        model.fit(x, y, batch_size=0, verbose=0)
    with pytest.raises(ValueError, match=r"validation_split must be a number in \[0, 1\), got 1.5"):
        model.fit(x, y, validation_split=1.5, verbose=0)
    with pytest.raises(ValueError, match="verbose: expected 'auto', 0, 1 or 2, got 3"):
        model.fit(x, y, verbose=3)
    with pytest.raises(TypeError, match=r"fit: unexpected argument\(s\) bogus"):
        model.fit(x, y, verbose=0, bogus=1)


def test_set_weights_errors(model):
    with pytest.raises(ValueError, match="set_weights expected 2 arrays, got 1"):
        model.set_weights([np.zeros((4, 3))])
    with pytest.raises(ValueError, match=r"weight 'kernel' expects shape \(4, 3\), got \(3, 4\)"):
        model.set_weights([np.zeros((3, 4)), np.zeros(3)])


def test_inputs_of_any_type_are_converted(model):
    x = np.arange(40, dtype=np.int64).reshape(10, 4)
    y = onehot(10)
    model.fit(x, y, verbose=0)  # ints
    model.fit(x.astype(np.float64)[::-1], y.tolist(), verbose=0)  # float64, negative stride, list
    wide = np.zeros((10, 8), dtype=np.float32)[:, ::2]  # non-contiguous view
    assert model.predict(wide, verbose=0).shape == (10, 3)
