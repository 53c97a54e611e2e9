"""Every catalogue object's config survives JSON: serialize -> json -> deserialize -> serialize."""

import json

import pytest

from axon import constraints, initializers, losses, metrics, optimizers, regularizers
from axon.optimizers import schedules


CASES = (
    [(optimizers, cls()) for cls in optimizers._ALL]
    + [(optimizers, optimizers.SGD(schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2, 0.3]), momentum=0.5,
                                   clipnorm=1.0)),
       (optimizers, optimizers.Adam(schedules.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=5))),
       (optimizers, optimizers.AdamW(schedules.ExponentialDecay(0.1, 10, 0.9), weight_decay=0.01))]
    + [(losses, cls()) for cls in losses._CLASSES.values()]
    + [(losses, losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1))]
    + [(metrics, cls()) for cls in metrics._CLASSES.values()]
    + [(metrics, metrics.AUC(num_thresholds=50, curve="PR")), (metrics, metrics.Precision(thresholds=[0.3, 0.7]))]
    + [(initializers, cls()) for cls in set(initializers._CLASSES.values())]
    + [(initializers, initializers.VarianceScaling(2.0, "fan_avg", "uniform", seed=3))]
    + [(regularizers, regularizers.L1L2(0.1, 0.2)), (regularizers, regularizers.L1(0.3)),
       (regularizers, regularizers.L2(0.4)), (regularizers, regularizers.OrthogonalRegularizer(0.5, "columns"))]
    + [(constraints, constraints.MaxNorm(3.0, axis=1)), (constraints, constraints.MinMaxNorm(0.5, 2.0, 0.9)),
       (constraints, constraints.NonNeg()), (constraints, constraints.UnitNorm(axis=[0, 1]))]
)


@pytest.mark.parametrize("module, obj", CASES, ids=lambda v: type(v).__name__)
def test_config_round_trips_through_json(module, obj):
    config = json.loads(json.dumps(module.serialize(obj)))
    again = module.deserialize(config)
    assert type(again) is type(obj)
    assert json.loads(json.dumps(module.serialize(again))) == config
