"""The hostile-input catalogue: every public callable of ann_lib, called as a careless learner would.

Used by ``tests/test_hostile_input.py``. For every module of the ``ann_lib`` package (found by
walking it, subpackages included) and every name in its ``__all__`` that can be called
(functions, classes, and the public methods of those classes), the catalogue

1. makes one *valid* call: from :data:`VALID` when the callable is listed there, otherwise
   inferred from its signature and the shapes its docstring documents (``x : (N, D)``);
2. calls it again once per parameter and per hostile value of that parameter's kind
   (:func:`hostile_values`): NaN, +-inf, empty, wrong rank and shape, wrong dtype
   (complex, strings, float16, float32), non-contiguous arrays, ragged lists, ``None``, wrong
   objects, zero, negative, fractional and absurd sizes, a learning rate of 1e6, ...;
3. classifies each outcome (:func:`classify`):

   ``error``   a ``ValueError``/``TypeError`` raised by ann_lib whose message names the argument;
   ``result``  a sound result for unusual but valid input (no NaN; an infinity only where the
               function has a limit there; the same result as the plain call for an equivalent
               input such as float32 or a non-contiguous copy);
   ``limit``   a ``MemoryError`` for an absurd size, or ``TrainingDiverged`` for lr = 1e6;
   ``FAIL``    anything else: NaN/inf in the result or in a model it changed, invalid input
               accepted, an error that does not name the argument or comes from inside numpy,
               an unrelated exception (AttributeError, ZeroDivisionError, ...), a numpy warning,
               a timeout.

A new public function is covered the moment it is in an ``__all__``. If its valid call cannot be
inferred, the table says ``no valid call``: add an entry to :data:`VALID`.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import itertools
import math
import numbers
import os
import pkgutil
import re
import resource
import shutil
import signal
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

import ann_lib

ANN_LIB_DIR = Path(ann_lib.__file__).resolve().parent
CALL_TIMEOUT = 20.0  # seconds per hostile call, on a loaded machine
VALID_CALL_TIMEOUT = 60.0  # the first call may import a dependency (scikit-learn)

# ------------------------------------------------------------------------------ enumeration


def public_modules() -> list[str]:
    """Every module of the ann_lib package that declares ``__all__``, subpackages included."""
    names = []
    for info in pkgutil.walk_packages(ann_lib.__path__, prefix="ann_lib."):
        if info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        names.append(info.name)
    return sorted(names)


@dataclass
class Target:
    """One public callable: a function, a class (its constructor) or a method of a public class."""

    module: str
    qualname: str  # "conv2d", "Dense", "Dense.forward"
    obj: Any
    owner: type | None = None  # the class, for a method

    @property
    def short(self) -> str:
        return f"{self.module.rsplit('.', 1)[-1]}.{self.qualname}"


#: Result records and exceptions: made by ann_lib for the reader, not given input by the reader.
RECORD_TYPES = {"TrainingDiverged", "History", "GradientNorms", "ActivationStats", "CDStep", "PretrainedLayer",
                "Evaluation"}
#: Interfaces whose methods raise NotImplementedError by design.
ABSTRACT = {"Layer", "Loss"}


def _is_local(obj: Any, module: str) -> bool:
    return getattr(obj, "__module__", None) == module


def _is_result_record(cls: type, module: Any) -> bool:
    """A dataclass without checks that the module's functions return and never take: a result, not an input."""
    named_tuple = issubclass(cls, tuple) and hasattr(cls, "_fields")
    if not (dataclasses.is_dataclass(cls) or named_tuple) or hasattr(cls, "__post_init__"):
        return False
    returned = taken = False
    for obj in vars(module).values():
        functions = [obj] if inspect.isfunction(obj) else [m for m in vars(obj).values() if inspect.isfunction(m)] \
            if inspect.isclass(obj) and _is_local(obj, module.__name__) else []
        for function in functions:
            annotations = {k: str(v) for k, v in getattr(function, "__annotations__", {}).items()}
            returned |= bool(re.search(rf"\b{cls.__name__}\b", annotations.get("return", "")))
            taken |= any(re.search(rf"\b{cls.__name__}\b", v) for k, v in annotations.items() if k != "return")
    return returned and not taken


def targets(module_name: str) -> list[Target]:
    """The callables a reader can reach through ``module.__all__``, defined in that module."""
    module = importlib.import_module(module_name)
    found: list[Target] = []
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if not _is_local(obj, module_name):  # re-exported (ann_lib.metrics, ann_lib.datasets)
            continue
        if inspect.isclass(obj):
            if issubclass(obj, BaseException) or name in RECORD_TYPES or _is_result_record(obj, module):
                continue
            if name not in ABSTRACT:
                found.append(Target(module_name, name, obj))
            for method_name, method in sorted(vars(obj).items()):
                if method_name.startswith("_") or not inspect.isfunction(method) or name in ABSTRACT:
                    continue
                found.append(Target(module_name, f"{name}.{method_name}", method, owner=obj))
        elif inspect.isfunction(obj):
            found.append(Target(module_name, name, obj))
    return found


# ------------------------------------------------------------------------------ valid calls


def rng0() -> np.random.Generator:
    return np.random.default_rng(0)


def _normal(*shape: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape)


def _unit(*shape: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).random(shape)


def _model():
    from ann_lib.network import mlp

    return mlp([3, 4, 2], hidden_activation="tanh", rng=rng0())


def _trained_grads_model():
    from ann_lib.losses import SoftmaxCrossEntropy

    model = _model()
    loss = SoftmaxCrossEntropy()
    loss.forward(model.forward(_normal(5, 3)), np.array([0, 1, 0, 1, 1]))
    model.backward(loss.backward())
    return model


def _after_forward(layer, x):
    layer.forward(x)
    return layer


