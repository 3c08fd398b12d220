"""ann_lib.recommender and ann_lib.datasets.ratings: matrix factorization by alternating least squares."""

import numpy as np
import pytest

from ann_lib.datasets import make_ratings
from ann_lib.datasets.ratings import Ratings
from ann_lib.recommender import MatrixFactorization, MeanBaseline, rmse, top_n


@pytest.fixture(scope="module")
def data():
    ratings = make_ratings(n_users=120, n_items=80, density=0.25, rng=np.random.default_rng(0))
    return ratings, *ratings.split(rng=np.random.default_rng(1))


def test_ratings_are_seeded_and_planted():
    a = make_ratings(n_users=30, n_items=20, rng=np.random.default_rng(5))
    b = make_ratings(n_users=30, n_items=20, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a.ratings, b.ratings)
    assert a.expected.shape == (30, 20) and a.user_factors.shape == (30, 4) and a.item_factors.shape == (20, 4)
    assert np.all((a.ratings >= 1) & (a.ratings <= 5))
    # each user rates round(density * n_items) distinct items
    pairs = set(zip(a.users.tolist(), a.items.tolist()))
    assert len(pairs) == len(a) == 30 * 4
    planted = np.clip(a.global_mean + a.user_bias[:, None] + a.item_bias[None, :] + a.user_factors @ a.item_factors.T, 1, 5)
    np.testing.assert_allclose(a.expected, planted)
    noiseless = make_ratings(n_users=30, n_items=20, noise=0.0, rng=np.random.default_rng(5))
    np.testing.assert_allclose(noiseless.ratings, noiseless.expected[noiseless.users, noiseless.items])
    assert np.isnan(a.dense()).sum() == 30 * 20 - len(a)


def test_split_keeps_every_user_in_training(data):
    full, train, test = data
    assert len(train) + len(test) == len(full)
    assert set(np.unique(train.users)) == set(range(full.n_users))
    train_pairs = set(zip(train.users.tolist(), train.items.tolist()))
    assert not train_pairs & set(zip(test.users.tolist(), test.items.tolist()))
    assert abs(len(test) / len(full) - 0.2) < 0.02


def test_mean_baselines():
    users, items, ratings = np.array([0, 1, 0, 2]), np.array([0, 0, 1, 1]), np.array([4.0, 2.0, 5.0, 1.0])
    item = MeanBaseline(3, 3, "item").fit(users, items, ratings)
    np.testing.assert_allclose(item.predict(np.array([0, 0, 0]), np.array([0, 1, 2])), [3.0, 3.0, 3.0])
    item = MeanBaseline(3, 3, "item").fit(users[:3], items[:3], ratings[:3])
    np.testing.assert_allclose(item.predict(np.array([0, 0, 0]), np.array([0, 1, 2])), [3.0, 5.0, 11 / 3])
    glob = MeanBaseline(3, 3, "global").fit(users, items, ratings)
    assert np.all(glob.scores() == 3.0)


def test_als_decreases_the_objective_and_beats_the_baselines(data):
    full, train, test = data
    model = MatrixFactorization(full.n_users, full.n_items, 4, reg=1.0, rng=np.random.default_rng(2))
    history = model.fit_als(train.users, train.items, train.ratings, sweeps=8)
    assert np.all(np.diff(history) <= 1e-9 * history[0])  # each exact step can only lower J
    errors = {
        kind: rmse(test.ratings, MeanBaseline(full.n_users, full.n_items, kind)
                   .fit(train.users, train.items, train.ratings).predict(test.users, test.items))
        for kind in ("global", "item")
    }
    ours = rmse(test.ratings, model.predict(test.users, test.items))
    noise_floor = rmse(test.ratings, full.expected[test.users, test.items])
    assert noise_floor < ours < errors["item"] < errors["global"]
    # the learned scores order each user's items much as the planted ratings do
    correlation = np.mean([np.corrcoef(s, t)[0, 1] for s, t in zip(model.scores(), full.expected)])
    assert correlation > 0.8


def test_item_step_is_the_exact_minimum():
    """After a sweep, no small change of one item's parameters lowers J (ridge regression's optimum)."""
    full = make_ratings(n_users=20, n_items=15, density=0.5, rng=np.random.default_rng(3))
    model = MatrixFactorization(full.n_users, full.n_items, 3, reg=0.5, rng=np.random.default_rng(4))
    model.fit_als(full.users, full.items, full.ratings, sweeps=1)
    # the item step came last: the item parameters are optimal given the users
    base = model.loss(full.users, full.items, full.ratings)
    rng = np.random.default_rng(0)
    for _ in range(10):
        item = rng.integers(full.n_items)
        step = rng.normal(0, 1e-3, model.n_factors)
        model.Q[item] += step
        assert model.loss(full.users, full.items, full.ratings) >= base - 1e-9
        model.Q[item] -= step


def test_top_n():
    scores = np.array([0.1, 0.9, 0.5, 0.9, 0.3])
    np.testing.assert_array_equal(top_n(scores, 3), [1, 3, 2])
    np.testing.assert_array_equal(top_n(scores, 2, exclude=np.array([1])), [3, 2])
    with pytest.raises(ValueError, match="only 1 items are left"):
        top_n(scores, 2, exclude=np.array([0, 1, 2, 3]))


def test_bad_input():
    with pytest.raises(TypeError, match="rng=numpy.random.default_rng"):
        make_ratings(rng=0)
    with pytest.raises(ValueError, match="density must lie strictly between 0 and 1"):
        make_ratings(density=1.5, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="test_fraction must lie strictly between 0 and 1"):
        make_ratings(n_users=3, n_items=4, rng=np.random.default_rng(0)).split(test_fraction=1.0, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="y_pred must be finite"):
        rmse([1.0, 2.0], [1.0, np.inf])
    model = MatrixFactorization(3, 2, 2, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"items must lie in 0..1 \(n_items = 2\)"):
        model.predict(np.array([0]), np.array([2]))
    with pytest.raises(TypeError, match="users must hold integer indices"):
        model.predict(np.array([0.5]), np.array([1]))
    with pytest.raises(ValueError, match="ratings must be finite"):
        model.fit_als(np.array([0]), np.array([1]), np.array([np.inf]))
    with pytest.raises(ValueError, match="reg must be a finite number >= 0"):
        MatrixFactorization(3, 2, reg=-1.0, rng=np.random.default_rng(0))
    with pytest.raises(RuntimeError, match="fit"):
        MeanBaseline(3, 2).predict(np.array([0]), np.array([0]))
    with pytest.raises(ValueError, match=r"y_true has shape \(2,\) but y_pred has shape \(1,\)"):
        rmse([1.0, 2.0], [1.0])
    assert isinstance(make_ratings(n_users=2, n_items=2, rng=np.random.default_rng(0)), Ratings)
