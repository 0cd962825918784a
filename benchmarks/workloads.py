"""The five benchmark workloads: synthetic data, the Keras-API model and its PyTorch twin.

`build_keras(keras, name)` is the one model definition shared by minikeras and Keras 3: it is
called with `keras` bound to `minikeras` or to `keras` and uses only the public Keras 3 API.
`build_torch(torch, name)` builds the same architecture in plain `torch.nn` (channels-first), with
the same parameter count except the LSTMs, where PyTorch keeps two bias vectors (b_ih and b_hh)
and so has 4 * units more parameters per LSTM.

This module imports nothing heavy at module level: the harness imports it from both interpreters
(this repo's and the anchors' venv) and only the worker process touches numpy/torch/keras.
"""

SEED = 1234
LEARNING_RATE = 1e-3
ADAM_EPSILON = 1e-7  # Keras's default; torch.optim.Adam is given the same value

LSTM_STEPS, LSTM_VOCAB = 80, 10000
VQA_FRAMES, VQA_SIZE, VQA_QUESTION_LENGTH, VQA_VOCAB = 8, 32, 12, 100
# keras.io's text-classification encoder block, as ../shared/bench/anchors.py builds it
TF_STEPS, TF_VOCAB, TF_DIM, TF_HEADS, TF_FF = 128, 20000, 64, 4, 128

# name -> batch size and Keras parameter count (the torch twin adds 4 * units per LSTM)
WORKLOADS = {
    "mlp": {"batch": 128, "params": 669_706, "torch_params": 669_706},
    "cnn": {"batch": 64, "params": 225_034, "torch_params": 225_034},
    "lstm": {"batch": 64, "params": 1_411_713, "torch_params": 1_411_713 + 4 * 128},
    "videoqa": {"batch": 8, "params": 48_298, "torch_params": 48_298 + 4 * 64 + 4 * 32},
    "transformer": {"batch": 32, "params": 1_313_602, "torch_params": 1_313_602},
}


def make_batches(name, n_batches, seed=SEED):
    """Synthetic data: a list of (inputs, labels) batches in Keras layout (channels last).

    `inputs` is one array for single-input models and `[video, question]` for videoqa. Token
    sequences are post-padded with 0 (the `mask_zero` value), as `pad_sequences(padding="post")`
    leaves them; most lstm reviews fill all 80 steps, as IMDB reviews cut to 80 tokens do.
    """
    import numpy as np

    batch = WORKLOADS[name]["batch"]
    n = batch * n_batches
    rng = np.random.default_rng(seed)

    def padded_tokens(length, vocab, lengths):
        tokens = rng.integers(1, vocab, size=(n, length), dtype=np.int64).astype(np.int32)
        tokens[np.arange(length)[None, :] >= lengths[:, None]] = 0
        return tokens

    if name == "mlp":
        x = rng.standard_normal((n, 784)).astype(np.float32)
        y = rng.integers(0, 10, size=n).astype(np.int32)
    elif name == "cnn":
        x = rng.random((n, 28, 28, 1)).astype(np.float32)
        y = rng.integers(0, 10, size=n).astype(np.int32)
    elif name == "lstm":
        short = rng.random(n) < 0.3
        lengths = np.where(short, rng.integers(8, LSTM_STEPS, size=n), LSTM_STEPS)
        x = padded_tokens(LSTM_STEPS, LSTM_VOCAB, lengths)
        y = rng.integers(0, 2, size=(n, 1)).astype(np.float32)
    elif name == "videoqa":
        video = rng.random((n, VQA_FRAMES, VQA_SIZE, VQA_SIZE, 3)).astype(np.float32)
        lengths = rng.integers(3, VQA_QUESTION_LENGTH + 1, size=n)
        question = padded_tokens(VQA_QUESTION_LENGTH, VQA_VOCAB, lengths)
        y = rng.integers(0, 10, size=n).astype(np.int32)
        x = [video, question]
    elif name == "transformer":
        x = rng.integers(0, TF_VOCAB, size=(n, TF_STEPS), dtype=np.int64).astype(np.int32)
        y = rng.integers(0, 2, size=n).astype(np.int32)
    else:
        raise ValueError(
            f"Unknown workload. Expected one of {sorted(WORKLOADS)}. Received: {name!r}"
        )

    def part(a, i):
        return a[i * batch : (i + 1) * batch]

    if isinstance(x, list):
        return [([part(a, i) for a in x], part(y, i)) for i in range(n_batches)]
    return [(part(x, i), part(y, i)) for i in range(n_batches)]


