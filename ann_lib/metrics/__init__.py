"""Metrics, one submodule per kind of task; import them from here (``from ann_lib.metrics import accuracy``).

- :mod:`~ann_lib.metrics.classification` (chapters 4 onwards): accuracy, confusion matrix;
- :mod:`~ann_lib.metrics.ilsvrc` (chapter 8): top-k error, ILSVRC localization error, average precision;
- :mod:`~ann_lib.metrics.text` (chapter 9): corpus BLEU;
- :mod:`~ann_lib.metrics.speech` (chapter 10): word error rate;
- :mod:`~ann_lib.metrics.ranking` (chapter 12): precision@k and NDCG@k.
"""

from ann_lib.metrics import classification, ilsvrc, ranking, speech, text
from ann_lib.metrics.classification import *  # noqa: F403
from ann_lib.metrics.ilsvrc import *  # noqa: F403
from ann_lib.metrics.ranking import *  # noqa: F403
from ann_lib.metrics.speech import *  # noqa: F403
from ann_lib.metrics.text import *  # noqa: F403

__all__ = [*classification.__all__, *ilsvrc.__all__, *text.__all__, *speech.__all__, *ranking.__all__]
