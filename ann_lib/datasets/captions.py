r"""Small scenes paired with their captions, and a tokenizer (``ann_lib.datasets``).

Chapter 9 (networks that describe photos). These scenes stand in for the
photographs of Show and Tell and of Karpathy and Fei-Fei: they are *not*
photographs, and a captioner that reads them says nothing about real images.
What they keep is the structure of the task: an image in, a sentence out, and
a sentence that has to name several things and how they are arranged.

A scene is a 32×32 RGB image on a dark, slightly noisy background with one to
three objects. Each object has a colour (red, green, blue, yellow, white), a
shape (circle, square, triangle) and a size (small, large); the objects stand
in different columns of a 3×3 grid (with a pixel or two of jitter) and in any
of its rows. The caption names the objects from left to right, and between
two neighbours says where the left one is relative to the right one: ``above``
(a higher row), ``below`` (a lower row) or ``left of`` (the same row)::

    a large red circle above a small blue square left of a small white triangle

The reading order is fixed, so every scene has exactly one caption.

Two held-out splits test two kinds of generalization:

- ``"test"``: new scenes from the training distribution;
- ``"compositional"``: every scene holds at least one colour–shape pair from
  :data:`HELD_OUT_PAIRS`, which never occur in the training split (each of
  their colours and shapes does occur, in other pairs).

This module imports only numpy; randomness comes from a seed or an explicit
``numpy.random.Generator``.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple, Sequence

import numpy as np

from ann_lib._validation import as_array, check_rng, positive_int, shape_str

__all__ = [
    "CAPTION_COLORS",
    "CAPTION_SHAPES",
    "CAPTION_SIZES",
    "HELD_OUT_PAIRS",
    "Tokenizer",
    "caption_splits",
    "caption_tokenizer",
    "make_caption_scenes",
]

#: Colour names and their RGB values in [0, 1].
CAPTION_COLORS: dict[str, tuple[float, float, float]] = {
    "red": (0.95, 0.15, 0.1),
    "green": (0.1, 0.8, 0.2),
    "blue": (0.2, 0.35, 1.0),
    "yellow": (0.95, 0.9, 0.1),
    "white": (0.95, 0.95, 0.95),
}
CAPTION_SHAPES: tuple[str, ...] = ("circle", "square", "triangle")
#: Size names and the object's half-width in pixels.
CAPTION_SIZES: dict[str, float] = {"small": 2.6, "large": 4.6}
#: Colour–shape pairs kept out of the training split; the compositional split is made of them.
HELD_OUT_PAIRS: tuple[tuple[str, str], ...] = (("red", "triangle"), ("green", "circle"), ("blue", "square"))

_IMAGE_SIZE = 32
_CELL_CENTERS = (5.5, 16.0, 26.5)  # the 3x3 grid's column (and row) centres, in pixels
_RELATIONS = {-1: "above", 0: "left of", 1: "below"}  # sign(row of left - row of right)
_YY, _XX = np.mgrid[0:_IMAGE_SIZE, 0:_IMAGE_SIZE] + 0.5  # pixel centres


class CaptionSet(NamedTuple):
    """Scenes and their captions: what :func:`make_caption_scenes` returns (a record, not an input).

    Attributes
    ----------
    images : (N, 32, 32, 3) float32 in [0, 1]
    captions : list of N str
    objects : list of N lists of (colour, shape, size, column, row), left to right
    """

    images: np.ndarray
    captions: list[str]
    objects: list[list[tuple[str, str, str, int, int]]]


def _draw(image: np.ndarray, shape: str, color: tuple[float, float, float], cx: float, cy: float, r: float) -> None:
    yy, xx = _YY, _XX
    if shape == "circle":
        mask = (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
    elif shape == "square":
        side = 0.85 * r  # about the circle's area
        mask = (np.abs(xx - cx) <= side) & (np.abs(yy - cy) <= side)
    else:  # triangle, pointing up
        top = cy - r
        mask = (yy >= top) & (yy <= cy + r) & (np.abs(xx - cx) <= (yy - top) / 2.0)
    image[mask] = color


def _caption(objects: Sequence[tuple[str, str, str, int, int]]) -> str:
    words = []
    for index, (color, shape, size, _, row) in enumerate(objects):
        if index > 0:
            words.append(_RELATIONS[int(np.sign(objects[index - 1][4] - row))])
        words += ["a", size, color, shape]
    return " ".join(words)


def make_caption_scenes(
    n: int,
    *,
    rng: np.random.Generator,
    pairs: Sequence[tuple[str, str]] | None = None,
    required_pairs: Sequence[tuple[str, str]] | None = None,
    noise: float = 0.03,
) -> CaptionSet:
    r"""Draw ``n`` scenes of one to three objects and caption them.

    Parameters
    ----------
    n : int
        Number of scenes.
    rng : numpy.random.Generator
    pairs : sequence of (colour, shape), optional
        The colour–shape pairs objects are drawn from (default: all 15).
    required_pairs : sequence of (colour, shape), optional
        If given, every scene holds at least one object with one of these pairs
        (the other objects come from ``pairs``).
    noise : float
        Standard deviation of the Gaussian pixel noise (clipped to [0, 1]).

    Returns
    -------
    CaptionSet
        ``images : (n, 32, 32, 3)`` float32, ``captions``, ``objects``.
    """
    n = positive_int(n, "n")
    rng = check_rng(rng, "make_caption_scenes")
    all_pairs = [(c, s) for c in CAPTION_COLORS for s in CAPTION_SHAPES]
    pairs = all_pairs if pairs is None else _check_pairs(pairs, "pairs")
    required = None if required_pairs is None else _check_pairs(required_pairs, "required_pairs")
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not 0 <= noise < 1:
        raise ValueError(f"noise must be a number in [0, 1), got {noise!r}")
    images = np.empty((n, _IMAGE_SIZE, _IMAGE_SIZE, 3), dtype=np.float32)
    captions, all_objects = [], []
    sizes = list(CAPTION_SIZES)
    for i in range(n):
        count = int(rng.integers(1, 4))
        columns = np.sort(rng.choice(3, size=count, replace=False))
        chosen = [pairs[j] for j in rng.integers(len(pairs), size=count)]
        if required is not None:
            chosen[int(rng.integers(count))] = required[int(rng.integers(len(required)))]
        image = rng.normal(0.05, noise, size=(_IMAGE_SIZE, _IMAGE_SIZE, 3)) if noise > 0 else np.full(
            (_IMAGE_SIZE, _IMAGE_SIZE, 3), 0.05)
        objects = []
        for (color, shape), column in zip(chosen, columns):
            size = sizes[int(rng.integers(2))]
            row = int(rng.integers(3))
            cx = _CELL_CENTERS[column] + rng.uniform(-1.0, 1.0)
            cy = _CELL_CENTERS[row] + rng.uniform(-1.0, 1.0)
            _draw(image, shape, CAPTION_COLORS[color], cx, cy, CAPTION_SIZES[size])
            objects.append((color, shape, size, int(column), row))
        if noise > 0:
            image += rng.normal(0.0, noise, size=image.shape) * (image > 0.2)  # a little texture on the objects
        images[i] = np.clip(image, 0.0, 1.0)
        captions.append(_caption(objects))
        all_objects.append(objects)
    return CaptionSet(images, captions, all_objects)


def _check_pairs(pairs: object, name: str) -> list[tuple[str, str]]:
    try:
        checked = [(str(c), str(s)) for c, s in pairs]  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a sequence of (colour, shape) pairs, got {pairs!r}") from None
    if not checked:
        raise ValueError(f"{name} must not be empty")
    for color, shape in checked:
        if color not in CAPTION_COLORS or shape not in CAPTION_SHAPES:
            raise ValueError(
                f"{name} holds ({color!r}, {shape!r}); colours are {', '.join(CAPTION_COLORS)}, "
                f"shapes {', '.join(CAPTION_SHAPES)}"
            )
    return checked


def caption_splits(
    n_train: int = 6000, n_test: int = 500, n_compositional: int = 500, *, seed: int = 0
) -> dict[str, CaptionSet]:
    """The chapter's three splits: ``"train"``, ``"test"`` and ``"compositional"``.

    ``train`` and ``test`` draw every object from the 12 colour–shape pairs not
    in :data:`HELD_OUT_PAIRS` (``test`` with a generator of its own, so its
    scenes are new draws; a simple scene's caption can also occur in
    ``train``). Every ``compositional`` scene holds at least one held-out pair.
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seen = [(c, s) for c in CAPTION_COLORS for s in CAPTION_SHAPES if (c, s) not in HELD_OUT_PAIRS]
    train_rng, test_rng, compositional_rng = (np.random.default_rng(r) for r in np.random.SeedSequence(int(seed)).spawn(3))
    return {
        "train": make_caption_scenes(positive_int(n_train, "n_train"), rng=train_rng, pairs=seen),
        "test": make_caption_scenes(positive_int(n_test, "n_test"), rng=test_rng, pairs=seen),
        "compositional": make_caption_scenes(
            positive_int(n_compositional, "n_compositional"), rng=compositional_rng, pairs=seen,
            required_pairs=HELD_OUT_PAIRS,
        ),
    }


