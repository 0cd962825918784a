"""Writes examples/notebooks/*.ipynb from the cell sources below, without outputs.

The cells here are the notebooks' one source: edit them here, then run
`python tests/examples/build_notebooks.py`. Building with nbformat keeps the JSON valid and the
cell ids stable; `test_notebooks.py` checks that the stored notebooks match this file, carry no
outputs, and run top to bottom. Every notebook reads `MINIKERAS_NOTEBOOK_SMOKE=1` to run at a
tiny size, which the tests set.
"""

import os
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOK_DIR = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "notebooks")
)

md, code = new_markdown_cell, new_code_cell

SETUP = """\
import os

import numpy as np

import minikeras as keras
from minikeras import layers

# MINIKERAS_NOTEBOOK_SMOKE=1 runs every cell at a tiny size (the test suite sets it)
SMOKE = os.environ.get("MINIKERAS_NOTEBOOK_SMOKE") == "1"
keras.utils.set_random_seed(0)"""

MATPLOTLIB = """\
try:  # pictures need matplotlib (`pip install -e ".[plot]"`); without it we print instead
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
print("matplotlib available:", plt is not None)"""

QUICK_START = [
    md("""# Quick start with minikeras

minikeras is the Keras 3 API on numpy and numba: code written for Keras 3 runs with
`import minikeras as keras`. This notebook goes through the usual steps: data, a model,
`compile`, `fit` (with its progress bar), `evaluate`, `predict`, callbacks, and saving.
It runs in well under a minute on a laptop CPU."""),
    code(SETUP + '\nprint("minikeras", keras.__version__)'),
    md("""## Data

A generated three-class problem: points on three noisy concentric rings. Inputs are float32
arrays of shape `(samples, features)`, labels are integer class ids."""),
    code("""\
def make_rings(n, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = 1.0 + labels + rng.normal(0, 0.15, n)
    points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return points.astype("float32"), labels.astype("int32")


x_train, y_train = make_rings(200 if SMOKE else 3000, seed=0)
x_test, y_test = make_rings(100 if SMOKE else 1000, seed=1)
print(x_train.shape, x_train.dtype, y_train.shape, y_train[:10])"""),
    md("""## A model

`keras.Sequential` stacks layers; `keras.Input` fixes the input shape so the model is built at
once and `summary()` can show every shape and parameter count."""),
    code("""\
model = keras.Sequential([
    keras.Input(shape=(2,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(32, activation="relu"),
    layers.Dense(3, activation="softmax"),
], name="rings_classifier")
model.summary()"""),
    md("""## Training

`compile` picks the optimizer, the loss and the metrics; `fit` trains and returns a `History`.
The progress bar is tqdm's: a widget in Jupyter when `ipywidgets` is installed, text otherwise."""),
    code("""\
model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=32, epochs=2 if SMOKE else 10,
                    validation_split=0.2)
print({name: round(values[-1], 4) for name, values in history.history.items()})"""),
    md("""## Evaluating and predicting"""),
    code("""\
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test loss {loss:.4f}, test accuracy {accuracy:.3f}")
probabilities = model.predict(x_test[:5], verbose=0)
print(np.round(probabilities, 3))
print("predicted:", probabilities.argmax(axis=1), "true:", y_test[:5])"""),
    md("""## The same model with the functional API

`keras.Input` gives a symbolic tensor; calling layers on it records the graph, and
`keras.Model(inputs, outputs)` wraps it. This is how to build models with several inputs,
outputs or branches."""),
    code("""\
inputs = keras.Input(shape=(2,), name="point")
hidden = layers.Dense(32, activation="relu")(inputs)
hidden = layers.Dense(32, activation="relu")(hidden)
outputs = layers.Dense(3, activation="softmax", name="class")(hidden)
functional = keras.Model(inputs, outputs)
functional.summary()"""),
    md("""## Callbacks

`EarlyStopping` stops once the validation loss stops improving and restores the best weights.
`verbose=2` prints one line per epoch instead of a bar."""),
    code("""\
functional.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                   metrics=["accuracy"])
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
history = functional.fit(x_train, y_train, epochs=3 if SMOKE else 40, validation_split=0.2,
                         callbacks=[stop], verbose=2)
print("trained for", len(history.epoch), "epochs")"""),
    md("""## Saving and loading

`model.save("....keras")` writes the Keras 3 archive (architecture, weights, optimizer state);
`keras.models.load_model` reads it back, and files written by Keras itself too."""),
    code("""\
import tempfile

path = os.path.join(tempfile.mkdtemp(), "rings.keras")
model.save(path)
restored = keras.models.load_model(path)
np.testing.assert_allclose(restored.predict(x_test, verbose=0), model.predict(x_test, verbose=0),
                           rtol=1e-6, atol=1e-6)
print(f"saved {os.path.getsize(path)} bytes; the reloaded model predicts the same")"""),
    md("""## Next

- `02_video_question_answering.ipynb`: a video + question model (CNN per frame, LSTM, Embedding).
- `03_saving_and_loading.ipynb`: every file format, and files written by real Keras.
- `04_training_curves.ipynb`: plotting `History`.
- `examples/*.py`: short scripts (convnets, text, time series, transfer learning, custom layers
  and training loops)."""),
]

