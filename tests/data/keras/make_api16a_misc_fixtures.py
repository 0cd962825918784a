"""Writes api16a_misc_k3.npz: Keras 3.15.1 (jax backend) outputs for issue 16's second batch of
losses, optimizers and layers: CategoricalGeneralizedCrossEntropy (values, reductions, the
gradient with respect to y_pred), ScheduleFreeAdamW (five steps; jax and numpy agree, while the
torch backend differs from the second step on: its `momentum.value` aliases the slot that
`assign_sub` then updates in place), and the layers whose numbers tests compare.

Run: KERAS_BACKEND=jax /work/anchors/bin/python tests/data/keras/make_api16a_misc_fixtures.py
"""

import json
import os

import keras
import numpy as np
import jax

rng = np.random.default_rng(161)
OUT = {}


def loss_cases():
    logits = rng.normal(size=(6, 4)).astype("float32")
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    labels = np.array([0, 3, 1, 1, 2, 0], "int32")
    weights = rng.uniform(0.0, 2.0, size=(6,)).astype("float32")
    OUT.update(gce_probs=probs, gce_labels=labels, gce_weights=weights)
    for q in (0.2, 0.5, 0.9):
        y = keras.losses.categorical_generalized_cross_entropy(labels, jax.numpy.asarray(probs), q)
        OUT[f"gce_fn_q{q}"] = np.asarray(y)
    for reduction in ("sum_over_batch_size", "sum", "none", "mean_with_sample_weight"):
        loss = keras.losses.CategoricalGeneralizedCrossEntropy(q=0.7, reduction=reduction)
        OUT[f"gce_cls_{reduction}"] = np.asarray(loss(labels, probs, sample_weight=weights))
    loss = keras.losses.CategoricalGeneralizedCrossEntropy(q=0.4)
    OUT["gce_grad_q0.4"] = np.asarray(jax.grad(lambda p: loss(labels, p))(jax.numpy.asarray(probs)))


