"""Every registered layer class survives every file format.

`CASES` gives each class in `minikeras.layers.LAYER_CLASSES` a sensible default config and
input. A class missing from the table fails the test, so a new layer cannot skip saving:
add an entry (or, for classes that are not standalone layers, a reason string).
"""

import numpy as np
import pytest
from helpers_saving import check_saving_roundtrip

import minikeras as keras

L = keras.layers
IMG = (2, 6, 6, 3)
VOL = (2, 4, 4, 4, 2)
SEQ = (2, 8, 3)


def case(kwargs=None, shape=(2, 5), dtype="float32", call=None):
    return {"kwargs": kwargs or {}, "shape": shape, "dtype": dtype, "call": call}


CASES = {
    # core
    "Dense": case({"units": 3, "activation": "relu"}),
    "EinsumDense": case({"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c"}),
    "Embedding": case({"input_dim": 10, "output_dim": 4}, (2, 5), "int32"),
    "Identity": case(),
    "Lambda": case({"function": keras.activations.softplus}),
    "Masking": case({"mask_value": 0.0}, (2, 4, 3)),
    "InputLayer": "an input, not a layer one calls: every model in this file has one",
    "Layer": "the abstract base class",
    "OpLayer": "built from keras.ops calls on symbolic tensors; tested in test_roundtrip",
    "Wrapper": "the abstract base class of TimeDistributed and Bidirectional",
    # activations
    "Activation": case({"activation": "tanh"}),
    "ELU": case({"alpha": 0.5}),
    "LeakyReLU": case({"negative_slope": 0.1}),
    "PReLU": case({"shared_axes": [1]}, (2, 4, 3)),
    "ReLU": case({"max_value": 1.0}),
    "Softmax": case({"axis": -1}),
    # attention
    "Attention": case({"use_scale": True}, [(2, 3, 4), (2, 5, 4)]),
    "AdditiveAttention": case({}, [(2, 3, 4), (2, 5, 4)]),
    "MultiHeadAttention": case({"num_heads": 2, "key_dim": 3}, [(2, 3, 4), (2, 5, 4)], call="args"),
    "GroupQueryAttention": case(
        {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1},
        [(2, 3, 4), (2, 5, 4)],
        call="args",
    ),
    # the class's own name (Keras 3 exports it as GroupQueryAttention, saves GroupedQueryAttention)
    "GroupedQueryAttention": case(
        {"head_dim": 2, "num_query_heads": 4, "num_key_value_heads": 2, "use_gate": True},
        [(2, 3, 4), (2, 5, 4)],
        call="args",
    ),
    # convolutions
    "Conv1D": case({"filters": 4, "kernel_size": 3, "padding": "same"}, SEQ),
    "Conv2D": case({"filters": 4, "kernel_size": 3, "strides": 2}, IMG),
    "Conv3D": case({"filters": 2, "kernel_size": 2}, VOL),
    "Conv1DTranspose": case({"filters": 4, "kernel_size": 3, "strides": 2}, SEQ),
    "Conv2DTranspose": case({"filters": 4, "kernel_size": 3, "strides": 2}, IMG),
    "Conv3DTranspose": case({"filters": 2, "kernel_size": 2}, VOL),
    "DepthwiseConv1D": case({"kernel_size": 3, "depth_multiplier": 2}, SEQ),
    "DepthwiseConv2D": case({"kernel_size": 3, "depth_multiplier": 2}, IMG),
    "SeparableConv1D": case({"filters": 4, "kernel_size": 3}, SEQ),
    "SeparableConv2D": case({"filters": 4, "kernel_size": 3}, IMG),
    # merging
    "Add": case({}, [(2, 5), (2, 5)]),
    "Subtract": case({}, [(2, 5), (2, 5)]),
    "Multiply": case({}, [(2, 5), (2, 5)]),
    "Average": case({}, [(2, 5), (2, 5)]),
    "Maximum": case({}, [(2, 5), (2, 5)]),
    "Minimum": case({}, [(2, 5), (2, 5)]),
    "Concatenate": case({"axis": -1}, [(2, 5), (2, 3)]),
    "Dot": case({"axes": 1}, [(2, 5), (2, 5)]),
    # normalization
    "BatchNormalization": case({"momentum": 0.9}, (2, 4, 3)),
    "LayerNormalization": case({"epsilon": 1e-3}, (2, 4, 3)),
    "GroupNormalization": case({"groups": 2}, (2, 4, 6)),
    "UnitNormalization": case({"axis": -1}),
    "RMSNormalization": case({}, (2, 4, 3)),
    "SpectralNormalization": case(lambda: {"layer": L.Dense(3)}),
    # pooling
    "AveragePooling1D": case({"pool_size": 2}, SEQ),
    "AveragePooling2D": case({"pool_size": 2}, IMG),
    "AveragePooling3D": case({"pool_size": 2}, VOL),
    "MaxPooling1D": case({"pool_size": 2}, SEQ),
    "MaxPooling2D": case({"pool_size": 2, "padding": "same"}, IMG),
    "MaxPooling3D": case({"pool_size": 2}, VOL),
    "GlobalAveragePooling1D": case({}, SEQ),
    "GlobalAveragePooling2D": case({"keepdims": True}, IMG),
    "GlobalAveragePooling3D": case({}, VOL),
    "GlobalMaxPooling1D": case({}, SEQ),
    "GlobalMaxPooling2D": case({}, IMG),
    "GlobalMaxPooling3D": case({}, VOL),
    # preprocessing (inference mode: the random ones are identities)
    "CenterCrop": case({"height": 4, "width": 4}, IMG),
    "Normalization": case({"mean": [0.1, 0.2, 0.3], "variance": [1.0, 2.0, 3.0]}, (2, 3)),
    "RandomContrast": case({"factor": 0.5}, IMG),
    "RandomFlip": case({}, IMG),
    "RandomRotation": case({"factor": 0.2}, IMG),
    "RandomTranslation": case({"height_factor": 0.2, "width_factor": 0.2}, IMG),
    "RandomZoom": case({"height_factor": 0.2}, IMG),
    "RandomBrightness": case({"factor": 0.2}, IMG),
    "RandomCrop": case({"height": 4, "width": 4}, IMG),
    "RandomColorJitter": case({"brightness_factor": 0.2, "hue_factor": [0.1, 0.3]}, IMG),
    "RandomGrayscale": case({"factor": 0.3}, IMG),
    "RandomHue": case({"factor": 0.2, "value_range": (0, 1)}, IMG),
    "RandomSaturation": case({"factor": [0.2, 0.7]}, IMG),
    "RandomSharpness": case({"factor": 0.4, "value_range": [0, 1]}, IMG),
    "Solarization": case({"addition_factor": 0.1, "threshold_factor": [0.2, 0.5]}, IMG),
    "AutoContrast": case({"value_range": [0, 1]}, IMG),
    "RandomErasing": case({"factor": 0.5, "scale": [0.1, 0.4], "fill_value": [1, 2, 3]}, IMG),
    "RandomColorDegeneration": case({"factor": 0.3}, IMG),
    "RandomInvert": case({"factor": 0.5, "value_range": (0, 1)}, IMG),
    "RandomPosterization": case({"factor": 4}, IMG),
    "RandomShear": case({"x_factor": 0.2, "y_factor": [0.1, 0.3], "fill_mode": "constant"}, IMG),
    "Equalization": case({"value_range": [-3, 3], "bins": 32}, IMG),
    "MixUp": case({"alpha": 0.4}, IMG),
    "CutMix": case({"factor": [0.2, 0.8]}, IMG),
    "RandomGaussianBlur": case(
        {"factor": 0.8, "kernel_size": [3, 5], "sigma": 0.6, "value_range": [-3, 3]}, IMG
    ),
    "RandomPerspective": case(
        {"factor": 0.7, "scale": 0.4, "interpolation": "nearest", "fill_value": 1.0}, IMG
    ),
    "RandomElasticTransform": case(
        {"factor": 0.9, "scale": [0.2, 0.6], "fill_mode": "constant", "value_range": [-3, 3]}, IMG
    ),
    "RandAugment": case({"value_range": [-3, 3], "num_ops": 3, "factor": 0.4}, IMG),
    "AugMix": case(
        {"value_range": [-3, 3], "num_chains": 2, "chain_depth": 2, "alpha": 0.5, "all_ops": False},
        IMG,
    ),
    "Rescaling": case({"scale": 0.5, "offset": 1.0}),
    "CategoryEncoding": case({"num_tokens": 10, "output_mode": "count"}, (2, 5), "int32"),
    "Discretization": case({"bin_boundaries": [-1.0, 0.0, 1.0]}),
    "HashedCrossing": case({"num_bins": 7}, [(2,), (2,)], "int32"),
    "Hashing": case({"num_bins": 5}, (2, 5), "int32"),
    "IntegerLookup": case({"vocabulary": [1, 2, 3, 4], "mask_token": 9}, (2, 5), "int32"),
    "StringLookup": case(
        {"vocabulary": ["a", "b", "c"], "output_mode": "multi_hot"}, (2, 5), "string"
    ),
    "TextVectorization": case(
        {"vocabulary": ["a", "b", "c"], "output_sequence_length": 4}, (2, 1), "string"
    ),
    "Resizing": case({"height": 4, "width": 5}, IMG),
    # regularization
    "ActivityRegularization": case({"l1": 0.01}),
    "AlphaDropout": case({"rate": 0.3}),
    "Dropout": case({"rate": 0.3}),
    "GaussianDropout": case({"rate": 0.3}),
    "GaussianNoise": case({"stddev": 0.1}),
    "SpatialDropout1D": case({"rate": 0.3}, SEQ),
    "SpatialDropout2D": case({"rate": 0.3}, IMG),
    "SpatialDropout3D": case({"rate": 0.3}, VOL),
    # reshaping and spatial
    "Flatten": case({}, (2, 3, 4)),
    "Permute": case({"dims": [2, 1]}, (2, 3, 4)),
    "RepeatVector": case({"n": 3}),
    "Reshape": case({"target_shape": [2, 6]}, (2, 3, 4)),
    "Cropping1D": case({"cropping": 1}, SEQ),
    "Cropping2D": case({"cropping": 1}, IMG),
    "Cropping3D": case({"cropping": 1}, VOL),
    "UpSampling1D": case({"size": 2}, (2, 4, 3)),
    "UpSampling2D": case({"size": 2}, IMG),
    "UpSampling3D": case({"size": 2}, VOL),
    "ZeroPadding1D": case({"padding": 1}, SEQ),
    "ZeroPadding2D": case({"padding": 1}, IMG),
    "ZeroPadding3D": case({"padding": 1}, VOL),
    # recurrent and wrappers
    "SimpleRNN": case({"units": 4, "return_sequences": True}, SEQ),
    "LSTM": case({"units": 4}, SEQ),
    "GRU": case({"units": 4, "reset_after": False}, SEQ),
    "RNN": case(lambda: {"cell": L.LSTMCell(4)}, SEQ),
    "Bidirectional": case(lambda: {"layer": L.GRU(3, return_sequences=True)}, SEQ),
    "ConvLSTM1D": case({"filters": 2, "kernel_size": 3}, (2, 4, 6, 3)),
    "ConvLSTM2D": case({"filters": 2, "kernel_size": 3}, (2, 3, 6, 6, 3)),
    "ConvLSTM3D": case({"filters": 2, "kernel_size": 2}, (2, 3, 4, 4, 4, 2)),
    "SimpleRNNCell": "a cell, used inside RNN (covered by the RNN entry)",
    "LSTMCell": "a cell, used inside RNN (covered by the RNN entry)",
    "GRUCell": "a cell, used inside RNN (covered by the RNN entry)",
    "StackedRNNCells": case(lambda: {"cells": [L.LSTMCell(3), L.GRUCell(2)]}, SEQ, call="rnn"),
    "TimeDistributed": case(lambda: {"layer": L.Dense(3)}, (2, 4, 5)),
    # issue 16's second batch
    "AdaptiveAveragePooling1D": case({"output_size": 3}, SEQ),
    "AdaptiveAveragePooling2D": case({"output_size": (4, 2)}, IMG),
    "AdaptiveAveragePooling3D": case({"output_size": 3}, VOL),
    "AdaptiveMaxPooling1D": case({"output_size": 3}, SEQ),
    "AdaptiveMaxPooling2D": case({"output_size": (4, 2)}, IMG),
    "AdaptiveMaxPooling3D": case({"output_size": 3}, VOL),
    "ReversibleEmbedding": case(
        {"input_dim": 10, "output_dim": 4, "tie_weights": False}, (2, 5), "int32"
    ),
    "Pipeline": case(lambda: {"layers": [L.Rescaling(0.5), L.Dense(3)]}),
    "MelSpectrogram": case({"fft_length": 32, "sequence_stride": 8, "num_mel_bins": 6}, (2, 64)),
    "STFTSpectrogram": case({"frame_length": 8, "frame_step": 4}, (2, 24, 2)),
    "ContrastLimitedAdaptiveHistogramEqualization": case({"tile_grid_size": (2, 3)}, IMG),
    "MaxNumBoundingBoxes": case({"max_number": 3}, IMG),
}


