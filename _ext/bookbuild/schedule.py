"""Execute everything a build must run before Sphinx reads a page: both cores busy, the longest first.

Left to themselves, sphinx-gallery runs the scripts of one gallery folder at a
time (two at a time inside a folder, then it waits for the folder's slowest
script), and myst-nb executes a chapter only when Sphinx reads it, after every
script has run. A folder with one long script, or a long script beside a short
one, leaves a core idle, and the chapters wait for the whole gallery.

This module runs every stale job of the build (each gallery script whose md5 is
not current, each chapter that jupyter-cache has no record for) up front, in one
pool of :data:`WORKERS` processes, longest first (the longest-processing-time
rule). A script runs through sphinx-gallery's own ``generate_file_rst``, so its
page, images and md5 are exactly what sphinx-gallery would write; its result is
handed back to sphinx-gallery, which then writes the gallery's indexes as usual
and runs nothing itself. A chapter is read into a notebook as myst-nb reads it
(with its ann_lib fingerprint cell), executed with nbclient as myst-nb does (in a
kernel forked from one process that has imported TensorFlow, :mod:`bookbuild.warm_kernels`),
and stored in jupyter-cache, where myst-nb then finds it.

A job that fails here is not stored: sphinx-gallery or myst-nb then runs it again
in its usual place and fails there, with its usual report (and
:mod:`bookbuild.failed_cell`'s ``path:line``).

Expected durations, for the order, come from the last build's record in
``_build`` when there is one, else from :data:`EXPECTED`, the book's own table
(``python tools/buildkit.py expected`` rewrites it from the last build). A wrong
guess costs idle time at the end of the run, never a wrong result.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from bookbuild.layout import BOOK, BUILD, GALLERY_OUTPUT, GALLERY_SOURCE

logger = logging.getLogger(__name__)

WORKERS = 2  #: the book's machine: two cores
#: The book's table of expected seconds per job (a chapter's stem or a script's name).
EXPECTED = Path(__file__).with_name("expected_seconds.json")
#: Seconds each job took in this tree's last build (kept with the caches).
MEASURED = f"{BUILD}/.job_seconds.json"
#: Held while one build executes and writes the shared gallery output (see take_over_gallery).
LOCK = f"{BUILD}/.execution.lock"

#: TensorFlow's notice at import, printed before its logging is set up, so that
#: TF_CPP_MIN_LOG_LEVEL cannot silence it. It is the one stderr text a chapter may
#: print; anything else on stderr still fails the build (``nb_output_stderr``).
ONEDNN_NOTICE = re.compile(
    r"^WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR\n"
    r"|^I\d{4} [\d:.]+ +\d+ port\.cc:\d+\] oneDNN custom operations are on\. "
    r"You may see slightly different numerical results due to floating-point round-off errors "
    r"from different computation orders\. To turn them off, set the environment variable "
    r"`TF_ENABLE_ONEDNN_OPTS=0`\.\n",
    re.MULTILINE,
)

_done: dict[str, tuple] = {}  #: script path -> sphinx-gallery's result for it, run up front


def take_over_gallery(app: Sphinx) -> None:
    """Run :func:`execute_stale` just before sphinx-gallery's ``builder-inited`` handler.

    Called from ``setup``. The handler is moved, not changed: at its own priority,
    after myst-nb has made its configuration (which the chapters are read with). The
    two run under a lock on ``_build/.execution.lock``, so that two editions built at
    the same time never execute the same job twice nor write ``_gallery`` together.
    """
    from sphinx_gallery import gen_gallery, gen_rst

    listeners = app.events.listeners["builder-inited"]
    theirs = [entry for entry in listeners if entry.handler is gen_gallery.generate_gallery_rst]
    if len(theirs) != 1:
        raise RuntimeError("sphinx-gallery's builder-inited handler was not found; see bookbuild/schedule.py")
    app.disconnect(theirs[0].id)

    def execute_then_gallery(app: Sphinx) -> None:
        # Both editions may build at once (make html): the first to take the lock executes
        # what is stale; the other waits, then finds nothing stale and only reads the caches.
        lock = Path(app.srcdir) / LOCK
        lock.parent.mkdir(parents=True, exist_ok=True)
        with lock.open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            logger.info(f"[bookbuild] {LOCK} taken")
            execute_stale(app)
            # What is left for sphinx-gallery to run (a script that failed up front) runs in this
            # process: its own pool would start workers only to skip every script, and joblib
            # cannot share loky's executor with the one execute_stale used.
            app.config.sphinx_gallery_conf["parallel"] = False
            gen_gallery.generate_gallery_rst(app)

    app.connect("builder-inited", execute_then_gallery, priority=theirs[0].priority)
    original = gen_rst.generate_file_rst
    if getattr(original, "_bookbuild", False):
        return

    def generate_file_rst(fname, target_dir, src_dir, gallery_conf, *args, **kwargs):
        done = _done.pop(os.path.normpath(Path(src_dir, fname)), None)
        return done if done is not None else original(fname, target_dir, src_dir, gallery_conf, *args, **kwargs)

    generate_file_rst._bookbuild = True
    gen_rst.generate_file_rst = generate_file_rst


# ------------------------------------------------------------------ what is stale
def stale_scripts(app: Sphinx) -> list[tuple[str, Path, Path]]:
    """(name, source, target folder) of every gallery script sphinx-gallery would run."""
    from sphinx_gallery.gen_rst import executable_script, get_md5sum

    root, conf = Path(app.srcdir), app.config.sphinx_gallery_conf
    if not conf.get("plot_gallery") or conf["plot_gallery"] == "False":
        return []
    jobs = []
    for script in sorted((root / GALLERY_SOURCE).glob("*/plot_*.py")):
        target = root / GALLERY_OUTPUT / script.relative_to(root / GALLERY_SOURCE)
        if not executable_script(script, conf):
            continue
        md5 = Path(f"{target}.md5")
        if md5.exists() and md5.read_text() == get_md5sum(script, mode="t"):
            continue
        jobs.append((script.name, script, target.parent))
    return jobs


def stale_chapters(app: Sphinx) -> list[tuple[str, Path, object]]:
    """(stem, source, notebook) of every chapter of this edition that jupyter-cache has not executed."""
    from jupyter_cache import get_cache
    from myst_nb.core.read import create_nb_reader

    from bookbuild.caches import fingerprint_chapter

    nb_config = app.env.mystnb_config
    if nb_config.execution_mode != "cache":
        return []
    cache = get_cache(nb_config.execution_cache_path)  # created by caches.create_execution_cache, which runs first
    root = Path(app.srcdir)
    jobs = []
    for path in sorted((root / BOOK / app.config.language).glob("*.md")):
        docname = path.relative_to(root).with_suffix("").as_posix()
        source = [path.read_text(encoding="utf-8")]
        fingerprint_chapter(app, docname, source)
        reader = create_nb_reader(str(path), app.env.myst_config, nb_config, source[0])
        if reader is None:
            continue
        notebook = reader.read(source[0])
        if not any(cell.cell_type == "code" for cell in notebook.cells):
            continue
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            jobs.append((path.stem, path, notebook))
    return jobs


# ------------------------------------------------------------------ the jobs
def _run_script(name: str, target_dir: Path, src_dir: Path, gallery_conf: dict) -> tuple:
    """In a worker: sphinx-gallery's own execution of one script."""
    from sphinx_gallery import gen_rst

    from bookbuild.results import save_results

    started = time.perf_counter()
    result = gen_rst.generate_file_rst(name, target_dir, src_dir, gallery_conf)
    seconds = time.perf_counter() - started
    save_results()  # what the script computed, for the tests (bookbuild.results)
    return result, seconds


