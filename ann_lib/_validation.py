"""Input checks shared by every ann_lib module: the one home for argument checks.

Bad input must fail loudly, with a message that names the argument, what it got
and what was expected; it must never turn into a NaN that travels on. Each public
function checks its arguments once, on entry (see CONTRIBUTING.md, "Bad input"):

* arrays through :func:`as_float_array` (real numbers; NaN refused; ``finite=True``
  also refuses ±inf, for data; only the activation functions take ±inf, where they
  have limits), :func:`check_shape` and :func:`not_empty`;
* sizes and numbers through :func:`positive_int`, :func:`non_negative_int`,
  :func:`positive_number`, :func:`real_number`, :func:`int_pair`;
* choices through :func:`choice`, generators through :func:`check_rng`, objects
  through :func:`check_instance`, :func:`check_model` and :func:`check_loss`;
* yes/no arguments through :func:`flag` (a string such as ``'no'`` is not ``False``),
  the spread of a random draw through :func:`standard_deviation`;
* results through :func:`finite_result`: finite input that overflows on the way (a
  square of 1e300, a sum of 1e308s, float16 areas) ends in a ``ValueError`` that names
  the arguments and says they are too large, never in an inf or NaN the caller did
  not put in.

A public function that calls other public functions on data it has already checked
(``fit`` runs ``model.forward`` on every batch) does so inside :func:`checked_once`:
there the NaN/inf scan of :func:`as_float_array` is skipped, so one batch is scanned
once per call, not once per layer per batch. Types and shapes are still checked.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import math
import numbers
from typing import Any, Callable, Iterable, Iterator, TypeVar

import numpy as np
from numpy.typing import ArrayLike

_scan_skipped = 0  # > 0 inside checked_once()


@contextlib.contextmanager
def checked_once() -> Iterator[None]:
    """Within this block, :func:`as_float_array` does not scan for NaN/inf: the caller has."""
    global _scan_skipped
    _scan_skipped += 1
    try:
        yield
    finally:
        _scan_skipped -= 1


def scan_skipped() -> bool:
    """True inside :func:`checked_once`, where the caller has checked the data (a training loop)."""
    return _scan_skipped > 0


def _first_index(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0])


def as_float_array(value: ArrayLike, name: str, *, finite: bool = False) -> np.ndarray:
    """Return ``value`` as a floating-point array, refusing what is not a real number.

    Floating dtypes (float16/32/64) are kept; integer input becomes float64.
    Booleans, complex numbers, strings and objects raise ``TypeError``; NaN
    raises ``ValueError``. Infinities are allowed unless ``finite=True``: every
    activation has a limit there, but data (inputs, targets, weights) must be finite.
    """
    if value is None:
        raise TypeError(f"{name} must be a real-valued array, got None")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists, for example
        raise TypeError(f"{name} must be a real-valued array; could not convert it: {error}") from None
    kind = array.dtype.kind
    if kind == "f":
        pass
    elif kind in "iu":
        array = array.astype(np.float64)
    else:
        raise TypeError(
            f"{name} must hold real numbers (int or float), got dtype {array.dtype} "
            f"(from {type(value).__name__})"
        )
    if _scan_skipped:
        return array
    nan = np.isnan(array)
    if nan.any():
        raise ValueError(
            f"{name} contains NaN ({int(nan.sum())} of {array.size} values, "
            f"first at index {_first_index(nan)}); fix the input rather than letting NaN travel on"
        )
    if finite:
        inf = np.isinf(array)
        if inf.any():
            raise ValueError(
                f"{name} contains an infinity ({int(inf.sum())} of {array.size} values, "
                f"first at index {_first_index(inf)}); expected finite numbers"
            )
    return array


def as_array(value: object, name: str) -> np.ndarray:
    """``numpy.asarray(value)``, with a ``TypeError`` naming ``name`` for what numpy cannot convert (ragged lists)."""
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array; could not convert it: {error}") from None


def check_finite(array: np.ndarray, name: str) -> np.ndarray:
    """``array`` if it holds no NaN or ±inf, else ``ValueError`` naming ``name`` (always scans)."""
    if not np.isfinite(array).all():
        bad = ~np.isfinite(array)
        raise ValueError(
            f"{name} contains NaN or an infinity ({int(bad.sum())} of {array.size} values, "
            f"first at index {_first_index(bad)}); expected finite numbers"
        )
    return array


def shape_str(shape: tuple[int, ...]) -> str:
    """``(3,)`` and ``(4, 2)`` as a reader writes them."""
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def check_ndim(array: np.ndarray, ndim: int, name: str, layout: str) -> np.ndarray:
    """``array`` if it has ``ndim`` axes, else ``ValueError``: ``"x must have shape (N, D), got (3,)"``."""
    if array.ndim != ndim:
        raise ValueError(f"{name} must have shape {layout}, got {shape_str(array.shape)}")
    return array


def not_empty(array: np.ndarray, name: str, what: str = "samples") -> np.ndarray:
    """``array`` if it has at least one element along every axis, else ``ValueError``."""
    if array.ndim == 0 or min(array.shape) == 0:
        raise ValueError(f"{name} is empty (shape {shape_str(array.shape)}); expected at least one of the {what}")
    return array


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def positive_int(value: object, name: str) -> int:
    """``value`` as an int if it is an integer > 0 (not a bool), else ``ValueError`` naming ``name``."""
    if not _is_int(value) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def non_negative_int(value: object, name: str) -> int:
    """``value`` as an int if it is an integer >= 0 (not a bool), else ``ValueError`` naming ``name``."""
    if not _is_int(value) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
    return int(value)


def int_pair(value: object, name: str) -> tuple[int, int]:
    """``3`` -> ``(3, 3)``; a pair of positive ints passes through; else ``TypeError``/``ValueError``."""
    if _is_int(value):
        pair = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_int(v) for v in value):
        pair = (int(value[0]), int(value[1]))
    else:
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
    if min(pair) < 1:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return pair


def positive_number(value: object, name: str) -> float:
    """``value`` as a float if it is a finite real number > 0 (not a bool), else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def real_number(value: object, name: str, *, low: float = -math.inf, high: float = math.inf,
                low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a float if it is a finite real number in the interval, else ``ValueError``.

    numpy scalars (``np.float32(0.01)``) are real numbers too; bools are not.
    """
    left, right = "(" if low_open else "[", ")" if high_open else "]"
    interval = f"{left}{low:g}, {high:g}{right}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number in {interval}, got {value!r} ({type(value).__name__})")
    number = float(value)
    if (
        not math.isfinite(number)
        or number < low or number > high
        or (low_open and number == low) or (high_open and number == high)
    ):
        raise ValueError(f"{name} must be a finite number in {interval}, got {value!r}")
    return number


def choice(value: object, options: Iterable[str], name: str) -> str:
    """``value`` if it is one of the strings ``options``, else ``TypeError``/``ValueError`` naming ``name``."""
    options = list(options)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {', '.join(map(repr, options))}, got {type(value).__name__}")
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}, got {value!r}")
    return value


def check_rng(rng: object, name: str) -> np.random.Generator:
    """``rng`` if it is a ``numpy.random.Generator``, else ``TypeError`` saying how to make one."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} needs rng=numpy.random.default_rng(seed), a numpy.random.Generator; got {type(rng).__name__}"
        )
    return rng


