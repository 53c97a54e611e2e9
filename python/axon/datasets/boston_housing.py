"""Boston housing prices, as `keras.datasets.boston_housing.load_data()` returns them
(13 features, price in k$). Keras warns of this dataset's ethical problem (the "B"
feature); prefer california_housing."""

from axon.datasets._fetch import KERAS_ORIGIN, fetch, split_by_fraction
from axon.datasets._pickled import load_npz

SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """`(x_train, y_train), (x_test, y_test)`: float (n, 13) and (n,), shuffled with seed."""
    arrays = load_npz(fetch("Boston housing", path, KERAS_ORIGIN + "boston_housing.npz", SHA256), ("x", "y"))
    return split_by_fraction(arrays["x"], arrays["y"], test_split, seed, "boston_housing")
