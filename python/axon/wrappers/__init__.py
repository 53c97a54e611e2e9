"""scikit-learn estimators around axon models, as `keras.wrappers` and scikeras provide.

    from axon.wrappers import KerasClassifier          # scikeras / course spelling
    from axon.wrappers import SKLearnClassifier        # Keras 3 spelling

Both families share one implementation (base.py); they differ only in how their
parameters reach the model-building function, `compile` and `fit`.
"""

from axon.wrappers.scikeras import KerasClassifier, KerasRegressor
from axon.wrappers.sklearn_wrapper import SKLearnClassifier, SKLearnRegressor

__all__ = ["KerasClassifier", "KerasRegressor", "SKLearnClassifier", "SKLearnRegressor"]
