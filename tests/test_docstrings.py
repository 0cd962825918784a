"""Every public object has a usable docstring, and every docstring example runs.

"Public" means every class and function reachable as `minikeras.X` in the namespaces below
(`__all__` where a module defines it, otherwise every name without a leading underscore),
defined by minikeras itself. A docstring needs a one-line summary, an `Args:` section when
the object takes named arguments, a `Returns:` section when a function returns a value, and a
`>>>` example. The examples of every minikeras module run under doctest.
"""

import ast
import doctest
import importlib
import inspect
import pkgutil
import textwrap

import pytest

import minikeras

NAMESPACES = [
    "",
    "layers",
    "ops",
    "ops.image",
    "optimizers",
    "optimizers.schedules",
    "losses",
    "metrics",
    "callbacks",
    "utils",
    "saving",
    "models",
    "applications",
    "activations",
    "initializers",
    "regularizers",
    "constraints",
    "backend",
    "config",
    "datasets",
    "random",
]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _resolve(path):
    obj = minikeras
    for part in filter(None, path.split(".")):
        obj = getattr(obj, part)
    return obj


def _namespaces():
    """The namespace paths, with the model and dataset modules Keras users import from."""
    paths = list(NAMESPACES)
    for package in ("applications", "datasets"):
        module = _resolve(package)
        paths += [f"{package}.{n}" for n in module.__all__ if inspect.ismodule(getattr(module, n))]
    return paths


def public_objects():
    """`{qualified public name: object}`, each object once (under its first public name)."""
    found, seen = {}, set()
    for path in _namespaces():
        module = _resolve(path)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n in dir(module) if not n.startswith("_")]
        for name in names:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            if not getattr(obj, "__module__", "").startswith("minikeras"):
                continue  # re-exported numpy/stdlib names
            if id(obj) not in seen:
                seen.add(id(obj))
                found[f"minikeras.{path}.{name}".replace("..", ".")] = obj
    return found


def _named_parameters(obj):
    """Parameters a caller names (not self/cls, *args or **kwargs)."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return []
    skip = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [
        p
        for p in signature.parameters.values()
        if p.name not in ("self", "cls") and p.kind not in skip
    ]


def _is_none(node):
    return node is None or (isinstance(node, ast.Constant) and node.value is None)


def _returns_value(fn):
    """Whether the function body has `return <value>` or `yield` (nested functions ignored)."""
    fn = inspect.unwrap(getattr(fn, "_raw", fn))
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return True
    body = tree.body[0]

    def walk(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                continue
            if isinstance(child, (ast.Yield, ast.YieldFrom)):
                return True
            if isinstance(child, ast.Return) and not _is_none(child.value):
                return True
            if walk(child):
                return True
        return False

    return walk(body)


def docstring_problems(obj):
    """What is missing from `obj`'s docstring (an empty list when nothing is)."""
    doc = inspect.getdoc(obj) or ""
    if not doc.strip():
        return ["no docstring"]
    problems = []
    lines = doc.splitlines()
    if not lines[0].strip() or (len(lines) > 1 and lines[1].strip()):
        problems.append("no one-line summary (a first line, then a blank line)")
    if ">>>" not in doc:
        problems.append("no >>> example")
    if _named_parameters(obj) and "Args:" not in doc:
        problems.append("no Args:")
    documents_result = "Returns:" in doc or "Yields:" in doc
    if inspect.isfunction(obj) and not documents_result and _returns_value(obj):
        problems.append("no Returns:")
    return problems


def test_public_namespaces_are_found():
    objects = public_objects()
    for name in (
        "minikeras.layers.Dense",
        "minikeras.ops.add",
        "minikeras.losses.Huber",
        "minikeras.datasets.mnist.load_data",
        "minikeras.applications.ResNet50",
    ):
        assert name in objects, name
    assert len(objects) > 500


def test_every_public_object_is_documented():
    offenders = []
    for name, obj in sorted(public_objects().items()):
        problems = docstring_problems(obj)
        if problems:
            offenders.append(f"{name}: {', '.join(problems)}")
    assert not offenders, f"{len(offenders)} public objects lack documentation:\n" + "\n".join(
        offenders
    )


def _modules():
    names = ["minikeras"]
    for info in pkgutil.walk_packages(minikeras.__path__, "minikeras."):
        if info.name.endswith("__main__"):
            continue  # the command-line entry point runs on import
        names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("module_name", _modules())
def test_docstring_examples_run(module_name):
    module = importlib.import_module(module_name)
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, module_name)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report = []
    for test in tests:
        runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, "".join(report)


def test_checker_flags_missing_parts():
    def undocumented(x):
        return x

    def documented(x):
        """Returns `x`.

        Args:
            x: anything.

        Returns:
            `x` itself.

        >>> documented(1)
        1
        """
        return x

    def no_value(x):
        """Does nothing.

        Args:
            x: anything.

        >>> no_value(1)
        """

    assert docstring_problems(undocumented) == ["no docstring"]
    assert docstring_problems(documented) == []
    assert docstring_problems(no_value) == []
    documented.__doc__ = "Returns `x`.\n\n>>> documented(1)\n1\n"
    assert docstring_problems(documented) == ["no Args:", "no Returns:"]
