"""Numba kernels, each beside the numpy reference (`name_ref`) that the tests hold it to.

Submodules are imported where they are used: `load("conv")` on first use by the ops and layers,
so importing minikeras neither imports numba nor compiles anything; kernels compile on their
first call and are cached on disk (`cache=True`).
"""

import importlib

_loaded = {}


def load(name):
    """The kernel module `minikeras.kernels.<name>`, imported on the first call (the ops and
    layers call this when they run, rather than importing kernel modules, which load numba, at
    module level)."""
    module = _loaded.get(name)
    if module is None:
        module = _loaded[name] = importlib.import_module(f"{__name__}.{name}")
    return module