def _run_notebook(notebook, cwd: str, timeout: int | None, allow_errors: bool, warm: str | None) -> tuple:
    """In a worker: execute one chapter as myst-nb's cache mode does, in a kernel forked from the
    warm process at the socket ``warm`` (:mod:`bookbuild.warm_kernels`) if one is given."""
    from jupyter_cache.executors.utils import single_nb_execution

    from bookbuild.warm_kernels import kernel_manager_class

    extra = {"kernel_manager_class": kernel_manager_class(warm)} if warm else {}
    result = single_nb_execution(notebook, cwd=cwd, timeout=timeout, allow_errors=allow_errors, meta_override=True,
                                 **extra)
    return result.nb, result.time, result.exc_string


def without_onednn_notice(notebook) -> None:
    """Remove TensorFlow's import notice (:data:`ONEDNN_NOTICE`) from the notebook's stderr, and nothing else."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output["text"] if isinstance(output["text"], str) else "".join(output["text"])
                output["text"] = ONEDNN_NOTICE.sub("", text)
                if not output["text"]:
                    continue
            kept.append(output)
        cell["outputs"] = kept


def expected_seconds(root: Path) -> dict[str, float]:
    """The last build's seconds per job, over the book's table."""
    expected = json.loads(EXPECTED.read_text(encoding="utf-8")) if EXPECTED.exists() else {}
    measured = root / MEASURED
    if measured.exists():
        expected.update(json.loads(measured.read_text(encoding="utf-8")))
    return expected


def _start_warm_kernels():
    """The chapters' warm process (:mod:`bookbuild.warm_kernels`), or None (plain kernels) if it cannot start."""
    from bookbuild.warm_kernels import WarmKernels

    try:
        return WarmKernels()
    except OSError as error:
        logger.info(f"[bookbuild] chapters run in plain kernels: {error}")
        return None