def _import(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _valid_table() -> dict[str, Callable[[], tuple[Callable, dict]]]:
    """Valid calls of the existing library, keyed ``"name"`` or ``"module.name"``.

    The key is the callable's name, not its module, so that moving a function to another
    module keeps its entry. Each value returns ``(callable, kwargs)``, built afresh for every
    call (hostile calls may change the objects they are given).
    """
    imp = _import
    labels = np.array([0, 1, 0, 1, 1])
    table: dict[str, Callable[[], tuple[Callable, dict]]] = {
        # activations
        "activations.get": lambda: (imp("ann_lib.activations.get"), {"name": "relu"}),
        "ActivationFunction": lambda: (
            imp("ann_lib.activations.ActivationFunction"),
            dict(name="cube", title="Cube", function=lambda z: np.asarray(z) ** 3,
                 derivative=lambda z: 3 * np.asarray(z) ** 2, equation=r"\phi(z) = z^3", example="none",
                 output_range=(-math.inf, math.inf), tensorflow=None),
        ),
        "activations.Activation": lambda: (  # the registry row's name before the rename
            imp("ann_lib.activations.Activation"),
            dict(name="cube", title="Cube", function=lambda z: np.asarray(z) ** 3,
                 derivative=lambda z: 3 * np.asarray(z) ** 2, equation=r"\phi(z) = z^3", example="none",
                 output_range=(-math.inf, math.inf), tensorflow=None),
        ),
        "activations.lookup": lambda: (imp("ann_lib.activations.lookup"), dict(value="relu", argument="activation")),
        "initializers.lookup": lambda: (imp("ann_lib.initializers.lookup"), dict(value="he_normal", argument="init")),
        "initial_weights": lambda: (imp("ann_lib.initializers.initial_weights"),
                                    dict(init="he_normal", shape=(3, 4), rng=rng0())),
        "check_padding": lambda: (_conv("check_padding"), dict(padding="same", name="padding")),
        # layers
        "Dense": lambda: (imp("ann_lib.layers.Dense"), dict(n_in=3, n_out=2, rng=rng0())),
        "Dense.forward": lambda: (imp("ann_lib.layers.Dense")(3, 2, rng=rng0()).forward, {"x": _normal(4, 3)}),
        "Dense.backward": lambda: (
            _after_forward(imp("ann_lib.layers.Dense")(3, 2, rng=rng0()), _normal(4, 3)).backward,
            {"dout": _normal(4, 2, seed=2)},
        ),
        "layers.Activation": lambda: (imp("ann_lib.layers.Activation"), {"name": "tanh"}),
        "Activation.forward": lambda: (imp("ann_lib.layers.Activation")("tanh").forward, {"x": _normal(4, 3)}),
        "Activation.backward": lambda: (
            _after_forward(imp("ann_lib.layers.Activation")("tanh"), _normal(4, 3)).backward,
            {"dout": _normal(4, 3, seed=2)},
        ),
        "Flatten.forward": lambda: (imp("ann_lib.layers.Flatten")().forward, {"x": _normal(2, 3, 4)}),
        "Flatten.backward": lambda: (
            _after_forward(imp("ann_lib.layers.Flatten")(), _normal(2, 3, 4)).backward, {"dout": _normal(2, 12)}
        ),
        # network
        "Sequential": lambda: (
            imp("ann_lib.network.Sequential"),
            {"layers": [imp("ann_lib.layers.Dense")(3, 2, rng=rng0()), imp("ann_lib.layers.Activation")("relu")]},
        ),
        "Sequential.forward": lambda: (_model().forward, {"x": _normal(4, 3)}),
        "Sequential.predict": lambda: (_model().predict, {"x": _normal(4, 3)}),
        "Sequential.backward": lambda: (_after_forward(_model(), _normal(4, 3)).backward,
                                        {"dout": _normal(4, 2, seed=2)}),
        "Sequential.parameters": lambda: (_model().parameters, {}),
        "mlp": lambda: (imp("ann_lib.network.mlp"), dict(sizes=[3, 4, 2], rng=rng0())),
        # losses
        "log_softmax": lambda: (imp("ann_lib.losses.log_softmax"), {"logits": _normal(4, 3)}),
        "softmax": lambda: (imp("ann_lib.losses.softmax"), {"logits": _normal(4, 3)}),
        "MeanSquaredError.forward": lambda: (
            imp("ann_lib.losses.MeanSquaredError")().forward, dict(pred=_normal(4, 2), target=_normal(4, 2, seed=2))
        ),
        "MeanSquaredError.backward": lambda: (_loss_after("MeanSquaredError", _normal(4, 2), _normal(4, 2, seed=2)), {}),
        "BinaryCrossEntropy": lambda: (imp("ann_lib.losses.BinaryCrossEntropy"), {"from_logits": True}),
        "BinaryCrossEntropy.forward": lambda: (
            imp("ann_lib.losses.BinaryCrossEntropy")().forward,
            dict(pred=_normal(4, 1), target=np.array([[0.0], [1.0], [1.0], [0.0]])),
        ),
        "BinaryCrossEntropy.backward": lambda: (
            _loss_after("BinaryCrossEntropy", _normal(4, 1), np.array([[0.0], [1.0], [1.0], [0.0]])), {}
        ),
        "SoftmaxCrossEntropy.forward": lambda: (
            imp("ann_lib.losses.SoftmaxCrossEntropy")().forward, dict(pred=_normal(5, 3), target=labels)
        ),
        "SoftmaxCrossEntropy.backward": lambda: (_loss_after("SoftmaxCrossEntropy", _normal(5, 3), labels), {}),
        # initializers
        "fans": lambda: (imp("ann_lib.initializers.fans"), {"shape": (3, 3, 2, 4)}),
        "zeros": lambda: (imp("ann_lib.initializers.zeros"), dict(shape=(3, 4), rng=rng0())),
        "naive_normal": lambda: (imp("ann_lib.initializers.naive_normal"), dict(shape=(3, 4), rng=rng0(), std=0.01)),
        "initializers.get": lambda: (imp("ann_lib.initializers.get"), {"name": "he_normal"}),
        # gradcheck
        "numerical_gradient": lambda: (
            imp("ann_lib.gradcheck.numerical_gradient"),
            dict(f=lambda x: float(np.sum(np.asarray(x) ** 2)), x=_normal(3, 2), eps=1e-6),
        ),
        "relative_error": lambda: (imp("ann_lib.gradcheck.relative_error"), dict(a=_normal(3, 2), b=_normal(3, 2, seed=2))),
        # training
        "SGD": lambda: (imp("ann_lib.training.SGD"), {"lr": 0.1}),
        "SGD.step": lambda: (imp("ann_lib.training.SGD")(0.1).step, {"model": _trained_grads_model()}),
        "Adam": lambda: (imp("ann_lib.training.Adam"), dict(lr=0.01, beta1=0.9, beta2=0.999, epsilon=1e-7)),
        "Adam.step": lambda: (imp("ann_lib.training.Adam")(0.01).step, {"model": _trained_grads_model()}),
        "fit": lambda: (
            imp("ann_lib.training.fit"),
            dict(model=_model(), loss=imp("ann_lib.losses.SoftmaxCrossEntropy")(), X=_normal(6, 3),
                 y=np.array([0, 1, 0, 1, 1, 0]), epochs=2, batch_size=4, lr=0.1, rng=rng0()),
        ),
        # diagnostics
        "weighted_layers": lambda: (imp("ann_lib.diagnostics.weighted_layers"), {"model": _model()}),
        "gradient_norms": lambda: (
            imp("ann_lib.diagnostics.gradient_norms"),
            dict(model=_model(), loss=imp("ann_lib.losses.SoftmaxCrossEntropy")(), X=_normal(5, 3), y=labels),
        ),
        "gradient_norm_recorder": lambda: (
            imp("ann_lib.diagnostics.gradient_norm_recorder"),
            dict(loss=imp("ann_lib.losses.SoftmaxCrossEntropy")(), X=_normal(5, 3), y=labels),
        ),
        "layer_activations": lambda: (imp("ann_lib.diagnostics.layer_activations"), dict(model=_model(), X=_normal(5, 3))),
        "activation_statistics": lambda: (
            imp("ann_lib.diagnostics.activation_statistics"), dict(model=_model(), X=_normal(5, 3), tolerance=0.01)
        ),
        # pretraining
        "RBM": lambda: (imp("ann_lib.pretraining.RBM"), dict(n_visible=6, n_hidden=3, rng=rng0(), std=0.01)),
        "RBM.hidden_probabilities": lambda: (_rbm().hidden_probabilities, {"v": _unit(4, 6)}),
        "RBM.visible_probabilities": lambda: (_rbm().visible_probabilities, {"h": _unit(4, 3)}),
        "RBM.free_energy": lambda: (_rbm().free_energy, {"v": _unit(4, 6)}),
        "RBM.contrastive_divergence": lambda: (_rbm().contrastive_divergence, dict(v0=_unit(4, 6), rng=rng0())),
        "RBM.fit": lambda: (_rbm().fit, dict(X=_unit(8, 6), epochs=2, lr=0.1, batch_size=4, rng=rng0())),
        "RBM.transform": lambda: (_rbm().transform, {"X": _unit(4, 6)}),
        "RBM.log_likelihood_exact": lambda: (_rbm().log_likelihood_exact, {"X": _unit(4, 6)}),
        "Autoencoder": lambda: (imp("ann_lib.pretraining.Autoencoder"), dict(n_visible=6, n_hidden=3, rng=rng0())),
        "Autoencoder.fit": lambda: (_autoencoder().fit, dict(X=_unit(8, 6), epochs=2, lr=0.1, batch_size=4, rng=rng0())),
        "Autoencoder.transform": lambda: (_autoencoder().transform, {"X": _unit(4, 6)}),
        "Autoencoder.reconstruct": lambda: (_autoencoder().reconstruct, {"X": _unit(4, 6)}),
        "greedy_layerwise": lambda: (
            imp("ann_lib.pretraining.greedy_layerwise"),
            dict(X=_unit(8, 6), hidden_sizes=[4, 3], method="rbm", epochs=2, lr=0.1, batch_size=4, rng=rng0()),
        ),
        "initialize_from": lambda: (
            imp("ann_lib.pretraining.initialize_from"),
            dict(model=imp("ann_lib.network.mlp")([6, 4, 2], rng=rng0()), stack=_stack()),
        ),
        # perceptron, neuron
        "Perceptron": lambda: (imp("ann_lib.perceptron.Perceptron"), dict(n_inputs=2, lr=1.0, rng=rng0())),
        "Perceptron.weighted_sum": lambda: (_perceptron().weighted_sum, {"X": _gate()[0]}),
        "Perceptron.predict": lambda: (_perceptron().predict, {"X": _gate()[0]}),
        "Perceptron.fit": lambda: (_perceptron().fit, dict(X=_gate()[0], y=_gate()[1], epochs=20, rng=rng0())),
        "neuron.weighted_sum": lambda: (imp("ann_lib.neuron.weighted_sum"), dict(x=_normal(4, 3), w=_normal(3), b=0.5)),
        "Neuron": lambda: (imp("ann_lib.neuron.Neuron"), dict(w=[1.0, 1.0], b=-1.5)),
        "Neuron.weighted_sum": lambda: (imp("ann_lib.neuron.Neuron")([1.0, 1.0], -1.5).weighted_sum, {"x": _gate()[0]}),
        "Neuron.forward": lambda: (imp("ann_lib.neuron.Neuron")([1.0, 1.0], -1.5).forward, {"x": _gate()[0]}),
        # padding, convolution, pooling
        "output_size": lambda: (_conv("output_size"), dict(size=8, kernel=3, stride=2, padding="same")),
        "resolve_padding": lambda: (
            _conv("resolve_padding"), dict(x_shape=(2, 8, 8, 1), kernel=(3, 3), stride=(1, 1), padding="same")
        ),
        "conv_output_shape": lambda: (
            _conv("conv_output_shape"), dict(x_shape=(2, 8, 8, 1), w_shape=(3, 3, 1, 4), stride=1, padding="same")
        ),
        "im2col": lambda: (_conv("im2col"), dict(x=_normal(2, 6, 6, 1), kernel=(3, 3), stride=(1, 1),
                                                 pads=((1, 1), (1, 1)), pad_value=0.0)),
        "col2im": lambda: (_conv("col2im"), dict(cols=_normal(2, 6, 6, 3, 3, 1), x_shape=(2, 6, 6, 1), stride=(1, 1),
                                                 pads=((1, 1), (1, 1)))),
        "conv2d": lambda: (_conv("conv2d"), dict(x=_normal(2, 6, 6, 1), w=_normal(3, 3, 1, 4, seed=2), b=_normal(4),
                                                 stride=1, padding="same")),
        "conv2d_backward": lambda: (
            _conv("conv2d_backward"),
            dict(dout=_normal(2, 6, 6, 4, seed=3), x=_normal(2, 6, 6, 1), w=_normal(3, 3, 1, 4, seed=2), stride=1,
                 padding="same"),
        ),
        "max_pool2d": lambda: (_conv("max_pool2d"), dict(x=_normal(2, 6, 6, 2), pool_size=2, stride=2, padding="valid")),
        "avg_pool2d": lambda: (_conv("avg_pool2d"), dict(x=_normal(2, 6, 6, 2), pool_size=2, stride=2, padding="valid")),
        "max_pool2d_backward": lambda: (
            _conv("max_pool2d_backward"),
            dict(dout=_normal(2, 3, 3, 2, seed=3), x=_normal(2, 6, 6, 2), pool_size=2, stride=2, padding="valid"),
        ),
        "avg_pool2d_backward": lambda: (
            _conv("avg_pool2d_backward"),
            dict(dout=_normal(2, 3, 3, 2, seed=3), x=_normal(2, 6, 6, 2), pool_size=2, stride=2, padding="valid"),
        ),
        "Conv2D": lambda: (_conv("Conv2D"), dict(c_in=1, c_out=2, kernel_size=3, stride=1, padding="same", rng=rng0())),
        "Conv2D.forward": lambda: (_conv("Conv2D")(1, 2, 3, padding="same", rng=rng0()).forward,
                                   {"x": _normal(2, 6, 6, 1)}),
        "Conv2D.backward": lambda: (
            _after_forward(_conv("Conv2D")(1, 2, 3, padding="same", rng=rng0()), _normal(2, 6, 6, 1)).backward,
            {"dout": _normal(2, 6, 6, 2, seed=3)},
        ),
        "MaxPool2D": lambda: (_conv("MaxPool2D"), dict(pool_size=2, stride=None, padding="valid")),
        "AvgPool2D": lambda: (_conv("AvgPool2D"), dict(pool_size=2, stride=None, padding="valid")),
        "MaxPool2D.forward": lambda: (_conv("MaxPool2D")(2).forward, {"x": _normal(2, 6, 6, 2)}),
        "AvgPool2D.forward": lambda: (_conv("AvgPool2D")(2).forward, {"x": _normal(2, 6, 6, 2)}),
        "MaxPool2D.backward": lambda: (_after_forward(_conv("MaxPool2D")(2), _normal(2, 6, 6, 2)).backward,
                                       {"dout": _normal(2, 3, 3, 2, seed=3)}),
        "AvgPool2D.backward": lambda: (_after_forward(_conv("AvgPool2D")(2), _normal(2, 6, 6, 2)).backward,
                                       {"dout": _normal(2, 3, 3, 2, seed=3)}),
        # the digits CNN and orientation tuning
        "digits_cnn": lambda: (_cnn("digits_cnn"), dict(rng=rng0(), channels=(4, 8), kernel_sizes=(5, 3), hidden=8,
                                                        n_classes=10, image_shape=(8, 8, 1))),
        "train_digits_cnn": lambda: (
            _cnn("train_digits_cnn"),
            dict(X_train=_unit(12, 8, 8, 1), y_train=np.arange(12) % 10, epochs=1, batch_size=6, lr=0.003, seed=0),
        ),
        "predict_labels": lambda: (_cnn("predict_labels"), dict(model=_small_cnn(), X=_unit(5, 8, 8, 1), batch_size=2)),
        "layer_outputs": lambda: (_cnn("layer_outputs"), dict(model=_small_cnn(), x=_unit(1, 8, 8, 1))),
        "oriented_bars": lambda: (_cnn("oriented_bars"), dict(size=5, angles=[0.0, 45.0, 90.0], width=1.5, supersample=4)),
        "gabor_filter": lambda: (_cnn("gabor_filter"), dict(size=5, angle=30.0, wavelength=6.0, sigma=3.0, aspect=0.5)),
        "tuning_curves": lambda: (
            _cnn("tuning_curves"), dict(kernels=_normal(5, 5, 1, 3), angles=[0.0, 45.0, 90.0], bias=_normal(3), width=1.5)
        ),
        # metrics, datasets
        "accuracy": lambda: (imp("ann_lib.metrics.accuracy"), dict(y_true=labels, y_pred=_normal(5, 2))),
        "confusion_matrix": lambda: (imp("ann_lib.metrics.confusion_matrix"),
                                     dict(y_true=labels, y_pred=np.array([0, 1, 1, 1, 0]), n_classes=2)),
        "logic_gate": lambda: (imp("ann_lib.datasets.logic_gate"), {"name": "xor"}),
        "make_moons": lambda: (imp("ann_lib.datasets.make_moons"), dict(n_samples=20, noise=0.1, rng=rng0())),
        "make_circles": lambda: (imp("ann_lib.datasets.make_circles"), dict(n_samples=20, noise=0.05, factor=0.5,
                                                                           rng=rng0())),
        "make_spirals": lambda: (imp("ann_lib.datasets.make_spirals"), dict(n_samples=20, n_classes=2, turns=1.0,
                                                                           noise=0.05, rng=rng0())),
        "load_digits": lambda: (imp("ann_lib.datasets.load_digits"), dict(layout="flat", test_fraction=0.25, seed=0)),
    }
    # modules of chapters 8-12, where a signature alone does not say what a valid call is
    table.update({
        "top_k_error": lambda: (imp("ann_lib.metrics.ilsvrc.top_k_error"),
                                dict(scores=_normal(6, 7), labels=np.arange(6) % 7, k=5)),
        "average_precision": lambda: (imp("ann_lib.metrics.ilsvrc.average_precision"),
                                      dict(scores=_unit(6), is_true_positive=np.array([1, 0, 1, 1, 0, 0], bool),
                                           n_positives=4)),
        "localization_error": lambda: (
            imp("ann_lib.metrics.ilsvrc.localization_error"),
            dict(top5_labels=np.array([[1, 2, 3, 4, 5], [0, 2, 3, 4, 5]]),
                 top5_boxes=np.tile([0.1, 0.1, 0.6, 0.6], (2, 5, 1)), true_label=np.array([1, 1]),
                 true_boxes=np.array([[0.1, 0.1, 0.6, 0.6], [0.2, 0.2, 0.7, 0.7]]), iou_threshold=0.5),
        ),
        "mean_average_precision": lambda: (
            imp("ann_lib.metrics.ilsvrc.mean_average_precision"),
            dict(pred_boxes=[np.array([[0.1, 0.1, 0.5, 0.5], [0.5, 0.5, 0.9, 0.9]]), np.array([[0.2, 0.2, 0.6, 0.6]])],
                 pred_labels=[np.array([0, 1]), np.array([1])], pred_scores=[np.array([0.9, 0.4]), np.array([0.7])],
                 true_boxes=[np.array([[0.1, 0.1, 0.5, 0.5]]), np.array([[0.2, 0.2, 0.6, 0.6]])],
                 true_labels=[np.array([0]), np.array([1])], n_classes=2, iou_threshold=0.5),
        ),
        "log_mel_spectrogram": lambda: (
            imp("ann_lib.audio.log_mel_spectrogram"),
            dict(signal=np.sin(np.arange(800) * 0.3), sample_rate=8000.0, frame_length=200, frame_step=80,
                 num_mel_bins=20),
        ),
        # small splits: the defaults draw 7,000 scenes, and the suite calls it dozens of times
        "caption_splits": lambda: (imp("ann_lib.datasets.captions.caption_splits"),
                                   dict(n_train=40, n_test=10, n_compositional=10, seed=0)),
        "greedy_decode": lambda: (imp("ann_lib.recurrent.greedy_decode"),
                                  dict(step=_toy_step, state=np.zeros(1), start_id=0, end_id=1, max_length=5)),
        "beam_search": lambda: (imp("ann_lib.recurrent.beam_search"),
                                dict(step=_toy_step, state=np.zeros(1), start_id=0, end_id=1, max_length=5,
                                     beam_width=2)),
        "RNN.backward": lambda: (_after_forward(imp("ann_lib.recurrent.RNN")(3, 4, rng=rng0()), _normal(2, 5, 3)).backward,
                                 {"dout": _normal(2, 5, 4, seed=2)}),
        "LSTM.backward": lambda: (_after_forward(imp("ann_lib.recurrent.LSTM")(3, 4, rng=rng0()), _normal(2, 5, 3)).backward,
                                  {"dout": _normal(2, 5, 4, seed=2)}),
        "clearance": lambda: (imp("ann_lib.envs.clearance"),
                              {"infos": [{"cleared": 3, "crashed": True}, {"cleared": 5, "crashed": False}]}),
        "Runner.step": lambda: (_runner().step, {"action": 0}),
        "evaluate": lambda: (imp("ann_lib.rl.evaluate"),
                             dict(make_env=imp("ann_lib.envs.Runner"), policy=lambda obs: np.zeros(len(obs), dtype=int),
                                  seeds=[0, 1])),
        "MeanBaseline.predict": lambda: (_baseline().predict, dict(users=np.array([0, 1]), items=np.array([1, 2]))),
        "MeanBaseline.scores": lambda: (_baseline().scores, {}),
        "Speaker.formants": lambda: (_speaker().formants, {"vowel": "aa"}),
        "Speaker": lambda: (imp("ann_lib.datasets.speech.Speaker"),
                            dict(pitch_hz=120.0, formant_scale=1.125, deviations=np.ones((8, 3)))),
        "vocal_tract_response": lambda: (imp("ann_lib.datasets.speech.vocal_tract_response"),
                                         dict(formants_hz=np.array([700.0, 1200.0, 2500.0]), sample_rate=8000,
                                              length=256)),
        "synthesize_vowel": lambda: (imp("ann_lib.datasets.speech.synthesize_vowel"),
                                     dict(vowel="aa", speaker=_speaker(), rng=rng0(), duration=0.1, snr_db=20.0)),
        "synthesize_utterance": lambda: (imp("ann_lib.datasets.speech.synthesize_utterance"),
                                         dict(words=["iy-aa"], speaker=_speaker(), rng=rng0(), snr_db=20.0)),
    })
    # second pass (issue 23): calls whose hostile variants need a known valid starting point
    table.update({
        "precision_at_k": lambda: (imp("ann_lib.metrics.ranking.precision_at_k"),
                                   dict(y_true=_RELEVANCE.copy(), y_score=_normal(3, 4), k=2)),
        "ndcg_at_k": lambda: (imp("ann_lib.metrics.ranking.ndcg_at_k"),
                              dict(y_true=_RELEVANCE.copy(), y_score=_normal(3, 4), k=2)),
        "MatrixFactorization.fit_als": lambda: _fit_als_call(reg=1.0),
        "QLearning.update": lambda: (imp("ann_lib.rl.QLearning")(5, 3).update,
                                     dict(state=0, action=1, reward=1.0, next_state=2, terminated=False)),
        "Runner.discretize": lambda: (_runner().discretize, {"features": _runner_features()}),
        "Tokenizer.decode": lambda: (imp("ann_lib.datasets.captions.caption_tokenizer")().decode,
                                     {"ids": np.array([1, 4, 5, 6, 7, 2, 0])}),
        "write_wav": lambda: (imp("ann_lib.audio.write_wav"),
                              dict(path="hostile.wav", signal=np.sin(np.arange(200) * 0.3), sample_rate=8000)),
        "add_noise": lambda: (imp("ann_lib.datasets.speech.add_noise"),
                              dict(wave=np.sin(np.arange(400) * 0.3) * 0.1, snr_db=20.0, rng=rng0())),
    })
    for name in ("lecun_normal", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal"):
        table[name] = (lambda name=name: (imp(f"ann_lib.initializers.{name}"), dict(shape=(3, 4), rng=rng0())))
    return table


def _toy_step(tokens, state):
    """A four-token language model for the decoders: after 0, token 2 or 3; then the end token 1."""
    table = np.full((4, 4), 1e-12)
    table[0, [2, 3]] = 0.6, 0.4
    table[2, [1, 2, 3]] = 1 / 3
    table[3, [1, 2]] = 0.9, 0.1
    table[1, 1] = 1.0
    return np.log(table[np.asarray(tokens)]), state


#: Ratings of 3 users for 4 items, graded 0-5: relevance for the ranking metrics (``>= 4`` is "liked").
_RELEVANCE = np.array([[5.0, 3.0, 0.0, 4.0], [1.0, 4.0, 5.0, 0.0], [2.0, 2.0, 3.0, 5.0]])


def _fit_als_call(reg: float, users=None):
    """A matrix factorization with ``reg`` and every user and item rated often enough to determine its factors."""
    model = _import("ann_lib.recommender.MatrixFactorization")(3, 4, n_factors=1, reg=reg, rng=rng0())
    users = np.repeat(np.arange(3), 4) if users is None else users
    items = np.tile(np.arange(4), 3)
    return model.fit_als, dict(users=users, items=items, ratings=_RELEVANCE.ravel() + 1.0, sweeps=2)


def _runner_features():
    observation, _ = _runner_env().reset(seed=0)
    return observation


def _runner_env():
    return _import("ann_lib.envs.Runner")()


def _runner():
    env = _import("ann_lib.envs.Runner")()
    env.reset(seed=0)
    return env


def _baseline():
    baseline = _import("ann_lib.recommender.MeanBaseline")(3, 4)
    return baseline.fit(np.array([0, 1, 2, 0]), np.array([1, 2, 3, 0]), np.array([4.0, 3.0, 5.0, 2.0]))


def _speaker():
    return _import("ann_lib.datasets.speech.make_speakers")(1, rng0())[0]


def _loss_after(name, pred, target):
    loss = _import(f"ann_lib.losses.{name}")()
    loss.forward(pred, target)
    return loss.backward


def _rbm():
    return _import("ann_lib.pretraining.RBM")(6, 3, rng=rng0())


def _autoencoder():
    return _import("ann_lib.pretraining.Autoencoder")(6, 3, rng=rng0())


def _stack():
    from ann_lib.pretraining import PretrainedLayer

    return [PretrainedLayer(W=_normal(6, 4), b=_normal(4))]


def _perceptron():
    return _import("ann_lib.perceptron.Perceptron")(2, rng=rng0())


def _gate():
    return np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 0, 0, 1])


