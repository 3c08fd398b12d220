"""ann_lib.activations: values from the lecture's table, conventions, stability, errors, invariants."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from strategies import float_arrays

from ann_lib import activations as act
from ann_lib.activations import ACTIVATIONS

NAMES = list(ACTIVATIONS)


def central_difference(fn, z, eps):
    """Element-wise (fn(z + eps) - fn(z - eps)) / (2 eps): the activations act element by element."""
    return (fn(z + eps) - fn(z - eps)) / (2.0 * eps)
arrays = float_arrays


def test_registry_is_the_lectures_table_in_order():
    assert NAMES == ["unit_step", "sign", "linear", "piecewise_linear", "sigmoid", "tanh", "relu", "softplus"]
    for name, activation in ACTIVATIONS.items():
        assert activation.name == name
        assert activation.equation.startswith(r"\phi(z) = ")
        assert activation.function is getattr(act, name)
        assert activation.derivative is getattr(act, name + "_grad")


@pytest.mark.parametrize(
    "name, z, expected",
    [
        ("unit_step", [-2.0, -1e-300, 0.0, 1e-300, 2.0], [0.0, 0.0, 0.5, 1.0, 1.0]),
        ("sign", [-2.0, -1e-300, 0.0, 1e-300, 2.0], [-1.0, -1.0, 0.0, 1.0, 1.0]),
        ("linear", [-2.0, 0.0, 3.5], [-2.0, 0.0, 3.5]),
        ("piecewise_linear", [-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0], [0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0]),
        ("sigmoid", [0.0, np.log(3.0)], [0.5, 0.75]),
        ("tanh", [0.0, np.log(2.0)], [0.0, 0.6]),
        ("relu", [-3.0, 0.0, 2.5], [0.0, 0.0, 2.5]),
        ("softplus", [0.0, np.log(np.e - 1.0)], [np.log(2.0), 1.0]),
    ],
)
def test_values_from_the_table(name, z, expected):
    np.testing.assert_allclose(ACTIVATIONS[name](np.array(z)), expected, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize(
    "name, z, expected",
    [
        # the conventions at the points where no derivative exists
        ("unit_step", [-1.0, 0.0, 1.0], [0.0, 0.0, 0.0]),
        ("sign", [-1.0, 0.0, 1.0], [0.0, 0.0, 0.0]),
        ("piecewise_linear", [-0.5, -0.4999, 0.0, 0.4999, 0.5], [0.0, 1.0, 1.0, 1.0, 0.0]),
        ("relu", [-1.0, 0.0, 1e-300, 1.0], [0.0, 0.0, 1.0, 1.0]),
        ("linear", [-1.0, 0.0, 1.0], [1.0, 1.0, 1.0]),
        ("sigmoid", [0.0], [0.25]),
        ("tanh", [0.0], [1.0]),
        ("softplus", [0.0], [0.5]),
    ],
)
def test_derivative_conventions(name, z, expected):
    np.testing.assert_array_equal(ACTIVATIONS[name].derivative(np.array(z)), expected)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences_away_from_breaks(name):
    row = ACTIVATIONS[name]
    breaks = np.array([*row.value_breaks, *row.slope_breaks, np.inf])  # the row says where phi or phi' jumps
    z = np.random.default_rng(0).uniform(-4, 4, size=200)
    z = z[np.min(np.abs(z[:, None] - breaks), axis=1) > 1e-3]
    numeric = central_difference(ACTIVATIONS[name].function, z, eps=1e-6)
    np.testing.assert_allclose(ACTIVATIONS[name].derivative(z), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_and_shape_are_kept(name, dtype):
    z = np.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)
    for fn in (ACTIVATIONS[name].function, ACTIVATIONS[name].derivative):
        out = fn(z)
        assert out.dtype == dtype, (name, fn.__name__, out.dtype)
        assert out.shape == (3, 4)


@pytest.mark.parametrize("name", NAMES)
def test_integers_are_computed_in_float64(name):
    assert ACTIVATIONS[name](np.array([-2, 0, 3])).dtype == np.float64
    assert ACTIVATIONS[name](0).shape == ()


def test_no_overflow_at_extremes():
    z = np.array([-1000.0, -745.0, 0.0, 745.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow/underflow warning fails the test
        s = act.sigmoid(z)
        sp = act.softplus(z)
        ds = act.sigmoid_grad(z)
        s32 = act.sigmoid(z.astype(np.float32))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert sp[-1] == 1000.0 and sp[0] == 0.0
    assert ds[0] == 0.0 and ds[-1] == 0.0
    assert s32.dtype == np.float32 and s32[-1] == 1.0
    assert act.softplus(np.float32(1000.0)) == np.float32(1000.0)


def test_infinities_have_their_limits():
    z = np.array([-np.inf, np.inf])
    np.testing.assert_array_equal(act.sigmoid(z), [0.0, 1.0])
    np.testing.assert_array_equal(act.tanh(z), [-1.0, 1.0])
    np.testing.assert_array_equal(act.relu(z), [0.0, np.inf])
    np.testing.assert_array_equal(act.softplus(z), [0.0, np.inf])
    np.testing.assert_array_equal(act.unit_step(z), [0.0, 1.0])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "bad, error",
    [
        (["a", "b"], TypeError),
        (np.array([1 + 2j]), TypeError),
        (np.array([True, False]), TypeError),
        (np.array([1.0, None], dtype=object), TypeError),
        ([[1.0, 2.0], [3.0]], TypeError),
        (np.array([0.0, np.nan]), ValueError),
    ],
)
def test_bad_input_is_refused_clearly(name, bad, error):
    with pytest.raises(error, match=r"^z "):
        ACTIVATIONS[name](bad)
    with pytest.raises(error, match=r"^z "):
        ACTIVATIONS[name].derivative(bad)


def test_error_messages_name_what_was_wrong():
    with pytest.raises(TypeError, match=r"dtype <U1"):
        act.relu(["a"])
    with pytest.raises(ValueError, match=r"NaN .*first at index \(1, 0\)"):
        act.relu([[0.0], [np.nan]])


def test_get_by_name():
    assert act.get("relu") is ACTIVATIONS["relu"]
    assert act.get(ACTIVATIONS["tanh"]) is ACTIVATIONS["tanh"]
    with pytest.raises(ValueError, match="name must be one of 'unit_step', .*got 'gelu'"):
        act.get("gelu")
    with pytest.raises(TypeError, match="got int"):
        act.get(3)


# ---------------------------------------------------------------- invariants
@given(arrays)
def test_outputs_stay_in_their_ranges(z):
    for activation in ACTIVATIONS.values():
        lo, hi = activation.output_range
        out = activation(z)
        assert np.all((out >= lo) & (out <= hi)), activation.name


@given(arrays)
def test_monotone_non_decreasing(z):
    zs = np.sort(z.ravel())
    for activation in ACTIVATIONS.values():
        assert np.all(np.diff(activation(zs)) >= 0), activation.name
        assert np.all(activation.derivative(zs) >= 0), activation.name


@given(arrays)
def test_sigmoid_tanh_identity(z):
    np.testing.assert_allclose(act.tanh(z), 2.0 * act.sigmoid(2.0 * z) - 1.0, atol=1e-12)


@given(arrays)
def test_softplus_derivative_is_sigmoid(z):
    np.testing.assert_array_equal(act.softplus_grad(z), act.sigmoid(z))
    # and it is the true derivative, by central differences
    np.testing.assert_allclose(central_difference(act.softplus, z, eps=1e-5), act.sigmoid(z), atol=1e-8)


@given(arrays)
def test_sigmoid_symmetry_and_relu_softplus_relations(z):
    np.testing.assert_allclose(act.sigmoid(-z), 1.0 - act.sigmoid(z), atol=1e-15)
    np.testing.assert_allclose(act.relu(z) - act.relu(-z), z, atol=0)
    assert np.all(act.softplus(z) >= act.relu(z))
    assert np.all(act.softplus(z) - act.relu(z) <= np.log(2.0) + 1e-15)


@given(arrays)
def test_step_and_sign_are_related(z):
    np.testing.assert_array_equal(act.sign(z), 2.0 * act.unit_step(z) - 1.0)
    np.testing.assert_array_equal(act.piecewise_linear(z), np.clip(z + 0.5, 0, 1))


@pytest.mark.parametrize("name", NAMES)
def test_the_derivative_from_the_output_is_the_derivative(name):
    """Where a row gives phi' as a function of y = phi(z) (for the layer's backward pass), it agrees."""
    row = ACTIVATIONS[name]
    z = np.linspace(-6.0, 6.0, 121)
    if row.derivative_from_output is not None:
        np.testing.assert_allclose(row.derivative_from_output(row.function(z)), row.derivative(z), atol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_breaks_are_where_the_graph_jumps(name):
    """value_breaks: phi jumps there; slope_breaks: phi' jumps there; nowhere else on a fine grid."""
    row = ACTIVATIONS[name]
    for function, breaks in ((row.function, row.value_breaks), (row.derivative, row.slope_breaks)):
        z = np.linspace(-3.0, 3.0, 60001)
        jumps = z[1:][np.abs(np.diff(function(z))) > 1e-3]
        assert all(np.min(np.abs(np.array(breaks) - jump)) <= 2e-4 for jump in jumps), (jumps, breaks)
        assert all(np.min(np.abs(jumps - point)) <= 2e-4 for point in breaks), (jumps, breaks)


def test_a_new_row_needs_no_other_change():
    """A ninth activation is one ActivationFunction: the layer uses its derivative as it is."""
    from ann_lib.layers import Activation

    cube = act.ActivationFunction("cube", "Cube", lambda z: np.asarray(z) ** 3, lambda z: 3 * np.asarray(z) ** 2,
                                  r"\phi(z) = z^3", "none", (-np.inf, np.inf), None)
    assert cube.label == "cube" and cube.value_breaks == () and cube.slope_breaks == ()
    layer = Activation(cube)
    z, dout = np.array([[-2.0, 0.5, 3.0]]), np.array([[1.0, 2.0, -1.0]])
    np.testing.assert_allclose(layer.forward(z), z**3)
    np.testing.assert_allclose(layer.backward(dout), dout * 3 * z**2)
    with pytest.raises(ValueError, match="output_range must be an interval"):
        act.ActivationFunction("bad", "Bad", np.abs, np.sign, "", "", (1.0, -1.0), None)

