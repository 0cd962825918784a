"""The complex-number cases shared by `make_complex_fixtures.py` (Keras 3) and
`test_complex_parity.py` (minikeras): `(op name, argument keys)`, each key naming an input of
`inputs()` (numpy arrays made from fixed values, or Python lists and scalars), plus the gradient
cases `(op name, argument keys)` whose input gradients Keras on torch records.

Only numpy and the standard library here: the tests import this file without Keras."""

import numpy as np


def inputs():
    """The named inputs: the same values in the fixture script and in the tests."""
    rng = np.random.default_rng(16)
    f = rng.uniform(-2, 2, (3, 4))
    f[0, 0] = 0.0
    z = f + 1j * rng.uniform(-2, 2, (3, 4))
    z[1, 1] = 0.0
    z[2, 2] = -1.5  # on the negative real axis: angle pi
    sq = rng.uniform(-1, 1, (3, 3))
    rot = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 2.0]])
    x = {
        "f32": f.astype("float32"),
        "f32b": rng.uniform(-3, 3, (3, 4)).astype("float32"),
        "f64": f,
        "f64b": rng.uniform(-3, 3, (3, 4)),
        "f16": f.astype("float16"),
        "i32": np.round(f * 2).astype("int32"),
        "i64": np.round(f * 2).astype("int64"),
        "u8": np.abs(np.round(f * 2)).astype("uint8"),
        "bool": f > 0,
        "c64": z.astype("complex64"),
        "c128": z,
        "col": rng.uniform(0.5, 2, (3, 1)).astype("float32"),
        "row": rng.uniform(-3, 3, (1, 4)).astype("float32"),
        "pair_f32": f.reshape(6, 2).astype("float32"),
        "pair_f64": f.reshape(2, 3, 2),
        "pair_i32": np.round(f * 2).astype("int32").reshape(6, 2),
        "pair_c64": z.reshape(6, 2).astype("complex64"),
        "pair_1d": np.array([1.5, -2.0], "float32"),
        "not_pair": f.astype("float32"),
        "sq_f32": sq.astype("float32"),
        "sq_f64": sq,
        "sq_sym": (sq + sq.T).astype("float32"),
        "sq_rot": rot.astype("float32"),
        "sq_batch": np.stack([sq, rot]).astype("float32"),
        "sq_c64": (sq + 1j * rot).astype("complex64"),
        "sq_c128": sq + 1j * rot,
        "sq_i32": np.round(sq * 3).astype("int32"),
        "not_sq": f[:2, :3].astype("float32"),
        "list_f": [1.5, -2.0, 0.0],
        "list_c": [1 + 2j, -1j, 0j],
        "list_i": [1, -2, 3],
        "scalar_f": -1.5,
        "scalar_f2": 0.75,
        "scalar_i": 3,
        "scalar_c": 1 - 1j,
    }
    return x


VALUES = "f32 f64 f16 i32 i64 u8 bool c64 c128 list_f list_c list_i scalar_f scalar_i scalar_c"
PAIRS = [
    ("f32", "f32b"),
    ("f64", "f64b"),
    ("f32", "f64b"),
    ("i32", "i64"),
    ("bool", "f32b"),
    ("f16", "f16"),
    ("c64", "f32"),
    ("col", "row"),
    ("scalar_f", "scalar_f2"),
    ("scalar_i", "scalar_i"),
    ("list_f", "list_f"),
]
ARITHMETIC = [  # complex operands through the dtype lattice: Keras's result dtype and values
    ("c64", "c64"),
    ("c64", "f32"),
    ("c64", "f64"),
    ("c128", "f32"),
    ("c64", "i32"),
    ("c64", "i64"),
    ("c64", "bool"),
    ("c64", "scalar_f"),
    ("c64", "scalar_i"),
    ("f32", "scalar_c"),
    ("f64", "scalar_c"),
    ("i32", "scalar_c"),
    ("c128", "c64"),
]


