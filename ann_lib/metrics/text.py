r"""Scoring generated text against reference text: corpus-level BLEU.

Chapter 9 (networks that describe photos). BLEU (Papineni, Roukos, Ward and
Zhu, 2002) compares each generated sentence (a *hypothesis*) with one or more
human sentences (its *references*) by counting shared n-grams.

For :math:`n = 1, \ldots, N`, the **modified n-gram precision** of a corpus is

.. math:: p_n = \frac{\sum_i \sum_{g \in \text{n-grams}(h_i)} \min\big(\text{count}_{h_i}(g),\ \max_{r \in R_i} \text{count}_r(g)\big)}
                     {\sum_i \sum_{g \in \text{n-grams}(h_i)} \text{count}_{h_i}(g)} :

each hypothesis n-gram counts at most as often as it occurs in any single
reference (*clipping*), and numerator and denominator are summed over the
whole corpus before dividing. With :math:`c` the total hypothesis length and
:math:`r` the sum over the corpus of the reference length closest to each
hypothesis's length (the shorter one on a tie), the **brevity penalty** is
:math:`\text{BP} = 1` if :math:`c > r`, else :math:`e^{1 - r/c}`, and

.. math:: \text{BLEU} = \text{BP} \cdot \exp\Big(\sum_{n=1}^{N} \tfrac{1}{N} \log p_n\Big).

Without smoothing, a corpus with no matching n-gram for some :math:`n \le N`
scores 0. The argument layout is NLTK's ``corpus_bleu``: ``references[i]`` is
the list of reference token lists for ``hypotheses[i]``.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Hashable, NamedTuple, Sequence

from ann_lib._validation import positive_int

__all__ = ["bleu", "bleu_statistics"]

Tokens = Sequence[Hashable]


class BleuStatistics(NamedTuple):
    """The sums BLEU is made of: what :func:`bleu_statistics` returns (a record, not an input).

    Attributes
    ----------
    matches : list of int, length max_n
        Clipped n-gram counts, summed over the corpus, for n = 1 .. max_n.
    totals : list of int, length max_n
        Hypothesis n-gram counts, summed over the corpus.
    hypothesis_length : int
        :math:`c`, the number of hypothesis tokens.
    reference_length : int
        :math:`r`, the sum of the closest reference lengths.
    """

    matches: list[int]
    totals: list[int]
    hypothesis_length: int
    reference_length: int

    @property
    def precisions(self) -> list[float]:
        """:math:`p_n` = matches / totals (0 where there is no n-gram)."""
        return [m / t if t else 0.0 for m, t in zip(self.matches, self.totals)]

    @property
    def brevity_penalty(self) -> float:
        """1 if c > r, else exp(1 - r / c); 0 for an empty corpus of hypotheses."""
        c, r = self.hypothesis_length, self.reference_length
        if c == 0:
            return 0.0
        return 1.0 if c > r else math.exp(1.0 - r / c)


def _ngrams(tokens: Tokens, n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _token_list(value: object, name: str) -> list:
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a list of tokens, got a {type(value).__name__}; split it, e.g. text.split()")
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list of tokens, got {type(value).__name__}")
    for token in value:
        if not isinstance(token, Hashable) or isinstance(token, float) and math.isnan(token):
            raise TypeError(f"{name} holds {token!r}, which cannot be a token")
    return list(value)


def _check_corpus(references: object, hypotheses: object) -> tuple[list[list[list]], list[list]]:
    for value, name in ((references, "references"), (hypotheses, "hypotheses")):
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise TypeError(f"{name} must be a list (one entry per sentence), got {type(value).__name__}")
    if len(hypotheses) == 0:
        raise ValueError("hypotheses is empty; expected at least one sentence")
    if len(references) != len(hypotheses):
        raise ValueError(
            f"references has {len(references)} entries and hypotheses {len(hypotheses)}; "
            "expected one list of references per hypothesis"
        )
    checked_references = []
    for i, refs in enumerate(references):
        if isinstance(refs, (str, bytes)) or not isinstance(refs, (list, tuple)):
            raise TypeError(f"references[{i}] must be a list of reference token lists, got {type(refs).__name__}")
        if len(refs) == 0:
            raise ValueError(f"references[{i}] is empty; every hypothesis needs at least one reference")
        checked_references.append([_token_list(ref, f"references[{i}][{j}]") for j, ref in enumerate(refs)])
    checked_hypotheses = [_token_list(hyp, f"hypotheses[{i}]") for i, hyp in enumerate(hypotheses)]
    return checked_references, checked_hypotheses


def bleu_statistics(references: Sequence[Sequence[Tokens]], hypotheses: Sequence[Tokens],
                    max_n: int = 4) -> BleuStatistics:
    """The clipped and total n-gram counts and the two lengths of a corpus (see the module's formulas).

    Parameters
    ----------
    references : list of N lists of token lists
        ``references[i]``: one or more references for hypothesis ``i``.
    hypotheses : list of N token lists
    max_n : int
        The longest n-gram counted.
    """
    max_n = positive_int(max_n, "max_n")
    references, hypotheses = _check_corpus(references, hypotheses)
    matches, totals = [0] * max_n, [0] * max_n
    hypothesis_length = reference_length = 0
    for refs, hyp in zip(references, hypotheses):
        for n in range(1, max_n + 1):
            counts = _ngrams(hyp, n)
            most = Counter()  # the most often each n-gram occurs in any one reference
            for ref in refs:
                most |= _ngrams(ref, n)
            matches[n - 1] += sum(min(count, most[g]) for g, count in counts.items())  # clipped counts
            totals[n - 1] += sum(counts.values())
        hypothesis_length += len(hyp)
        reference_length += min((abs(len(ref) - len(hyp)), len(ref)) for ref in refs)[1]  # closest, shorter on a tie
    return BleuStatistics(matches, totals, hypothesis_length, reference_length)


def bleu(references: Sequence[Sequence[Tokens]], hypotheses: Sequence[Tokens], max_n: int = 4) -> float:
    r"""Corpus-level BLEU of Papineni et al. (2002), uniform weights, no smoothing.

    .. math:: \text{BLEU} = \text{BP} \cdot \exp\Big(\sum_{n=1}^{N} \tfrac{1}{N} \log p_n\Big)

    Parameters
    ----------
    references : list of N lists of token lists
        ``references[i]`` holds one or more references for ``hypotheses[i]``
        (NLTK's ``corpus_bleu`` layout).
    hypotheses : list of N token lists
    max_n : int
        N, the longest n-gram (BLEU-4 by default).

    Returns
    -------
    float in [0, 1]
        0 if some :math:`p_n` is 0 (no smoothing) or every hypothesis is empty.

    Examples
    --------
    >>> bleu([[["a", "red", "circle"]]], [["a", "red", "circle"]], max_n=3)
    1.0
    """
    stats = bleu_statistics(references, hypotheses, max_n)
    if min(stats.matches) == 0:
        return 0.0
    log_precision = sum(math.log(m / t) for m, t in zip(stats.matches, stats.totals)) / len(stats.matches)
    return stats.brevity_penalty * math.exp(log_precision)