VIDEO_QA = [
    md("""# Video question answering

The model from the 2017 TensorFlow Dev Summit ("is she packing or unpacking?"), on generated
clips from `keras.datasets.video_qa`: a coloured square or disc grows or shrinks and fades in or
out, and a question asks which way it changes (needs the whole clip) or what colour it is (any
frame will do). A small CNN reads every frame (`TimeDistributed`), an LSTM reads the frame codes,
an `Embedding(mask_zero=True)` + LSTM reads the question, and a classifier picks the answer word.

This is `examples/video_qa.py` on fewer, shorter clips: about 1-2 minutes on 2 CPU cores."""),
    code(
        SETUP
        + """
from minikeras.datasets import video_qa

NUM_TRAIN = 96 if SMOKE else 2500
FRAMES, SIZE = (4, 16) if SMOKE else (8, 32)
EPOCHS = 1 if SMOKE else 10"""
    ),
    md("""## The data

Each `x` is `[videos, questions]`: videos are float32 `(clips, frames, height, width, 3)` in
[0, 1], questions are int32 word ids padded with 0 at the end. `y` holds indices into
`video_qa.ANSWERS`."""),
    code("""\
(x_train, y_train), (x_test, y_test) = video_qa.load_data(
    num_train=NUM_TRAIN, num_test=64 if SMOKE else 300, frames=FRAMES, size=SIZE)
videos, questions = x_train
word_index = video_qa.get_word_index()
print("videos", videos.shape, videos.dtype, "| questions", questions.shape, questions.dtype)
print("vocabulary:", len(word_index), "words; answers:", video_qa.ANSWERS)
for i in range(4):
    print(f"  {video_qa.decode_question(questions[i])!r} -> {video_qa.ANSWERS[y_train[i]]}")"""),
    code(MATPLOTLIB),
    code("""\
shown = 3
if plt is not None:
    _, axes = plt.subplots(shown, FRAMES, figsize=(1.6 * FRAMES, 1.9 * shown))
    for row in range(shown):
        for t in range(FRAMES):
            axes[row, t].imshow(np.clip(videos[row, t], 0, 1))
            axes[row, t].axis("off")
        axes[row, 0].set_title(f"{video_qa.decode_question(questions[row])}  "
                               f"[{video_qa.ANSWERS[y_train[row]]}]", loc="left", fontsize=9)
    plt.tight_layout()
    plt.show()
else:  # per frame: how many pixels the shape covers and how bright it is
    for row in range(shown):
        lit = videos[row].max(axis=-1) > 0.15  # (frames, height, width): the shape's pixels
        area = lit.sum(axis=(1, 2)).tolist()
        brightness = [round(float(videos[row, t][lit[t]].max(initial=0)), 2) for t in range(FRAMES)]
        print(f"{video_qa.decode_question(questions[row])} [{video_qa.ANSWERS[y_train[row]]}]")
        print(f"    area per frame {area}, brightness per frame {brightness}")"""),
    md("""## The model

As a Keras user writes it: the same code as `examples/video_qa.py`. The frame CNN ends in
global average pooling, so each frame code says how much of which colour there is and how
strong it is; the video LSTM compares those codes across frames."""),
    code("""\
vocab_size, n_answers = len(word_index) + 1, len(video_qa.ANSWERS)

video = keras.Input(shape=(None, SIZE, SIZE, 3), name="video")   # any number of frames
cnn = keras.Sequential([
    layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"), layers.GlobalAveragePooling2D(),
], name="frame_cnn")
encoded_video = layers.LSTM(64)(layers.TimeDistributed(cnn)(video))

question = keras.Input(shape=(None,), dtype="int32", name="question")  # any number of words
embedded = layers.Embedding(vocab_size, 32, mask_zero=True)(question)
encoded_question = layers.LSTM(32)(embedded)

merged = layers.concatenate([encoded_video, encoded_question])
hidden = layers.Dense(64, activation="relu")(merged)
answer = layers.Dense(n_answers)(hidden)                          # logits
model = keras.Model([video, question], answer)
model.compile(optimizer=keras.optimizers.Adam(2e-3),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.summary()"""),
    md("""## Training"""),
    code("""\
history = model.fit(x_train, y_train, batch_size=32, epochs=EPOCHS, validation_split=0.1)"""),
    md("""## Accuracy per question type

Colour questions can be answered from any frame; change questions (growing or shrinking,
appearing or vanishing) need the order of the frames, which is what the video LSTM is for."""),
    code("""\
predicted = model.predict(x_test, batch_size=64, verbose=0).argmax(axis=1)
kinds = video_qa.question_type(y_test)
for kind in sorted(set(kinds)):
    chosen = kinds == kind
    print(f"{kind:6s} questions: accuracy {(predicted[chosen] == y_test[chosen]).mean():.3f} "
          f"on {chosen.sum()} clips")"""),
    md("""## The model's answers in words"""),
    code("""\
for i in range(8):
    asked = video_qa.decode_question(x_test[1][i])
    given, expected = video_qa.ANSWERS[predicted[i]], video_qa.ANSWERS[y_test[i]]
    note = "" if given == expected else f"(expected {expected})"
    print(f"Q: {asked:45s} A: {given:9s} {note}")"""),
    md("""## Asking new questions about a clip

Questions are just word ids: encode any question built from the vocabulary and ask it about a
held-out clip."""),
    code("""\
clip = x_test[0][:1]
shape = "square" if "square" in video_qa.decode_question(x_test[1][0]) else "disc"
for text in [f"is the {shape} growing or shrinking ?", f"is the {shape} appearing or vanishing ?",
             f"what colour is the {shape} ?"]:
    ids = np.array([[word_index[w] for w in text.split()]], dtype="int32")
    logits = model.predict([clip, ids], verbose=0)
    print(f"Q: {text:40s} A: {video_qa.ANSWERS[int(logits.argmax())]}")"""),
]

