"""What `warmup.py`'s background process calls to compile each kernel module: the entry points
on tiny arrays with the dtypes, ranks and layouts the ops pass (float32, C-contiguous, geometry
as tuples of ints, masks as bool), so the compiled signatures are the ones the ops look up.

Each recipe takes the loaded module, a part and the entry points the model was seen to use
(empty when unknown) and returns `(name, call)` pairs, each call compiling one kernel: "fwd"
(what the forward pass calls), "bwd" (the backward pass, or the optimizer's update) and "extra"
(kernels of the same module that other layers use, e.g. the general pooling loops, or that only
inference uses, e.g. the LSTM's). One kernel per call: a kernel the main process is already
compiling stops its call (`warmup_claims.Skip`) and the next call goes on.
"""

import numpy as np

from .warmup import recipe

F = np.float32


def _ones(*shape, dtype=F):
    return np.ones(shape, dtype)


# Winograd and the direct conv + pool run only in inference (predict); listed so that a cache
# without them stays cold, and the build's placeholder runs take the references instead of
# compiling them in the main process
_INFERENCE = ("winograd.kernel_transform", "winograd._conv3x3_images", "direct3x3._direct_images")


@recipe("conv", kernels=("im2col._im2col_interior", "im2col._col2im_interior") + _INFERENCE)
def _conv(k, part, entries):
    x, w = _ones(2, 1, 5, 5, 3), _ones(1, 3, 3, 3, 4)
    geometry = ((1, 1, 1), (1, 1, 1), (0, 0, 0))
    if part == "fwd":  # im2col without padding: its interior kernel only
        return [("im2col", lambda: k.conv(x, w, *geometry, (1, 3, 3), 1, keep_cols=True))]
    if part == "bwd":  # col2im without padding: its interior kernel
        d = _ones(2, 1, 3, 3, 4)
        return [("col2im", lambda: k.conv_grad_input(d, w, x.shape, *geometry, 1))]
    same = ((1, 1, 1), (1, 1, 1), (0, 1, 1))  # "same" padding: the kernels with edge columns
    d = _ones(2, 1, 5, 5, 4)
    return [("im2col_edges", lambda: k.conv(x, w, *same, (1, 5, 5), 1))] + [
        ("col2im_all", lambda: k.conv_grad_input(d, w, x.shape, *same, 1)),
        ("winograd", _winograd),  # predict's 3x3 layers of 16+ channels
        ("direct3x3", _direct3x3),  # and its one-channel 3x3 layers followed by 2x2 pooling
    ]


def _winograd():
    from . import winograd

    winograd.conv3x3(_ones(1, 4, 4, 2), _ones(3, 3, 2, 2), _ones(2), True, (0, 0), (2, 2))


def _direct3x3():
    from . import direct3x3

    direct3x3.conv3x3_pool(_ones(1, 4, 4, 1), _ones(3, 3, 1, 2), _ones(2), True, (0, 0), (2, 2))


# each recipe's `kernels` mark the module cold while one of them is not cached: the training
# kernels, and the inference kernels the symbolic build's placeholder runs would call (under
# no_grad), which the references stand in for until the background process has compiled them


@recipe("pool", kernels=("_max_pool_2x2", "_max_pool_grad_rows", "_max_pool_2x2_values"))
def _pool(k, part, entries):
    x = _ones(2, 1, 4, 4, 3)
    two = ((1, 2, 2), (1, 2, 2), (0, 0, 0), (1, 2, 2))
    three = ((1, 3, 3), (1, 1, 1), (0, 0, 0), (1, 2, 2))
    avg = "avg_pool" in entries and "max_pool" not in entries

    def max_grad(window):  # argmax as the forward makes it (int64), without compiling it
        out = k.max_pool_ref(x, *window)
        k.max_pool_grad(np.ones_like(out), np.zeros(out.shape, np.int64), x.shape)

    def avg_grad():
        k.avg_pool_grad(np.ones_like(k.avg_pool_ref(x, *three)), x.shape, *three[:3])

    if part == "fwd":
        return (
            [("avg", lambda: k.avg_pool(x, *three))]
            if avg
            else [("max2", lambda: k.max_pool(x, *two))]
        )
    if part == "bwd":
        return [("avg_grad", avg_grad)] if avg else [("max2_grad", lambda: max_grad(two))]
    extra = [("max3", lambda: k.max_pool(x, *three)), ("avg", lambda: k.avg_pool(x, *three))]
    extra.append(("avg_grad", avg_grad))  # and predict's 2x2 path without the argmax:
    return extra + [("max2_values", lambda: k.max_pool(x, *two, with_argmax=False))]


@recipe("bias_act", kernels=("_bias_act_rows", "_bias_act_grad_rows"))
def _bias_act(k, part, entries):
    x, b = _ones(3, 4), _ones(4)
    if part == "fwd":
        return [("rows", lambda: k.bias_act(x, b, True))]
    if part == "bwd":
        return [("grad", lambda: k.bias_act_grad(x, x, True))]
    return []


@recipe("softmax_ce", kernels=("_sparse_ce", "_sparse_ce_grad"), stage="loss")
def _softmax_ce(k, part, entries):
    labels = np.zeros(3, np.int64)
    if part == "fwd":
        return [("ce", lambda: k.sparse_ce(_ones(3, 4), labels))]
    if part == "bwd":
        return [("grad", lambda: k.sparse_ce_grad(_ones(3, 4), labels, _ones(3)))]
    return []


