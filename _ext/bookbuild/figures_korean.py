"""Every gallery figure drawn twice in one run: the English image, and its Korean twin.

sphinx-gallery saves each figure a script leaves open with its image scraper.
:func:`scraper` (``image_scrapers`` in ``conf.py``) lets sphinx-gallery's own
matplotlib scraper save the English image exactly as before, then takes the same
``Figure`` object, replaces every string drawn in it by its Korean form and saves
``sphx_glr_plot_x_001_ko.png`` beside it (and ``..._thumb_ko.png`` beside the
thumbnail). The numbers are the same numbers, because it is the same figure of
the same run: the Korean build executes nothing.

Where the Korean strings come from
    The script's own table, a module global ``KOREAN = {"error (%)": "오차 (%)", ...}``.
    A key with ``{}`` is a template for strings made at run time: ``"epoch {}"``
    matches ``"epoch 12"`` and gives ``"에포크 12"`` (the Korean value may say
    ``{0}``, ``{1}`` to reorder), and what fills each ``{}`` is translated in turn
    (``"true: {}"`` and ``"red {}"`` make ``"true: red disc"`` ``"정답: 빨간 원판"``). A string whose only Latin words are symbols
    (one letter, or inside ``$...$``), units, code names or system names
    (:data:`KEPT`, plus the script's own ``KEPT_IN_LATIN``) is drawn as it is. Any
    other string fails the build, naming the script and the string
    (:class:`MissingTranslation`). A script that draws no words needs no table.

The font
    NanumGothic, shipped under the SIL Open Font License by the
    ``koreanize-matplotlib`` package (only its font files are used: importing it
    would change every figure's font). Each Korean text gets the family list
    ``[its own family..., "NanumGothic"]``: Latin letters, digits and symbols keep
    DejaVu Sans, as in the English figure, and Hangul falls back to NanumGothic
    glyph by glyph. A string that mixes Hangul with ``$math$`` is set in
    NanumGothic first (mathtext draws the words around the math in the text's
    first font, without fallback). A glyph that no font has fails the build
    (:class:`MissingGlyph`), in both editions' images.

What each twin carries is written to ``sphx_glr_plot_x_001_ko.json``: the strings
drawn (English and Korean, tick labels included) and the Korean alt text, which
:mod:`bookbuild.gallery_korean` puts on the Korean gallery page.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

#: Latin words a Korean figure keeps, as the Korean prose writes them: systems, data sets,
#: tasks and metrics known by their names, units and code names.
KEPT = frozenset("""
    AlexNet ImageNet ILSVRC CLS LOC ZFNet GoogLeNet ResNet SENet OverFeat VGG VGGNet SuperVision MSRA
    LeNet MNIST XOR AND OR NAND NOR NOT CTC DQN ReLU tanh sigmoid softmax MSE RMSE NDCG IoU BPTT
    GRU LSTM RNN CNN MLP GPU CPU TPU FLOP FLOPs PFLOP TF TensorFlow Keras numpy ann_lib SGD Adam
    Glorot He Xavier LeCun dB Hz kHz ms log exp max min argmax mel STFT WER CER BLEU
    F1 F2 F3
""".split())

KOREAN_FONT = "NanumGothic"
#: The weights the figures use, from the koreanize-matplotlib package: regular (400), and for bold
#: text ExtraBold, which matplotlib reads as 700 ("bold"; the file named Bold reads as 600, and a
#: bold label would then log "Failed to find font weight bold").
FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf", "NanumGothicExtraBold.ttf")
TWIN_SUFFIX = "_ko"
#: Scripts whose figures the Korean edition still shows in English, while a change rewrites them
#: (issue 25's split was the last; every script has its KOREAN table now). Remove a name when its
#: script (or its successors) has one.
DRAWN_IN_ENGLISH_FOR_NOW: frozenset[str] = frozenset()

#: A word in Latin script: letters, digits, ``_`` and ``'`` inside, and a hyphen before a letter
#: ("NEC-UIUC" is one word; "CD-1" is the word "CD"); not the exponent of a number ("1e6").
LATIN_WORD = re.compile(r"(?<!\w)[A-Za-z](?:[A-Za-z0-9_']|-(?=[A-Za-z]))*")
MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$", re.DOTALL)
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
GLYPH_MISSING = re.compile(r"Glyph \d+ .*missing from font|does not have a glyph for", re.DOTALL)


class MissingTranslation(ValueError):
    """A figure draws a string with Latin words that the script's ``KOREAN`` table does not translate."""


