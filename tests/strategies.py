"""Hypothesis strategies shared by the tests of ann_lib (``from strategies import seeds, sizes``).

One home for how the tests draw seeds, sizes, arrays and convolution cases, so that a
change (a larger size, a wider range) is made once. ``tests/`` is on ``sys.path``
(the directory of ``tests/conftest.py``), so tests in ``tests/tf/`` import it too.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

#: A seed for numpy.random.default_rng.
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def sizes(max_value: int = 5) -> st.SearchStrategy[int]:
    """A positive size (batch, layer width, classes) from 1 to ``max_value``."""
    return st.integers(min_value=1, max_value=max_value)


def layer_sizes(max_width: int = 4, min_layers: int = 2, max_layers: int = 4) -> st.SearchStrategy[list[int]]:
    """``mlp`` sizes such as ``[3, 2, 4]``: inputs, hidden widths, outputs."""
    return st.lists(sizes(max_width), min_size=min_layers, max_size=max_layers)


#: Finite float64 values in a range where every activation is accurate.
finite_floats = st.floats(-50, 50, allow_nan=False, allow_infinity=False, width=64)

#: float64 arrays of up to three axes and five entries per axis, with finite values.
float_arrays = hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5), elements=finite_floats)

#: Angles in degrees, for oriented bars and Gabor filters.
degrees = st.floats(0.0, 180.0)


@st.composite
def conv_cases(draw, max_side: int = 7, max_kernel: int = 4, max_channels: int = 3,
               paddings: tuple = ("valid", "same", 0, 1, 2)):
    """A random convolution for which the kernel fits in the padded input.

    Returns ``(n, height, width, c_in, c_out, (kh, kw), stride, padding, seed)``.
    """
    kh, kw = draw(st.integers(1, max_kernel)), draw(st.integers(1, max_kernel))
    padding = draw(st.sampled_from(list(paddings)))
    extra = 2 * padding if isinstance(padding, int) else 0
    height = draw(st.integers(1 if padding == "same" else max(kh - extra, 1), max_side))
    width = draw(st.integers(1 if padding == "same" else max(kw - extra, 1), max_side))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    n, c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, max_channels)), draw(st.integers(1, max_channels))
    return n, height, width, c_in, c_out, (kh, kw), stride, padding, draw(seeds)


@st.composite
def pool_cases(draw, max_side: int = 7):
    """A random pooling (``"valid"`` or ``"same"``) whose window fits.

    Returns ``(n, height, width, c, (kh, kw), stride, padding, seed)``.
    """
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    padding = draw(st.sampled_from(["valid", "same"]))
    height = draw(st.integers(kh if padding == "valid" else 1, max_side))
    width = draw(st.integers(kw if padding == "valid" else 1, max_side))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return n, height, width, c, (kh, kw), stride, padding, draw(seeds)
