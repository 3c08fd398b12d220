"""Hostile input across all of ann_lib: every public callable, every kind of bad argument.

One test per module of the ``ann_lib`` package (found by walking it, so a new module is covered
the day it appears): it calls every callable in the module's ``__all__`` with the catalogue of
``tests/hostile_catalogue.py`` and fails on any outcome classified ``FAIL`` (a NaN or inf that
travels on, invalid input accepted, an error that does not name the argument or comes from
inside numpy, an unrelated exception, a timeout). The table of outcomes per module is printed;
``python tests/test_hostile_input.py [module ...]`` prints it, with every failure, without pytest.

Each module runs in a fresh worker process with its address space capped (an absurd size must end in a
``MemoryError``, never in the machine swapping) and every call under a timeout.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hostile_catalogue as catalogue  # noqa: E402

MODULE_TIMEOUT = 900.0  # seconds the worker may go without reporting (a hang inside numpy), on a loaded machine
MEMORY_LIMIT = 4 * 2**30  # bytes of address space for the worker
VERDICTS = ("error", "result", "limit", "FAIL")


def run_module(module_name: str) -> list[catalogue.Outcome]:
    """Every outcome of one module, from a worker process; a crash or hang is reported as a FAIL."""
    # spawn, not fork: the test session may have TensorFlow loaded, with threads and gigabytes mapped
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=catalogue.worker, args=(module_name, child, MEMORY_LIMIT), daemon=True)
    process.start()
    child.close()
    outcomes: list[catalogue.Outcome] = []
    current = "(start)"
    finished = False
    while True:
        if not parent.poll(MODULE_TIMEOUT):
            process.kill()
            outcomes.append(catalogue.Outcome(module_name, current, "-", "module", "FAIL",
                                              f"the worker hung for {MODULE_TIMEOUT:g} s in {current}"))
            break
        try:
            kind, payload = parent.recv()
        except EOFError:
            break
        if kind == "start":
            current = payload
        elif kind == "outcome":
            outcomes.append(payload)
        else:
            finished = True
            break
    process.join(5)
    if not finished and not any(o.detail.startswith("the worker hung") for o in outcomes):
        outcomes.append(catalogue.Outcome(module_name, current, "-", "module", "FAIL",
                                          f"the worker died (exit code {process.exitcode}) in {current}"))
    return outcomes


def table(results: dict[str, list[catalogue.Outcome]]) -> str:
    """One row per module: callables, calls, and the count of each verdict."""
    header = f"{'module':32} {'callables':>9} {'calls':>6} " + " ".join(f"{v:>6}" for v in VERDICTS)
    lines = [header, "-" * len(header)]
    totals: Counter = Counter()
    for module, outcomes in results.items():
        counts = Counter(o.verdict for o in outcomes)
        n_targets = len({o.target for o in outcomes if o.target != "(module)"})
        totals.update(counts)
        totals["callables"] += n_targets
        lines.append(f"{module:32} {n_targets:>9} {len(outcomes):>6} " + " ".join(f"{counts[v]:>6}" for v in VERDICTS))
    lines.append("-" * len(header))
    lines.append(f"{'total':32} {totals['callables']:>9} {sum(totals[v] for v in VERDICTS):>6} "
                 + " ".join(f"{totals[v]:>6}" for v in VERDICTS))
    return "\n".join(lines)


def failures(outcomes: list[catalogue.Outcome]) -> str:
    return "\n".join(f"  {o.target}({o.param}={o.label}): {o.detail}" for o in outcomes if o.verdict == "FAIL")


MODULES = catalogue.public_modules()


@pytest.mark.slow
@pytest.mark.parametrize("module_name", MODULES)
def test_hostile_input(module_name):
    outcomes = run_module(module_name)
    print()
    print(table({module_name: outcomes}))
    failed = [o for o in outcomes if o.verdict == "FAIL"]
    assert not failed, f"{len(failed)} of {len(outcomes)} hostile calls of {module_name} failed:\n" + failures(outcomes)


def test_every_public_callable_is_enumerated():
    """The walk finds the subpackages' modules and the classes' methods, not only top-level functions."""
    assert {"ann_lib.metrics.classification", "ann_lib.datasets.toy", "ann_lib.layers"} <= set(MODULES)
    names = {t.qualname for t in catalogue.targets("ann_lib.layers")}
    assert {"Dense", "Dense.forward", "Dense.backward", "Flatten.forward"} <= names
    assert "Layer.forward" not in names  # the interface raises NotImplementedError by design


if __name__ == "__main__":
    chosen = sys.argv[1:] or MODULES
    results = {}
    for name in chosen:
        results[name] = run_module(name)
        print(f"{name}: {Counter(o.verdict for o in results[name])}", file=sys.stderr, flush=True)
    for name, outcomes in results.items():
        if any(o.verdict == "FAIL" for o in outcomes):
            print(f"\n{name}\n" + failures(outcomes))
    print()
    print(table(results))
