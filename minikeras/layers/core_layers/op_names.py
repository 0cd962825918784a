"""Keras 3's names for the operation nodes that `keras.ops` calls on symbolic tensors record.

Keras 3 makes each `keras.ops` function on KerasTensors an instance of an `Operation` subclass in
`keras.src.ops.<module>` (`Resize`, `FFT2`, `GetItem`, ...): the non-tensor arguments go to its
constructor and are its config (every constructor argument, defaults included), the rest are the
arguments of its call and make the functional node. `OPS` gives, for each minikeras op that Keras
has, the module, the class and how the function's arguments split (names are minikeras's argument
names). It was generated from the source of Keras 3.15.1 (each op function's symbolic branch); the
`keras.ops.nn`, `keras.ops.linalg` and `keras.ops.numpy` names are the same functions and classes.

    name: (module under keras.src.ops, class, constructor arguments, call arguments)

Call arguments are positional in order; "*name" takes the remaining positional arguments and
"name=" is passed by keyword. minikeras ops missing here (`flatten`, `gather`, `mish`, `ones`, ...)
have no Keras operation class; their nodes keep minikeras's own names.
"""

from ...utils.naming import to_snake_case

OPS = {
    "abs": ("numpy", "Absolute", (), ("x",)),
    "absolute": ("numpy", "Absolute", (), ("x",)),
    "add": ("numpy", "Add", (), ("x1", "x2")),
    "all": ("numpy", "All", ("axis", "keepdims"), ("x",)),
    "amax": ("numpy", "Amax", ("axis", "keepdims"), ("x",)),
    "amin": ("numpy", "Amin", ("axis", "keepdims"), ("x",)),
    "angle": ("numpy", "Angle", (), ("x",)),
    "any": ("numpy", "Any", ("axis", "keepdims"), ("x",)),
    "append": ("numpy", "Append", ("axis",), ("x1", "x2")),
    "arange": ("numpy", "Arange", ("dtype",), ("start", "stop", "step=")),
    "arccos": ("numpy", "Arccos", (), ("x",)),
    "arccosh": ("numpy", "Arccosh", (), ("x",)),
    "arcsin": ("numpy", "Arcsin", (), ("x",)),
    "arcsinh": ("numpy", "Arcsinh", (), ("x",)),
    "arctan": ("numpy", "Arctan", (), ("x",)),
    "arctan2": ("numpy", "Arctan2", (), ("x1", "x2")),
    "arctanh": ("numpy", "Arctanh", (), ("x",)),
    "argmax": ("numpy", "Argmax", ("axis", "keepdims"), ("x",)),
    "argmin": ("numpy", "Argmin", ("axis", "keepdims"), ("x",)),
    "argsort": ("numpy", "Argsort", ("axis",), ("x",)),
    "array": ("numpy", "Array", ("dtype",), ("x",)),
    "average": ("numpy", "Average", ("axis",), ("x", "weights=")),
    "average_pool": (
        "nn",
        "AveragePool",
        ("pool_size", "strides", "padding", "data_format"),
        ("inputs",),
    ),
    "batch_normalization": (
        "nn",
        "BatchNorm",
        ("axis", "epsilon"),
        ("x", "mean", "variance", "offset", "scale"),
    ),
    "binary_crossentropy": ("nn", "BinaryCrossentropy", ("from_logits",), ("target", "output")),
    "broadcast_to": ("numpy", "BroadcastTo", ("shape",), ("x",)),
    "cast": ("core", "Cast", ("dtype",), ("x",)),
    "categorical_crossentropy": (
        "nn",
        "CategoricalCrossentropy",
        ("from_logits", "axis"),
        ("target", "output"),
    ),
    "ceil": ("numpy", "Ceil", (), ("x",)),
    "celu": ("nn", "Celu", ("alpha",), ("x",)),
    "clip": ("numpy", "Clip", ("x_min", "x_max"), ("x",)),
    "concatenate": ("numpy", "Concatenate", ("axis",), ("xs",)),
    "conj": ("numpy", "Conjugate", (), ("x",)),
    "conjugate": ("numpy", "Conjugate", (), ("x",)),
    "conv": (
        "nn",
        "Conv",
        ("strides", "padding", "data_format", "dilation_rate"),
        ("inputs", "kernel"),
    ),
    "conv_transpose": (
        "nn",
        "ConvTranspose",
        ("strides", "padding", "output_padding", "data_format", "dilation_rate"),
        ("inputs", "kernel"),
    ),
    "convert_to_tensor": ("core", "ConvertToTensor", ("dtype", "sparse", "ragged"), ("x",)),
    "copy": ("numpy", "Copy", (), ("x",)),
    "cos": ("numpy", "Cos", (), ("x",)),
    "cosh": ("numpy", "Cosh", (), ("x",)),
    "count_nonzero": ("numpy", "CountNonzero", ("axis",), ("x",)),
    "cumprod": ("numpy", "Cumprod", ("axis", "dtype"), ("x",)),
    "cumsum": ("numpy", "Cumsum", ("axis", "dtype"), ("x",)),
    "depthwise_conv": (
        "nn",
        "DepthwiseConv",
        ("strides", "padding", "data_format", "dilation_rate"),
        ("inputs", "kernel"),
    ),
    "det": ("linalg", "Det", (), ("x",)),
    "diag": ("numpy", "Diag", ("k",), ("x",)),
    "diagonal": ("numpy", "Diagonal", ("offset", "axis1", "axis2"), ("x",)),
    "diff": ("numpy", "Diff", ("n", "axis"), ("a",)),
    "divide": ("numpy", "Divide", (), ("x1", "x2")),
    "divide_no_nan": ("numpy", "DivideNoNan", (), ("x1", "x2")),
    "dot": ("numpy", "Dot", (), ("x1", "x2")),
    "eig": ("linalg", "Eig", (), ("x",)),
    "einsum": ("numpy", "Einsum", ("subscripts",), ("*operands",)),
    "elu": ("nn", "Elu", ("alpha",), ("x",)),
    "equal": ("numpy", "Equal", (), ("x1", "x2")),
    "erf": ("math", "Erf", (), ("x",)),
    "exp": ("numpy", "Exp", (), ("x",)),
    "exp2": ("numpy", "Exp2", (), ("x",)),
    "expand_dims": ("numpy", "ExpandDims", ("axis",), ("x",)),
    "expm1": ("numpy", "Expm1", (), ("x",)),
    "fft": ("math", "FFT", (), ("x",)),
    "fft2": ("math", "FFT2", (), ("x",)),
    "flip": ("numpy", "Flip", ("axis",), ("x",)),
    "floor": ("numpy", "Floor", (), ("x",)),
    "floor_divide": ("numpy", "FloorDivide", (), ("x1", "x2")),
    "full": ("numpy", "Full", ("shape", "dtype"), ("fill_value",)),
    "full_like": ("numpy", "FullLike", ("dtype",), ("x", "fill_value")),
    "gelu": ("nn", "Gelu", ("approximate",), ("x",)),
    "get_item": ("numpy", "GetItem", (), ("x", "key")),
    "getitem": ("numpy", "GetItem", (), ("x", "key")),
    "glu": ("nn", "Glu", ("axis",), ("x",)),
    "greater": ("numpy", "Greater", (), ("x1", "x2")),
    "greater_equal": ("numpy", "GreaterEqual", (), ("x1", "x2")),
    "hard_shrink": ("nn", "HardShrink", ("threshold",), ("x",)),
    "hard_sigmoid": ("nn", "HardSigmoid", (), ("x",)),
    "hard_silu": ("nn", "HardSilu", (), ("x",)),
    "hard_swish": ("nn", "HardSilu", (), ("x",)),
    "hard_tanh": ("nn", "HardTanh", (), ("x",)),
    "hstack": ("numpy", "Hstack", (), ("xs",)),
    "ifft2": ("math", "IFFT2", (), ("x",)),
    "imag": ("numpy", "Imag", (), ("x",)),
    "in_top_k": ("math", "InTopK", ("k",), ("targets", "predictions")),
    "inner": ("numpy", "Inner", (), ("x1", "x2")),
    "inv": ("linalg", "Inv", (), ("x",)),
    "irfft": ("math", "IRFFT", ("fft_length",), ("x",)),
    "isclose": ("numpy", "Isclose", ("equal_nan",), ("x1", "x2", "rtol", "atol")),
    "isfinite": ("numpy", "Isfinite", (), ("x",)),
    "isinf": ("numpy", "Isinf", (), ("x",)),
    "isnan": ("numpy", "Isnan", (), ("x",)),
    "istft": (
        "math",
        "ISTFT",
        ("sequence_length", "sequence_stride", "fft_length", "length", "window", "center"),
        ("x",),
    ),
    "leaky_relu": ("nn", "LeakyRelu", ("negative_slope",), ("x",)),
    "less": ("numpy", "Less", (), ("x1", "x2")),
    "less_equal": ("numpy", "LessEqual", (), ("x1", "x2")),
    "linspace": (
        "numpy",
        "Linspace",
        ("num", "endpoint", "retstep", "dtype", "axis"),
        ("start", "stop"),
    ),
    "log": ("numpy", "Log", (), ("x",)),
    "log10": ("numpy", "Log10", (), ("x",)),
    "log1p": ("numpy", "Log1p", (), ("x",)),
    "log2": ("numpy", "Log2", (), ("x",)),
    "log_sigmoid": ("nn", "LogSigmoid", (), ("x",)),
    "log_softmax": ("nn", "LogSoftmax", ("axis",), ("x",)),
    "logaddexp": ("numpy", "Logaddexp", (), ("x1", "x2")),
    "logical_and": ("numpy", "LogicalAnd", (), ("x1", "x2")),
    "logical_not": ("numpy", "LogicalNot", (), ("x",)),
    "logical_or": ("numpy", "LogicalOr", (), ("x1", "x2")),
    "logical_xor": ("numpy", "LogicalXor", (), ("x1", "x2")),
    "logsumexp": ("math", "Logsumexp", ("axis", "keepdims"), ("x",)),
    "matmul": ("numpy", "Matmul", (), ("x1", "x2")),
    "max": ("numpy", "Max", ("axis", "keepdims", "initial"), ("x",)),
    "max_pool": ("nn", "MaxPool", ("pool_size", "strides", "padding", "data_format"), ("inputs",)),
    "maximum": ("numpy", "Maximum", (), ("x1", "x2")),
    "mean": ("numpy", "Mean", ("axis", "keepdims"), ("x",)),
    "median": ("numpy", "Median", ("axis", "keepdims"), ("x",)),
    "meshgrid": ("numpy", "Meshgrid", ("indexing",), ("*x",)),
    "min": ("numpy", "Min", ("axis", "keepdims", "initial"), ("x",)),
    "minimum": ("numpy", "Minimum", (), ("x1", "x2")),
    "mod": ("numpy", "Mod", (), ("x1", "x2")),
    "moments": ("nn", "Moments", ("axes", "keepdims", "synchronized"), ("x",)),
    "moveaxis": ("numpy", "Moveaxis", ("source", "destination"), ("x",)),
    "multi_hot": ("nn", "MultiHot", ("num_classes", "axis", "dtype", "sparse"), ("inputs",)),
    "multiply": ("numpy", "Multiply", (), ("x1", "x2")),
    "nan_to_num": ("numpy", "NanToNum", ("nan", "posinf", "neginf"), ("x",)),
    "ndim": ("numpy", "Ndim", (), ("x",)),
    "negative": ("numpy", "Negative", (), ("x",)),
    "nonzero": ("numpy", "Nonzero", (), ("x",)),
    "norm": ("linalg", "Norm", ("ord", "axis", "keepdims"), ("x",)),
    "normalize": ("nn", "Normalize", ("axis", "order", "epsilon"), ("x",)),
    "not_equal": ("numpy", "NotEqual", (), ("x1", "x2")),
    "one_hot": ("nn", "OneHot", ("num_classes", "axis", "dtype", "sparse"), ("x",)),
    "ones_like": ("numpy", "OnesLike", ("dtype",), ("x",)),
    "outer": ("numpy", "Outer", (), ("x1", "x2")),
    "pad": ("numpy", "Pad", ("pad_width", "mode"), ("x", "constant_values=")),
    "polar": ("nn", "Polar", (), ("abs_", "angle")),
    "power": ("numpy", "Power", (), ("x1", "x2")),
    "prod": ("numpy", "Prod", ("axis", "keepdims", "dtype"), ("x",)),
    "ravel": ("numpy", "Ravel", (), ("x",)),
    "real": ("numpy", "Real", (), ("x",)),
    "reciprocal": ("numpy", "Reciprocal", (), ("x",)),
    "relu": ("nn", "Relu", (), ("x",)),
    "relu6": ("nn", "Relu6", (), ("x",)),
    "repeat": ("numpy", "Repeat", ("repeats", "axis"), ("x",)),
    "reshape": ("numpy", "Reshape", ("newshape",), ("x",)),
    "rfft": ("math", "RFFT", ("fft_length",), ("x",)),
    "roll": ("numpy", "Roll", ("shift", "axis"), ("x",)),
    "round": ("numpy", "Round", ("decimals",), ("x",)),
    "rsqrt": ("math", "Rsqrt", (), ("x",)),
    "scatter": ("core", "Scatter", ("shape",), ("indices", "values")),
    "scatter_update": ("core", "ScatterUpdate", ("reduction",), ("inputs", "indices", "updates")),
    "select": ("numpy", "Select", (), ("condlist", "choicelist", "default")),
    "selu": ("nn", "Selu", (), ("x",)),
    "separable_conv": (
        "nn",
        "SeparableConv",
        ("strides", "padding", "data_format", "dilation_rate"),
        ("inputs", "depthwise_kernel", "pointwise_kernel"),
    ),
    "sigmoid": ("nn", "Sigmoid", (), ("x",)),
    "sign": ("numpy", "Sign", (), ("x",)),
    "silu": ("nn", "Silu", (), ("x",)),
    "sin": ("numpy", "Sin", (), ("x",)),
    "sinh": ("numpy", "Sinh", (), ("x",)),
    "size": ("numpy", "Size", (), ("x",)),
    "slice": ("core", "Slice", ("shape",), ("inputs", "start_indices")),
    "slice_update": ("core", "SliceUpdate", (), ("inputs", "start_indices", "updates")),
    "soft_shrink": ("nn", "SoftShrink", ("threshold",), ("x",)),
    "softmax": ("nn", "Softmax", ("axis",), ("x",)),
    "softplus": ("nn", "Softplus", (), ("x",)),
    "softsign": ("nn", "Softsign", (), ("x",)),
    "solve": ("linalg", "Solve", (), ("a", "b")),
    "sort": ("numpy", "Sort", ("axis",), ("x",)),
    "sparse_categorical_crossentropy": (
        "nn",
        "SparseCategoricalCrossentropy",
        ("from_logits", "axis"),
        ("target", "output"),
    ),
    "sparse_plus": ("nn", "SparsePlus", (), ("x",)),
    "split": ("numpy", "Split", ("indices_or_sections", "axis"), ("x",)),
    "sqrt": ("numpy", "Sqrt", (), ("x",)),
    "square": ("numpy", "Square", (), ("x",)),
    "squareplus": ("nn", "Squareplus", ("b",), ("x",)),
    "squeeze": ("numpy", "Squeeze", ("axis",), ("x",)),
    "stack": ("numpy", "Stack", ("axis",), ("x",)),
    "std": ("numpy", "Std", ("axis", "keepdims"), ("x",)),
    "stft": (
        "math",
        "STFT",
        ("sequence_length", "sequence_stride", "fft_length", "window", "center"),
        ("x",),
    ),
    "stop_gradient": ("core", "StopGradient", (), ("variable",)),
    "subtract": ("numpy", "Subtract", (), ("x1", "x2")),
    "sum": ("numpy", "Sum", ("axis", "keepdims"), ("x",)),
    "swapaxes": ("numpy", "Swapaxes", ("axis1", "axis2"), ("x",)),
    "swish": ("nn", "Silu", (), ("x",)),
    "take": ("numpy", "Take", ("axis",), ("x", "indices")),
    "take_along_axis": ("numpy", "TakeAlongAxis", ("axis",), ("x", "indices")),
    "tan": ("numpy", "Tan", (), ("x",)),
    "tanh": ("numpy", "Tanh", (), ("x",)),
    "tanh_shrink": ("nn", "TanhShrink", (), ("x",)),
    "tensordot": ("numpy", "Tensordot", ("axes",), ("x1", "x2")),
    "threshold": ("nn", "Threshold", ("threshold", "default_value"), ("x",)),
    "tile": ("numpy", "Tile", ("repeats",), ("x",)),
    "top_k": ("math", "TopK", ("k", "sorted"), ("x",)),
    "trace": ("numpy", "Trace", ("offset", "axis1", "axis2"), ("x",)),
    "transpose": ("numpy", "Transpose", ("axes",), ("x",)),
    "tril": ("numpy", "Tril", ("k",), ("x",)),
    "triu": ("numpy", "Triu", ("k",), ("x",)),
    "true_divide": ("numpy", "TrueDivide", (), ("x1", "x2")),
    "trunc": ("numpy", "Trunc", (), ("x",)),
    "unique": (
        "numpy",
        "Unique",
        ("sorted", "return_index", "return_inverse", "return_counts", "axis", "size", "fill_value"),
        ("x",),
    ),
    "unstack": ("core", "Unstack", ("num", "axis"), ("x",)),
    "var": ("numpy", "Var", ("axis", "keepdims"), ("x",)),
    "vdot": ("numpy", "Vdot", (), ("x1", "x2")),
    "view_as_complex": ("math", "ViewAsComplex", (), ("x",)),
    "view_as_real": ("math", "ViewAsReal", (), ("x",)),
    "vstack": ("numpy", "Vstack", (), ("xs",)),
    "where": ("numpy", "Where", (), ("condition", "x1", "x2")),
    "zeros_like": ("numpy", "ZerosLike", ("dtype",), ("x",)),
    "image.affine_transform": (
        "image",
        "AffineTransform",
        ("interpolation", "fill_mode", "fill_value", "data_format"),
        ("images", "transform"),
    ),
    "image.crop_images": (
        "image",
        "CropImages",
        (
            "top_cropping",
            "left_cropping",
            "bottom_cropping",
            "right_cropping",
            "target_height",
            "target_width",
            "data_format",
        ),
        ("images",),
    ),
    "image.extract_patches": (
        "image",
        "ExtractPatches",
        ("size", "strides", "dilation_rate", "padding", "data_format"),
        ("images",),
    ),
    "image.extract_patches_3d": (
        "image",
        "ExtractPatches",
        ("size", "strides", "dilation_rate", "padding", "data_format"),
        ("volumes",),
    ),
    "image.hsv_to_rgb": ("image", "HSVToRGB", ("data_format",), ("images",)),
    "image.map_coordinates": (
        "image",
        "MapCoordinates",
        ("order", "fill_mode", "fill_value"),
        ("inputs", "coordinates"),
    ),
    "image.pad_images": (
        "image",
        "PadImages",
        (
            "top_padding",
            "left_padding",
            "bottom_padding",
            "right_padding",
            "target_height",
            "target_width",
            "data_format",
        ),
        ("images",),
    ),
    "image.resize": (
        "image",
        "Resize",
        (
            "size",
            "interpolation",
            "antialias",
            "crop_to_aspect_ratio",
            "pad_to_aspect_ratio",
            "fill_mode",
            "fill_value",
            "data_format",
        ),
        ("images",),
    ),
    # control flow (keras.src.ops.core). Keras passes the functions of Cond, Switch, Scan, Map and
    # AssociativeScan to the op's call (its files hold them in the node's arguments); here every
    # function is a constructor argument, so a node's call arguments are tensors and the
    # functions sit in the op's config, saved by name (registered functions load back; a lambda
    # cannot be saved). Keras-written files with these five ops do not load yet.
    "associative_scan": ("core", "AssociativeScan", ("f", "reverse", "axis"), ("elems",)),
    "cond": ("core", "Cond", ("true_fn", "false_fn"), ("pred",)),
    "fori_loop": ("core", "ForiLoop", ("lower", "upper", "body_fun"), ("init_val",)),
    "map": ("core", "Map", ("f",), ("xs",)),
    "scan": ("core", "Scan", ("f", "length", "reverse", "unroll"), ("init", "xs")),
    "switch": ("core", "Switch", ("branches",), ("index", "*operands")),
    "vectorized_map": ("core", "VectorizedMap", ("function",), ("elements",)),
    "while_loop": ("core", "WhileLoop", ("cond", "body", "maximum_iterations"), ("loop_vars",)),
    "dot_product_attention": (
        "nn",
        "DotProductAttention",
        ("is_causal", "flash_attention", "attn_logits_soft_cap"),
        ("query", "key", "value", "bias=", "mask=", "scale="),
    ),
    "segment_max": ("math", "SegmentMax", ("num_segments", "sorted"), ("data", "segment_ids")),
    "segment_sum": ("math", "SegmentSum", ("num_segments", "sorted"), ("data", "segment_ids")),
    "image.rgb_to_grayscale": ("image", "RGBToGrayscale", ("data_format",), ("images",)),
    "image.rgb_to_hsv": ("image", "RGBToHSV", ("data_format",), ("images",)),
}

