"""The layer cases of the Keras 3 parity sweep, as plain data shared by `make_fixtures.py` (which
records Keras's answers) and `test_layers_parity.py` (which replays them on minikeras).

A case is `(name, class_name, kwargs, inputs)`. `inputs` is a list of input specs
`(shape, kind)`: kind "f" standard normal float32, "pos" uniform (0.1, 1) float32, "img" uniform
[0, 255] float32, "int<N>" int32 in [0, N), "str" strings. A kwargs value `["@layer", cls, kw]`
is a nested layer built from `cls(**kw)`. A case name ending in "~" is random in training, so only
its training=False call is compared. `MASK_CASES` give an input mask too (`[batch, steps]` booleans
where True keeps the step).
"""

from parity_shapes import C1, C2, C3, F, IMG, SEQ, VEC, L  # noqa: F401
from parity_table_a import LAYER_CASES_A
from parity_table_b import LAYER_CASES_B

LAYER_CASES = LAYER_CASES_A + LAYER_CASES_B

# Where minikeras answers differently on purpose: case name -> the reason.
DEVIATIONS = {
    "random_crop~": "Keras 3.15 returns the input unchanged at inference (keras-team/keras#21868, "
    "fixed by #22328); minikeras crops the centred window of the target aspect, as documented",
}

# Cases whose arrays come from Keras on JAX: Keras's torch backend differs from its JAX and
# TensorFlow backends there (and minikeras follows those).
JAX_CASES = {
    "avgpool2d_b",  # torch counts the padding of an uneven 'same' window in the average
    "resizing_bicubic",  # torch's bicubic kernel uses a = -0.75, JAX's (and TF's) a = -0.5
}

