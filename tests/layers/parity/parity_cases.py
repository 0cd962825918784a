"""The layer cases of the Keras 3 parity sweep, as plain data shared by `make_fixtures.py` (which
records Keras's answers) and `test_layers_parity.py` (which replays them on minikeras).

A case is `(name, class_name, kwargs, inputs)`. `inputs` is a list of input specs
`(shape, kind)`: kind "f" standard normal float32, "pos" uniform (0.1, 1) float32, "img" uniform
[0, 255] float32, "int<N>" int32 in [0, N), "str" strings. A kwargs value `["@layer", cls, kw]`
is a nested layer built from `cls(**kw)`. A case name ending in "~" is random in training, so only
its training=False call is compared. `MASK_CASES` give an input mask too (`[batch, steps]` booleans
where True keeps the step).
"""


def L(cls, **kw):
    return ["@layer", cls, kw]


F = "f"
C1 = [((2, 6, 3), F)]
C2 = [((2, 6, 5, 3), F)]
C3 = [((2, 4, 4, 4, 2), F)]
SEQ = [((2, 5, 3), F)]
VEC = [((3, 4), F)]
IMG = [((2, 8, 8, 3), "img")]

LAYER_CASES = [
    # core
    ("dense", "Dense", {"units": 3}, VEC),
    ("dense_nd", "Dense", {"units": 2, "activation": "relu", "use_bias": False}, SEQ),
    ("einsum", "EinsumDense", {"equation": "ab,bc->ac", "output_shape": 3}, VEC),
    (
        "einsum_b",
        "EinsumDense",
        {
            "equation": "abc,cd->abd",
            "output_shape": [None, 2],
            "bias_axes": "d",
            "activation": "tanh",
        },
        SEQ,
    ),
    ("embedding", "Embedding", {"input_dim": 7, "output_dim": 3}, [((2, 5), "int7")]),
    (
        "embedding_mz",
        "Embedding",
        {"input_dim": 7, "output_dim": 2, "mask_zero": True},
        [((2, 5), "int7")],
    ),
    ("rev_embedding", "ReversibleEmbedding", {"input_dim": 7, "output_dim": 3}, [((2, 5), "int7")]),
    ("identity", "Identity", {}, VEC),
    ("masking", "Masking", {}, SEQ),
    ("masking_v", "Masking", {"mask_value": 0.5}, SEQ),
    ("activation", "Activation", {"activation": "relu"}, VEC),
    ("activation_g", "Activation", {"activation": "gelu"}, VEC),
    # activations
    ("elu", "ELU", {}, VEC),
    ("elu_a", "ELU", {"alpha": 0.5}, VEC),
    ("leaky_relu", "LeakyReLU", {}, VEC),
    ("leaky_relu_s", "LeakyReLU", {"negative_slope": 0.1}, VEC),
    ("prelu", "PReLU", {}, SEQ),
    ("prelu_s", "PReLU", {"shared_axes": [1], "alpha_initializer": "ones"}, SEQ),
    ("relu", "ReLU", {}, VEC),
    ("relu_m", "ReLU", {"max_value": 0.5, "negative_slope": 0.1, "threshold": 0.1}, VEC),
    ("softmax", "Softmax", {}, VEC),
    ("softmax_a", "Softmax", {"axis": 1}, SEQ),
    # convolution
    ("conv1d", "Conv1D", {"filters": 2, "kernel_size": 3}, C1),
    (
        "conv1d_b",
        "Conv1D",
        {
            "filters": 4,
            "kernel_size": 2,
            "strides": 2,
            "padding": "same",
            "dilation_rate": 1,
            "groups": 1,
            "activation": "relu",
        },
        C1,
    ),
    (
        "conv1d_causal",
        "Conv1D",
        {"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
        C1,
    ),
    ("conv2d", "Conv2D", {"filters": 2, "kernel_size": 3}, C2),
    (
        "conv2d_b",
        "Conv2D",
        {
            "filters": 3,
            "kernel_size": [2, 3],
            "strides": 2,
            "padding": "same",
            "use_bias": False,
            "groups": 3,
        },
        C2,
    ),
    ("conv3d", "Conv3D", {"filters": 2, "kernel_size": 2}, C3),
    ("conv1dt", "Conv1DTranspose", {"filters": 2, "kernel_size": 3}, C1),
    (
        "conv1dt_b",
        "Conv1DTranspose",
        {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
        C1,
    ),
    ("conv2dt", "Conv2DTranspose", {"filters": 2, "kernel_size": 3}, C2),
    (
        "conv2dt_b",
        "Conv2DTranspose",
        {"filters": 2, "kernel_size": 2, "strides": 2, "output_padding": 1, "padding": "valid"},
        C2,
    ),
    ("conv3dt", "Conv3DTranspose", {"filters": 2, "kernel_size": 2}, C3),
    ("dwconv1d", "DepthwiseConv1D", {"kernel_size": 3}, C1),
    ("dwconv2d", "DepthwiseConv2D", {"kernel_size": 3}, C2),
    (
        "dwconv2d_b",
        "DepthwiseConv2D",
        {"kernel_size": 2, "depth_multiplier": 2, "padding": "same", "strides": 2},
        C2,
    ),
    ("sepconv1d", "SeparableConv1D", {"filters": 2, "kernel_size": 3}, C1),
    ("sepconv2d", "SeparableConv2D", {"filters": 2, "kernel_size": 3}, C2),
    (
        "sepconv2d_b",
        "SeparableConv2D",
        {"filters": 4, "kernel_size": 2, "depth_multiplier": 2, "padding": "same"},
        C2,
    ),
    ("convolution2d", "Convolution2D", {"filters": 2, "kernel_size": 1}, C2),
    # pooling
    ("maxpool1d", "MaxPooling1D", {}, C1),
    ("maxpool1d_b", "MaxPooling1D", {"pool_size": 3, "strides": 1, "padding": "same"}, C1),
    ("maxpool2d", "MaxPooling2D", {}, C2),
    ("maxpool2d_b", "MaxPooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, C2),
    ("maxpool3d", "MaxPooling3D", {}, C3),
    ("avgpool1d", "AveragePooling1D", {"pool_size": 2}, C1),
    ("avgpool2d", "AveragePooling2D", {"pool_size": 2}, C2),
    ("avgpool2d_b", "AveragePooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, C2),
    ("avgpool3d", "AveragePooling3D", {"pool_size": 2}, C3),
    ("gap1d", "GlobalAveragePooling1D", {}, C1),
    ("gap1d_k", "GlobalAveragePooling1D", {"keepdims": True}, C1),
    ("gap2d", "GlobalAveragePooling2D", {}, C2),
    ("gap3d", "GlobalAveragePooling3D", {}, C3),
    ("gmp1d", "GlobalMaxPooling1D", {}, C1),
    ("gmp2d", "GlobalMaxPooling2D", {"keepdims": True}, C2),
    ("gmp3d", "GlobalMaxPooling3D", {}, C3),
    ("adavg1d", "AdaptiveAveragePooling1D", {"output_size": 3}, C1),
    ("adavg2d", "AdaptiveAveragePooling2D", {"output_size": [3, 2]}, C2),
    ("adavg3d", "AdaptiveAveragePooling3D", {"output_size": 2}, C3),
    ("admax1d", "AdaptiveMaxPooling1D", {"output_size": 4}, C1),
    ("admax2d", "AdaptiveMaxPooling2D", {"output_size": 2}, C2),
    ("admax3d", "AdaptiveMaxPooling3D", {"output_size": [2, 1, 2]}, C3),
    # normalization
    ("batchnorm", "BatchNormalization", {}, VEC),
    (
        "batchnorm_b",
        "BatchNormalization",
        {"axis": 1, "momentum": 0.9, "epsilon": 1e-2, "center": False},
        SEQ,
    ),
    ("layernorm", "LayerNormalization", {}, SEQ),
    ("layernorm_b", "LayerNormalization", {"axis": [1, 2], "scale": False, "epsilon": 1e-2}, SEQ),
    ("groupnorm", "GroupNormalization", {"groups": 2}, [((2, 5, 4), F)]),
    ("groupnorm_d", "GroupNormalization", {}, [((2, 5, 64), F)]),
    ("unitnorm", "UnitNormalization", {}, VEC),
    ("rmsnorm", "RMSNormalization", {}, SEQ),
    ("spectralnorm", "SpectralNormalization", {"layer": L("Dense", units=3)}, VEC),
    # regularization (random ones end in ~)
    ("dropout~", "Dropout", {"rate": 0.5}, VEC),
    ("spatialdropout1d~", "SpatialDropout1D", {"rate": 0.5}, C1),
    ("spatialdropout2d~", "SpatialDropout2D", {"rate": 0.5}, C2),
    ("spatialdropout3d~", "SpatialDropout3D", {"rate": 0.5}, C3),
    ("gaussiandropout~", "GaussianDropout", {"rate": 0.3}, VEC),
    ("gaussiannoise~", "GaussianNoise", {"stddev": 0.3}, VEC),
    ("alphadropout~", "AlphaDropout", {"rate": 0.3}, VEC),
    ("actreg", "ActivityRegularization", {}, VEC),
    ("actreg_b", "ActivityRegularization", {"l1": 0.1, "l2": 0.2}, VEC),
    # reshaping
    ("flatten", "Flatten", {}, C2),
    ("permute", "Permute", {"dims": [2, 1]}, SEQ),
    ("repeat", "RepeatVector", {"n": 3}, VEC),
    ("reshape", "Reshape", {"target_shape": [3, 5]}, SEQ),
    ("reshape_m", "Reshape", {"target_shape": [-1, 3]}, SEQ),
    ("cropping1d", "Cropping1D", {}, C1),
    ("cropping1d_b", "Cropping1D", {"cropping": [2, 1]}, C1),
    ("cropping2d", "Cropping2D", {"cropping": [[1, 0], [2, 1]]}, C2),
    ("cropping3d", "Cropping3D", {"cropping": 1}, C3),
    ("zeropad1d", "ZeroPadding1D", {}, C1),
    ("zeropad2d", "ZeroPadding2D", {"padding": [[1, 0], [0, 2]]}, C2),
    ("zeropad3d", "ZeroPadding3D", {}, C3),
    ("upsampling1d", "UpSampling1D", {}, C1),
    ("upsampling2d", "UpSampling2D", {"size": [2, 3]}, C2),
    ("upsampling2d_b", "UpSampling2D", {"interpolation": "bilinear"}, C2),
    ("upsampling3d", "UpSampling3D", {}, C3),
    # merging
    ("add", "Add", {}, [((3, 4), F), ((3, 4), F)]),
    ("subtract", "Subtract", {}, [((3, 4), F), ((3, 4), F)]),
    ("multiply", "Multiply", {}, [((3, 4), F), ((3, 4), F)]),
    ("average", "Average", {}, [((3, 4), F), ((3, 4), F)]),
    ("maximum", "Maximum", {}, [((3, 4), F), ((3, 4), F)]),
    ("minimum", "Minimum", {}, [((3, 4), F), ((3, 4), F)]),
    ("concatenate", "Concatenate", {}, [((3, 4), F), ((3, 2), F)]),
    ("concatenate_a", "Concatenate", {"axis": 1}, [((2, 3, 4), F), ((2, 2, 4), F)]),
    ("dot", "Dot", {"axes": 1}, [((3, 4), F), ((3, 4), F)]),
    ("dot_n", "Dot", {"axes": [2, 2], "normalize": True}, [((2, 3, 4), F), ((2, 5, 4), F)]),
    # attention
    ("attention", "Attention", {}, [((2, 3, 4), F), ((2, 5, 4), F)]),
    (
        "attention_b",
        "Attention",
        {"use_scale": True, "score_mode": "concat"},
        [((2, 3, 4), F), ((2, 5, 4), F)],
    ),
    ("add_attention", "AdditiveAttention", {}, [((2, 3, 4), F), ((2, 5, 4), F)]),
    ("mha", "MultiHeadAttention", {"num_heads": 2, "key_dim": 3}, [((2, 3, 4), F), ((2, 5, 4), F)]),
    (
        "mha_b",
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 2, "value_dim": 3, "use_bias": False, "output_shape": 5},
        [((2, 3, 4), F), ((2, 5, 4), F)],
    ),
    (
        "gqa",
        "GroupQueryAttention",
        {"head_dim": 2, "num_query_heads": 4, "num_key_value_heads": 2},
        [((2, 3, 4), F), ((2, 5, 4), F)],
    ),
    # recurrent
    ("simplernn", "SimpleRNN", {"units": 3}, SEQ),
    ("simplernn_b", "SimpleRNN", {"units": 2, "return_sequences": True, "go_backwards": True}, SEQ),
    ("lstm", "LSTM", {"units": 3}, SEQ),
    (
        "lstm_b",
        "LSTM",
        {"units": 2, "return_sequences": True, "return_state": True, "unit_forget_bias": False},
        SEQ,
    ),
    ("gru", "GRU", {"units": 3}, SEQ),
    ("gru_b", "GRU", {"units": 2, "reset_after": False, "return_sequences": True}, SEQ),
    ("rnn_cell", "RNN", {"cell": L("SimpleRNNCell", units=2)}, SEQ),
    (
        "rnn_stacked",
        "RNN",
        {"cell": L("StackedRNNCells", cells=[L("LSTMCell", units=2), L("GRUCell", units=3)])},
        SEQ,
    ),
    ("bidirectional", "Bidirectional", {"layer": L("LSTM", units=2)}, SEQ),
    (
        "bidirectional_b",
        "Bidirectional",
        {"layer": L("GRU", units=2, return_sequences=True), "merge_mode": "sum"},
        SEQ,
    ),
    ("convlstm1d", "ConvLSTM1D", {"filters": 2, "kernel_size": 2}, [((2, 3, 5, 2), F)]),
    (
        "convlstm2d",
        "ConvLSTM2D",
        {"filters": 2, "kernel_size": 2, "padding": "same", "return_sequences": True},
        [((2, 3, 4, 4, 2), F)],
    ),
    ("timedistributed", "TimeDistributed", {"layer": L("Dense", units=2)}, SEQ),
    # preprocessing (deterministic)
    ("rescaling", "Rescaling", {"scale": 0.5, "offset": 1.0}, IMG),
    ("resizing", "Resizing", {"height": 4, "width": 5}, IMG),
    (
        "resizing_b",
        "Resizing",
        {"height": 4, "width": 4, "interpolation": "nearest", "crop_to_aspect_ratio": True},
        [((2, 8, 6, 3), "img")],
    ),
    ("centercrop", "CenterCrop", {"height": 4, "width": 6}, IMG),
    (
        "normalization",
        "Normalization",
        {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]},
        VEC[:0] + [((3, 3), F)],
    ),
    ("discretization", "Discretization", {"bin_boundaries": [-0.5, 0.0, 0.5]}, VEC),
    ("category_encoding", "CategoryEncoding", {"num_tokens": 5}, [((3, 2), "int5")]),
    (
        "category_encoding_c",
        "CategoryEncoding",
        {"num_tokens": 5, "output_mode": "count"},
        [((3, 2), "int5")],
    ),
    ("autocontrast", "AutoContrast", {}, IMG),
    ("solarization~", "Solarization", {"addition_factor": 0.0, "threshold_factor": 0.5}, IMG),
    ("equalization", "Equalization", {}, IMG),
    # random preprocessing: only the config and the identity at inference
    ("random_flip~", "RandomFlip", {}, IMG),
    ("random_rotation~", "RandomRotation", {"factor": 0.2}, IMG),
    ("random_zoom~", "RandomZoom", {"height_factor": 0.2}, IMG),
    ("random_translation~", "RandomTranslation", {"height_factor": 0.1, "width_factor": 0.2}, IMG),
    ("random_contrast~", "RandomContrast", {"factor": 0.2}, IMG),
    ("random_brightness~", "RandomBrightness", {"factor": 0.2}, IMG),
    ("random_crop~", "RandomCrop", {"height": 4, "width": 4}, IMG),
    ("random_hue~", "RandomHue", {"factor": 0.2}, IMG),
    ("random_saturation~", "RandomSaturation", {"factor": 0.2}, IMG),
    ("random_sharpness~", "RandomSharpness", {"factor": 0.2}, IMG),
    ("random_grayscale~", "RandomGrayscale", {}, IMG),
    ("random_invert~", "RandomInvert", {}, IMG),
    ("random_posterization~", "RandomPosterization", {"factor": [1, 8]}, IMG),
    ("random_shear~", "RandomShear", {}, IMG),
    ("random_erasing~", "RandomErasing", {}, IMG),
    ("random_gaussian_blur~", "RandomGaussianBlur", {}, IMG),
    ("random_perspective~", "RandomPerspective", {}, IMG),
    ("random_color_degeneration~", "RandomColorDegeneration", {"factor": 0.2}, IMG),
    ("random_color_jitter~", "RandomColorJitter", {}, IMG),
    ("random_elastic~", "RandomElasticTransform", {}, IMG),
    ("mixup~", "MixUp", {}, IMG),
    ("cutmix~", "CutMix", {}, IMG),
    ("augmix~", "AugMix", {}, IMG),
    ("randaugment~", "RandAugment", {}, IMG),
]

# Where minikeras answers differently on purpose: case name -> the reason.
DEVIATIONS = {
    "random_crop~": "Keras 3.15 returns the input unchanged at inference (keras-team/keras#21868, "
    "fixed by #22328); minikeras crops the centred window of the target aspect, as documented",
    "avgpool2d_b": "Keras's torch backend counts the padding of an uneven 'same' window in the "
    "average; its JAX and TensorFlow backends (and minikeras) average the real entries only",
}

# Layers called with their inputs as separate positional arguments, not one list.
POSITIONAL = {"MultiHeadAttention", "GroupQueryAttention"}

# Layers whose output mask is compared, with an input mask for the first input.
MASK_CASES = {
    "masking",
    "masking_v",
    "embedding_mz",
    "dense_nd",
    "simplernn_b",
    "lstm",
    "gru_b",
    "bidirectional_b",
    "timedistributed",
    "layernorm",
    "concatenate_a",
    "add",
    "activation",
    "dropout~",
    "attention",
    "flatten",
    "reshape",
    "permute",
    "conv1d",
}

# Constructor arguments or inputs that Keras rejects: (name, class_name, kwargs, input or None).
ERROR_CASES = [
    ("dense_units0", "Dense", {"units": 0}, None),
    ("dense_units_neg", "Dense", {"units": -1}, None),
    ("dense_units_float", "Dense", {"units": 2.5}, None),
    ("conv2d_filters0", "Conv2D", {"filters": 0, "kernel_size": 3}, None),
    ("conv2d_kernel0", "Conv2D", {"filters": 2, "kernel_size": 0}, None),
    ("conv2d_padding", "Conv2D", {"filters": 2, "kernel_size": 3, "padding": "full"}, None),
    ("conv2d_rank", "Conv2D", {"filters": 2, "kernel_size": 3}, [((2, 5, 3), F)]),
    (
        "conv1d_causal_t",
        "Conv1DTranspose",
        {"filters": 2, "kernel_size": 3, "padding": "causal"},
        None,
    ),
    ("conv2d_groups", "Conv2D", {"filters": 3, "kernel_size": 1, "groups": 2}, None),
    ("dropout_rate", "Dropout", {"rate": 1.5}, None),
    ("dropout_rate_neg", "Dropout", {"rate": -0.1}, None),
    ("spatialdropout_rank", "SpatialDropout2D", {"rate": 0.2}, [((3, 4), F)]),
    ("maxpool_rank", "MaxPooling2D", {}, [((3, 4), F)]),
    ("lstm_units0", "LSTM", {"units": 0}, None),
    ("lstm_rank", "LSTM", {"units": 2}, [((3, 4), F)]),
    ("gru_units_neg", "GRU", {"units": -2}, None),
    ("simplernn_units0", "SimpleRNN", {"units": 0}, None),
    ("embedding_dim0", "Embedding", {"input_dim": 0, "output_dim": 2}, None),
    ("embedding_out0", "Embedding", {"input_dim": 3, "output_dim": 0}, None),
    ("reshape_bad", "Reshape", {"target_shape": [4, 4]}, SEQ),
    ("permute_bad", "Permute", {"dims": [0, 1]}, None),
    ("repeat_rank", "RepeatVector", {"n": 2}, SEQ),
    ("batchnorm_axis", "BatchNormalization", {"axis": 5}, VEC),
    ("layernorm_axis", "LayerNormalization", {"axis": 5}, VEC),
    ("groupnorm_groups", "GroupNormalization", {"groups": 3}, [((2, 5, 4), F)]),
    ("concat_shapes", "Concatenate", {}, [((3, 4), F), ((2, 2), F)]),
    ("add_shapes", "Add", {}, [((3, 4), F), ((3, 5), F)]),
    ("add_one_input", "Add", {}, [((3, 4), F)]),
    ("mha_heads0", "MultiHeadAttention", {"num_heads": 0, "key_dim": 2}, None),
    ("softmax_axis", "Softmax", {"axis": 4}, VEC),
    ("leaky_relu_neg", "LeakyReLU", {"negative_slope": -1.0}, None),
    ("relu_neg_max", "ReLU", {"max_value": -1.0}, None),
    ("elu_alpha", "ELU", {"alpha": "x"}, VEC),
    ("activation_name", "Activation", {"activation": "nope"}, None),
    ("upsampling_interp", "UpSampling2D", {"interpolation": "cubic_x"}, C2),
    ("cropping_big", "Cropping1D", {"cropping": [4, 4]}, C1),
    ("resizing_interp", "Resizing", {"height": 2, "width": 2, "interpolation": "nope"}, IMG),
    ("category_mode", "CategoryEncoding", {"num_tokens": 3, "output_mode": "nope"}, None),
    ("dense_activation", "Dense", {"units": 2, "activation": "nope"}, None),
    ("dense_init", "Dense", {"units": 2, "kernel_initializer": "nope"}, None),
]


def build(layers, cls, kwargs):
    """`layers.<cls>(**kwargs)` with each `["@layer", cls, kw]` value built the same way."""

    def resolve(v):
        if isinstance(v, list) and v and v[0] == "@layer":
            return build(layers, v[1], v[2])
        if isinstance(v, list):
            return [resolve(x) for x in v]
        return v

    return getattr(layers, cls)(**{k: resolve(v) for k, v in kwargs.items()})


def make_inputs(name, specs):
    """The case's input arrays, seeded by its name."""
    import zlib

    import numpy as np

    rng = np.random.default_rng(zlib.crc32(name.encode()))
    arrays = []
    for shape, kind in specs:
        if kind == "f":
            arrays.append(rng.standard_normal(shape).astype("float32"))
        elif kind == "pos":
            arrays.append(rng.uniform(0.1, 1.0, shape).astype("float32"))
        elif kind == "img":
            arrays.append(rng.uniform(0.0, 255.0, shape).astype("float32"))
        elif kind.startswith("int"):
            arrays.append(rng.integers(0, int(kind[3:]), shape).astype("int32"))
        else:
            raise ValueError(kind)
    return arrays


def make_masks(name, arrays):
    """One boolean mask per input: `shape[:2]` (rank >= 3) or `shape[:1]`, the first step True."""
    import zlib

    import numpy as np

    rng = np.random.default_rng(zlib.crc32(name.encode()) + 1)
    masks = []
    for a in arrays:
        m = rng.uniform(size=a.shape[:2] if a.ndim >= 3 else a.shape[:1]) > 0.3
        m[..., 0] = True
        masks.append(m)
    return masks
