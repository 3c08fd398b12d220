# Two commands on a fresh machine:  make html   and   make test
# (both create .venv and install the locked set of packages when needed).

PYTHON      ?= python3
VENV        ?= .venv
BUILDDIR    ?= _build
CONSTRAINTS ?= constraints.txt
JOBS        ?= 2
SPHINXOPTS  ?= -W --keep-going -n -j $(JOBS)
PORT        ?= 8000

PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# What every goal needs first: the venv, set up or brought up to date. `make SETUP= pdf` uses the
# venv as it is (the tests build the printed editions in a copy of the tree with the venv that runs
# them; a copy's newer pyproject.toml must not reinstall the venv's ann_lib from that copy).
SETUP ?= $(STAMP)
# The oldest Python the book runs on: pyproject.toml's requires-python, the one place it is written.
MIN_PYTHON := $(shell sed -n 's/^requires-python *= *">= *\([0-9.]*\)".*/\1/p' pyproject.toml)
# The fast lane: no build, no TensorFlow, no training (tests/tf/ is not even collected).
FAST := not build and not tf and not slow and not browser

.PHONY: html en ko pdf pdf-en pdf-ko epub epub-en epub-ko test reproducible check python-version serve clean distclean lock bench help dist
.DEFAULT_GOAL := help

