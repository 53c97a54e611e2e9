"""Reuters newswire topics, as `keras.datasets.reuters` returns them: 11228 wires as lists
of word indices, labelled with 46 topics."""

import numpy as np

from axon.datasets import _sequences as seq
from axon.datasets._fetch import KERAS_ORIGIN, check_test_split, fetch
from axon.datasets._pickled import load_npz

SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_MD5 = "4d44cc38712099c9e383dc6e5f11a921"
LABELS = ("cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee",
          "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx",
          "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock",
          "retail", "ipi", "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
          "dlr", "gas", "silver", "wpi", "hog", "lead")


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113,
              start_char=1, oov_char=2, index_from=3):
    """`(x_train, y_train), (x_test, y_test)`: object arrays of lists of ints and int
    topic labels in 0..45; the last `test_split` of the shuffled wires are the test set."""
    seq.check_common("reuters", num_words, skip_top, maxlen)
    check_test_split("reuters", test_split)
    arrays = load_npz(fetch("Reuters", path, KERAS_ORIGIN + "reuters.npz", SHA256), ("x", "y"))
    [(xs, labels)] = seq.shuffle(seed, (arrays["x"], arrays["y"]))
    xs = seq.shift(xs, start_char, index_from)
    if maxlen:
        xs, labels = seq.remove_long(maxlen, xs, labels)
    xs = seq.limit_vocabulary(xs, num_words, skip_top, oov_char)
    cut = int(len(xs) * (1 - test_split))
    return ((seq.as_object_array(xs[:cut]), np.asarray(labels[:cut])),
            (seq.as_object_array(xs[cut:]), np.asarray(labels[cut:])))


def get_word_index(path="reuters_word_index.json"):
    """{word: index}; add index_from to match load_data's sequences."""
    return seq.read_word_index(fetch("Reuters word index", path, KERAS_ORIGIN + "reuters_word_index.json",
                                     WORD_INDEX_MD5))


def get_label_names():
    """The 46 topic names, indexed like the labels."""
    return LABELS
