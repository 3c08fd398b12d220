r"""
A recommender by matrix factorization, from scratch and in TensorFlow
=====================================================================

.. title-ko: 행렬 분해로 만든 추천 시스템: 밑바닥부터, 그리고 TensorFlow로

.. only:: en

   The lecture's Netflix and Amazon examples, working: a synthetic ratings
   matrix whose user and item factors are planted, so the truth is known;
   two baselines (the global mean and each item's mean); matrix factorization
   by alternating least squares in ``ann_lib``; the same model as an embedding
   model trained by gradient descent in TensorFlow; their errors on held-out
   ratings, and how well they rank the items each user has not rated yet.

.. only:: ko

   강의의 넷플릭스와 아마존 예를 실제로 돌려 봅니다. 사용자와 아이템의 요인을 미리
   심어 두어 정답을 아는 합성 평점 행렬, 두 기준선(전체 평균과 아이템별 평균),
   ``ann_lib``\ 의 교대 최소 제곱법으로 푸는 행렬 분해, 같은 모델을 TensorFlow의 임베딩
   모델로 만들어 경사 하강법으로 학습시킨 것을 차례로 봅니다. 따로 떼어 둔 평점에서의
   오차와, 사용자가 아직 평가하지 않은 아이템의 순위를 얼마나 잘 매기는지를 잽니다.
"""

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from ann_lib.datasets import make_ratings
from ann_lib.metrics import ndcg_at_k, precision_at_k
from ann_lib.recommender import MatrixFactorization, MeanBaseline, rmse, top_n

# sphinx_gallery_start_ignore
# The Korean edition draws this figure again with these strings (_ext/bookbuild/figures_korean.py).
KOREAN = {
    "ALS (ann_lib), sweep x 4: {}": "ALS (ann_lib), 스윕 × 4: {}",
    "embedding (TF), epoch: {}": "임베딩(TF), 에포크: {}",
    "global mean: {}": "전체 평균: {}",
    "item mean: {}": "아이템 평균: {}",
    "noise floor: {}": "잡음 하한: {}",
    "epoch (TF) / 4 x sweep (ALS)": "에포크(TF) / 스윕 × 4 (ALS)",
    "test RMSE": "테스트 RMSE",
    "precision@10": "정밀도@10",
    "item mean": "아이템 평균",
    "embedding\n(TF)": "임베딩\n(TF)",
    "ranking the unrated items": "평가하지 않은 아이템의 순위",
}
KEPT_IN_LATIN = {"ALS"}
# sphinx_gallery_end_ignore

# %%
# .. only:: en
#
#    **The data.** 300 users, 200 items, four planted factors; each user has
#    rated 40 items, popular items more often; one rating in five of each user
#    is held out for testing. The noise on each rating has a standard deviation
#    of 0.5, so even the planted model cannot predict the held-out ratings
#    better than the "noise floor" printed below.
#
# .. only:: ko
#
#    **데이터.** 사용자 300명, 아이템 200개, 심어 둔 요인 네 개입니다. 사용자마다
#    아이템 40개를 평가했고, 인기 있는 아이템일수록 자주 평가받습니다. 사용자마다 평점
#    다섯 개 중 하나를 테스트용으로 떼어 둡니다. 평점마다 표준편차 0.5의 잡음이
#    있으므로, 심어 둔 모델 자체도 아래에 출력하는 "잡음 하한"보다 정확하게 맞힐 수는
#    없습니다.

data = make_ratings(n_users=300, n_items=200, n_factors=4, density=0.2, noise=0.5, rng=np.random.default_rng(0))
train, test = data.split(test_fraction=0.2, rng=np.random.default_rng(1))
noise_floor = rmse(test.ratings, data.expected[test.users, test.items])
print(f"{len(train)} training and {len(test)} test ratings; noise floor (planted model) RMSE {noise_floor:.3f}")

test_rmse = {}
for kind in ("global", "item"):
    baseline = MeanBaseline(data.n_users, data.n_items, kind).fit(train.users, train.items, train.ratings)
    test_rmse[f"{kind} mean"] = rmse(test.ratings, baseline.predict(test.users, test.items))
item_means = baseline  # the item-mean baseline, a popularity ranking