def _find(name: str, candidates: tuple[str, ...]):
    for module in candidates:
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        if hasattr(mod, name):
            return getattr(mod, name)
    raise LookupError(name)


def _conv(name: str):
    return _find(name, ("ann_lib.padding", "ann_lib.windows", "ann_lib.conv", "ann_lib.pooling"))


def _cnn(name: str):
    return _find(name, ("ann_lib.digits_cnn", "ann_lib.orientation", "ann_lib.cnn"))


def _small_cnn():
    return _cnn("digits_cnn")(rng=rng0(), channels=(2, 4), hidden=4)


VALID = _valid_table()

#: Extra hostile cases a signature cannot suggest: (parameter, label, value factory[, expectation[, valid call]]).
#: The expectation defaults to RAISE; the valid call, to the callable's own (VALID or inferred): a degenerate
#: case may need another object to start from (a model with reg=0).
EXTRA: dict[str, list[tuple[str, str, Callable[[], Any]]]] = {
    "initialize_from": [
        ("stack", "NaN weights", lambda: [_import("ann_lib.pretraining.PretrainedLayer")(
            W=np.full((6, 4), np.nan), b=np.zeros(4))]),
        ("stack", "inf bias", lambda: [_import("ann_lib.pretraining.PretrainedLayer")(
            W=np.zeros((6, 4)), b=np.full(4, np.inf))]),
        ("stack", "not layers", lambda: [(np.zeros((6, 4)), np.zeros(4))]),
    ],
}

