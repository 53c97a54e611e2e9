"""Fashion-MNIST, as `keras.datasets.fashion_mnist.load_data()` returns it: 28x28 grayscale
images of 10 kinds of clothing, in MNIST's IDX format and shapes."""

from axon.datasets import mnist
from axon.datasets._fetch import KERAS_ORIGIN, fetch

SUBDIR = "fashion-mnist"
# Keras' sha256 of each file, so a corrupted transfer or a planted cache entry is refused.
FILES = {
    "x_train": ("train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
    "y_train": ("train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
    "x_test": ("t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
    "y_test": ("t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
}


def load_data():
    """`(x_train, y_train), (x_test, y_test)`: uint8 (60000, 28, 28), uint8 (60000,) in
    0..9, uint8 (10000, 28, 28), uint8 (10000,)."""
    arrays = {}
    for key, (fname, sha256) in FILES.items():
        path = fetch("Fashion-MNIST", f"{SUBDIR}/{fname}", KERAS_ORIGIN + fname, sha256)
        magic = mnist._IMAGES_MAGIC if key.startswith("x") else mnist._LABELS_MAGIC
        arrays[key] = mnist.read_idx(path, magic)
    for split in ("train", "test"):
        if len(arrays["x_" + split]) != len(arrays["y_" + split]):
            raise ValueError(f"Fashion-MNIST: {FILES['x_' + split][0]} has {len(arrays['x_' + split])} images but "
                             f"{FILES['y_' + split][0]} has {len(arrays['y_' + split])} labels")
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