# Arguments Keras 3 takes (on torch) that minikeras refuses with a ValueError when the layer is
# made: case name -> what Keras does with them.
STRICTER = {
    "resizing_height0": "Keras makes the layer; a call gives an empty image",
    "zeropad_neg": "Keras's torch backend crops by the padding; its JAX backend raises",
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
    # fmt: off
    "gap1d_m",
    "lstm_c",
    "gru_c",
    "simplernn_c",
    "bidirectional_c",
    "mha_c",
    "attention_c",
    "add_attention_b",
    "concatenate_n",
    "einsum_c",
    "identity_m",
    "actreg_c",
    "timedistributed_c",
    "lstm_cell_rnn",
    "simplerrn_cell_stack",
    "dense_reg",
    "embedding_reg",
    "repeat_b",
    "reshape_b",
    "gru_cell_rnn",
    "bidirectional_st",
    "rmsnorm_a",
    "unitnorm_a",
    "multiply_b",
    "dot_m",
    "leaky_relu_a",
    "zeropad1d_b",
    # fmt: on
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
    ("dense_units_none", "Dense", {"units": None}, None),
    ("dense_units_str", "Dense", {"units": "3"}, None),
    ("dense_rank1", "Dense", {"units": 2}, [((4,), F)]),
    ("conv1d_rank", "Conv1D", {"filters": 2, "kernel_size": 2}, [((3, 4), F)]),
    ("conv3d_rank", "Conv3D", {"filters": 2, "kernel_size": 2}, C2),
    ("conv2d_strides0", "Conv2D", {"filters": 2, "kernel_size": 2, "strides": 0}, None),
    (
        "conv2d_strides_dilation",
        "Conv2D",
        {"filters": 2, "kernel_size": 2, "strides": 2, "dilation_rate": 2},
        None,
    ),
    ("conv2d_kernel_len", "Conv2D", {"filters": 2, "kernel_size": [2, 2, 2]}, None),
    ("conv2d_data_format", "Conv2D", {"filters": 2, "kernel_size": 2, "data_format": "nhwc"}, None),
    ("conv2d_kernel_big", "Conv2D", {"filters": 2, "kernel_size": 9}, C2),
    ("dwconv_mult0", "DepthwiseConv2D", {"kernel_size": 2, "depth_multiplier": 0}, None),
    (
        "sepconv_mult0",
        "SeparableConv2D",
        {"filters": 2, "kernel_size": 2, "depth_multiplier": 0},
        None,
    ),
    ("dropout_str", "Dropout", {"rate": "a"}, None),
    ("gaussian_noise_neg", "GaussianNoise", {"stddev": -1.0}, None),
    ("gaussian_dropout_rate", "GaussianDropout", {"rate": 1.0}, None),
    ("lstm_dropout", "LSTM", {"units": 2, "dropout": 2.0}, None),
    ("gru_rank4", "GRU", {"units": 2}, C2),
    ("simplernn_units_str", "SimpleRNN", {"units": "2"}, None),
    ("embedding_neg", "Embedding", {"input_dim": -3, "output_dim": 2}, None),
    ("mha_keydim0", "MultiHeadAttention", {"num_heads": 2, "key_dim": 0}, None),
    ("attention_one_input", "Attention", {}, [((2, 3, 4), F)]),
    ("attention_score_mode", "Attention", {"score_mode": "nope"}, None),
    ("concat_one_input", "Concatenate", {}, [((3, 4), F)]),
    ("gap2d_rank", "GlobalAveragePooling2D", {}, SEQ),
    ("avgpool_size0", "AveragePooling2D", {"pool_size": 0}, None),
    ("permute_len", "Permute", {"dims": [1, 2, 3]}, SEQ),
    ("reshape_two_unknown", "Reshape", {"target_shape": [-1, -1]}, SEQ),
    ("repeat_n0", "RepeatVector", {"n": 0}, None),
    ("repeat_n_str", "RepeatVector", {"n": "2"}, None),
    ("zeropad_neg", "ZeroPadding2D", {"padding": -1}, None),
    ("zeropad_len", "ZeroPadding2D", {"padding": [1, 2, 3]}, None),
    ("cropping2d_big", "Cropping2D", {"cropping": 4}, C2),
    ("upsampling_size0", "UpSampling2D", {"size": 0}, None),
    ("layernorm_axis_str", "LayerNormalization", {"axis": "a"}, None),
    ("groupnorm_groups0", "GroupNormalization", {"groups": 0}, None),
    ("resizing_height0", "Resizing", {"height": 0, "width": 2}, None),
    ("rescaling_str", "Rescaling", {"scale": "a"}, IMG),
    ("lambda_not_callable", "Lambda", {"function": 3}, None),
    (
        "bidirectional_merge",
        "Bidirectional",
        {"layer": L("LSTM", units=2), "merge_mode": "x"},
        None,
    ),
    ("bidirectional_not_rnn", "Bidirectional", {"layer": L("Dense", units=2)}, None),
    ("timedistributed_not_layer", "TimeDistributed", {"layer": 3}, None),
    ("timedistributed_rank", "TimeDistributed", {"layer": L("Dense", units=2)}, [((3, 4), F)]),
    ("prelu_shared_axes", "PReLU", {"shared_axes": [5]}, SEQ),
    ("dot_axes_mismatch", "Dot", {"axes": 1}, [((3, 4), F), ((3, 5), F)]),
    ("subtract_three", "Subtract", {}, [((3, 4), F), ((3, 4), F), ((3, 4), F)]),
    ("einsum_bad_equation", "EinsumDense", {"equation": "ab->c", "output_shape": 2}, VEC),
    ("category_tokens_none", "CategoryEncoding", {}, [((3, 2), "int5")]),
    ("discretization_none", "Discretization", {}, VEC),
    ("normalization_unadapted", "Normalization", {}, VEC),
    (
        "spectralnorm_iters",
        "SpectralNormalization",
        {"layer": L("Dense", units=2), "power_iterations": 0},
        None,
    ),
    ("unitnorm_axis", "UnitNormalization", {"axis": 4}, VEC),
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
