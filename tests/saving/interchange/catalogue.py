"""The interchange catalogue: small models that together use every layer class minikeras and
Keras 3 both have, written once against the Keras API so that real Keras 3 (torch or TensorFlow
backend), tf.keras 2 and minikeras all build them from the same code.

Each builder takes the `keras` module to build with and returns `(model, inputs)`: `inputs` is a
list of numpy arrays (fixed, from `rng(name)`) to predict on. `FLAGS[name]` says which builders
need more than plain Keras 3 with torch: "tf" (string tensors: Keras runs these layers with
TensorFlow ops, so the fixtures come from the TensorFlow backend), "k3" (a Keras-3-only layer, not
built with tf.keras 2). Nothing here imports keras, torch or tensorflow.
"""

import numpy as np
from catalogue_helpers import keras2, normal, randomize_weights, rng  # noqa: F401
from catalogue_more import (
    audio,
    augmentations,
    dtypes,
    hashing,
    lambda_layer,
    mask_pooling,
    misc_k3,
    register_twice,  # noqa: F401
    rnn_states,
    sequential_deferred,
)


# --- core, activations, regularisation ------------------------------------------------------


def core_mlp(k):
    L = k.layers
    model = k.Sequential(
        [
            k.Input((6,)),
            L.Dense(5, activation="tanh"),
            L.BatchNormalization(),
            L.Dropout(0.3),
            L.GaussianNoise(0.2),
            L.GaussianDropout(0.2),
            L.AlphaDropout(0.2),
            L.ActivityRegularization(l1=0.01),
            L.Dense(4, use_bias=False, kernel_regularizer="l2"),
            L.LayerNormalization(),
            L.UnitNormalization(),
            L.Activation("sigmoid"),
        ],
        name="core_mlp",
    )
    return model, [normal("core_mlp", (3, 6))]


def activations(k):
    L = k.layers
    x = k.Input((5,), name="x")
    h = L.Dense(6)(x)
    outs = [
        L.ReLU(max_value=0.4, negative_slope=0.1, threshold=0.1)(h),
        L.LeakyReLU(**{"alpha" if keras2(k) else "negative_slope": 0.2})(h),
        L.PReLU()(h),
        L.ELU(alpha=0.7)(h),
        L.Softmax()(h),
        L.Activation("gelu")(h),
        L.Activation("swish")(h),
        L.Activation("softplus")(h),
    ]
    y = L.Concatenate()(outs)
    return k.Model(x, y, name="activations"), [normal("activations", (3, 5))]


def einsum_identity(k):
    L = k.layers
    x = k.Input((4, 3), name="x")
    h = L.EinsumDense("abc,cd->abd", output_shape=(4, 5), bias_axes="d")(x)
    h = L.Identity()(h)
    h = L.EinsumDense("abd,bde->ae", output_shape=2, activation="relu", bias_axes="e")(h)
    return k.Model(x, h, name="einsum_identity"), [normal("einsum_identity", (2, 4, 3))]


# --- convolutions, pooling, reshaping -------------------------------------------------------


def conv1d(k):
    L = k.layers
    x = k.Input((10, 3), name="x")
    h = L.Conv1D(4, 3, padding="same", activation="relu")(x)
    h = L.Conv1D(4, 2, dilation_rate=2, groups=2)(h)
    h = L.Conv1DTranspose(3, 3, strides=2)(h)
    h = L.DepthwiseConv1D(3, depth_multiplier=2)(h)
    h = L.SeparableConv1D(4, 3, padding="same")(h)
    h = L.ZeroPadding1D((1, 2))(h)
    h = L.Cropping1D((2, 1))(h)
    h = L.UpSampling1D(2)(h)
    h = L.SpatialDropout1D(0.3)(h)
    a = L.MaxPooling1D(2)(h)
    b = L.AveragePooling1D(3, strides=2, padding="same")(h)
    y = L.Concatenate()(
        [
            L.GlobalMaxPooling1D()(a),
            L.GlobalAveragePooling1D()(b),
            L.Flatten()(L.AdaptiveMaxPooling1D(2)(h)),
            L.Flatten()(L.AdaptiveAveragePooling1D(3)(h)),
        ]
    )
    return k.Model(x, y, name="conv1d"), [normal("conv1d", (2, 10, 3))]


def conv2d(k):
    L = k.layers
    x = k.Input((8, 8, 2), name="x")
    h = L.Conv2D(4, 3, padding="same", groups=2, activation="relu")(x)
    h = L.Conv2DTranspose(3, 2, strides=2, padding="same")(h)
    h = L.DepthwiseConv2D(3, strides=2)(h)
    h = L.SeparableConv2D(4, 3, depth_multiplier=2, padding="same")(h)
    h = L.ZeroPadding2D(((1, 0), (0, 2)))(h)
    h = L.Cropping2D(((0, 1), (1, 1)))(h)
    h = L.UpSampling2D(2, interpolation="bilinear")(h)
    h = L.SpatialDropout2D(0.3)(h)
    a = L.MaxPooling2D(2)(h)
    # an odd size: Keras's torch backend pads an even one differently from its other backends
    b = L.AveragePooling2D(3, strides=2, padding="same")(L.Cropping2D(((0, 1), (0, 1)))(h))
    y = L.Concatenate()(
        [
            L.GlobalMaxPooling2D()(a),
            L.GlobalAveragePooling2D()(b),
            L.Flatten()(L.AdaptiveAveragePooling2D(2)(h)),
            L.Flatten()(L.AdaptiveMaxPooling2D((1, 2))(h)),
        ]
    )
    return k.Model(x, y, name="conv2d"), [normal("conv2d", (2, 8, 8, 2))]


def conv3d(k):
    L = k.layers
    x = k.Input((4, 4, 4, 2), name="x")
    h = L.Conv3D(3, 2, padding="same")(x)
    h = L.Conv3DTranspose(2, 2, strides=2)(h)
    h = L.ZeroPadding3D(1)(h)
    h = L.Cropping3D(((1, 1), (0, 2), (2, 0)))(h)
    h = L.UpSampling3D((1, 1, 2))(h)
    h = L.SpatialDropout3D(0.2)(h)
    a = L.MaxPooling3D(2)(h)
    b = L.AveragePooling3D(2, padding="same")(h)
    y = L.Concatenate()(
        [
            L.GlobalMaxPooling3D()(a),
            L.GlobalAveragePooling3D()(b),
            L.Flatten()(L.AdaptiveAveragePooling3D(2)(h)),
            L.Flatten()(L.AdaptiveMaxPooling3D(1)(h)),
        ]
    )
    return k.Model(x, y, name="conv3d"), [normal("conv3d", (2, 4, 4, 4, 2))]


def reshaping(k):
    L = k.layers
    model = k.Sequential(
        [
            k.Input((4, 6)),
            L.Permute((2, 1)),
            L.Reshape((3, 8)),
            L.Flatten(),
            L.Dense(3),
            L.RepeatVector(2),
            L.Reshape((-1,)),
        ],
        name="reshaping",
    )
    return model, [normal("reshaping", (2, 4, 6))]


# --- merging, attention, normalisation ------------------------------------------------------


def merging(k):
    L = k.layers
    a, b = k.Input((4,), name="a"), k.Input((4,), name="b")
    c = k.Input((3, 4), name="c")
    merged = [
        L.Add()([a, b]),
        L.Subtract()([a, b]),
        L.Multiply()([a, b]),
        L.Average()([a, b]),
        L.Maximum()([a, b]),
        L.Minimum()([a, b]),
        L.Dot(axes=1, normalize=True)([a, b]),
    ]
    first = L.Dense(3, name="first")(L.Concatenate(axis=-1)(merged))
    second = L.Dot(axes=(1, 2))([a, c])
    model = k.Model({"a": a, "b": b, "c": c}, [first, second], name="merging")
    shapes = [("a", (2, 4)), ("b", (2, 4)), ("c", (2, 3, 4))]
    return model, [normal("merging" + n, s) for n, s in shapes]


def attention(k):
    L = k.layers
    q, v = k.Input((3, 4), name="q"), k.Input((5, 4), name="v")
    y1 = L.Attention(use_scale=True, score_mode="dot")([q, v])
    y2 = L.AdditiveAttention()([q, v, v])
    y3 = L.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=2)(q, v)
    y = L.Concatenate()([y1, y2, y3])
    model = k.Model([q, v], y, name="attention")
    return model, [normal("attention_q", (2, 3, 4)), normal("attention_v", (2, 5, 4))]