class MissingGlyph(ValueError):
    """A figure draws a character that none of its fonts has (matplotlib would draw an empty box)."""


# ------------------------------------------------------------------ the table
def latin_words(text: str) -> list[str]:
    """The words in Latin script of ``text`` outside ``$math$`` that are not kept (:data:`KEPT`)."""
    return [w for w in LATIN_WORD.findall(MATH.sub(" ", text)) if len(w) > 1 and w not in KEPT]


class Translator:
    """A script's ``KOREAN`` table as a function: English string -> the string the Korean figure draws.

    ``script`` names the script in errors; ``kept`` are more Latin words the script keeps.
    """

    def __init__(self, script: str, table: dict[str, str] | None, kept: frozenset[str] | set[str] = frozenset()):
        self.script = script
        table = dict(table or {})
        for key, value in table.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise TypeError(f"{script}: KOREAN must map strings to strings, got {key!r}: {value!r}")
        self.exact = {k: v for k, v in table.items() if "{}" not in k}
        self.templates = []
        for key, value in table.items():
            if not key.replace("{}", "").strip():
                raise ValueError(f"{script}: the KOREAN key {key!r} has no words around its {{}}")
            if "{}" in key:
                parts = [re.escape(part) for part in key.split("{}")]
                self.templates.append((re.compile("(.+?)".join(parts) + r"\Z", re.DOTALL), value, key))
        self.kept = frozenset(kept)

    def untranslated(self, text: str) -> list[str]:
        """The Latin words of ``text`` that a Korean figure may not draw."""
        return [w for w in latin_words(text) if w not in self.kept]

    def __call__(self, text: str) -> str:
        if not text or not text.strip():
            return text
        if text in self.exact:
            return self.exact[text]
        for pattern, korean, key in self.templates:
            match = pattern.match(text)
            if match:  # each field is translated too: "true: {}" with "red disc" -> "정답: 빨간 원판"
                return korean.format(*(self(field) for field in match.groups()))
        if not self.untranslated(text):
            return text
        raise MissingTranslation(
            f"{self.script}: the figure draws {text!r}, which its KOREAN table does not translate "
            f"(Latin words {self.untranslated(text)}); add it to KOREAN, or the word to KEPT_IN_LATIN "
            "if Korean figures keep it in Latin script"
        )


def translator_for(script: str, namespace: dict[str, Any]) -> Translator:
    """The :class:`Translator` of a script from its globals (``KOREAN``, ``KEPT_IN_LATIN``)."""
    return Translator(script, namespace.get("KOREAN"), set(namespace.get("KEPT_IN_LATIN", ())))


# ------------------------------------------------------------------ the font
def font_files() -> list[Path]:
    """NanumGothic's files inside the koreanize-matplotlib package (not imported: that would restyle every figure)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "koreanize-matplotlib is not installed; the Korean figures take their Hangul font "
            "(NanumGothic) from it: pip install -c constraints.txt koreanize-matplotlib"
        )
    folder = Path(list(spec.submodule_search_locations)[0]) / "fonts"
    files = [folder / name for name in FONT_FILES]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise FileNotFoundError(f"koreanize-matplotlib no longer ships {missing}; see bookbuild/figures_korean.py")
    return files


def register_korean_font() -> None:
    """Make NanumGothic known to matplotlib in this process (once)."""
    from matplotlib import font_manager

    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in font_files():
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))


@contextmanager
def glyphs_checked(where: str) -> Iterator[None]:
    """Fail with :class:`MissingGlyph` when matplotlib draws a character no font has (warning or mathtext log)."""
    messages: list[str] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if GLYPH_MISSING.search(record.getMessage()):
                messages.append(record.getMessage())

    handler = Handler(logging.WARNING)
    loggers = [logging.getLogger(name) for name in ("matplotlib.mathtext", "matplotlib._mathtext")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        for warning in caught:
            text = str(warning.message)
            if GLYPH_MISSING.search(text):
                messages.append(text)
            else:  # not ours: let it go on as it would have
                warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    if messages:
        raise MissingGlyph(f"{where}: a character has no glyph in the figure's fonts: {messages[0]}")


# ------------------------------------------------------------------ the twin
def twin_path(image: str | Path) -> Path:
    """``.../sphx_glr_plot_x_001.png`` -> ``.../sphx_glr_plot_x_001_ko.png``."""
    image = Path(image)
    return image.with_name(image.stem + TWIN_SUFFIX + image.suffix)


def _translated_formatter(inner, translate):
    from matplotlib import ticker

    class Translated(ticker.Formatter):
        """Another formatter's tick labels, in Korean."""

        def set_axis(self, axis):
            super().set_axis(axis)
            inner.set_axis(axis)

        def set_locs(self, locs):
            inner.set_locs(locs)

        def format_ticks(self, values):
            return [translate(label) for label in inner.format_ticks(values)]

        def __call__(self, x, pos=None):
            return translate(inner(x, pos))

        def get_offset(self):
            return translate(inner.get_offset())

        def format_data(self, value):
            return inner.format_data(value)

        def format_data_short(self, value):
            return inner.format_data_short(value)

    return Translated()


