"""Where fit/evaluate/predict get their batches: arrays, a PyDataset or an iterator.

- `ArrayFeed`: in-memory arrays. The engine shuffles and gathers batches itself.
- `DatasetFeed`: a PyDataset (batches by index) or any iterable of `(x, y[, sample_weight])`
  batches. A Producer thread converts and queues batches while the engine trains.

Both keep Keras 3's epoch semantics (its EpochIterator): without steps_per_epoch an epoch
is one pass over the data; with it, epochs take that many batches from a stream of passes,
continuing the current pass, and an epoch that runs out of data ends early with a warning.
"""

import itertools
import math
import warnings

from axon import _core
from axon._numpy_on_first_use import numpy_on_first_use
from axon.layers._sizes import INT64_MAX
from axon.models import data as data_mod
from axon.models.producer import Producer, indexed_items
from axon.utils.py_dataset import PyDataset

np = numpy_on_first_use(globals())  # imports numpy on first use: `import axon` stays fast

_QUEUE_CLASSES = {"float32": "BatchQueue32", "float64": "BatchQueue64"}


def is_dataset(x):
    """A PyDataset, Sequence-like object or iterable of batches, rather than array data."""
    if isinstance(x, PyDataset):
        return True
    if x is None or isinstance(x, (np.ndarray, list, tuple, dict, str, bytes)) or hasattr(x, "__array__"):
        return False
    return hasattr(x, "__next__") or hasattr(x, "__iter__") or (hasattr(x, "__getitem__") and hasattr(x, "__len__"))


def check_steps(value, name, where="fit"):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{where}: {name} must be None or a positive integer, got {value!r}")
    if value > INT64_MAX:  # the engine counts steps in int64
        raise ValueError(f"{where}: {name}={value} does not fit the engine's 64-bit integers (at most 2**63 - 1)")
    return int(value)


class Cursor:
    """Position in the stream of passes over indexed data: (pass, batch within it), plus
    the steps the current epoch has run. Shuffling is keyed by the pass."""

    def __init__(self, batches_per_pass, steps_per_epoch):
        self.batches_per_pass = batches_per_pass
        self.steps_per_epoch = steps_per_epoch
        self.pass_, self.batch, self.epoch_step = 0, 0, 0
        self._fresh = True  # the first epoch starts pass `epoch` (initial_epoch)
        self._resumed = False

    @property
    def epoch_steps(self):
        return self.steps_per_epoch or self.batches_per_pass

    def begin_epoch(self, epoch):
        if self._resumed:  # restored mid-epoch: keep the saved position
            self._resumed = False
            return
        self.epoch_step = 0
        if self.steps_per_epoch is None or self._fresh:
            self.pass_, self.batch, self._fresh = epoch, 0, False  # one pass per epoch, keyed by it
        elif self.batch >= self.batches_per_pass:
            self.pass_, self.batch = self.pass_ + 1, 0  # the last epoch finished a pass

    def plan(self):
        """(pass, first batch, steps) for the rest of this epoch."""
        wanted = self.epoch_steps - self.epoch_step
        return self.pass_, self.batch, min(wanted, self.batches_per_pass - self.batch)

    def advance(self, steps):
        self.batch += steps
        self.epoch_step += steps

    def ran_out(self):
        return self.steps_per_epoch is not None and self.epoch_step < self.steps_per_epoch

    def state_after(self, steps):
        """The position once `steps` more batches of the current run are done."""
        return {"pass": self.pass_, "batch": self.batch + steps, "epoch_step": self.epoch_step + steps}

    def restore(self, state, mid_epoch):
        """Back to a saved position; mid_epoch: the next epoch continues the saved one."""
        self.pass_, self.batch, self.epoch_step = int(state["pass"]), int(state["batch"]), int(state["epoch_step"])
        self._resumed = bool(mid_epoch)
        self._fresh = False