def check_seed(seed: object, name: str = "seed") -> int:
    """``seed`` if it is an int that ``numpy.random.default_rng`` accepts (0 or more)."""
    if not _is_int(seed):
        raise TypeError(f"{name} must be an int, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {seed!r}")
    return int(seed)


def check_instance(value: Any, cls: type | tuple[type, ...], name: str, hint: str = "") -> Any:
    """``value`` if it is an instance of ``cls``; otherwise a ``TypeError`` that says what it is.

    A class passed where an instance belongs (``loss=MeanSquaredError``) gets its own hint.
    """
    if isinstance(value, cls):
        return value
    classes = cls if isinstance(cls, tuple) else (cls,)
    expected = " or ".join(f"{c.__module__}.{c.__name__}" for c in classes)
    if isinstance(value, type):
        got = f"the class {value.__name__} itself; create an instance, e.g. {value.__name__}()"
    else:
        got = type(value).__name__
    raise TypeError(f"{name} must be an instance of {expected}, got {got}" + (f"; {hint}" if hint else ""))


def check_model(model: object, name: str = "model") -> Any:
    """``model`` if it is a network (``forward``, ``backward``, ``parameters``), else ``TypeError``."""
    if isinstance(model, type) or not all(
        callable(getattr(model, method, None)) for method in ("forward", "backward", "parameters")
    ):
        what = f"the class {model.__name__}" if isinstance(model, type) else type(model).__name__
        raise TypeError(
            f"{name} must be a network such as ann_lib.network.Sequential (with forward, backward and "
            f"parameters), got {what}; wrap single layers in Sequential([...])"
        )
    return model


