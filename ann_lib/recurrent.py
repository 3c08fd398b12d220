r"""Recurrent layers: one set of weights applied at every step of a sequence.

Chapter 9 (networks that describe photos). A recurrent layer reads a batch of
sequences ``x : (N, T, D)`` one step at a time and carries a **hidden state**
:math:`\mathbf h_t` from each step to the next. ``forward(x)`` returns every
step's hidden state, ``h : (N, T, H)``, and caches what the backward pass
needs; ``backward(dout)`` takes :math:`\partial L / \partial \mathbf h_t` for
every step (``dout : (N, T, H)``), runs **backpropagation through time** from
the last step to the first, fills ``grads`` and returns
:math:`\partial L / \partial \mathbf x_t` (``dx : (N, T, D)``). The gradient
with respect to the initial state is left in ``dh0`` (and ``dc0``).

Weights are laid out as Keras lays them out (``kernel``, ``recurrent_kernel``,
``bias``; the LSTM's gates in the order i, f, c, o), so that weights can be
copied into ``tf.keras.layers.SimpleRNNCell`` and ``LSTMCell`` and the results
compared.

The module ends with two ways to generate a sequence from any model that
predicts the next token: :func:`greedy_decode` and :func:`beam_search`.
"""

from __future__ import annotations

from typing import Callable, Sequence, Union

import numpy as np
from numpy.typing import ArrayLike

from ann_lib import initializers
from ann_lib._validation import _is_int, as_array, as_float_array, check_rng, finite_result, positive_int, shape_str
from ann_lib.layers import Layer

__all__ = ["LSTM", "RNN", "beam_search", "greedy_decode", "orthogonal"]


def orthogonal(shape: Sequence[int], rng: np.random.Generator) -> np.ndarray:
    r"""A random matrix with orthonormal columns (or rows), Keras's default recurrent initializer.

    The Q of the QR decomposition of a standard normal matrix, with the signs of
    R's diagonal folded in so that Q is uniformly distributed. An orthogonal
    :math:`U` keeps the length of a vector: :math:`\lVert \mathbf v U \rVert = \lVert \mathbf v \rVert`.

    Parameters
    ----------
    shape : (rows, cols)
    rng : numpy.random.Generator
    """
    rng = check_rng(rng, "orthogonal")
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) != 2:
        raise ValueError(f"shape must be a pair (rows, cols), got {shape!r}")
    rows, cols = positive_int(shape[0], "shape[0]"), positive_int(shape[1], "shape[1]")
    if rows * cols > 10**8:
        raise ValueError(f"shape {shape_str((rows, cols))} is too large for an orthogonal matrix here")
    a = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))  # make the distribution uniform
    return q if rows >= cols else q.T


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function as 0.5 (1 + tanh(z / 2)): the same values, no overflow, no argument checks."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class _Recurrent(Layer):
    """What the RNN and the LSTM share: weights, argument checks, the state's shape."""

    gates = 1  # blocks of H columns in W, U and b

    def __init__(self, n_in: int, n_hidden: int, *, rng: np.random.Generator,
                 init: str | initializers.Initializer = "glorot_uniform",
                 recurrent_init: str | initializers.Initializer = orthogonal):
        super().__init__()
        self.n_in = positive_int(n_in, "n_in")
        self.n_hidden = positive_int(n_hidden, "n_hidden")
        rng = check_rng(rng, type(self).__name__)
        H, G = self.n_hidden, self.gates
        recurrent_init = initializers.lookup(recurrent_init, "recurrent_init")
        self.params = {
            "W": initializers.initial_weights(init, (self.n_in, G * H), rng, name="init"),
            "U": initializers.initial_weights(recurrent_init, (H, G * H), rng, name="recurrent_init"),
            "b": np.zeros(G * H),
        }
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}
        self._cache: dict | None = None

    def _check_x(self, x: ArrayLike) -> np.ndarray:
        x = as_float_array(x, "x", finite=True)
        if x.ndim != 3 or x.shape[2] != self.n_in or x.shape[0] == 0 or x.shape[1] == 0:
            raise ValueError(
                f"{self!r} expects x of shape (N, T, {self.n_in}) with N, T >= 1 "
                f"(a batch of sequences), got {shape_str(x.shape)}"
            )
        return x

    def _check_state(self, value: ArrayLike | None, name: str, n: int, optional: bool = True) -> np.ndarray:
        if value is None and optional:
            return np.zeros((n, self.n_hidden))
        value = as_float_array(value, name, finite=True)
        if value.shape != (n, self.n_hidden):
            raise ValueError(f"{name} must have shape ({n}, {self.n_hidden}), got {shape_str(value.shape)}")
        return value

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.n_in}, {self.n_hidden})"


