"""Work on many files on every core: worker processes are forked only when there are enough files.

A forked worker inherits everything the parent imported and read, so one starts in a
millisecond. The parent does the first share of the files itself while each worker does one
contiguous share and sends its result back through a pipe; results come back in share order,
so a parallel run reports exactly what a serial one does, in the same order.
"""

from __future__ import annotations

import os
import pickle
from typing import Callable, TypeVar

from .yamlsource import Source, parse

# Below this many files, forking a worker costs more than the work it takes over.
PARALLEL_AT = 1500
PARALLEL_AT_ENV = "DEVTALKS_PARALLEL_AT"

T = TypeVar("T")


def cores() -> int:
    """Cores this process may run on (a CI container may get fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def workers_for(count: int) -> int:
    """How many processes should work on `count` files: all cores for a big repository, else one."""
    try:
        at = int(os.environ.get(PARALLEL_AT_ENV, PARALLEL_AT))
    except ValueError:
        at = PARALLEL_AT
    if count < max(at, 2) or not hasattr(os, "fork"):
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


def in_shares(work: Callable[[int, int], T], ranges: list[tuple[int, int]]) -> list[T]:
    """work(lo, hi) for every range: the first here, each other one in a forked worker; results in range order."""
    workers = [_fork(work, lo, hi) for lo, hi in ranges[1:]]
    try:
        results = [work(*ranges[0])] if ranges else []
    finally:
        answers = [_answer(pid, pipe) for pid, pipe in workers]
    for ok, value in answers:
        if not ok:
            raise RuntimeError(f"a worker process failed:\n{value}")
        results.append(value)
    return results


def _answer(pid: int, pipe: int) -> tuple[bool, object]:
    with os.fdopen(pipe, "rb") as f:
        payload = f.read()
    _, status = os.waitpid(pid, 0)
    try:
        return pickle.loads(payload)  # our own forked child's answer, never bytes from a repository
    except Exception:
        return False, f"it ended with status {status} and no answer"


def _fork(work: Callable[[int, int], T], lo: int, hi: int) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)
    code = 0
    try:
        answer = pickle.dumps((True, work(lo, hi)), pickle.HIGHEST_PROTOCOL)
    except BaseException:
        import traceback

        answer, code = pickle.dumps((False, traceback.format_exc())), 1
    try:
        with os.fdopen(write_end, "wb") as f:
            f.write(answer)
    finally:
        os._exit(code)  # no interpreter clean-up: the parent owns every resource the worker inherited


def parse_many(items: list[tuple[str, bytes]], workers: int | None = None) -> list[Source]:
    """Parse (path, bytes) pairs, in parallel when it pays; the sources come back in the same order."""
    n = workers_for(len(items)) if workers is None else max(1, min(workers, len(items)))
    out: list[Source] = []
    for part in in_shares(lambda lo, hi: _parsed(items[lo:hi]), shares(len(items), n)):
        out.extend(part)
    for src, (_, raw) in zip(out, items):
        src.raw = raw
    return out


def _parsed(items: list[tuple[str, bytes]]) -> list[Source]:
    out = []
    for rel, raw in items:
        src = parse(rel, raw)
        src.raw = b""  # the parent has the bytes already: only data and diagnostics travel back
        out.append(src)
    return out