def optimizer_cases():
    w0 = rng.normal(size=(3, 4)).astype("float32")
    grads = rng.normal(size=(5, 3, 4)).astype("float32")
    OUT.update(sfa_w0=w0, sfa_grads=grads)
    configs = {
        "default": {},
        "warmup_wd": {"learning_rate": 0.05, "warmup_steps": 3, "weight_decay": 0.1},
        "betas": {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
    }
    for key, config in configs.items():
        w = keras.Variable(w0)
        opt = keras.optimizers.ScheduleFreeAdamW(**config)
        for g in grads:
            opt.apply([g], [w])
        OUT[f"sfa_{key}"] = np.asarray(w.numpy())
        OUT[f"sfa_{key}_slots"] = np.stack([np.asarray(v.numpy()) for v in opt.variables[2:]])


def reversible_embedding_cases():
    """Forward and reverse outputs with set weights; a Keras-written .keras model holding one."""
    ids = np.array([[0, 3, 7, 1], [9, 0, 2, 2]], "int32")
    hidden = rng.normal(size=(2, 4, 5)).astype("float32")
    table = rng.normal(size=(10, 5)).astype("float32")
    reverse = rng.normal(size=(5, 10)).astype("float32")
    OUT.update(rev_ids=ids, rev_hidden=hidden, rev_table=table, rev_reverse=reverse)
    for tie in (True, False):
        layer = keras.layers.ReversibleEmbedding(10, 5, tie_weights=tie, logit_soft_cap=2.0)
        layer.build()
        layer.set_weights([table] if tie else [table, reverse])
        OUT[f"rev_fwd_tie{tie}"] = np.asarray(layer(ids))
        OUT[f"rev_back_tie{tie}"] = np.asarray(layer(hidden, reverse=True))
    inp = keras.Input((4,), dtype="int32")
    emb = keras.layers.ReversibleEmbedding(10, 5, tie_weights=False, mask_zero=True)
    model = keras.Model(inp, emb(emb(inp), reverse=True))
    emb.set_weights([table, reverse])
    here = os.path.dirname(os.path.abspath(__file__))
    model.save(os.path.join(here, "reversible_embedding_k3.keras"))
    OUT["rev_model_out"] = np.asarray(model.predict(ids, verbose=0))


def pipeline_cases():
    """A Keras-written .keras model holding a Pipeline (Rescaling, Dense) and its prediction."""
    x = rng.normal(size=(3, 4)).astype("float32")
    kernel = rng.normal(size=(4, 3)).astype("float32")
    inp = keras.Input((4,))
    pipe = keras.layers.Pipeline([keras.layers.Rescaling(0.5), keras.layers.Dense(3)], name="pipe")
    model = keras.Model(inp, pipe(inp))
    pipe.layers[1].set_weights([kernel, np.array([1.0, 2.0, 3.0], "float32")])
    here = os.path.dirname(os.path.abspath(__file__))
    model.save(os.path.join(here, "pipeline_k3.keras"))
    OUT.update(pipe_x=x, pipe_out=np.asarray(model.predict(x, verbose=0)))


MEL_CASES = {
    "default_small": {"fft_length": 64, "sequence_stride": 16, "num_mel_bins": 8},
    "no_db": {
        "fft_length": 32,
        "sequence_stride": 8,
        "sequence_length": 24,
        "num_mel_bins": 6,
        "sampling_rate": 8000,
        "power_to_db": False,
        "mag_exp": 1.0,
    },
    "hamming_db": {
        "fft_length": 64,
        "sequence_stride": 20,
        "window": "hamming",
        "num_mel_bins": 10,
        "min_freq": 100.0,
        "max_freq": 3000.0,
        "top_db": 30.0,
        "ref_power": 2.0,
    },
}
STFT_CASES = {
    "log": {"frame_length": 16, "frame_step": 4},
    "magnitude_same": {"mode": "magnitude", "frame_length": 12, "frame_step": 5, "padding": "same"},
    "psd_spectrum": {"mode": "psd", "frame_length": 16, "fft_length": 32, "scaling": "spectrum"},
    "stft_expand": {"mode": "stft", "frame_length": 8, "frame_step": 3, "expand_dims": True},
    "angle_hamming": {"mode": "angle", "frame_length": 8, "window": "hamming", "periodic": True},
    "real_first": {"mode": "real", "frame_length": 8, "data_format": "channels_first"},
    "imag_none": {"mode": "imag", "frame_length": 8, "window": None, "scaling": None},
}


def spectrogram_cases():
    audio = rng.normal(size=(2, 200)).astype("float32")
    OUT["mel_audio"] = audio
    OUT["mel_configs"] = np.array(json.dumps(MEL_CASES))
    OUT["stft_configs"] = np.array(json.dumps(STFT_CASES))
    for key, config in MEL_CASES.items():
        OUT[f"mel_{key}"] = np.asarray(keras.layers.MelSpectrogram(**config)(audio))
    signal = rng.normal(size=(2, 40, 3)).astype("float32")
    OUT["stft_signal"] = signal
    for key, config in STFT_CASES.items():
        x = np.moveaxis(signal, -1, 1) if config.get("data_format") == "channels_first" else signal
        OUT[f"stft_{key}"] = np.asarray(keras.layers.STFTSpectrogram(**config)(x))


CLAHE_CASES = {
    "default": {},
    "no_clip_tiles": {"clip_limit": 0.0, "tile_grid_size": [3, 2]},
    "unit_range": {"value_range": [0.0, 1.0], "clip_limit": 2.0, "tile_grid_size": [4, 4]},
    "channels_first": {"tile_grid_size": [2, 5], "data_format": "channels_first"},
}


def clahe_cases():
    images = rng.integers(0, 256, size=(2, 21, 18, 3)).astype("float32")
    images[0, :8, :8] = 200.0  # a flat region, where clipping matters
    OUT["clahe_images"] = images
    OUT["clahe_configs"] = np.array(json.dumps(CLAHE_CASES))
    for key, config in CLAHE_CASES.items():
        x = images / 255.0 if "value_range" in config else images
        if config.get("data_format") == "channels_first":
            x = np.moveaxis(x, -1, 1)
        layer = keras.layers.ContrastLimitedAdaptiveHistogramEqualization(**config)
        OUT[f"clahe_{key}"] = np.asarray(layer(x))


def multi_optimizer_cases():
    """Three full-batch fit epochs of a model whose `enc` layer has Adam and the rest SGD
    (OptimizerMap pattern), from fixed weights; the Keras-written .keras file of the result."""
    x = rng.normal(size=(8, 3)).astype("float32")
    y = rng.normal(size=(8, 1)).astype("float32")
    w0 = [rng.normal(size=s).astype("float32") for s in ((3, 4), (4,), (4, 1), (1,))]
    OUT.update(multi_x=x, multi_y=y, **{f"multi_w0_{i}": w for i, w in enumerate(w0)})
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, name="enc"), keras.layers.Dense(1, name="dec")],
        name="sequential",
    )
    model.set_weights(w0)
    opt_map = keras.optimizers.OptimizerMap(
        keras.optimizers.SGD(0.1), {"sequential/enc/.*": keras.optimizers.Adam(0.01)}
    )
    model.compile(keras.optimizers.MultiOptimizer(opt_map), "mse")
    model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    for i, w in enumerate(model.get_weights()):
        OUT[f"multi_w3_{i}"] = w
    OUT["multi_opt_vars"] = np.array(json.dumps([v.path for v in model.optimizer.variables]))
    for i, v in enumerate(model.optimizer.variables):
        OUT[f"multi_opt_{i}"] = np.asarray(v.numpy())
    here = os.path.dirname(os.path.abspath(__file__))
    model.save(os.path.join(here, "multi_optimizer_k3.keras"))


def main():
    loss_cases()
    optimizer_cases()
    reversible_embedding_cases()
    pipeline_cases()
    spectrogram_cases()
    clahe_cases()
    multi_optimizer_cases()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "api16a_misc_k3.npz")
    np.savez_compressed(path, **OUT)
    print(f"wrote {len(OUT)} arrays to {path}")


if __name__ == "__main__":
    main()