#: Parameters named like this take an initializer; they are also given ones that return NaN or a wrong shape.
INIT_NAMES = {"init", "recurrent_init"}

#: Callables whose result may be infinite for an infinite input: the activations have limits there.
LIMITS = re.compile(r"^activations\.|^layers\.Activation\.forward$|^windows\.im2col$")
#: Callables that average over or learn from their data: an empty batch must be refused.
NEEDS_DATA = re.compile(
    r"(^|\.)(fit|train\w*|gradient_norms|gradient_norm_recorder|activation_statistics|accuracy|"
    r"greedy_layerwise|contrastive_divergence|log_likelihood_exact)$|^losses\.\w+\.forward$"
)


# ------------------------------------------------------------------------------ inferred valid calls

_SHAPE_DOC = re.compile(r"``?(\w+)\s*:\s*\(([^()]*)\)``?|^\s*(\w+)\s*:\s*\(([^()]*)\)", re.MULTILINE)
_DIM_GUESS = {"N": 4, "B": 4, "H": 8, "W": 8, "C": 1, "D": 3, "K": 3, "T": 5, "F": 3, "A": 3, "L": 3, "M": 3, "V": 5}


def _doc_shapes(obj: Any) -> dict[str, tuple[int, ...]]:
    """``{"x": (4, 8, 8, 1)}`` from docstring lines like ``x : (N, H, W, C)``."""
    shapes: dict[str, tuple[int, ...]] = {}
    for match in _SHAPE_DOC.finditer(inspect.getdoc(obj) or ""):
        name, dims = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        shape = []
        for dim in (d.strip() for d in dims.split(",")):
            if not dim or dim == "...":
                continue
            if dim.isdigit():
                shape.append(int(dim))
            else:
                shape.append(_DIM_GUESS.get(dim[0].upper(), 3))
        shapes.setdefault(name, tuple(shape))
    return shapes


