"""Chapter 12's recommender, checked with TensorFlow.

* tf.GradientTape differentiates the objective J of ann_lib.recommender and finds the ALS step
  to be an exact minimum (zero gradient for the parameters it just solved for);
* the gallery script (ALS in ann_lib, an embedding model in TensorFlow) beats the global and
  per-item means on held-out ratings, the two models agree, and both rank far better than the
  item means (plot_recommender.py).
"""


import numpy as np
import pytest
import tensorflow as tf

from ann_lib.datasets import make_ratings
from ann_lib.recommender import MatrixFactorization

pytestmark = pytest.mark.tf


def tf_objective(model, users, items, ratings):
    variables = [tf.Variable(v) for v in (model.P, model.Q, model.user_bias, model.item_bias)]
    P, Q, user_bias, item_bias = variables
    with tf.GradientTape() as tape:
        predicted = (model.mu + tf.gather(user_bias, users) + tf.gather(item_bias, items)
                     + tf.reduce_sum(tf.gather(P, users) * tf.gather(Q, items), axis=1))
        J = tf.reduce_sum((ratings - predicted) ** 2) + model.reg * tf.add_n([tf.reduce_sum(v**2) for v in variables])
    return J, tape.gradient(J, variables)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_als_item_step_is_a_minimum_of_the_tensorflow_objective(seed):
    data = make_ratings(n_users=30, n_items=20, n_factors=3, density=0.4, rng=np.random.default_rng(seed))
    model = MatrixFactorization(data.n_users, data.n_items, 3, reg=0.7, rng=np.random.default_rng(seed + 10))
    model.fit_als(data.users, data.items, data.ratings, sweeps=2)
    J, (dP, dQ, dbu, dbi) = tf_objective(model, data.users, data.items, data.ratings)
    assert J.numpy() == pytest.approx(model.loss(data.users, data.items, data.ratings), rel=1e-12)
    scale = np.abs(dP.numpy()).max()
    assert scale > 1e-6  # the users were solved for before the items moved: not at their minimum
    assert np.abs(dQ.numpy()).max() < 1e-9 * max(1.0, J.numpy())
    assert np.abs(dbi.numpy()).max() < 1e-9 * max(1.0, J.numpy())


def test_als_user_step_is_a_minimum_too():
    """Stop after the user step (one sweep, then redo the user half) and the user gradient vanishes."""
    data = make_ratings(n_users=25, n_items=15, n_factors=2, density=0.5, rng=np.random.default_rng(4))
    model = MatrixFactorization(data.n_users, data.n_items, 2, reg=0.3, rng=np.random.default_rng(5))
    model.fit_als(data.users, data.items, data.ratings, sweeps=1)
    solution = model._solve(data.users, data.items, data.ratings - model.mu - model.item_bias[data.items],
                            data.n_users, model.Q)
    model.P, model.user_bias = solution[:, :-1], solution[:, -1]
    _, (dP, _, dbu, _) = tf_objective(model, data.users, data.items, data.ratings)
    assert np.abs(dP.numpy()).max() < 1e-9 and np.abs(dbu.numpy()).max() < 1e-9


def test_recommender_script(gallery_results):
    result = gallery_results("12_why_now", "plot_recommender.py")
    rmse, ranking, floor = result["test_rmse"], result["ranking"], result["noise_floor"]
    assert floor < rmse["ALS (ann_lib)"] < rmse["item mean"] < rmse["global mean"]
    assert floor < rmse["embedding (TensorFlow)"] < rmse["item mean"]
    assert rmse["ALS (ann_lib)"] < rmse["item mean"] - 0.2  # a wide margin, not a tie
    assert abs(rmse["ALS (ann_lib)"] - rmse["embedding (TensorFlow)"]) < 0.05  # two routes, one minimum
    for model in ("ALS (ann_lib)", "embedding (TensorFlow)"):
        assert ranking[model][0] > ranking["item mean"][0] + 0.15  # NDCG@10
        assert ranking[model][1] > ranking["item mean"][1] + 0.15  # precision@10
    assert all(0 <= value <= 1 for pair in ranking.values() for value in pair)