# %%
# .. only:: en
#
#    **From scratch: alternating least squares.** ``ann_lib.recommender.MatrixFactorization``
#    with four factors and :math:`\lambda = 5`, ten sweeps; the test RMSE is
#    recorded after each.
#
# .. only:: ko
#
#    **밑바닥부터: 교대 최소 제곱법.** 요인이 네 개이고 :math:`\lambda = 5`\ 인
#    ``ann_lib.recommender.MatrixFactorization``\ 을 열 번 번갈아 풉니다. 한 번
#    돌 때마다 테스트 RMSE를 기록합니다.

als = MatrixFactorization(data.n_users, data.n_items, n_factors=4, reg=5.0, rng=np.random.default_rng(2))
als_curve = []
als.fit_als(train.users, train.items, train.ratings, sweeps=10,
            callback=lambda sweep, model: als_curve.append(rmse(test.ratings, model.predict(test.users, test.items))))
test_rmse["ALS (ann_lib)"] = als_curve[-1]

# %%
# .. only:: en
#
#    **In TensorFlow: an embedding model.** An ``Embedding`` layer is a table
#    with one trainable row per index, so the user vectors, the item vectors and
#    the two biases are four embeddings; the prediction is the same sum
#    :math:`\mu + b_u + b_i + \mathbf{p}_u \cdot \mathbf{q}_i`. Adam minimizes
#    the mean squared error plus the same L2 penalty (divided by the number of
#    ratings, so that it matches :math:`J` up to a constant factor), on
#    mini-batches of 256, for 40 epochs.
#
# .. only:: ko
#
#    **TensorFlow로: 임베딩 모델.** ``Embedding`` 층은 인덱스마다 학습할 수 있는 행이
#    하나씩 있는 표입니다. 그래서 사용자 벡터, 아이템 벡터, 두 편향이 임베딩 네 개가
#    되고, 예측은 같은 합 :math:`\mu + b_u + b_i + \mathbf{p}_u \cdot \mathbf{q}_i`\ 입니다.
#    Adam으로 평균 제곱 오차에 같은 L2 벌점(평점 수로 나누어 :math:`J`\ 와
#    상수배만 다르게 한 것)을 더한 값을 크기 256인 미니배치로 40에포크 동안 최소화합니다.

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()


class EmbeddingRecommender(tf.keras.Model):
    """mu + b_u + b_i + p_u . q_i with four Embedding tables."""

    def __init__(self, n_users, n_items, n_factors, mu):
        super().__init__()
        init = tf.keras.initializers.RandomNormal(stddev=0.1)
        self.user_vectors = tf.keras.layers.Embedding(n_users, n_factors, embeddings_initializer=init)
        self.item_vectors = tf.keras.layers.Embedding(n_items, n_factors, embeddings_initializer=init)
        self.user_bias = tf.keras.layers.Embedding(n_users, 1, embeddings_initializer="zeros")
        self.item_bias = tf.keras.layers.Embedding(n_items, 1, embeddings_initializer="zeros")
        self.mu = mu

    def call(self, users, items):
        dot = tf.reduce_sum(self.user_vectors(users) * self.item_vectors(items), axis=1)
        return self.mu + dot + tf.squeeze(self.user_bias(users), 1) + tf.squeeze(self.item_bias(items), 1)


embedding_model = EmbeddingRecommender(data.n_users, data.n_items, 4, float(train.ratings.mean()))
optimizer = tf.keras.optimizers.Adam(0.02)
reg = 5.0 / len(train)
users, items = tf.constant(train.users), tf.constant(train.items)
ratings = tf.constant(train.ratings, tf.float32)


@tf.function
def train_step(u, i, r):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((r - embedding_model(u, i)) ** 2)
        loss += reg * tf.add_n([tf.reduce_sum(w**2) for w in embedding_model.trainable_variables])
    gradients = tape.gradient(loss, embedding_model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, embedding_model.trainable_variables))


rng = np.random.default_rng(3)
tf_curve = []
for epoch in range(40):
    order = rng.permutation(len(train))
    for start in range(0, len(train), 256):
        batch = order[start:start + 256]
        train_step(tf.gather(users, batch), tf.gather(items, batch), tf.gather(ratings, batch))
    tf_curve.append(rmse(test.ratings, embedding_model(test.users, test.items).numpy()))
test_rmse["embedding (TensorFlow)"] = tf_curve[-1]

for name, value in test_rmse.items():
    print(f"test RMSE {name:24s} {value:.3f}")