def _classes():
    unique = {}
    for cls in keras.layers.LAYER_CLASSES.values():
        unique.setdefault(cls.__name__, cls)
    return sorted(unique)


def _data(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    if dtype == "string":  # text for the lookup layers: known words, unknown ones, phrases
        return rng.choice(np.array(["a", "b", "c", "c a", "zz"]), size=shape)
    if np.dtype(dtype).kind in "iu":
        return rng.integers(1, 10, size=shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("name", _classes())
def test_layer_survives_every_format(name):
    assert name in CASES, (
        f"Layer class {name} has no entry in tests/saving/test_all_layers.py CASES: add a default "
        "config and input so that its saving is tested."
    )
    entry = CASES[name]
    if isinstance(entry, str):
        pytest.skip(entry)
    cls = keras.layers.LAYER_CLASSES[name]
    kwargs = entry["kwargs"]() if callable(entry["kwargs"]) else dict(entry["kwargs"])
    if entry["call"] == "rnn":  # a cell stack is a layer run by RNN
        cells = kwargs["cells"]
        cls, kwargs = keras.layers.LAYER_CLASSES["RNN"], {"cell": cls(cells)}
    shape = entry["shape"]
    if isinstance(shape, list):
        x = [_data(s, entry["dtype"], i) for i, s in enumerate(shape)]
    else:
        x = _data(shape, entry["dtype"], 0)
    check_saving_roundtrip(cls, kwargs, x, {}, call_style=entry["call"])