def cases():
    out = []
    for name in ["real", "imag", "conj", "conjugate", "angle", "view_as_real"]:
        out += [(name, [k]) for k in VALUES.split()]
    out += [("view_as_complex", [k]) for k in "pair_f32 pair_f64 pair_i32 pair_c64 pair_1d".split()]
    out += [("view_as_complex", ["not_pair"]), ("view_as_complex", ["scalar_f"])]
    out += [("polar", list(p)) for p in PAIRS]
    out += [("eig", [k]) for k in "sq_f32 sq_f64 sq_sym sq_rot sq_batch sq_c64 sq_c128".split()]
    out += [("eig", ["sq_i32"]), ("eig", ["not_sq"]), ("eig", ["f32"])]
    for name in ["add", "subtract", "multiply", "divide"]:
        out += [(name, list(p)) for p in ARITHMETIC]
    for k in "c64 c128 list_c scalar_c".split():
        out.append(("convert_to_tensor", [k]))
        for name in ["abs", "negative", "square", "sqrt", "exp", "log", "sum", "mean"]:
            out.append((name, [k]))
    for dt in "float32 float64 int32 bool complex64 complex128".split():
        out += [("cast", ["c64", f"dtype:{dt}"]), ("cast", ["f32", f"dtype:{dt}"])]
    out += [("matmul", ["c64", "sq_f32_t"])]
    for name in EXTRA_UNARY.split():
        out += [(name, ["sq_c64"]), (name, ["sq_c128"])]
    for name in EXTRA_BINARY.split():
        out += [(name, ["sq_c64", "sq_c64"]), (name, ["sq_c128", "sq_c64"])]
    out += [(name, ["sq_c64", *args]) for name, args in EXTRA_WITH_ARGS]
    return out


# ops Keras 3.15.1 computes on complex tensors on both torch and JAX (same answers)
EXTRA_UNARY = """sin cos tan sinh cosh tanh arcsin arccos arctan arcsinh arccosh arctanh exp2
expm1 log10 log2 log1p reciprocal rsqrt prod cumsum cumprod var std norm trace diagonal diag flip
count_nonzero any all tril triu logsumexp sigmoid silu tanh_shrink nan_to_num isreal copy inv det
pinv qr svd slogdet logdet matrix_rank softsign squareplus sinc logical_not nanprod trapezoid"""
EXTRA_BINARY = (
    "inner kron cross solve lstsq isclose logical_and logical_xor divide_no_nan logaddexp"
)
EXTRA_WITH_ARGS = [
    ("roll", [1]),
    ("tile", [(2, 1)]),
    ("repeat", [2]),
    ("pad", [((1, 1), (0, 0))]),
    ("split", [3]),
    ("broadcast_to", [(2, 3, 3)]),
    ("full_like", [1j]),
    ("take_along_axis", [np.array([[2, 0, 1]]), 0]),
    ("sum", [0]),
    ("mean", [1]),
]


GRADIENTS = [  # input gradients of sum(w * real view of the output), w fixed
    ("real", ["f64"]),
    ("real", ["c128"]),
    ("imag", ["c128"]),
    ("conj", ["c128"]),
    ("angle", ["f64"]),
    ("angle", ["c128"]),
    ("abs", ["c128"]),
    ("view_as_real", ["c128"]),
    ("view_as_complex", ["pair_f64"]),
    ("polar", ["f64", "f64b"]),
    ("multiply", ["c128", "f64b"]),
    ("exp", ["c128"]),
    ("matmul", ["sq_c128", "sq_c128"]),
    ("sqrt", ["c128"]),
]


def arg(x, key):
    """The argument `key`: an input, `sq_f32_t` (a (4, 3) matrix for matmul) or `dtype:<name>`."""
    if not isinstance(key, str):
        return key  # a literal argument
    if key == "sq_f32_t":
        return x["f32b"].T.copy()
    if key.startswith("dtype:"):
        return key[len("dtype:") :]
    return x[key]


def weights(shape):
    """The fixed weights of a gradient case's loss (shape of the real view of the output)."""
    return np.random.default_rng(7).uniform(-1, 1, shape)
