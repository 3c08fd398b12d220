r"""Word error rate, the measure of speech recognition (chapter 10).

A recognizer's transcript (the *hypothesis*) is compared with what was said (the
*reference*) word by word. The fewest edits that turn the reference into the
hypothesis, counted as substitutions :math:`S`, deletions :math:`D` and
insertions :math:`I` (the Levenshtein distance over words), are divided by the
number of reference words :math:`N`. Over a test set the edits and the words are
summed first (a corpus-level rate, so a long sentence weighs more than a short one):

.. math:: \mathrm{WER} = \frac{\sum_u (S_u + D_u + I_u)}{\sum_u N_u}.

It can exceed 1: a hypothesis with many extra words has more insertions than the
reference has words.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["word_errors", "word_error_rate"]  # word_errors returns a WordErrors


class WordErrors(NamedTuple):
    """The edits of one alignment: substitutions, deletions, insertions, and reference length."""

    substitutions: int
    deletions: int
    insertions: int
    reference_words: int

    @property
    def edits(self) -> int:
        """:math:`S + D + I`, the Levenshtein distance over words."""
        return self.substitutions + self.deletions + self.insertions


def _words(text: object, name: str) -> list[str]:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str of words separated by spaces, got {type(text).__name__}")
    return text.split()


def _align(reference: list[str], hypothesis: list[str]) -> WordErrors:
    r"""Levenshtein over words by dynamic programming, then the edits of one optimal path.

    :math:`d[i][j]` is the fewest edits from the first :math:`i` reference words to the
    first :math:`j` hypothesis words:
    :math:`d[i][j] = \min(d[i-1][j] + 1,\ d[i][j-1] + 1,\ d[i-1][j-1] + [r_i \ne h_j])`.
    """
    n, m = len(reference), len(hypothesis)
    # each cell holds (edits, substitutions, deletions, insertions); ties prefer fewer edits of
    # any kind in the order substitution, deletion, insertion, so the counts are reproducible
    previous = [(j, 0, 0, j) for j in range(m + 1)]
    for i in range(1, n + 1):
        current = [(i, 0, i, 0)]
        for j in range(1, m + 1):
            e, s, d, ins = previous[j - 1]
            if reference[i - 1] == hypothesis[j - 1]:
                best = (e, s, d, ins)
            else:
                best = (e + 1, s + 1, d, ins)
            e, s, d, ins = previous[j]
            if e + 1 < best[0]:
                best = (e + 1, s, d + 1, ins)
            e, s, d, ins = current[j - 1]
            if e + 1 < best[0]:
                best = (e + 1, s, d, ins + 1)
            current.append(best)
        previous = current
    _, s, d, ins = previous[m]
    return WordErrors(s, d, ins, n)


def word_errors(reference: str, hypothesis: str) -> WordErrors:
    """Substitutions, deletions and insertions that turn ``reference`` into ``hypothesis``.

    Parameters
    ----------
    reference, hypothesis : str
        Transcripts, words separated by whitespace (either may be empty).

    Returns
    -------
    WordErrors
        ``(substitutions, deletions, insertions, reference_words)`` of one minimal alignment;
        ``.edits`` is the word-level Levenshtein distance. Chapter 10.

    Examples
    --------
    >>> word_errors("the cat sat", "the cat sat down")
    WordErrors(substitutions=0, deletions=0, insertions=1, reference_words=3)
    """
    return _align(_words(reference, "reference"), _words(hypothesis, "hypothesis"))


def word_error_rate(references: list[str], hypotheses: list[str]) -> float:
    r"""Corpus-level word error rate: total edits over total reference words.

    .. math:: \mathrm{WER} = \frac{\sum_u (S_u + D_u + I_u)}{\sum_u N_u}

    Parameters
    ----------
    references : list of str
        What was said, one transcript per utterance (words separated by spaces).
    hypotheses : list of str
        What the recognizer wrote, in the same order; as many as ``references``.

    Returns
    -------
    float
        0 when every hypothesis equals its reference; may exceed 1. Chapter 10.

    Examples
    --------
    >>> word_error_rate(["the cat sat", "on the mat"], ["the cat sat", "on a mat"])
    0.16666666666666666
    """
    for name, value in (("references", references), ("hypotheses", hypotheses)):
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise TypeError(
                f"{name} must be a list of transcripts (one str per utterance), got {type(value).__name__}"
            )
    if len(references) != len(hypotheses):
        raise ValueError(
            f"references and hypotheses must pair up: got {len(references)} references and "
            f"{len(hypotheses)} hypotheses"
        )
    if not references:
        raise ValueError("references is empty; expected at least one transcript")
    edits = words = 0
    for index, (reference, hypothesis) in enumerate(zip(references, hypotheses)):
        counts = _align(_words(reference, f"references[{index}]"), _words(hypothesis, f"hypotheses[{index}]"))
        edits += counts.edits
        words += counts.reference_words
    if words == 0:
        raise ValueError("the references hold no words; the word error rate divides by their number")
    return edits / words
