"""Small RGB scenes with boxes, standing in for ImageNet (chapter 8).

ImageNet is 1.2 million photographs; the book builds offline in minutes, so chapter 8
trains on scenes drawn here instead. Each object is one of six shapes (square, disc,
triangle, cross, ring, diamond) in one of two colours (red, blue): twelve classes.
An object's width and height, its position and its exact hue vary from scene to scene;
the background is a random colour gradient with small blobs and line segments of
random colours, plus pixel noise. The box of an object is the tight box of its pixels.

- :func:`make_scenes`: one object per scene, for classification (CLS) and localization (LOC);
- :func:`make_detection_scenes`: several objects per scene, for detection (DET).

Images are ``float32`` in ``[0, 1]``, NHWC; boxes are ``(x_min, y_min, x_max, y_max)`` in
pixels, with the pixel in column ``j`` covering ``j <= x < j + 1``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ann_lib._validation import check_rng, positive_int

__all__ = ["SCENE_CLASSES", "DetectionScenes", "Scenes", "make_detection_scenes", "make_scenes"]

_SHAPES = ("square", "disc", "triangle", "cross", "ring", "diamond")
_COLOURS = {"red": (0.90, 0.12, 0.10), "blue": (0.10, 0.25, 0.95)}
SCENE_CLASSES: tuple[str, ...] = tuple(f"{colour} {shape}" for colour in _COLOURS for shape in _SHAPES)
"""The twelve class names; class ``c`` is ``SCENE_CLASSES[c]``, e.g. 0 is ``"red square"``."""


class Scenes(NamedTuple):
    """One object per scene. ``images : (N, S, S, 3)``, ``labels : (N,)``, ``boxes : (N, 4)``."""

    images: np.ndarray
    labels: np.ndarray
    boxes: np.ndarray


class DetectionScenes(NamedTuple):
    """Several objects per scene. ``images : (N, S, S, 3)``; ``labels[i] : (M_i,)``, ``boxes[i] : (M_i, 4)``."""

    images: np.ndarray
    labels: list[np.ndarray]
    boxes: list[np.ndarray]


def _shape_mask(shape: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The shape in normalized coordinates: ``u, v`` run from -1 to 1 across its box."""
    inside = (np.abs(u) <= 1) & (np.abs(v) <= 1)
    if shape == "square":
        return inside
    radius = np.hypot(u, v)
    if shape == "disc":
        return radius <= 1
    if shape == "ring":
        return (radius <= 1) & (radius >= 0.55)
    if shape == "triangle":  # apex at the top, base at the bottom
        return inside & (np.abs(u) <= (v + 1) / 2)
    if shape == "cross":
        return inside & ((np.abs(u) <= 0.34) | (np.abs(v) <= 0.34))
    return np.abs(u) + np.abs(v) <= 1  # diamond


def _background(size: int, rng: np.random.Generator) -> np.ndarray:
    """A colour gradient, small blobs and line segments of random colours, and pixel noise."""
    y, x = np.mgrid[0:size, 0:size] / size
    corner, slope_x, slope_y = rng.uniform(0.15, 0.65, 3), rng.uniform(-0.3, 0.3, 3), rng.uniform(-0.3, 0.3, 3)
    image = corner + x[..., None] * slope_x + y[..., None] * slope_y
    centres = np.arange(size) + 0.5
    for _ in range(rng.integers(3, 7)):  # blobs up to 4 pixels across
        cx, cy = rng.uniform(0, size, 2)
        r = rng.uniform(1.0, 2.0)
        blob = (centres[None, :] - cx) ** 2 + (centres[:, None] - cy) ** 2 <= r * r
        image[blob] = rng.uniform(0, 1, 3)
    for _ in range(rng.integers(1, 4)):  # thin line segments
        x0, y0, x1, y1 = rng.uniform(0, size, 4)
        t = np.linspace(0, 1, 2 * size)
        columns = np.clip((x0 + t * (x1 - x0)).astype(int), 0, size - 1)
        rows = np.clip((y0 + t * (y1 - y0)).astype(int), 0, size - 1)
        image[rows, columns] = rng.uniform(0, 1, 3)
    return image + rng.normal(0.0, 0.04, image.shape)


