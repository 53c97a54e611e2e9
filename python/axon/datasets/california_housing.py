"""California housing prices, as `keras.datasets.california_housing.load_data()` returns
them: 20640 districts (600 with version="small"), 8 features, price in dollars."""

from axon.datasets._fetch import KERAS_ORIGIN, check_test_split, fetch, split_by_fraction
from axon.datasets._pickled import load_npz

SHA256 = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """`(x_train, y_train), (x_test, y_test)`: float (n, 8) and (n,), shuffled with seed."""
    if version not in ("small", "large"):
        raise ValueError(f"california_housing.load_data: version must be 'small' or 'large', got {version!r}")
    check_test_split("california_housing", test_split)  # before the download
    arrays = load_npz(fetch("California housing", path, KERAS_ORIGIN + "california_housing.npz", SHA256),
                      ("x", "y"))
    x, y = arrays["x"], arrays["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return split_by_fraction(x, y, test_split, seed, "california_housing")
