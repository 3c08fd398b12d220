"""Data sets made on the spot (seeded) or shipped with scikit-learn; nothing is downloaded.

Import them from here (``from ann_lib.datasets import load_digits``). One submodule per kind:

- :mod:`~ann_lib.datasets.toy` (chapters 3 onwards): logic gates, 2-D toy sets, the bundled digits;
- :mod:`~ann_lib.datasets.scenes` (chapter 8): small RGB scenes with boxes, standing in for ImageNet;
- :mod:`~ann_lib.datasets.captions` (chapter 9): scenes paired with captions, and a tokenizer;
- :mod:`~ann_lib.datasets.speech` (chapter 10): synthesized vowels, words and utterances;
- :mod:`~ann_lib.datasets.ratings` (chapter 12): a synthetic ratings matrix with planted factors.
"""

from ann_lib.datasets import captions, ratings, scenes, speech, toy
from ann_lib.datasets.captions import *  # noqa: F403
from ann_lib.datasets.ratings import *  # noqa: F403
from ann_lib.datasets.scenes import *  # noqa: F403
from ann_lib.datasets.speech import *  # noqa: F403
from ann_lib.datasets.toy import *  # noqa: F403

__all__ = [*toy.__all__, *scenes.__all__, *captions.__all__, *speech.__all__, *ratings.__all__]