def _draw(image: np.ndarray, label: int, box: tuple[float, float, float, float], rng: np.random.Generator) -> np.ndarray:
    """Paint object ``label`` into the box (centre x, centre y, width, height); return its tight box."""
    size = image.shape[0]
    cx, cy, w, h = box
    centres = np.arange(size) + 0.5
    u = (centres[None, :] - cx) / (w / 2)
    v = (centres[:, None] - cy) / (h / 2)
    mask = _shape_mask(_SHAPES[label % len(_SHAPES)], u, v)
    colour = np.array(list(_COLOURS.values())[label // len(_SHAPES)])
    colour = np.clip(colour + rng.uniform(-0.1, 0.1, 3), 0, 1)
    shading = 1 + 0.15 * (u + v)[..., None] / 2  # a little light from one side
    image[mask] = np.clip(colour * shading, 0, 1)[mask]
    rows, columns = np.nonzero(mask)
    return np.array([columns.min(), rows.min(), columns.max() + 1, rows.max() + 1], dtype=np.float32)


def _check_size(size: object) -> int:
    size = positive_int(size, "size")
    if size < 16:
        raise ValueError(f"size must be at least 16 pixels, got {size}")
    return size


def _check_classes(n_classes: object) -> int:
    n_classes = positive_int(n_classes, "n_classes")
    if n_classes > len(SCENE_CLASSES):
        raise ValueError(f"n_classes must lie in 1..{len(SCENE_CLASSES)}, got {n_classes}")
    return n_classes


def _random_box(size: int, rng: np.random.Generator, smallest: float, largest: float) -> tuple[float, ...]:
    w, h = rng.uniform(smallest, largest, 2) * size
    cx, cy = rng.uniform(w / 2, size - w / 2), rng.uniform(h / 2, size - h / 2)
    return cx, cy, w, h


def make_scenes(n_samples: int, *, size: int = 32, n_classes: int = 12, rng: np.random.Generator) -> Scenes:
    """Scenes with exactly one object each, for classification and localization.

    The object's width and height are each 35% to 70% of the image side, drawn
    independently; its centre is uniform over the positions that keep it inside.

    Returns :class:`Scenes`: ``images : (N, size, size, 3)`` float32 in [0, 1],
    ``labels : (N,)`` int64 in ``0 .. n_classes-1`` (uniform), ``boxes : (N, 4)`` float32.
    """
    n_samples = positive_int(n_samples, "n_samples")
    size, n_classes, rng = _check_size(size), _check_classes(n_classes), check_rng(rng, "rng")
    images = np.empty((n_samples, size, size, 3), dtype=np.float32)
    labels = rng.integers(0, n_classes, n_samples)
    boxes = np.empty((n_samples, 4), dtype=np.float32)
    for i in range(n_samples):
        image = _background(size, rng)
        boxes[i] = _draw(image, int(labels[i]), _random_box(size, rng, 0.35, 0.7), rng)
        images[i] = np.clip(image, 0, 1)
    return Scenes(images, labels.astype(np.int64), boxes)


def make_detection_scenes(
    n_samples: int,
    *,
    size: int = 48,
    min_objects: int = 2,
    max_objects: int = 4,
    n_classes: int = 12,
    rng: np.random.Generator,
) -> DetectionScenes:
    """Scenes with ``min_objects`` to ``max_objects`` objects each, for detection.

    Object sides are 20% to 38% of the image side. A new object is placed where its
    box overlaps no earlier box by more than an IoU of 0.1 (up to 50 tries; then the
    scene keeps fewer objects, never fewer than one).

    Returns :class:`DetectionScenes`: ``images : (N, size, size, 3)`` float32 in [0, 1];
    ``labels[i] : (M_i,)`` int64 and ``boxes[i] : (M_i, 4)`` float32 for scene ``i``.
    """
    n_samples = positive_int(n_samples, "n_samples")
    size, n_classes, rng = _check_size(size), _check_classes(n_classes), check_rng(rng, "rng")
    min_objects, max_objects = positive_int(min_objects, "min_objects"), positive_int(max_objects, "max_objects")
    if max_objects < min_objects:
        raise ValueError(f"max_objects ({max_objects}) must be at least min_objects ({min_objects})")
    images = np.empty((n_samples, size, size, 3), dtype=np.float32)
    all_labels, all_boxes = [], []
    for i in range(n_samples):
        image = _background(size, rng)
        placed: list[tuple[float, ...]] = []
        for _ in range(rng.integers(min_objects, max_objects + 1)):
            for _ in range(50):
                candidate = _random_box(size, rng, 0.2, 0.38)
                if all(_overlap(candidate, other) <= 0.1 for other in placed):
                    placed.append(candidate)
                    break
        labels = rng.integers(0, n_classes, len(placed))
        boxes = np.array([_draw(image, int(c), b, rng) for c, b in zip(labels, placed)], dtype=np.float32)
        images[i] = np.clip(image, 0, 1)
        all_labels.append(labels.astype(np.int64))
        all_boxes.append(boxes.reshape(-1, 4))
    return DetectionScenes(images, all_labels, all_boxes)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """IoU of two (centre x, centre y, width, height) boxes (datasets depend on nothing but numpy)."""
    iw = max(0.0, min(a[0] + a[2] / 2, b[0] + b[2] / 2) - max(a[0] - a[2] / 2, b[0] - b[2] / 2))
    ih = max(0.0, min(a[1] + a[3] / 2, b[1] + b[3] / 2) - max(a[1] - a[3] / 2, b[1] - b[3] / 2))
    inter = iw * ih
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)