class ArrayFeed:
    def __init__(self, model, x, y, sample_weight, batch_size, shuffle=False, steps_per_epoch=None):
        self.model, self.x, self.y, self.w = model, x, y, sample_weight
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.cursor = Cursor(math.ceil(x.shape[0] / batch_size), steps_per_epoch)

    @property
    def steps(self):
        return self.cursor.epoch_steps

    def train(self, epoch, **loop):
        """One epoch (or what is left of it); returns (logs, steps, stopped, interrupted)."""
        self.cursor.begin_epoch(epoch)
        pass_, first, steps = self.cursor.plan()
        result = self.model._core.fit_epoch(self.x, self.y, self.batch_size, self.shuffle, pass_, first, steps,
                                            sample_weight=self.w, **loop)
        self.cursor.advance(result[1])
        if self.cursor.ran_out() and not (result[2] or result[3]):
            _warn_ran_out(self.cursor.steps_per_epoch)
        return result

    def evaluate(self, steps=None, **loop):
        return self.model._core.evaluate(self.x, self.y, self.batch_size, -1 if steps is None else steps,
                                         sample_weight=self.w, **loop)

    def predict(self, steps=None):
        x = self.x if steps is None else self.x[: steps * self.batch_size]
        return self.model._core.predict(x, self.batch_size)