def check_loss(loss: object, name: str = "loss") -> Any:
    """``loss`` if it is a loss object (``forward`` and ``backward``), else ``TypeError``."""
    if isinstance(loss, type) or not all(callable(getattr(loss, m, None)) for m in ("forward", "backward")):
        what = (f"the class {loss.__name__}; create an instance, e.g. {loss.__name__}()"
                if isinstance(loss, type) else type(loss).__name__)
        raise TypeError(f"{name} must be a loss object such as ann_lib.losses.MeanSquaredError(), got {what}")
    return loss


def as_image_batch(value: ArrayLike, name: str) -> np.ndarray:
    """``value`` as a finite float batch of images ``(N, H, W, C)`` with no empty axis."""
    array = as_float_array(value, name, finite=True)
    if array.ndim != 4:
        raise ValueError(f"{name} must be a batch of images (N, H, W, C), got shape {shape_str(array.shape)}")
    if min(array.shape) < 1:
        raise ValueError(f"{name} must not be empty, got shape {shape_str(array.shape)}")
    return array


def check_image_shape(shape: object, name: str) -> tuple[int, int, int, int]:
    """``shape`` as a tuple ``(N, H, W, C)`` of positive ints, else ``ValueError`` naming ``name``."""
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) != 4:
        raise ValueError(f"{name} must be the shape (N, H, W, C) of a batch of images, got {shape!r}")
    if not all(_is_int(s) and s >= 1 for s in shape):
        raise ValueError(f"{name} must hold positive integers (N, H, W, C), got {tuple(shape)!r}")
    return tuple(int(s) for s in shape)  # type: ignore[return-value]


@contextlib.contextmanager
def blame(name: str, what: str) -> Iterator[None]:
    """Re-raise a ``ValueError``/``TypeError`` from the block as one that names the caller's argument.

    ``fit`` runs ``model.forward(X_batch)`` inside ``blame("X", "does not fit the model")``:
    the learner who passed ``X`` reads ``"X does not fit the model: Dense(3, 4) expects x of
    shape (N, 3), got (4, 2)"``, not only a message about the layer's internal ``x``.
    """
    try:
        yield
    except TooLarge:  # it names the caller's argument already
        raise
    except (ValueError, TypeError) as error:
        raise type(error)(f"{name} {what}: {error}") from error


def as_labels(value: ArrayLike, name: str, *, n_samples: int | None = None, n_classes: int | None = None) -> np.ndarray:
    """Integer class labels ``(N,)``, in ``0 .. n_classes-1`` and one per sample when those are given."""
    try:
        labels = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be integer labels (N,); could not convert it: {error}") from None
    if labels.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer labels (N,), got dtype {labels.dtype}")
    if labels.ndim != 1 or (n_samples is not None and labels.shape[0] != n_samples):
        expected = "(N,)" if n_samples is None else f"({n_samples},), one per sample"
        raise ValueError(f"{name} must have shape {expected}, got {shape_str(labels.shape)}")
    if labels.size and (labels.min() < 0 or (n_classes is not None and labels.max() >= n_classes)):
        upper = "" if n_classes is None else f"..{n_classes - 1}"
        raise ValueError(f"{name} must lie in 0{upper}, got values from {labels.min()} to {labels.max()}")
    return labels


