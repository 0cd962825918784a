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