def _array_candidates(name: str, shape: tuple[int, ...] | None) -> list[Any]:
    shapes = [shape] if shape else []
    shapes += [(8,), (4, 3), (4, 4), (2, 8, 8, 1), (4,), (16,)]
    out: list[Any] = []
    for sh in dict.fromkeys(shapes):
        unit = _unit(*sh)
        out.append(unit)
        if sh[-1] == 4:  # boxes (x_min, y_min, x_max, y_max)
            corner = unit[..., :2] * 0.5
            out.append(np.concatenate([corner, corner + 0.1 + unit[..., 2:] * 0.4], axis=-1))
        out.append((np.arange(int(np.prod(sh))) % 3).reshape(sh))  # integer labels
    return out


def _candidates(param: inspect.Parameter, shapes: dict[str, tuple[int, ...]], module: Any) -> list[Any]:
    """Plausible valid values for one required parameter, most likely first."""
    name, annotation = param.name, str(param.annotation)
    if name == "rng" or "Generator" in annotation:
        return [rng0()]
    if name == "seed":
        return [0]
    if name in ("shape", "x_shape") or re.search(r"(tuple|Sequence)\[int", annotation):
        return [(3, 4), (4,), (2, 8, 8, 1)]
    if "str" in annotation and ("list" in annotation or "Sequence" in annotation):
        depth = annotation.count("Sequence[") + annotation.count("list[")
        words = ["the cat sat", "a dog ran"] if "str]" in annotation and depth == 1 else None
        tokens = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "ran"]]
        return [v for v in (words, tokens, [tokens], [[t] for t in tokens]) if v is not None]
    if "Tokens" in annotation:
        tokens = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "ran"]]
        return [tokens, [[t] for t in tokens], tokens[0]]
    if name in shapes or "ArrayLike" in annotation or "ndarray" in annotation:
        return _array_candidates(name, shapes.get(name))
    if annotation.startswith("int") or name.startswith("n_") or name.endswith(("size", "length", "step")):
        return [3, 8, 2, 16]
    if annotation.startswith("float"):
        return [0.1, 0.5, 2.0]
    if annotation.startswith("bool"):
        return [False]
    if annotation.startswith("str"):
        return ["a"]
    for cls_name in re.findall(r"\b([A-Z]\w+)\b", annotation):  # list[Speaker], Sequential, ...
        cls = getattr(module, cls_name, None)
        if inspect.isclass(cls):
            try:
                instance = _construct(cls)
            except Exception:  # noqa: BLE001
                continue
            return [[instance], instance] if ("list" in annotation or "Sequence" in annotation) else [instance]
    return [0.1, 3, "a", _unit(4, 3)]


def _guess_value(param: inspect.Parameter, shapes: dict[str, tuple[int, ...]]) -> Any:
    return _candidates(param, shapes, None)[0]


INFERENCE_BUDGET = 30.0  # seconds to find a valid call by trying candidate arguments
MAX_ATTEMPTS = 300


