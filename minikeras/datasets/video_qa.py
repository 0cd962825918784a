"""Generated video question-answering clips: no download, the same data for the same seed.

Each clip shows one coloured shape (a square or a disc) on a dark, noisy background. Over the
clip the shape changes in two independent ways: it grows or shrinks, and it fades in (appears) or
fades out (vanishes); its start size, brightness and place are random. Each clip comes with one
question in words:

- change questions ("is the square growing or shrinking ?", "is the disc appearing or
  vanishing ?") need the whole clip: a single frame shows a size and a brightness, not which way
  they go (the "is she packing or unpacking?" of the original demo);
- colour questions ("what colour is the disc ?") can be answered from any single frame (the
  "what colour is her shirt?").

The changes are ones a CNN ending in global average pooling can see frame by frame (the amount
and strength of colour), so the LSTM over the frame codes has what it needs; a plain left/right
movement would be invisible after global pooling.

Questions are token ids (0 is padding, at the end), so `Embedding(mask_zero=True)` masks it.

>>> from minikeras.datasets import video_qa
>>> (x_train, y_train), (x_test, y_test) = video_qa.load_data(num_train=8, num_test=4, frames=4,
...                                                           size=16)
>>> x_train[0].shape, x_train[1].dtype.name, y_train.shape
((8, 4, 16, 16, 3), 'int32', (8,))
"""

import numpy as np

ANSWERS = ["growing", "shrinking", "appearing", "vanishing", "red", "green", "blue", "yellow"]
"""Answer words; `y` holds indices into this list."""

SIZE_ANSWERS = ANSWERS[:2]
FADE_ANSWERS = ANSWERS[2:4]
CHANGE_ANSWERS = ANSWERS[:4]
COLOUR_ANSWERS = ANSWERS[4:]
SHAPES = ["square", "disc"]
_COLOURS = {
    "red": (0.9, 0.15, 0.1),
    "green": (0.15, 0.8, 0.2),
    "blue": (0.15, 0.3, 0.95),
    "yellow": (0.95, 0.85, 0.1),
}
_SIZE_TEMPLATES = [
    "is the {shape} growing or shrinking ?",
    "does the {shape} get bigger or smaller ?",
    "how is the size of the {shape} changing ?",
]
_FADE_TEMPLATES = [
    "is the {shape} appearing or vanishing ?",
    "is the {shape} fading in or fading out ?",
    "does the {shape} get brighter or darker ?",
]
_COLOUR_TEMPLATES = [
    "what colour is the {shape} ?",
    "what is the colour of the {shape} ?",
    "which colour does the {shape} have ?",
]
_ALL_TEMPLATES = _SIZE_TEMPLATES + _FADE_TEMPLATES + _COLOUR_TEMPLATES


def get_word_index():
    """The question vocabulary: word -> token id (ids start at 1; 0 is padding).

    Returns:
        A dict of word -> token id.

    >>> from minikeras.datasets import video_qa
    >>> video_qa.get_word_index()["colour"] > 0
    True
    """
    words = set()
    for template in _ALL_TEMPLATES:
        for shape in SHAPES:
            words.update(template.format(shape=shape).split())
    return {w: i + 1 for i, w in enumerate(sorted(words))}


def question_type(y):
    """`"change"` (needs the whole clip) or `"colour"` for each answer index in `y`.

    Args:
        y: answer indices into `ANSWERS` (a numpy array or list).

    Returns:
        A numpy array of `"change"` or `"colour"` strings.

    >>> from minikeras.datasets import video_qa
    >>> video_qa.question_type([0, 5]).tolist()
    ['change', 'colour']
    """
    y = np.asarray(y)
    return np.where(y < len(CHANGE_ANSWERS), "change", "colour")


def decode_question(tokens):
    """Token ids back to the question text (padding dropped).

    Args:
        tokens: a sequence of token ids.

    Returns:
        The question as a string.

    >>> from minikeras.datasets import video_qa
    >>> ids = [video_qa.get_word_index()[w] for w in "what colour is the disc ?".split()]
    >>> video_qa.decode_question(ids + [0, 0])
    'what colour is the disc ?'
    """
    index = {i: w for w, i in get_word_index().items()}
    return " ".join(index[int(t)] for t in tokens if int(t) != 0)