class Tokenizer:
    """Words to integer ids and back, with four special tokens.

    Ids 0 to 3 are ``<pad>`` (fills a batch of captions to one length),
    ``<start>`` (the decoder's first input), ``<end>`` (the decoder's last
    output) and ``<unk>`` (any word outside the vocabulary); the words follow.

    Parameters
    ----------
    words : sequence of str
        The vocabulary (duplicates are dropped, the order kept).
    """

    PAD, START, END, UNK = "<pad>", "<start>", "<end>", "<unk>"
    SPECIALS = (PAD, START, END, UNK)

    def __init__(self, words: Sequence[str]):
        if isinstance(words, str) or not isinstance(words, (list, tuple)) or not all(isinstance(w, str) for w in words):
            raise TypeError(f"words must be a list of str, got {type(words).__name__}: {words!r:.80}")
        vocabulary = list(self.SPECIALS)
        for word in words:
            if word not in vocabulary:
                vocabulary.append(word)
        self.vocabulary: list[str] = vocabulary
        self.index: dict[str, int] = {w: i for i, w in enumerate(vocabulary)}
        self.pad_id, self.start_id, self.end_id, self.unk_id = range(4)

    @classmethod
    def from_captions(cls, captions: Sequence[str]) -> Tokenizer:
        """A tokenizer whose vocabulary is every word of ``captions``, in order of first use."""
        captions = _check_captions(captions, "captions")
        return cls([word for caption in captions for word in caption.split()])

    def __len__(self) -> int:
        return len(self.vocabulary)

    def encode(self, caption: str) -> list[int]:
        """``<start>``, the caption's word ids (``<unk>`` for unknown words), ``<end>``."""
        if not isinstance(caption, str):
            raise TypeError(f"caption must be a str, got {type(caption).__name__}")
        return [self.start_id] + [self.index.get(w, self.unk_id) for w in caption.split()] + [self.end_id]

    def encode_batch(self, captions: Sequence[str], length: int | None = None) -> np.ndarray:
        """``(N, length)`` int32 ids, each row ``encode(caption)`` padded with ``<pad>``.

        ``length`` defaults to the longest encoded caption; a shorter ``length``
        is an error (nothing is cut silently).
        """
        captions = _check_captions(captions, "captions")
        encoded = [self.encode(c) for c in captions]
        longest = max(len(e) for e in encoded)
        if length is None:
            length = longest
        elif positive_int(length, "length") < longest:
            raise ValueError(f"length={length} is shorter than the longest encoded caption ({longest} ids)")
        ids = np.full((len(encoded), length), self.pad_id, dtype=np.int32)
        for row, e in zip(ids, encoded):
            row[: len(e)] = e
        return ids

    def decode(self, ids: Sequence[int]) -> str:
        """Words for ``ids : (L,)``, one caption, up to the first ``<end>``, leaving out ``<pad>`` and ``<start>``.

        A batch ``(N, L)`` is an error (decode each row); so is an id outside the vocabulary.
        """
        array = as_array(ids, "ids")
        if array.ndim != 1:
            raise ValueError(f"ids must be the ids of one caption, shape (L,), got shape {shape_str(array.shape)}; "
                             "for a batch, decode each row: [tokenizer.decode(row) for row in ids]")
        words = []
        for i in array.tolist():
            if not isinstance(i, int) or not 0 <= i < len(self.vocabulary):
                raise ValueError(f"ids must be integers in [0, {len(self.vocabulary)}), got {i!r}")
            if i == self.end_id:
                break
            if i not in (self.pad_id, self.start_id):
                words.append(self.vocabulary[i])
        return " ".join(words)

    def __repr__(self) -> str:
        return f"Tokenizer({len(self.vocabulary)} tokens)"


def _check_captions(captions: object, name: str) -> list[str]:
    if isinstance(captions, str):
        raise TypeError(f"{name} must be a sequence of str, got one str; wrap it in a list")
    try:
        captions = list(captions)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(f"{name} must be a sequence of str, got {type(captions).__name__}") from None
    if not captions:
        raise ValueError(f"{name} must not be empty")
    for index, caption in enumerate(captions):
        if not isinstance(caption, str):
            raise TypeError(f"{name} must hold str, got {type(caption).__name__} at index {index}")
    return captions


def caption_tokenizer() -> Tokenizer:
    """The tokenizer of every word a caption of :func:`make_caption_scenes` can hold (19 tokens)."""
    return Tokenizer(["a", *CAPTION_SIZES, *CAPTION_COLORS, *CAPTION_SHAPES, "above", "below", "left", "of"])
