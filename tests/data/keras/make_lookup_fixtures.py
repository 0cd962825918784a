"""Writes `lookup_k3.json`: real Keras 3 outputs, vocabularies and configs of the structured-data
and text preprocessing layers (StringLookup, IntegerLookup, TextVectorization, CategoryEncoding,
Hashing, Discretization, HashedCrossing), and raw FarmHash64 / SipHash values.

These layers run TensorFlow ops inside Keras on every backend, so the reference is Keras 3.15.1
on its TensorFlow backend. Run from outside the Keras source tree:

    TF_CPP_MIN_LOG_LEVEL=3 /work/tfenv/bin/python tests/data/keras/make_lookup_fixtures.py

JSON layout: `cases` is a list of {"layer", "kwargs", "setup" (adapt / set_vocabulary calls),
"x" (the call input), "y" (the output as nested lists), "dtype", "vocab" (get_vocabulary() when
the layer has one), "config" (get_config())}; `farmhash` maps strings to
`Fingerprint64(s) mod (2**63 - 1)`; `siphash` lists [key, string, value mod (2**63 - 1)];
`model` holds the inputs and Keras's predictions of `text_vectorization_k3.keras` (written
alongside: an adapted TextVectorization, whose vocabulary is an archive asset, and an adapted
tf_idf StringLookup).
"""

import json
import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lookup_k3.json")
BIG = 2**63 - 1


def plain(v):
    if hasattr(v, "numpy"):
        v = v.numpy()
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "OS":
            v = np.vectorize(
                lambda s: s.decode() if isinstance(s, bytes) else str(s), otypes=[object]
            )(v)
        return v.tolist()
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, np.str_):
        return str(v)
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


CASES = []


def case(layer, kwargs, x, setup=(), call_kwargs=None):
    lay = getattr(keras.layers, layer)(**kwargs)
    for method, args in setup:
        if method == "adapt":
            data = args["data"]
            if args.get("batches"):
                data = [np.array(b) for b in data]
            elif args.get("array"):
                data = np.array(data, dtype=args.get("dtype"))
            lay.adapt(data)
        else:
            getattr(lay, method)(**args)
    xx = x
    if isinstance(x, dict):  # {"array": ..., "dtype": ...}
        xx = np.array(x["array"], dtype=x.get("dtype"))
    if layer == "HashedCrossing":
        xx = tuple(np.array(a["array"], dtype=a.get("dtype")) for a in x)
    try:
        y = lay(xx, **(call_kwargs or {}))
        out = {
            "y": plain(y),
            "dtype": str(np.asarray(y).dtype)
            if not hasattr(y, "dtype")
            else tf.as_dtype(y.dtype).name,
        }
    except Exception as e:  # the error is part of the behaviour
        out = {"error": type(e).__name__}
    entry = {
        "layer": layer,
        "kwargs": kwargs,
        "setup": [list(s) for s in setup],
        "x": x,
        "call_kwargs": call_kwargs,
        **out,
    }
    if hasattr(lay, "get_vocabulary"):
        entry["vocab"] = plain(lay.get_vocabulary())
    if layer == "Discretization":
        entry["bin_boundaries"] = plain(lay.bin_boundaries)
    entry["config"] = plain(lay.get_config())
    CASES.append(entry)


V = ["a", "b", "c", "d"]
D = [["a", "c", "d"], ["d", "z", "b"]]
D4 = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]