def build_keras(keras, name):
    """The workload's functional model, written against the public Keras 3 API only."""
    layers = keras.layers
    if name == "mlp":
        x = keras.Input(shape=(784,))
        h = layers.Dense(512, activation="relu")(x)
        h = layers.Dense(512, activation="relu")(h)
        return keras.Model(x, layers.Dense(10)(h))
    if name == "cnn":
        x = keras.Input(shape=(28, 28, 1))
        h = layers.Conv2D(32, 3, activation="relu")(x)
        h = layers.MaxPooling2D(2)(h)
        h = layers.Conv2D(64, 3, activation="relu")(h)
        h = layers.MaxPooling2D(2)(h)
        h = layers.Flatten()(h)
        h = layers.Dense(128, activation="relu")(h)
        return keras.Model(x, layers.Dense(10)(h))
    if name == "lstm":
        tokens = keras.Input(shape=(LSTM_STEPS,), dtype="int32")
        h = layers.Embedding(LSTM_VOCAB, 128, mask_zero=True)(tokens)
        h = layers.LSTM(128)(h)
        return keras.Model(tokens, layers.Dense(1, activation="sigmoid")(h))
    if name == "videoqa":
        frame = keras.Input(shape=(VQA_SIZE, VQA_SIZE, 3))
        f = layers.Conv2D(16, 3, activation="relu")(frame)
        f = layers.MaxPooling2D(2)(f)
        f = layers.Conv2D(32, 3, activation="relu")(f)
        frame_encoder = keras.Model(frame, layers.GlobalAveragePooling2D()(f))

        video = keras.Input(shape=(VQA_FRAMES, VQA_SIZE, VQA_SIZE, 3))
        v = layers.LSTM(64)(layers.TimeDistributed(frame_encoder)(video))
        question = keras.Input(shape=(VQA_QUESTION_LENGTH,), dtype="int32")
        q = layers.Embedding(VQA_VOCAB, 32, mask_zero=True)(question)
        q = layers.LSTM(32)(q)
        h = layers.Concatenate()([v, q])
        h = layers.Dense(64, activation="relu")(h)
        return keras.Model([video, question], layers.Dense(10)(h))
    if name == "transformer":  # no position embedding and no mask, as the anchors' block
        tokens = keras.Input(shape=(TF_STEPS,), dtype="int32")
        h = layers.Embedding(TF_VOCAB, TF_DIM)(tokens)
        a = layers.MultiHeadAttention(num_heads=TF_HEADS, key_dim=TF_DIM // TF_HEADS)(h, h)
        h = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([h, a]))
        f = layers.Dense(TF_DIM)(layers.Dense(TF_FF, activation="relu")(h))
        h = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([h, f]))
        h = layers.GlobalAveragePooling1D()(h)
        return keras.Model(tokens, layers.Dense(2)(h))
    raise ValueError(f"Unknown workload. Expected one of {sorted(WORKLOADS)}. Received: {name!r}")


def compile_keras(keras, model, name):
    """Adam(1e-3) and the workload's loss, through `model.compile`."""
    if name == "lstm":
        loss = keras.losses.BinaryCrossentropy()
    else:
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE), loss=loss)


