"""ann_lib.conv: shape arithmetic, values against loops, gradients against central differences, errors.

The TensorFlow cross-checks are in tests/tf/test_tf_conv.py.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import conv_cases, pool_cases, seeds

from ann_lib import conv, pooling, windows
from ann_lib.conv import Conv2D
from ann_lib.pooling import AvgPool2D, MaxPool2D
from ann_lib.gradcheck import numerical_gradient, relative_error
from ann_lib.layers import Layer
from ann_lib.padding import output_size, resolve_padding

GRAD_TOL = 1e-7  # relative error of a float64 backward pass against central differences (eps 1e-6)


# ------------------------------------------------------------ the references
def reference_conv2d(x, w, b, stride, pads):
    """The definition, one output pixel at a time (slow; only for small tests)."""
    (top, bottom), (left, right) = pads
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    kh, kw, _, c_out = w.shape
    h_out = (xp.shape[1] - kh) // stride[0] + 1
    w_out = (xp.shape[2] - kw) // stride[1] + 1
    y = np.zeros((x.shape[0], h_out, w_out, c_out))
    for i in range(h_out):
        for j in range(w_out):
            patch = xp[:, i * stride[0] : i * stride[0] + kh, j * stride[1] : j * stride[1] + kw, :]
            y[:, i, j, :] = np.tensordot(patch, w, axes=([1, 2, 3], [0, 1, 2])) + b
    return y


def reference_pool(x, pool, stride, padding, reduce):
    """Pooling by its definition: windows clipped to the image, so padding never counts."""
    kh, kw = pool
    h_out, top, _ = output_size(x.shape[1], kh, stride[0], padding)
    w_out, left, _ = output_size(x.shape[2], kw, stride[1], padding)
    y = np.zeros((x.shape[0], h_out, w_out, x.shape[3]))
    for i in range(h_out):
        for j in range(w_out):
            r0, c0 = i * stride[0] - top, j * stride[1] - left
            window = x[:, max(r0, 0) : r0 + kh, max(c0, 0) : c0 + kw, :]
            y[:, i, j, :] = reduce(window, axis=(1, 2))
    return y


def distinct_values(rng, shape):
    """Values at least 0.1 apart, so that no central difference (eps 1e-6) changes a window's maximum."""
    return (rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1 + rng.uniform(0, 0.01, shape))


# --------------------------------------------------------- shape arithmetic
@pytest.mark.parametrize(
    "size, kernel, stride, padding, expected",
    [
        (28, 5, 1, "valid", (24, 0, 0)),  # LeNet-5's first layer on 28x28
        (32, 5, 1, "valid", (28, 0, 0)),  # ... and on its 32x32 input
        (8, 3, 1, "same", (8, 1, 1)),
        (8, 2, 2, "valid", (4, 0, 0)),
        (7, 3, 2, "same", (4, 1, 1)),
        (4, 3, 2, "same", (2, 0, 1)),  # an odd total: the extra row goes to the bottom
        (5, 4, 1, "same", (5, 1, 2)),
        (6, 1, 3, "same", (2, 0, 0)),
        (3, 5, 1, "valid", (-1, 0, 0)),  # the kernel does not fit: resolve_padding raises
    ],
)
def test_output_size_follows_tensorflow(size, kernel, stride, padding, expected):
    assert output_size(size, kernel, stride, padding) == expected