# StringLookup
case("StringLookup", {"vocabulary": V}, D)
case("StringLookup", {}, D, setup=[("adapt", {"data": D})])
case("StringLookup", {}, ["b", "a"], setup=[("adapt", {"data": ["b", "a", "c", "a", "b", "d"]})])
case("StringLookup", {"vocabulary": V, "num_oov_indices": 2}, [["a", "c", "d"], ["m", "z", "b"]])
case(
    "StringLookup",
    {"vocabulary": V, "num_oov_indices": 5},
    ["x", "yy", "hello world", "q" * 20, "Z" * 40, "m" * 70, "", "é"],
)
case("StringLookup", {"vocabulary": V, "num_oov_indices": 0}, [["a", "b"]])
case("StringLookup", {"vocabulary": V, "output_mode": "one_hot"}, ["a", "b", "c", "d", "z"])
case("StringLookup", {"vocabulary": V, "output_mode": "one_hot"}, [["a"], ["z"]])
case("StringLookup", {"vocabulary": V, "output_mode": "multi_hot"}, D4)
case("StringLookup", {"vocabulary": V, "output_mode": "multi_hot"}, ["a", "z", "a"])
case("StringLookup", {"vocabulary": V, "output_mode": "count"}, D4)
case(
    "StringLookup",
    {"output_mode": "tf_idf"},
    D4,
    setup=[("set_vocabulary", {"vocabulary": V, "idf_weights": [0.25, 0.75, 0.6, 0.4]})],
)
case(
    "StringLookup",
    {"output_mode": "tf_idf"},
    D4,
    setup=[
        (
            "set_vocabulary",
            {"vocabulary": ["[UNK]"] + V, "idf_weights": [0.9, 0.25, 0.75, 0.6, 0.4]},
        )
    ],
)
case("StringLookup", {"output_mode": "tf_idf"}, D4, setup=[("adapt", {"data": D4})])
case(
    "StringLookup",
    {"output_mode": "tf_idf", "max_tokens": 6, "pad_to_max_tokens": True},
    D4,
    setup=[("adapt", {"data": [["a", "b"], ["b", "c"], ["b", "d"]]})],
)
case("StringLookup", {"vocabulary": V, "invert": True}, {"array": [[1, 3, 4], [4, 0, 2]]})
case("StringLookup", {"vocabulary": V, "mask_token": ""}, [["a", "", "z"]])
case(
    "StringLookup",
    {"vocabulary": V, "mask_token": "", "output_mode": "multi_hot"},
    [["a", "", "z"]],
)
case(
    "StringLookup",
    {"vocabulary": V, "mask_token": "", "invert": True},
    {"array": [[0, 1, 2, 5, 9]]},
)
case(
    "StringLookup",
    {"max_tokens": 3},
    ["c"],
    setup=[("adapt", {"data": ["a", "b", "b", "c", "c", "c", "d"]})],
)
case(
    "StringLookup",
    {"max_tokens": 8, "pad_to_max_tokens": True, "output_mode": "multi_hot"},
    [["a", "b"]],
    setup=[("adapt", {"data": ["a", "b", "b"]})],
)
case(
    "StringLookup",
    {"mask_token": "[MASK]", "max_tokens": 4},
    ["a"],
    setup=[("adapt", {"data": ["a", "a", "b", "[MASK]", "[MASK]", "[MASK]", "[UNK]"]})],
)
case("StringLookup", {"vocabulary": V}, "c")
case(
    "StringLookup",
    {},
    [["x"]],
    setup=[("adapt", {"data": [["x", "y"], ["y", "x"]], "batches": True})],
)

# IntegerLookup
IV = [12, 36, 1138, 42]
case("IntegerLookup", {"vocabulary": IV}, {"array": [[12, 1138, 42], [42, 1000, 36]]})
case(
    "IntegerLookup",
    {},
    {"array": [[12, 1138, 42], [42, 1000, 36]]},
    setup=[("adapt", {"data": [[12, 1138, 42], [42, 1000, 36]], "array": True})],
)
case(
    "IntegerLookup",
    {"vocabulary": IV, "num_oov_indices": 2},
    {"array": [[12, 1138, 42], [37, 1000, 36]]},
)
case("IntegerLookup", {"vocabulary": IV, "mask_token": 0}, {"array": [[12, 0, 5]]})
case("IntegerLookup", {"vocabulary": IV, "invert": True}, {"array": [[1, 3, 4], [4, 0, 2]]})
case(
    "IntegerLookup", {"vocabulary": IV, "output_mode": "one_hot"}, {"array": [12, 36, 1138, 42, 7]}
)
case(
    "IntegerLookup",
    {"vocabulary": IV, "output_mode": "count"},
    {"array": [[12, 1138, 42, 42], [42, 7, 36, 7]]},
)
case(
    "IntegerLookup",
    {"output_mode": "tf_idf"},
    {"array": [[12, 1138, 42, 42], [42, 7, 36, 7]]},
    setup=[("set_vocabulary", {"vocabulary": IV, "idf_weights": [0.25, 0.75, 0.6, 0.4]})],
)
case(
    "IntegerLookup",
    {"max_tokens": 3, "num_oov_indices": 1},
    {"array": [5, 6, 7]},
    setup=[("adapt", {"data": [5, 6, 6, 7, 7, 7], "array": True})],
)
case("IntegerLookup", {"vocabulary": IV, "oov_token": -7, "invert": True}, {"array": [0, 1, 9]})

# TextVectorization
TV = "TextVectorization"
case(
    TV,
    {"max_tokens": 5000, "output_mode": "int", "output_sequence_length": 4},
    [["foo qux bar"], ["qux baz"]],
    setup=[("adapt", {"data": ["foo bar", "bar baz", "baz bada boom"]})],
)
case(
    TV,
    {
        "max_tokens": 5000,
        "output_mode": "int",
        "output_sequence_length": 4,
        "vocabulary": ["earth", "wind", "and", "fire"],
    },
    ["Earth, wind & FIRE!", "and"],
)
TEXT = [
    "The cat sat on the mat.",
    "THE DOG ate my homework!!",
    "Don't panic: it's fine",
    "a-b c_d e.f (g) [h] {i} <j> ~k `l` @m #n $o %p ^q &r *s +t =u |v \\w /x ?y 'z \"q",
    "Ünïcödé ÄÖÜ straße — “quoted” … ok",
    "tabs\tand\nnewlines  double  spaced  ",
    "nbsp\u00a0here",
    "",
]
case(TV, {}, TEXT, setup=[("adapt", {"data": TEXT})])
for std in ("lower", "strip_punctuation", None):
    case(TV, {"standardize": std}, TEXT, setup=[("adapt", {"data": TEXT})])
