"""Parsing many files on every core: worker processes are forked only when there are enough files.

Forked workers inherit the imported parser, so one starts in milliseconds. The parent parses
the first share itself while each worker parses one contiguous share and sends back data and
diagnostics; shares are joined in file order, so a parallel run reports exactly what a serial
one does, in the same order.
"""

from __future__ import annotations

import os

from .yamlsource import Source, parse

# Below this many files, forking a worker and shipping its results back costs more than it saves.
PARALLEL_AT = 1500
PARALLEL_AT_ENV = "DEVTALKS_PARALLEL_AT"

_ITEMS: list[tuple[str, bytes]] = []  # what the workers parse, inherited through fork


def cores() -> int:
    """Cores this process may run on (a CI container may get fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def workers_for(count: int) -> int:
    """How many processes should parse `count` files: all cores for a big repository, else one."""
    try:
        at = int(os.environ.get(PARALLEL_AT_ENV, PARALLEL_AT))
    except ValueError:
        at = PARALLEL_AT
    if count < max(at, 2):
        return 1
    import multiprocessing  # only a big repository pays for it; a pre-commit hook does not

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(cores(), count)


def parse_many(items: list[tuple[str, bytes]], workers: int | None = None) -> list[Source]:
    """Parse (path, bytes) pairs, in parallel when it pays; the sources come back in the same order."""
    n = workers_for(len(items)) if workers is None else min(workers, len(items))
    if n < 2:
        return [parse(rel, raw) for rel, raw in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _ITEMS
    bounds = [(len(items) * i // n, len(items) * (i + 1) // n) for i in range(n)]
    _ITEMS = items
    try:
        with ProcessPoolExecutor(max_workers=n - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = [pool.submit(_parse_share, lo, hi) for lo, hi in bounds[1:]]
            out = _parse_share(*bounds[0])
            for future in pending:
                out.extend(future.result())
    finally:
        _ITEMS = []
    for src, (_, raw) in zip(out, items):
        src.raw = raw  # a worker sends data and diagnostics; the bytes for positions are here already
    return out


def _parse_share(lo: int, hi: int) -> list[Source]:
    return [parse(rel, raw) for rel, raw in _ITEMS[lo:hi]]
