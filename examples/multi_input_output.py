"""Multi-input, multi-output functional model: support tickets -> priority and department.

Shows the functional API with two named inputs (a ticket title as padded word ids, and a binary
tag vector) and two named outputs (a priority score in [0, 1] and a department), trained with
dicts of inputs and targets, a loss dict, `loss_weights` and per-output metrics, then `predict`
returning one array per output. The data is generated: the department follows from keywords in
the title, the priority from the tags and the word "urgent". A few seconds on 2 CPU cores;
`--smoke` is shorter.

    python examples/multi_input_output.py [--epochs 10] [--smoke]
"""

import argparse

import numpy as np

import minikeras as keras
from minikeras import layers

DEPARTMENTS = ["billing", "network", "hardware", "accounts"]
KEYWORDS = [
    ["invoice", "refund", "charge"],
    ["wifi", "vpn", "router"],
    ["laptop", "screen", "printer"],
    ["password", "login", "locked"],
]
FILLER = ["my", "the", "is", "not", "working", "please", "help", "again", "today", "urgent"]
VOCAB = ["<pad>"] + FILLER + [w for words in KEYWORDS for w in words]
NUM_TAGS, URGENT_TAGS = 12, [0, 1, 2]


def make_data(n, seed):
    rng = np.random.default_rng(seed)
    department = rng.integers(0, len(DEPARTMENTS), n).astype("int32")
    titles, priority = [], np.zeros(n, "float32")
    tags = (rng.random((n, NUM_TAGS)) < 0.15).astype("float32")
    for i, d in enumerate(department):
        words = list(rng.choice(FILLER[:-1], rng.integers(2, 7))) + [rng.choice(KEYWORDS[d])]
        urgent = rng.random() < 0.3
        words += ["urgent"] if urgent else []
        rng.shuffle(words)
        titles.append([VOCAB.index(w) for w in words])
        priority[i] = min(1.0, 0.1 + 0.3 * tags[i, URGENT_TAGS].sum() + 0.4 * urgent)
    title_ids = keras.utils.pad_sequences(titles, maxlen=10, padding="post")
    return {"title": title_ids, "tags": tags}, {"priority": priority, "department": department}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="tiny data, one epoch")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)
    (x, y), (x_test, y_test) = make_data(128 if args.smoke else 3000, 0), make_data(300, 1)

    title = keras.Input(shape=(None,), dtype="int32", name="title")
    tags = keras.Input(shape=(NUM_TAGS,), name="tags")
    title_code = layers.GlobalAveragePooling1D()(
        layers.Embedding(len(VOCAB), 16, mask_zero=True)(title)
    )  # the mask skips the padding
    tags_code = layers.Dense(16, activation="relu")(tags)
    merged = layers.concatenate([title_code, tags_code])
    hidden = layers.Dense(32, activation="relu")(merged)
    priority = layers.Dense(1, activation="sigmoid", name="priority")(hidden)
    department = layers.Dense(len(DEPARTMENTS), name="department")(hidden)  # logits
    model = keras.Model(inputs=[title, tags], outputs=[priority, department])
    model.summary()

    model.compile(
        optimizer=keras.optimizers.Adam(5e-3),
        loss={
            "priority": "mse",
            "department": keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        },
        loss_weights={"priority": 1.0, "department": 0.2},
        metrics={"priority": ["mae"], "department": ["accuracy"]},
    )
    epochs = 1 if args.smoke else args.epochs
    history = model.fit(x, y, batch_size=32, epochs=epochs, validation_split=0.1, verbose=2)
    print("logged:", sorted(history.history))

    results = model.evaluate(x_test, y_test, return_dict=True, verbose=0)
    print({k: round(float(v), 3) for k, v in results.items()})
    pred_priority, pred_department = model.predict(x_test, verbose=0)
    for i in range(4):
        words = " ".join(VOCAB[t] for t in x_test["title"][i] if t)
        print(
            f"{words!r}: {DEPARTMENTS[pred_department[i].argmax()]}"
            f" (true {DEPARTMENTS[y_test['department'][i]]}), priority"
            f" {pred_priority[i, 0]:.2f} (true {y_test['priority'][i]:.2f})"
        )


if __name__ == "__main__":
    main()
