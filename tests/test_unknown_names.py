"""Unknown names raise ValueError naming the unknown one and listing the valid names (all of
them, sorted), in every catalogue and where layers take activation=."""

import re

import pytest

import axon
from axon import activations, constraints, initializers, layers, losses, metrics, optimizers, regularizers

CASES = {  # module -> (call with an unknown name, several valid names the message must list)
    "activations": (lambda: activations.get("relux"), ["relu", "sigmoid", "softmax", "gelu", "swish"]),
    "losses": (lambda: losses.get("mse_typo"), ["mean_squared_error", "binary_crossentropy", "mse", "Huber"]),
    "metrics": (lambda: metrics.get("acuracy"), ["accuracy", "AUC", "Precision", "mse", "F1Score"]),
    "optimizers": (lambda: optimizers.get("adamm"), ["Adam", "SGD", "RMSprop", "AdamW"]),
    "initializers": (lambda: initializers.get("glorot"), ["glorot_uniform", "he_normal", "zeros", "Orthogonal"]),
    "regularizers": (lambda: regularizers.get("l3"), ["l1", "l2", "L1L2"]),
    "constraints": (lambda: constraints.get("max_norms"), ["max_norm", "non_neg", "unit_norm", "MinMaxNorm"]),
    "dense_activation": (lambda: layers.Dense(3, activation="relux"), ["relu", "tanh", "softplus"]),
    "activation_layer": (lambda: layers.Activation("relux"), ["relu", "tanh", "softplus"]),
    "compile_metric": (lambda: _compile(metrics=["acuracy"]), ["accuracy", "mae", "auc"]),
    "compile_loss": (lambda: _compile(loss="mse_typo"), ["mean_squared_error", "categorical_crossentropy"]),
    "compile_optimizer": (lambda: _compile(optimizer="adamm"), ["Adam", "SGD"]),
}
UNKNOWN = {"activations": "relux", "losses": "mse_typo", "metrics": "acuracy", "optimizers": "adamm",
           "initializers": "glorot", "regularizers": "l3", "constraints": "max_norms", "dense_activation": "relux",
           "activation_layer": "relux", "compile_metric": "acuracy", "compile_loss": "mse_typo",
           "compile_optimizer": "adamm"}


def _compile(loss="mse", optimizer="sgd", metrics=None):
    model = axon.Sequential([axon.Input((3,)), layers.Dense(2)])
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics)


def _listed(message):
    """The names after the message's last colon, comma separated."""
    return [n.strip().strip("'\"") for n in message.rsplit(":", 1)[1].split(",")]


@pytest.mark.parametrize("case", sorted(CASES))
def test_unknown_name_lists_valid_names(case):
    call, valid = CASES[case]
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    assert repr(UNKNOWN[case]) in message or UNKNOWN[case] in message
    listed = _listed(message)
    for name in valid:
        assert name in listed, (name, message)
    assert listed == sorted(listed), message


@pytest.mark.parametrize("module,names", [(activations, None), (losses, None), (metrics, None),
                                          (optimizers, None), (initializers, None), (regularizers, None),
                                          (constraints, None)], ids=lambda m: getattr(m, "__name__", ""))
def test_every_listed_name_is_accepted(module, names):
    """The list in the message is exactly the accepted names: each one resolves."""
    with pytest.raises(ValueError) as info:
        module.get("no_such_name")
    for name in _listed(str(info.value)):
        try:
            module.get(name)
        except ValueError as error:
            # Names that need arguments (threshold) say so, not "unknown".
            assert "unknown" not in str(error), (name, error)
        except TypeError:
            pass  # a class needing constructor arguments (e.g. Constant-like metrics)
