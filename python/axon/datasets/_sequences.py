"""The word-index sequence treatment imdb and reuters share, with Keras' rules: shuffle
with RandomState(seed), mark starts, shift indices, drop long sequences, replace rare
(>= num_words) and too-frequent (< skip_top) words by oov_char."""

import json

import numpy as np


def shuffle(seed, *groups):
    """Shuffles each (xs, labels) group with one RandomState, in order, as Keras does."""
    rng = np.random.RandomState(seed)
    out = []
    for xs, labels in groups:
        indices = np.arange(len(xs))
        rng.shuffle(indices)
        out.append((xs[indices], labels[indices]))
    return out


def shift(xs, start_char, index_from):
    if start_char is not None:
        return [[start_char] + [int(w) + index_from for w in x] for x in xs]
    return [[int(w) + index_from for w in x] for x in xs]


def remove_long(maxlen, xs, labels):
    keep = [i for i, x in enumerate(xs) if len(x) < maxlen]
    return [xs[i] for i in keep], labels[keep]


def limit_vocabulary(xs, num_words, skip_top, oov_char):
    if not num_words:
        num_words = max((max(x) for x in xs if len(x)), default=0)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def as_object_array(xs):
    """Ragged sequences as a 1-D object array of lists (what tf.keras returned)."""
    out = np.empty(len(xs), dtype=object)
    out[:] = xs
    return out


def check_common(who, num_words, skip_top, maxlen):
    for name, value in (("num_words", num_words), ("maxlen", maxlen)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1):
            raise ValueError(f"{who}.load_data: {name} must be None or a positive integer, got {value!r}")
    if isinstance(skip_top, bool) or not isinstance(skip_top, (int, np.integer)) or skip_top < 0:
        raise ValueError(f"{who}.load_data: skip_top must be a non-negative integer, got {skip_top!r}")


def read_word_index(path):
    with open(path, encoding="utf8") as f:
        try:
            index = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: not a valid JSON word index ({e})") from e
    if not isinstance(index, dict):
        raise ValueError(f"{path}: expected a JSON object mapping words to indices")
    return index