class RNN(_Recurrent):
    r"""A vanilla recurrent layer with tanh units (Elman's network; Keras's ``SimpleRNN``).

    .. math:: \mathbf h_t = \tanh(\mathbf x_t W + \mathbf h_{t-1} U + \mathbf b)

    Parameters
    ----------
    n_in, n_hidden : int
        Inputs per step (D) and hidden units (H).
    rng : numpy.random.Generator
    init, recurrent_init : str or callable
        Initializers for ``W`` (default Glorot uniform) and ``U`` (default
        :func:`orthogonal`), as Keras does. The bias starts at 0.

    Shapes
    ------
    ``x : (N, T, D)``, ``h0 : (N, H)`` -> ``h : (N, T, H)``;
    ``W : (D, H)``, ``U : (H, H)``, ``b : (H,)``.

    Backward through time, with :math:`\mathbf a_t` the pre-activation and
    :math:`\boldsymbol\delta_t = \partial L / \partial \mathbf a_t`:

    .. math::
        \boldsymbol\delta_t = \Big(\frac{\partial L}{\partial \mathbf h_t}\Big|_\text{direct}
            + \boldsymbol\delta_{t+1} U^\top\Big) \odot (1 - \mathbf h_t^2), \qquad
        \frac{\partial L}{\partial W} = \sum_t \mathbf x_t^\top \boldsymbol\delta_t, \quad
        \frac{\partial L}{\partial U} = \sum_t \mathbf h_{t-1}^\top \boldsymbol\delta_t .

    Each step back multiplies by :math:`U^\top` and by a tanh slope at most 1:
    this is where the gradient vanishes (or explodes) in time.
    """

    gates = 1

    @finite_result("x_t", "h")
    def step(self, x_t: ArrayLike, h: ArrayLike) -> np.ndarray:
        """One step, ``x_t : (N, D)``, ``h : (N, H)`` -> the next ``h : (N, H)`` (nothing cached)."""
        x_t = as_float_array(x_t, "x_t", finite=True)
        if x_t.ndim != 2 or x_t.shape[1] != self.n_in or x_t.shape[0] == 0:
            raise ValueError(f"{self!r}.step expects x_t of shape (N, {self.n_in}), got {shape_str(x_t.shape)}")
        h = self._check_state(h, "h", x_t.shape[0], optional=False)
        W, U, b = self.params["W"], self.params["U"], self.params["b"]
        return np.tanh(x_t @ W + h @ U + b)

    @finite_result("x", "h0")
    def forward(self, x: ArrayLike, h0: ArrayLike | None = None) -> np.ndarray:
        """Every hidden state, ``x : (N, T, D)``, ``h0 : (N, H)`` (default 0) -> ``h : (N, T, H)``."""
        x = self._check_x(x)
        N, T, _ = x.shape
        h_prev = self._check_state(h0, "h0", N)
        W, U, b = self.params["W"], self.params["U"], self.params["b"]
        hs = np.empty((N, T, self.n_hidden))
        h0 = h_prev
        for t in range(T):
            h_prev = np.tanh(x[:, t] @ W + h_prev @ U + b)  # h_t = tanh(x_t W + h_{t-1} U + b)
            hs[:, t] = h_prev
        self._cache = {"x": x, "h0": h0, "h": hs}
        return hs

    @finite_result("dout")
    def backward(self, dout: ArrayLike) -> np.ndarray:
        if self._cache is None:
            raise self._not_run()
        x, h0, hs = self._cache["x"], self._cache["h0"], self._cache["h"]
        dout = self._check_dout(dout, hs.shape)
        W, U = self.params["W"], self.params["U"]
        dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros(self.n_hidden)
        dx = np.empty_like(x)
        dh_next = np.zeros_like(h0)  # dL/dh_t that arrives from step t+1
        for t in reversed(range(x.shape[1])):
            h_prev = hs[:, t - 1] if t > 0 else h0
            dh = dout[:, t] + dh_next  # both paths into h_t
            da = dh * (1.0 - hs[:, t] ** 2)  # delta_t = dh * tanh'(a_t) = dh * (1 - h_t^2)
            dW += x[:, t].T @ da  # dL/dW += x_t^T delta_t
            dU += h_prev.T @ da  # dL/dU += h_{t-1}^T delta_t
            db += da.sum(axis=0)  # dL/db += sum over the batch of delta_t
            dx[:, t] = da @ W.T  # dL/dx_t = delta_t W^T
            dh_next = da @ U.T  # dL/dh_{t-1} = delta_t U^T
        self.grads = {"W": dW, "U": dU, "b": db}
        self.dh0 = dh_next
        return dx


