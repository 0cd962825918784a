"""A seeded fuzzer for model/weights loading: mutated Keras files must fail cleanly or load.

Each case takes a fixture (`tests/data/keras/*.keras|*.h5`, optionally the shared fixture
directory), mutates it (byte flips, truncations, zeroed windows, JSON config mutations, HDF5
structure tricks, zip entry tricks) and loads it in a worker subprocess. The loading contract
checked for every case:

* the load raises a `ValueError` or `OSError` whose message names the file, or
* it succeeds, and the model runs `predict` (full models) / the weights now equal what the
  file holds (weights files, compared with arrays read by h5py where the layout allows it);
* never a crash (the worker dying), a hang (over `--case-seconds`), a MemoryError or any other
  exception type, and a failed `load_weights` leaves the model's weights unchanged.

Workers run under an address-space limit (`RLIMIT_AS`), so a file that makes the loader
allocate gigabytes shows up as a MemoryError (a finding), not as a machine out of memory.

Run a longer session with `python -m tests.saving.fuzz_loading --minutes 25` (see README,
"Security"); `tests/saving/test_fuzz_loading.py` runs a few hundred seeded cases per test run.
"""

import argparse
import io
import json
import os
import random
import select
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(REPO, "tests", "data", "keras")
SHARED = "/work/shared/fixtures/keras"
BIG = ("mobilenetv2",)  # slow to load many times: only in long runs


# ---- fixtures -------------------------------------------------------------------------------


def companion(name):
    """The full-model file whose model a weights file is loaded into (None for model files)."""
    if name.endswith(".weights.h5"):
        return name[: -len(".weights.h5")] + ".keras"
    if name.endswith("_weights.h5"):
        return name[: -len("_weights.h5")] + ".h5"
    return None


def fixtures(include_shared=False, include_big=False):
    """`[(path, companion path or None)]` of the loadable fixtures."""
    dirs = [FIXTURES] + ([SHARED] if include_shared and os.path.isdir(SHARED) else [])
    seen, out = set(), []
    for d in dirs:
        for name in sorted(os.listdir(d)):
            if not name.endswith((".keras", ".h5")) or name in seen:
                continue
            if not include_big and any(b in name for b in BIG):
                continue
            comp = companion(name)
            comp_path = os.path.join(d, comp) if comp else None
            if comp and not os.path.exists(comp_path):
                continue
            seen.add(name)
            out.append((os.path.join(d, name), comp_path))
    return out


# ---- mutations --------------------------------------------------------------------------------


def _flip(data, rng):
    b = bytearray(data)
    for _ in range(rng.choice([1, 2, 4, 16, 64])):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def _truncate(data, rng):
    return data[: rng.randrange(len(data))]


def _zero_window(data, rng):
    b = bytearray(data)
    start = rng.randrange(len(b))
    size = rng.choice([8, 64, 512, 4096])
    b[start : start + size] = bytes(min(size, len(b) - start))
    return bytes(b)


def _random_window(data, rng):
    b = bytearray(data)
    start = rng.randrange(len(b))
    size = rng.choice([4, 32, 256])
    b[start : start + size] = bytes(rng.randrange(256) for _ in range(min(size, len(b) - start)))
    return bytes(b)


_HUGE = [10**8, 10**12, 2**63, -1, 0, -(10**9), 1e308, 0.5, 1e-300]
_SWAPS = [
    "x",
    "",
    3,
    2.5,
    True,
    False,
    None,
    [],
    {},
    [1, 2],
    {"a": 1},
    "relu",
    "float64",
    {"class_name": "Dense", "config": {}},
    [[None, 3]],
    "../../etc/passwd",
]
_CLASSES = [
    "NoSuchLayer",
    "system",
    "eval",
    "Popen",
    "function",
    "__lambda__",
    "Functional",
    "Sequential",
    "Dense",
    "LSTM",
    "__numpy__",
    "__tensor__",
    "Custom>Evil",
    "Lambda",
    "__keras_tensor__",
    "Add",
    "Model",
    "InputLayer",
    "Conv2D",
]
_MODULES = [
    "os",
    "subprocess",
    "builtins",
    "keras.src.ops.numpy",
    "keras.layers",
    "posix",
    "keras.src.models.functional",
    "__main__",
]


def _nodes(tree, path=()):
    """Every (container, key) position in a JSON tree."""
    out = []
    if isinstance(tree, dict):
        for k, v in tree.items():
            out.append((tree, k))
            out += _nodes(v)
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out.append((tree, i))
            out += _nodes(v)
    return out


