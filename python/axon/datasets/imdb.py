"""IMDB movie-review sentiment, as `keras.datasets.imdb` returns it: reviews as lists of
word indices (most frequent word = 1, shifted by index_from), labels 0/1."""

import numpy as np

from axon.datasets import _sequences as seq
from axon.datasets._fetch import KERAS_ORIGIN, fetch
from axon.datasets._pickled import load_npz

SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_MD5 = "bfafd718b763782e994055a2d397834f"


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2,
              index_from=3, **kwargs):
    """`(x_train, y_train), (x_test, y_test)`: 25000 reviews each; x are object arrays of
    lists of ints, y int arrays of 0/1. Arguments as in Keras."""
    if kwargs:
        raise TypeError(f"imdb.load_data: unexpected argument(s) {', '.join(sorted(kwargs))}")
    seq.check_common("imdb", num_words, skip_top, maxlen)
    arrays = load_npz(fetch("IMDB", path, KERAS_ORIGIN + "imdb.npz", SHA256),
                      ("x_train", "y_train", "x_test", "y_test"))
    (x_train, y_train), (x_test, y_test) = seq.shuffle(seed, (arrays["x_train"], arrays["y_train"]),
                                                       (arrays["x_test"], arrays["y_test"]))
    x_train, x_test = seq.shift(x_train, start_char, index_from), seq.shift(x_test, start_char, index_from)
    if maxlen:
        x_train, y_train = seq.remove_long(maxlen, x_train, y_train)
        x_test, y_test = seq.remove_long(maxlen, x_test, y_test)
        if not x_train or not x_test:
            raise ValueError(f"imdb.load_data: no sequence is shorter than maxlen={maxlen}; increase maxlen")
    xs = seq.limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    n = len(x_train)
    return ((seq.as_object_array(xs[:n]), np.asarray(y_train)),
            (seq.as_object_array(xs[n:]), np.asarray(y_test)))


def get_word_index(path="imdb_word_index.json"):
    """{word: index} (1 = most frequent); add index_from to match load_data's sequences."""
    return seq.read_word_index(fetch("IMDB word index", path, KERAS_ORIGIN + "imdb_word_index.json",
                                     WORD_INDEX_MD5))
