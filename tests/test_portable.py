"""devtalks without `fork` (as on Windows): the same commands give the same output and the same sites, byte for byte.

Each run is a real `devtalks` process. The forkless one starts with os.fork deleted and the `fork` start method
taken out of multiprocessing before devtalks is imported, so any path that still forks fails loudly.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLE_TODAY, ROOT, copy_example

# Runs devtalks' own entry point; with FORKLESS set, first takes fork away the way Windows lacks it.
LAUNCH = """
import os, sys
if os.environ.get("FORKLESS"):
    import multiprocessing, multiprocessing.context as context
    for name in ("fork", "forkpty"):
        if hasattr(os, name):
            delattr(os, name)
    context._concrete_contexts.pop("fork", None)
    methods = [m for m in multiprocessing.get_all_start_methods() if m != "fork"]
    context._default_context.get_all_start_methods = multiprocessing.get_all_start_methods = lambda: list(methods)
    multiprocessing.set_start_method("spawn", force=True)
    assert "devtalks" not in sys.modules
from devtalks.cli import run
sys.argv[0] = "devtalks"
run()
"""


def devtalks(base: Path, forkless: bool, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of one devtalks process, with `base` written as BASE and timings as T."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DEVTALKS_CACHE_DIR": str(base / "cache"), "CI": "true"}
    env.pop("FORKLESS", None)
    if forkless:
        env["FORKLESS"] = "1"
    proc = subprocess.run([sys.executable, "-c", LAUNCH, *args], cwd=base, env=env, capture_output=True, text=True,
                          timeout=300)

    def plain(text: str) -> str:
        return re.sub(r"\b\d+\.\ds\b", "T", text.replace(str(base), "BASE"))
    return proc.returncode, plain(proc.stdout), plain(proc.stderr)


def session(base: Path, forkless: bool) -> tuple[list[tuple[int, str, str]], dict[str, bytes]]:
    """validate, build, a no-op build, a build after one talk changed, status, remind --dry-run: their outputs and
    the built sites' files."""
    repo = copy_example(base / "team")
    today = ("--today", EXAMPLE_TODAY.isoformat())
    build = ("build", "--repo", "team", "--out", "site", "--jobs", "2", *today)
    runs = [devtalks(base, forkless, "validate", "--repo", "team", *today),
            devtalks(base, forkless, *build),
            devtalks(base, forkless, *build)]
    talk = repo / "talks" / "daan" / "2026-autumn.yaml"
    text = talk.read_text(encoding="utf-8")
    talk.write_text(text.replace("Het RFC-proces loopt.", "Het RFC-proces loopt goed."), encoding="utf-8")
    runs += [devtalks(base, forkless, *build),
             devtalks(base, forkless, "status", "--repo", "team", *today),
             devtalks(base, forkless, "remind", "--dry-run", "--repo", "team", *today)]
    site = base / "site"
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
             if p.is_file() and ".devtalks" not in p.relative_to(site).parts}
    return runs, files


def test_without_fork_every_command_says_and_builds_the_same(tmp_path):
    forked, forked_sites = session(tmp_path / "forked", forkless=False)
    forkless, forkless_sites = session(tmp_path / "forkless", forkless=True)
    assert [code for code, _, _ in forked] == [0, 0, 0, 0, 0, 0], forked
    assert "built 0," in forked[2][1] and "built 2," in forked[3][1], forked
    assert forkless == forked
    assert sorted(forkless_sites) == sorted(forked_sites) and len(forked_sites) > 100
    assert [k for k in forked_sites if forkless_sites[k] != forked_sites[k]] == []


def test_the_forkless_launch_really_takes_fork_away(tmp_path):
    """The forkless run would prove nothing if devtalks could still fork there."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FORKLESS": "1"}
    probe = LAUNCH.replace("from devtalks.cli import run", "from devtalks.parallel import can_fork, fork_pool\n"
                           "print(hasattr(os, 'fork'), can_fork())\nfork_pool(1)\nrun = None")
    proc = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert proc.stdout.splitlines()[0] == "False False"
    assert "cannot find context for 'fork'" in proc.stderr