def inferred_call(target: Target) -> Callable[[], tuple[Callable, dict]] | None:
    """A valid call guessed from the signature and docstring, or None if no guess works.

    Each required parameter gets a few candidates (from its name, annotation and documented
    shape); the combinations are tried in order until one call succeeds without a warning.
    """
    module = importlib.import_module(target.module)

    def bound():
        if target.owner is None:
            return target.obj
        return getattr(_construct(target.owner), target.qualname.split(".", 1)[1])

    try:
        function = bound()
        signature = inspect.signature(function)
    except Exception:  # noqa: BLE001
        return None
    shapes = _doc_shapes(function)
    required = [p for p in signature.parameters.values()
                if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.default is p.empty]
    pools = [_candidates(p, shapes, module) for p in required]
    start = time.monotonic()
    for attempt, values in enumerate(itertools.product(*pools)):
        if attempt >= MAX_ATTEMPTS or time.monotonic() - start > INFERENCE_BUDGET:
            return None
        kwargs = dict(zip((p.name for p in required), values))
        try:
            with _timeout(VALID_CALL_TIMEOUT), warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                result = bound()(**_fresh(kwargs))
        except (Exception, CallTimeout):  # noqa: BLE001 - try the next combination
            continue
        if _non_finite([result])[0]:
            continue

        def factory(kwargs=kwargs):
            return bound(), _fresh(kwargs)

        return factory
    return None


def _fresh(kwargs: dict) -> dict:
    """The same arguments, with new generators and copied arrays, for a call that may change them."""
    out = {}
    for key, value in kwargs.items():
        if isinstance(value, np.random.Generator):
            out[key] = rng0()
        elif isinstance(value, np.ndarray):
            out[key] = value.copy()
        else:
            out[key] = value
    return out


_UNDER_CONSTRUCTION: set[type] = set()


def _construct(cls: type):
    """An instance of ``cls``: from :data:`VALID` if listed, else from an inferred call."""
    key = cls.__name__
    entry = VALID.get(f"{cls.__module__.rsplit('.', 1)[-1]}.{key}") or VALID.get(key)
    if entry is not None:
        function, kwargs = entry()
        return function(**kwargs)
    if cls in _UNDER_CONSTRUCTION:
        raise LookupError(f"{key} needs itself to be built")
    _UNDER_CONSTRUCTION.add(cls)
    try:
        factory = inferred_call(Target(cls.__module__, key, cls))
    finally:
        _UNDER_CONSTRUCTION.discard(cls)
    if factory is None:
        raise LookupError(f"no valid call of {key}")
    function, kwargs = factory()
    return function(**kwargs)


def valid_call(target: Target) -> Callable[[], tuple[Callable, dict]] | None:
    entry = VALID.get(target.short) or VALID.get(target.qualname)
    if entry is None and target.owner is not None:  # a method: "Dense.forward"
        entry = VALID.get(target.qualname)
    return entry if entry is not None else inferred_call(target)


# ------------------------------------------------------------------------------ hostile values

RAISE, EITHER, SAME = "raise", "either", "same"  # must refuse / refuse or sound result / must equal the plain call
ACCEPT = "accept"  # valid input a careless check might refuse: must give a sound result, never an error

SIZE_NAME = re.compile(r"^(n_\w+|size|\w+_size|hidden|channels|kernel\w*|stride|epochs|pool\w*|supersample|"
                       r"c_in|c_out|n|k|batch\w*|width|height|\w+_sizes|sizes)$")
NO_ABSURD = re.compile(r"^(epochs|\w*iterations?|\w*steps?|supersample|count|per_\w+|max_\w+|sweeps)$")
#: Parameters that scale a random draw: a value whose square (the variance) overflows means nothing.
SCALE_NAME = re.compile(r"^(std|\w+_std|noise|sigma)$")
#: Parameters that are ids into a vocabulary, a table or an action space.
ID_NAME = re.compile(r"^(\w+_id|action|state|next_state)$")


@dataclass
class Case:
    param: str
    label: str
    value: Any
    expect: str
    factory: Callable[[], tuple[Callable, dict]] | None = None  # another valid call to start from (EXTRA)


class _Opaque:
    """A wrong object: neither array, number, string nor ann_lib object."""

    def __repr__(self) -> str:
        return "<object>"


def _returns_str(*args, **kwargs):
    """A callable of the wrong kind: whatever it is given, it answers with a string."""
    return "no"


def _returns_int(*args, **kwargs):
    """A callable of the wrong kind: whatever it is given, it answers with a number (not an env, not a pair)."""
    return 3