def _clip(rng, frames, size, shape, colour_name, growing, appearing):
    small, large = max(1.0, size / 16), size / 4.5
    r0, r1 = (small, large) if growing else (large, small)
    jitter = rng.uniform(-0.15, 0.15) * (large - small)
    r0, r1 = r0 + jitter, r1 + jitter
    b0, b1 = (0.3, 1.0) if appearing else (1.0, 0.3)
    shift = rng.uniform(-0.1, 0.1)
    b0, b1 = b0 + shift, b1 + shift
    margin = int(np.ceil(large)) + 1
    cy, cx = rng.uniform(margin, size - 1 - margin, size=2)
    colour = np.clip(np.array(_COLOURS[colour_name]) + rng.normal(0, 0.05, 3), 0, 1)
    video = rng.uniform(0.0, 0.1, size=(frames, size, size, 3)).astype("float32")
    yy, xx = np.mgrid[0:size, 0:size]
    for t in range(frames):
        a = t / max(frames - 1, 1)
        radius = r0 + (r1 - r0) * a
        if shape == "square":
            inside = (np.abs(yy - cy) <= radius) & (np.abs(xx - cx) <= radius)
        else:
            inside = (yy - cy) ** 2 + (xx - cx) ** 2 <= radius**2
        video[t][inside] = np.clip(colour * (b0 + (b1 - b0) * a), 0.0, 1.0)
    return video


def _question(rng, word_index, templates, shape, max_len):
    words = templates[rng.integers(len(templates))].format(shape=shape).split()
    tokens = np.zeros(max_len, dtype="int32")
    tokens[: len(words)] = [word_index[w] for w in words]
    return tokens


def _make(n, rng, frames, size, word_index, max_len):
    videos = np.empty((n, frames, size, size, 3), dtype="float32")
    questions = np.empty((n, max_len), dtype="int32")
    answers = np.empty(n, dtype="int32")
    for i in range(n):
        shape = SHAPES[rng.integers(2)]
        colour = COLOUR_ANSWERS[rng.integers(4)]
        growing, appearing = bool(rng.integers(2)), bool(rng.integers(2))
        kind = rng.integers(4)  # half the questions ask about a change, half about colour
        videos[i] = _clip(rng, frames, size, shape, colour, growing, appearing)
        if kind == 0:
            questions[i] = _question(rng, word_index, _SIZE_TEMPLATES, shape, max_len)
            answers[i] = ANSWERS.index("growing" if growing else "shrinking")
        elif kind == 1:
            questions[i] = _question(rng, word_index, _FADE_TEMPLATES, shape, max_len)
            answers[i] = ANSWERS.index("appearing" if appearing else "vanishing")
        else:
            questions[i] = _question(rng, word_index, _COLOUR_TEMPLATES, shape, max_len)
            answers[i] = ANSWERS.index(colour)
    return [videos, questions], answers


def load_data(num_train=2000, num_test=400, frames=8, size=32, seed=1337):
    """Generates the clips, questions and answers.

    Args:
        num_train, num_test: number of clips in each split.
        frames: frames per clip.
        size: frame height and width in pixels.
        seed: the generator seed; the same seed gives the same data.

    Returns:
        `(x_train, y_train), (x_test, y_test)` where each `x` is `[videos, questions]`:
        videos float32 `(n, frames, size, size, 3)` in [0, 1], questions int32 `(n, max_len)`
        token ids padded with 0 at the end; `y` int32 indices into `ANSWERS`.

    >>> from minikeras.datasets import video_qa
    >>> (x_train, y_train), (x_test, y_test) = video_qa.load_data(num_train=4, num_test=2, frames=3,
    ...                                                           size=8)
    >>> videos, questions = x_train
    >>> videos.shape, questions.shape[0], y_test.shape
    ((4, 3, 8, 8, 3), 4, (2,))
    """
    for name, value in (("num_train", num_train), ("num_test", num_test), ("frames", frames)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(
                f"video_qa.load_data: {name} must be a positive int. Received {value!r}"
            )
    if size < 8:
        raise ValueError(f"video_qa.load_data: size must be at least 8 pixels. Received {size!r}")
    word_index = get_word_index()
    max_len = max(len(t.format(shape=s).split()) for t in _ALL_TEMPLATES for s in SHAPES)
    rng = np.random.default_rng(seed)
    train = _make(num_train, rng, frames, size, word_index, max_len)
    test = _make(num_test, rng, frames, size, word_index, max_len)
    return train, test
