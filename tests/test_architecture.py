"""The package's imports point one way: down the floors of docs/ARCHITECTURE.md.

    kernels <- core <- serialization <- {activations, initializers, constraints, regularizers}
    <- layers <- {losses, metrics, optimizers, callbacks} <- models <- saving <- the rest

Every `import` and `from ... import` of the package is read with `ast`, the ones inside functions
too (a lazy import that runs upward is a cycle all the same). The one exception is Keras's own:
the `Model.save` / `load_model` / `save_weights` / `load_weights` facade imports `saving` lazily.
"""

import ast
import os
import sys

import pytest

PACKAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "minikeras")

# Low to high. A module belongs to the floor of its longest matching prefix.
FLOORS = [
    ("kernels", ["kernels"]),
    (
        "core",
        [
            "core",
            "version",
            "tree",
            "config",
            "backend",
            "random",
            "distribution",
            "dtype_policies",
            "quantizers",
            "utils.naming",
            "utils.random",
            "utils.atomic",
            "utils.batch_utils",
            "utils.py_dataset",
            "utils.sequence_utils",
            "utils.summary_utils",
            "utils.numerical_utils",
            "utils.dataset_utils",
            "utils.directory_utils",
            "utils.text_dataset_utils",
            "utils.timeseries_dataset_utils",
        ],
    ),
    ("serialization", ["serialization"]),
    ("basics", ["activations", "initializers", "constraints", "regularizers"]),
    ("layers", ["layers"]),
    ("training", ["losses", "metrics", "optimizers", "callbacks"]),
    ("models", ["models"]),
    ("saving", ["saving"]),
    (
        "top",
        ["", "applications", "datasets", "preprocessing", "utils", "__main__"],
    ),
]

# (importing module, imported module): the lazy facade Keras itself has.
FACADE = {
    ("models.model", "saving.api"),
    ("models", "saving.api"),
    ("models.trainer", "saving.api"),
}


def _modules():
    found = {}
    for root, _, files in os.walk(PACKAGE):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, PACKAGE)[:-3].replace(os.sep, ".")
                if rel == "__init__":
                    rel = ""
                elif rel.endswith(".__init__"):
                    rel = rel[: -len(".__init__")]
                found[rel] = path
    return found


def _floor(module):
    best, best_len = None, -1
    for i, (_, prefixes) in enumerate(FLOORS):
        for p in prefixes:
            if (p == "" or module == p or module.startswith(p + ".")) and len(p) > best_len:
                best, best_len = i, len(p)
    return best


def _imports(module, path, modules):
    """(target module, line, inside a function) for every import of the package in `path`."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    is_pkg = path.endswith("__init__.py")
    lazy_lines = set()
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lazy_lines.update(
                n.lineno for n in ast.walk(fn) if isinstance(n, (ast.Import, ast.ImportFrom))
            )
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [
                a.name[len("minikeras.") :] if a.name != "minikeras" else ""
                for a in node.names
                if a.name == "minikeras" or a.name.startswith("minikeras.")
            ]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".") if module else []
                base = parts if is_pkg else parts[:-1]
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module == "minikeras" or (node.module or "").startswith("minikeras."):
                target = node.module[len("minikeras") :].lstrip(".")
            else:
                continue
            targets = []
            for alias in node.names:  # `from .. import layers` imports the module `layers`
                sub = f"{target}.{alias.name}" if target else alias.name
                targets.append(sub if sub in modules else target)
        else:
            continue
        for t in targets:
            while t not in modules and t:
                t = t.rpartition(".")[0]
            if t != module:
                out.append((t, node.lineno, node.lineno in lazy_lines))
    return out


def _upward_imports():
    modules = _modules()
    bad = []
    for module, path in sorted(modules.items()):
        here = _floor(module)
        for target, line, lazy in _imports(module, path, modules):
            there = _floor(target)
            if there <= here:
                continue
            if lazy and (module, target) in FACADE:
                continue
            rel = os.path.relpath(path, os.path.dirname(PACKAGE))
            bad.append(
                f"{rel}:{line} ({FLOORS[here][0]}) imports {'.'.join(['minikeras', target]).rstrip('.')}"
                f" ({FLOORS[there][0]})"
            )
    return bad


def test_every_module_has_a_floor():
    assert all(_floor(m) is not None for m in _modules())


def test_imports_point_down_the_floors():
    """No module imports one on a higher floor, at the top of the file or inside a function."""
    bad = _upward_imports()
    assert not bad, "imports against the floors:\n" + "\n".join(bad)


def test_kernels_import_only_numpy_numba_and_each_other():
    """Kernels are pure: arrays in, arrays out, no Tensors, no layers (STYLE.md): besides the
    standard library they import numpy, numba and numba's llvmlite, nothing of the package."""
    modules = _modules()
    allowed_roots = set(sys.stdlib_module_names) | {"numpy", "numba", "llvmlite"}
    bad = []
    for module, path in modules.items():
        if _floor(module) != 0:
            continue
        for node in ast.walk(ast.parse(open(path, encoding="utf-8").read())):
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                roots = [node.module.split(".")[0]]
            else:
                continue
            bad += [f"{module}:{node.lineno} imports {r}" for r in roots if r not in allowed_roots]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("floor", ["layers", "training", "models"])
def test_only_core_defines_ops(floor):
    """Ops with a hand-written backward live in core/ops: upper floors never call
    `Tensor.from_op`, and layers never import `kernels` (an optimizer's in-place update kernel,
    such as Adam's, is not an op: it has no backward)."""
    modules = _modules()
    index = [name for name, _ in FLOORS].index(floor)
    bad = []
    for module, path in modules.items():
        if _floor(module) != index:
            continue
        source = open(path, encoding="utf-8").read()
        if "from_op(" in source:
            bad.append(f"{module} calls Tensor.from_op")
        if floor == "layers" and any(
            t == "kernels" or t.startswith("kernels.")
            for t, _, _ in _imports(module, path, modules)
        ):
            bad.append(f"{module} imports kernels")
    assert not bad, "\n".join(bad)


# Archives of downloaded data are not model files: `get_file(extract=True)` unpacks .zip archives
# and the dataset loaders read .npz files (zip members, object arrays without pickle).
ARCHIVE_READERS = {"utils.file_utils": {"zipfile"}, "datasets._common": {"zipfile"}}


def test_h5py_and_zipfile_only_in_saving():
    """Model file formats live in saving/: the only user of h5py (and of zipfile, but for the
    dataset archive readers above)."""
    bad = []
    for module, path in _modules().items():
        if module == "saving" or module.startswith("saving."):
            continue
        for node in ast.walk(ast.parse(open(path, encoding="utf-8").read())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            for n in names:
                root = n.split(".")[0]
                if root in ("h5py", "zipfile") and root not in ARCHIVE_READERS.get(module, ()):
                    bad.append(f"{module}:{node.lineno} imports {root}")
    assert not bad, "h5py/zipfile outside saving/: " + ", ".join(bad)


def test_the_checker_sees_lazy_and_relative_imports(tmp_path):
    """The walker itself: a function-level relative import that runs upward is reported."""
    modules = {"layers.x": str(tmp_path / "x.py"), "saving.api": "", "layers": ""}
    (tmp_path / "x.py").write_text("def f():\n    from ..saving import api\n")
    found = _imports("layers.x", modules["layers.x"], modules)
    assert found == [("saving.api", 2, True)]
    assert _floor("saving.api") > _floor("layers.x")