def _korean_family(text_artist, korean: str) -> list[str]:
    from matplotlib import cbook

    own = list(text_artist.get_fontfamily())
    if HANGUL.search(korean) and cbook.is_math_text(korean):
        return [KOREAN_FONT] + [f for f in own if f != KOREAN_FONT]
    return [f for f in own if f != KOREAN_FONT] + [KOREAN_FONT]


def _drawn_texts(figure) -> list:
    from matplotlib.text import Text

    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def save_korean_twin(figure, path: str | Path, translate: Translator, **savefig_kwargs) -> dict[str, Any]:
    """Save ``figure`` with its strings in Korean to ``path``; return what it drew.

    Call it after the English image is saved: the figure's strings, fonts and
    tick formatters are changed for good (sphinx-gallery closes it next).
    """
    import matplotlib

    register_korean_font()
    english_titles = _titles(figure)
    pairs: dict[str, str] = {}
    for axes in figure.axes:
        for axis in getattr(axes, "_axis_map", {}).values():
            axis.set_major_formatter(_translated_formatter(axis.get_major_formatter(), translate))
            axis.set_minor_formatter(_translated_formatter(axis.get_minor_formatter(), translate))
    for text in _drawn_texts(figure):
        english = text.get_text()
        korean = translate(english)
        pairs[english] = korean
        text.set_text(korean)
        text.set_fontfamily(_korean_family(text, korean))
    rc = {"font.family": [*matplotlib.rcParams["font.family"], KOREAN_FONT]}
    where = f"{translate.script}: {Path(path).name}"
    with matplotlib.rc_context(rc), glyphs_checked(where):
        figure.savefig(path, **savefig_kwargs)
    drawn = []
    for text in _drawn_texts(figure):  # tick labels too, as the formatters wrote them
        korean = text.get_text()
        if translate.untranslated(korean) and korean not in pairs.values():
            raise MissingTranslation(f"{where}: the Korean figure still draws {korean!r}")
        drawn.append(korean)
    korean_titles = one_line(", ".join(translate(title) for title in english_titles))
    return {"image": Path(path).name, "alt": korean_titles, "texts": sorted(set(drawn)),
            "translated": dict(sorted(pairs.items()))}


def one_line(text: str) -> str:
    """``text`` on one line, as reST's ``:alt:`` needs it (a title may break lines)."""
    return re.sub(r"\s*\n\s*", " ", text).strip()


def _titles(figure) -> list[str]:
    """The figure's titles, which sphinx-gallery joins for the alt text (suptitle, then each axes' titles)."""
    titles = []
    if getattr(figure, "_suptitle", None) is not None and figure._suptitle.get_text():
        titles.append(figure._suptitle.get_text())
    for axes in figure.axes:
        for loc in ("left", "center", "right"):
            if axes.get_title(loc=loc):
                titles.append(axes.get_title(loc=loc))
    return titles