class DatasetFeed:
    """A PyDataset / Sequence-like object (by index) or an iterable of batches."""

    def __init__(self, model, data, role, shuffle=False, steps_per_epoch=None, class_weight=None):
        self.model, self.data, self.role = model, data, role  # role: "fit", "evaluate", "predict", ...
        self.shuffle = bool(shuffle)
        self.class_weight = class_weight
        self.indexed = isinstance(data, PyDataset) or (hasattr(data, "__getitem__") and hasattr(data, "__len__")
                                                       and not hasattr(data, "__next__"))
        if self.indexed:
            batches = data.num_batches if isinstance(data, PyDataset) else len(data)
            if batches is None and steps_per_epoch is None:
                raise ValueError(f"{role}: this PyDataset has no length (num_batches is None); pass steps_per_epoch")
            if batches == 0:
                raise ValueError(f"{role}: the dataset is empty (0 batches)")
            self.cursor = Cursor(batches or steps_per_epoch, steps_per_epoch)
        else:
            self.cursor = None
            self.steps_per_epoch = steps_per_epoch
            self._iterator = None
        self._peeked = []
        self._prepare()

    # ---------------------------------------------------------------- batches
    def _split(self, item):
        if isinstance(item, (tuple, list)) and 1 <= len(item) <= 3:
            return (tuple(item) + (None, None))[:3]
        return item, None, None

    def _prepare(self):
        """Builds the model from the first batch's shape (in this thread: the producer must
        not build) and keeps that batch to be served first."""
        if self.model._core is not None and (self.role == "predict" or self.model._core_compiled):
            return
        first = self._first_item()
        x, y, _ = self._split(first)
        if self.role == "predict" or y is None:
            self.model._inputs(x)
        else:
            self.model._xy(x, y)

    def _first_item(self):
        if self.indexed:
            return self.data[0]
        self._iterator = iter(self.data)
        try:
            item = next(self._iterator)
        except StopIteration:
            raise ValueError(f"{self.role}: the data iterator is empty") from None
        self._peeked = [item]
        return item

    def _convert(self, item):
        """(x, y, w) arrays as the engine reads them, checked like fit's array arguments."""
        x, y, w = self._split(item)
        if self.role == "predict":
            return self.model._inputs(x), None, None
        if y is None:
            raise ValueError(f"{self.role}: the dataset yielded a batch without targets; expected (x, y) or "
                             "(x, y, sample_weight)")
        if not self._ready_for_engine(x, y):
            x, y = self.model._xy(x, y)
        if self.class_weight is not None:
            if w is not None:
                raise ValueError("fit: class_weight cannot be combined with sample weights from the dataset")
            w = data_mod.class_weight_to_sample_weight(y, self.class_weight)
        return x, y, self.model._weights(w, x.shape[0], self.role)

    def _ready_for_engine(self, x, y):
        """Fast path (~1 us instead of ~10 per batch): x and y already arrays of the model's
        dtype and layout, with no NaN in the targets, need no conversion or reshaping."""
        m = self.model
        return (m._core_compiled and m._engine_ready(x) and type(y) is np.ndarray and y.dtype == x.dtype
                and y.flags.c_contiguous and y.shape == (x.shape[0], m._core.target_size)
                and not np.isnan(np.add.reduce(y, axis=None)))

    def _items(self, pass_, first, steps):
        if self.indexed:
            order = np.arange(self.cursor.batches_per_pass)
            if self.shuffle:
                order = np.random.default_rng([self.model._core.seed, pass_]).permutation(order)
            workers = getattr(self.data, "workers", 1)
            window = getattr(self.data, "max_queue_size", 10)
            return indexed_items(self.data, order[first:first + steps], workers, window)
        if self._iterator is None:
            self._iterator = iter(self.data)
        source = itertools.chain(self._peeked, self._iterator)
        self._peeked = []
        return (item for item in (source if steps < 0 else itertools.islice(source, steps)))

    def _run(self, method, pass_, first, steps, **loop):
        capacity = max(1, int(getattr(self.data, "max_queue_size", 10)))
        queue = getattr(_core, _QUEUE_CLASSES[self.model._dtype().name])(capacity)
        producer = Producer(queue, self._items(pass_, first, steps), self._convert)
        try:
            result = method(queue, steps, **loop)
        finally:
            producer.finish()
        return result

    # ---------------------------------------------------------------- loops
    @property
    def steps(self):
        return self.cursor.epoch_steps if self.indexed else self.steps_per_epoch

    def train(self, epoch, **loop):
        if not self.indexed:
            return self._train_iterator(epoch, **loop)
        self.cursor.begin_epoch(epoch)
        pass_, first, steps = self.cursor.plan()
        if first == 0 and hasattr(self.data, "on_epoch_begin"):
            self.data.on_epoch_begin()
        result = self._run(self.model._core.fit_queue, pass_, first, steps, **loop)
        self.cursor.advance(result[1])
        if self.cursor.batch >= self.cursor.batches_per_pass and hasattr(self.data, "on_epoch_end"):
            self.data.on_epoch_end()
        if self.cursor.ran_out() and not (result[2] or result[3]):
            _warn_ran_out(self.cursor.steps_per_epoch)
        return result

    def _train_iterator(self, epoch, **loop):
        steps = self.steps_per_epoch or -1  # -1: until the iterator is exhausted
        result = self._run(self.model._core.fit_queue, epoch, 0, steps, **loop)
        exhausted = steps < 0 or result[1] < steps
        if exhausted and not (result[2] or result[3]):
            if self.steps_per_epoch is not None or result[1] == 0:
                _warn_ran_out(self.steps_per_epoch)
            self._restart()
        return result

    def _restart(self):
        """After exhausting it: a re-iterable (a list of batches, a DataLoader) starts over next
        epoch; a one-shot iterator (a generator) stays exhausted, as in Keras."""
        if iter(self.data) is not self.data:
            self._iterator = None

    def evaluate(self, steps=None, **loop):
        total = self.cursor.batches_per_pass if self.indexed else -1
        result = self._run(self.model._core.evaluate_queue, 0, 0, steps or total, **loop)
        if not self.indexed:
            self._restart()
        return result

    def predict(self, steps=None):
        total = self.cursor.batches_per_pass if self.indexed else -1
        return self._run(self.model._core.predict_queue, 0, 0, steps or total)


def _warn_ran_out(steps_per_epoch):
    warnings.warn("Your input ran out of data; interrupting training. Make sure that your dataset or generator "
                  f"can generate at least `steps_per_epoch * epochs` batches (steps_per_epoch={steps_per_epoch}).",
                  stacklevel=3)
