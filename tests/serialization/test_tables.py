"""The serialization floor finds every owner's table (minikeras/serialization/registry.py,
tables.py) though it imports none of them: owners register downward, and the lazily loaded
losses/metrics/optimizers are loaded through the loaders the package registers.

Expected forms are Keras 3.15.1's `keras.saving.deserialize_keras_object` output for the same
configs (a `Huber` with delta 2.0, an `AUC`, an `Adam`, the function `mean_squared_error`).
"""

import subprocess
import sys

import minikeras as keras


def test_lazy_owners_are_found_in_a_fresh_process():
    """Before any of keras.losses/metrics/optimizers is imported, their classes still load
    (after the move to registered tables they were 'Unknown object' until first imported)."""
    code = (
        "import sys, minikeras as keras\n"
        "assert 'minikeras.losses' not in sys.modules\n"
        "d = keras.saving.deserialize_keras_object\n"
        "h = d({'module': 'keras.losses', 'class_name': 'Huber', 'config': {'delta': 2.0},"
        " 'registered_name': None})\n"
        "m = d({'module': 'keras.metrics', 'class_name': 'AUC', 'config': {},"
        " 'registered_name': None})\n"
        "o = d({'module': 'keras.optimizers', 'class_name': 'Adam',"
        " 'config': {'learning_rate': 0.5}, 'registered_name': None})\n"
        "print(type(h).__name__, h.delta, type(m).__name__, type(o).__name__,"
        " float(o.learning_rate))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.split() == ["Huber", "2.0", "AUC", "Adam", "0.5"]


def test_builtin_function_entry_with_registered_name_function():
    """minikeras's own losses.serialize writes `registered_name: "function"` for a built-in
    function; that entry loads back to the function named in `config`."""
    entry = keras.losses.serialize(keras.losses.mean_squared_error)
    assert entry["registered_name"] == "function"
    fn = keras.saving.deserialize_keras_object(entry)
    assert fn is keras.losses.mean_squared_error


def test_owner_tables_are_the_modules_own():
    """Each owner registered its own table (kept, not copied)."""
    from minikeras.serialization import registry

    assert registry.table("initializers") is keras.initializers.ALL_OBJECTS_DICT
    assert registry.table("activations") is keras.activations.ALL_OBJECTS_DICT
    assert registry.table("layers") is keras.layers.LAYER_CLASSES
    assert registry.builtin_layer_classes()["Sequential"] is keras.Sequential
    assert registry.base("layer") is keras.layers.Layer


def test_variable_takes_initializer_names_without_importing_initializers():
    """keras.Variable('ones', shape=...) as in Keras 3; core/variable.py gets the resolver from
    keras.initializers instead of importing it."""
    import inspect

    from minikeras.core import variable

    assert "from .. import initializers" not in inspect.getsource(variable)
    assert keras.Variable("ones", shape=(2,)).numpy().tolist() == [1.0, 1.0]
    assert keras.Variable(keras.initializers.Zeros, shape=(1,)).numpy().tolist() == [0.0]


def test_kind_modules_do_not_import_their_package():
    """The Loss / Metric / Optimizer modules serialize their nested functions and optimizers
    through the kind they hold (losses/loss.py LOSSES, metrics/metric.py METRICS,
    optimizers/optimizer.py OPTIMIZERS), not by importing `keras.losses` & co. back lazily: the
    import cycles inside losses/, metrics/ and optimizers/ are gone."""
    import ast
    import os

    root = os.path.dirname(keras.__file__)
    for path, package in (
        ("losses/loss.py", "losses"),
        ("metrics/metric.py", "metrics"),
        ("optimizers/loss_scale_optimizer.py", "optimizers"),
        ("optimizers/optimizer.py", "optimizers"),
    ):
        tree = ast.parse(open(os.path.join(root, path)).read())
        here = os.path.join(root, package)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                submodules = all(
                    os.path.exists(os.path.join(here, a.name + ".py")) for a in node.names
                )  # `from . import schedules` is a sibling module, not the package's names
                own_package = node.level == 1 and node.module is None and not submodules
                parent = node.level == 2 and node.module == package
                assert not (own_package or parent), f"{path}:{node.lineno} imports {package}"


def test_every_kind_is_one_object_kind():
    """The seven trios are bindings of one ObjectKind each; the owner's table is the kind's."""
    from minikeras.losses.loss import LOSSES
    from minikeras.metrics.metric import METRICS
    from minikeras.optimizers.optimizer import OPTIMIZERS
    from minikeras.serialization import registry
    from minikeras.serialization.tables import ObjectKind

    for kind, module in ((LOSSES, keras.losses), (METRICS, keras.metrics)):
        assert isinstance(kind, ObjectKind) and kind.table is module.ALL_OBJECTS_DICT
    assert OPTIMIZERS.table is keras.optimizers.ALL_OBJECTS_DICT
    assert registry.table("losses") is keras.losses.ALL_OBJECTS_DICT
    assert registry.table("metrics") is keras.metrics.ALL_OBJECTS_DICT
    assert registry.table("optimizers") is keras.optimizers.ALL_OBJECTS_DICT
    assert registry.table("metric_functions")["binary_accuracy"] is keras.metrics.binary_accuracy


def test_a_name_gives_a_function_or_an_instance():
    """Keras 3.15.1: `losses.deserialize("MeanSquaredError")` and `metrics.deserialize("AUC")`
    give instances, `losses.deserialize("mean_squared_error")` the function (minikeras gave the
    classes); a registered function named to `initializers.deserialize` is returned, not called."""
    assert type(keras.losses.deserialize("MeanSquaredError")) is keras.losses.MeanSquaredError
    assert keras.losses.deserialize("mean_squared_error") is keras.losses.mean_squared_error
    assert type(keras.metrics.deserialize("AUC")) is keras.metrics.AUC
    assert type(keras.metrics.deserialize("binary_accuracy")) is keras.metrics.BinaryAccuracy

    @keras.saving.register_keras_serializable(package="ser2_tables")
    def halves(shape, dtype=None):
        return keras.ops.full(shape, 0.5)

    assert keras.initializers.deserialize("ser2_tables>halves") is halves
