r"""Padding arithmetic: how large a convolution's or a pooling's output is, and how much padding it adds.

Chapter 5 (convolutional networks). Along one axis of length :math:`n`, a window of
length :math:`k` moved in steps of :math:`s` (the stride), as TensorFlow defines it:

* ``"valid"`` adds no padding: :math:`n_{out} = \lfloor (n - k)/s \rfloor + 1`.
* ``"same"`` gives :math:`n_{out} = \lceil n / s \rceil` and adds
  :math:`P = \max((n_{out} - 1)s + k - n, 0)` cells, :math:`\lfloor P/2 \rfloor` before
  (on top, on the left) and the rest (one more when :math:`P` is odd) after.
* An ``int`` ``p`` pads ``p`` on every side: :math:`n_{out} = \lfloor (n + 2p - k)/s \rfloor + 1`;
  ``((top, bottom), (left, right))`` gives each side explicitly.

:mod:`ann_lib.conv` and :mod:`ann_lib.pooling` resolve their ``padding`` argument here.
"""

from __future__ import annotations

import numbers
from typing import Union

from ann_lib._validation import check_image_shape, choice, int_pair, positive_int, shape_str

__all__ = ["Padding", "output_size", "resolve_padding"]

#: What a ``padding`` argument may be: ``"valid"``, ``"same"``, an int, or ``((top, bottom), (left, right))``.
Padding = Union[str, int, tuple]
Pads = tuple[tuple[int, int], tuple[int, int]]  # ((top, bottom), (left, right))


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def output_size(size: int, kernel: int, stride: int, padding: str) -> tuple[int, int, int]:
    r"""Output length and padding (before, after) along one axis, as TensorFlow defines them.

    .. math:: \text{valid: } \lfloor (n - k)/s \rfloor + 1, \qquad
              \text{same: } \lceil n / s \rceil

    Returns ``(n_out, pad_before, pad_after)``; for ``"valid"`` the padding is ``(0, 0)``
    and ``n_out`` is at most 0 when the kernel is longer than the input.
    """
    size, kernel, stride = positive_int(size, "size"), positive_int(kernel, "kernel"), positive_int(stride, "stride")
    padding = choice(padding, ("valid", "same"), "padding")
    if padding == "valid":
        return (size - kernel) // stride + 1, 0, 0
    n_out = -(-size // stride)  # ceil
    total = max((n_out - 1) * stride + kernel - size, 0)
    return n_out, total // 2, total - total // 2


def check_padding(padding: Padding, name: str = "padding") -> str | Pads:
    """``"valid"`` or ``"same"`` (any case), or the explicit ``((top, bottom), (left, right))``.

    For ann_lib's convolution and pooling modules, which check their ``padding`` argument
    here. Raises ``ValueError``/``TypeError`` naming ``name`` for anything else.
    """
    if isinstance(padding, str):
        lowered = padding.lower()
        if lowered not in ("valid", "same"):
            raise ValueError(f"{name} must be 'valid', 'same' or an int >= 0, got {padding!r}")
        return lowered
    if _is_int(padding):
        if padding < 0:
            raise ValueError(f"{name} must be 'valid', 'same' or an int >= 0, got {padding!r}")
        p = int(padding)
        return ((p, p), (p, p))
    try:
        (top, bottom), (left, right) = padding  # type: ignore[misc]
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be 'valid', 'same', an int, or ((top, bottom), (left, right)); got {padding!r}"
        ) from None
    if not all(_is_int(p) for p in (top, bottom, left, right)):
        raise TypeError(f"{name} must hold integers, got {padding!r}")
    pads = ((int(top), int(bottom)), (int(left), int(right)))
    if min(min(pads[0]), min(pads[1])) < 0:
        raise ValueError(f"{name} must not be negative, got {padding!r}")
    return pads


def resolve_padding(
    x_shape: tuple[int, ...], kernel: int | tuple[int, int], stride: int | tuple[int, int], padding: Padding,
    *, kernel_name: str = "kernel",
) -> tuple[Pads, tuple[int, int]]:
    """The explicit padding ``((top, bottom), (left, right))`` and the output size ``(H_out, W_out)``.

    ``x_shape`` is ``(N, H, W, C)``. Raises ``ValueError``, naming the shapes, when the
    kernel does not fit in the padded input; ``kernel_name`` is what the caller calls
    the window (``"pool_size"`` for a pooling).
    """
    if not isinstance(kernel_name, str):
        raise TypeError(f"kernel_name must be a str, got {type(kernel_name).__name__}")
    x_shape = check_image_shape(x_shape, "x_shape")
    kernel, stride = int_pair(kernel, kernel_name), int_pair(stride, "stride")
    mode = check_padding(padding)
    _, height, width, _ = x_shape
    if isinstance(mode, str):
        _, top, bottom = output_size(height, kernel[0], stride[0], mode)
        _, left, right = output_size(width, kernel[1], stride[1], mode)
        pads: Pads = ((top, bottom), (left, right))
    else:
        pads = mode
    padded = (height + sum(pads[0]), width + sum(pads[1]))
    if padded[0] < kernel[0] or padded[1] < kernel[1]:
        raise ValueError(
            f"kernel larger than the padded input: the input x {shape_str(x_shape)} "
            f"is {padded[0]}x{padded[1]} after padding={padding!r}, "
            f"but the kernel ({kernel_name}) is {kernel[0]}x{kernel[1]}; "
            "use a smaller kernel, a larger input or padding='same'"
        )
    h_out = (padded[0] - kernel[0]) // stride[0] + 1
    w_out = (padded[1] - kernel[1]) // stride[1] + 1
    return pads, (h_out, w_out)
