"""ann_lib.datasets: the slides' truth tables, the toy sets, the digits split."""

import subprocess
import sys

import numpy as np
import pytest

from ann_lib import datasets

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]

# The lecture's slide 03, row by row: X1, X2, output.
SLIDE_TABLES = {
    "and": [(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 1)],
    "or": [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 1)],
    "xor": [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)],
    "nand": [(0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 0)],
}


@pytest.mark.parametrize("name", SLIDE_TABLES)
def test_logic_gates_are_the_slides_truth_tables(name):
    X, y = datasets.logic_gate(name)
    assert X.dtype == np.float64 and X.shape == (4, 2)
    assert y.dtype == np.int64 and y.shape == (4,)
    assert [(int(a), int(b), int(c)) for (a, b), c in zip(X, y)] == SLIDE_TABLES[name]
    assert np.array_equal(datasets.logic_gate(name.upper())[1], y)


def test_unknown_gate():
    with pytest.raises(ValueError, match="name must be one of 'and', 'or', 'xor', 'nand', got 'nor'"):
        datasets.logic_gate("nor")
    with pytest.raises(TypeError):
        datasets.logic_gate(1)


@pytest.mark.parametrize("make", [datasets.make_moons, datasets.make_circles, datasets.make_spirals])
def test_toy_sets_are_reproducible_and_balanced(make):
    X, y = make(101, noise=0.1, rng=np.random.default_rng(0))
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1}
    assert abs(np.sum(y == 0) - np.sum(y == 1)) <= 1
    X2, y2 = make(101, noise=0.1, rng=np.random.default_rng(0))
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X3, _ = make(101, noise=0.1, rng=np.random.default_rng(1))
    assert not np.array_equal(X, X3)


def test_toy_set_geometry_without_noise():
    X, y = datasets.make_circles(100, noise=0.0, factor=0.3, rng=np.random.default_rng(0))
    radius = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)
    X, y = datasets.make_moons(100, noise=0.0, rng=np.random.default_rng(0))
    np.testing.assert_allclose(np.linalg.norm(X[y == 0], axis=1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(X[y == 1] - [1.0, 0.5], axis=1), 1.0)
    X, y = datasets.make_spirals(90, n_classes=3, noise=0.0, rng=np.random.default_rng(0))
    assert np.bincount(y).tolist() == [30, 30, 30]
    assert np.linalg.norm(X, axis=1).max() == pytest.approx(1.0)


def test_toy_sets_need_an_rng():
    with pytest.raises(TypeError, match="default_rng"):
        datasets.make_moons(10, rng=0)
    with pytest.raises(ValueError, match="noise"):
        datasets.make_circles(10, noise=-1.0, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="n_samples"):
        datasets.make_spirals(1, rng=np.random.default_rng(0))


def test_load_digits_flat_and_stratified():
    X_train, X_test, y_train, y_test = datasets.load_digits()
    assert X_train.shape[1:] == (64,) and X_test.shape[1:] == (64,)
    assert len(X_train) + len(X_test) == 1797
    assert X_train.dtype == np.float64 and y_train.dtype == np.int64
    assert X_train.min() == 0.0 and X_train.max() == 1.0
    counts = np.bincount(np.concatenate([y_train, y_test]), minlength=10)
    np.testing.assert_array_equal(np.bincount(y_test, minlength=10), np.round(0.25 * counts).astype(int))
    # train and test share no image: compare them row by row
    train_rows = {row.tobytes() for row in X_train}
    assert sum(row.tobytes() in train_rows for row in X_test) <= 5  # the digits set holds a few exact duplicates


def test_load_digits_is_fixed_by_its_seed_and_layouts_agree():
    a = datasets.load_digits(seed=0)
    b = datasets.load_digits(layout="nhwc", seed=0)
    c = datasets.load_digits(seed=1)
    assert b[0].shape[1:] == (8, 8, 1)
    np.testing.assert_array_equal(a[0], b[0].reshape(len(b[0]), 64))
    np.testing.assert_array_equal(a[2], b[2])
    assert not np.array_equal(a[3], c[3])
    assert len(datasets.load_digits(test_fraction=0.5)[1]) == pytest.approx(1797 / 2, abs=6)


def test_load_digits_bad_arguments():
    with pytest.raises(ValueError, match="layout"):
        datasets.load_digits(layout="nchw")
    with pytest.raises(ValueError, match="test_fraction"):
        datasets.load_digits(test_fraction=1.0)


def test_module_imports_only_numpy():
    code = "import sys, ann_lib.datasets; print(sorted(m for m in ('sklearn', 'tensorflow', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
