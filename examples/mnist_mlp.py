"""The course's first network: an MLP on MNIST, written exactly as for Keras.

    AXON_DATA_DIR=../shared/data python examples/mnist_mlp.py
"""

import axon as keras
from axon.layers import Dense, Flatten
from axon.utils import to_categorical

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0

model = keras.Sequential([
    Flatten(input_shape=(28, 28)),
    Dense(128, activation="relu"),
    Dense(10, activation="softmax"),
])
model.summary()
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, to_categorical(y_train), epochs=5, batch_size=32, validation_split=0.1)
loss, accuracy = model.evaluate(x_test, to_categorical(y_test), verbose=0)
print(f"Test accuracy: {accuracy:.4f}")
