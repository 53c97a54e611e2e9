"""Model functions the wrapper tests share; module-level so estimators pickle and
cross_val_score(n_jobs=2) can ship them to worker processes."""

import axon
from axon import Sequential
from axon.layers import Dense, Input


def mlp(meta, units=16, lr=0.02):
    """scikeras style: sizes itself from meta."""
    n_out = meta["n_outputs_expected_"]
    if meta["target_type_"] in ("continuous", "continuous-multioutput"):
        act, loss = "linear", "mean_squared_error"
    elif n_out == 1 or meta["target_type_"] == "multilabel-indicator":
        act, loss = "sigmoid", "binary_crossentropy"
    else:
        act, loss = "softmax", "categorical_crossentropy"
    model = Sequential([Input((meta["n_features_in_"],)), Dense(units, activation="relu"), Dense(n_out, activation=act)])
    model.compile(optimizer=axon.optimizers.Adam(lr), loss=loss)
    return model


def keras3_mlp(X, y, units=16, lr=0.02, classify=True):
    """Keras 3 style: sizes itself from X and (one-hot) y, seeds itself."""
    axon.utils.set_random_seed(0)
    act = "softmax" if classify else "linear"
    loss = "categorical_crossentropy" if classify else "mean_squared_error"
    model = Sequential([Input((X.shape[1],)), Dense(units, activation="relu"), Dense(y.shape[1], activation=act)])
    model.compile(optimizer=axon.optimizers.Adam(lr), loss=loss)
    return model


def keras3_regressor(X, y, units=16, lr=0.02):
    return keras3_mlp(X, y, units, lr, classify=False)
