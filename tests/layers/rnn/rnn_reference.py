"""Plain-numpy recurrent layers written from Keras's documented formulas (spec 8.5-8.8).

One sample and one step at a time, with the masking rule of Keras: a masked step leaves the
states unchanged and outputs the previous output (zeros before any output, or always zeros with
`zero_output_for_mask`). `go_backwards` reverses the inputs and the mask; the output sequence is
returned in processing order, as Keras does.
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def simple_step(x, states, w):
    kernel, rec, bias = w
    h = np.tanh(x @ kernel + states[0] @ rec + bias)
    return h, [h]


def lstm_step(x, states, w):
    kernel, rec, bias = w
    h, c = states
    u = h.shape[-1]
    z = x @ kernel + h @ rec + bias
    i, f, g, o = z[:u], z[u : 2 * u], z[2 * u : 3 * u], z[3 * u :]
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h = sigmoid(o) * np.tanh(c)
    return h, [h, c]


def gru_step(x, states, w, reset_after=True):
    kernel, rec, bias = w
    h = states[0]
    u = h.shape[-1]
    if reset_after:
        xz, xr, xh = np.split(x @ kernel + bias[0], 3)
        hz, hr, hh = np.split(h @ rec + bias[1], 3)
        z, r = sigmoid(xz + hz), sigmoid(xr + hr)
        n = np.tanh(xh + r * hh)
    else:
        xz, xr, xh = np.split(x @ kernel + bias, 3)
        z = sigmoid(xz + h @ rec[:, :u])
        r = sigmoid(xr + h @ rec[:, u : 2 * u])
        n = np.tanh(xh + (r * h) @ rec[:, 2 * u :])
    h = z * h + (1 - z) * n
    return h, [h]


def run(step, x, weights, initial=None, mask=None, go_backwards=False, zero_output=False):
    """Returns (outputs (B, T, u), last output (B, u), final states [(B, u), ...])."""
    x = np.asarray(x, dtype=np.float64)
    batch, steps = x.shape[:2]
    units = weights[1].shape[0]
    n_states = 2 if step is lstm_step else 1
    mask = np.ones((batch, steps), bool) if mask is None else np.asarray(mask, bool)
    order = list(range(steps))[::-1] if go_backwards else list(range(steps))
    outputs = np.zeros((batch, steps, units))
    finals = []
    for b in range(batch):
        if initial is None:
            states = [np.zeros(units) for _ in range(n_states)]
        else:
            states = [np.asarray(s[b], dtype=np.float64) for s in initial]
        prev = np.zeros(units)
        for k, t in enumerate(order):
            if mask[b, t]:
                prev, states = step(x[b, t], states, weights)
                outputs[b, k] = prev
            else:
                outputs[b, k] = 0.0 if zero_output else prev
                prev = outputs[b, k]
        finals.append(states)
    states = [np.stack([f[k] for f in finals]) for k in range(n_states)]
    return outputs, outputs[:, -1], states
