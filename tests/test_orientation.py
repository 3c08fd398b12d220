"""ann_lib.orientation: oriented bars, Gabor filters and tuning curves (chapter 5's experiment)."""

import numpy as np
import pytest
from hypothesis import given
from strategies import degrees

from ann_lib import orientation


def test_bars_are_bright_lines_through_the_centre():
    bars = orientation.oriented_bars(5, [0.0, 90.0, 45.0], width=1.0)
    assert bars.shape == (3, 5, 5, 1)
    np.testing.assert_allclose(bars[0, :, :, 0], np.eye(5)[2][:, None] * np.ones(5), atol=1e-12)  # middle row
    np.testing.assert_allclose(bars[1, :, :, 0], np.eye(5)[2][None, :] * np.ones((5, 1)), atol=1e-12)  # middle column
    diagonal = bars[2, ::-1, :, 0]  # 45 degrees: from lower left to upper right
    assert np.diag(diagonal).min() > 0.8 and diagonal[0, 4] < 0.01
    np.testing.assert_allclose(orientation.oriented_bars(9, [30.0]), orientation.oriented_bars(9, [210.0]), atol=1e-12)
    # the bar covers about width * length of the patch, whatever its angle
    areas = orientation.oriented_bars(15, np.arange(0.0, 180.0, 15.0), width=2.0)[:, 4:11, 4:11, 0].sum(axis=(1, 2))
    assert areas.min() >= 2.0 * 7 * 0.95


@given(degrees)
def test_a_gabor_filter_prefers_bars_of_its_own_orientation(angle):
    kernel = orientation.gabor_filter(15, angle)[:, :, None, None]
    assert abs(kernel.sum()) < 1e-12  # zero mean: a uniform field gives nothing
    stimuli = np.arange(0.0, 180.0, 1.0)
    curve = orientation.tuning_curves(kernel, stimuli)[:, 0]
    preferred = stimuli[curve.argmax()]
    # the pixel grid shifts the preference by a degree or two
    assert min(abs(preferred - angle), 180 - abs(preferred - angle)) <= 3.0
    orthogonal = orientation.tuning_curves(kernel, [angle + 90.0])[0, 0]
    assert orthogonal < 0.05 * curve.max()


def test_tuning_curves_are_rectified_and_use_the_bias():
    kernel = orientation.gabor_filter(7, 0.0)[:, :, None, None]
    angles = np.array([0.0, 90.0])
    plain = orientation.tuning_curves(kernel, angles)
    assert (plain >= 0).all()
    shifted = orientation.tuning_curves(kernel, angles, bias=[-plain[0, 0] / 2])
    np.testing.assert_allclose(shifted[0, 0], plain[0, 0] / 2)
    with pytest.raises(ValueError, match=r"\(k, k, 1, F\).*\(3, 3, 2, 4\)"):
        orientation.tuning_curves(np.zeros((3, 3, 2, 4)), angles)
