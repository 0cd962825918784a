"""The keras.ops parity cases shared by `make_fixtures.py` (Keras 3) and `test_ops_parity.py`
(minikeras): `(op name, args, kwargs)`, where an arg is a Python value or `A(dtype, shape)`, an
array made from a seeded generator (`arrays()`), and the op name may be `nn.x`/`image.x`/...

Only numpy and the standard library here: the tests import this file without Keras."""

import itertools

import numpy as np


class A:
    """An array argument: `dtype`, `shape`, and the value range (`low`, `high`)."""

    def __init__(self, dtype, shape, low=-2.0, high=2.0):
        self.dtype, self.shape, self.low, self.high = dtype, tuple(shape), low, high

    def make(self, rng):
        if self.dtype == "bool":
            return rng.uniform(size=self.shape) > 0.5
        if self.dtype.startswith(("int", "uint")):
            return rng.integers(int(self.low), int(self.high) + 1, self.shape).astype(self.dtype)
        return rng.uniform(self.low, self.high, self.shape).astype(self.dtype)


DTYPES = ["float32", "float64", "float16", "int32", "int64", "int8", "uint8", "bool"]
POS = dict(low=0.1, high=0.9)  # inside every unary op's domain (arccos, log, arctanh, ...)

UNARY = """abs absolute arccos arcsin arctan arctanh cbrt ceil cos cosh deg2rad exp exp2 expm1
fabs floor isfinite isinf isnan log log10 log1p log2 logical_not negative rad2deg reciprocal
round sign sin sinc sinh sqrt square tan tanh trunc copy nan_to_num erf erfc rsqrt ravel
nn.relu nn.relu6 nn.sigmoid nn.softplus nn.softsign nn.silu nn.log_sigmoid nn.leaky_relu
nn.hard_sigmoid nn.hard_silu nn.elu nn.selu nn.gelu nn.celu nn.hard_tanh nn.soft_shrink
nn.tanh_shrink nn.squareplus nn.softmax nn.log_softmax""".split()

BINARY = """add subtract multiply divide true_divide floor_divide mod power maximum minimum fmax
fmin arctan2 hypot logaddexp logaddexp2 heaviside equal not_equal greater less_equal
logical_and logical_xor divide_no_nan fmod""".split()

INTEGER_BINARY = "gcd lcm bitwise_and bitwise_xor left_shift right_shift".split()

REDUCTIONS = """sum mean max min prod std var all any argmax argmin logsumexp median cumsum
cumprod nanmean nanvar nanprod average""".split()

SCALARS = [2, 2.5, True]


def cases():
    out = []
    for name in UNARY:
        for dt in DTYPES:
            if dt == "bool" and name in ("nn.softmax", "nn.log_softmax"):
                continue
            out.append((name, [A(dt, (2, 3), **POS)], {}))
        out += [(name, [0.5], {}), (name, [A("float32", (0, 3), **POS)], {})]
    for name in BINARY:
        for d1, d2 in itertools.product(DTYPES, DTYPES):
            if "bool" in (d1, d2) and name in ("subtract", "power", "mod", "fmod", "floor_divide"):
                continue
            out.append((name, [A(d1, (2, 3), 1, 4), A(d2, (2, 3), 1, 4)], {}))
        for dt, s in itertools.product(["float32", "float64", "int32", "int8"], SCALARS):
            out.append((name, [A(dt, (2, 3), 1, 4), s], {}))
            out.append((name, [s, A(dt, (2, 3), 1, 4)], {}))
        out.append((name, [3, 2], {}))
        out.append((name, [A("float32", (2, 1, 3), 1, 4), A("float32", (4, 1), 1, 4)], {}))
    for name in INTEGER_BINARY:
        for d1, d2 in itertools.product(["int32", "int8", "uint8", "int64", "bool"], repeat=2):
            out.append((name, [A(d1, (2, 3), 0, 5), A(d2, (2, 3), 0, 3)], {}))
        out.append((name, [A("int8", (4,), 0, 5), 3], {}))
    for name in REDUCTIONS:
        for dt in ["float32", "float64", "int32", "int64", "bool"]:
            out.append((name, [A(dt, (2, 3, 4), 0, 3)], {}))
        cum = name.startswith("cum") or name in ("average", "argmax", "argmin")
        for axis in [0, -1, (0, 2), None]:
            if cum and isinstance(axis, tuple):
                continue
            kws = [{"axis": axis}] if cum else [{"axis": axis}, {"axis": axis, "keepdims": True}]
            out += [(name, [A("float32", (2, 3, 4))], kw) for kw in kws]
        out.append((name, [A("float32", (3, 0), 0, 3)], {"axis": 0}))
        out.append((name, [A("float32", (2, 3))], {"axis": 2}))  # error type
        out.append((name, [2.5], {}))
    out += more_cases()
    return out


