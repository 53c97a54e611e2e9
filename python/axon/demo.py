"""`python -m axon.demo`: the course's MNIST model, end to end.

Prints the summary, the progress bar and the test accuracy. Where MNIST cannot be had
(no $AXON_DATA_DIR/mnist, no cache, no network) it trains on scikit-learn's bundled 8x8
digits instead and says so.
"""

import argparse

import numpy as np

import axon


def load_data():
    """((x_train, y_train), (x_test, y_test), name), pixels scaled to [0, 1]."""
    try:
        (x_train, y_train), (x_test, y_test) = axon.datasets.mnist.load_data()
        return (x_train / 255.0, y_train), (x_test / 255.0, y_test), "MNIST"
    except OSError as e:
        print(f"{e}\nTraining on scikit-learn's digits (8x8) instead of MNIST.")
    from sklearn.datasets import load_digits

    digits = load_digits()
    x, y = digits.images / 16.0, digits.target
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    split = int(0.8 * len(x))
    return (x[:split], y[:split]), (x[split:], y[split:]), "digits"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args(argv)

    axon.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test), name = load_data()
    model = axon.Sequential([
        axon.layers.Flatten(input_shape=x_train.shape[1:]),
        axon.layers.Dense(128, activation="relu"),
        axon.layers.Dense(10, activation="softmax"),
    ])
    model.summary()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, axon.utils.to_categorical(y_train, 10), epochs=args.epochs, batch_size=args.batch_size)
    loss, accuracy = model.evaluate(x_test, axon.utils.to_categorical(y_test, 10), verbose=0)
    print(f"Test accuracy on {name}: {accuracy:.4f} (loss {loss:.4f})")
    return accuracy


if __name__ == "__main__":
    main()
