"""Chapter 12's numbers: what its gallery scripts computed in the clean build holds what the chapter says.

* learning curves: every method improves with more labelled data, the CNN trained exactly as in
  chapter 5 reaches 95% on the full training set, and the curves cross as the chapter says
  (plot_learning_curves.py);
* initialization and nonlinearity: of the four ten-layer networks only ReLU with He's scale learns
  (plot_init_and_nonlinearity.py);
* compute: the FLOPs counted from the ann_lib model agree with a count from the Keras model's own
  layers, and this machine's throughput beats the one derived from LeCun et al. (1989)
  (plot_flop_count.py, plot_epoch_timing.py).

The recommender's numbers are held by tests/tf/test_tf_recommender.py.
"""


import numpy as np
import pytest





def test_learning_curves(gallery_results):
    result = gallery_results("12_why_now", "plot_learning_curves.py")
    sizes, scores = result["sizes"], result["scores"]
    assert sizes[0] <= 50 and sizes[-1] == 1347
    for name, table in scores.items():
        assert table.shape == (3, len(sizes))  # three seeds
        mean = table.mean(axis=0)
        assert mean[-1] > mean[0] + 0.1, name  # more labelled data helps every method
        assert 0.1 < mean[0] and mean[-1] <= 1.0
    assert scores["CNN (chapter 5)"][:, -1].min() >= 0.95  # chapter 5's bar, on every seed
    # what the chapter says of the curves: the CNN leads with few examples, the SVM with all of them,
    # so they cross; the forest trails the SVM everywhere
    cnn, svm, forest = (scores[name].mean(axis=0) for name in ("CNN (chapter 5)", "SVM (RBF kernel)", "random forest"))
    assert cnn[0] > svm[0] and svm[-1] > cnn[-1]
    assert result["crossings"][("CNN (chapter 5)", "SVM (RBF kernel)")]
    assert np.all(forest < svm)
    # the crossings the script reports are where the sign of the difference of the means changes
    for (first, second), changes in result["crossings"].items():
        difference = np.sign(scores[first].mean(axis=0) - scores[second].mean(axis=0))
        expected = [sizes[j] for j in range(1, len(sizes)) if difference[j] not in (0, difference[j - 1])]
        assert changes == expected


def test_only_relu_with_he_learns_at_depth_ten(gallery_results):
    result = gallery_results("12_why_now", "plot_init_and_nonlinearity.py")
    accuracy = {(activation, init): score for (activation, _), (init, _, score, _, _) in result["results"].items()}
    assert accuracy["relu", "he_normal"] >= 0.9
    for cell in [("sigmoid", "naive_normal"), ("sigmoid", "glorot_uniform"), ("relu", "naive_normal")]:
        assert accuracy[cell] <= 0.2, cell
    first_layer = {init: g for (activation, _), (init, g, _, _, _) in result["results"].items() if activation == "relu"}
    assert first_layer["naive_normal"] < 1e-3 * first_layer["he_normal"]  # naive weights starve the first layer


@pytest.mark.slow
@pytest.mark.tf
def test_compute_counts_and_throughput(run_gallery_script):
    """Runs the scripts (not gallery_results): the test needs the Keras model itself, to count its FLOPs."""
    counted = run_gallery_script("12_why_now", "plot_flop_count.py")
    result = run_gallery_script("12_why_now", "plot_epoch_timing.py")
    # the counting example and the timing example count the same FLOPs, and the layers add up
    assert counted["flops_per_image"] == result["flops_per_image"]
    assert sum(3 * flops for _, flops in counted["per_layer"]) == counted["flops_per_image"]
    keras_model, image = result["keras_model"], result["X_train"][:1].astype(np.float32)
    # an independent count: from the Keras layers' kernels and the shapes of their outputs
    multiply_adds = 0
    x = image
    for layer in keras_model.layers:
        y = layer(x).numpy()
        if hasattr(layer, "kernel"):
            positions = int(np.prod(y.shape[1:-1]))
            multiply_adds += positions * int(np.prod(layer.kernel.shape))
        x = y
    assert result["flops_per_image"] == 3 * 2 * multiply_adds
    assert keras_model.count_params() == result["model"].n_params
    for seconds in (result["numpy_seconds"], result["tensorflow_seconds"]):
        assert 0 < seconds < 600
    assert result["ratio"] > 1  # this machine's numpy beats the SUN-4/260 of 1989
    assert 0.5 < result["lecun_1989_images_per_second"] < 0.8  # 167,693 presentations in three days