def mutate_config(config, rng):
    """Mutates a parsed JSON config in place a few times; returns a short description."""
    what = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        spots = _nodes(config)
        if not spots:
            break
        box, key = rng.choice(spots)
        value = box[key]
        op = rng.choice(
            ["swap", "huge", "nest", "class", "module", "drop", "dup", "string", "shape", "bool"]
        )
        if op == "class" or (op == "module" and not isinstance(box, dict)):
            holders = [(b, k) for b, k in spots if k == "class_name"]
            if holders:
                box, key = rng.choice(holders)
                box[key] = rng.choice(_CLASSES)
        elif op == "module":
            holders = [(b, k) for b, k in spots if k in ("module", "registered_name")]
            if holders:
                box, key = rng.choice(holders)
                box[key] = rng.choice(_MODULES)
        elif op == "swap":
            box[key] = rng.choice(_SWAPS)
        elif op == "huge":
            ints = [(b, k) for b, k in spots if type(b[k]) is int] or [(box, key)]
            box, key = rng.choice(ints)
            box[key] = rng.choice(_HUGE)
        elif op == "nest":
            v = value
            for _ in range(rng.choice([50, 300, 900])):
                v = [v] if rng.random() < 0.5 else {"config": v}
            box[key] = v
        elif op == "drop" and isinstance(box, dict):
            del box[key]
        elif op == "drop":
            box.pop(key)
        elif op == "dup" and isinstance(box, list):
            box.append(json.loads(json.dumps(value)))
        elif op == "string":
            box[key] = rng.choice(["\udcff", "\x00", "a/b", "..", "é" * 10, "x" * 5000])
        elif op == "shape":
            box[key] = rng.choice(
                [
                    [None, 10**6],
                    [None, 0],
                    [None, -3],
                    [None, 10**9, 10**9],
                    [2, 3, 4, 5, 6, 7],
                    [None, 1.5],
                ]
            )
        elif op == "bool":
            box[key] = not value if isinstance(value, bool) else rng.choice([True, False])
        what.append(f"{op}@{key}")
    return ",".join(what)


def _h5_rewrite(src, dst, rng):
    """HDF5 structure mutations, made with h5py on a copy of `src`."""
    import h5py
    import numpy as np

    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as f:
        f.write(data)
    with h5py.File(dst, "r+") as h5:
        datasets, groups = [], []
        h5.visititems(lambda n, o: (datasets if isinstance(o, h5py.Dataset) else groups).append(n))
        op = rng.choice(
            [
                "config",
                "config",
                "config",
                "reshape",
                "dtype",
                "chain",
                "wide",
                "attr",
                "delete",
                "extra",
            ]
        )
        if op == "config" and "model_config" in h5.attrs:
            raw = h5.attrs["model_config"]
            config = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
            desc = mutate_config(config, rng)
            h5.attrs["model_config"] = json.dumps(config, ensure_ascii=rng.random() < 0.5)
            return f"h5-config:{desc}"
        if op in ("reshape", "dtype", "delete") and datasets:
            name = rng.choice(datasets)
            old = h5[name]
            value = old[()]
            del h5[name]
            if op == "reshape":
                shape = rng.choice([(3,), (1, 1), tuple(s + 1 for s in old.shape) or (2,), ()])
                h5.create_dataset(name, data=np.zeros(shape, "float32"))
            elif op == "dtype":
                dt = rng.choice(["int8", "float64", "uint64", "float16", "bool", "S4"])
                h5.create_dataset(name, data=np.asarray(value).astype(dt))
            return f"h5-{op}:{name}"
        if op == "chain":
            g = h5.require_group(rng.choice(groups) if groups else "/")
            for _ in range(rng.choice([100, 1000, 3000])):
                g = g.create_group("g")
            return "h5-chain"
        if op == "wide":
            g = h5.require_group(rng.choice(groups) if groups else "/").create_group("wide")
            for i in range(rng.choice([1000, 20000])):
                g.create_group(str(i))
            return "h5-wide"
        if op == "attr":
            targets = [h5] + [h5[n] for n in groups]
            obj = rng.choice(targets)
            names = list(obj.attrs)
            if names:
                key = rng.choice(names)
                obj.attrs[key] = rng.choice(
                    [
                        np.arange(5),
                        b"\xff\xfe",
                        "x",
                        np.float64(3.0),
                        np.array([b"..", b"a/b"]),
                        np.array([b"nope"]),
                    ]
                )
                return f"h5-attr:{key}"
        if op == "extra" and groups:
            g = h5[rng.choice(groups)]
            g.create_dataset("extra_" + str(rng.randrange(99)), data=np.ones((2, 2), "float32"))
            return "h5-extra"
    return "h5-noop"


