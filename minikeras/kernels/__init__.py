"""Numba kernels, each beside the numpy reference (`name_ref`) that the tests hold it to.

Submodules are imported where they are used: `load("conv")` on first use by the ops and layers,
so importing minikeras neither imports numba nor compiles anything; kernels compile on their
first call and are cached on disk (`cache=True`). When a module's kernels are not cached yet,
`warmup.py` compiles the ones needed later (backward kernels, the optimizer's) in a background
process on another core while this process goes on, and the symbolic build's placeholder runs
(inside `references()`) use the numpy references instead of compiling. On a first run (nothing
cached at all) that process starts as this package is imported (`warmup.start_early`).
"""

import contextlib
import importlib
import threading

_loaded = {}
_cold = {}  # module name -> whether its kernels were uncached when this process first asked
_local = threading.local()


def load(name):
    """The kernel module `minikeras.kernels.<name>`, imported on the first call (the ops and
    layers call this when they run, rather than importing kernel modules, which load numba, at
    module level). Inside `references()`, a module whose kernels are not cached yet comes as a
    view whose functions are its numpy references."""
    module = _loaded.get(name)
    if module is None:
        module = _loaded[name] = importlib.import_module(f"{__name__}.{name}")
        from . import warmup

        _cold[name] = warmup.is_cold(name, module)
        warmup.request(name, module)
    if getattr(_local, "references", 0) and _cold.get(name) and name in _REFERENCES:
        return _References(name, module, _REFERENCES[name])
    return module


def expect(name):
    """Tells the background warm-up that the backward pass will load kernel module `name`: ops
    whose forward runs no kernel call it (an embedding lookup, whose gradient is a row
    scatter-add), so that the warm-up plans that kernel in the layer's place. Only inside
    `references()` (the build's placeholder runs); elsewhere it does nothing."""
    if getattr(_local, "references", 0) and name not in _loaded:
        load(name)


@contextlib.contextmanager
def references():
    """Within this block (in this thread), `load` gives the numpy references (`f_ref` for `f`,
    listed in `_REFERENCES`) of modules whose kernels are not compiled and cached yet. The functional API's placeholder
    runs, which only learn shapes and dtypes from tiny arrays, use it: on a cold cache they
    would otherwise compile the inference kernels (2-5 s each for im2col or an LSTM) that a
    training step does not use, or compile forward kernels one by one while the background
    process (`warmup.py`) could share the work."""
    _local.references = getattr(_local, "references", 0) + 1
    try:
        yield
    finally:
        _local.references -= 1


def _max_pool_ref(module):
    def max_pool(*args, with_argmax=True):  # the reference has no argmax, which only the
        return module.max_pool_ref(*args), None  # backward pass reads

    return max_pool


def _conv_ref(module):
    def conv(x, kernel, *args, keep_cols=False, epilogue=None, pool=False):  # no rows kept
        out = module.conv_ref(x, kernel, *args)
        if epilogue is not None:  # (bias, relu) of the inference path
            from .bias_act import bias_act_ref

            out = bias_act_ref(out, *epilogue)
        if pool:  # and its 2x2 max pooling (2-D: a unit depth axis)
            b, _, h, w, f = out.shape
            out = out[:, :, : h // 2 * 2, : w // 2 * 2].reshape(b, 1, h // 2, 2, w // 2, 2, f)
            out = out.max(axis=(3, 5))
        return (out, None) if keep_cols else out

    return conv


# module -> {function: its reference, with the same arguments and results}; the others run as
# they are (the references of some return less, e.g. no argmax)
_REFERENCES = {
    "conv": {"conv": _conv_ref},
    "pool": {"max_pool": _max_pool_ref, "avg_pool": lambda m: m.avg_pool_ref},
    "bias_act": {"bias_act": lambda m: m.bias_act_ref},
    "softmax": {"softmax": lambda m: m.softmax_ref},
    "attention": {
        "attention": lambda m: (
            lambda q, k, v, mask=None: m.attention_ref(q, k, v, mask).astype(q.dtype)
        )
    },
    "layer_norm": {"layer_norm": lambda m: m.layer_norm_ref},
    "rnn": {
        "lstm_forward": lambda m: m.lstm_forward_ref,
        "lstm_infer": lambda m: m.lstm_infer_ref,
        "gru_forward": lambda m: m.gru_forward_ref,
        "gru_v1_forward": lambda m: m.gru_v1_forward_ref,
        "simple_rnn_forward": lambda m: m.simple_rnn_forward_ref,
    },
}


class _References:
    """A kernel module seen through its numpy references (`_REFERENCES`); tells the background
    warm-up which entry points the placeholder runs call (`warmup.request`)."""

    def __init__(self, name, module, refs):
        self._name, self._module, self._refs = name, module, refs

    def __getattr__(self, attr):
        from . import warmup

        warmup.request(self._name, self._module, entry=attr)
        ref = self._refs.get(attr)
        return ref(self._module) if ref is not None else getattr(self._module, attr)


def _start_early():
    from . import warmup

    warmup.start_early()


_start_early()
