"""The book's own Sphinx extension: two editions from one source tree.

``sphinx-build -b html . OUT`` builds the English edition and
``sphinx-build -b html -D language=ko . OUT`` the Korean one. One module per job:

=======================  ==============================================================
:mod:`.editions`         the table of editions; picks the edition's sources, titles
                         and ``only`` tag once ``-D language=`` is known
:mod:`.layout`           where sources and caches are (shared with ``conf.py``, tools)
:mod:`.cells`            the code cells of a MyST chapter (also used by the tests)
:mod:`.ann_lib_deps`     which ann_lib files a chapter or script imports; their fingerprint
:mod:`.caches`           re-run a chapter or gallery script when that fingerprint changes
:mod:`.gallery_korean`   the gallery pages' Korean titles and sphinx-gallery's strings
:mod:`.gallery_state`    a clean TensorFlow state before each gallery script
:mod:`.schedule`         every stale script and chapter executed up front, both cores busy,
                         the longest first
:mod:`.warm_kernels`     the chapters' kernels, forked from one process that has imported
                         TensorFlow
:mod:`.edition_links`    the language switch on every page and ``OUT/index.html``
:mod:`.search`           Korean search whatever the spacing, particles or endings; the page
                         about a term ranked first (both editions)
:mod:`.section_ids`      each section's id from its English heading, the same in both editions
:mod:`.notebooks`        each chapter's executed notebook (.ipynb), readable in plain Jupyter,
                         in its download menu
:mod:`.downloads`        the sidebar's link to the downloads (PDF, EPUB, notebooks, archive)
:mod:`.failed_cell`      a failing chapter cell reported as ``path:line``
:mod:`.offline_mathjax`  MathJax served from ``_static`` (no third-party requests)
:mod:`.particles`        how a word is read (the readings table); the Korean particle after a
                         figure or table number agrees with the number the build wrote
=======================  ==============================================================

Importing the package starts nothing: the tools read :mod:`.editions` and
:mod:`.layout` without Sphinx; :func:`setup` imports the rest.
"""

from __future__ import annotations


def setup(app) -> dict:
    from sphinx.search import languages

    from bookbuild import (
        caches, downloads, edition_links, editions, failed_cell, notebooks, offline_mathjax, particles, schedule,
        search,
        section_ids,
    )
    from bookbuild.gallery_korean import translate_gallery

    languages["ko"] = search.SearchKorean
    app.add_config_value("book_search_rules", search.rules_digest(), "html")
    app.connect("doctree-read", section_ids.assign_section_ids, priority=400)  # before the toc is collected
    app.connect("html-page-context", search.add_rank_script)
    app.connect("html-page-context", search.keep_index_entries, priority=100)  # an incremental build keeps them
    app.connect("html-page-context", notebooks.offer_notebook, priority=400)  # before the theme's buttons (501)
    app.connect("build-finished", search.write_rank_script)
    app.connect("config-inited", editions.configure_edition, priority=100)
    # before sphinx-gallery's own builder-inited handler (priority 500), which runs the scripts
    app.connect("builder-inited", caches.invalidate_stale_gallery, priority=400)
    app.connect("builder-inited", caches.create_execution_cache)
    schedule.take_over_gallery(app)  # scripts and chapters run up front, in one pool
    app.connect("source-read", caches.fingerprint_chapter)
    app.connect("source-read", translate_gallery)
    app.connect("doctree-resolved", particles.agree_after_numbers)  # 그림 9.3은, 그림 9.2는
    app.connect("html-page-context", edition_links.add_language_switch)
    app.connect("html-page-context", downloads.add_downloads_link)
    app.connect("build-finished", offline_mathjax.copy_mathjax)
    app.connect("build-finished", edition_links.write_edition_redirect)
    app.connect("build-finished", failed_cell.report_failed_cell)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
