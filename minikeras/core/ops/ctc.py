"""Connectionist temporal classification: `ctc_loss` (differentiable, by the forward-backward
algorithm in log space) and `ctc_decode` (greedy or beam search).

A target `l` of length `L` is extended with blanks (`mask_index`) into `l' = (blank, l1, blank,
l2, ..., lL, blank)` of length `2L + 1`. `alpha[t, s]` is the log-probability of all alignments
of the first `t + 1` frames ending in `l'_s`; `beta[t, s]` that of the frames `t..T-1` starting
in `l'_s`. The loss is `-log p(l | x) = -logsumexp(alpha[T-1, 2L], alpha[T-1, 2L-1])`, and its
gradient with respect to the log-probabilities at frame `t` is minus the posterior occupancy
`sum_{s: l'_s = k} exp(alpha[t, s] + beta[t, s] - logp[t, k] + loss)`.

The recursions loop over time in Python with the batch and the extended labels vectorized in
numpy; each step is a few array operations, so a numba kernel would not pay off at the sizes of
CTC models (hundreds of frames).
"""

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from ._base import unwrap

__all__ = ["ctc_loss", "ctc_decode"]

NEG_INF = -np.inf


def _log_softmax(z):
    m = np.max(z, axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    shifted = z - m
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _shift(a, k):
    """`a[:, s - k]` along the last axis, `-inf` where `s < k`."""
    out = np.full_like(a, NEG_INF)
    out[:, k:] = a[:, :-k]
    return out


def _shift_back(a, k):
    """`a[:, s + k]` along the last axis, `-inf` past the end."""
    out = np.full_like(a, NEG_INF)
    out[:, :-k] = a[:, k:]
    return out


def _logaddexp3(a, b, c):
    m = np.maximum(np.maximum(a, b), c)
    safe = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return safe + np.log(np.exp(a - safe) + np.exp(b - safe) + np.exp(c - safe))


def ctc_forward_backward(logits, labels, label_lengths, logit_lengths, blank):
    """The numpy reference of CTC: per-sample losses and d loss / d logits (float64 inside).

    Args:
        logits: `(B, T, K)` unnormalized scores.
        labels: `(B, N)` integer targets (entries past `label_lengths` are ignored).
        label_lengths: `(B,)` target lengths.
        logit_lengths: `(B,)` numbers of valid frames.
        blank: the blank class id.

    Returns:
        `(loss, grad)`: `(B,)` negative log-likelihoods (`inf` where no alignment exists) and
        the `(B, T, K)` gradient of each sample's loss with respect to its logits (zero on the
        padded frames and for samples with an infinite loss).
    """
    z = np.asarray(logits, "float64")
    bsz, tmax, k = z.shape
    labels = np.asarray(labels).astype(np.int64).reshape(bsz, -1)
    lab_len = np.clip(np.asarray(label_lengths).astype(np.int64).reshape(bsz), 0, labels.shape[1])
    t_len = np.clip(np.asarray(logit_lengths).astype(np.int64).reshape(bsz), 0, tmax)
    logp = _log_softmax(z)
    lmax = labels.shape[1]
    smax = 2 * lmax + 1
    ext = np.full((bsz, smax), blank, np.int64)
    ext[:, 1::2] = labels
    s_idx = np.arange(smax)
    s_valid = s_idx[None, :] < (2 * lab_len + 1)[:, None]
    ext = np.where(s_valid, ext, blank)
    if np.any((ext < 0) | (ext >= k)):
        raise ValueError(
            f"ctc_loss: target ids and mask_index must be in [0, {k}) (the number of classes of "
            f"`output`); received ids from {ext.min()} to {ext.max()}."
        )
    skip = np.zeros((bsz, smax), bool)  # l'_{s-2} -> l'_s allowed
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    emit = np.take_along_axis(logp, np.broadcast_to(ext[:, None, :], (bsz, tmax, smax)), axis=2)
    emit = np.where(s_valid[:, None, :], emit, NEG_INF)

    alpha = np.full((bsz, tmax, smax), NEG_INF)
    if tmax:
        alpha[:, 0, :2] = emit[:, 0, :2]
    for t in range(1, tmax):
        a = alpha[:, t - 1]
        alpha[:, t] = _logaddexp3(a, _shift(a, 1), np.where(skip, _shift(a, 2), NEG_INF))
        alpha[:, t] += emit[:, t]

    rows = np.arange(bsz)
    last_t = np.maximum(t_len - 1, 0)
    end = 2 * lab_len
    a_last = alpha[rows, last_t] if tmax else np.full((bsz, smax), NEG_INF)
    log_p = np.logaddexp(a_last[rows, end], np.where(end > 0, a_last[rows, end - 1], NEG_INF))
    log_p = np.where(t_len > 0, log_p, NEG_INF)
    loss = -log_p

    beta = np.full((bsz, tmax, smax), NEG_INF)
    final = np.full((bsz, smax), NEG_INF)
    final[rows, end] = 0.0  # a path ends in the last blank or the last label
    has_label = end > 0
    final[rows[has_label], end[has_label] - 1] = 0.0
    skip_next = np.zeros_like(skip)  # l'_s -> l'_{s+2} allowed
    skip_next[:, :-2] = skip[:, 2:]
    for t in range(tmax - 1, -1, -1):
        if t + 1 < tmax:
            b = beta[:, t + 1]
            rec = _logaddexp3(b, _shift_back(b, 1), np.where(skip_next, _shift_back(b, 2), NEG_INF))
        else:
            rec = np.full((bsz, smax), NEG_INF)
        rec = np.where((t == t_len - 1)[:, None], final, rec)
        beta[:, t] = rec + emit[:, t]

    feasible = np.isfinite(loss)
    with np.errstate(invalid="ignore", over="ignore"):
        log_gamma = alpha + beta - emit + np.where(feasible, loss, 0.0)[:, None, None]
        occupancy = np.where(np.isfinite(log_gamma), np.exp(log_gamma), 0.0)
    frame_valid = np.arange(tmax)[None, :] < t_len[:, None]
    occupancy *= (frame_valid & feasible[:, None])[:, :, None]
    d_logp = np.zeros((bsz, tmax, k))
    one_hot = np.zeros((bsz, smax, k))
    np.put_along_axis(one_hot, ext[:, :, None], 1.0, axis=2)
    d_logp -= np.einsum("bts,bsk->btk", occupancy, one_hot)
    # through log_softmax: dz = dlogp - softmax * sum_k dlogp
    grad = d_logp - np.exp(logp) * np.sum(d_logp, axis=-1, keepdims=True)
    return loss, grad


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """CTC loss of each sequence: `-log p(target | output)` summed over all alignments.

    As Keras 3, the logits are first cast to `result_type(dtype, "float32")`, which is
    float32 for float64 logits too (Keras's promotion).

    Args:
        target: `(batch, max_label_length)` integer labels; entries past `target_length` are
            ignored.
        output: `(batch, max_length, num_classes)` logits (not softmax-normalized).
        target_length: `(batch,)` label lengths.
        output_length: `(batch,)` numbers of valid frames of `output`.
        mask_index: the blank class id.

    Returns:
        A `(batch,)` tensor of losses (float32 for float16/32/64 logits), `inf` for a
        target no alignment of the frames can produce. Differentiable with respect to `output`.

    >>> import numpy as np, minikeras as keras
    >>> logits = np.zeros((1, 2, 3), "float32")  # uniform over {blank, 1, 2}
    >>> loss = keras.ops.ctc_loss(np.array([[1]]), logits, np.array([1]), np.array([2]))
    >>> round(float(loss.numpy()[0]), 4)  # -log(3/9): paths "1 1", "1 -", "- 1"
    1.0986
    """
    z = np.asarray(unwrap(output, "ctc_loss")[0])
    dtype = dtypes.result_type(dtypes.standardize_dtype(z.dtype), "float32")
    if isinstance(output, Tensor) and output.dtype != dtype:
        from .conversion import cast

        output = cast(output, dtype)  # recorded: the gradient flows back to the float64 input
    elif not isinstance(output, Tensor):
        output = z.astype(dtype, copy=False)
    return ctc_loss_exact(target, output, target_length, output_length, mask_index)


def ctc_loss_exact(target, output, target_length, output_length, mask_index=0):
    """`ctc_loss` in the logits' own float dtype (float64 kept): the computation itself, and
    what the float64 gradient tests check."""
    z, tz = unwrap(output, "ctc_loss")
    z = np.asarray(z)
    dtype = z.dtype if z.dtype in (np.float32, np.float64) else np.dtype("float32")
    if z.ndim != 3:
        raise ValueError(
            "ctc_loss: `output` must be (batch, max_length, num_classes) logits; received shape "
            f"{z.shape}."
        )
    y = np.asarray(unwrap(target, "ctc_loss")[0])
    if y.ndim != 2 or y.shape[0] != z.shape[0]:
        raise ValueError(
            f"ctc_loss: `target` must be (batch, max_label_length) with batch {z.shape[0]}; "
            f"received shape {y.shape}."
        )
    loss, grad = ctc_forward_backward(
        z,
        y,
        np.asarray(unwrap(target_length, "ctc_loss")[0]),
        np.asarray(unwrap(output_length, "ctc_loss")[0]),
        mask_index,
    )

    def backward(dout):
        return ((np.asarray(dout)[:, None, None] * grad).astype(dtype),)

    return Tensor.from_op(loss.astype(dtype), (tz,), backward, "ctc_loss")


def ctc_decode(
    inputs,
    sequence_lengths,
    strategy="greedy",
    beam_width=100,
    top_paths=1,
    merge_repeated=True,
    mask_index=0,
):
    """Decodes CTC outputs into label sequences, greedily or by beam search.

    Greedy decoding takes each frame's argmax, drops frames past `sequence_lengths`, merges
    repeats (when `merge_repeated`) and removes blanks; the labels are packed to the left and
    padded with -1. Beam search keeps the `beam_width` most probable label prefixes (summing the
    probabilities of the alignments of each, split by whether they end in a blank) over the
    log-softmax of `inputs`, and returns the `top_paths` best.

    Args:
        inputs: `(batch, max_length, num_classes)` logits or probabilities.
        sequence_lengths: `(batch,)` numbers of valid frames.
        strategy: `"greedy"` or `"beam_search"`.
        beam_width: beam search width (beam search only).
        top_paths: number of paths returned (beam search only).
        merge_repeated: collapse runs of the same class into one label.
        mask_index: the blank class id (None means the last class).

    Returns:
        A tuple `(decoded, scores)`. Greedy: `decoded` an int32 tensor `(1, batch, max_length)`
        and `scores` a `(batch, 1)` tensor, minus the sum over the valid frames of each frame's
        maximum input value (as Keras 3 computes it). Beam search: `decoded` is
        `(top_paths, batch, max_length)` and `scores` `(batch, top_paths)` log-probabilities.

    >>> import numpy as np, minikeras as keras
    >>> x = np.eye(3, dtype="float32")[[[1, 1, 0, 1, 2, 2]]]
    >>> paths, scores = keras.ops.ctc_decode(x, np.array([6]))
    >>> paths.numpy()[0, 0].tolist()
    [1, 1, 2, -1, -1, -1]
    """
    if strategy not in ("greedy", "beam_search"):
        raise ValueError(
            f"ctc_decode: invalid strategy {strategy!r}. Supported values are 'greedy' and "
            "'beam_search'."
        )
    x = np.asarray(unwrap(inputs, "ctc_decode")[0])
    # Keras 3: result_type(dtype, "float32"), float32 for float64 and float16 too
    x = x.astype(dtypes.result_type(dtypes.standardize_dtype(x.dtype), "float32"), copy=False)
    if x.ndim != 3:
        raise ValueError(
            "ctc_decode: `inputs` must be (batch, max_length, num_classes); received shape "
            f"{x.shape}."
        )
    bsz, tmax, k = x.shape
    blank = k - 1 if mask_index is None else mask_index
    lengths = np.asarray(unwrap(sequence_lengths, "ctc_decode")[0]).astype(np.int64).reshape(bsz)
    if strategy == "beam_search":
        return _beam_search(x, lengths, beam_width, top_paths, blank)
    indices = np.argmax(x, axis=-1)
    scores = np.max(x, axis=-1)
    padded = np.arange(tmax)[None, :] >= lengths[:, None]
    indices = np.where(padded, blank, indices)
    scores = np.where(padded, 0.0, scores).astype(x.dtype)
    if merge_repeated:
        repeat = np.zeros_like(padded)
        repeat[:, 1:] = indices[:, 1:] == indices[:, :-1]
        indices = np.where(repeat, blank, indices)
    blank_mask = indices == blank
    order = np.argsort(np.where(blank_mask, tmax, np.arange(tmax)[None, :]), axis=-1, kind="stable")
    decoded = np.take_along_axis(np.where(blank_mask, -1, indices), order, axis=-1)
    return (
        Tensor(decoded[None].astype("int32")),
        Tensor(-np.sum(scores, axis=1, keepdims=True)),
    )


def _merge_scores(inverse, scores, size):
    """log-sum-exp of `scores` grouped by `inverse` into `size` slots (-inf where empty)."""
    top = np.max(scores)
    top = top if np.isfinite(top) else np.float32(0.0)
    total = np.zeros(size, scores.dtype)
    np.add.at(total, inverse, np.exp(scores - top))
    with np.errstate(divide="ignore"):
        return (np.log(total) + top).astype(scores.dtype)


def _unique_rows(paths, size):
    """Sorted unique rows padded with -1 rows to `size`, and each input row's index."""
    uniq, inverse = np.unique(paths, axis=0, return_inverse=True)
    padded = np.full((size, paths.shape[1]), -1, paths.dtype)
    padded[: len(uniq)] = uniq
    return padded, inverse.reshape(-1)


def _beam_search_one(logp, length, beam_width, top_paths, blank):
    """Prefix beam search over one sequence's `(T, K)` log-probabilities.

    The classes come flipped (`K - 1 - c`) so that ties between equal scores break towards the
    lower original class, as Keras 3's jax implementation does; -1 pads the paths.
    """
    tmax, k = logp.shape
    width, size = 2 * beam_width, 2 * k * beam_width
    paths = np.full((width, tmax), -1, np.int64)
    n0 = min(k, beam_width)
    first = np.argsort(logp[0], kind="stable")[-n0:]
    paths[:n0, 0] = np.where(first == blank, -1, first)
    scores = np.full(width, -np.inf, logp.dtype)
    scores[:n0] = logp[0, first]
    ends_blank = paths[:, 0] == -1
    classes = np.arange(k)
    classes[blank] = -1
    classes = np.tile(classes, width)
    rows = np.arange(width * k)
    for t in range(1, min(length, tmax)):
        # extend every path by every class
        ext = np.repeat(paths, k, axis=0)
        ext_scores = np.repeat(scores, k) + np.tile(logp[t], width)
        prev_blank = np.repeat(ends_blank, k)
        tail_at = np.argmax(ext == -1, axis=1)
        tails = np.where(tail_at == 0, -1, ext[rows, tail_at - 1])
        new_blank = classes == -1
        emitted = np.where(~prev_blank & (tails == classes), -1, classes)  # a repeat: no label
        ext[rows, tail_at] = emitted
        # merge equal prefixes, separately for those ending in a blank and the others
        uniq, inverse = _unique_rows(ext, size)
        emit = _merge_scores(inverse, np.where(new_blank, -np.inf, ext_scores), size)
        blank_s = _merge_scores(inverse, np.where(new_blank, ext_scores, -np.inf), size)
        keep = np.argsort(np.logaddexp(emit, blank_s), kind="stable")[-beam_width:]
        paths = np.tile(uniq[keep], (2, 1))
        scores = np.concatenate([emit[keep], blank_s[keep]])
        ends_blank = np.repeat([False, True], beam_width)
    uniq, inverse = _unique_rows(paths, size)
    merged = _merge_scores(inverse, scores, size)
    best = np.argsort(merged, kind="stable")[-top_paths:][::-1]
    return uniq[best], merged[best]


def _beam_search(x, lengths, beam_width, top_paths, blank):
    k = x.shape[-1]
    logp = _log_softmax(x.astype("float64")).astype(x.dtype)[..., ::-1]
    flipped_blank = k - blank - 1
    results = [
        _beam_search_one(logp[b], int(lengths[b]), beam_width, top_paths, flipped_blank)
        for b in range(x.shape[0])
    ]
    paths = np.stack([p for p, _ in results])  # (batch, top_paths, T)
    paths = np.where(paths == -1, -1, k - paths - 1).transpose(1, 0, 2)
    scores = np.stack([s for _, s in results])
    return Tensor(paths.astype("int32")), Tensor(scores)