def more_cases():
    f32 = A("float32", (2, 3, 4))
    ids = A("int32", (2, 3), 0, 4)
    return [
        ("nn.one_hot", [ids, 5], {}),
        ("nn.one_hot", [ids, 5], {"axis": 0}),
        ("nn.one_hot", [ids, 5], {"dtype": "int32"}),
        ("nn.one_hot", [A("int64", (4,), -1, 3), 3], {}),
        ("nn.multi_hot", [ids, 5], {}),
        ("top_k", [f32, 2], {}),
        ("top_k", [np.array([3, 1, 4, 0, 5], "int32"), 3], {"sorted": True}),
        ("argmax", [A("int8", (3, 4), 0, 9)], {"axis": 1}),
        ("argmax", [A("float32", (3, 4))], {"keepdims": True}),
        ("cast", [f32, "int32"], {}),
        ("cast", [A("int32", (3,)), "bool"], {}),
        ("cast", [A("float32", (3,)), "float16"], {}),
        ("cast", [2.7, "int32"], {}),
        ("convert_to_tensor", [[1, 2, 3]], {}),
        ("convert_to_tensor", [[1.5, 2]], {}),
        ("convert_to_tensor", [[True]], {}),
        ("convert_to_tensor", [A("float64", (2,))], {}),
        ("convert_to_tensor", [A("int64", (2,))], {}),
        ("convert_to_tensor", [3], {"dtype": "float32"}),
        ("einsum", ["ij,jk->ik", A("float32", (2, 3)), A("float32", (3, 4))], {}),
        ("einsum", ["bij->bji", f32], {}),
        ("einsum", ["ij,jk->ik", A("int32", (2, 3)), A("float32", (3, 4))], {}),
        ("einsum", ["i,i->", A("int8", (3,)), A("int8", (3,))], {}),
        ("matmul", [A("float32", (2, 3)), A("float32", (3, 4))], {}),
        ("matmul", [f32, A("float32", (4, 5))], {}),
        ("matmul", [A("int32", (2, 3)), A("int32", (3, 2))], {}),
        ("matmul", [A("int8", (2, 3)), A("float16", (3, 2))], {}),
        ("matmul", [A("float32", (3,)), A("float32", (3,))], {}),
        ("matmul", [A("float32", (2, 3)), A("float32", (4, 5))], {}),
        ("where", [A("bool", (2, 3)), A("float32", (2, 3)), 0.0], {}),
        ("where", [A("bool", (2, 3)), A("int32", (2, 3)), A("float32", (2, 3))], {}),
        ("where", [A("bool", (2, 3)), 1, 0], {}),
        ("where", [A("bool", (2, 3))], {}),
        ("take", [f32, A("int32", (2,), 0, 1)], {"axis": 1}),
        ("take", [f32, A("int32", (2, 2), 0, 5)], {}),
        ("take", [f32, A("int32", (2,), -2, 1)], {"axis": -1}),
        ("take_along_axis", [f32, A("int32", (2, 3, 1), 0, 3)], {"axis": -1}),
        ("segment_sum", [A("float32", (5, 2)), np.array([0, 0, 1, 2, 2], "int32")], {}),
        (
            "segment_sum",
            [A("float32", (5,)), np.array([0, 0, 1, 2, 2], "int32")],
            {"num_segments": 4},
        ),
        ("segment_max", [A("float32", (5, 2)), np.array([0, 0, 1, 1, 3], "int32")], {}),
        ("segment_max", [A("int32", (4,)), np.array([0, 1, 1, 1], "int32")], {"num_segments": 3}),
        ("clip", [A("float32", (2, 3)), -0.5, 0.5], {}),
        ("clip", [A("int32", (2, 3)), 0, 1], {}),
        ("clip", [A("bool", (2, 3)), 0, 1], {}),
        ("clip", [A("int8", (4,)), 0.5, 1.5], {}),
        ("concatenate", [[A("float32", (2, 3)), A("int32", (2, 1))]], {"axis": -1}),
        ("stack", [[A("float32", (2,)), A("float32", (2,))]], {"axis": 1}),
        ("reshape", [f32, (-1, 4)], {}),
        ("transpose", [f32], {}),
        ("transpose", [f32, (1, 0, 2)], {}),
        ("expand_dims", [f32, -1], {}),
        ("squeeze", [A("float32", (1, 3, 1))], {}),
        ("squeeze", [A("float32", (1, 3, 1))], {"axis": 0}),
        ("squeeze", [A("float32", (2, 3))], {"axis": 0}),
        ("arange", [5], {}),
        ("arange", [0, 2.5, 0.5], {}),
        ("arange", [1, 7, 2], {"dtype": "float32"}),
        ("linspace", [0, 1, 5], {}),
        ("zeros", [(2, 3)], {}),
        ("ones", [(2,)], {"dtype": "int32"}),
        ("full", [(2,), 3], {}),
        ("full", [(2,), 2.5], {}),
        ("eye", [3], {}),
        ("sort", [A("float32", (3, 4))], {}),
        ("argsort", [A("int32", (3, 4), 0, 9)], {"axis": 0}),
        ("dot", [A("float32", (2, 3)), A("float32", (3,))], {}),
        ("inner", [A("float64", (2, 3)), A("float64", (4, 3))], {}),
        ("tensordot", [A("float64", (2, 3)), A("float64", (3, 4))], {"axes": 1}),
        ("correlate", [A("float64", (5,)), A("float64", (3,))], {"mode": "same"}),
        ("quantile", [A("float64", (3, 4)), 0.3], {"axis": 1}),
        ("cross", [A("float64", (2, 3)), A("float64", (2, 3))], {}),
        ("saturate_cast", [A("float32", (2, 3), -300, 300), "bool"], {}),
        ("saturate_cast", [A("float32", (2, 3), -300, 300), "uint8"], {}),
        ("saturate_cast", [A("float64", (2, 3), -1e6, 1e6), "float16"], {}),
        ("convert_to_tensor", [2**40], {}),
        ("tensordot", [A("float32", (2, 3)), A("float32", (3, 4))], {"axes": 1}),
        ("outer", [A("int32", (3,)), A("float32", (2,))], {}),
        ("norm", [A("float32", (3, 4))], {}),
        ("norm", [A("float32", (3, 4))], {"axis": -1, "keepdims": True}),
        ("linalg.norm", [A("float64", (3, 4))], {"ord": "fro"}),
        ("nn.moments", [f32, [0, 1]], {}),
        ("nn.softmax", [f32], {"axis": 0}),
        ("nn.log_softmax", [f32], {"axis": (1, 2)}),
        ("nn.normalize", [A("float32", (3, 4))], {}),
        ("nn.gelu", [f32], {"approximate": False}),
        ("nn.leaky_relu", [f32], {"negative_slope": 0.3}),
        ("nn.elu", [f32], {"alpha": 0.5}),
        (
            "nn.binary_crossentropy",
            [A("float32", (3, 2), 0, 1), A("float32", (3, 2), 0.1, 0.9)],
            {},
        ),
        (
            "nn.categorical_crossentropy",
            [np.eye(3, dtype="float32"), A("float32", (3, 3), -1, 1)],
            {"from_logits": True},
        ),
        (
            "nn.sparse_categorical_crossentropy",
            [np.array([0, 2, 1], "int32"), A("float32", (3, 3), 0.1, 0.9)],
            {},
        ),
        ("image.resize", [A("float32", (2, 5, 6, 3), 0, 1), (3, 4)], {}),
        ("image.resize", [A("float32", (1, 4, 4, 1), 0, 1), (8, 8)], {"interpolation": "nearest"}),
        ("image.resize", [A("float32", (1, 4, 5, 2), 0, 1), (7, 3)], {"antialias": True}),
        ("image.resize", [A("uint8", (4, 4, 3), 0, 255), (2, 2)], {}),
        ("image.extract_patches", [A("float32", (1, 6, 6, 2)), 3], {}),
        ("image.extract_patches", [A("float32", (2, 7, 7, 1)), (2, 3)], {"strides": 2}),
        ("image.extract_patches", [A("float32", (1, 5, 5, 1)), 2], {"padding": "same"}),
        (
            "image.affine_transform",
            [A("float32", (1, 5, 5, 1), 0, 1), np.array([[1, 0, 1, 0, 1, 0, 0, 0]], "float32")],
            {},
        ),
        (
            "image.affine_transform",
            [
                A("float32", (2, 4, 4, 3), 0, 1),
                np.array([[0.9, 0.1, 0.2, -0.1, 1.1, 0.3, 0, 0]] * 2, "float32"),
            ],
            {"interpolation": "nearest", "fill_mode": "reflect"},
        ),
        (
            "nn.dot_product_attention",
            [A("float32", (2, 3, 2, 4)), A("float32", (2, 3, 2, 4)), A("float32", (2, 3, 2, 4))],
            {},
        ),
        (
            "nn.dot_product_attention",
            [A("float32", (1, 4, 2, 3)), A("float32", (1, 4, 2, 3)), A("float32", (1, 4, 2, 3))],
            {"is_causal": True},
        ),
    ]


def arrays(case_args, seed):
    """The case's arguments with each `A` drawn (seeded)."""
    rng = np.random.default_rng(seed)

    def draw(v):
        if isinstance(v, A):
            return v.make(rng)
        if isinstance(v, list):
            return [draw(i) for i in v]
        return v

    return [draw(v) for v in case_args]
