"""`keras.utils.FeatureSpace`: one object that turns a dict of raw columns into model inputs.

Keras 3's FeatureSpace runs its preprocessing layers in TensorFlow and adapts on a `tf.data`
dataset. minikeras has no tf.data: it adapts on a dict of numpy arrays (or lists), and a call
takes a dict of arrays (a batch, one value per row) or of scalars (one sample) and returns
minikeras Tensors. Where a Keras script writes

    train_ds = train_ds.map(lambda x, y: (feature_space(x), y))

a minikeras script preprocesses its arrays once: `x_train = feature_space(train_dict)`. The
feature types, their preprocessing layers, the order of the encoded columns (features sorted by
name, then crosses sorted by name) and the `get_config` are Keras's; the encoded values match
Keras's (float features as given, normalized, rescaled; discretized, categorical, hashed and
crossed features one-hot). `save(path)` writes a `.keras` archive (config, adapted state in
the weights file, vocabularies in `assets/`) that `keras.models.load_model` reads back.
"""

import math

import numpy as np

from ..layers import (
    CategoryEncoding,
    Discretization,
    HashedCrossing,
    Hashing,
    IntegerLookup,
    Layer,
    Normalization,
    Rescaling,
    StringLookup,
    TextVectorization,
)
from ..serialization import registry
from ..serialization.keras_objects import deserialize_keras_object, serialize_keras_object
from .naming import uniquify
from .progbar import Progbar

_FEATURE_MODES = ("int", "one_hot", "float")


def _numpy(x):
    from ..core.tensor import Tensor

    return x.data if isinstance(x, Tensor) else np.asarray(x)


class Cross:
    """A crossing of features (their preprocessed ids hashed together), `FeatureSpace.cross`.

    Args:
        feature_names: the names of the features to cross.
        crossing_dim: the number of hash bins of the crossed feature.
        output_mode: `"one_hot"` (default) or `"int"`.

    >>> import minikeras as keras
    >>> keras.utils.FeatureSpace.cross(("a", "b"), crossing_dim=8).name
    'a_X_b'
    """

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        if output_mode not in ("int", "one_hot"):
            raise ValueError(
                "Invalid value for argument `output_mode` of the cross of "
                f"{tuple(feature_names)}. Expected one of {{'int', 'one_hot'}}. "
                f"Received: output_mode={output_mode}"
            )
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self):
        """The crossed feature's name: the feature names joined by `_X_`."""
        return "_X_".join(self.feature_names)

    def get_config(self):
        """The constructor arguments."""
        return {
            "feature_names": self.feature_names,
            "crossing_dim": self.crossing_dim,
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config):
        """Rebuilds a Cross from `get_config()`."""
        return cls(**config)


class Feature:
    """A feature: its input dtype, the layer that preprocesses it and how it is encoded.

    Args:
        dtype: the dtype of the feature's `keras.Input` (`"float32"`, `"int32"`, `"string"`).
        preprocessor: a layer (or its serialized config) applied to the feature.
        output_mode: `"float"` (used as is), `"int"` (ids kept), or `"one_hot"` (ids one-hot
            encoded over the preprocessor's output space).

    >>> import minikeras as keras
    >>> f = keras.utils.FeatureSpace.feature("float32", keras.layers.Rescaling(2.0), "float")
    >>> f.output_mode
    'float'
    """

    def __init__(self, dtype, preprocessor, output_mode):
        if output_mode not in _FEATURE_MODES:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{{'int', 'one_hot', 'float'}}. Received: output_mode={output_mode}"
            )
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            preprocessor = deserialize_keras_object(preprocessor)
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self):
        """The constructor arguments, the preprocessor serialized."""
        return {
            "dtype": self.dtype,
            "preprocessor": serialize_keras_object(self.preprocessor),
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config):
        """Rebuilds a Feature from `get_config()`."""
        return cls(**config)