# %%
# .. only:: en
#
#    **Ranking.** What a user sees is not a predicted rating but a list. For
#    every user, the items not rated in training are ranked by each model's
#    score (items already rated are put last and count as irrelevant). The
#    truth is the planted rating: graded relevance 1 for a rating that rounds
#    to 4 stars and 2 for 5 stars (0 otherwise) for NDCG@10, and "rounds to 5
#    stars" for precision@10.
#
# .. only:: ko
#
#    **순위.** 사용자가 보는 것은 예측 평점이 아니라 목록입니다. 사용자마다 학습에서
#    평가하지 않은 아이템을 모델의 점수로 순서를 매깁니다(이미 평가한 아이템은 맨 뒤로
#    보내고 관련 없는 것으로 칩니다). 정답은 심어 둔 평점입니다. NDCG@10에는 반올림해서
#    별 4개이면 1, 5개이면 2, 그 밖에는 0인 등급 관련도를, precision@10에는 "반올림해서
#    별 5개"를 씁니다.

rated = np.zeros((data.n_users, data.n_items), dtype=bool)
rated[train.users, train.items] = True
stars = np.round(data.expected)
graded = np.where(rated, 0.0, np.clip(stars - 3, 0, 2))
liked = np.where(rated, 0.0, (stars >= 5).astype(float))
all_users = np.repeat(np.arange(data.n_users), data.n_items)
all_items = np.tile(np.arange(data.n_items), data.n_users)
scores = {
    "item mean": item_means.scores(),
    "ALS (ann_lib)": als.scores(),
    "embedding (TensorFlow)": embedding_model(all_users, all_items).numpy().reshape(data.n_users, data.n_items),
}
ranking = {}
for name, score in scores.items():
    unrated_first = np.where(rated, score.min() - 1.0, score)
    ranking[name] = (ndcg_at_k(graded, unrated_first, 10), precision_at_k(liked, unrated_first, 10))
    print(f"{name:24s} NDCG@10 {ranking[name][0]:.3f}  precision@10 {ranking[name][1]:.3f}")

user = 0
print(f"user {user}: top 5 by ALS      ", top_n(als.scores()[user], 5, exclude=train.items[train.users == user]),
      "planted ratings", np.round(data.expected[user, top_n(als.scores()[user], 5,
                                                             exclude=train.items[train.users == user])], 1))
print(f"user {user}: top 5 by item mean", top_n(item_means.scores()[user], 5,
                                              exclude=train.items[train.users == user]))

# %%
# .. only:: en
#
#    **The picture.** Left, the test RMSE as training goes on, against the two
#    baselines and the noise floor. Right, the two ranking metrics.
#
# .. only:: ko
#
#    **그림.** 왼쪽은 학습이 진행되는 동안의 테스트 RMSE를 두 기준선, 잡음 하한과 함께
#    보여 주고, 오른쪽은 두 순위 지표를 보여 줍니다.

fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.4), layout="constrained")
left.plot(np.arange(1, 11) * 4, als_curve, "o-", color="tab:blue",
          label=f"ALS (ann_lib), sweep x 4: {als_curve[-1]:.3f}")
left.plot(np.arange(1, 41), tf_curve, color="tab:orange", label=f"embedding (TF), epoch: {tf_curve[-1]:.3f}")
for (name, color) in (("global mean", "tab:gray"), ("item mean", "black")):
    left.axhline(test_rmse[name], color=color, linestyle="--", label=f"{name}: {test_rmse[name]:.3f}")
left.axhline(noise_floor, color="tab:green", linestyle=":", label=f"noise floor: {noise_floor:.3f}")
left.set_xlabel("epoch (TF) / 4 x sweep (ALS)")
left.set_ylabel("test RMSE")
left.legend(fontsize=7)
names = list(ranking)
positions = np.arange(len(names))
right.bar(positions - 0.2, [ranking[n][0] for n in names], 0.4, label="NDCG@10")
right.bar(positions + 0.2, [ranking[n][1] for n in names], 0.4, label="precision@10")
for x, name in zip(positions, names):
    right.text(x - 0.2, ranking[name][0], f"{ranking[name][0]:.2f}", ha="center", va="bottom", fontsize=7)
    right.text(x + 0.2, ranking[name][1], f"{ranking[name][1]:.2f}", ha="center", va="bottom", fontsize=7)
right.set_xticks(positions, ["item mean", "ALS\n(ann_lib)", "embedding\n(TF)"], fontsize=8)
right.set_ylim(0, 1.1)
right.legend(fontsize=7, loc="lower right")
right.set_title("ranking the unrated items", fontsize=9)
plt.show()