case(
    TV,
    {"split": "character", "output_sequence_length": 12},
    ["Hello, wörld", "ab"],
    setup=[("adapt", {"data": ["Hello, wörld", "abc"]})],
)
case(
    TV,
    {"split": None},
    ["the cat", "The Cat", "dog"],
    setup=[("adapt", {"data": ["the cat", "dog", "dog"]})],
)
case(
    TV,
    {"ngrams": 2},
    ["the cat sat", "the dog"],
    setup=[("adapt", {"data": ["the cat sat", "the cat", "dog"]})],
)
case(TV, {"ngrams": (1, 3)}, ["a b c d"], setup=[("adapt", {"data": ["a b c d", "b c"]})])
case(
    TV,
    {"ngrams": 3, "output_mode": "count"},
    ["x y", "x y z"],
    setup=[("adapt", {"data": ["x y z x y"]})],
)
case(
    TV,
    {"output_mode": "multi_hot"},
    ["the cat", "the the dog"],
    setup=[("adapt", {"data": ["the cat", "the dog", "a dog"]})],
)
case(
    TV,
    {"output_mode": "count", "max_tokens": 3},
    ["the cat", "the the dog"],
    setup=[("adapt", {"data": ["the cat", "the dog", "a dog"]})],
)
case(
    TV,
    {"output_mode": "tf_idf"},
    ["the cat", "the the dog"],
    setup=[("adapt", {"data": ["the cat", "the dog", "a dog"]})],
)
case(
    TV,
    {"output_mode": "multi_hot", "max_tokens": 10, "pad_to_max_tokens": True},
    ["the cat"],
    setup=[("adapt", {"data": ["the cat", "the dog"]})],
)
case(
    TV,
    {"output_sequence_length": 2},
    ["one two three", "one"],
    setup=[("adapt", {"data": ["one two three"]})],
)
case(TV, {"max_tokens": 4}, ["a b c d e"], setup=[("adapt", {"data": ["e e e d d d c c b a"]})])
case(TV, {}, [["a b"], ["b"]], setup=[("adapt", {"data": [["a b b"], ["c"]], "batches": True})])
case(TV, {}, "a b", setup=[("adapt", {"data": ["a b"]})])

# CategoryEncoding
CE = "CategoryEncoding"
case(CE, {"num_tokens": 4, "output_mode": "one_hot"}, [3, 2, 0, 1])
case(CE, {"num_tokens": 4, "output_mode": "one_hot"}, [[3], [2]])
case(CE, {"num_tokens": 4, "output_mode": "multi_hot"}, [[0, 1], [0, 0], [1, 2], [3, 1]])
case(CE, {"num_tokens": 4, "output_mode": "multi_hot"}, [0, 1, 1])
case(
    CE,
    {"num_tokens": 4, "output_mode": "count"},
    [[0, 1], [0, 0], [1, 2], [3, 1]],
    call_kwargs=None,
)
case(CE, {"num_tokens": 4}, 2)
case(CE, {"num_tokens": 4, "output_mode": "count"}, [0, 1, 1, 3])
case(CE, {"num_tokens": 3, "output_mode": "one_hot", "dtype": "int32"}, [0, 2])

# Hashing
H = "Hashing"
case(H, {"num_bins": 3}, [["A"], ["B"], ["C"], ["D"], ["E"]])
case(H, {"num_bins": 3, "mask_value": ""}, [["A"], ["B"], [""], ["C"], ["D"]])
case(H, {"num_bins": 3, "salt": [133, 137]}, [["A"], ["B"], ["C"], ["D"], ["E"]])
case(H, {"num_bins": 3, "salt": 133}, [["A"], ["B"], ["C"], ["D"], ["E"]])
case(H, {"num_bins": 7}, {"array": [[1, -2, 300000000000], [0, 7, 11]], "dtype": "int64"})
case(H, {"num_bins": 7}, {"array": [[1.5, -2.7, 3.0]], "dtype": "float32"})
case(H, {"num_bins": 7, "mask_value": 0}, {"array": [[0, 1, 2, 3]], "dtype": "int32"})
case(H, {"num_bins": 4, "output_mode": "one_hot"}, [["A"], ["B"], ["C"]])
case(H, {"num_bins": 4, "output_mode": "multi_hot"}, [["A", "B"], ["C", "C"]])
case(H, {"num_bins": 4, "output_mode": "count"}, [["A", "B"], ["C", "C"]])
case(H, {"num_bins": 5, "dtype": "int32"}, ["x", "y"])

