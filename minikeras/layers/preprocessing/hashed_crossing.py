"""`HashedCrossing`: crosses of categorical features, hashed into `num_bins` bins as Keras."""

import numpy as np

from .data_layer import DataLayer, as_text, encode_categorical, to_numpy
from .hash_utils import M64, as_bytes, fingerprint64, fingerprint_cat64

_HASH_KEY = 0xDECAFCAFFE  # tf.sparse.cross_hashed's default key


class HashedCrossing(DataLayer):
    """`hash(feature_1, ..., feature_n) % num_bins` for scalar features (strings or ints).

    As `tf.sparse.cross_hashed`: the fingerprints of the features (FarmHash64 for strings, the
    value itself for integers) are folded with `FingerprintCat64`, starting from a fixed key,
    so the bins equal Keras's. Inputs have shape `()`, `(batch,)` or `(batch, 1)`.

    Args:
        num_bins: the number of bins.
        output_mode: `"int"` (int64 bins) or `"one_hot"` (float32).
        sparse: must be False (minikeras has no sparse tensors).

    >>> import numpy as np, minikeras as keras
    >>> layer = keras.layers.HashedCrossing(num_bins=5)
    >>> layer((np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102]))).numpy()
    array([1, 4, 1, 1, 3])
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if sparse:
            raise ValueError(
                "HashedCrossing: `sparse=True` needs sparse tensors, which minikeras "
                "does not have (Keras allows it on TensorFlow only)."
            )
        if output_mode not in ("int", "one_hot"):
            raise ValueError(
                f"Unknown value for argument `output_mode` of HashedCrossing: "
                f"expected 'int' or 'one_hot'. Received: output_mode={output_mode!r}"
            )
        self.num_bins, self.output_mode, self.sparse = num_bins, output_mode, sparse

    def _convert_inputs(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"`HashedCrossing` should be called on a list or tuple of inputs. "
                f"Received: inputs={inputs}"
            )
        return [to_numpy(x) for x in inputs]

    def call(self, inputs):
        if len(inputs) < 2:
            raise ValueError(
                f"`HashedCrossing` should be called on at least two inputs. "
                f"Received: inputs={inputs}"
            )
        shape = inputs[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError(
                f"All `HashedCrossing` inputs should have shape `()`, `(batch_size)` "
                f"or `(batch_size, 1)`. Received: inputs={inputs}"
            )
        if any(x.shape != shape for x in inputs[1:]):
            raise ValueError(
                f"All `HashedCrossing` inputs should have equal shape. Received: inputs={inputs}"
            )
        columns = []
        for x in inputs:
            if x.dtype.kind in "USO":
                columns.append(
                    [fingerprint64(as_bytes(v)) for v in as_text(x).reshape(-1).tolist()]
                )
            elif x.dtype.kind in "iu":
                columns.append([int(v) & M64 for v in x.reshape(-1).tolist()])
            else:
                raise ValueError(
                    f"All `HashedCrossing` inputs should have an integer or string "
                    f"dtype. Received: inputs={inputs}"
                )
        out = []
        for feats in zip(*columns):
            h = _HASH_KEY
            for f in feats:
                h = fingerprint_cat64(h, f)
            out.append(h % self.num_bins)
        ids = np.array(out, dtype=np.int64).reshape(shape)
        return encode_categorical(ids, self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        first = tuple(input_shape[0])
        if self.output_mode == "int":
            return first
        if not first:
            return (self.num_bins,)
        if first[-1] != 1:
            return first + (self.num_bins,)
        return first[:-1] + (self.num_bins,)

    def get_config(self):
        return {
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }
