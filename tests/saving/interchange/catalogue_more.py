"""Catalogue builders, continued (see catalogue.py): augmentation, audio, Keras-3-only,
hashing, recurrent-state, masking, dtype, deferred-build and Lambda models."""

import numpy as np
from catalogue_helpers import normal, rng


def augmentations(k):
    L = k.layers
    x = k.Input((8, 8, 3), name="x")
    h = x
    for layer in (
        L.AutoContrast(value_range=(0, 255)),
        L.Solarization(addition_factor=0.1, threshold_factor=0.5, value_range=(0, 255), seed=1),
        L.RandomColorDegeneration(0.3, seed=1),
        L.RandomColorJitter(value_range=(0, 255), brightness_factor=0.2, seed=1),
        L.RandomGaussianBlur(factor=0.5, seed=1),
        L.RandomGrayscale(factor=0.5),
        L.RandomHue(0.2, value_range=(0, 255), seed=1),
        L.RandomInvert(0.5, value_range=(0, 255), seed=1),
        L.RandomPosterization(factor=(1, 4), value_range=(0, 255), seed=1),
        L.RandomSaturation(0.3, seed=1),
        L.RandomSharpness(0.3, value_range=(0, 255), seed=1),
        L.RandomErasing(factor=0.5, seed=1),
        L.RandomPerspective(factor=0.5, seed=1),
        L.RandomElasticTransform(factor=0.5, seed=1),
        L.AugMix(value_range=(0, 255), seed=1),
        L.RandAugment(value_range=(0, 255), seed=1),
        L.CutMix(seed=1),
        L.MixUp(seed=1),
        L.Pipeline([L.RandomFlip(seed=1), L.Rescaling(0.5)]),
    ):
        # Rescaling(1.0) between: Keras sees a cycle where an inactive layer hands its input on
        h = L.Rescaling(1.0)(layer(h))
    y = L.Conv2D(2, 3)(h)
    data = rng("augmentations").uniform(0, 255, (2, 8, 8, 3)).astype("float32")
    return k.Model(x, y, name="augmentations"), [data]


def audio(k):
    L = k.layers
    x = k.Input((64,), name="x")
    mel = L.MelSpectrogram(fft_length=16, sequence_stride=8, num_mel_bins=4, sampling_rate=800)(x)
    stft = L.STFTSpectrogram(frame_length=16, frame_step=8, fft_length=16, mode="log")(
        L.Reshape((64, 1))(x)
    )
    y = L.Concatenate()([L.Flatten()(mel), L.Flatten()(stft)])
    return k.Model(x, L.Dense(3)(y), name="audio"), [normal("audio", (2, 64))]


def misc_k3(k):
    L = k.layers
    tokens = k.Input((4,), dtype="int32", name="tokens")
    emb = L.ReversibleEmbedding(10, 3)
    h = emb(tokens)
    h = L.SpectralNormalization(L.Dense(3))(h)
    logits = emb(h, reverse=True)
    vol = k.Input((2, 4, 4, 4, 1), name="vol")
    v = L.ConvLSTM3D(2, 2, padding="same")(vol)
    model = k.Model([tokens, vol], [logits, L.GlobalAveragePooling3D()(v)], name="misc_k3")
    data = np.array([[1, 2, 3, 0], [9, 8, 7, 6]], dtype="int32")
    return model, [data, normal("misc_k3", (2, 2, 4, 4, 4, 1))]


def hashing(k):
    L = k.layers
    a = k.Input((2,), dtype="int64", name="a")
    b = k.Input((1,), dtype="int64", name="b")
    c = k.Input((1,), dtype="int64", name="c")
    h1 = L.Hashing(num_bins=5, output_mode="multi_hot")(a)
    h2 = L.HashedCrossing(num_bins=4, output_mode="one_hot")((b, c))
    y = L.Concatenate()([h1, h2])
    data = [
        np.array([[1, 7], [3, 3]], dtype="int64"),
        np.array([[2], [5]], dtype="int64"),
        np.array([[4], [9]], dtype="int64"),
    ]
    return k.Model([a, b, c], L.Dense(2)(y), name="hashing"), data


def rnn_states(k):
    L = k.layers
    x = k.Input((5, 3), name="x")
    seq, h, c = L.LSTM(4, return_sequences=True, return_state=True)(x)
    g = L.GRU(4, return_sequences=True)(seq, initial_state=h)
    out, state = L.SimpleRNN(2, return_state=True, go_backwards=True)(g)
    bi = L.Bidirectional(L.LSTM(2, return_sequences=True), merge_mode="ave")(seq)
    frames = k.Input((3, 4, 4, 1), name="frames")
    td = L.TimeDistributed(L.Conv2D(2, 3))(frames)
    td = L.TimeDistributed(L.Flatten())(td)
    y = L.Concatenate()([out, state, c, L.GlobalMaxPooling1D()(bi), L.GlobalAveragePooling1D()(td)])
    model = k.Model([x, frames], y, name="rnn_states")
    return model, [normal("rnn_states", (2, 5, 3)), normal("rnn_states_f", (2, 3, 4, 4, 1))]


def mask_pooling(k):
    L = k.layers
    x = k.Input((6,), dtype="int32", name="tokens")
    e = L.Embedding(9, 3, mask_zero=True)(x)
    a = L.GlobalAveragePooling1D()(e)
    h = L.Dense(3)(e)
    att = L.Attention()([h, e])
    b = L.GlobalMaxPooling1D()(att)
    y = L.Concatenate()([a, b])
    tokens = np.array([[1, 2, 0, 0, 0, 0], [8, 7, 6, 5, 4, 3]], dtype="int32")
    return k.Model(x, y, name="mask_pooling"), [tokens]


def dtypes(k):
    L = k.layers
    x = k.Input((4,), name="x")
    h = L.Dense(3, dtype="float64", name="wide")(x)
    h = L.Dense(3, dtype="bfloat16", name="narrow")(h)
    h = L.Activation("tanh", dtype="float32")(h)
    y = L.Dense(2, name="out")(h)
    return k.Model(x, y, name="dtypes"), [normal("dtypes", (3, 4))]


def sequential_deferred(k):
    """A Sequential without an Input, built by its first call, holding a Sequential."""
    L = k.layers
    inner = k.Sequential([L.Dense(4, activation="relu"), L.Dropout(0.1)], name="inner_seq")
    model = k.Sequential([inner, L.Dense(2), L.Softmax()], name="sequential_deferred")
    data = normal("sequential_deferred", (3, 5))
    model(data)
    return model, [data]


def lambda_layer(k):
    """A Lambda of a function registered under the same name in each library."""
    L = k.layers
    twice = register_twice(k)
    x = k.Input((3,), name="x")
    y = L.Lambda(twice, output_shape=(3,))(L.Dense(3)(x))
    return k.Model(x, y, name="lambda_layer"), [normal("lambda_layer", (2, 3))]


def register_twice(k):
    """`interchange>twice` registered with `k` (and returned): what loading a Lambda needs."""
    registered = k.saving.get_registered_object("interchange>twice")
    if registered is not None:
        return registered

    def twice(x):
        return x * 2.0

    return k.saving.register_keras_serializable(package="interchange", name="twice")(twice)