# Constructor arguments Keras has and the minikeras op does not, with the Keras default: a config
# that holds the default reads fine (the op behaves so anyway); any other value cannot be honoured.
KERAS_ONLY_ARGS = {
    "convert_to_tensor": {"ragged": None},
    "linspace": {"retstep": False, "axis": 0},
    "one_hot": {"sparse": False},
    "scatter_update": {"reduction": None},
    "unique": {
        "sorted": True,
        "return_index": False,
        "return_inverse": False,
        "return_counts": False,
        "axis": None,
        "size": None,
        "fill_value": None,
    },
    "top_k": {"is_stable": False},  # Keras 3.16
}


def _canonical():
    by_class = {}
    for op, (_module, cls, _, _) in OPS.items():
        best = by_class.get(cls)
        if best is None or (op == to_snake_case(cls) and best != to_snake_case(cls)):
            by_class[cls] = op
    by_class["GetItem"] = "getitem"  # the name KerasTensor.__getitem__ records
    return by_class


_BY_CLASS = _canonical()


def keras_op(op_name):
    """`(module, class_name, constructor_args, call_args)` of a minikeras op, or None."""
    spec = OPS.get(op_name)
    if spec is None:
        return None
    module, cls, init, call = spec
    return "keras.src.ops." + module, cls, init, call


def op_for_class(class_name):
    """The minikeras op for a Keras 3 operation class name (`"FFT2"` -> `"fft2"`), or None."""
    return _BY_CLASS.get(class_name)


def legacy_class_name(op_name):
    """The class name minikeras wrote for an op node before it used Keras's names
    (`"fft2"` -> `"Fft2"`, `"image.resize"` -> `"Image.resize"`): still read."""
    if op_name == "getitem":
        return "GetItem"
    return "".join(p[:1].upper() + p[1:] for p in op_name.split("_"))