def _is_array_like(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fiub"
    if isinstance(value, (list, tuple)) and value:
        try:
            array = np.asarray(value)
        except (ValueError, TypeError):  # ragged
            return False
        return array.dtype.kind in "fiu"
    return False


def _with_first(array: np.ndarray, value: float) -> np.ndarray:
    out = np.array(array, dtype=np.float64, copy=True)
    if out.size:
        out.flat[0] = value
    return out


def hostile_values(param: inspect.Parameter, valid: Any, *, has_default_none: bool) -> list[tuple[str, Any, str]]:
    """``(label, value, expectation)`` for one parameter, chosen by the kind of its valid value."""
    name = param.name
    annotation = str(param.annotation)
    none_case = [] if has_default_none or "None" in annotation else [("None", None, RAISE)]
    if valid is None:  # an optional argument left out: any wrong object must be refused or ignored soundly
        return [("wrong object", _Opaque(), EITHER), ("int", 3, EITHER), ("str", "bogus", EITHER)]
    if isinstance(valid, np.random.Generator):
        return none_case + [("int seed", 0, EITHER), ("RandomState", np.random.RandomState(0), RAISE),
                            ("str", "seed", RAISE)]
    if isinstance(valid, (bool, np.bool_)):  # a flag: only True, False and numpy's bools mean yes or no
        return [("str 'no'", "no", RAISE), ("str ''", "", RAISE), ("int 1", 1, RAISE), ("None", None, RAISE),
                ("np.bool_", np.bool_(valid), SAME)]
    if isinstance(valid, numbers.Integral):
        size_like = bool(SIZE_NAME.match(name))
        cases = none_case + [
            ("0", 0, EITHER), ("-1", -1, RAISE if size_like else EITHER), ("2.5", 2.5, RAISE),
            ("True", True, RAISE), ("str", "3", RAISE), ("np.int64", np.int64(valid), SAME),
        ]
        if size_like and not NO_ABSURD.match(name):
            cases.append(("absurd 10**12", 10**12, EITHER))
        if not size_like and not NO_ABSURD.match(name):  # a rate, an id, a seed: far outside anything meant
            cases.append(("huge 10**10", 10**10, EITHER))
        if ID_NAME.match(name):  # an id outside the vocabulary, the table or the action space
            cases.append(("id 10**6", 10**6, RAISE))
        return cases
    if isinstance(valid, numbers.Real):
        scale_like = bool(SCALE_NAME.match(name))
        return none_case + [
            ("NaN", math.nan, RAISE), ("+inf", math.inf, EITHER), ("-inf", -math.inf, EITHER), ("0.0", 0.0, EITHER),
            ("-1.0", -1.0, EITHER), ("tiny 1e-9", 1e-9, EITHER), ("1e6", 1e6, EITHER), ("str", "0.1", RAISE),
            ("complex", 1j, RAISE), ("True", True, RAISE),
            # finite, but too large for what is computed from them (a square, a sum, a power)
            ("huge 1e300", 1e300, RAISE if scale_like else EITHER),
            ("huge -1e300", -1e300, EITHER), ("huge 1.7e308", 1.7e308, RAISE if scale_like else EITHER),
            ("np.float32", np.float32(valid), SAME if np.float32(valid) == valid else EITHER),
        ]
    if isinstance(valid, str):
        int_allowed = "int" in annotation or "Padding" in annotation
        return none_case + [("unknown str", "bogus", EITHER), ("empty str", "", EITHER),
                            ("int", 3, EITHER if int_allowed else RAISE), ("upper case", valid.upper(), EITHER)]
    if isinstance(valid, (list, tuple)) and all(isinstance(v, numbers.Integral) for v in valid):
        cases = none_case + [("empty", type(valid)(), EITHER), ("str", "ab", RAISE), ("None inside", [None] * max(1, len(valid)), RAISE)]
        if valid:
            cases += [("0 inside", [0, *valid[1:]], EITHER), ("-1 inside", [-1, *valid[1:]], RAISE),
                      ("2.5 inside", [2.5, *valid[1:]], RAISE), ("absurd 10**12 inside", [10**12, *valid[1:]], EITHER)]
        return cases
    if _is_array_like(valid):
        array = np.asarray(valid)
        cases = none_case + [
            ("NaN", _with_first(array, math.nan), RAISE),
            ("+inf", _with_first(array, math.inf), EITHER),
            ("-inf", _with_first(array, -math.inf), EITHER),
            ("empty", array[:0] if array.ndim else np.zeros(0), EITHER),
            ("0-d", np.float64(1.0), EITHER),
            ("extra axis", array[None], EITHER),
            ("complex", array.astype(complex), RAISE),
            ("strings", np.full(array.shape, "a"), RAISE),
            ("objects", np.full(array.shape, None, dtype=object), RAISE),
            ("ragged list", [[1.0, 2.0], [3.0]], RAISE),
            ("wrong object", _Opaque(), RAISE),
            ("float16", array.astype(np.float16), EITHER),
        ]
        if array.ndim >= 1 and array.shape[-1] > 1:
            cases.append(("one column less", array[..., :-1], EITHER))
        if array.dtype.kind == "f":
            cases += [("float32", array.astype(np.float32), SAME),
                      ("non-contiguous", np.repeat(array, 2, axis=-1)[..., ::2] if array.ndim else array, SAME)]
            peak = float(np.max(np.abs(array))) if array.size else 0.0
            if peak > 0:  # finite values whose squares, sums or products overflow on the way
                cases += [("×1e300", array * (1e300 / peak), EITHER),
                          ("×1.7e308", array * (1.7e308 / peak), EITHER),
                          ("float16 ×1000", (array * (1000.0 / peak)).astype(np.float16), EITHER)]
        elif array.dtype.kind in "iu":
            cases += [("label -1", _with_first(array, -1).astype(array.dtype), EITHER),
                      ("label 10**6", _with_first(array, 10**6).astype(array.dtype), EITHER),
                      ("float labels", array.astype(np.float64), EITHER),
                      ("float label 1e300", _with_first(array, 1e300), EITHER)]
        return cases
    if isinstance(valid, (list, tuple)) and valid:
        cases = none_case + [("empty", type(valid)(), EITHER), ("None inside", [None] * max(1, len(valid)), RAISE),
                             ("str", "ab", RAISE), ("wrong object", _Opaque(), RAISE)]
        if isinstance(valid[0], (list, tuple)):  # token lists (or lists of them): one of them empty
            cases.append(("an empty one inside", type(valid)([type(valid[0])(), *valid[1:]]), EITHER))
        if isinstance(valid[0], dict) and any(isinstance(v, (bool, np.bool_)) for v in valid[0].values()):
            flag = next(k for k, v in valid[0].items() if isinstance(v, (bool, np.bool_)))
            cases.append((f"{flag} 'no'", type(valid)([{**valid[0], flag: "no"}, *valid[1:]]), RAISE))
        return cases
    if callable(valid) and not inspect.isclass(valid):
        cases = none_case + [("int", 3, RAISE), ("wrong object", _Opaque(), RAISE),
                             # a function of the wrong kind: what it returns must be checked, not trusted
                             ("returns a str", _returns_str, EITHER), ("returns an int", _returns_int, EITHER)]
        if name in INIT_NAMES:
            cases += [("returns NaN", lambda shape, rng=None: np.full(shape, np.nan), RAISE),
                      ("returns wrong shape", lambda shape, rng=None: np.zeros((1,)), RAISE)]
        return cases
    # an object: a model, a loss, an optimizer, a layer, a dict, ...
    cases = none_case + [("str", "bogus", RAISE), ("int", 3, RAISE), ("wrong object", _Opaque(), RAISE)]
    if valid is not None and not inspect.isclass(valid) and type(valid).__module__.startswith("ann_lib"):
        cases.append(("the class, not an instance", type(valid), RAISE))
        from ann_lib.layers import Dense

        if not isinstance(valid, Dense):
            cases.append(("a Dense layer", Dense(2, 2, rng=rng0()), RAISE))
    return cases


def _with_feature(index: int, value: float) -> np.ndarray:
    features = _runner_features().copy()
    features[index] = value
    return features


EXTRA.update({
    # degenerate: zero regularization leaves an unrated user's factors undetermined (a singular system) ...
    "MatrixFactorization.fit_als": [
        ("users", "reg=0 and user 2 without ratings", lambda: np.repeat([0, 1, 0], 4), RAISE,
         lambda: _fit_als_call(reg=0.0)),
        # ... and is fine when every user and item has enough ratings, as the docstring allows (reg >= 0)
        ("users", "reg=0 and every factor determined", lambda: np.repeat(np.arange(3), 4), ACCEPT,
         lambda: _fit_als_call(reg=0.0)),
    ],
    # valid input a check must not refuse: the docstrings advise ratings >= 4 as relevance
    "precision_at_k": [("y_true", "bool relevance (ratings >= 4)", lambda: _RELEVANCE >= 4, ACCEPT)],
    "ndcg_at_k": [("y_true", "bool relevance (ratings >= 4)", lambda: _RELEVANCE >= 4, ACCEPT)],
    # meaningless input: a one-hot row with a negative entry, a batch of captions where one caption is expected
    "SoftmaxCrossEntropy.forward": [
        ("target", "one-hot row with -1", lambda: np.array([[-1.0, 2.0, 0.0]] + [[0.0, 1.0, 0.0]] * 4), RAISE)],
    "Tokenizer.decode": [("ids", "2-D batch of captions", lambda: np.array([[1, 4, 5, 2], [1, 6, 7, 2]]), RAISE)],
    # inside the documented range of the features, [-1, 1], but no observation of the runner
    "Runner.discretize": [("features", "speed feature -1", lambda: _with_feature(7, -1.0), EITHER),
                          ("features", "batch with speed feature -1", lambda: _with_feature(7, -1.0)[None], EITHER)],
    # a frame of one sample has one frequency bin: the error must name the caller's frame_length
    "log_mel_spectrogram": [
        ("frame_length", "1 with frame_step 1", lambda: 1, EITHER,
         lambda: (_import("ann_lib.audio.log_mel_spectrogram"),
                  dict(signal=np.sin(np.arange(800) * 0.3), sample_rate=8000.0, frame_length=1, frame_step=1,
                       num_mel_bins=20))),
    ],
    "write_wav": [("sample_rate", "10**10 Hz", lambda: 10**10, EITHER)],
    # the end token outside the vocabulary the step function returns
    "greedy_decode": [("end_id", "outside the vocabulary (4 tokens)", lambda: 4, RAISE)],
    "beam_search": [("end_id", "outside the vocabulary (4 tokens)", lambda: 4, RAISE)],
})


# ------------------------------------------------------------------------------ running and classifying


class CallTimeout(BaseException):
    pass


class _timeout:
    def __init__(self, seconds: float):
        self.seconds = seconds

    def _raise(self, *_):
        raise CallTimeout()

    def __enter__(self):
        self.previous = signal.signal(signal.SIGALRM, self._raise)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)
        return False


@dataclass
class Outcome:
    module: str
    target: str
    param: str
    label: str
    verdict: str  # "error", "result", "limit", "FAIL"
    detail: str