def _zip_rewrite(data, rng):
    """`.keras` archive mutations: the config, the weights member, entry tricks."""
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        members = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    except Exception:  # noqa: BLE001 - the fixture itself is always a zip
        return data, "zip-unreadable"
    op = rng.choice(
        [
            "config",
            "config",
            "config",
            "config",
            "weights",
            "missing",
            "dup",
            "traversal",
            "bomb",
            "stored_garbage",
            "metadata",
        ]
    )
    desc = f"zip-{op}"
    if op == "config" and "config.json" in members:
        config = json.loads(members["config.json"])
        desc += ":" + mutate_config(config, rng)
        members["config.json"] = json.dumps(config).encode()
    elif op == "weights" and "model.weights.h5" in members:
        w = members["model.weights.h5"]
        members["model.weights.h5"] = rng.choice([_flip, _truncate, _zero_window])(w, rng)
    elif op == "missing":
        members.pop(rng.choice(sorted(members)))
    elif op == "traversal":
        members["../evil.txt"] = b"x"
        members["/abs/evil"] = b"x"
    elif op == "bomb":
        members["config.json"] = b" " * (300 * 2**20) + members.get("config.json", b"{}")
    elif op == "stored_garbage":
        members[rng.choice(sorted(members))] = bytes(rng.randrange(256) for _ in range(300))
    elif op == "metadata":
        meta = {
            "keras_version": rng.choice([3, None, [], "2.15.0", "x" * 10, {"a": 1}]),
            "date_saved": rng.choice([1, "x"]),
        }
        members["metadata.json"] = json.dumps(meta).encode()
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        warnings.simplefilter("ignore")  # "Duplicate name": the point of the "dup" trick
        for name, payload in members.items():
            z.writestr(name, payload)
        if op == "dup" and members:
            name = rng.choice(sorted(members))
            z.writestr(name, b"{}" if name.endswith(".json") else b"\x00" * 64)
    return buf.getvalue(), desc


def make_case(src, dst, rng):
    """Writes a mutation of `src` to `dst`; returns a description of the mutation."""
    try:
        return _make_case(src, dst, rng)
    except RecursionError:  # json.dumps of a too deeply nested mutation: mutate bytes instead
        with open(src, "rb") as f:
            data = _flip(f.read(), rng)
        with open(dst, "wb") as f:
            f.write(data)
        return "bytes-flip"


def _make_case(src, dst, rng):
    with open(src, "rb") as f:
        data = f.read()
    kind = rng.choice(["bytes", "bytes", "structure", "structure", "structure"])
    if kind == "structure" and src.endswith(".keras"):
        data, desc = _zip_rewrite(data, rng)
    elif kind == "structure":
        try:
            return _h5_rewrite(src, dst, rng)
        except Exception as e:  # noqa: BLE001 - fall back to a byte mutation
            desc = f"h5-failed({type(e).__name__})"
    else:
        desc = ""
    if kind == "bytes" or desc.startswith("h5-failed"):
        fn = rng.choice([_flip, _flip, _truncate, _zero_window, _random_window])
        data = fn(data, rng)
        desc = f"bytes-{fn.__name__.strip('_')}"
    with open(dst, "wb") as f:
        f.write(data)
    return desc


# ---- the worker ---------------------------------------------------------------------------------


def _set_limits(mem_mb):
    import resource

    if mem_mb:
        limit = mem_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _zeros_for(model):
    import numpy as np

    xs = []
    fixed = [t.shape[0] for t in model.inputs if t.shape and t.shape[0] is not None]
    batch = int(fixed[0]) if fixed else 2  # inputs share one batch size
    for t in model.inputs:
        shape = tuple(int(d) if d is not None else 2 for d in t.shape)
        shape = (batch,) + shape[1:] if shape else shape
        if "str" in str(t.dtype):
            xs.append(np.full(shape, "a", dtype=object))
        else:
            xs.append(np.zeros(shape, dtype=str(t.dtype) if "int" in str(t.dtype) else "float32"))
    return xs[0] if len(xs) == 1 else xs


