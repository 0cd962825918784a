"""Shared objects (Keras 3's `shared_object_id`): one object referenced from several places of
a config stays one object across a `.keras` file."""

import threading

_sharing = threading.local()
SHARED_ID = "shared_object_id"


class ObjectSharingScope:
    """Keeps one object referenced from several places of a config one object across a file.

    Keras 3 opens this scope around `.keras` saving and loading (only there). While saving,
    every occurrence of an object serialized more than once (a layer inside two wrappers or
    sub-models, an initializer instance given to two layers) carries its full config plus a
    common `shared_object_id`; `finish(config)` drops the ids of objects met only once. While
    loading, the first entry with a given id is built and every later one returns that object,
    so shared layers keep one set of variables.

    >>> import minikeras as keras
    >>> from minikeras.serialization.sharing import ObjectSharingScope, SHARED_ID
    >>> from minikeras.serialization import serialize_keras_object
    >>> dense = keras.layers.Dense(2)
    >>> with ObjectSharingScope() as scope:
    ...     config = scope.finish(serialize_keras_object([dense, dense, keras.layers.Dense(2)]))
    >>> [SHARED_ID in entry for entry in config]
    [True, True, False]
    """

    def __enter__(self):
        self._outer = getattr(_sharing, "state", None)
        _sharing.state = {"saved": {}, "loaded": {}}
        return self

    def __exit__(self, *exc):
        _sharing.state = self._outer

    def finish(self, config):
        """Removes the `shared_object_id` of every object that occurs once in `config`."""
        saved = _sharing.state["saved"]
        counts, entries = {}, []

        def walk(tree):
            if isinstance(tree, list):
                for item in tree:
                    walk(item)
            elif isinstance(tree, dict):
                if "class_name" in tree and tree.get(SHARED_ID) in saved:
                    counts[tree[SHARED_ID]] = counts.get(tree[SHARED_ID], 0) + 1
                    entries.append(tree)
                for value in tree.values():
                    walk(value)

        walk(config)
        for entry in entries:
            if counts[entry[SHARED_ID]] < 2:
                del entry[SHARED_ID]
        return config


def mark_shared(obj, config):
    """Tags `config` (the serialized `obj`) with the object's id inside an ObjectSharingScope."""
    state = getattr(_sharing, "state", None)
    if state is not None and isinstance(config, dict):
        state["saved"][id(obj)] = obj  # holds obj, so its id cannot be reused during this save
        config[SHARED_ID] = id(obj)
    return config


def shared_object(config):
    """The object already loaded for `config`'s `shared_object_id` in this scope, or None."""
    state = getattr(_sharing, "state", None)
    if state is None or not isinstance(config, dict) or config.get(SHARED_ID) is None:
        return None
    return state["loaded"].get(_id_key(config[SHARED_ID]))


def record_loaded(config, obj):
    """Remembers `obj` as the object of `config`'s `shared_object_id` (inside a scope)."""
    state = getattr(_sharing, "state", None)
    if state is not None and isinstance(config, dict) and config.get(SHARED_ID) is not None:
        state["loaded"].setdefault(_id_key(config[SHARED_ID]), obj)
    return obj


def _id_key(value):
    return str(value) if isinstance(value, (int, str)) else repr(value)