class LSTM(_Recurrent):
    r"""A long short-term memory layer (Hochreiter and Schmidhuber 1997, with a forget gate, as Keras's ``LSTM``).

    .. math::
        [\mathbf z_i, \mathbf z_f, \mathbf z_g, \mathbf z_o] &= \mathbf x_t W + \mathbf h_{t-1} U + \mathbf b \\
        \mathbf i = \sigma(\mathbf z_i), \quad \mathbf f = \sigma(\mathbf z_f), \quad
        \mathbf g &= \tanh(\mathbf z_g), \quad \mathbf o = \sigma(\mathbf z_o) \\
        \mathbf c_t = \mathbf f \odot \mathbf c_{t-1} + \mathbf i \odot \mathbf g, \qquad
        \mathbf h_t &= \mathbf o \odot \tanh(\mathbf c_t)

    The cell state :math:`\mathbf c` is updated by *addition*; going back one
    step, :math:`\partial L / \partial \mathbf c_{t-1}` receives
    :math:`\partial L / \partial \mathbf c_t \odot \mathbf f`, with no weight
    matrix and no squashing slope in between. Where the forget gate is near 1,
    the gradient passes many steps unchanged.

    Parameters
    ----------
    n_in, n_hidden : int
        Inputs per step (D) and hidden units (H).
    rng : numpy.random.Generator
    init, recurrent_init : str or callable
        As for :class:`RNN`.
    forget_bias : float
        The initial bias of the forget gate (Keras's ``unit_forget_bias``: 1).

    Shapes
    ------
    ``x : (N, T, D)``, ``h0, c0 : (N, H)`` -> ``h : (N, T, H)``;
    ``W : (D, 4H)``, ``U : (H, 4H)``, ``b : (4H,)``, gates in the order i, f, g (Keras's "c"), o.
    """

    gates = 4

    def __init__(self, n_in: int, n_hidden: int, *, rng: np.random.Generator,
                 init: str | initializers.Initializer = "glorot_uniform",
                 recurrent_init: str | initializers.Initializer = orthogonal, forget_bias: float = 1.0):
        super().__init__(n_in, n_hidden, rng=rng, init=init, recurrent_init=recurrent_init)
        forget_bias = as_float_array(forget_bias, "forget_bias", finite=True)
        if forget_bias.ndim != 0:
            raise ValueError(f"forget_bias must be a number, got shape {shape_str(forget_bias.shape)}")
        H = self.n_hidden
        self.params["b"][H:2 * H] = float(forget_bias)

    def _gates(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        H = self.n_hidden
        return (_sigmoid(z[:, :H]), _sigmoid(z[:, H:2 * H]), np.tanh(z[:, 2 * H:3 * H]), _sigmoid(z[:, 3 * H:]))

    @finite_result("x_t", "h", "c")
    def step(self, x_t: ArrayLike, h: ArrayLike, c: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """One step, ``x_t : (N, D)``, ``h, c : (N, H)`` -> the next ``(h, c)`` (nothing cached)."""
        x_t = as_float_array(x_t, "x_t", finite=True)
        if x_t.ndim != 2 or x_t.shape[1] != self.n_in or x_t.shape[0] == 0:
            raise ValueError(f"{self!r}.step expects x_t of shape (N, {self.n_in}), got {shape_str(x_t.shape)}")
        h = self._check_state(h, "h", x_t.shape[0], optional=False)
        c = self._check_state(c, "c", x_t.shape[0], optional=False)
        i, f, g, o = self._gates(x_t @ self.params["W"] + h @ self.params["U"] + self.params["b"])
        c = f * c + i * g
        return o * np.tanh(c), c

    @finite_result("x", "h0", "c0")
    def forward(self, x: ArrayLike, h0: ArrayLike | None = None, c0: ArrayLike | None = None) -> np.ndarray:
        """Every hidden state, ``x : (N, T, D)``, ``h0, c0 : (N, H)`` (default 0) -> ``h : (N, T, H)``."""
        x = self._check_x(x)
        N, T, _ = x.shape
        H = self.n_hidden
        h_prev, c_prev = self._check_state(h0, "h0", N), self._check_state(c0, "c0", N)
        W, U, b = self.params["W"], self.params["U"], self.params["b"]
        hs, cs, acts = np.empty((N, T, H)), np.empty((N, T, H)), np.empty((N, T, 4 * H))
        h0, c0 = h_prev, c_prev
        for t in range(T):
            i, f, g, o = self._gates(x[:, t] @ W + h_prev @ U + b)  # the gates from x_t and h_{t-1}
            c_prev = f * c_prev + i * g  # c_t = f * c_{t-1} + i * g
            h_prev = o * np.tanh(c_prev)  # h_t = o * tanh(c_t)
            hs[:, t], cs[:, t], acts[:, t] = h_prev, c_prev, np.concatenate([i, f, g, o], axis=1)
        self._cache = {"x": x, "h0": h0, "c0": c0, "h": hs, "c": cs, "gates": acts}
        return hs

    @finite_result("dout")
    def backward(self, dout: ArrayLike) -> np.ndarray:
        if self._cache is None:
            raise self._not_run()
        x, hs, cs, acts = self._cache["x"], self._cache["h"], self._cache["c"], self._cache["gates"]
        dout = self._check_dout(dout, hs.shape)
        H = self.n_hidden
        W, U = self.params["W"], self.params["U"]
        dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros(4 * H)
        dx = np.empty_like(x)
        dh_next, dc_next = np.zeros_like(self._cache["h0"]), np.zeros_like(self._cache["c0"])
        for t in reversed(range(x.shape[1])):
            i, f, g, o = (acts[:, t, k * H:(k + 1) * H] for k in range(4))
            h_prev = hs[:, t - 1] if t > 0 else self._cache["h0"]
            c_prev = cs[:, t - 1] if t > 0 else self._cache["c0"]
            tanh_c = np.tanh(cs[:, t])
            dh = dout[:, t] + dh_next  # both paths into h_t
            do = dh * tanh_c  # h_t = o * tanh(c_t)
            dc = dh * o * (1.0 - tanh_c**2) + dc_next  # ... and c_t also flows on to c_{t+1}
            df, di, dg = dc * c_prev, dc * g, dc * i  # c_t = f * c_{t-1} + i * g
            dz = np.concatenate([
                di * i * (1.0 - i),  # sigma' = sigma (1 - sigma)
                df * f * (1.0 - f),
                dg * (1.0 - g**2),  # tanh' = 1 - tanh^2
                do * o * (1.0 - o),
            ], axis=1)
            dW += x[:, t].T @ dz  # dL/dW += x_t^T dz_t
            dU += h_prev.T @ dz  # dL/dU += h_{t-1}^T dz_t
            db += dz.sum(axis=0)  # dL/db += sum over the batch of dz_t
            dx[:, t] = dz @ W.T  # dL/dx_t = dz_t W^T
            dh_next = dz @ U.T  # dL/dh_{t-1} = dz_t U^T
            dc_next = dc * f  # dL/dc_{t-1} = dc_t * f: no matrix, no slope
        self.grads = {"W": dW, "U": dU, "b": db}
        self.dh0, self.dc0 = dh_next, dc_next
        return dx


# ------------------------------------------------------------------ generating a sequence

State = Union[np.ndarray, tuple]
StepFunction = Callable[[np.ndarray, State], "tuple[np.ndarray, State]"]


def _take(state: State, rows: np.ndarray) -> State:
    """The rows ``rows`` of every array in ``state`` (an array or a tuple of arrays)."""
    if isinstance(state, tuple):
        return tuple(_take(part, rows) for part in state)
    return state[rows]


def _check_decoding(step: object, state: object, start_id: object, end_id: object, max_length: object) -> int:
    """Check the common arguments once; return the batch size N."""
    if not callable(step):
        raise TypeError(f"step must be a function step(tokens, state) -> (log_probs, state), got {type(step).__name__}")
    parts = state if isinstance(state, tuple) else (state,)
    if not parts or not all(isinstance(p, np.ndarray) and p.ndim >= 1 for p in parts):
        raise TypeError("state must be a numpy array or a tuple of numpy arrays, each with a batch axis first")
    for part in parts:
        if part.dtype.kind not in "fiu":
            raise TypeError(f"state must hold real numbers, got an array of dtype {part.dtype}")
        if part.dtype.kind == "f" and not np.isfinite(part).all():
            raise ValueError("state contains NaN or an infinity; expected finite numbers")
    n = parts[0].shape[0]
    if n == 0 or any(p.shape[0] != n for p in parts):
        raise ValueError(f"state's arrays must share a non-empty batch axis, got shapes {[p.shape for p in parts]}")
    for value, name in ((start_id, "start_id"), (end_id, "end_id")):
        if not _is_int(value) or value < 0:
            raise ValueError(f"{name} must be a token id (an integer >= 0), got {value!r}")
    positive_int(max_length, "max_length")
    return n


def _log_probs(step: StepFunction, tokens: np.ndarray, state: State, rows: int) -> tuple[np.ndarray, State]:
    answer = step(tokens, state)
    if not isinstance(answer, tuple) or len(answer) != 2:
        raise TypeError(f"step must return a pair (log_probs, state), got {type(answer).__name__}")
    log_probs, state = answer
    log_probs = as_array(log_probs, "step's log_probs")
    if log_probs.dtype.kind not in "fiu":
        raise TypeError(f"step must return log_probs of real numbers, got dtype {log_probs.dtype}")
    log_probs = log_probs.astype(np.float64, copy=False)
    if log_probs.ndim != 2 or log_probs.shape[0] != rows:
        raise ValueError(f"step must return log_probs of shape ({rows}, V), got {shape_str(log_probs.shape)}")
    if np.isnan(log_probs).any() or (log_probs == np.inf).any():
        raise ValueError("step returned log_probs with NaN or +inf; expected log probabilities (<= 0, -inf allowed)")
    return log_probs, state


def _first_log_probs(step: StepFunction, tokens: np.ndarray, state: State, rows: int,
                     start_id: int, end_id: int) -> tuple[np.ndarray, State]:
    """The first step, which also tells the vocabulary size V: ``start_id`` and ``end_id`` must be below it."""
    try:
        log_probs, state = _log_probs(step, tokens, state, rows)
    except IndexError as error:  # the step function looked start_id up in a table too small for it
        raise ValueError(f"step(tokens, state) failed on start_id={start_id} ({error}); "
                         "start_id must be a token id of the step function's vocabulary") from error
    vocabulary = log_probs.shape[1]
    for value, name in ((start_id, "start_id"), (end_id, "end_id")):
        if value >= vocabulary:
            raise ValueError(f"{name}={value} is outside the vocabulary: step returns log_probs for "
                             f"{vocabulary} tokens (ids 0..{vocabulary - 1})")
    return log_probs, state


def greedy_decode(step: StepFunction, state: State, *, start_id: int, end_id: int, max_length: int) -> np.ndarray:
    r"""Generate by taking the most probable token at every step.

    .. math:: w_t = \arg\max_w \log p(w \mid w_1, \ldots, w_{t-1}, \text{image})

    Parameters
    ----------
    step : callable
        ``step(tokens, state) -> (log_probs, state)``: ``tokens : (N,)`` int,
        the last token of each sequence; ``log_probs : (N, V)``, the log
        probabilities of the next token; ``state`` as below.
    state : ndarray or tuple of ndarrays
        The model's state for N sequences, batch axis first (hidden state,
        image features, ...).
    start_id, end_id : int
        The first input token, and the token that ends a sequence; both ids of the
        vocabulary, below the V of ``log_probs`` (checked after the first step).
    max_length : int
        At most this many tokens are generated.

    Returns
    -------
    tokens : (N, L) int64, L <= max_length
        Each row up to and including its ``end_id``; filled with ``end_id`` after it.
    """
    n = _check_decoding(step, state, start_id, end_id, max_length)
    last = np.full(n, start_id, dtype=np.int64)
    done = np.zeros(n, dtype=bool)
    tokens = []
    for t in range(max_length):
        if t == 0:
            log_probs, state = _first_log_probs(step, last, state, n, start_id, end_id)
        else:
            log_probs, state = _log_probs(step, last, state, n)
        last = np.where(done, end_id, np.argmax(log_probs, axis=1))  # the best next token; end stays end
        tokens.append(last)
        done |= last == end_id
        if done.all():
            break
    return np.stack(tokens, axis=1)


def beam_search(step: StepFunction, state: State, *, start_id: int, end_id: int, max_length: int,
                beam_width: int = 3) -> tuple[np.ndarray, np.ndarray]:
    r"""Generate by keeping the ``beam_width`` most probable partial sequences at every step.

    Each partial sequence (a *beam*) has the score
    :math:`\sum_t \log p(w_t \mid w_{<t}, \text{image})`. At every step each of the
    B beams is extended by every token of the vocabulary, and the B best of the
    B·V extensions survive; a beam that has produced ``end_id`` keeps its score
    and is carried along unchanged. With ``beam_width=1`` this is
    :func:`greedy_decode`. Scores are not normalized by length.

    Parameters
    ----------
    step, state, start_id, end_id, max_length
        As for :func:`greedy_decode`.
    beam_width : int
        B, the number of beams kept per sequence.

    Returns
    -------
    tokens : (N, L) int64
        The best beam of each sequence, as :func:`greedy_decode` returns it.
    scores : (N,) float64
        Its total log probability.
    """
    n = _check_decoding(step, state, start_id, end_id, max_length)
    B = positive_int(beam_width, "beam_width")
    state = _take(state, np.repeat(np.arange(n), B))  # B copies of each sequence's state
    scores = np.tile(np.r_[0.0, np.full(B - 1, -np.inf)], (n, 1))  # (N, B): start from one beam
    tokens = np.zeros((n * B, 0), dtype=np.int64)
    last = np.full(n * B, start_id, dtype=np.int64)
    done = np.zeros(n * B, dtype=bool)
    for t in range(max_length):
        if t == 0:
            log_probs, state = _first_log_probs(step, last, state, n * B, start_id, end_id)
        else:
            log_probs, state = _log_probs(step, last, state, n * B)
        V = log_probs.shape[1]
        log_probs[done] = -np.inf  # a finished beam has one continuation,
        log_probs[done, end_id] = 0.0  # end again, at no cost
        total = (scores.reshape(-1, 1) + log_probs).reshape(n, B * V)  # every extension of every beam
        best = np.argsort(-total, axis=1, kind="stable")[:, :B]  # the B best per sequence
        beam, word = best // V, best % V
        rows = (np.arange(n)[:, None] * B + beam).reshape(-1)  # which beam each survivor extends
        scores = np.take_along_axis(total, best, axis=1)
        tokens = np.concatenate([tokens[rows], word.reshape(-1, 1)], axis=1)
        state = _take(state, rows)
        last = word.reshape(-1)
        done = done[rows] | (last == end_id)
        if done.all():
            break
    top = np.argmax(scores, axis=1)
    return tokens.reshape(n, B, -1)[np.arange(n), top], scores[np.arange(n), top]
