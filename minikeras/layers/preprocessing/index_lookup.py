"""`IndexLookup`: the vocabulary table behind `StringLookup` and `IntegerLookup` (as in Keras,
a base class that is not exported).

Index layout (Keras's): in `"int"` mode the mask token (if any) is index 0, then
`num_oov_indices` OOV slots, then the vocabulary; other modes have no mask slot and drop mask
tokens. `adapt` orders tokens by count, high to low, ties by the token itself, high to low.
"""

import collections
import os

import numpy as np

from ... import config as _config
from ...core.scopes import in_symbolic_scope
from .data_layer import DataLayer, encode_categorical, to_numpy
from .hash_utils import hash_buckets, salt_pair
from .string_arrays import MIN_SIZE, StringTable, unique_inverse, value_counts

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def _listify(x):
    return x.tolist() if isinstance(x, np.ndarray) else (list(x) if isinstance(x, tuple) else x)


class RaggedRows(list):
    """Rows of different lengths: a Python list of lists standing in for `tf.ragged.constant`
    (minikeras has no ragged tensors)."""


def ragged_rows(x):
    """`RaggedRows` of `x` when it is a list of sequences of different lengths, else None."""
    if isinstance(x, (list, tuple)) and len(x) > 1:
        if (
            all(isinstance(r, (list, tuple, np.ndarray)) for r in x)
            and len({len(r) for r in x}) > 1
        ):
            return RaggedRows(np.asarray(r) for r in x)
    return None