def _file_arrays(path):
    """The weight arrays of a Keras 3 `.weights.h5` file in layout order, or None."""
    import h5py

    out = []
    try:
        with h5py.File(path, "r") as h5:
            h5.visititems(
                lambda n, o: out.append((n, o[()])) if isinstance(o, h5py.Dataset) else None
            )
    except Exception:  # noqa: BLE001 - the comparison is best-effort
        return None
    return out


def run_case(path, comp, models):
    """Loads one case; returns `(outcome, detail)` (`outcome` in ok/clean/violation)."""
    import warnings

    import numpy as np

    import minikeras as keras

    name = os.path.basename(path)
    warnings.simplefilter("ignore")
    if comp is None:
        try:
            model = keras.models.load_model(path)
        except (ValueError, OSError) as e:
            if isinstance(e, MemoryError) or name not in str(e):
                return "violation", f"{type(e).__name__} without the file name: {e}"[:400]
            return "clean", type(e).__name__
        except BaseException as e:  # noqa: BLE001 - the finding
            return "violation", f"{type(e).__name__}: {e}"[:400]
        try:
            if not hasattr(model, "predict"):  # FeatureSpace.save() archives load as one, as Keras
                model.get_config()
                return "ok", "load_model (not a model)"
            y = model.predict(_zeros_for(model), verbose=0)
            del y
        except BaseException as e:  # noqa: BLE001
            return "violation", f"loaded, predict failed: {type(e).__name__}: {e}"[:400]
        return "ok", "load_model"
    if comp not in models:
        models[comp] = keras.models.load_model(comp)
    model = models[comp]
    before = [w.data.copy() for w in model.weights]
    try:
        model.load_weights(path)
    except BaseException as e:  # noqa: BLE001
        after = [w.data for w in model.weights]
        changed = any(not np.array_equal(a, b, equal_nan=True) for a, b in zip(before, after))
        for w, b in zip(model.weights, before):
            w.data[...] = b
        if changed:
            return "violation", f"failed load_weights changed the weights ({type(e).__name__})"
        if not isinstance(e, (ValueError, OSError)) or isinstance(e, MemoryError):
            return "violation", f"{type(e).__name__}: {e}"[:400]
        if name not in str(e):
            return "violation", f"{type(e).__name__} without the file name: {e}"[:400]
        return "clean", type(e).__name__
    after = [w.data.copy() for w in model.weights]
    for w, b in zip(model.weights, before):
        w.data[...] = b  # the next case starts from the companion's weights
    arrays = _file_arrays(path)
    if arrays is not None and len(arrays) == len(after):
        file_sorted = sorted(a.tobytes() for _, a in arrays if hasattr(a, "tobytes"))
        ours = sorted(
            np.asarray(a, dtype=np.asarray(f).dtype).tobytes() for a, (_, f) in zip(after, arrays)
        )
        if file_sorted != ours and all(a.dtype == after[0].dtype for _, a in arrays):
            # same multiset of arrays expected when every dataset is a weight
            if sorted(a.size for _, a in arrays) == sorted(a.size for a in after):
                return "violation", "loaded weights differ from the file's datasets"
    return "ok", "load_weights"


def worker_main(mem_mb):
    """Reads `path\\tcompanion` lines on stdin, writes one JSON result line per case."""
    _set_limits(mem_mb)
    import minikeras  # noqa: F401 - imported before the first case's clock starts

    sys.stdout.write("ready\n")
    sys.stdout.flush()
    models = {}
    for line in sys.stdin:
        path, comp = line.rstrip("\n").split("\t")
        try:
            outcome, detail = run_case(path, comp or None, models)
        except BaseException as e:  # noqa: BLE001 - e.g. a MemoryError in the harness itself
            outcome, detail = "violation", f"harness: {type(e).__name__}: {e}"[:400]
        sys.stdout.write(json.dumps({"outcome": outcome, "detail": detail}) + "\n")
        sys.stdout.flush()


# ---- the driver ----------------------------------------------------------------------------------


class _Worker:
    def __init__(self, mem_mb):
        env = dict(os.environ, PYTHONHASHSEED="0")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.saving.fuzz_loading",
                "--worker",
                "--mem-mb",
                str(mem_mb),
            ],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        self.case, self.started, self.ready = None, None, False

    def wait_ready(self, timeout=300):
        """Waits for the worker's imports (not counted in any case's time limit)."""
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if line.strip() != "ready":
            raise RuntimeError(f"fuzz worker did not start (read {line!r})")
        self.ready = True
        return self

    def cpu_seconds(self):
        """User + system CPU time of the worker (Linux /proc), or None."""
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def over_time(self, limit):
        """A hang: over `limit` s of CPU time on one case, or 6x `limit` of wall time (the
        machine may be busy, so wall time alone would count a starved worker as hung)."""
        wall = time.monotonic() - self.started
        cpu = self.cpu_seconds()
        if cpu is None or self.cpu0 is None:
            return wall > limit
        return cpu - self.cpu0 > limit or wall > 6 * limit

    def send(self, case):
        self.case, self.started = case, time.monotonic()
        self.cpu0 = self.cpu_seconds()
        self.proc.stdin.write(f"{case['path']}\t{case['comp'] or ''}\n")
        self.proc.stdin.flush()

    def kill(self):
        try:
            self.proc.kill()
        except OSError:
            pass
        self.proc.wait()


