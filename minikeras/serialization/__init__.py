"""Config <-> object: the closed registry, `serialize_keras_object`, `deserialize_keras_object`.

The floor between the core and everything that has a config; it imports nothing above it.
Owners register their tables here at import (layers their classes, models Functional/Sequential,
optimizers/initializers/... their names: `registry.register_table`), and the public modules bind
their `get`/`serialize`/`deserialize` to `tables.ObjectKind`.

- `registry.py`: `register_keras_serializable`, custom object scopes, the owners' tables.
- `keras_objects.py`: `serialize_keras_object` / `deserialize_keras_object` / `deserialize_layer`.
- `tables.py`: one kind of object's `get` / `serialize` / `deserialize`.
- `sharing.py`: Keras 3's `shared_object_id` while a `.keras` file is saved or loaded.
- `config_checks.py`: what a file's config may ask for, checked before anything is built.
"""

from .keras_objects import deserialize_keras_object, serialize_keras_object
from .registry import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)

__all__ = [
    "CustomObjectScope",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
    "serialize_keras_object",
]
