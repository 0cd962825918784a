"""`keras.utils.Config`: a dict of named values, read and written as attributes too."""

import copy
import difflib
import json


class Config:
    """A dict-like container of named settings, with attribute access, freezing and JSON.

    Keys are set as constructor arguments, attributes (`config.seed = 1`) or items
    (`config["seed"] = 1`); after `freeze()` every change raises ValueError until `unfreeze()`.
    Iterating gives the keys in sorted order, as Keras's Config does.

    Args:
        **kwargs: the initial entries.

    >>> import minikeras as keras
    >>> config = keras.utils.Config(learning_rate=0.1)
    >>> config.seed = 123
    >>> config["learning_rate"], config.seed, config.to_json()
    (0.1, 123, '{"learning_rate": 0.1, "seed": 123}')
    >>> config.freeze()
    >>> config.seed = 1
    Traceback (most recent call last):
        ...
    ValueError: Cannot mutate attribute(s) because the config is frozen.
    """

    def __init__(self, **kwargs):
        object.__setattr__(self, "_config", kwargs)
        object.__setattr__(self, "_frozen", False)

    @property
    def frozen(self):
        """Whether `freeze()` was called (and `unfreeze()` not since)."""
        return self._frozen

    def freeze(self):
        """Forbids changes: setting, updating, popping or deleting entries raises ValueError."""
        object.__setattr__(self, "_frozen", True)

    def unfreeze(self):
        """Allows changes again."""
        object.__setattr__(self, "_frozen", False)

    def _check_mutable(self):
        if self._frozen:
            raise ValueError("Cannot mutate attribute(s) because the config is frozen.")

    def as_dict(self):
        """A shallow copy of the entries as a plain dict."""
        return copy.copy(self._config)

    def to_json(self):
        """The entries as a JSON string."""
        return json.dumps(self._config)

    def keys(self):
        """The entry names (a dict view)."""
        return self._config.keys()

    def values(self):
        """The entry values (a dict view)."""
        return self._config.values()

    def items(self):
        """The `(name, value)` pairs (a dict view)."""
        return self._config.items()

    def get(self, keyname, value=None):
        """The value of `keyname`, or `value` when there is none."""
        return self._config.get(keyname, value)

    def pop(self, *args):
        """Removes an entry and returns its value (as `dict.pop`)."""
        self._check_mutable()
        return self._config.pop(*args)

    def update(self, *args, **kwargs):
        """Adds or replaces entries (as `dict.update`)."""
        self._check_mutable()
        return self._config.update(*args, **kwargs)

    def __setattr__(self, name, value):
        if name in type(self).__dict__ or name.startswith("__"):
            return object.__setattr__(self, name, value)
        self._check_mutable()
        self._config[name] = value

    def __getattr__(self, name):
        config = object.__getattribute__(self, "_config")
        if name in config:
            return config[name]
        message = f"Unknown attribute: '{name}'."
        close = difflib.get_close_matches(name, config.keys(), n=1, cutoff=0.7)
        if close:
            message += f" Did you mean '{close[0]}'?"
        raise AttributeError(message)

    def __setitem__(self, key, item):
        self._check_mutable()
        self._config[key] = item

    def __getitem__(self, key):
        return self._config[key]

    def __delitem__(self, key):
        self._check_mutable()
        del self._config[key]

    def __contains__(self, item):
        return item in self._config

    def __iter__(self):
        return iter(sorted(self._config))

    def __len__(self):
        return len(self._config)

    def __repr__(self):
        return f"<Config {self._config}>"
