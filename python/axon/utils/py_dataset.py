"""PyDataset (Keras 3's `keras.utils.PyDataset`, formerly `Sequence`): batches by index.

Subclasses implement `__len__` (batches per epoch) and `__getitem__(index)` returning
`(x, y)` or `(x, y, sample_weight)` (or `x` alone for predict). fit() reads them on a
background thread, `workers` at a time, and queues up to `max_queue_size` batches for the
engine, so producing batch k+1 in Python overlaps training on batch k in C++.
"""

import numbers


class PyDataset:
    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        for name, value in (("workers", workers), ("max_queue_size", max_queue_size)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(f"PyDataset: {name} must be a positive integer, got {value!r}")
        self._workers = int(workers)
        # Worker processes would each need a pickled copy of the dataset; axon's workers are
        # threads either way (NumPy releases the GIL for most batch-building work).
        self._use_multiprocessing = bool(use_multiprocessing)
        self._max_queue_size = int(max_queue_size)

    @property
    def workers(self):
        return getattr(self, "_workers", 1)  # subclasses that forget super().__init__() still work

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        return getattr(self, "_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        return getattr(self, "_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__(index)")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must implement __len__() (batches per epoch)")

    @property
    def num_batches(self):
        """Batches per epoch; None for an endless dataset (then fit needs steps_per_epoch)."""
        try:
            return len(self)
        except NotImplementedError:
            return None

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass


Sequence = PyDataset  # Keras 3 keeps the old name as an alias
