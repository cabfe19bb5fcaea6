"""Benchmark the HR build across many team repositories, and the Git history cache.

    python benchmarks/bench_org.py [--teams 50] [--people 10] [--years 3] [--commits 100,1000,5000] [--runs 3]

Generates TEAMS team repositories as real Git repositories (person ids repeat across
teams), the first with 1,000 extra commits of talk edits, and an org.yaml listing them.
Prints whole-process wall times of `devtalks build --org` (cold: empty cache; no-op:
nothing changed; one team changed), in-process times of `load_org` (fetch + validate),
and how the history cache scales with the number of commits in one repository.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import git

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import TODAY, generate  # noqa: E402
from devtalks import git as dgit  # noqa: E402
from devtalks.cache import state_dir  # noqa: E402
from devtalks.org import load_org  # noqa: E402


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median(fn, runs: int) -> float:
    return statistics.median(timed(fn) for _ in range(runs))


def team_repo(dest: Path, people: int, years: int, seed: int) -> git.Repo:
    generate(dest, people, years, seed=seed)
    repo = git.Repo.init(dest, initial_branch="main")
    repo.git.add(A=True)
    actor = git.Actor("Synth", "synth@example.com")
    repo.index.commit("The team", author=actor, committer=actor)
    return repo


def add_commits(repo: git.Repo, count: int) -> None:
    """`count` commits, each editing one talk file, written with git fast-import (seconds, not minutes)."""
    root = Path(repo.working_tree_dir)
    talks = sorted(p.relative_to(root).as_posix() for p in (root / "talks").rglob("*.yaml")
                   if not p.name.startswith("checkin-"))
    texts = {t: (root / t).read_text(encoding="utf-8") for t in talks}
    stream = bytearray()
    start = 1_780_000_000
    for i in range(count):
        path = talks[i % len(talks)]
        texts[path] += f"# revision {i}\n"
        body = texts[path].encode()
        message = f"Edit {path} ({i})".encode()
        who = f"Person {i % 7} <p{i % 7}@example.com> {start + i * 3600} +0000"
        stream += f"commit refs/heads/main\nauthor {who}\ncommitter {who}\ndata {len(message)}\n".encode() + message + b"\n"
        if i == 0:
            stream += f"from {repo.head.commit.hexsha}\n".encode()
        stream += f"M 100644 inline {path}\ndata {len(body)}\n".encode() + body + b"\n"
    feed = root.parent / f"{root.name}.fast-import"
    feed.write_bytes(bytes(stream))
    with open(feed, "rb") as f:
        repo.git.execute(["git", "fast-import", "--quiet"], istream=f)
    feed.unlink()
    repo.head.reset(index=True, working_tree=True)


def process(cmd: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - start, proc.returncode


def history_rows(base: Path, counts: list[int], people: int, runs: int) -> list[tuple]:
    rows = []
    for count in counts:
        repo = team_repo(base / f"history-{count}", people, 3, seed=99)
        add_commits(repo, count)
        root = Path(repo.working_tree_dir)
        talk = next(p.relative_to(root).as_posix() for p in sorted((root / "talks").rglob("*.yaml")))
        cache = state_dir(root, dgit.HISTORY_FILE)

        ask = partial(dgit.talk_history, root, talk)
        cold_s = median(partial(_fresh, ask, cache), runs)
        cached_s = median(partial(_fresh, ask, None), runs)
        hot_s = median(ask, max(runs, 50))
        (root / talk).write_text((root / talk).read_text() + "# one more\n")
        repo.index.add([talk])
        repo.index.commit("One more")
        incremental_s = timed(ask)
        rows.append((count, cold_s, cached_s, hot_s, incremental_s, cache.stat().st_size))
    return rows


def _fresh(ask, cache: Path | None) -> None:
    """Ask as a new process would: nothing in memory, and with `cache` given, no cache file either."""
    if cache is not None:
        cache.unlink(missing_ok=True)
    dgit._histories.clear()
    ask()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--teams", type=int, default=50)
    ap.add_argument("--people", type=int, default=10)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--commits", default="100,1000,5000", help="commit counts for the history table")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="devtalks-bench-org-"))
    os.environ["DEVTALKS_CACHE_DIR"] = str(work / "cache")  # the runs' own state, inherited by the builds
    devtalks = [sys.executable, "-m", "devtalks.cli"]
    try:
        t0 = time.perf_counter()
        repos = [team_repo(work / "teams" / f"team{i:02d}", args.people, args.years, seed=i) for i in range(args.teams)]
        add_commits(repos[0], 1000)
        files = sum(1 for r in repos for _ in Path(r.working_tree_dir).rglob("talks/*/*.yaml"))
        hr = work / "hr"
        hr.mkdir()
        (hr / "org.yaml").write_text("name: Benchmark BV\nteams:\n" + "".join(
            f"  - repo: ../teams/team{i:02d}\n" for i in range(args.teams)))
        print(f"{args.teams} team repositories × {args.people} people, {args.years} years: {files:,} talk and "
              f"check-in files; team00 has 1,001 commits (generated in {time.perf_counter() - t0:.0f} s)\n")

        build = [*devtalks, "build", "--org", str(hr / "org.yaml"), "--repo", str(hr), "--out", str(work / "site"),
                 "--today", str(TODAY)]
        cold_runs, noop_runs = [], []
        for _ in range(args.runs):
            shutil.rmtree(work / "cache", ignore_errors=True)
            shutil.rmtree(work / "site", ignore_errors=True)
            seconds, rc = process(build, hr)
            assert rc == 0, "cold build failed"
            cold_runs.append(seconds)
        for _ in range(args.runs):
            seconds, rc = process(build, hr)
            assert rc == 0, "no-op build failed"
            noop_runs.append(seconds)
        changed_runs = []
        for run in range(args.runs):
            changed = repos[-1 - run]
            talk = next(Path(changed.working_tree_dir).rglob("talks/*/2026-spring.yaml"))
            talk.write_text(talk.read_text() + "# changed\n")
            changed.index.add([str(talk)])
            changed.index.commit("A change in one team")
            seconds, rc = process(build, hr)
            assert rc == 0, "build after one change failed"
            changed_runs.append(seconds)

        cache = work / "bench-cache"
        load_cold = timed(lambda: load_org(hr / "org.yaml", cache, 0, TODAY))
        load_noop = median(lambda: load_org(hr / "org.yaml", cache, 0, TODAY), args.runs)
        print("| `devtalks build --org` (whole process, 2 cores) | seconds |")
        print("|---|---:|")
        print(f"| cold: clone {args.teams} repositories, validate, build the HR site (median of {args.runs}) "
              f"| {statistics.median(cold_runs):.2f} |")
        print(f"| no-op: nothing changed (median of {args.runs}) | {statistics.median(noop_runs):.2f} |")
        print(f"| one team changed (median of {args.runs}) | {statistics.median(changed_runs):.2f} |")
        print(f"| `load_org` alone, cold (clone + validate) | {load_cold:.2f} |")
        print(f"| `load_org` alone, no-op (fetch {args.teams}, validate each again; median of {args.runs}) "
              f"| {load_noop:.2f} |")

        counts = [int(c) for c in args.commits.split(",")]
        print("\n| commits in one repository | cold walk s | from cache file s | in memory ms "
              "| +1 commit s | cache KB |")
        print("|---:|---:|---:|---:|---:|---:|")
        for count, cold_s, cached_s, hot_s, inc_s, size in history_rows(work, counts, args.people, args.runs):
            print(f"| {count:,} | {cold_s:.3f} | {cached_s:.3f} | {hot_s * 1000:.2f} | {inc_s:.3f} | {size / 1024:,.0f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
