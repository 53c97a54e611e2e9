"""save_freq as ModelCheckpoint and BackupAndRestore take it: 'epoch', or every N batches
counted across epochs (Keras 3)."""


def check_save_freq(owner, save_freq):
    if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq < 1):
        raise ValueError(f"{owner}: save_freq must be 'epoch' or a positive integer (batches), got {save_freq!r}")
    return save_freq


class BatchCountdown:
    """True once every `n` calls of `tick()`; the count runs on across epochs."""

    def __init__(self, n):
        self.n, self.seen = n, 0

    def tick(self):
        self.seen += 1
        if self.seen < self.n:
            return False
        self.seen = 0
        return True