class TFDIdentity(Layer):
    """Passes a float feature through (Keras's preprocessor of `FeatureSpace.float`).

    >>> import numpy as np
    >>> TFDIdentity(dtype="float32")(np.array([[1.5]])).shape
    (1, 1)
    """

    def call(self, x):
        return x


class TFDConcat(Layer):
    """Concatenates the encoded features along `axis` (Keras's FeatureSpace concat layer).

    Args:
        axis: the axis to join on.

    >>> import numpy as np
    >>> TFDConcat(axis=-1)([np.ones((2, 1)), np.zeros((2, 2))]).shape
    (2, 3)
    """

    def __init__(self, axis, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, xs):
        from ..core import ops

        return ops.concatenate([ops.cast(x, "float32") for x in xs], axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def _cardinality(name, preprocessor):
    if isinstance(preprocessor, (IntegerLookup, StringLookup)):
        return preprocessor.vocabulary_size()
    if isinstance(preprocessor, CategoryEncoding):
        return preprocessor.num_tokens
    if isinstance(preprocessor, (Discretization, HashedCrossing, Hashing)):
        return preprocessor.num_bins
    raise ValueError(
        f"Feature '{name}' has `output_mode='one_hot'`, but its preprocessor "
        f"({type(preprocessor).__name__}) has no known number of output values, so it cannot be "
        "one-hot encoded. Use `output_mode='int'`."
    )


class FeatureSpace(Layer):
    """Preprocesses a dict of structured-data columns into one vector (or a dict) per sample.

    Each feature is named with a type string or built with a class method:

    - `"float"` / `FeatureSpace.float()`: used as is.
    - `"float_normalized"` / `float_normalized()`: standardized (a `Normalization`, adapted).
    - `"float_rescaled"` / `float_rescaled(scale, offset)`: `x * scale + offset`.
    - `"float_discretized"` / `float_discretized(num_bins, bin_boundaries)`: binned, one-hot.
    - `"integer_categorical"` / `"string_categorical"`: looked up in an adapted vocabulary
      (`IntegerLookup` / `StringLookup`, one out-of-vocabulary index), one-hot.
    - `"integer_hashed"` / `"string_hashed"`: hashed into `hashing_dim` bins, one-hot.
    - `FeatureSpace.feature(dtype, preprocessor, output_mode)`: any layer of your own.

    Crosses (`crosses=[("a", "b")]` or `FeatureSpace.cross(...)`) hash the preprocessed ids of
    several features together. See the module docstring for the tf.data idioms.

    Args:
        features: dict of feature name -> type string, `Feature`, or serialized `Feature`.
        output_mode: `"concat"` (one float32 matrix: features sorted by name, then crosses
            sorted by name) or `"dict"` (name -> encoded feature).
        crosses: features to cross: tuples of names or `Cross` objects.
        crossing_dim: hash bins of the crosses given as tuples.
        hashing_dim: hash bins of the `"*_hashed"` features given as strings.
        num_discretization_bins: bins of `"float_discretized"` features given as strings.
        name: the layer's name.

    >>> import numpy as np, minikeras as keras
    >>> fs = keras.utils.FeatureSpace({"age": "float_normalized", "city": "string_categorical"})
    >>> fs.adapt({"age": np.array([20.0, 40.0]), "city": np.array(["Paris", "Rome"])}, verbose=0)
    >>> fs({"age": np.array([30.0]), "city": np.array(["Rome"])}).shape  # age, [UNK], 2 cities
    (1, 4)
    """

    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        """A `Cross` of `feature_names` hashed into `crossing_dim` bins (see `Cross`)."""
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        """A `Feature` with a preprocessing layer of your own (see `Feature`)."""
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        """A float feature used as is."""
        name = name or uniquify("float")
        return Feature(
            "float32", TFDIdentity(dtype="float32", name=f"{name}_preprocessor"), "float"
        )

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        """A float feature mapped to `x * scale + offset` (a `Rescaling`)."""
        name = name or uniquify("float_rescaled")
        layer = Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor")
        return Feature("float32", layer, "float")

    @classmethod
    def float_normalized(cls, name=None):
        """A float feature standardized with the mean and variance seen by `adapt`."""
        name = name or uniquify("float_normalized")
        return Feature("float32", Normalization(axis=-1, name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot", name=None):
        """A float feature binned (by `bin_boundaries`, or quantiles seen by `adapt`)."""
        name = name or uniquify("float_discretized")
        layer = Discretization(
            num_bins=num_bins, bin_boundaries=bin_boundaries, name=f"{name}_preprocessor"
        )
        return Feature("float32", layer, output_mode)

    @classmethod
    def integer_categorical(
        cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None
    ):
        """An integer category looked up in the vocabulary seen by `adapt` (`IntegerLookup`)."""
        name = name or uniquify("integer_categorical")
        layer = IntegerLookup(
            name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices
        )
        return Feature("int32", layer, output_mode)

    @classmethod
    def string_categorical(
        cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None
    ):
        """A string category looked up in the vocabulary seen by `adapt` (`StringLookup`)."""
        name = name or uniquify("string_categorical")
        layer = StringLookup(
            name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices
        )
        return Feature("string", layer, output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        """A string feature hashed into `num_bins` bins (`Hashing`)."""
        name = name or uniquify("string_hashed")
        return Feature(
            "string", Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode
        )

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        """An integer feature hashed into `num_bins` bins (`Hashing`)."""
        name = name or uniquify("integer_hashed")
        return Feature(
            "int32", Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode
        )

    def __init__(
        self,
        features,
        output_mode="concat",
        crosses=None,
        crossing_dim=32,
        hashing_dim=32,
        num_discretization_bins=32,
        name=None,
    ):
        super().__init__(name=name)
        if not features:
            raise ValueError("The `features` argument cannot be None or empty.")
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {key: self._standardize_feature(key, f) for key, f in features.items()}
        self.crosses = [self._standardize_cross(c, features) for c in crosses or ()]
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        if output_mode not in ("dict", "concat"):
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of {'dict', 'concat'}. "
                f"Received: output_mode={output_mode}"
            )
        self.output_mode = output_mode
        self.inputs = {key: self._feature_input(key, f) for key, f in self.features.items()}
        self.preprocessors = {key: f.preprocessor for key, f in self.features.items()}
        self.crossers = {c.name: HashedCrossing(c.crossing_dim, name=c.name) for c in self.crosses}
        self.one_hot_encoders = {}
        self.encoded_features = None
        self.concat = None
        self._is_adapted = False
        self._sublayers_built = False

    def _feature_input(self, key, feature):
        from ..layers import Input

        return Input(shape=(1,), dtype=feature.dtype, name=key)

    def _standardize_feature(self, key, feature):
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            return deserialize_keras_object(feature)
        makers = {
            "float": lambda: self.float(name=key),
            "float_normalized": lambda: self.float_normalized(name=key),
            "float_rescaled": lambda: self.float_rescaled(name=key),
            "float_discretized": lambda: self.float_discretized(
                self.num_discretization_bins, name=key
            ),
            "integer_categorical": lambda: self.integer_categorical(name=key),
            "string_categorical": lambda: self.string_categorical(name=key),
            "integer_hashed": lambda: self.integer_hashed(self.hashing_dim, name=key),
            "string_hashed": lambda: self.string_hashed(self.hashing_dim, name=key),
        }
        if not isinstance(feature, str) or feature not in makers:
            raise ValueError(f"Invalid feature type: {feature}")
        return makers[feature]()

    def _standardize_cross(self, cross, features):
        if isinstance(cross, dict):
            cross = deserialize_keras_object(cross)
        if isinstance(cross, Cross):
            return cross
        if not self.crossing_dim:
            raise ValueError(
                "When specifying `crosses`, the argument `crossing_dim` (dimensionality of the "
                "crossing space) should be specified as well."
            )
        if any(key not in features for key in cross):
            raise ValueError(
                "All features referenced in the `crosses` argument should be present in the "
                f"`features` dict. Received unknown features: {cross}"
            )
        return Cross(cross, crossing_dim=self.crossing_dim)

    def _adaptable(self):
        names = []
        for key, layer in self.preprocessors.items():
            if isinstance(layer, Normalization) and getattr(layer, "input_mean", None) is not None:
                continue  # given a mean and variance: nothing to learn
            if isinstance(layer, TextVectorization) and getattr(
                layer, "_has_input_vocabulary", False
            ):
                continue
            if hasattr(layer, "adapt"):
                names.append(key)
        return names

    def adapt(self, dataset, verbose=1):
        """Learns each adaptable preprocessor's state (vocabularies, means, bins) from data.

        Args:
            dataset: a dict of feature name -> array or list of values (one per sample).
                Keras also takes a `tf.data.Dataset` of such dicts; minikeras has no tf.data.
            verbose: 1 shows a progress bar over batches of 32 samples, as Keras.
        """
        if not isinstance(dataset, dict):
            raise ValueError(
                "`adapt()` takes a dict of arrays/lists (minikeras has no tf.data). "
                f"Received instead: {dataset!r} (of type {type(dataset)})"
            )
        names = self._adaptable()
        if names:
            missing = [key for key in names if key not in dataset]
            if missing:
                raise ValueError(f"adapt(): the data has no column for features {missing}.")
            rows = len(np.asarray(dataset[names[0]]))
            bar = Progbar(target=max(math.ceil(rows / 32), 1)) if verbose else None
            for key in names:
                column = np.asarray(dataset[key])
                if column.ndim <= 1:
                    column = column.reshape(-1, 1)
                self.preprocessors[key].adapt(column)
            if bar is not None:
                bar.update(bar.target, finalize=True)
        self._is_adapted = True
        self.get_encoded_features()  # builds the encoders and the concat layer
        self.built = True
        self._sublayers_built = True

    def get_inputs(self):
        """The dict of `keras.Input`s (shape `(1,)`, the feature's dtype) of the features.

        Returns:
            A dict of feature name -> KerasTensor, to build an end-to-end model on.
        """
        self._check_if_built()
        return self.inputs

    def get_encoded_features(self):
        """The encoded features of `get_inputs()`, symbolic: a model's input for training.

        Returns:
            A KerasTensor (`output_mode="concat"`) or a dict of them.
        """
        self._check_if_adapted()
        if self.encoded_features is None:
            pre = {key: self.preprocessors[key](x) for key, x in self.inputs.items()}
            self.encoded_features = self._merge(pre, self._cross(pre))
        return self.encoded_features

    def _cross(self, pre):
        return {
            c.name: self.crossers[c.name]([pre[key] for key in c.feature_names])
            for c in self.crosses
        }

    def _merge(self, pre, crossed):
        names = sorted(pre) + sorted(crossed)
        values = {**pre, **crossed}
        if self.concat is None:
            self._make_encoders(names, values)
        out = {}
        for key in names:
            encoder = self.one_hot_encoders.get(key)
            out[key] = encoder(values[key]) if encoder is not None else values[key]
        if self.output_mode == "dict":
            return out
        return self.concat([out[key] for key in names])

    def _make_encoders(self, names, values):
        for key in names:
            spec = self.features.get(key) or self.crosses_by_name[key]
            dtype = str(values[key].dtype)
            if spec.output_mode == "one_hot":
                if not dtype.startswith(("int", "uint")):
                    raise ValueError(
                        f"Feature '{key}' has `output_mode='one_hot'`. Thus its preprocessor "
                        f"should return an integer dtype. Instead it returns a {dtype} dtype."
                    )
                layer = self.preprocessors.get(key) or self.crossers.get(key)
                depth = _cardinality(key, layer)
                self.one_hot_encoders[key] = CategoryEncoding(
                    num_tokens=depth, output_mode="multi_hot"
                )
            elif self.output_mode == "concat" and (
                dtype.startswith(("int", "uint")) or dtype == "string"
            ):
                raise ValueError(
                    f"Cannot concatenate features because feature '{key}' has not been encoded "
                    f"(it has dtype {dtype}). Consider using `output_mode='dict'`."
                )
        self.concat = TFDConcat(axis=-1)

    def _check_if_adapted(self):
        if not self._is_adapted:
            if self._adaptable():
                raise ValueError(
                    "You need to call `.adapt(dataset)` on the FeatureSpace before you can start "
                    "using it."
                )
            self._is_adapted = True

    def _check_if_built(self):
        if not self._sublayers_built:
            self._check_if_adapted()
            self.get_encoded_features()
            self._sublayers_built = True

    def __call__(self, data):
        """Encodes a dict of columns (a batch) or of scalars (one sample).

        Args:
            data: dict of feature name -> array / list (one value per sample) or scalar.

        Returns:
            A float32 Tensor of shape `(batch, dim)` (`(dim,)` for scalars) with
            `output_mode="concat"`, else a dict of Tensors.
        """
        self._check_if_built()
        if not isinstance(data, dict):
            raise ValueError(
                f"A FeatureSpace can only be called with a dict. Received: data={data!r} "
                f"(of type {type(data)})"
            )
        columns, single = {}, False
        for key, value in data.items():
            value = _numpy(value)
            if value.ndim == 0:
                value, single = value.reshape(1, 1), True
            elif value.ndim == 1:
                value = value.reshape(-1, 1)
            columns[key] = value
        unknown = [key for key in self.features if key not in columns]
        if unknown:
            raise ValueError(f"FeatureSpace: the data has no column for features {unknown}.")
        pre = {key: self.preprocessors[key](columns[key]) for key in self.features}
        merged = self._merge(pre, self._cross(pre))
        if single:
            if self.output_mode == "concat":
                return merged[0]
            merged = {
                k: v[0] if len(v.shape) == 2 and v.shape[0] == 1 else v for k, v in merged.items()
            }
        return merged

    def compute_output_spec(self, *args, **kwargs):
        return self.get_encoded_features()

    def get_config(self):
        """The constructor arguments (features and crosses serialized), as Keras's."""
        return {
            "features": serialize_keras_object(self.features),
            "output_mode": self.output_mode,
            "crosses": serialize_keras_object(self.crosses),
            "crossing_dim": self.crossing_dim,
            "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
        }

    @classmethod
    def from_config(cls, config):
        """Rebuilds a FeatureSpace from `get_config()` (not adapted: load a saved file)."""
        return cls(**config)

    def get_build_config(self):
        """Each preprocessor's build config, by feature name."""
        return {key: f.preprocessor.get_build_config() for key, f in self.features.items()}

    def build_from_config(self, config):
        """Builds the preprocessors from `get_build_config()`; marks the space adapted."""
        for key, build_config in (config or {}).items():
            layer = self.features[key].preprocessor
            if not layer.built and build_config:
                layer.build_from_config(build_config)
        self._is_adapted = True

    def save(self, filepath):
        """Saves the FeatureSpace to a `.keras` file; `keras.models.load_model` reloads it.

        Args:
            filepath: a path ending in `.keras`.
        """
        from ..saving import api

        api.save_model(self, filepath)

    def save_own_variables(self, store):
        return

    def load_own_variables(self, store):
        return


# its own table, found by name when loading (the layers table holds only `keras.layers`)
registry.register_table(
    "feature_space",
    {
        "FeatureSpace": FeatureSpace,
        "TFDIdentity": TFDIdentity,
        "TFDConcat": TFDConcat,
        "Feature": Feature,
        "Cross": Cross,
    },
)