def flag(value: object, name: str) -> bool:
    """``value`` as a bool if it is ``True``/``False`` (or a numpy bool), else ``TypeError`` naming ``name``.

    A string is not a flag: ``'no'`` and ``'False'`` are truthy, and ``0``/``1`` or ``None``
    usually mean that an argument was passed in the wrong place.
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {value!r} ({type(value).__name__})")


#: The largest standard deviation whose variance is still a float64 (1.34e154 squared is 1.8e308).
LARGEST_STD = math.sqrt(np.finfo(np.float64).max)


def standard_deviation(value: object, name: str) -> float:
    """``value`` as a float if it is a finite number >= 0 whose square (the variance) is a float64.

    A spread of 1e300 is finite, but its variance is not, and the values drawn with it are
    meaningless (and overflow as soon as they are squared or summed).
    """
    number = real_number(value, name, low=0.0)
    if number > LARGEST_STD:
        raise ValueError(f"{name} must be at most {LARGEST_STD:.3g} (its square, the variance, must be a finite "
                         f"float64), got {value!r}")
    return number


def _non_finite(value: Any, depth: int = 0) -> bool:
    """True if an array or number inside ``value`` (an array, a number, a tuple or list of them) is inf or NaN."""
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc" and not np.isfinite(value).all()
    if isinstance(value, (float, np.floating, complex, np.complexfloating)):
        return not np.isfinite(value)
    if isinstance(value, (tuple, list)) and depth < 2:
        return any(_non_finite(item, depth + 1) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and depth < 2:
        return any(_non_finite(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value))
    return False


def _largest(value: Any) -> str:
    """The largest magnitude in an argument, for an error message ("1.7e+308"), or "" if it has none."""
    try:
        array = np.asarray(value)
        if array.dtype.kind not in "fiu" or array.size == 0:
            return ""
        return f"{float(np.max(np.abs(array.astype(np.float64)))):.3g} ({array.dtype})"
    except (TypeError, ValueError):
        return ""


class TooLarge(ValueError):
    """Finite input whose result overflowed: a ``ValueError`` that a caller may re-raise naming its own argument."""


def too_large(names: Iterable[str], what: str, values: dict[str, Any] | None = None) -> TooLarge:
    """The error for finite input whose result overflowed: names the arguments and their largest magnitudes."""
    names = list(names)
    sizes = [f"{n} {_largest(values[n])}" for n in names if values and n in values and _largest(values[n])]
    return TooLarge(
        f"{' or '.join(names)} holds values too large for {what}: the result would overflow to inf or NaN"
        + (f" (largest magnitudes: {', '.join(sizes)})" if sizes else "")
        + "; scale the values down (or, for float16, use float32 or float64)"
    )


F = TypeVar("F", bound=Callable[..., Any])


def finite_result(*names: str) -> Callable[[F], F]:
    """Decorator for a public function of finite input: its result is finite, or a ``ValueError`` names ``names``.

    The function runs with numpy's overflow warnings silenced; if what it returns (an
    array, a number, or a tuple or list of them) holds inf or NaN, the caller gets
    :func:`too_large` naming the arguments ``names`` instead (so does a Python
    ``OverflowError``, from a float power, and a :class:`TooLarge` from a guarded
    function it calls: the caller reads its own argument's name). A layer's
    ``grads``, which ``backward`` fills, are checked too. Inside :func:`checked_once`
    (a training loop, which checks its loss) the function runs unguarded, at no cost.
    """

    def decorate(function: F) -> F:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if _scan_skipped:
                return function(*args, **kwargs)
            def error() -> TooLarge:
                try:
                    values = dict(signature.bind(*args, **kwargs).arguments)
                except TypeError:
                    values = None
                return too_large(names, function.__qualname__, values)

            try:
                with np.errstate(over="ignore", invalid="ignore"):
                    result = function(*args, **kwargs)
            except (OverflowError, TooLarge):  # a Python float power (10.0 ** 400); a guarded call inside
                raise error() from None
            grads = getattr(args[0], "grads", None) if args else None  # a layer's backward fills its gradients
            if _non_finite(result) or (isinstance(grads, dict) and _non_finite(list(grads.values()))):
                raise error()
            return result

        return guarded  # type: ignore[return-value]

    return decorate


def scaled_down(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """``arrays`` divided by one power of two if their largest magnitude exceeds 2**500, else unchanged.

    Dividing by a power of two is exact, so a scale-invariant quantity (an IoU, a relative
    error, an NDCG) computed from the scaled values is bit for bit the same, and their
    squares and sums stay finite.
    """
    peak = max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)
    if peak <= 2.0**500:
        return arrays
    exponent = math.frexp(peak)[1]  # peak < 2**exponent
    return tuple(np.ldexp(a, -exponent) for a in arrays)


#: Integers a float64 holds exactly (2**53): a float label beyond them is no class label.
LARGEST_EXACT_INTEGER = 2.0**53


def integral_floats(array: np.ndarray, name: str) -> np.ndarray:
    """Float labels that hold whole numbers (``[0.0, 2.0]``) as int64; a fraction or 1e300 is a ``ValueError``."""
    if not np.all(array == np.round(array)):
        raise ValueError(
            f"{name} must hold integer labels, got non-integer values such as "
            f"{array[array != np.round(array)][:1]}; threshold probabilities first, e.g. (p > 0.5).astype(int)"
        )
    if array.size and float(np.max(np.abs(array))) >= LARGEST_EXACT_INTEGER:
        raise ValueError(f"{name} must hold class labels, got {np.max(np.abs(array)):g}, beyond any class "
                         "(float labels must be whole numbers below 2**53)")
    return array.astype(np.int64)