def run(
    cases=None,
    minutes=None,
    seed=0,
    workers=2,
    case_seconds=10.0,
    mem_mb=3072,
    include_shared=False,
    include_big=False,
    keep=None,
    log=print,
):
    """Runs the fuzzer; returns `(Counter of outcomes, [violation records])`.

    Stops after `cases` cases or `minutes` minutes (whichever is given/first).
    """
    rng = random.Random(seed)
    pool = fixtures(include_shared, include_big)
    tmp = tempfile.mkdtemp(prefix="fuzz_loading_")
    counts, findings = Counter(), []
    deadline = time.monotonic() + minutes * 60 if minutes else None
    made, done = 0, 0
    active = [_Worker(mem_mb) for _ in range(workers)]
    for w in active:
        w.wait_ready()

    def more():
        if cases is not None and made >= cases:
            return False
        return deadline is None or time.monotonic() < deadline

    def next_case():
        nonlocal made
        src, comp = rng.choice(pool)
        base = os.path.basename(src)
        dst = os.path.join(tmp, f"case{made:06d}_{base}")
        desc = make_case(src, dst, rng)
        made += 1
        return {"path": dst, "comp": comp, "src": base, "mutation": desc}

    def record(case, outcome, detail):
        counts[outcome] += 1
        if outcome in ("violation", "crash", "hang"):
            item = {**case, "outcome": outcome, "detail": detail}
            findings.append(item)
            log(f"[{outcome}] {case['src']} {case['mutation']}: {detail}")
            if keep:
                os.makedirs(keep, exist_ok=True)
                os.replace(case["path"], os.path.join(keep, os.path.basename(case["path"])))
                return
        try:
            os.remove(case["path"])
        except OSError:
            pass

    try:
        for w in active:
            if more():
                w.send(next_case())
        while any(w.case for w in active):
            busy = [w for w in active if w.case]
            ready, _, _ = select.select([w.proc.stdout for w in busy], [], [], 0.2)
            for i, w in enumerate(active):
                if not w.case:
                    continue
                if w.proc.stdout in ready:
                    line = w.proc.stdout.readline()
                    if not line:  # the worker died
                        code = w.proc.wait()
                        record(w.case, "crash", f"worker exited with code {code}")
                        w = active[i] = _Worker(mem_mb).wait_ready()
                    else:
                        result = json.loads(line)
                        record(w.case, result["outcome"], result["detail"])
                    done += 1
                    w.case = None
                elif w.over_time(case_seconds):
                    w.kill()
                    record(w.case, "hang", f"over {case_seconds} s")
                    done += 1
                    w = active[i] = _Worker(mem_mb).wait_ready()
                if w.case is None and more():
                    w.send(next_case())
    finally:
        for w in active:
            w.kill()
    return counts, findings


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--case-seconds", type=float, default=10.0)
    parser.add_argument("--mem-mb", type=int, default=3072)
    parser.add_argument("--shared", action="store_true", help="also mutate " + SHARED)
    parser.add_argument("--big", action="store_true", help="include the MobileNetV2 fixtures")
    parser.add_argument("--keep", default=None, help="directory for the failing cases")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_main(args.mem_mb)
    if args.cases is None and args.minutes is None:
        args.minutes = 5
    seed = args.seed if args.seed is not None else int(time.time())
    print(f"seed {seed}", flush=True)
    counts, findings = run(
        args.cases,
        args.minutes,
        seed,
        args.workers,
        args.case_seconds,
        args.mem_mb,
        args.shared,
        args.big,
        args.keep,
        log=lambda s: print(s, flush=True),
    )
    total = sum(counts.values())
    print(f"cases {total}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    kinds = Counter(f["detail"].split(":")[0] for f in findings)
    for kind, n in kinds.most_common():
        print(f"  {n:5d}  {kind}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
