"""Config <-> object: the closed registry, `serialize_keras_object`, `deserialize_keras_object`.

The floor between the core and everything that has a config. Owners register their tables here
(layers their classes, models Functional/Sequential, ...); nothing here imports upward.
"""
