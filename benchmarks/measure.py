"""Whole-process timing as a user pays it: wall time and the peak memory of the whole process tree.

Commands of one comparison run interleaved (A B A B …) and the medians and the median of the
per-round ratios are quoted, so load on a shared machine hits both sides alike.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# The devtalks of this checkout, whatever an installed copy points at.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
       "NO_MKDOCS_2_WARNING": "1"}
DEVTALKS = [PYTHON, "-m", "devtalks.cli"]
last_cpu = 0.0


def _tree_memory(pid: int) -> int:
    """KiB of memory of `pid` and every process below it: proportional set sizes, so forked
    workers' shared pages count once, not once per worker."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
        todo.extend(children.get(p, []))
    return total


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None, check: bool = True) -> tuple[float, int, str]:
    """(wall seconds, peak KiB of the whole process tree, sampled every 0.1 s, stdout) of one command.

    The CPU seconds of the tree (user + system, workers included) are in `last_cpu` afterwards:
    unlike wall time, they hardly move when other work shares the machine.
    """
    global last_cpu
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_memory(proc.pid))
            done.wait(0.1)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    last_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    done.set()
    sampler.join()
    if check and proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{err}")
    return seconds, peak[0], out


def interleaved(cases: dict[str, tuple[Callable[[], None] | None, list[str]]], runs: int, cwd: Path,
                warmup: int = 1) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """name → wall seconds, and name → CPU seconds, of each counted run; each round runs every case once, after its setup."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    for i in range(warmup + runs):
        for name, (setup, cmd) in cases.items():
            if setup:
                setup()
            seconds = run(cmd, cwd)[0]
            if i >= warmup:
                times[name].append(seconds)
                cpu[name].append(last_cpu)
    return times, cpu


def ratio(times: dict[str, list[float]], a: str, b: str) -> float:
    """Median over rounds of a/b: both measured back to back, under the same load."""
    return statistics.median(x / y for x, y in zip(times[a], times[b]))


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} cores"
