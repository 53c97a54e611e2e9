"""The `keras` fixture: real Keras 3 on its torch backend, for tests that compare with it.
Import it into a test module (`from keras_torch import keras`)."""

import os

import pytest


@pytest.fixture(scope="module")
def keras():
    # The backend is chosen at keras' first import; set it only for that import so the
    # rest of the suite's environment is left as it was.
    previous = os.environ.get("KERAS_BACKEND")
    os.environ["KERAS_BACKEND"] = "torch"
    try:
        keras = pytest.importorskip("keras")
    finally:
        if previous is None:
            os.environ.pop("KERAS_BACKEND", None)
        else:
            os.environ["KERAS_BACKEND"] = previous
    if keras.backend.backend() != "torch":
        pytest.skip(f"keras was already imported with the {keras.backend.backend()} backend")
    return keras
