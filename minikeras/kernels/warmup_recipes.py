"""What `warmup.py`'s background process calls to compile each kernel module: the entry points
on tiny arrays with the dtypes, ranks and layouts the ops pass (float32, C-contiguous, geometry
as tuples of ints, masks as bool), so the compiled signatures are the ones the ops look up.

Each recipe takes the loaded module and a part: "train" (what a training step needs beyond the
forward kernels the symbolic build's tracing compiles: backward kernels, the recurrent layers'
training forward), "trace" (those forward kernels) and "extra" (kernels of the same module that
other layers use: GRU and SimpleRNN next to LSTM, the general pooling loops).
"""

import numpy as np

from .warmup import recipe

F = np.float32


def _ones(*shape, dtype=F):
    return np.ones(shape, dtype)


@recipe("conv", kernels=("im2col", "col2im"))
def _conv(k, part):
    x, w = _ones(2, 1, 5, 5, 3), _ones(1, 3, 3, 3, 4)
    geometry = ((1, 1, 1), (1, 1, 1), (0, 0, 0))
    out_shape = (1, 3, 3)
    if part == "trace":
        k.conv(x, w, *geometry, out_shape, 1)
    elif part == "train":
        out, cols = k.conv(x, w, *geometry, out_shape, 1, keep_cols=True)
        d = np.ones_like(out)
        k.conv_grads(x, d, w, *geometry, 1, cols=cols)
        k.conv_grads(x, d, w, *geometry, 1)
        k.conv_grad_input(d, w, x.shape, *geometry, 1)
        k.conv_grad_kernel(x, d, w.shape, *geometry, 1, cols=cols)


@recipe("pool", kernels=("_max_pool_2x2", "_max_pool_grad_rows"))
def _pool(k, part):
    x = _ones(2, 1, 4, 4, 3)
    two = ((1, 2, 2), (1, 2, 2), (0, 0, 0), (1, 2, 2))
    if part == "trace":
        k.max_pool(x, *two)
    elif part == "train":
        out, arg = k.max_pool(x, *two)
        k.max_pool_grad(np.ones_like(out), arg, x.shape)
    else:
        three = ((1, 3, 3), (1, 1, 1), (0, 0, 0), (1, 2, 2))
        out, arg = k.max_pool(x, *three)
        k.max_pool_grad(np.ones_like(out), arg, x.shape)
        out = k.avg_pool(x, *three)
        k.avg_pool_grad(np.ones_like(out), x.shape, *three[:3])


@recipe("bias_act", kernels=("_bias_act_rows", "_bias_act_grad_rows"))
def _bias_act(k, part):
    x, b = _ones(3, 4), _ones(4)
    if part == "trace":
        k.bias_act(x, b, True)
    elif part == "train":
        out = k.bias_act(x, b, True)
        k.bias_act_grad(np.ones_like(out), out, True)


@recipe("softmax_ce", kernels=("_sparse_ce", "_sparse_ce_grad"))
def _softmax_ce(k, part):
    if part == "train":
        labels = np.zeros(3, np.int64)
        loss, probs, _ = k.sparse_ce(_ones(3, 4), labels)
        k.sparse_ce_grad(probs, labels, np.ones_like(loss))


@recipe("adam", kernels=("adam_update",))
def _adam(k, part):
    if part == "train":
        w, g, m, v, vhat = (_ones(4) for _ in range(5))
        k.adam_update(w, g, m, v, vhat, F(1e-3), F(0.1), F(1e-3), F(1e-7), False)


@recipe("scatter", kernels=("scatter_add_rows",))
def _scatter(k, part):
    if part == "train":
        k.scatter_add_rows(np.zeros((5, 3), F), np.array([0, 2], np.int64), _ones(2, 3))


@recipe("softmax", kernels=("_shift", "_softmax_grad"))
def _softmax(k, part):
    s = k.softmax(_ones(3, 4))
    if part == "train":
        k.softmax_grad(s, np.ones_like(s))


@recipe("layer_norm", kernels=("_layer_norm", "_layer_norm_grad"))
def _layer_norm(k, part):
    x = _ones(3, 4)
    out, mean, inv = k.layer_norm(x, _ones(4), _ones(4), 1e-6)
    if part == "train":
        k.layer_norm_grad(np.ones_like(out), x, _ones(4), mean, inv)


@recipe("rnn", kernels=("rnn_lstm._lstm_forward_rows", "rnn_lstm._lstm_backward_rows"))
def _rnn(k, part):
    b, t, u = 2, 3, 2
    h0, mask = np.zeros((b, u), F), np.ones((b, t), bool)
    if part == "train":  # the LSTM's training forward, then its backward
        _lstm_train(k, b, t, u, h0, mask)
    elif part == "trace":
        infer = getattr(k, "lstm_infer", None)
        if infer is not None:
            infer(_ones(b, t, 3), _ones(3 + u, 4 * u), _ones(4 * u), h0, h0, mask, False, False)
    else:
        y, _, hl = k.simple_rnn_forward(_ones(b, t, u), _ones(u, u), h0, mask, False)
        k.simple_rnn_backward(np.ones_like(y), np.ones_like(hl), _ones(u, u), y, mask, False)
        y, hprev, act, hn, hl = k.gru_forward(
            _ones(b, t, 3 * u), _ones(3 * u, u), _ones(3 * u), h0, mask, False
        )
        k.gru_backward(
            np.ones_like(y), np.ones_like(hl), _ones(u, 3 * u), hprev, act, hn, mask, False
        )


def _lstm_train(k, b, t, u, h0, mask):
    y, hprev, cprev, act, tc, hl, cl = k.lstm_forward(
        _ones(b, t, 4 * u), _ones(4 * u, u), h0, h0, mask, False
    )
    k.lstm_backward(
        np.ones_like(y),
        np.ones_like(hl),
        np.ones_like(cl),
        _ones(u, 4 * u),
        cprev,
        act,
        tc,
        mask,
        False,
    )