@given(st.integers(1, 40), st.integers(1, 7), st.integers(1, 5))
def test_output_size_formulas(size, kernel, stride):
    n_same, before, after = output_size(size, kernel, stride, "same")
    assert n_same == -(-size // stride)
    assert 0 <= after - before <= 1
    # the last window starts inside the padded input and ends at its edge or before
    assert (n_same - 1) * stride + kernel <= size + before + after
    if kernel <= size:
        n_valid, _, _ = output_size(size, kernel, stride, "valid")
        assert n_valid == (size - kernel) // stride + 1
        assert (n_valid - 1) * stride + kernel <= size < n_valid * stride + kernel


def test_conv_output_shape_and_parameter_count():
    assert conv.conv_output_shape((64, 28, 28, 1), (5, 5, 1, 16), padding="same") == (64, 28, 28, 16)
    assert conv.conv_output_shape((64, 28, 28, 1), (5, 5, 1, 16)) == (64, 24, 24, 16)
    assert conv.conv_output_shape((1, 8, 8, 3), (3, 3, 3, 4), stride=2, padding=1) == (1, 4, 4, 4)
    layer = Conv2D(16, 32, 3, rng=np.random.default_rng(0))
    assert sum(p.size for p in layer.params.values()) == 3 * 3 * 16 * 32 + 32


# ------------------------------------------------------------------- values
@given(conv_cases())
def test_conv2d_matches_the_definition(case):
    n, height, width, c_in, c_out, kernel, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, height, width, c_in))
    w = rng.normal(size=(*kernel, c_in, c_out))
    b = rng.normal(size=c_out)
    pads, _ = resolve_padding(x.shape, kernel, stride, padding)
    y = conv.conv2d(x, w, b, stride=stride, padding=padding)
    np.testing.assert_allclose(y, reference_conv2d(x, w, b, stride, pads), rtol=1e-12, atol=1e-12)


@given(pool_cases())
def test_pooling_matches_the_definition(case):
    n, height, width, c, pool, stride, padding, seed = case
    x = np.random.default_rng(seed).normal(size=(n, height, width, c))
    np.testing.assert_array_equal(
        pooling.max_pool2d(x, pool, stride, padding), reference_pool(x, pool, stride, padding, np.max)
    )
    np.testing.assert_allclose(
        pooling.avg_pool2d(x, pool, stride, padding), reference_pool(x, pool, stride, padding, np.mean), rtol=1e-13
    )


def test_conv2d_is_cross_correlation_not_flipped():
    x = np.zeros((1, 3, 3, 1))
    x[0, 0, 0, 0] = 1.0  # a single bright pixel in the top-left corner
    w = np.arange(9.0).reshape(3, 3, 1, 1)
    y = conv.conv2d(x, w, padding="same")[0, :, :, 0]
    # the output pixel whose window has the bright pixel at kernel offset (p, q) gets w[p, q]
    np.testing.assert_array_equal(y, [[4.0, 3.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])


@given(seeds, st.integers(1, 3), st.integers(1, 3))
def test_convolution_is_translation_equivariant(seed, dy, dx):
    """Shift the image, and the feature map shifts by the same amount (stride 1, away from the border)."""
    rng = np.random.default_rng(seed)
    x = np.zeros((1, 12, 12, 2))
    x[:, 2:6, 2:6, :] = rng.normal(size=(1, 4, 4, 2))
    w = rng.normal(size=(3, 3, 2, 4))
    shifted = np.roll(x, (dy, dx), axis=(1, 2))
    np.testing.assert_allclose(
        conv.conv2d(shifted, w), np.roll(conv.conv2d(x, w), (dy, dx), axis=(1, 2)), atol=1e-12
    )


@given(pool_cases())
def test_col2im_is_the_adjoint_of_im2col(case):
    n, height, width, c, kernel, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, height, width, c))
    pads, _ = resolve_padding(x.shape, kernel, stride, padding)
    cols = windows.im2col(x, kernel, stride, pads)
    v = rng.normal(size=cols.shape)
    # <im2col(x), v> = <x, col2im(v)>
    np.testing.assert_allclose(np.sum(cols * v), np.sum(x * windows.col2im(v, x.shape, stride, pads)), rtol=1e-10)