class IndexLookup(DataLayer):
    """Maps tokens to indices (or back, with `invert=True`); see `StringLookup`."""

    def __init__(
        self,
        max_tokens,
        num_oov_indices,
        mask_token,
        oov_token,
        vocabulary_dtype,
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        name=None,
        salt=None,
        **kwargs,
    ):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}"
            )
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(
                f"If pad_to_max_tokens is True, must set `max_tokens`. "
                f"Received: max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                f"`num_oov_indices` must be greater than or equal to 0. "
                f"Received: num_oov_indices={num_oov_indices}"
            )
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(
                f"`oov_method` must be 'floormod' or 'farmhash'. Received: oov_method={oov_method}"
            )
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in _MODES:
            raise ValueError(
                f"Unknown value for argument `output_mode` of "
                f"{type(self).__name__}: expected one of {_MODES}. "
                f"Received: output_mode={output_mode!r}"
            )
        if invert and output_mode != "int":
            raise ValueError(
                f"`output_mode` must be `'int'` when `invert` is true. "
                f"Received: output_mode={output_mode}"
            )
        if sparse:
            raise ValueError(
                f"{type(self).__name__}: `sparse=True` needs sparse tensors, which "
                "minikeras does not have (Keras allows it on TensorFlow only)."
            )
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                f"`idf_weights` should only be set if `output_mode` is `'tf_idf'`. "
                f"Received: idf_weights={idf_weights} and "
                f"output_mode={output_mode}"
            )
        salt = salt_pair(salt, type(self).__name__)
        self._frozen_vocab_size = kwargs.pop("vocabulary_size", None)
        self._has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)  # Keras keeps the default policy: the output dtype is fixed
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name)
        self.invert, self.max_tokens, self.num_oov_indices = invert, max_tokens, num_oov_indices
        self.mask_token, self.oov_token, self.output_mode = mask_token, oov_token, output_mode
        self.sparse, self.pad_to_max_tokens = sparse, pad_to_max_tokens
        self.vocabulary_dtype, self.oov_method, self.salt = vocabulary_dtype, oov_method, salt
        # a vocabulary given as a file path is not kept in the config (Keras saves it as an asset)
        self.input_vocabulary = None if isinstance(vocabulary, str) else vocabulary
        self.input_idf_weights = idf_weights
        self.idf_weights = None
        self._tokens = []
        self._table = {}
        self._has_vocabulary = False  # set by adapt / set_vocabulary / `vocabulary=` / assets
        if output_mode == "tf_idf" and self._has_input_vocabulary and idf_weights is None:
            raise ValueError(
                "When specifying the `vocabulary` argument, in TF-IDF output mode, "
                "the `idf_weights` argument must also be provided."
            )
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.reset_state()

    # -- indices -------------------------------------------------------------------------------
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def _prepare(self, values):
        """Input values as an array comparable with the vocabulary's tokens."""
        return np.asarray(values)

    def vocabulary_size(self):
        """The number of indices, mask and OOV slots included."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary, index `i` holding the token that maps to `i` (mask and OOV slots
        included unless `include_special_tokens=False`)."""
        vocab = [self.oov_token] * self._token_start_index() + list(self._tokens)
        if self._oov_start_index():
            vocab[0] = self.mask_token
        return vocab if include_special_tokens else vocab[self._token_start_index() :]

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Replaces the vocabulary (and the IDF weights in `"tf_idf"` mode).

        Args:
            vocabulary: a list / tuple / 1-D array of tokens, or the path of a text file with one
                token per line. It may start with the mask and OOV tokens in their slots.
            idf_weights: one weight per token, required in `"tf_idf"` mode only.
        """
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(
                f"`idf_weights` should only be set if output_mode is `'tf_idf'`. "
                f"Received: output_mode={self.output_mode} and "
                f"idf_weights={idf_weights}"
            )
        if isinstance(vocabulary, str):
            if not os.path.exists(vocabulary):
                raise ValueError(f"Vocabulary file {vocabulary} does not exist.")
            if self.output_mode == "tf_idf":
                raise ValueError(
                    "output_mode `'tf_idf'` does not support loading a vocabulary from file."
                )
            with open(vocabulary, encoding=getattr(self, "encoding", "utf-8")) as f:
                lines = f.read().splitlines()
            while lines and lines[-1] == "":
                lines.pop()
            vocabulary = lines
        values = to_numpy(vocabulary)
        if np.size(values) == 0:  # before the dtype check: [] is a float array to numpy
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        tokens = list(self._prepare(values).tolist())
        start = self._token_start_index()
        special = [self.mask_token] * self._oov_start_index() + [self.oov_token] * (
            self.num_oov_indices
        )
        found_special = tokens[:start] == special
        if found_special:
            tokens = tokens[start:]
        repeated = [t for t, n in collections.Counter(tokens).items() if n > 1]
        if repeated:
            raise ValueError(
                f"The passed vocabulary has at least one repeated term. Please "
                f"uniquify your dataset. The repeated terms are: {repeated}"
            )
        for token, what in (
            (self.mask_token, "mask_token"),
            (self.oov_token if self.invert else None, "oov_token"),
        ):
            if token is not None and token in tokens:
                raise ValueError(
                    f"Found reserved {what.split('_')[0].upper()} token at unexpected location in "
                    "`vocabulary`. Note that passed `vocabulary` does not need to include the OOV "
                    "and mask tokens. Either remove all mask and OOV tokens, or include them only "
                    f"at the start of the vocabulary in precisely this order: {special}. "
                    f"Received: {what}={token} at vocabulary index {tokens.index(token)}"
                )
        if self.max_tokens is not None and start + len(tokens) > self.max_tokens:
            raise ValueError(
                f"Attempted to set a vocabulary larger than the maximum vocab size. "
                f"Received vocabulary size is {start + len(tokens)}; `max_tokens` "
                f"is {self.max_tokens}."
            )
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            weights = np.asarray(to_numpy(idf_weights), dtype=np.float64)
            if len(weights) != len(tokens) + (start if found_special else 0):
                raise ValueError(
                    f"`idf_weights` must be the same length as vocabulary. "
                    f"len(idf_weights) is {len(weights)}; len(vocabulary) is "
                    f"{len(tokens) + (start if found_special else 0)}"
                )
            if weights.ndim != 1:
                raise ValueError(
                    f"TF-IDF data must be a 1-index array. Received: "
                    f"idf_weights with shape {weights.shape}"
                )
            # OOV slots without a given weight take the average weight
            front = 0 if found_special else start
            weights = np.concatenate([np.full(front, weights.mean()), weights])
            self._set_idf(weights)

    def _set_tokens(self, tokens):
        self._has_vocabulary = True
        self._tokens = list(tokens)
        start = self._token_start_index()
        self._table = {t: i + start for i, t in enumerate(self._tokens)}
        self._frozen_vocab_size = self.vocabulary_size()

    def _set_idf(self, weights):
        if self.pad_to_max_tokens and self.max_tokens is not None:
            weights = np.pad(weights, (0, self.max_tokens - len(weights)))
        self.idf_weights = np.asarray(weights, dtype=_config.floatx())

    # -- adapt ---------------------------------------------------------------------------------
    def reset_state(self):
        self._token_counts = collections.Counter()
        self._doc_counts = collections.Counter()
        self._num_documents = 0

    def adapt(self, data, steps=None):
        """Learns the vocabulary (and IDF weights in `"tf_idf"` mode) from `data`: an array or
        list (one batch; a 1-D one is one token per document), or an iterable of batches."""

        rows = ragged_rows(data)
        if rows is not None:  # tf.ragged rows: each one is a document of its own length
            self.reset_state()
            for row in rows:
                self.update_state(self._prepare(row).reshape(1, -1))
            self.finalize_state()
            return

        def one_batch():
            if (
                isinstance(data, (list, tuple, np.ndarray))
                or hasattr(data, "data")
                or np.isscalar(data)
            ):
                batch = self._prepare(to_numpy(data))
                return batch.reshape(-1, 1) if batch.ndim == 1 else batch
            return None

        self._adapt_batches(data, steps, one_batch)

    def update_state(self, data):
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}' after setting a static vocabulary "
                "via `vocabulary` argument or `set_vocabulary()` method."
            )
        data = self._prepare(to_numpy(data))
        if data.ndim < 2:
            data = data.reshape(1, -1)  # a 1-D batch is one document
        flat = data.reshape(-1)
        if flat.size >= MIN_SIZE and flat.dtype.kind in "iuU":  # counted in numpy, not one by one
            values, counts = value_counts(flat)
            self._token_counts.update(dict(zip(values.tolist(), counts.tolist())))
        else:
            self._token_counts.update(flat.tolist())
        if self.output_mode == "tf_idf":
            docs = data.reshape(data.shape[0], -1)
            for row in docs.tolist():
                self._doc_counts.update(set(row))
            self._num_documents += docs.shape[0]

    def finalize_state(self):
        counts = self._token_counts
        if self._has_input_vocabulary or not counts:
            return
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        tokens = np.array(list(counts.keys()))
        freq = np.array(list(counts.values()))
        order = np.lexsort((tokens, freq))[::-1]  # count high to low, ties by token high to low
        if self.max_tokens:
            order = order[: self.max_tokens - self._token_start_index()]
        self._set_tokens(tokens[order].tolist())
        if self.output_mode == "tf_idf":
            doc = np.array([self._doc_counts[t] for t in self._tokens], dtype=np.float64)
            idf = np.log(1 + self._num_documents / (1 + doc))
            self._set_idf(np.concatenate([np.full(self._token_start_index(), idf.mean()), idf]))
        self.reset_state()

    # -- call ----------------------------------------------------------------------------------
    def _ensure_known_vocab_size(self):
        if self.output_mode != "int" and not self.pad_to_max_tokens and not self._tokens:
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, you "
                "must set the layer's vocabulary before calling it. Either pass a `vocabulary` "
                "argument to the layer, or call `adapt` with some sample data."
            )

    def _sorted_int_table(self):
        """The integer vocabulary as sorted key and id arrays (cached per table), or None when
        a key is not an int: integer inputs are then looked up with `np.searchsorted`."""
        cached = self.__dict__.get("_int_table")
        if cached is not None and cached[0] is self._table and cached[1] == len(self._table):
            return cached[2]
        arrays = None
        if all(type(k) is int for k in self._table):
            keys = np.fromiter(self._table, dtype=np.int64, count=len(self._table))
            order = np.argsort(keys, kind="stable")
            ids = np.fromiter(self._table.values(), dtype=np.int64, count=len(self._table))
            arrays = (keys[order], ids[order])
        self.__dict__["_int_table"] = (self._table, len(self._table), arrays)
        return arrays

    def _str_table(self):
        """The string vocabulary as a `StringTable` (cached per table), or None when a key is
        not a str or two keys share a hash."""
        cached = self.__dict__.get("_str_lookup")
        if cached is not None and cached[0] is self._table and cached[1] == len(self._table):
            return cached[2]
        table = None
        if self._table and all(type(k) is str for k in self._table):
            table = StringTable(self._table)
            table = table if table.usable else None
        self.__dict__["_str_lookup"] = (self._table, len(self._table), table)
        return table

    def _lookup_ints(self, flat, default):
        """`self._table.get(v, default)` for every int in `flat`, vectorised: a direct table
        when the keys span a compact range (one gather), else a binary search per value."""
        keys, ids = self._sorted_int_table()
        if not len(keys):
            return np.full(flat.shape, default, np.int64)
        lo, span = int(keys[0]), int(keys[-1]) - int(keys[0]) + 1
        if span <= max(1 << 20, 4 * len(keys)):
            table = np.full(span + 1, default, np.int64)  # the last slot: out of range
            table[keys - lo] = ids
            offset = flat - lo
            offset[(offset < 0) | (offset >= span)] = span
            return table[offset]
        pos = np.minimum(np.searchsorted(keys, flat), len(keys) - 1)
        return np.where(keys[pos] == flat, ids[pos], default)

    def _lookup(self, values):
        default = self._oov_start_index() if self.num_oov_indices == 1 else -1
        if values.dtype.kind in "iu" and self._sorted_int_table() is not None:
            # integer inputs: no sort of the inputs, one binary search each
            flat = values.reshape(-1).astype(np.int64, copy=False)
            uniques, inverse = flat, None
            ids = self._lookup_ints(flat, default)
        elif (
            values.dtype.kind == "U"
            and values.size >= MIN_SIZE
            and (table := self._str_table()) is not None
        ):
            # strings: hashed and binary-searched among the vocabulary's hashes, no sort
            flat = values.reshape(-1)
            uniques, inverse = flat, None
            ids = table.lookup(flat, default)
        else:
            uniques, inverse = unique_inverse(values.reshape(-1))
            keys = uniques.tolist()
            ids = np.array([self._table.get(k, default) for k in keys], dtype=np.int64)
        if self.num_oov_indices == 0 and (ids < 0).any():
            raise ValueError(
                f"When `num_oov_indices=0` all inputs should be in vocabulary, found "
                f"OOV values {np.unique(uniques[ids < 0]).tolist()}, consider setting "
                "`num_oov_indices=1`."
            )
        if self.num_oov_indices > 1 and (ids < 0).any():
            oov = ids < 0
            if uniques.dtype.kind in "iu" and self.oov_method != "farmhash":
                buckets = np.mod(uniques[oov].astype(np.int64), self.num_oov_indices)
            else:
                buckets = hash_buckets(
                    uniques[oov],
                    self.num_oov_indices,
                    self.salt,
                    getattr(self, "encoding", "utf-8"),
                )
            ids[oov] = buckets + self._oov_start_index()
        out = (ids if inverse is None else ids[inverse]).reshape(values.shape)
        if self.mask_token is not None:
            mask_value = 0 if self.output_mode == "int" else np.iinfo(np.int64).max
            out[values == self.mask_token] = mask_value
        return out

    def _invert(self, ids):
        vocab = np.array(self.get_vocabulary(), dtype=object)
        ids = np.asarray(ids).astype(np.int64)
        ok = (ids >= 0) & (ids < len(vocab))
        out = np.where(ok, vocab[np.where(ok, ids, 0)] if len(vocab) else None, self.oov_token)
        if self.mask_token is not None:
            out[ids == 0] = self.mask_token
        return out

    def _ensure_vocabulary(self):
        # Keras's lookup table is uninitialised until then, and a call fails ("Table not
        # initialized"); an all-OOV answer would hide a vocabulary lost on the way (legacy .h5
        # files keep none). Symbolic runs only trace shapes.
        if not self._has_vocabulary and not in_symbolic_scope():
            raise RuntimeError(
                f"{type(self).__name__} layer '{self.name}' has no vocabulary: call adapt() or "
                "set_vocabulary(), or pass `vocabulary=`, before calling it. (A legacy .h5 file "
                "does not hold an adapted vocabulary; a .keras archive does.)"
            )

    def _convert_inputs(self, inputs):
        rows = ragged_rows(inputs)
        return rows if rows is not None else super()._convert_inputs(inputs)

    def call(self, inputs):
        if isinstance(inputs, RaggedRows):
            # as Keras on a tf.RaggedTensor: each row encodes to one vector
            if self.invert or self.output_mode not in ("multi_hot", "count", "tf_idf"):
                raise ValueError(
                    f"Layer '{self.name}' got rows of different lengths (a ragged list), which "
                    "encode only with output_mode 'multi_hot', 'count' or 'tf_idf' (other modes "
                    "need tf.RaggedTensor). Received: output_mode="
                    f"{self.output_mode!r}, invert={self.invert}. Pad the rows to one length."
                )
            return np.stack([self.call(row) for row in inputs])
        self._ensure_known_vocab_size()
        self._ensure_vocabulary()
        if self.invert:
            return self._invert(inputs)
        ids = self._lookup(self._prepare(inputs))
        if self.output_mode == "int":
            return ids
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        if self.output_mode == "tf_idf":
            counts = encode_categorical(ids, "count", depth, np.int64)
            return (counts * self.idf_weights).astype(self.idf_weights.dtype)
        return encode_categorical(ids, self.output_mode, depth, np.int64)

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return input_shape[:-1] + (self._depth(),)
            return input_shape + (self._depth(),)
        return input_shape[:-1] + (self._depth(),)

    def output_dtype_for(self, input_dtype):
        if self.invert:
            return self.vocabulary_dtype
        return _config.floatx() if self.output_mode == "tf_idf" else "int64"

    # -- saving --------------------------------------------------------------------------------
    def get_config(self):
        return {
            **super().get_config(),
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype,
            "idf_weights": _listify(self.input_idf_weights),
            "vocabulary": _listify(self.input_vocabulary),
            "vocabulary_size": self._frozen_vocab_size,
            "oov_method": self.oov_method,
            "salt": self.salt,
        }

    def save_own_variables(self, store):
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            store["idf_weights"] = self.idf_weights

    def load_own_variables(self, store):
        if self.output_mode == "tf_idf" and "idf_weights" in store:
            self.idf_weights = np.asarray(store["idf_weights"], dtype=_config.floatx())

    def save_assets(self, dir_path):
        """Writes an adapted vocabulary to `dir_path/vocabulary.txt` (Keras's `.keras` asset);
        a vocabulary passed to the constructor is in the config instead."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(str(w) for w in self.get_vocabulary()))

    def load_assets(self, dir_path):
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        if lines:
            self._load_vocabulary_lines(lines)

    def _load_vocabulary_lines(self, lines):
        values = self._prepare(np.array(lines)).tolist()
        weights = self.idf_weights if self.output_mode == "tf_idf" else None
        has_input = self._has_input_vocabulary
        self._has_input_vocabulary = False
        try:
            if weights is not None:  # the saved weights already hold the OOV and padding slots
                self._set_tokens(values[self._token_start_index() :])
            else:
                self.set_vocabulary(values)
        finally:
            self._has_input_vocabulary = has_input
