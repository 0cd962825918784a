"""Inference fusion across two layers of a model: a Conv2D whose output only feeds a
MaxPooling2D(2) runs both in one kernel when no gradient is recorded (`predict`, `no_grad`).

The pair runs as the convolution layer's call inside `fused_bias_act.max_pool_next()`: its op
pools each block of its output while the block is in cache (`kernels/conv.py`, `pool`), so the
full-size activation is never written and the pooling layer is skipped. The pooling comes
before the bias and ReLU (both monotonic: the same maxima); the numbers are those of the two
layers bit for bit, except for one-channel inputs, whose direct loop (`kernels/direct3x3.py`)
sums in another order than the im2col GEMM (float32 rounding). When the op cannot (a
gradient is recorded, another activation, float16, ...) it returns the full-size output and
the pooling layer runs as usual. MNIST CNN predict, 64 images, one thread: conv + pool of the
second layer 2.3 -> 1.5 ms (its Winograd tiles then cover only the pooled pixels). An int8
Conv2D (`model.quantize("int8", include_conv=True)`) pools the same way in its own op
(`ops.quantized_conv`, `kernels/conv_int8.py`), bit for bit its two layers.
"""

from ..core.ops.fused_bias_act import max_pool_next
from ..layers import Conv2D, MaxPooling2D


def fusable(conv, pool):
    """Whether layers `conv` then `pool` may run as one: exactly Conv2D and MaxPooling2D (not
    subclasses, whose calls may differ), channels-last, 2x2 windows of stride 2 without
    padding, and no activity regularizer (it would see the pooled output)."""
    return (
        type(conv) is Conv2D
        and type(pool) is MaxPooling2D
        and conv.data_format == "channels_last" == pool.data_format
        and tuple(pool.pool_size) == (2, 2)
        and tuple(pool.strides) == (2, 2)
        and pool.padding == "valid"
        and conv.activity_regularizer is None
        and pool.activity_regularizer is None
    )


def call_pooled(conv, x, **kwargs):
    """`conv(x)` asked to apply the 2x2 max pooling that follows it: returns (output, pooled)."""
    if getattr(x, "_keras_mask", None) is not None:  # the pooling layer would warn about it
        return conv(x, **kwargs), False
    with max_pool_next() as done:
        y = conv(x, **kwargs)
    return y, bool(done)


def sequential_pairs(layers):
    """Indices i of `layers` where layers[i], layers[i + 1] are `fusable`."""
    return {i for i in range(len(layers) - 1) if fusable(layers[i], layers[i + 1])}


def functional_pairs(order, single_inputs, outputs):
    """{i: j} over a functional model's nodes in call order: node i is a Conv2D call whose one
    output feeds only node j, a MaxPooling2D call on it alone, and is not a model output."""
    uses = {}
    for node in order:
        for t in node.input_tensors:
            uses[id(t)] = uses.get(id(t), 0) + 1
    out_ids = {id(t) for t in outputs}
    pairs = {}
    for i, node in enumerate(order):
        if single_inputs[i] is None or len(node.outputs) != 1:
            continue
        t = id(node.outputs[0])
        if t in out_ids or uses.get(t) != 1:
            continue
        for j in range(i + 1, len(order)):
            if single_inputs[j] == t and not order[j].kwargs:
                if fusable(node.layer, order[j].layer):
                    pairs[i] = j
                break
    return pairs
