"""scikit-learn's own estimator checks on the four axon estimators."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from axon.wrappers import KerasClassifier, KerasRegressor, SKLearnClassifier, SKLearnRegressor
import pytest

from sk_models import keras3_mlp, keras3_regressor, mlp, one_engine_thread  # noqa: F401 (fixture)

# Few epochs keep the ~200 checks fast; lr 0.02 (sk_models) still fits their toy problems.
FIT = {"epochs": 20, "batch_size": 16, "verbose": 0}
ESTIMATORS = [
    KerasClassifier(model=mlp, **FIT),
    KerasRegressor(model=mlp, **FIT),
    SKLearnClassifier(model=keras3_mlp, fit_kwargs=FIT),
    SKLearnRegressor(model=keras3_regressor, fit_kwargs=FIT),
]


def expected_failures(estimator):
    return {}


@pytest.mark.usefixtures("one_engine_thread")
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_check(estimator, check):
    check(estimator)
