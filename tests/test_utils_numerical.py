"""axon.utils.to_categorical / normalize, against the values Keras 3 returns."""

import numpy as np
import pytest

from axon.utils import normalize, to_categorical


def test_to_categorical_basic():
    out = to_categorical([0, 1, 2, 3], num_classes=4)
    assert out.dtype == np.float64  # Keras' NumPy path builds np.zeros (float64)
    np.testing.assert_array_equal(out, np.eye(4))


def test_to_categorical_infers_num_classes():
    out = to_categorical(np.array([2, 0]))
    np.testing.assert_array_equal(out, [[0, 0, 1], [1, 0, 0]])


def test_to_categorical_squeezes_trailing_one():
    out = to_categorical(np.array([[1], [2]]), 5)
    assert out.shape == (2, 5)
    np.testing.assert_array_equal(out, [[0, 1, 0, 0, 0], [0, 0, 1, 0, 0]])


def test_to_categorical_keeps_other_dims():
    out = to_categorical(np.array([[0, 1], [2, 0]]))
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out[1, 0], [0, 0, 1])
    assert to_categorical(3).shape == (4,)  # a scalar gives one row
    assert to_categorical(np.array([[1]]), 3).shape == (1, 3)


def test_to_categorical_accepts_integral_floats_and_uint8():
    np.testing.assert_array_equal(to_categorical([1.0, 0.0]), [[0, 1], [1, 0]])
    out = to_categorical(np.array([9], dtype=np.uint8), 10)
    assert out.shape == (1, 10) and out[0, 9] == 1 and out.sum() == 1


def test_to_categorical_num_classes_zero_means_infer():
    np.testing.assert_array_equal(to_categorical([1], num_classes=0), [[0, 1]])


def test_to_categorical_empty_with_num_classes():
    assert to_categorical(np.array([], dtype=np.int64), 3).shape == (0, 3)


@pytest.mark.parametrize(
    "labels, num_classes, pattern",
    [
        ([0, -1, 2], None, r"`x`.*non-negative integer.*received -1 at flat index 1"),
        ([0.5, 1.0], None, r"`x`.*non-negative integer.*received 0\.5 at flat index 0"),
        ([1.0, np.nan], None, r"`x`.*received nan at flat index 1"),
        ([0, 10, 3], 10, r"`x`.*< num_classes=10, received 10 at flat index 1"),
        (["a"], None, r"`x`.*dtype <U1"),
        ([], None, r"`x`.*empty"),
        ([1], -2, r"`num_classes`.*received -2"),
        ([1], 2.5, r"`num_classes`.*received 2\.5"),
    ],
)
def test_to_categorical_rejects_bad_input(labels, num_classes, pattern):
    with pytest.raises(ValueError, match=pattern):
        to_categorical(labels, num_classes)


def test_normalize_l2_rows_and_zero_rows():
    out = normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])


def test_normalize_1d_gets_leading_axis_like_keras():
    out = normalize(np.array([3.0, 4.0]))
    assert out.shape == (1, 2)
    np.testing.assert_allclose(out, [[0.6, 0.8]])


def test_normalize_axis_and_order():
    x = np.array([[1.0, 2.0], [3.0, 6.0]])
    np.testing.assert_allclose(normalize(x, axis=0, order=1), [[0.25, 0.25], [0.75, 0.75]])
    np.testing.assert_allclose(normalize(x, order=np.inf), [[0.5, 1.0], [0.5, 1.0]])
    np.testing.assert_allclose(normalize(x, axis=None), x / np.sqrt(50.0))
