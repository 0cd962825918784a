"""`StringLookup`: strings to vocabulary indices (or encodings), or indices back to strings."""

import numpy as np

from .data_layer import as_text
from .index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps strings to integer indices from a vocabulary given or learnt by `adapt()`.

    In `"int"` mode the output holds indices (int64): the mask token (if set) is 0, then come
    `num_oov_indices` out-of-vocabulary slots (several are chosen by FarmHash64 of the string,
    as Keras), then the vocabulary. `"one_hot"`, `"multi_hot"`, `"count"` and `"tf_idf"` encode
    the indices instead (the last input axis is the sample for the last three). `adapt()` sorts
    tokens by count, then by the token itself, both high to low. With `invert=True` the layer
    maps indices back to strings (a numpy array).

    Args:
        max_tokens: the largest vocabulary size (mask and OOV slots included), or None.
        num_oov_indices: the number of OOV slots (0 makes OOV inputs an error).
        mask_token: a token mapped to 0 in `"int"` mode and dropped in the other modes.
        oov_token: what `invert=True` returns for OOV indices.
        vocabulary: a list / array of strings or the path of a file with one per line.
        idf_weights: the IDF weights for `"tf_idf"` mode with a given vocabulary.
        invert: map indices to strings.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        pad_to_max_tokens: encode to `max_tokens` slots whatever the vocabulary size.
        sparse: must be False (minikeras has no sparse tensors).
        encoding: the text encoding of bytes inputs.
        salt: hash OOV strings with SipHash64 keyed by this (1 or 2 ints) instead.

    >>> import minikeras as keras
    >>> layer = keras.layers.StringLookup(vocabulary=["a", "b", "c", "d"])
    >>> layer([["a", "c", "d"], ["d", "z", "b"]]).numpy()
    array([[1, 3, 4],
           [4, 0, 2]])
    >>> layer = keras.layers.StringLookup()
    >>> layer.adapt([["a", "c", "d"], ["d", "z", "b"]])
    >>> layer.get_vocabulary()
    ['[UNK]', 'd', 'z', 'c', 'b', 'a']
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token="[UNK]",
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        pad_to_max_tokens=False,
        sparse=False,
        encoding="utf-8",
        name=None,
        salt=None,
        **kwargs,
    ):
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            sparse=sparse,
            name=name,
            salt=salt,
            vocabulary_dtype="string",
            **kwargs,
        )

    def _prepare(self, values):
        values = np.asarray(values)
        if values.dtype.kind not in "USO":
            raise TypeError(
                f"StringLookup '{self.name}' expects strings. Received an array of "
                f"dtype {values.dtype} with shape {values.shape}."
            )
        return as_text(values, self.encoding)

    def call(self, inputs):
        if self.invert:
            return super().call(inputs).astype(str)
        return super().call(inputs)

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]  # strings are the only choice
        return {**config, "encoding": self.encoding}
