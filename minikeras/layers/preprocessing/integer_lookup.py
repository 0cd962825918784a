"""`IntegerLookup`: integer tokens to vocabulary indices (or encodings), or back."""

import numpy as np

from .index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps integers to indices from a vocabulary given or learnt by `adapt()`.

    The index layout, output modes and `adapt()` ordering are `StringLookup`'s. Several OOV
    slots are chosen by `token % num_oov_indices` (Keras's default `oov_method="floormod"`), or
    by FarmHash64 of the decimal string with `oov_method="farmhash"`. `invert=True` maps indices
    back to integers, OOV indices to `oov_token` (-1).

    Args:
        max_tokens, num_oov_indices, mask_token, vocabulary, idf_weights, invert, output_mode,
        pad_to_max_tokens, sparse, salt: as in `StringLookup`.
        oov_token: the token `invert=True` returns for OOV indices (default -1).
        vocabulary_dtype: only `"int64"`.
        oov_method: `"floormod"` or `"farmhash"`.

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> layer(np.array([[12, 1138, 42], [42, 1000, 36]])).numpy()
    array([[1, 3, 4],
           [4, 0, 2]])
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token=-1,
        vocabulary=None,
        vocabulary_dtype="int64",
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        salt=None,
        name=None,
        **kwargs,
    ):
        if vocabulary_dtype != "int64":
            raise ValueError(
                f"Only `vocabulary_dtype='int64'` is supported at this time. "
                f"Received: vocabulary_dtype={vocabulary_dtype}"
            )
        if salt is not None and oov_method != "farmhash":
            raise ValueError(
                f"`salt` can only be used when `oov_method='farmhash'`. "
                f"Received: oov_method={oov_method}"
            )
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            vocabulary_dtype=vocabulary_dtype,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            oov_method=oov_method,
            salt=salt,
            name=name,
            **kwargs,
        )

    def _prepare(self, values):
        values = np.asarray(values)
        if values.dtype.kind not in "biu" and values.size:
            if values.dtype.kind == "f" and np.all(values == np.round(values)):
                return values.astype(np.int64)
            raise TypeError(
                f"IntegerLookup '{self.name}' expects integers. Received an array "
                f"of dtype {values.dtype} with shape {values.shape}."
            )
        return values.astype(np.int64)

    def call(self, inputs):
        out = super().call(inputs)
        return out.astype(np.int64) if self.invert else out

    def _load_vocabulary_lines(self, lines):
        # assets/vocabulary.txt holds the integers as text, one per line (as Keras writes it)
        super()._load_vocabulary_lines([int(line) for line in lines])

    def get_config(self):
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