SAVING = [
    md("""# Saving and loading

minikeras reads and writes Keras's own file formats:

| call | file | holds |
| --- | --- | --- |
| `model.save("m.keras")` | Keras 3 zip archive | architecture, weights, compile config, optimizer |
| `model.save("m.h5")` | legacy HDF5 | the same, in the Keras 2 layout |
| `model.save_weights("m.weights.h5")` | Keras 3 weights | weights only |
| `model.to_json()`, `get_config()` | JSON / dict | architecture only |

and `keras.models.load_model` also loads files written by Keras 2 (tf.keras) and Keras 3."""),
    code(
        SETUP
        + """
import json
import tempfile
import zipfile

import h5py

workdir = tempfile.mkdtemp()
# the Keras-written fixture files of the test suite, found relative to this notebook's folder
FIXTURES = os.path.join("..", "..", "tests", "data", "keras")"""
    ),
    md("""## A small trained model"""),
    code("""\
rng = np.random.default_rng(0)
x = rng.normal(size=(256 if SMOKE else 2000, 8)).astype("float32")
y = (x[:, 0] * x[:, 1] + np.sin(x[:, 2]) > 0).astype("int32")

model = keras.Sequential([
    keras.Input(shape=(8,)),
    layers.Dense(32, activation="relu"),
    layers.BatchNormalization(),
    layers.Dropout(0.2),
    layers.Dense(2, activation="softmax"),
], name="small")
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, batch_size=32, epochs=2 if SMOKE else 5, verbose=0)
reference = model.predict(x[:16], verbose=0)
print("trained; optimizer steps:", int(model.optimizer.iterations.numpy()))"""),
    md("""## The `.keras` archive

A zip of `metadata.json`, `config.json` (the architecture and compile settings) and
`model.weights.h5`."""),
    code("""\
keras_path = os.path.join(workdir, "small.keras")
model.save(keras_path)
with zipfile.ZipFile(keras_path) as archive:
    print(archive.namelist())
    config = json.loads(archive.read("config.json"))
print(config["class_name"], [layer["class_name"] for layer in config["config"]["layers"]])

restored = keras.models.load_model(keras_path)
np.testing.assert_allclose(restored.predict(x[:16], verbose=0), reference, rtol=1e-6, atol=1e-6)
steps = int(restored.optimizer.iterations.numpy())
print("same predictions; optimizer steps restored:", steps)"""),
    md("""## Legacy HDF5 (`.h5`)

The Keras 2 layout: the architecture as a JSON attribute, weights under `model_weights`, the
optimizer state under `optimizer_weights`. Real Keras 2 and Keras 3 read these files."""),
    code("""\
h5_path = os.path.join(workdir, "small.h5")
model.save(h5_path)
with h5py.File(h5_path, "r") as f:
    print("attributes:", sorted(f.attrs), "| groups:", sorted(f))
    print("weights of the first Dense:", list(f["model_weights"]["dense"]["dense"]))
restored_h5 = keras.models.load_model(h5_path)
np.testing.assert_allclose(restored_h5.predict(x[:16], verbose=0), reference, rtol=1e-6, atol=1e-6)
print("same predictions from .h5")"""),
    md("""## Weights only (`.weights.h5`)

The architecture comes from your code; `load_weights` fills it. `clone_model` makes a fresh copy
of an architecture with new weights."""),
    code("""\
weights_path = os.path.join(workdir, "small.weights.h5")
model.save_weights(weights_path)
fresh = keras.models.clone_model(model)
print("before loading, same predictions:",
      np.allclose(fresh.predict(x[:16], verbose=0), reference))
fresh.load_weights(weights_path)
print("after loading, same predictions:",
      np.allclose(fresh.predict(x[:16], verbose=0), reference))"""),
    md("""## Architecture only: `get_config` and JSON"""),
    code("""\
config = model.get_config()
rebuilt = keras.Sequential.from_config(config)
from_json = keras.models.model_from_json(model.to_json())
print(len(rebuilt.layers), "layers rebuilt from the config;", from_json.name, "from JSON")
rebuilt.set_weights(model.get_weights())
np.testing.assert_allclose(rebuilt.predict(x[:16], verbose=0), reference, rtol=1e-6, atol=1e-6)"""),
    md("""## Resuming training

The optimizer state is saved, so a reloaded model continues as if it had never stopped."""),
    code("""\
keras.utils.set_random_seed(1)
model.fit(x, y, batch_size=32, epochs=1, verbose=0, shuffle=False)
keras.utils.set_random_seed(1)
restored.fit(x, y, batch_size=32, epochs=1, verbose=0, shuffle=False)
gap = max(float(np.abs(a - b).max()) for a, b in zip(model.get_weights(), restored.get_weights()))
print(f"largest weight difference after one more epoch each: {gap:.1e}")"""),
    md("""## Files written by real Keras

The test suite ships small models saved by Keras 3 (`_k3`) and by tf-keras 2 (`_k2`), with the
inputs and Keras's own predictions in an `.npz` beside each."""),
    code("""\
if not os.path.isdir(FIXTURES):
    print("fixture folder not found:", os.path.abspath(FIXTURES))
else:
    for name in ["mlp_k3.keras", "mlp_k2.h5", "cnn_k3.h5", "two_input_k2.h5",
                 "lstm_text_k3.keras", "gru_text_k2.h5", "timedist_nested_k3.keras"]:
        data = np.load(os.path.join(FIXTURES, name.split(".")[0] + ".npz"))
        loaded = keras.models.load_model(os.path.join(FIXTURES, name), compile=False)
        inputs = data["x"] if "x" in data else [data[f"x{i}"] for i in range(len(loaded.inputs))]
        gap = float(np.abs(loaded.predict(inputs, verbose=0) - data["y"]).max())
        print(f"{name:26s} {type(loaded).__name__:11s} {len(loaded.layers):2d} layers, "
              f"max difference to Keras's predictions {gap:.1e}")"""),
    md("""A Keras `.weights.h5` file loads into a minikeras model with the same architecture,
such as a `keras.applications` model built with the same arguments:"""),
    code("""\
weights_file = os.path.join(FIXTURES, "mobilenetv2_top_k3.weights.h5")
if os.path.exists(weights_file):
    net = keras.applications.MobileNetV2(input_shape=(64, 64, 3), alpha=0.35, weights=None,
                                         classes=5)
    net.load_weights(weights_file)
    data = np.load(os.path.join(FIXTURES, "mobilenetv2_top_k3.npz"))
    gap = float(np.abs(net.predict(data["x"], verbose=0) - data["y"]).max())
    print(f"MobileNetV2 with Keras's weights: max difference to Keras's predictions {gap:.1e}")"""),
]