def attention_k3(k):
    L = k.layers
    q, v = k.Input((3, 4), name="q"), k.Input((5, 4), name="v")
    y = L.GroupQueryAttention(head_dim=2, num_query_heads=2, num_key_value_heads=1)(q, v)
    y = L.RMSNormalization()(y)
    model = k.Model([q, v], y, name="attention_k3")
    return model, [normal("attention_k3_q", (2, 3, 4)), normal("attention_k3_v", (2, 5, 4))]


def normalizations(k):
    L = k.layers
    x = k.Input((4, 4, 4), name="x")
    h = L.GroupNormalization(groups=2)(x)
    h = L.BatchNormalization(axis=1, center=False)(h)
    # trailing axes: Keras's torch backend normalises over the last axes whatever `axis` says
    h = L.LayerNormalization(axis=(2, 3), scale=False)(h)
    h = L.Flatten()(h)
    h = L.Dense(3)(h)
    return k.Model(x, h, name="normalizations"), [normal("normalizations", (2, 4, 4, 4))]


# --- sequences, masking, recurrent wrappers -------------------------------------------------


def embedding_rnn(k):
    L = k.layers
    x = k.Input((6,), dtype="int32", name="tokens")
    h = L.Embedding(12, 4, mask_zero=True)(x)
    h = L.LSTM(5, return_sequences=True)(h)
    h = L.GRU(4, return_sequences=True, reset_after=True)(h)
    h = L.SimpleRNN(3)(h)
    y = L.Dense(2)(h)
    tokens = np.array([[3, 4, 1, 0, 0, 0], [5, 11, 2, 7, 9, 1]], dtype="int32")
    return k.Model(x, y, name="embedding_rnn"), [tokens]


def masking_rnn(k):
    L = k.layers
    x = k.Input((5, 3), name="x")
    h = L.Masking(mask_value=0.0)(x)
    h = L.Bidirectional(L.LSTM(3, return_sequences=True), merge_mode="concat")(h)
    h = L.TimeDistributed(L.Dense(2))(h)
    h = L.GRU(3, reset_after=False, go_backwards=True)(h)
    data = normal("masking_rnn", (2, 5, 3))
    data[0, 3:] = 0.0
    return k.Model(x, h, name="masking_rnn"), [data]


def rnn_cells(k):
    L = k.layers
    x = k.Input((4, 3), name="x")
    cells = L.StackedRNNCells([L.LSTMCell(3), L.GRUCell(2)])
    h = L.RNN(cells, return_sequences=True)(x)
    h = L.RNN(L.SimpleRNNCell(3), return_state=False)(h)
    b = L.Bidirectional(L.GRU(2), merge_mode="sum")(x)
    y = L.Concatenate()([h, b])
    return k.Model(x, y, name="rnn_cells"), [normal("rnn_cells", (2, 4, 3))]


def conv_lstm(k):
    L = k.layers
    x = k.Input((3, 5, 2), name="x")
    h = L.ConvLSTM1D(2, 2, padding="same", return_sequences=True, recurrent_activation="sigmoid")(x)
    h = L.Reshape((3, 5, 1, 2))(h)
    h = L.ConvLSTM2D(2, (2, 1), recurrent_activation="sigmoid")(h)
    h = L.Flatten()(h)
    return k.Model(x, h, name="conv_lstm"), [normal("conv_lstm", (2, 3, 5, 2))]


# --- model structure: nesting, sharing, several inputs/outputs ------------------------------


def nested(k):
    L = k.layers
    inner_in = k.Input((4,), name="inner_in")
    inner = k.Model(
        inner_in, L.Dense(3, activation="relu", name="inner_dense")(inner_in), name="inner"
    )
    seq = k.Sequential([L.Dense(3, name="seq_a"), L.Dense(2, name="seq_b")], name="seq")
    a, b = k.Input((4,), name="a"), k.Input((4,), name="b")
    shared = L.Dense(4, name="shared")
    ha, hb = shared(a), shared(b)
    h = L.Concatenate()([inner(ha), inner(hb)])
    out1 = seq(h)
    out2 = L.Dense(1, name="head")(L.Add()([ha, hb]))
    model = k.Model([a, b], {"out1": out1, "out2": out2}, name="nested")
    return model, [normal("nested_a", (3, 4)), normal("nested_b", (3, 4))]


def sequential_in_timedistributed(k):
    L = k.layers
    inner = k.Sequential([k.Input((4,)), L.Dense(3), L.Dense(2)], name="step")
    x = k.Input((5, 4), name="x")
    h = L.TimeDistributed(inner)(x)
    h = L.LSTM(2)(h)
    model = k.Model(x, h, name="sequential_in_timedistributed")
    return model, [normal("sequential_in_timedistributed", (2, 5, 4))]


# --- preprocessing --------------------------------------------------------------------------


def numeric_preprocessing(k):
    L = k.layers
    data = normal("numeric_preprocessing_adapt", (20, 3), scale=3.0) + 1.0
    norm = L.Normalization()
    norm.adapt(data)
    disc = L.Discretization(num_bins=4)
    disc.adapt(data[:, 0])
    x = k.Input((3,), name="x")
    h = norm(x)
    bins = L.CategoryEncoding(num_tokens=4, output_mode="count")(disc(x))
    y = L.Concatenate()([h, bins, L.Dense(2)(h)])
    return k.Model(x, y, name="numeric_preprocessing"), [normal("numeric_preprocessing", (4, 3), 3)]


def image_preprocessing(k):
    L = k.layers
    x = k.Input((8, 8, 3), name="x")
    h = L.Rescaling(1 / 4.0, offset=-0.5)(x)
    h = L.Resizing(6, 6, interpolation="bilinear")(h)
    h = L.CenterCrop(4, 4)(h)
    for layer in (
        L.RandomFlip(seed=1),
        L.RandomRotation(0.1, seed=1),
        L.RandomZoom(0.1, seed=1),
        L.RandomTranslation(0.1, 0.1, seed=1),
        L.RandomContrast(0.2, seed=1),
        L.RandomBrightness(0.2, seed=1),
    ):
        h = layer(h)
    y = L.Conv2D(2, 3)(h)
    return k.Model(x, y, name="image_preprocessing"), [
        rng("image_preprocessing").uniform(0, 4, (2, 8, 8, 3)).astype("float32")
    ]


def integer_lookup(k):
    L = k.layers
    lookup = L.IntegerLookup(output_mode="int")
    lookup.adapt(np.array([[3, 5, 5], [7, 3, 3]], dtype="int64"))
    x = k.Input((3,), dtype="int64", name="x")
    h = lookup(x)
    h = L.Embedding(6, 2)(h)
    y = L.Flatten()(h)
    data = np.array([[3, 5, 9], [7, 7, 3]], dtype="int64")
    return k.Model(x, y, name="integer_lookup"), [data]


def string_lookup(k):
    L = k.layers
    lookup = L.StringLookup(output_mode="multi_hot")
    lookup.adapt(np.array([["a", "b", "b"], ["c", "a", "a"]]))
    tv = L.TextVectorization(max_tokens=8, output_sequence_length=4)
    tv.adapt(np.array(["the cat sat", "the dog sat down", "a cat"]))
    s = k.Input((3,), dtype="string", name="s")
    t = k.Input((), dtype="string", name="t")
    h1 = L.Dense(2)(lookup(s))
    h2 = L.Flatten()(L.Embedding(8, 2)(tv(t)))
    y = L.Concatenate()([h1, h2])
    s_data = np.array([["a", "c", "zz"], ["b", "b", "a"]])
    t_data = np.array(["the cat", "a dog sat on the mat"])
    return k.Model([s, t], y, name="string_lookup"), [s_data, t_data]


BUILDERS = {
    f.__name__: f
    for f in (
        core_mlp,
        activations,
        einsum_identity,
        conv1d,
        conv2d,
        conv3d,
        reshaping,
        merging,
        attention,
        attention_k3,
        normalizations,
        embedding_rnn,
        masking_rnn,
        rnn_cells,
        conv_lstm,
        nested,
        sequential_in_timedistributed,
        numeric_preprocessing,
        image_preprocessing,
        integer_lookup,
        string_lookup,
        augmentations,
        audio,
        misc_k3,
        hashing,
        rnn_states,
        mask_pooling,
        dtypes,
        sequential_deferred,
        lambda_layer,
    )
}

# builders that need more than Keras 3 on torch (see the module docstring)
FLAGS = {
    "attention_k3": {"k3"},
    "einsum_identity": set(),
    "conv1d": {"k3"},  # adaptive pooling
    "conv2d": {"k3"},
    "conv3d": {"k3"},
    "string_lookup": {"tf"},
    "hashing": {"tf"},
    "augmentations": {"k3"},
    "audio": {"k3"},
    "misc_k3": {"k3"},
    "integer_lookup": {"tf"},
    "numeric_preprocessing": {"tf"},
}
