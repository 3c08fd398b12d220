"""Sphinx configuration for both editions of the book.

    sphinx-build -b html . _build/html/en                  # English edition
    sphinx-build -b html -D language=ko . _build/html/ko   # Korean edition

``make html`` runs both (with -W --keep-going -n) and writes a landing page.
What differs between the editions (title, author, root document, sources, ``only``
tag) is in one table, ``_ext/bookbuild/editions.py``, and is set from it once
``-D language=...`` is known; where the sources and caches are is in
``_ext/bookbuild/layout.py``.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "_ext")]
# Notebook kernels and gallery scripts import this tree's ann_lib, never an
# installed copy, and run quietly and deterministically.
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
from bookbuild import environment  # noqa: E402

environment.apply()  # one thread per job, oneDNN on, quiet TensorFlow: _ext/bookbuild/environment.py

from bookbuild.editions import DEFAULT  # noqa: E402
from bookbuild.layout import BUILD, EXECUTION_CACHE, GALLERY_OUTPUT, GALLERY_SOURCE  # noqa: E402

# project, author, copyright, html_title and root_doc are set per edition by bookbuild
language = DEFAULT  # `-D language=ko` gives the Korean edition

extensions = [
    "myst_nb",
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "bookbuild",
    "backmatter",  # glossary and index from book/glossary.csv; the bibliography of cited works
    "sphinx.ext.imgmath",  # math as SVG in the EPUB only (epub_math_renderer below)
    "printed",  # the PDF and EPUB of each edition: _ext/printed.py
]

exclude_patterns = [
    BUILD,
    ".venv",
    f"{GALLERY_OUTPUT}/**/*.ipynb",  # sphinx-gallery's notebooks are downloads, not sources
    f"{GALLERY_OUTPUT}/sg_execution_times.rst",
    f"{GALLERY_OUTPUT}/**/sg_execution_times.rst",
]
templates_path = ["_templates"]
locale_dirs = ["locale"]  # Korean UI strings the theme lacks
gettext_compact = False
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"  # every page has an icon (no request for a missing /favicon.ico)
html_css_files = ["book.css"]

nitpicky = True
numfig = True
# Figures and tables are numbered per chapter (Fig. 9.3 / 그림 9.3): the chapters' toctree in each
# edition's index.md is `:numbered: 1`, which numbers the chapter titles only (the sidebar and each
# chapter's heading read "9. ...", sections stay unnumbered), and the figure number takes that one
# level. The preface sits in its own unnumbered toctree. The Korean captions come from Sphinx's own
# catalog ("그림 %s", "표 %s"); tests/test_rendered_particles.py checks both editions' numbers.
numfig_secnum_depth = 1
# the EPUB leaves out the gallery's downloads (.py, .ipynb, .zip, .wav), which have no EPUB media type
suppress_warnings = ["epub.unknown_project_files"]

# --- MyST and notebook execution ------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_cache_path = str(ROOT / EXECUTION_CACHE)  # shared by both editions
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 300
nb_output_stderr = "warn"  # stray stderr (a warning, log noise) fails the -W build
nb_merge_streams = True
nb_ipywidgets_js = {}  # no third-party scripts

# --- gallery -------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": GALLERY_SOURCE,
    "gallery_dirs": GALLERY_OUTPUT,  # shared by both editions
    "filename_pattern": r"/plot_",
    "abort_on_example_error": True,
    "min_reported_time": 10**9,  # no timings in pages: two builds give the same pages
    "show_memory": False,
    "remove_config_comments": True,
    "reset_modules": ("matplotlib", "bookbuild.gallery_state.reset_gallery_state"),
    "reset_argv": "bookbuild.results.remember_script",  # what a script computed is kept for the tests
    "image_srcset": [],
    # each figure saved twice in one run: English, and its Korean twin (_ext/bookbuild/figures_korean.py);
    # a FuncAnimation left in a script's namespace is embedded with to_jshtml(): frames inside the page,
    # matplotlib's own player, no network; bookbuild.animations makes its element ids the same in every build
    "image_scrapers": ("bookbuild.figures_korean.scraper",),
    "matplotlib_animations": (True, "jshtml"),
    "download_all_examples": True,  # zips of every script (.py, .ipynb) on the gallery index pages
    "copyfile_regex": r".*\.csv$",  # data a script reads (ilsvrc_results.csv), offered beside it with :download:
    "backreferences_dir": None,
    "within_subsection_order": "FileNameSortKey",
    "default_thumb_file": None,
    "plot_gallery": "True",
    "parallel": 2,  # unused in practice: bookbuild.schedule runs every stale script up front and turns it off
}

# --- citations, math, HTML -----------------------------------------------------
bibtex_bibfiles = ["book/references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
mathjax_path = "mathjax/tex-chtml.js"  # copied into _static/mathjax by bookbuild.offline_mathjax

html_theme = "sphinx_book_theme"
# the theme reads the colour mode from here; left empty it logs "invalid theme mode" on a first visit
html_context = {"default_mode": "auto"}
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
    # no "By <author>" line: the theme's Korean catalog renders it as "으로 <author>",
    # and the copyright line names the authors already
    # licence-footer.html: the licences of the text and the code, in the page's language (_templates/)
    "footer_content_items": ["copyright.html", "licence-footer.html", "last-updated.html", "extra-footer.html"],
}
html_sidebars = {
    "**": ["navbar-logo.html", "lang-switch.html", "sbt-sidebar-nav.html"]  # search sits in the header
}
html_copy_source = True
html_show_sourcelink = False
html_last_updated_fmt = None


# --- PDF (make pdf) and EPUB (make epub) ------------------------------------------
# Each edition's file names, titles and authors follow -D language= (_ext/printed.py).
# The Debian packages these need are listed in README.md; the Makefile checks for them.
latex_engine = "xelatex"
latex_use_xindy = False  # makeindex sorts the Korean index in Unicode order, which is 가나다 order
latex_show_urls = "footnote"
latex_show_pagerefs = True
latex_docclass = {"manual": "report"}
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "extraclassoptions": "openany,oneside",
    # Hangul in both editions (the English one quotes Korean titles) with ko.TeX's xetexko, which
    # keeps Korean word spacing, in Noto CJK KR; Latin text and punctuation stay in FreeSerif.
    "fontenc": r"""\usepackage{fontspec}