# Stop at once, with one line, on a Python older than MIN_PYTHON: the venv's Python once it
# exists, else $(PYTHON). Every goal that runs Python checks; help, serve and clean do not.
ifneq ($(filter-out help serve clean distclean,$(or $(MAKECMDGOALS),help)),)
PYTHON_PROBLEM := $(shell py="$(PYTHON)"; test -x "$(PY)" && py="$(PY)"; \
  found=$$("$$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || { echo "no Python at '$$py'"; exit; }; \
  [ "$$(printf '%s\n' "$(MIN_PYTHON)" "$$found" | sort -V | head -n 1)" = "$(MIN_PYTHON)" ] || echo "found Python $$found ($$py)")
ifneq ($(PYTHON_PROBLEM),)
$(error $(PYTHON_PROBLEM); the book needs Python $(MIN_PYTHON) or newer: make PYTHON=python$(MIN_PYTHON) $(or $(MAKECMDGOALS),help))
endif
endif

python-version:
	@echo "Python $(MIN_PYTHON) or newer: $$(test -x $(PY) && echo $(PY) || echo $(PYTHON)) is fine"

help:
	@echo "make html    build both editions into $(BUILDDIR)/html/{en,ko} (sets up $(VENV) first)"
	@echo "make pdf     a PDF of each edition into $(BUILDDIR)/pdf/{en,ko} (XeLaTeX; README names the Debian packages)"
	@echo "make epub    an EPUB of each edition into $(BUILDDIR)/epub/{en,ko}, checked with epubcheck"
	@echo "make check   the fast tests (under a minute): library, parity, glossary; no build, TensorFlow or training"
	@echo "make test    run every test: library, TensorFlow cross-checks, parity, build (what CI runs)"
	@echo "make reproducible  build, then execute the gallery again and compare every figure (CI runs it too)"
	@echo "make dist    one archive per edition in $(BUILDDIR)/dist/: site, PDF, EPUB, notebooks, scripts, ann_lib wheel"
	@echo "make serve   serve $(BUILDDIR)/html on http://127.0.0.1:$(PORT)/"
	@echo "make bench   run the benchmarks in benchmarks/"
	@echo "make clean   remove builds and caches ($(BUILDDIR), _gallery); distclean also removes $(VENV)"
	@echo "make lock    re-resolve the packages and rewrite $(CONSTRAINTS)"

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[book,test]"
	touch $(STAMP)

# One edition at a time: `make en` or `make ko`. Whichever edition comes first executes the
# chapters and the gallery; the other takes both from the shared caches.
en: $(SETUP)
	$(PY) -m sphinx -b html $(SPHINXOPTS) . $(BUILDDIR)/html/en

ko: $(SETUP)
	$(PY) -m sphinx -b html $(SPHINXOPTS) -D language=ko . $(BUILDDIR)/html/ko

# Both at once: the Korean build waits (on _build/.execution.lock) while the English one
# executes, then reads and writes its pages while English writes its own. Each edition's
# output is printed whole when it is done.
html: $(SETUP)
	@$(MAKE) --no-print-directory -j 2 --output-sync=target en ko
	@$(PY) tools/buildkit.py landing $(BUILDDIR)/html >/dev/null
	@echo
	@$(PY) tools/buildkit.py times
	@echo
	@echo "The book is built. Open $(abspath $(BUILDDIR))/html/index.html"
	@echo "(or run 'make serve' and visit http://127.0.0.1:$(PORT)/)"

# The printed editions, separate from `make html` (which they do not slow down). Each reads the
# same sources and takes every executed cell and figure from the shared caches. Without the
# Debian packages (README.md) they stop at once, before anything runs, with one line naming them.
PRINTED_GOALS := $(filter pdf pdf-en pdf-ko epub epub-en epub-ko,$(MAKECMDGOALS))
ifneq ($(PRINTED_GOALS),)
PRINTED_PROBLEM := $(shell $(PYTHON) _ext/printed_needs.py check $(sort $(patsubst %-en,%,$(patsubst %-ko,%,$(PRINTED_GOALS)))) 2>&1)
ifneq ($(PRINTED_PROBLEM),)
$(error $(PRINTED_PROBLEM))
endif
endif
PRINTED_NAME = deep-learning-tensorflow-$*
# Debian's epubcheck is a jar that runs through binfmt; java runs it where binfmt is not set up
EPUBCHECK ?= java -jar $(shell command -v epubcheck)

pdf: $(SETUP)
	@$(MAKE) --no-print-directory -j 2 --output-sync=target pdf-en pdf-ko

pdf-en pdf-ko: pdf-%: $(SETUP)
	$(PY) -m sphinx -b latex $(SPHINXOPTS) -D language=$* -d $(BUILDDIR)/doctrees/latex-$* . $(BUILDDIR)/latex/$*
	cd $(BUILDDIR)/latex/$* && latexmk -pdfxe -interaction=nonstopmode -halt-on-error -silent $(PRINTED_NAME).tex >/dev/null \
	  || { tail -n 40 $(PRINTED_NAME).log; exit 1; }
	$(PYTHON) _ext/printed_needs.py finish-pdf $(BUILDDIR)/latex/$* $(BUILDDIR)/pdf/$*

# One edition after the other: the formulas are the same, so the Korean EPUB starts from the
# English one's SVGs (imgmath names each by a hash of its LaTeX) and renders only its own few.
epub: $(SETUP)
	@$(MAKE) --no-print-directory epub-en
	@mkdir -p $(BUILDDIR)/epub/ko/_images/math
	@cp -p $(BUILDDIR)/epub/en/_images/math/*.svg $(BUILDDIR)/epub/ko/_images/math/ 2>/dev/null || true
	@$(MAKE) --no-print-directory epub-ko

epub-en epub-ko: epub-%: $(SETUP)
	@rm -rf $(BUILDDIR)/epub/$*/_static/mathjax  # the HTML's MathJax, copied after the EPUB is zipped
	$(PY) -m sphinx -b epub $(SPHINXOPTS) -D language=$* -d $(BUILDDIR)/doctrees/epub-$* . $(BUILDDIR)/epub/$*
	$(EPUBCHECK) -q $(BUILDDIR)/epub/$*/$(PRINTED_NAME).epub
	@echo "written: $(BUILDDIR)/epub/$*/$(PRINTED_NAME).epub"

# One archive per edition (tools/dist.py): the built site, the PDF and the EPUB (built here by
# `pdf` and `epub`), every chapter and gallery notebook, every script, the ann_lib wheel and
# requirements.txt. The site is built first if it is not there; an existing build is used as it is.
dist: $(SETUP)
	@test -f $(BUILDDIR)/html/en/index.html -a -f $(BUILDDIR)/html/ko/index.html || $(MAKE) --no-print-directory html
	@$(MAKE) --no-print-directory pdf epub
	$(PY) tools/dist.py

test: $(SETUP)
	$(PY) -m pytest

# The gallery executed a second time from nothing, figure for figure the same bytes (CI runs it after
# `make test`, which trains each model once): a clean build, then every script again.
reproducible: $(SETUP)
	$(PY) -m pytest -m reproducible

check: $(SETUP)
	$(PY) -m pytest -m "$(FAST)" --ignore=tests/tf -q

serve:
	@test -f $(BUILDDIR)/html/index.html || { echo "nothing built yet: run 'make html' first"; exit 1; }
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory $(BUILDDIR)/html $(PORT)

bench: $(SETUP)
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(BUILDDIR) _gallery .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info

lock:
	rm -rf $(VENV)-lock
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet --upgrade pip
	$(VENV)-lock/bin/python -m pip install --quiet -e ".[book,test]"
	( echo "# The tested set of packages (CPython $(MIN_PYTHON), Linux x86_64). Regenerate with 'make lock'."; \
	  $(VENV)-lock/bin/python -m pip freeze --all --exclude-editable | grep -v '^setuptools=' ) > $(CONSTRAINTS)
	rm -rf $(VENV)-lock