def build_torch(torch, name):
    """(module, loss_fn) of the same architecture in plain PyTorch (channels first)."""
    nn = torch.nn

    def at_last_token(outputs, tokens):
        # Keras's mask_zero LSTM returns the state after the last unmasked step. With post-padded
        # tokens that is the output at index (number of non-zero tokens - 1); running the padded
        # tail costs the same work Keras does, and nothing after it reaches the result.
        last = (tokens != 0).sum(dim=1).clamp(min=1) - 1
        return outputs[torch.arange(outputs.shape[0]), last]

    if name == "mlp":
        model = nn.Sequential(
            nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)
        )
        return model, nn.CrossEntropyLoss()
    if name == "cnn":
        model = nn.Sequential(
            nn.Conv2d(1, 32, 3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(5 * 5 * 64, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )
        return model, nn.CrossEntropyLoss()
    if name == "lstm":

        class Sentiment(nn.Module):
            def __init__(self):
                super().__init__()
                self.embedding = nn.Embedding(LSTM_VOCAB, 128)
                self.lstm = nn.LSTM(128, 128, batch_first=True)
                self.head = nn.Linear(128, 1)

            def forward(self, tokens):
                outputs, _ = self.lstm(self.embedding(tokens))
                return torch.sigmoid(self.head(at_last_token(outputs, tokens)))

        return Sentiment(), nn.BCELoss()
    if name == "videoqa":

        class VideoQA(nn.Module):
            def __init__(self):
                super().__init__()
                self.frames = nn.Sequential(
                    nn.Conv2d(3, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3), nn.ReLU()
                )
                self.video_lstm = nn.LSTM(32, 64, batch_first=True)
                self.embedding = nn.Embedding(VQA_VOCAB, 32)
                self.question_lstm = nn.LSTM(32, 32, batch_first=True)
                self.hidden = nn.Linear(64 + 32, 64)
                self.answer = nn.Linear(64, 10)

            def forward(self, video, question):
                b, t = video.shape[:2]
                per_frame = self.frames(video.flatten(0, 1)).mean(dim=(2, 3))  # (b * t, 32)
                v, _ = self.video_lstm(per_frame.view(b, t, -1))
                q, _ = self.question_lstm(self.embedding(question))
                h = torch.cat([v[:, -1], at_last_token(q, question)], dim=1)
                return self.answer(torch.relu(self.hidden(h)))

        return VideoQA(), nn.CrossEntropyLoss()
    if name == "transformer":

        class Encoder(nn.Module):
            def __init__(self):
                super().__init__()
                self.embedding = nn.Embedding(TF_VOCAB, TF_DIM)
                self.attention = nn.MultiheadAttention(TF_DIM, TF_HEADS, batch_first=True)
                self.norm1 = nn.LayerNorm(TF_DIM, eps=1e-6)
                self.ff1, self.ff2 = nn.Linear(TF_DIM, TF_FF), nn.Linear(TF_FF, TF_DIM)
                self.norm2 = nn.LayerNorm(TF_DIM, eps=1e-6)
                self.head = nn.Linear(TF_DIM, 2)

            def forward(self, tokens):
                h = self.embedding(tokens)
                a, _ = self.attention(h, h, h, need_weights=False)
                h = self.norm1(h + a)
                h = self.norm2(h + self.ff2(torch.relu(self.ff1(h))))
                return self.head(h.mean(dim=1))

        return Encoder(), nn.CrossEntropyLoss()
    raise ValueError(f"Unknown workload. Expected one of {sorted(WORKLOADS)}. Received: {name!r}")


def to_torch_batch(torch, name, inputs, labels):
    """Keras-layout numpy batch -> (list of torch inputs in NCHW, torch labels)."""
    import numpy as np

    arrays = inputs if isinstance(inputs, list) else [inputs]
    if name == "cnn":
        arrays = [arrays[0].transpose(0, 3, 1, 2)]  # NHWC -> NCHW
    elif name == "videoqa":
        arrays = [
            arrays[0].transpose(0, 1, 4, 2, 3),
            arrays[1],
        ]  # (b, t, h, w, c) -> (b, t, c, h, w)

    def tensor(a):
        a = np.ascontiguousarray(a)
        return torch.from_numpy(a.astype(np.int64) if a.dtype.kind == "i" else a)

    return [tensor(a) for a in arrays], tensor(labels)
