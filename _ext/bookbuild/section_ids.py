"""One id per section, the same in both editions, taken from the English heading.

docutils makes a section's id from its title, so an English heading "Pooling" gets
``#pooling``, but a Korean heading has no ASCII letters and gets a counter (``#id25``)
that changes whenever a heading is added before it. The two editions have the same
sections in the same order (``tests/test_parity.py``), so each section, in either
edition, is given the id of its English heading: ``#pooling`` works in both, and the
language switch can carry the reader's place. A section with a label (``(sec-x)=``)
already has that label as a shared id and keeps it first; a repeated heading gets
``-2``, ``-3`` (``pooling-2``) instead of a counter. The old ids stay as extra anchors.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

_FENCE = re.compile(r"^(`{3,}|~{3,}|:{3,})")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LABEL = re.compile(r"^\(([^()\s]+)\)=\s*$")
_MARKUP = re.compile(r"[`*$\\]|\{[a-z:-]+\}")


def english_headings(source: str) -> list[tuple[int, str, str | None]]:
    """``(level, text, label)`` for each heading of a MyST source, outside code and fences."""
    headings = []
    fence: str | None = None
    label: str | None = None
    for line in source.splitlines():
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and line.strip() == opening.group(1) and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence, label = opening.group(1), None  # a label before a fence labels the fenced block
            continue
        if match := _LABEL.match(line):
            label = match.group(1)
            continue
        if match := _HEADING.match(line):
            headings.append((len(match.group(1)), _MARKUP.sub("", match.group(2)).strip(), label))
        if line.strip():
            label = None
    return headings


def stable_ids(headings: list[tuple[int, str, str | None]]) -> list[str]:
    """The id each heading's section gets: its label, else its English slug (``-2`` on repeats)."""
    seen: dict[str, int] = {}
    ids = []
    for _level, text, label in headings:
        if label:
            ids.append(label)
            continue
        slug = nodes.make_id(text) or "section"
        seen[slug] = seen.get(slug, 0) + 1
        ids.append(slug if seen[slug] == 1 else f"{slug}-{seen[slug]}")
    return ids


def assign_section_ids(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    match = re.fullmatch(r"book/(en|ko)/(.+)", docname)
    if not match:
        return
    twin = Path(app.srcdir) / "book" / "en" / f"{match.group(2)}.md"
    if not twin.is_file():
        return
    ids = stable_ids(english_headings(twin.read_text(encoding="utf-8")))
    sections = list(doctree.findall(nodes.section))
    if len(sections) != len(ids):
        logger.warning(
            "%s has %d sections but its English twin has %d headings: section ids cannot be shared",
            docname, len(sections), len(ids), location=docname,
        )
        return
    for section, stable in zip(sections, ids):
        if section["ids"] and section["ids"][0] == stable:
            continue
        if stable in doctree.ids and doctree.ids[stable] is not section:
            continue  # taken by another element (a label elsewhere): keep what docutils chose
        section["ids"] = [stable, *(i for i in section["ids"] if i != stable)]
        doctree.ids[stable] = section
