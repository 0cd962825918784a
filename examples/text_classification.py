"""Text classification: Embedding(mask_zero=True) + Bidirectional(LSTM) on variable-length reviews.

Shows padded integer sequences (`keras.utils.pad_sequences`), masking of the padding through
`Embedding(mask_zero=True)`, a `Bidirectional(LSTM)` encoder and a sigmoid output trained with
`binary_crossentropy`. The data is generated: "reviews" of 6-30 words drawn from positive,
negative and neutral words, where "not" flips the word after it, so word order matters. About
30-60 s on 2 CPU cores; `--imdb` trains on the IMDB reviews instead (downloads them once),
`--smoke` runs a tiny version in a few seconds.

    python examples/text_classification.py [--epochs 4] [--imdb] [--smoke]
"""

import argparse

import numpy as np

import minikeras as keras
from minikeras import layers

POSITIVE = ["good", "great", "fun", "superb", "moving", "clever", "lovely", "brilliant"]
NEGATIVE = ["bad", "dull", "boring", "awful", "silly", "weak", "tedious", "poor"]
NEUTRAL = ["the", "film", "a", "plot", "and", "actors", "was", "is", "story", "it", "very", "of"]
WORDS = ["<pad>"] + POSITIVE + NEGATIVE + NEUTRAL + ["not"]
INDEX = {w: i for i, w in enumerate(WORDS)}  # 0 is padding


def make_review(rng):
    """Token ids and a label: 1 when the (negation-aware) sentiment words are mostly positive."""
    words, score = [], 0
    for _ in range(rng.integers(6, 31)):
        kind = rng.choice(["pos", "neg", "neutral"], p=[0.15, 0.15, 0.7])
        if kind == "neutral":
            words.append(rng.choice(NEUTRAL))
            continue
        negate = rng.random() < 0.3
        words += ["not"] if negate else []
        words.append(rng.choice(POSITIVE if kind == "pos" else NEGATIVE))
        score += (1 if kind == "pos" else -1) * (-1 if negate else 1)
    if score == 0:  # break ties with one more plain sentiment word
        words.append(rng.choice(POSITIVE + NEGATIVE))
        score = 1 if words[-1] in POSITIVE else -1
    return [INDEX[w] for w in words], int(score > 0)


def make_data(n, seed, maxlen=32):
    rng = np.random.default_rng(seed)
    reviews, labels = zip(*(make_review(rng) for _ in range(n)))
    return keras.utils.pad_sequences(reviews, maxlen=maxlen), np.array(labels, "float32")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--imdb", action="store_true", help="train on IMDB (downloads it)")
    parser.add_argument("--smoke", action="store_true", help="tiny data, one epoch")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    if args.imdb:
        vocab_size, maxlen = 10000, 200
        (x, y), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=vocab_size)
        x, x_test = (keras.utils.pad_sequences(s, maxlen=maxlen) for s in (x, x_test))
        y, y_test = y.astype("float32"), y_test.astype("float32")
    else:
        vocab_size, n = len(WORDS), 96 if args.smoke else 4000
        (x, y), (x_test, y_test) = make_data(n, seed=0), make_data(max(32, n // 4), seed=1)
    epochs = 1 if args.smoke else args.epochs

    inputs = keras.Input(shape=(None,), dtype="int32")
    h = layers.Embedding(vocab_size, 32, mask_zero=True)(inputs)
    h = layers.Bidirectional(layers.LSTM(32))(h)
    h = layers.Dropout(0.2)(h)
    outputs = layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.summary()
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy", metrics=["accuracy"]
    )
    model.fit(x, y, batch_size=64, epochs=epochs, validation_split=0.1)

    loss, acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"test accuracy: {acc:.3f} (loss {loss:.3f})")
    if not args.imdb:
        for sentence in [
            "the film was not good",
            "not boring and very clever",
            "a dull plot and weak actors",
            "it is not bad",
        ]:
            tokens = np.array([[INDEX[w] for w in sentence.split()]], "int32")
            p = float(model.predict(tokens, verbose=0)[0, 0])
            print(f"{sentence!r}: {'positive' if p > 0.5 else 'negative'} ({p:.2f})")


if __name__ == "__main__":
    main()
