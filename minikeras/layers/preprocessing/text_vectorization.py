"""`TextVectorization`: strings to token-index sequences or bag-of-words encodings."""

import re

import numpy as np

from .data_layer import DataLayer, as_text, to_numpy
from .index_lookup import _listify
from .string_lookup import StringLookup

_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")
# TensorFlow lowercases ASCII letters only, strips the 32 ASCII punctuation marks (Keras's
# regex), and splits on ASCII whitespace: "Ä", "“" and a no-break space are kept as they are
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_STRIP = str.maketrans("", "", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_WHITESPACE = re.compile("[ \t\n\v\f\r]+")


class TextVectorization(DataLayer):
    """Standardizes, splits and n-grams strings, then maps the tokens to vocabulary indices.

    Steps: 1. standardize each string (default: ASCII lowercase and strip ASCII punctuation);
    2. split it into tokens (default: on whitespace); 3. add n-grams joined by spaces;
    4. look the tokens up in a vocabulary given or learnt by `adapt()` (index 0 is padding,
    1 is OOV); 5. output `"int"` sequences (padded with 0 to the longest one, or to
    `output_sequence_length`) or one `"multi_hot"` / `"count"` / `"tf_idf"` row per string.

    Args:
        max_tokens: the largest vocabulary size, padding and OOV slots included.
        standardize: `"lower_and_strip_punctuation"`, `"lower"`, `"strip_punctuation"`, None,
            or a callable taking and returning a numpy array of `str`.
        split: `"whitespace"`, `"character"`, None, or a callable taking a 1-D numpy array of
            `str` and returning one token list per string.
        ngrams: None, an int n (all n-grams up to n) or a tuple of n-gram widths.
        output_mode: `"int"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        output_sequence_length: pad or truncate `"int"` outputs to this length.
        pad_to_max_tokens: encode to `max_tokens` slots whatever the vocabulary size.
        vocabulary: a list / array of strings or the path of a file with one per line.
        idf_weights: the IDF weights for `"tf_idf"` mode with a given vocabulary.
        sparse, ragged: must be False (minikeras has neither sparse nor ragged tensors).
        encoding: the text encoding of bytes inputs.

    >>> import minikeras as keras
    >>> layer = keras.layers.TextVectorization(output_sequence_length=4)
    >>> layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    >>> layer([["foo qux bar"], ["qux baz"]]).numpy()
    array([[4, 1, 3, 0],
           [1, 2, 0, 0]])
    """

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode="int",
        output_sequence_length=None,
        pad_to_max_tokens=False,
        vocabulary=None,
        idf_weights=None,
        sparse=False,
        ragged=False,
        encoding="utf-8",
        name=None,
        **kwargs,
    ):
        if sparse or ragged:
            raise ValueError(
                "TextVectorization: `sparse=True` and `ragged=True` need sparse or "
                "ragged tensors, which minikeras does not have (Keras allows them "
                f"on TensorFlow only). Received: sparse={sparse}, ragged={ragged}"
            )
        for arg, value, allowed in (
            ("standardize", standardize, _STANDARDIZE),
            ("split", split, _SPLIT),
        ):
            if not (value is None or callable(value) or value in allowed):
                raise ValueError(
                    f"Unknown value for argument `{arg}` of TextVectorization: "
                    f"expected one of {allowed}, None or a callable. "
                    f"Received: {arg}={value!r}"
                )
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        modes = ("int", "one_hot", "multi_hot", "count", "tf_idf")
        if output_mode not in modes:
            raise ValueError(
                f"Unknown value for argument `output_mode` of TextVectorization: "
                f"expected one of {modes}. Received: output_mode={output_mode!r}"
            )
        if not (
            ngrams is None
            or isinstance(ngrams, int)
            or (isinstance(ngrams, tuple) and all(isinstance(n, int) for n in ngrams))
        ):
            raise ValueError(
                f"`ngrams` must be None, an integer, or a tuple of integers. "
                f"Received: ngrams={ngrams}"
            )
        if output_mode == "int" and not (
            output_sequence_length is None or isinstance(output_sequence_length, int)
        ):
            raise ValueError(
                f"`output_sequence_length` must be either None or an integer when "
                f"`output_mode` is 'int'. Received: "
                f"output_sequence_length={output_sequence_length}"
            )
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(
                f"`output_sequence_length` must not be set if `output_mode` is not "
                f"'int'. Received output_sequence_length={output_sequence_length}."
            )
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._standardize, self._split, self._ngrams_arg = standardize, split, ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._output_mode, self._output_sequence_length = output_mode, output_sequence_length
        self._encoding, self._ragged = encoding, ragged
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            has_input_vocabulary=has_input_vocabulary,
            encoding=encoding,
            vocabulary_size=vocabulary_size,
        )

    # -- text processing -----------------------------------------------------------------------
    def _preprocess(self, inputs):
        """Strings -> a list of token lists (one per string) or, without `split`, an array."""
        text = as_text(to_numpy(inputs), self._encoding)
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            text = np.vectorize(lambda s: s.translate(_LOWER), otypes=[str])(text)
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            text = np.vectorize(lambda s: s.translate(_STRIP), otypes=[str])(text)
        if callable(self._standardize):
            text = as_text(np.asarray(self._standardize(text)), self._encoding)
        if self._split is None:
            tokens = text
        else:
            if text.ndim > 1:
                if text.shape[-1] != 1:
                    raise ValueError(
                        "When using `TextVectorization` to tokenize strings, the input rank must "
                        "be 1 or the last shape dimension must be 1. Received: "
                        f"inputs.shape={text.shape} with rank={text.ndim}"
                    )
                text = text[..., 0]
            if self._split == "whitespace":
                rows = [[t for t in _WHITESPACE.split(s) if t] for s in text.reshape(-1).tolist()]
            elif self._split == "character":
                rows = [list(s) for s in text.reshape(-1).tolist()]
            else:
                rows = [
                    [str(t) for t in to_numpy(r).tolist()] if not isinstance(r, str) else [r]
                    for r in self._split(text.reshape(-1))
                ]
            tokens = rows if text.ndim else rows[0]
            self._scalar = text.ndim == 0
        if self._ngrams is not None:
            tokens = self._add_ngrams(tokens)
        return tokens

    def _add_ngrams(self, tokens):
        def grams(row):
            out = []
            for n in self._ngrams:
                out += [" ".join(row[i : i + n]) for i in range(len(row) - n + 1)]
            return out

        if isinstance(tokens, np.ndarray):
            rows = tokens.reshape(-1, tokens.shape[-1]) if tokens.ndim else tokens.reshape(1, 1)
            return [grams(r) for r in rows.tolist()]
        if tokens and isinstance(tokens[0], list):
            return [grams(r) for r in tokens]
        return grams(tokens)

    def _padded(self, tokens):
        """Token lists as a rectangular string array, padded with the mask token ""."""
        if isinstance(tokens, np.ndarray):
            return tokens
        if not tokens or not isinstance(tokens[0], list):
            return np.array(tokens, dtype=str).reshape(-1)
        width = max((len(r) for r in tokens), default=0)
        out = np.full((len(tokens), width), "", dtype=object)
        for i, r in enumerate(tokens):
            out[i, : len(r)] = r
        return out.astype(str) if out.size else np.zeros(out.shape, dtype=str)

    # -- adapt ---------------------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary from `data`: an array or list of strings (one batch), or an
        iterable of batches; tokens ordered by count, then by token, both high to low."""

        def one_batch():
            if isinstance(data, (list, tuple, np.ndarray, str)) or hasattr(data, "data"):
                batch = to_numpy(data)
                return batch.reshape(-1, 1) if batch.ndim == 1 else batch
            return None

        self._adapt_batches(data, steps, one_batch)

    def update_state(self, data):
        tokens = self._padded(self._preprocess(data))
        self._lookup_layer.update_state(tokens)

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary ("" padding and "[UNK]" first unless `include_special_tokens=False`)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Replaces the vocabulary (and IDF weights in `"tf_idf"` mode); see `StringLookup`."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # -- call ----------------------------------------------------------------------------------
    def call(self, inputs):
        self._scalar = False
        tokens = self._preprocess(inputs)
        padded = self._padded(tokens)
        if self._split is None and self._output_mode != "int" and padded.ndim == 1:
            padded = padded.reshape(-1, 1)
        if self._split is not None and self._scalar and self._output_mode != "int":
            padded = padded.reshape(1, -1)
        out = self._lookup_layer.call(padded)
        if self._split is not None and self._scalar and self._output_mode != "int":
            out = out[0]
        length = self._output_sequence_length
        if self._output_mode == "int" and length is not None:
            out = out[..., :length]
            pad = [(0, 0)] * (out.ndim - 1) + [(0, length - out.shape[-1])]
            out = np.pad(out, pad)
        return out

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self._output_mode == "int":
            if self._split is None:
                return input_shape
            return (input_shape[0] if input_shape else None, self._output_sequence_length)
        if self._split is None:
            shape = input_shape + (1,) if len(input_shape) <= 1 else input_shape
        else:
            shape = input_shape + (None,)
        return self._lookup_layer.compute_output_shape(shape)

    def output_dtype_for(self, input_dtype):
        return self._lookup_layer.output_dtype_for(input_dtype)

    # -- saving --------------------------------------------------------------------------------
    def get_config(self):
        lookup = self._lookup_layer
        return {
            **super().get_config(),
            "max_tokens": lookup.max_tokens,
            "standardize": self._standardize,
            "split": self._split,
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": lookup.pad_to_max_tokens,
            "sparse": lookup.sparse,
            "ragged": self._ragged,
            "vocabulary": _listify(lookup.input_vocabulary),
            "idf_weights": _listify(lookup.input_idf_weights),
            "encoding": self._encoding,
            "vocabulary_size": self.vocabulary_size(),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)

    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)