def test_im2col_is_a_view_without_copies():
    x = np.arange(2 * 6 * 6 * 3, dtype=np.float64).reshape(2, 6, 6, 3)
    cols = windows.im2col(x, (3, 3), (1, 1), ((0, 0), (0, 0)))
    assert cols.shape == (2, 4, 4, 3, 3, 3)
    assert np.shares_memory(cols, x)
    np.testing.assert_array_equal(cols[1, 2, 3], x[1, 2:5, 3:6, :])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(dtype):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 6, 6, 3)).astype(dtype)
    w = rng.normal(size=(3, 3, 3, 4)).astype(dtype)
    assert conv.conv2d(x, w).dtype == dtype
    assert all(g.dtype == dtype for g in conv.conv2d_backward(np.ones((2, 4, 4, 4), dtype), x, w))
    for pool, backward in ((pooling.max_pool2d, pooling.max_pool2d_backward), (pooling.avg_pool2d, pooling.avg_pool2d_backward)):
        assert pool(x, 2, padding="same").dtype == dtype
        assert backward(np.ones((2, 3, 3, 3), dtype), x, 2, padding="same").dtype == dtype


def test_integer_input_is_computed_in_float64():
    y = conv.conv2d(np.ones((1, 3, 3, 1), dtype=int), np.ones((2, 2, 1, 1), dtype=int))
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y[0, :, :, 0], np.full((2, 2), 4.0))


# ---------------------------------------------------------------- gradients
@given(conv_cases(max_side=5))
def test_conv2d_gradients_match_central_differences(case):
    n, height, width, c_in, c_out, kernel, stride, padding, seed = case
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, height, width, c_in))
    w = rng.normal(size=(*kernel, c_in, c_out))
    b = rng.normal(size=c_out)
    upstream = rng.normal(size=conv.conv_output_shape(x.shape, w.shape, stride, padding))

    def loss(_):
        return np.sum(conv.conv2d(x, w, b, stride=stride, padding=padding) * upstream)

    dx, dw, db = conv.conv2d_backward(upstream, x, w, stride=stride, padding=padding)
    assert relative_error(dx, numerical_gradient(loss, x)) < GRAD_TOL
    assert relative_error(dw, numerical_gradient(loss, w)) < GRAD_TOL
    assert relative_error(db, numerical_gradient(loss, b)) < GRAD_TOL


@pytest.mark.parametrize("name", ["max", "avg"])
@given(case=pool_cases(max_side=6))
def test_pooling_gradients_match_central_differences(name, case):
    n, height, width, c, pool, stride, padding, seed = case
    forward = {"max": pooling.max_pool2d, "avg": pooling.avg_pool2d}[name]
    backward = {"max": pooling.max_pool2d_backward, "avg": pooling.avg_pool2d_backward}[name]
    rng = np.random.default_rng(seed)
    x = distinct_values(rng, (n, height, width, c))
    upstream = rng.normal(size=forward(x, pool, stride, padding).shape)
    numeric = numerical_gradient(lambda _: np.sum(forward(x, pool, stride, padding) * upstream), x)
    assert relative_error(backward(upstream, x, pool, stride, padding), numeric) < GRAD_TOL


def test_max_pool_gradient_goes_to_the_first_maximum_of_a_tie():
    x = np.zeros((1, 2, 2, 1))  # four equal values in one window
    dx = pooling.max_pool2d_backward(np.ones((1, 1, 1, 1)), x, 2)
    np.testing.assert_array_equal(dx[0, :, :, 0], [[1.0, 0.0], [0.0, 0.0]])


