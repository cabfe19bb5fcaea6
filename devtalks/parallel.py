"""Work on many files on every core: worker processes are forked only when there are enough files.

Where a system cannot fork (Windows; a Python without the `fork` start method), every caller
does the work serially in this process instead, with the same result: can_fork() says which.

A forked worker inherits everything the parent imported and read, so one starts in a
millisecond. The parent does the first share of the work itself while each worker does one
contiguous share, so a parallel run reports exactly what a serial one does. A Worker sends
back plain rows, as JSON through a pipe: validation's diagnostics (in_shares), the results of
the sites a build's builder made (site/build.py). parse_many, for commands that need every
parsed file, has an executor bring the parsed sources back.
"""

from __future__ import annotations

import json
import os
import signal
from functools import partial
from typing import TYPE_CHECKING, Callable, Protocol, TypeVar

if TYPE_CHECKING:
    from .read.yamlsource import ParsedStore, Source

# Below this many files, forking a worker costs more than the work it takes over.
PARALLEL_AT = 1500
PARALLEL_AT_ENV = "DEVTALKS_PARALLEL_AT"

_ITEMS: list[tuple[str, bytes]] = []  # what parse_many's workers parse, inherited through fork


def can_fork() -> bool:
    """Whether this system can fork worker processes (not on Windows); without, the work is done here, serially."""
    import multiprocessing

    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def cores() -> int:
    """Cores this process may run on (a CI container may get fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


_PR_SET_PDEATHSIG = 1  # prctl: the signal this process gets when its parent ends


def die_with_parent(parent: int) -> None:
    """End this forked worker when its parent ends, however it ends: a killed run must leave no worker behind,
    working for no one (and holding a build's lock). Linux only; elsewhere a worker ends when its work is done."""
    import ctypes

    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)  # the parent was gone before the line above


def fork_pool(workers: int):
    """A pool of `workers` forked processes, which end with this one."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=die_with_parent, initargs=(os.getpid(),))


def workers_for(count: int) -> int:
    """How many processes should work on `count` files: all cores for a big repository, else one."""
    try:
        at = int(os.environ.get(PARALLEL_AT_ENV, PARALLEL_AT))
    except ValueError:
        at = PARALLEL_AT
    if count < max(at, 2) or not can_fork():
        return 1
    return min(cores(), count)


def shares(count: int, n: int, cut: Callable[[int], bool] = lambda i: True) -> list[tuple[int, int]]:
    """`n` contiguous (lo, hi) ranges covering range(count); a range only ends before an index where cut(index)."""
    bounds = [0]
    for i in range(1, n):
        at = max(count * i // n, bounds[-1])
        while 0 < at < count and not cut(at):
            at += 1
        if bounds[-1] < at < count:
            bounds.append(at)
    bounds.append(count)
    return list(zip(bounds, bounds[1:]))


class Row(Protocol):
    def row(self) -> list: ...


R = TypeVar("R", bound=Row)


def in_shares(work: Callable[[int, int], list[R]], ranges: list[tuple[int, int]], kind: Callable[..., R]) -> list[R]:
    """work(lo, hi) for every range: the first here, each other one in a forked Worker; results in range order."""
    workers = [Worker(partial(work, lo, hi)) for lo, hi in ranges[1:]]
    try:
        found = list(work(*ranges[0])) if ranges else []
    except BaseException:
        for worker in workers:
            worker.cancel()
        raise
    for worker in workers:
        found.extend(worker.results(kind))
    return found


class Worker:
    """work() in a forked process, which ends with this one and answers with its results' row()s, as JSON through
    a pipe: results are plain data, and nothing is unpickled."""

    def __init__(self, work: Callable[[], list[Row]]):
        read_end, write_end = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid:
            os.close(write_end)
            self.pipe = read_end
            return
        os.close(read_end)
        die_with_parent(parent)
        code = 0
        try:
            answer = json.dumps({"rows": [r.row() for r in work()]}).encode()
        except BaseException:
            import traceback

            answer, code = traceback.format_exc().encode(), 1
        try:
            with os.fdopen(write_end, "wb") as f:
                f.write(answer)
        finally:
            os._exit(code)  # no interpreter clean-up: the parent owns every resource the worker inherited

    def results(self, kind: Callable[..., R]) -> list[R]:
        """kind(*row) for each row the worker answered; a RuntimeError with its traceback when it failed."""
        with os.fdopen(self.pipe, "rb") as f:
            payload = f.read()
        _, status = os.waitpid(self.pid, 0)
        try:
            rows = json.loads(payload)["rows"]
        except (ValueError, KeyError, TypeError):
            detail = payload.decode("utf-8", "replace") or f"it ended with status {status} and no answer"
            raise RuntimeError(f"a worker process failed:\n{detail}") from None
        return [kind(*row) for row in rows]

    def cancel(self) -> None:
        """End the worker now, unheard."""
        os.kill(self.pid, signal.SIGKILL)
        os.close(self.pipe)
        os.waitpid(self.pid, 0)


def parse_many(items: list[tuple[str, bytes]], workers: int | None = None,
               store: ParsedStore | None = None, language: str = "en") -> list[Source]:
    """Parse (path, bytes) pairs, in parallel when it pays; the sources come back in the same order.
    Problems are told in `language`.

    With a `store`, files parsed before are read back from it, and the rest are parsed and kept there.
    """
    found = [store.get(rel, raw) for rel, raw in items] if store else [None] * len(items)
    todo = [i for i, src in enumerate(found) if src is None]
    parsed = _parse_all([items[i] for i in todo], workers, language)
    for i, src in zip(todo, parsed):
        found[i] = src
    if store:
        store.keep(parsed)
    return found


def _parse_all(items: list[tuple[str, bytes]], workers: int | None, language: str) -> list[Source]:
    from .read.yamlsource import parse  # here, not at import: a build's builder forks before YAML is loaded

    n = workers_for(len(items)) if workers is None else min(workers, len(items))
    if n < 2 or not can_fork():
        return [parse(rel, raw, language) for rel, raw in items]
    global _ITEMS
    ranges = shares(len(items), n)
    _ITEMS = items
    try:
        with fork_pool(n - 1) as pool:
            pending = [pool.submit(_parse_share, lo, hi, language) for lo, hi in ranges[1:]]
            out = _parse_share(*ranges[0], language)
            for future in pending:
                out.extend(future.result())
    finally:
        _ITEMS = []
    for src, (_, raw) in zip(out, items):
        src.raw = raw  # a worker sends data and diagnostics; the bytes for positions are here already
    return out


def _parse_share(lo: int, hi: int, language: str) -> list[Source]:
    from .read.yamlsource import parse

    return [parse(rel, raw, language) for rel, raw in _ITEMS[lo:hi]]
