"""Generated video question-answering clips: no download, the same data for the same seed.

Each clip shows one coloured shape (a square or a disc) on a dark, noisy background, moving
steadily left, right, up or down. Each clip comes with one question in words:

- motion questions ("which way does the square move ?") need the whole clip: one frame shows
  where the shape is, not where it goes (the "is she packing or unpacking?" of the original demo);
- colour questions ("what colour is the disc ?") can be answered from any single frame (the
  "what colour is her shirt?").

Questions are token ids (0 is padding, at the end), so `Embedding(mask_zero=True)` masks it.

>>> from minikeras.datasets import video_qa
>>> (x_train, y_train), (x_test, y_test) = video_qa.load_data(num_train=8, num_test=4, frames=4,
...                                                           size=16)
>>> x_train[0].shape, x_train[1].dtype.name, y_train.shape
((8, 4, 16, 16, 3), 'int32', (8,))
"""

import numpy as np

ANSWERS = ["left", "right", "up", "down", "red", "green", "blue", "yellow"]
"""Answer words; `y` holds indices into this list."""

MOTION_ANSWERS = ANSWERS[:4]
COLOUR_ANSWERS = ANSWERS[4:]
SHAPES = ["square", "disc"]
_COLOURS = {
    "red": (0.9, 0.15, 0.1),
    "green": (0.15, 0.8, 0.2),
    "blue": (0.15, 0.3, 0.95),
    "yellow": (0.95, 0.85, 0.1),
}
_MOTION_TEMPLATES = [
    "which way does the {shape} move ?",
    "where is the {shape} going ?",
    "in which direction is the {shape} moving ?",
    "is the {shape} moving left right up or down ?",
]
_COLOUR_TEMPLATES = [
    "what colour is the {shape} ?",
    "what is the colour of the {shape} ?",
    "which colour does the {shape} have ?",
]
_STEPS = {"left": (0, -1), "right": (0, 1), "up": (-1, 0), "down": (1, 0)}


def get_word_index():
    """The question vocabulary: word -> token id (ids start at 1; 0 is padding)."""
    words = set()
    for template in _MOTION_TEMPLATES + _COLOUR_TEMPLATES:
        for shape in SHAPES:
            words.update(template.format(shape=shape).split())
    return {w: i + 1 for i, w in enumerate(sorted(words))}


def question_type(y):
    """`"motion"` or `"colour"` for each answer index in `y` (a numpy array)."""
    y = np.asarray(y)
    return np.where(y < len(MOTION_ANSWERS), "motion", "colour")


def decode_question(tokens):
    """Token ids back to the question text (padding dropped)."""
    index = {i: w for w, i in get_word_index().items()}
    return " ".join(index[int(t)] for t in tokens if int(t) != 0)


def _draw(frame, shape, cy, cx, radius, colour):
    size = frame.shape[0]
    yy, xx = np.mgrid[0:size, 0:size]
    if shape == "square":
        inside = (np.abs(yy - cy) <= radius) & (np.abs(xx - cx) <= radius)
    else:
        inside = (yy - cy) ** 2 + (xx - cx) ** 2 <= (radius + 0.5) ** 2
    frame[inside] = colour


def _clip(rng, frames, size, shape, colour_name, direction):
    radius = max(1, size // 10)
    speed = max(1.0, (size - 4 * radius - 2) / max(frames - 1, 1))
    dy, dx = _STEPS[direction]
    travel = speed * (frames - 1)
    lo, hi = radius + 1, size - radius - 2

    def start(delta):
        if delta > 0:
            return rng.uniform(lo, max(lo, hi - travel))
        if delta < 0:
            return rng.uniform(min(hi, lo + travel), hi)
        return rng.uniform(lo, hi)

    y0, x0 = start(dy), start(dx)
    colour = np.clip(np.array(_COLOURS[colour_name]) + rng.normal(0, 0.05, 3), 0, 1)
    video = rng.uniform(0.0, 0.12, size=(frames, size, size, 3)).astype("float32")
    for t in range(frames):
        _draw(video[t], shape, round(y0 + dy * speed * t), round(x0 + dx * speed * t), radius, colour)
    return video


def _question(rng, word_index, motion, shape, max_len):
    templates = _MOTION_TEMPLATES if motion else _COLOUR_TEMPLATES
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
        direction = MOTION_ANSWERS[rng.integers(4)]
        motion = bool(rng.integers(2))
        videos[i] = _clip(rng, frames, size, shape, colour, direction)
        questions[i] = _question(rng, word_index, motion, shape, max_len)
        answers[i] = ANSWERS.index(direction if motion else colour)
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
    """
    for name, value in (("num_train", num_train), ("num_test", num_test), ("frames", frames)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"video_qa.load_data: {name} must be a positive int. Received {value!r}")
    if size < 8:
        raise ValueError(f"video_qa.load_data: size must be at least 8 pixels. Received {size!r}")
    word_index = get_word_index()
    max_len = max(len(t.format(shape=s).split()) for t in _MOTION_TEMPLATES + _COLOUR_TEMPLATES
                  for s in SHAPES)
    rng = np.random.default_rng(seed)
    train = _make(num_train, rng, frames, size, word_index, max_len)
    test = _make(num_test, rng, frames, size, word_index, max_len)
    return train, test