@recipe("adam", kernels=("adam_update",), stage="optimizer")
def _adam(k, part, entries):
    if part != "bwd":
        return []
    w, g, m, v, vhat = (_ones(4) for _ in range(5))
    return [
        (
            "update",
            lambda: k.adam_update(w, g, m, v, vhat, F(1e-3), F(0.1), F(1e-3), F(1e-7), False),
        )
    ]


@recipe("scatter", kernels=("scatter_add_rows",))
def _scatter(k, part, entries):
    if part != "bwd":
        return []
    idx = np.array([0, 2], np.int64)
    return [("add", lambda: k.scatter_add_rows(np.zeros((5, 3), F), idx, _ones(2, 3)))]


@recipe("softmax", kernels=("_shift32", "_softmax_grad"))
def _softmax(k, part, entries):
    s = _ones(3, 4)
    if part == "fwd":
        return [("softmax", lambda: k.softmax(s))]
    if part == "bwd":
        return [("grad", lambda: k.softmax_grad(s, s))]
    return []


# inference only (MultiHeadAttention in predict); listed so that the build's placeholder runs
# take the reference while it is not cached
@recipe("attention", kernels=("_pairs",))
def _attention(k, part, entries):
    q = _ones(1, 2, 1, 2)
    return [("attention", lambda: k.attention(q, q, q))] if part == "fwd" else []


@recipe("layer_norm", kernels=("_layer_norm", "_layer_norm_grad"))
def _layer_norm(k, part, entries):
    x, g = _ones(3, 4), _ones(4)
    if part == "fwd":
        return [("norm", lambda: k.layer_norm(x, g, g, 1e-6))]
    if part == "bwd":
        return [("grad", lambda: k.layer_norm_grad(x, x, g, _ones(3), _ones(3)))]
    return []


_LSTM = ("lstm_forward", "lstm_infer")
_GRU = ("gru_forward",)
_SIMPLE = ("simple_rnn_forward",)


# (not `rnn_infer_split._lstm_units`: a model that never runs it, batches below 16 rows or one
# thread, would keep the module cold and start the background process on every run; the "extra"
# part compiles it when the background process runs anyway)
_RNN = ("rnn_lstm._lstm_forward_rows", "rnn_lstm._lstm_backward_rows", "rnn_infer._lstm_infer_rows")


@recipe("rnn", kernels=_RNN, early=True)
def _rnn(k, part, entries):
    """The LSTM's, GRU's (reset_after) and SimpleRNN's training kernels, for the cells among
    `entries` (the LSTM when none is known); the others' and the LSTM inference kernel under
    "extra"."""
    b, t, u = 2, 3, 2
    h0, mask = np.zeros((b, u), F), np.ones((b, t), bool)
    cells = [c for c in ("lstm", "gru", "simple") if entries & set(_CELLS[c])] or ["lstm"]
    if part == "extra":
        cells = [c for c in ("lstm", "gru", "simple") if c not in cells]
    calls = []
    for cell in cells:
        fwd, bwd = _CALLS[cell](k, b, t, u, h0, mask)
        calls += [(f"{cell}_fwd", fwd)] if part != "bwd" else []
        calls += [(f"{cell}_bwd", bwd)] if part != "fwd" else []
    infer = getattr(k, "lstm_infer", None)
    if part == "extra" and infer is not None:
        x, wu = _ones(b, t, 3), _ones(3 + u, 4 * u)
        calls.append(("lstm_infer", lambda: infer(x, wu, _ones(4 * u), h0, h0, mask, False, False)))
        from . import rnn_infer_split  # its kernel, on one thread (no meeting)

        calls.append(("lstm_infer_split", lambda: rnn_infer_split._once(np.dtype(F))))
    return calls


# the backward calls take their inputs from the forward's numpy reference (same dtypes and
# layouts), so that they compile the backward kernel only


def _lstm(k, b, t, u, h0, mask):
    args = (_ones(b, t, 4 * u), _ones(4 * u, u), h0, h0, mask, False)

    def forward():
        k.lstm_forward(*args)

    def backward():
        y, _, cprev, act, tc, hl, cl = k.lstm_forward_ref(*args)
        d, ut = np.ones_like(y), _ones(u, 4 * u)
        k.lstm_backward(d, np.ones_like(hl), np.ones_like(cl), ut, cprev, act, tc, mask, False)

    return forward, backward


def _gru(k, b, t, u, h0, mask):
    args = (_ones(b, t, 3 * u), _ones(3 * u, u), _ones(3 * u), h0, mask, False)

    def forward():
        k.gru_forward(*args)

    def backward():
        y, hprev, act, hn, hl = k.gru_forward_ref(*args)
        d = np.ones_like(y)
        k.gru_backward(d, np.ones_like(hl), _ones(u, 3 * u), hprev, act, hn, mask, False)

    return forward, backward


def _simple(k, b, t, u, h0, mask):
    args = (_ones(b, t, u), _ones(u, u), h0, mask, False)

    def forward():
        k.simple_rnn_forward(*args)

    def backward():
        y, _, hl = k.simple_rnn_forward_ref(*args)
        k.simple_rnn_backward(np.ones_like(y), np.ones_like(hl), _ones(u, u), y, mask, False)

    return forward, backward


_CELLS = {"lstm": _LSTM, "gru": _GRU, "simple": _SIMPLE}
_CALLS = {"lstm": _lstm, "gru": _gru, "simple": _simple}