def execute_stale(app: Sphinx) -> None:
    """Run every stale gallery script and chapter of this build up front (see the module's docstring)."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from joblib.externals.loky import get_reusable_executor

    root = Path(app.srcdir)
    scripts, chapters = stale_scripts(app), stale_chapters(app)
    if not scripts and not chapters:
        return
    guess = expected_seconds(root)
    warm = _start_warm_kernels() if chapters else None
    if warm is not None:
        logger.info(f"[bookbuild] {len(chapters)} chapters run in kernels forked from a warm process "
                    "(bookbuild.warm_kernels)")
    jobs = [(guess.get(name, 0.0), "script", name, (name, target, source.parent, app.config.sphinx_gallery_conf))
            for name, source, target in scripts]
    nb_config = app.env.mystnb_config
    jobs += [(guess.get(stem, 0.0), "chapter", stem,
              (notebook, str(path.parent), nb_config.execution_timeout, nb_config.execution_allow_errors,
               warm and warm.socket))
             for stem, path, notebook in chapters]
    jobs.sort(key=lambda job: -job[0])  # longest first; the pool takes them in this order
    logger.info(f"[bookbuild] executing {len(scripts)} gallery scripts and {len(chapters)} chapters "
                f"up front, {WORKERS} at a time, the longest first")
    executor = get_reusable_executor(max_workers=WORKERS)
    started = time.perf_counter()
    futures = [executor.submit(_run_script if kind == "script" else _run_notebook, *args)
               for _, kind, _, args in jobs]
    sources = {name: source for name, source, _ in scripts} | {stem: path for stem, path, _ in chapters}
    cache = get_cache(nb_config.execution_cache_path)
    measured = {}
    try:
        for (_, kind, name, _), future in zip(jobs, futures):
            try:
                outcome = future.result()
            except Exception as error:  # noqa: BLE001 -- reported again where the job runs a second time
                logger.info(f"[bookbuild] {name} failed up front ({type(error).__name__}); it runs again in its usual place")
                continue
            if kind == "script":
                result, seconds = outcome
                out_vars = result[3]
                if "formatted_exception" in out_vars or "passing" not in out_vars:
                    logger.info(f"[bookbuild] {name} failed up front; it runs again in its usual place")
                    continue
                _done[os.path.normpath(sources[name])] = result
            else:
                notebook, seconds, failure = outcome
                if failure is not None:
                    logger.info(f"[bookbuild] {name}.md failed up front; it runs again in its usual place")
                    continue
                without_onednn_notice(notebook)
                cache.cache_notebook_bundle(
                    CacheBundleIn(notebook, str(sources[name]), data={"execution_seconds": seconds}),
                    check_validity=False,
                    overwrite=True,
                )
                logger.info(f"[bookbuild] executed {sources[name].relative_to(root).as_posix()} up front")
            measured[name] = round(seconds, 1)
    finally:
        stopped = warm.stop() if warm is not None else None
    if stopped:  # its chapters failed up front and ran again in plain kernels
        logger.info(f"[bookbuild] {stopped}")
    record = root / MEASURED
    record.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
    record.write_text(json.dumps(previous | measured, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    logger.info(f"[bookbuild] up-front execution took {time.perf_counter() - started:.1f} s")
