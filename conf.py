"""Sphinx configuration for both editions of the book.

    sphinx-build -b html . _build/html/en                  # English edition
    sphinx-build -b html -D language=ko . _build/html/ko   # Korean edition

``make html`` runs both (with -W --keep-going -n) and writes a landing page.
The per-edition settings (root document, sources, title, ``only`` tag) are set in
``_ext/bookbuild.py`` once ``-D language=...`` is known.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "_ext")]
# Notebook kernels and gallery scripts import this tree's ann_lib, never an
# installed copy, and run quietly and deterministically.
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
os.environ["PYTHONHASHSEED"] = "0"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["MPLBACKEND"] = "agg"

project = "Deep Learning with TensorFlow, from the Ground Up"
author = "The authors of the book"
copyright = "2026, the authors of the book"
language = "en"  # `-D language=ko` gives the Korean edition

extensions = [
    "myst_nb",
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "bookbuild",
]

root_doc = "book/en/index"  # set per edition by bookbuild
exclude_patterns = [
    "_build",
    ".venv",
    "_gallery/**/*.ipynb",  # sphinx-gallery's notebooks are downloads, not sources
    "_gallery/sg_execution_times.rst",
    "_gallery/**/sg_execution_times.rst",
]
templates_path = ["_templates"]
locale_dirs = ["locale"]  # Korean UI strings the theme lacks
gettext_compact = False
html_static_path = ["_static"]
html_css_files = ["book.css"]

nitpicky = True
numfig = True
suppress_warnings = []

# --- MyST and notebook execution ------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_cache_path = str(ROOT / "_build" / ".jupyter_cache")  # shared by both editions
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 300
nb_output_stderr = "warn"  # stray stderr (a warning, log noise) fails the -W build
nb_merge_streams = True
nb_ipywidgets_js = {}  # no third-party scripts

# --- gallery -------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "gallery",
    "gallery_dirs": "_gallery",
    "filename_pattern": r"/plot_",
    "abort_on_example_error": True,
    "min_reported_time": 10**9,  # no timings in pages: two builds give the same pages
    "show_memory": False,
    "remove_config_comments": True,
    "reset_modules": ("matplotlib", "bookbuild.reset_gallery_state"),
    "image_srcset": [],
    "matplotlib_animations": False,
    "download_all_examples": False,
    "backreferences_dir": None,
    "within_subsection_order": "FileNameSortKey",
    "default_thumb_file": None,
    "plot_gallery": "True",
    "parallel": 2,  # two cores: two scripts at a time
}

# --- citations, math, HTML -----------------------------------------------------
bibtex_bibfiles = ["book/references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
mathjax_path = "mathjax/tex-chtml.js"  # copied into _static/mathjax by bookbuild (offline)

html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
    # no "By <author>" line: the theme's Korean catalog renders it as "으로 <author>",
    # and the copyright line names the authors already
    "footer_content_items": ["copyright.html", "last-updated.html", "extra-footer.html"],
}
html_sidebars = {
    "**": ["navbar-logo.html", "lang-switch.html", "sbt-sidebar-nav.html"]  # search sits in the header
}
html_copy_source = True
html_show_sourcelink = False
html_last_updated_fmt = None