\defaultfontfeatures[\rmfamily,\sffamily,\ttfamily]{}
\usepackage{kotex}
\setmainhangulfont{Noto Serif CJK KR}
\setsanshangulfont{Noto Sans CJK KR}
\setmonohangulfont{Noto Sans Mono CJK KR}
% curly quotes are Latin punctuation here: xetexko's class for them spaces "Barney’s" as "Barney’ s"
\XeTeXcharclass"2018=0 \XeTeXcharclass"2019=0 \XeTeXcharclass"201C=0 \XeTeXcharclass"201D=0
""",
    # XeLaTeX writes "Missing character" to the log for a glyph no font has: make pdf fails on it
    "preamble": r"""\tracinglostchars=2
\AtBeginDocument{\edef\booksecnumdepth{\the\value{secnumdepth}}}
""",
    "sphinxsetup": "verbatimwrapslines=true, verbatimforcewraps=true",
    "figure_align": "htbp",
}

epub_theme = "epub"
epub_math_renderer = "imgmath"  # e-readers run no MathJax: SVG made at build time
html_math_renderer = "mathjax"  # the web edition, unchanged
imgmath_image_format = "svg"
# latex and dvisvgm for each formula; the few with Hangul in \text{...} go through XeLaTeX with
# ko.TeX instead (_ext/printed.py)
imgmath_font_size = 14
epub_show_urls = "no"
epub_use_index = True
# sphinx-gallery's badges (their SVG declares external entities, which EPUB 3 forbids)
epub_exclude_files = ["search.html", "_static/binder_badge_logo.svg", "_static/jupyterlite_badge_logo.svg"]
epub_tocdepth = 2
epub_tocdup = False
epub_tocscope = "includehidden"  # the NCX and nav use the entries _ext/printed.py normalizes