# Discretization
DZ = "Discretization"
X = [[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]
case(DZ, {"bin_boundaries": [0.0, 1.0, 2.0]}, {"array": X})
case(
    DZ,
    {"num_bins": 4, "epsilon": 0.01},
    {"array": X},
    setup=[("adapt", {"data": X, "array": True})],
)
rng = np.random.default_rng(3)
R = np.round(rng.normal(size=(300,)), 3).tolist()
for nb, eps in ((3, 0.01), (5, 0.1), (10, 0.001), (2, 0.5)):
    case(
        DZ,
        {"num_bins": nb, "epsilon": eps},
        {"array": R[:8]},
        setup=[("adapt", {"data": R, "array": True})],
    )
case(
    DZ,
    {"num_bins": 4},
    {"array": R[:8]},
    setup=[("adapt", {"data": [R[:100], R[100:250], R[250:]], "batches": True})],
)
case(DZ, {"bin_boundaries": [0.0, 1.0], "output_mode": "one_hot"}, {"array": [-1.0, 0.5, 2.0]})
case(
    DZ,
    {"bin_boundaries": [0.0, 1.0], "output_mode": "multi_hot"},
    {"array": [[-1.0, 0.5], [2.0, 2.0]]},
)
case(
    DZ, {"bin_boundaries": [0.0, 1.0], "output_mode": "count"}, {"array": [[-1.0, 0.5], [2.0, 2.0]]}
)

# HashedCrossing
HC = "HashedCrossing"
case(
    HC,
    {"num_bins": 5},
    [{"array": ["A", "B", "A", "B", "A"]}, {"array": [101, 101, 101, 102, 102]}],
)
case(
    HC,
    {"num_bins": 5, "output_mode": "one_hot"},
    [{"array": ["A", "B", "A", "B", "A"]}, {"array": [101, 101, 101, 102, 102]}],
)
case(
    HC,
    {"num_bins": 1000},
    [
        {"array": [[1], [-5], [0]], "dtype": "int64"},
        {"array": [[2], [7], [0]], "dtype": "int32"},
        {"array": [["x"], ["yy"], [""]]},
    ],
)
case(HC, {"num_bins": 10}, [{"array": "A"}, {"array": 3}])

# raw hashes: FarmHash64 fingerprints (mod 2**63 - 1) of strings of every length class
rng = np.random.default_rng(0)
strings = ["", "a", "ab", "abc", "abcd", "hello", "[UNK]", "é", "ü" * 5]
for n in list(range(0, 140)) + [200, 255, 256, 1000]:
    strings.append("".join(chr(c) for c in rng.integers(32, 127, n)))
farm = tf.strings.to_hash_bucket_fast(tf.constant(strings), BIG).numpy().tolist()
sip = []
for key in ([133, 137], [0, 0], [2**40 + 3, 7]):
    vals = tf.strings.to_hash_bucket_strong(tf.constant(strings), BIG, key).numpy().tolist()
    sip += [[key, s, v] for s, v in zip(strings, vals)]

# a model with an adapted TextVectorization (vocabulary saved as an asset) and a tf_idf
# StringLookup (idf weights saved as a variable), saved as .keras
keras.utils.set_random_seed(1)
tv = keras.layers.TextVectorization(output_sequence_length=4, name="tv")
tv.adapt(["foo bar", "bar baz", "baz bada boom"])
inp = keras.Input(shape=(1,), dtype="string", name="text")
emb = keras.layers.GlobalAveragePooling1D()(keras.layers.Embedding(10, 3, name="emb")(tv(inp)))
words = keras.Input(shape=(3,), dtype="string", name="words")
lookup = keras.layers.StringLookup(output_mode="tf_idf", name="lookup")
lookup.adapt([["x", "y", "y"], ["z", "x", "x"]])
model = keras.Model([inp, words], [emb, lookup(words)])
model.save(os.path.join(os.path.dirname(OUT), "text_vectorization_k3.keras"))
MODEL_X = [[["foo qux bar"], ["qux baz"]], [["x", "q", "z"], ["y", "y", "x"]]]
model_y = [plain(v) for v in model([tf.constant(v) for v in MODEL_X])]

with open(OUT, "w") as f:
    json.dump(
        {
            "keras_version": keras.__version__,
            "tf_version": tf.__version__,
            "cases": CASES,
            "farmhash": dict(zip(strings, farm)),
            "siphash": sip,
            "model": {"x": MODEL_X, "y": model_y},
        },
        f,
        indent=0,
        ensure_ascii=False,
    )
print("wrote", OUT, len(CASES), "cases")
