"""The Python half of streaming input: a thread that turns a dataset's batches into arrays
and pushes them into the engine's BatchQueue while the engine trains on earlier ones.

The engine holds no GIL while it trains, so this thread's Python work (calling the user's
generator or `__getitem__`, converting, checking) runs alongside it; the queue's push
waits, with the GIL released, while the queue is full.
"""

import itertools
import threading


class Producer:
    """Pushes `convert(item)` for each item of `items` (an iterator), then closes the queue.

    An exception raised by the dataset or by `convert` is kept and re-raised by `finish()` in
    the caller's thread, which is where the user expects to see it.
    """

    def __init__(self, queue, items, convert):
        self._queue = queue
        self._items = items
        self._convert = convert
        self._error = None
        self._thread = threading.Thread(target=self._run, name="axon-batch-producer", daemon=True)
        self._thread.start()

    def _run(self):
        try:
            for item in self._items:
                x, y, w = self._convert(item)
                if not self._queue.push(x, y, w):
                    return  # the engine stopped early (stop_training, Ctrl-C, an error)
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
            self._error = error
        finally:
            self._queue.close()
            # Our own generators (indexed_items) hold thread pools; a user's iterator is only
            # ever wrapped (islice), never closed, since later epochs continue it.
            close = getattr(self._items, "close", None)
            if close is not None:
                close()

    def finish(self):
        """Stops the thread (dropping what is queued) and re-raises its error, if any."""
        self._queue.cancel()
        self._thread.join()
        self._queue.release_finished()  # the arrays of batches the engine copied or never took
        if self._error is not None:
            raise self._error


def indexed_items(dataset, indices, workers, window):
    """dataset[i] for i in indices, in order; with workers > 1 up to `window` are fetched
    ahead by a thread pool (Keras' PyDataset workers)."""
    if workers <= 1:
        for i in indices:
            yield dataset[int(i)]
        return
    import concurrent.futures  # here, not at the top: it pulls in logging (~5 ms of `import axon`)

    with concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="axon-pydataset") as pool:
        pending = []
        indices = iter(indices)
        for i in itertools.islice(indices, window):
            pending.append(pool.submit(dataset.__getitem__, int(i)))
        while pending:
            item = pending.pop(0).result()
            for i in itertools.islice(indices, 1):
                pending.append(pool.submit(dataset.__getitem__, int(i)))
            yield item