def test_pooling_gradients_are_conserved():
    """Every output's gradient lands somewhere: dx sums to dout's sum (each window has a real pixel)."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 7, 5, 3))
    for pool, backward in ((pooling.max_pool2d, pooling.max_pool2d_backward), (pooling.avg_pool2d, pooling.avg_pool2d_backward)):
        for padding in ("valid", "same"):
            upstream = rng.normal(size=pool(x, 3, 2, padding).shape)
            np.testing.assert_allclose(backward(upstream, x, 3, 2, padding).sum(), upstream.sum(), rtol=1e-12)


# ------------------------------------------------------------------- layers
def test_layers_follow_the_layer_contract():
    rng = np.random.default_rng(0)
    layers = [Conv2D(2, 4, 3, padding="same", rng=rng), MaxPool2D(2), AvgPool2D(2, padding="same")]
    x = rng.normal(size=(3, 8, 8, 2))
    for layer in layers:
        assert isinstance(layer, Layer)
        with pytest.raises(RuntimeError, match="before forward"):
            layer.backward(np.ones((1, 1, 1, 1)))
        y = layer.forward(x)
        dx = layer.backward(np.ones_like(y))
        assert dx.shape == x.shape
        assert set(layer.grads) == set(layer.params)
        for key, value in layer.params.items():
            assert layer.grads[key].shape == value.shape
        x = y
    assert x.shape == (3, 2, 2, 4)


def test_conv2d_layer_gradients_match_central_differences():
    rng = np.random.default_rng(1)
    layer = Conv2D(2, 3, (3, 2), stride=(2, 1), padding="same", rng=rng, init="he_normal")
    layer.params["b"][:] = rng.normal(size=3)
    x = rng.normal(size=(2, 5, 6, 2))
    upstream = rng.normal(size=layer.forward(x).shape)

    def loss(_):
        return np.sum(layer.forward(x) * upstream)

    layer.forward(x)
    dx = layer.backward(upstream)
    analytic = {key: grad.copy() for key, grad in layer.grads.items()}
    assert relative_error(dx, numerical_gradient(loss, x)) < GRAD_TOL
    for key in ("W", "b"):
        assert relative_error(analytic[key], numerical_gradient(loss, layer.params[key])) < GRAD_TOL


def test_conv2d_layer_initialises_with_the_kernels_fan_in():
    layer = Conv2D(16, 64, 5, rng=np.random.default_rng(0), init="he_normal")
    assert layer.params["W"].shape == (5, 5, 16, 64)
    np.testing.assert_array_equal(layer.params["b"], np.zeros(64))
    # He: variance 2 / fan_in with fan_in = kh * kw * c_in = 400
    assert layer.params["W"].var() == pytest.approx(2.0 / 400, rel=0.05)


def test_pool_layers_default_stride_is_the_pool_size():
    assert MaxPool2D(3).stride == (3, 3)
    assert AvgPool2D((2, 3), stride=1).stride == (1, 1)
    assert MaxPool2D(2).forward(np.zeros((1, 6, 6, 1))).shape == (1, 3, 3, 1)


# ------------------------------------------------------------------- errors
def test_kernel_larger_than_the_padded_input_names_the_shapes():
    x, w = np.zeros((2, 3, 4, 1)), np.zeros((5, 5, 1, 8))
    with pytest.raises(ValueError, match=r"kernel larger than the padded input.*\(2, 3, 4, 1\).*3x4.*5x5"):
        conv.conv2d(x, w)
    with pytest.raises(ValueError, match=r"\(2, 3, 4, 1\).*5x6 after padding=1.*6x5"):
        conv.conv2d(x, np.zeros((6, 5, 1, 8)), padding=1)
    assert conv.conv2d(x, w, padding="same").shape == (2, 3, 4, 8)  # 'same' always fits
    with pytest.raises(ValueError, match=r"kernel larger than the padded input.*\(2, 3, 4, 1\).*3x4.*4x3"):
        pooling.max_pool2d(x, (4, 3))
    with pytest.raises(ValueError, match=r"kernel larger"):
        Conv2D(1, 8, 5, rng=np.random.default_rng(0)).forward(x)


def test_channel_mismatch_names_the_shapes():
    with pytest.raises(ValueError, match=r"channel mismatch: x \(2, 8, 8, 3\) has C = 3.*w \(3, 3, 1, 4\).*C_in = 1"):
        conv.conv2d(np.zeros((2, 8, 8, 3)), np.zeros((3, 3, 1, 4)))
    with pytest.raises(ValueError, match=r"channel mismatch.*\(1, 8, 8, 1\).*\(3, 3, 2, 4\)"):
        Conv2D(2, 4, 3, rng=np.random.default_rng(0)).forward(np.zeros((1, 8, 8, 1)))


IMAGE, KERNEL = np.zeros((1, 8, 8, 1)), np.zeros((3, 3, 1, 1))
BAD_INPUT = [
    pytest.param(lambda: conv.conv2d(np.zeros((8, 8)), KERNEL),
                 ValueError, r"\(N, H, W, C\), got shape \(8, 8\)", id="x not 4-D"),
    pytest.param(lambda: conv.conv2d(IMAGE, np.zeros((3, 3, 1))),
                 ValueError, r"\(kh, kw, C_in, C_out\).*\(3, 3, 1\)", id="w not 4-D"),
    pytest.param(lambda: conv.conv2d(IMAGE, np.zeros((3, 3, 1, 2)), np.zeros(3)),
                 ValueError, r"b must have shape \(2,\)", id="bias length"),
    pytest.param(lambda: conv.conv2d(IMAGE, KERNEL, stride=0), ValueError, "stride must be positive", id="stride 0"),
    pytest.param(lambda: conv.conv2d(IMAGE, KERNEL, stride=1.5), TypeError, "stride must be an int", id="stride 1.5"),
    pytest.param(lambda: conv.conv2d(IMAGE, KERNEL, padding="full"), ValueError, "padding must be", id="padding full"),
    pytest.param(lambda: conv.conv2d(IMAGE, KERNEL, padding=-1), ValueError, "padding must be", id="padding -1"),
    pytest.param(lambda: conv.conv2d(np.full((1, 4, 4, 1), np.nan), KERNEL), ValueError, "x contains NaN", id="NaN"),
    pytest.param(lambda: conv.conv2d(np.zeros((1, 4, 4, 1), dtype=complex), KERNEL),
                 TypeError, "x must hold real", id="complex"),
    pytest.param(lambda: conv.conv2d(np.zeros((0, 4, 4, 1)), KERNEL), ValueError, "must not be empty", id="empty"),
    pytest.param(lambda: pooling.max_pool2d(np.zeros((1, 4, 4, 1)), 2, padding=1),
                 ValueError, "pooling padding", id="pool padding int"),
    pytest.param(lambda: conv.conv2d_backward(np.zeros((1, 3, 3, 1)), np.zeros((1, 4, 4, 1)), KERNEL),
                 ValueError, r"dout must have the shape \(1, 2, 2, 1\) of the output of conv2d\(x, w.*got \(1, 3, 3, 1\)",
                 id="conv dout shape"),
    pytest.param(lambda: pooling.avg_pool2d_backward(np.zeros((1, 2, 2, 2)), np.zeros((1, 4, 4, 1)), 2),
                 ValueError, r"dout must have the shape \(1, 2, 2, 1\) of the pooling.s output.*got \(1, 2, 2, 2\)", id="pool dout shape"),
    pytest.param(lambda: Conv2D(0, 4, 3, rng=np.random.default_rng(0)),
                 ValueError, "c_in must be a positive integer", id="c_in 0"),
    pytest.param(lambda: Conv2D(1, 4, 3, rng=None), TypeError, "rng", id="no rng"),
]


@pytest.mark.parametrize("call, error, message", BAD_INPUT)
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_layer_backward_checks_dout_shape():
    layer = MaxPool2D(2)
    layer.forward(np.zeros((1, 4, 4, 1)))
    with pytest.raises(ValueError, match=r"dout has shape \(1, 4, 4, 1\).*\(1, 2, 2, 1\)"):
        layer.backward(np.zeros((1, 4, 4, 1)))