# ------------------------------------------------------------------ sphinx-gallery's hook
def scraper(block, block_vars: dict[str, Any], gallery_conf: dict[str, Any]) -> str:
    """sphinx-gallery's image scraper: the English images as its matplotlib scraper saves them, then each Korean twin."""
    import matplotlib
    import matplotlib.pyplot as plt

    from bookbuild.animations import matplotlib_scraper  # sphinx-gallery's, with stable animation players

    iterator = block_vars["image_path_iterator"]
    figures = [plt.figure(number) for number in plt.get_fignums()]
    first = len(iterator)
    script = Path(block_vars.get("src_file", "?")).name
    with glyphs_checked(script):
        rst = matplotlib_scraper(block, block_vars, gallery_conf)  # closes the figures; the objects remain
    if script in DRAWN_IN_ENGLISH_FOR_NOW:
        return rst
    translate = translator_for(script, block_vars.get("example_globals", {}))
    file_conf = block_vars.get("file_conf") or {}
    thumbnail_number = file_conf.get("thumbnail_number", 1)
    if thumbnail_number is None or thumbnail_number < 0:
        raise ValueError(f"{script}: sphinx_gallery_thumbnail_number must be a positive number for the "
                         f"Korean thumbnail (bookbuild/figures_korean.py), got {thumbnail_number!r}")
    # a figure that an animation draws is embedded as matplotlib's player, not as an image: no twin
    # (sphinx-gallery finds them the same way, in its matplotlib scraper)
    animated = set()
    if gallery_conf.get("matplotlib_animations", (False,))[0]:
        from matplotlib.animation import Animation

        animated = {id(value._fig) for value in block_vars.get("example_globals", {}).values()
                    if isinstance(value, Animation)}
    for number, (figure, image) in enumerate(zip(figures, iterator.paths[first:]), start=first + 1):
        if id(figure) in animated:
            continue
        kwargs = {}
        for attr in ("facecolor", "edgecolor"):  # as sphinx-gallery's scraper saves them
            value = getattr(figure, "get_" + attr)()
            if matplotlib.colors.to_rgba(value) != matplotlib.colors.to_rgba(matplotlib.rcParams["figure." + attr]):
                kwargs[attr] = value
        twin = twin_path(image)
        record = save_korean_twin(figure, twin, translate, **kwargs)
        twin.with_suffix(".json").write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if number == thumbnail_number:
            save_korean_thumbnail(twin, gallery_conf)
    return rst


def save_korean_thumbnail(twin: Path, gallery_conf: dict[str, Any]) -> Path:
    """The thumbnail of a Korean twin, as sphinx-gallery makes the English one: ``thumb/sphx_glr_plot_x_thumb_ko.png``."""
    from sphinx_gallery.gen_rst import scale_image

    stem = re.sub(r"_\d{3}" + TWIN_SUFFIX + r"\Z", "", twin.stem)
    thumb = twin.parent / "thumb" / f"{stem}_thumb{TWIN_SUFFIX}.png"
    thumb.parent.mkdir(parents=True, exist_ok=True)
    scale_image(str(twin), str(thumb), *gallery_conf["thumbnail_size"])
    return thumb


# ------------------------------------------------------------------ a script's missing strings, from the command line
class _Collecting(Translator):
    """A translator that notes what it cannot translate instead of failing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.missing: list[str] = []

    def __call__(self, text: str) -> str:
        try:
            return super().__call__(text)
        except MissingTranslation:
            if text not in self.missing:
                self.missing.append(text)
            return text


def missing_strings(script: Path, out: Path) -> list[str]:
    """Run ``script`` as the build does (Agg, its folder as working directory) and list the strings
    its figures draw that its ``KOREAN`` table lacks; the twins are written to ``out``."""
    import os
    import runpy

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    script = Path(script).resolve()
    here = os.getcwd()
    os.chdir(script.parent)
    try:
        namespace = runpy.run_path(str(script), run_name="__main__")
    finally:
        os.chdir(here)
    collect = _Collecting(script.name, namespace.get("KOREAN"), set(namespace.get("KEPT_IN_LATIN", ())))
    out.mkdir(parents=True, exist_ok=True)
    seconds = {"english": 0.0, "korean": 0.0}
    for number in plt.get_fignums():
        figure = plt.figure(number)
        started = time.process_time()
        figure.savefig(out / f"{script.stem}_{number:03}.png")
        seconds["english"] += time.process_time() - started
        started = time.process_time()
        save_korean_twin(figure, out / f"{script.stem}_{number:03}_ko.png", collect)
        seconds["korean"] += time.process_time() - started
    plt.close("all")
    missing_strings.seconds = seconds  # CPU seconds of saving the figures, English and Korean
    return collect.missing


if __name__ == "__main__":  # python _ext/bookbuild/figures_korean.py gallery/NN_topic/plot_x.py ...
    import sys
    import tempfile

    failed = False
    for name in sys.argv[1:]:
        found = missing_strings(Path(name), Path(tempfile.gettempdir()) / "korean-figures")
        failed |= bool(found)
        print(f"{name}: {len(found)} strings to translate", *(f"    {s!r}: ''," for s in found), sep="\n")
        print(f"{name}: CPU seconds to save the figures: English {missing_strings.seconds['english']:.2f}, "
              f"Korean twins {missing_strings.seconds['korean']:.2f}")
    sys.exit(1 if failed else 0)
