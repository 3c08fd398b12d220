"""The scenes that stand in for ImageNet (chapter 8): seeded, well-formed, boxes tight."""

import numpy as np
import pytest

from ann_lib.boxes import iou
from ann_lib.datasets import SCENE_CLASSES, make_detection_scenes, make_scenes


def test_scenes_are_well_formed_and_seeded():
    scenes = make_scenes(200, rng=np.random.default_rng(0))
    assert scenes.images.shape == (200, 32, 32, 3) and scenes.images.dtype == np.float32
    assert scenes.images.min() >= 0.0 and scenes.images.max() <= 1.0
    assert scenes.labels.shape == (200,) and set(scenes.labels) == set(range(12))
    assert scenes.boxes.shape == (200, 4)
    assert np.all(scenes.boxes[:, 2:] > scenes.boxes[:, :2]) and scenes.boxes.min() >= 0 and scenes.boxes.max() <= 32
    sides = scenes.boxes[:, 2:] - scenes.boxes[:, :2]
    assert sides.min() >= 0.35 * 32 - 2 and sides.max() <= 0.7 * 32 + 1
    again = make_scenes(200, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(scenes.images, again.images)
    other = make_scenes(200, rng=np.random.default_rng(1))
    assert not np.array_equal(scenes.labels, other.labels)
    assert len(SCENE_CLASSES) == 12 and SCENE_CLASSES[0] == "red square"


def test_the_box_is_tight_around_the_object_colour():
    """Inside the box, the object's colour dominates its border rows and columns."""
    scenes = make_scenes(50, size=48, n_classes=6, rng=np.random.default_rng(3))  # red objects only
    for image, box in zip(scenes.images, scenes.boxes.astype(int)):
        x0, y0, x1, y1 = box
        red = (image[..., 0] > 0.6) & (image[..., 1] < 0.35) & (image[..., 2] < 0.35)
        inside = red[y0:y1, x0:x1]
        # every edge of the box touches the object
        assert inside[0].any() and inside[-1].any() and inside[:, 0].any() and inside[:, -1].any()


def test_detection_scenes_are_well_formed():
    scenes = make_detection_scenes(100, rng=np.random.default_rng(0))
    assert scenes.images.shape == (100, 48, 48, 3)
    counts = [len(labels) for labels in scenes.labels]
    assert min(counts) >= 2 and max(counts) <= 4
    for labels, boxes in zip(scenes.labels, scenes.boxes):
        assert boxes.shape == (len(labels), 4)
        overlaps = iou(boxes[:, None], boxes[None, :])
        np.fill_diagonal(overlaps, 0.0)
        assert overlaps.max() <= 0.35  # placed at IoU <= 0.1; drawn shapes' tight boxes differ a little


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: make_scenes(0, rng=np.random.default_rng(0)), ValueError, "n_samples"),
        (lambda: make_scenes(10, rng=0), TypeError, "numpy.random.Generator"),
        (lambda: make_scenes(10, size=8, rng=np.random.default_rng(0)), ValueError, "at least 16"),
        (lambda: make_scenes(10, n_classes=13, rng=np.random.default_rng(0)), ValueError, "n_classes must lie in 1..12"),
        (lambda: make_detection_scenes(10, min_objects=3, max_objects=2, rng=np.random.default_rng(0)), ValueError,
         "max_objects"),
        (lambda: make_detection_scenes(10, min_objects=0, rng=np.random.default_rng(0)), ValueError, "min_objects"),
        (lambda: make_detection_scenes(2.5, rng=np.random.default_rng(0)), ValueError, "n_samples"),
    ],
)
def test_generators_reject_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()