def _walk_numbers(value: Any, depth: int = 0, seen: set | None = None):
    """Every float array or number inside a result: arrays, tuples, dicts, dataclasses, ann_lib objects."""
    seen = set() if seen is None else seen
    if depth > 4 or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            yield value
        elif value.dtype == object:
            for item in value.ravel()[:50]:
                yield from _walk_numbers(item, depth + 1, seen)
    elif isinstance(value, (float, np.floating)):
        yield np.asarray(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk_numbers(item, depth + 1, seen)
    elif isinstance(value, (list, tuple)):
        for item in value[:200]:
            yield from _walk_numbers(item, depth + 1, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _walk_numbers(getattr(value, f.name), depth + 1, seen)
    elif type(value).__module__.startswith("ann_lib") and hasattr(value, "__dict__"):
        for item in vars(value).values():
            yield from _walk_numbers(item, depth + 1, seen)


def _non_finite(values: list[Any]) -> tuple[bool, bool]:
    nan = inf = False
    for value in values:
        for array in _walk_numbers(value):
            if array.size == 0:
                continue
            nan = nan or bool(np.isnan(array).any())
            inf = inf or bool(np.isinf(array).any())
    return nan, inf


def _comparable(value: Any) -> Any:
    """The numbers of a result, for comparing two calls; None when there are none to compare."""
    numbers_found = [np.asarray(a, dtype=np.complex128) for a in _walk_numbers(value)]
    return numbers_found or None


def _same(a: Any, b: Any, dtype_tolerance: float) -> bool:
    left, right = _comparable(a), _comparable(b)
    if left is None or right is None:
        return left is None and right is None
    if len(left) != len(right):
        return False
    return all(x.shape == y.shape and np.allclose(x, y, rtol=dtype_tolerance, atol=dtype_tolerance, equal_nan=False)
               for x, y in zip(left, right))


def _emptied(result: Any, baseline: Any) -> bool:
    """True if the result has an empty array where the plain call's result has a non-empty one."""
    left, right = _comparable(result), _comparable(baseline)
    if left is None or right is None or len(left) != len(right):
        return False
    return any(x.size == 0 and y.size > 0 for x, y in zip(left, right))


def _names(message: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message) is not None


def _raised_in_ann_lib(error: BaseException) -> str | None:
    """The file of the innermost frame, if it is outside ann_lib (numpy, the standard library)."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return None
    last = Path(frames[-1].filename).resolve()
    try:
        last.relative_to(ANN_LIB_DIR)
        return None
    except ValueError:
        return str(last)


def classify(key: str, case: Case, call: Callable[[], tuple[Any, list[Any]]], baseline: Any) -> tuple[str, str]:
    """Run one hostile call and say what happened: ``(verdict, detail)``."""
    try:
        with _timeout(CALL_TIMEOUT), warnings.catch_warnings(), np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
            warnings.simplefilter("error", RuntimeWarning)
            result, touched = call()
    except CallTimeout:
        return "FAIL", f"no answer within {CALL_TIMEOUT:g} s"
    except RuntimeWarning as error:
        return "FAIL", f"numpy warning: {error}"
    except MemoryError as error:
        if case.label.startswith(("absurd", "huge")) or case.label == "1e6":  # a size or a duration no machine holds
            return "limit", f"MemoryError: {str(error)[:80]}"
        return "FAIL", f"MemoryError: {error}"
    except (ValueError, TypeError) as error:
        message = str(error)
        if case.expect == ACCEPT:
            return "FAIL", f"refused valid {case.param}={case.label}: {type(error).__name__}: {message[:140]}"
        if case.label.startswith(("absurd", "huge")) and "array is too big" in message:  # numpy's MemoryError
            return "limit", f"{type(error).__name__}: {message[:80]}"
        if not _names(message, case.param):
            return "FAIL", f"{type(error).__name__} does not name {case.param!r}: {message[:160]}"
        outside = _raised_in_ann_lib(error)
        if outside is not None:
            return "FAIL", f"{type(error).__name__} raised inside {Path(outside).name}: {message[:120]}"
        return "error", f"{type(error).__name__}: {message[:160]}"
    except FloatingPointError as error:
        if type(error).__name__ == "TrainingDiverged" and (case.label == "1e6" or case.label.startswith("huge")) \
                and case.param == "lr":
            return "limit", f"TrainingDiverged: {str(error)[:80]}"
        return "FAIL", f"{type(error).__name__}: {str(error)[:160]}"
    except Exception as error:  # noqa: BLE001 - an unrelated exception is what we look for
        return "FAIL", f"{type(error).__name__}: {str(error)[:160]}"

    if case.expect == RAISE:
        return "FAIL", f"accepted invalid {case.param}={case.label}"
    if case.label == "empty" and NEEDS_DATA.search(key):
        return "FAIL", f"accepted an empty {case.param} and returned {type(result).__name__}"
    nan, inf = _non_finite([result, *touched])
    if nan:
        return "FAIL", "NaN in the result (or in an object it changed)"
    base_nan, base_inf = _non_finite([baseline])
    if inf and not base_inf and not ("inf" in case.label and LIMITS.search(key)):
        return "FAIL", "inf in the result (or in an object it changed)"
    if case.label not in ("empty", "0", "0 inside", "empty str") and _emptied(result, baseline):
        return "FAIL", f"an empty array in the result where the plain call gives a non-empty one ({case.param}={case.label})"
    if case.expect == SAME:
        tolerance = 1e-3 if case.label in ("float32", "np.float32") else 1e-9
        if not _same(result, baseline, tolerance):
            return "FAIL", f"{case.label} {case.param} gave a different result than the plain call"
    return "result", "sound result"


def run_target(target: Target) -> list[Outcome]:
    """Every hostile call of one callable."""
    outcomes: list[Outcome] = []
    key = target.short

    def out(param, label, verdict, detail):
        outcomes.append(Outcome(target.module, target.qualname, param, label, verdict, detail))

    factory = valid_call(target)
    if factory is None:
        out("-", "valid call", "FAIL", "no valid call: add one to VALID in tests/hostile_catalogue.py")
        return outcomes
    try:
        with _timeout(VALID_CALL_TIMEOUT), warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            function, kwargs = factory()
            baseline = function(**kwargs)
    except BaseException as error:  # noqa: BLE001
        out("-", "valid call", "FAIL", f"the valid call itself fails: {type(error).__name__}: {error}")
        return outcomes
    out("-", "valid call", "result", "ok")

    signature = inspect.signature(function)
    params = [p for p in signature.parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    cases: list[Case] = []
    for param in params:
        valid = kwargs[param.name] if param.name in kwargs else param.default
        if valid is inspect.Parameter.empty:
            continue
        for label, value, expect in hostile_values(param, valid, has_default_none=param.default is None):
            cases.append(Case(param.name, label, value, expect))
    for param_name, label, make, *more in EXTRA.get(target.qualname, []):
        expect = more[0] if more else RAISE
        cases.append(Case(param_name, label, make(), expect, more[1] if len(more) > 1 else None))

    for case in cases:
        def call(case=case):
            function, kwargs = (case.factory or factory)()
            kwargs = dict(kwargs)
            kwargs[case.param] = case.value
            result = function(**kwargs)
            touched = [v for v in kwargs.values() if type(v).__module__.startswith("ann_lib")]
            touched += [getattr(function, "__self__", None)]
            return result, touched

        verdict, detail = classify(key, case, call, baseline)
        out(case.param, case.label, verdict, detail)
    return outcomes


def run_module(module_name: str) -> list[Outcome]:
    outcomes = []
    for target in targets(module_name):
        outcomes += run_target(target)
    return outcomes


def worker(module_name: str, connection, memory_limit: int) -> None:
    """Run one module's hostile calls in this (fresh) process and send the outcomes through ``connection``.

    Messages: ``("start", qualname)`` before each callable, ``("outcome", Outcome)``, ``("done", None)``.
    """
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    workdir = tempfile.mkdtemp(prefix="hostile-input-")
    os.chdir(workdir)  # a function that writes files (write_wav("bogus", ...)) writes them here
    try:
        for target in targets(module_name):
            connection.send(("start", target.qualname))
            try:
                outcomes = run_target(target)
            except Exception as error:  # noqa: BLE001 - the catalogue could not handle this callable
                outcomes = [Outcome(module_name, target.qualname, "-", "catalogue", "FAIL",
                                    f"the catalogue failed on it: {type(error).__name__}: {error}")]
            for outcome in outcomes:
                connection.send(("outcome", outcome))
    except BaseException as error:  # noqa: BLE001 - an import error is a finding too
        connection.send(("outcome", Outcome(module_name, "(module)", "-", "import", "FAIL",
                                            f"{type(error).__name__}: {error}")))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    connection.send(("done", None))
    connection.close()
