"""LeNet-5 (LeCun et al., 1998) on MNIST, in its common Keras form: 5x5 convolutions with
average pooling ("subsampling") and tanh, then 120-84-10 dense layers.

    AXON_DATA_DIR=../shared/data python examples/mnist_lenet5.py [epochs]
"""

import sys

import numpy as np

import axon as keras
from axon import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(6, 5, padding="same", activation="tanh"),  # C1: 28x28x6 (the paper pads 28 to 32)
    layers.AveragePooling2D(2),                               # S2: 14x14x6
    layers.Conv2D(16, 5, activation="tanh"),                  # C3: 10x10x16
    layers.AveragePooling2D(2),                               # S4: 5x5x16
    layers.Flatten(),
    layers.Dense(120, activation="tanh"),                     # C5
    layers.Dense(84, activation="tanh"),                      # F6
    layers.Dense(10, activation="softmax"),
])
model.summary()

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=epochs, validation_split=0.1)
print(f"Test accuracy: {model.evaluate(x_test, y_test, verbose=0)[1]:.4f}")
