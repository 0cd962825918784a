"""Numba kernels, each beside the numpy reference (`name_ref`) that the tests hold it to.

Submodules are imported where they are used (`from minikeras.kernels import conv`), so importing
minikeras neither imports numba nor compiles anything; kernels compile on their first call and
are cached on disk (`cache=True`).
"""