CURVES = [
    md("""# Training curves

`fit` returns a `History` whose `.history` dict maps each logged metric to its per-epoch
values. Plotting the training and validation curves side by side shows over-fitting at a
glance. Pictures need matplotlib (`pip install -e ".[plot]"`); without it the curves are
printed as a table."""),
    code(SETUP + "\n" + MATPLOTLIB),
    md("""## A small, noisy data set that invites over-fitting"""),
    code("""\
rng = np.random.default_rng(0)
def make_data(n):
    x = rng.normal(size=(n, 20)).astype("float32")
    y = (x[:, 0] + x[:, 1] ** 2 - 1 + rng.normal(0, 0.3, n) > 0).astype("int32")
    return x, y

x_train, y_train = make_data(400)
x_test, y_test = make_data(1000)
EPOCHS = 4 if SMOKE else 60"""),
    md("""## A large model, no regularisation"""),
    code("""\
def build(hidden, dropout=0.0, l2=0.0):
    regularizer = keras.regularizers.L2(l2) if l2 else None
    return keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(hidden, activation="relu", kernel_regularizer=regularizer),
        layers.Dropout(dropout),
        layers.Dense(hidden, activation="relu", kernel_regularizer=regularizer),
        layers.Dense(1, activation="sigmoid"),
    ])

big = build(256)
big.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
            metrics=["accuracy"])
overfit = big.fit(x_train, y_train, validation_split=0.25, epochs=EPOCHS, batch_size=32,
                  verbose=0)
print("logged:", sorted(overfit.history), "| epochs:", len(overfit.epoch))"""),
    code('''\
def show(histories, keys=("loss", "accuracy")):
    """Training (solid) and validation (dashed) curves, or a table without matplotlib."""
    if plt is not None:
        _, axes = plt.subplots(1, len(keys), figsize=(5 * len(keys), 3.5))
        for ax, key in zip(np.atleast_1d(axes), keys):
            for (label, h), colour in zip(histories.items(), ["C0", "C1", "C2"]):
                ax.plot(h.epoch, h.history[key], colour, label=f"{label} train")
                ax.plot(h.epoch, h.history["val_" + key], colour + "--", label=f"{label} val")
            ax.set_xlabel("epoch")
            ax.set_title(key)
            ax.legend(fontsize=8)
        plt.tight_layout()
        plt.show()
        return
    for label, h in histories.items():
        print(label)
        print("  epoch " + " ".join(f"{k:>10s} {'val_' + k:>14s}" for k in keys))
        step = max(1, len(h.epoch) // 10)
        for e in list(range(0, len(h.epoch), step)) + [len(h.epoch) - 1]:
            print(f"  {e + 1:5d} " + " ".join(
                f"{h.history[k][e]:10.4f} {h.history['val_' + k][e]:14.4f}" for k in keys))


show({"large": overfit})'''),
    md("""The training loss keeps falling while the validation loss turns back up: the model
memorises the 300 training points. Its best epoch is where the validation loss is lowest:"""),
    code("""\
best = int(np.argmin(overfit.history["val_loss"]))
print(f"best epoch {best + 1}: val_loss {overfit.history['val_loss'][best]:.4f}; "
      f"last epoch val_loss {overfit.history['val_loss'][-1]:.4f}")"""),
    md("""## A smaller model, dropout, weight decay and callbacks

A narrower model with `Dropout` and a small L2 penalty, trained with `EarlyStopping` (stop when
`val_loss` has not improved for 10 epochs, keep the best epoch's weights) and
`ReduceLROnPlateau`, which halves the learning rate on plateaus and logs it into the history."""),
    code("""\
regular = build(64, dropout=0.3, l2=1e-4)
regular.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
                metrics=["accuracy"])
callbacks = [
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, restore_best_weights=True),
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=4),
]
regularised = regular.fit(x_train, y_train, validation_split=0.25, epochs=EPOCHS,
                          batch_size=32, callbacks=callbacks, verbose=0)
rates = sorted({round(float(lr), 6) for lr in regularised.history["learning_rate"]})
print("stopped after", len(regularised.epoch), "epochs; learning rates used:", rates)
show({"large": overfit, "regularised": regularised})"""),
    md("""## On held-out data

Over-fitting shows most in the loss: the large model grows over-confident, so on the points it
gets wrong it is confidently wrong and its test loss climbs, while its accuracy may hold up."""),
    code("""\
for name, m in [("large", big), ("regularised", regular)]:
    loss, acc = m.evaluate(x_test, y_test, verbose=0)
    print(f"{name:12s} test loss {loss:.4f}, test accuracy {acc:.3f}")"""),
]

NOTEBOOKS = {
    "01_quick_start.ipynb": QUICK_START,
    "02_video_question_answering.ipynb": VIDEO_QA,
    "03_saving_and_loading.ipynb": SAVING,
    "04_training_curves.ipynb": CURVES,
}


def build(cells):
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, cell in enumerate(cells):
        cell.id = f"cell-{i:02d}"  # stable ids: rebuilding gives the same file
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def main(out_dir=NOTEBOOK_DIR):
    os.makedirs(out_dir, exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nbformat.write(build(cells), os.path.join(out_dir, name))
        print("wrote", os.path.join(out_dir, name))


if __name__ == "__main__":
    main(*sys.argv[1:])
