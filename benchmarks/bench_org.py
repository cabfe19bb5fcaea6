"""Benchmark the HR build across many team repositories (up to a 5,000-person organisation), and the Git history cache.

    python benchmarks/bench_org.py [--teams 100] [--people 50] [--years 5] [--checkins 12] [--runs 3]
                                   [--commits 100,1000,5000] [--data /tmp/devtalks-org-…]

Generates TEAMS team repositories as real Git repositories, one commit each (person ids repeat
across teams), with talks twice a year and CHECKINS check-ins a year, and an org.yaml listing
them, into a folder under /tmp that later runs reuse. Prints whole-process wall times and the
peak memory of the whole process tree of `devtalks build --org` (cold: nothing cached; no-op:
nothing changed; one team changed), the HR site's disk bytes, and as yardsticks in the same
run a bare single-core YAML parse of every team's files and a bare `mkdocs build` of the HR
site's pages; then in-process `load_org` times, and how the history cache scales with commits.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import git

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import measure  # noqa: E402
from benchmarks.bare_parse import files as yaml_files  # noqa: E402
from benchmarks.bench_build import own_bytes, reference_project  # noqa: E402
from benchmarks.measure import DEVTALKS, ENV, PYTHON, load  # noqa: E402
from benchmarks.synth import TODAY, commit_all, generate  # noqa: E402
from devtalks.gitflow import history as dgit  # noqa: E402
from devtalks.read.org import load_org  # noqa: E402
from devtalks.site.build import Job  # noqa: E402
from devtalks.site.facts import Facts  # noqa: E402
from devtalks.state import state_dir  # noqa: E402


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, str, float]:
    """measure.run's wall seconds, peak KiB and stdout, and the CPU seconds of the process tree."""
    return (*measure.run(cmd, cwd), measure.last_cpu)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median(fn, runs: int) -> float:
    return statistics.median(timed(fn) for _ in range(runs))


def team_repo(dest: Path, people: int, years: int, seed: int, checkins: int = 4) -> git.Repo:
    """A generated team as a Git repository with one commit (the git command line: seconds for thousands of files)."""
    commit_all(generate(dest, people, years, seed=seed, checkins_per_year=checkins), "The team")
    return git.Repo(dest)


def _team_args(args: tuple) -> None:
    team_repo(*args)


def organisation(data: Path, teams: int, people: int, years: int, checkins: int) -> Path:
    """The generated organisation under `data`, made once: reused while its parameters are the same."""
    done = data / f".complete-{teams}x{people}x{years}x{checkins}"
    if not done.is_file():
        shutil.rmtree(data, ignore_errors=True)
        (data / "hr").mkdir(parents=True)
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor() as pool:
            list(pool.map(_team_args, [(data / "teams" / f"team{i:03d}", people, years, i, checkins) for i in range(teams)]))
        add_commits(git.Repo(data / "teams" / "team000"), 1000)
        (data / "hr" / "org.yaml").write_text("name: Benchmark BV\nteams:\n" + "".join(
            f"  - repo: ../teams/team{i:03d}\n" for i in range(teams)))
        done.write_text("")
    return data / "hr"


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


def history_rows(base: Path, counts: list[int], people: int, runs: int) -> list[tuple]:
    rows = []
    for count in counts:
        repo = team_repo(base / f"history-{count}", people, 3, seed=99)
        add_commits(repo, count)
        root = Path(repo.working_tree_dir)
        talk = next(p.relative_to(root).as_posix() for p in sorted((root / "talks").rglob("*.yaml")))
        caches = [Path(os.environ["DEVTALKS_CACHE_DIR"])]

        ask = partial(dgit.talk_history, root, talk)
        cold_s = median(partial(_fresh, ask, caches), runs)
        cached_s = median(partial(_fresh, ask, []), runs)
        hot_s = median(ask, max(runs, 50))
        (root / talk).write_text((root / talk).read_text() + "# one more\n")
        repo.index.add([talk])
        repo.index.commit("One more")
        incremental_s = timed(ask)
        size = sum(f.stat().st_size for c in caches if c.is_dir() for f in c.rglob("*") if f.is_file())
        rows.append((count, cold_s, cached_s, hot_s, incremental_s, size))
    return rows


def _fresh(ask, caches: list[Path]) -> None:
    """Ask as a new process would: nothing in memory, and without the cache folders given."""
    for folder in caches:
        shutil.rmtree(folder, ignore_errors=True)
    dgit._histories.clear()
    ask()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--teams", type=int, default=100)
    ap.add_argument("--people", type=int, default=50)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--checkins", type=int, default=12, help="check-ins per person per year")
    ap.add_argument("--commits", default="100,1000,5000", help="commit counts for the history table ('' for none)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", type=Path, help="where the generated organisation is kept (default: under /tmp)")
    args = ap.parse_args()
    data = args.data or Path(tempfile.gettempdir()) / f"devtalks-org-{args.teams}x{args.people}x{args.years}x{args.checkins}"
    work = Path(tempfile.mkdtemp(prefix="devtalks-bench-org-"))
    try:
        t0 = time.perf_counter()
        hr = organisation(data, args.teams, args.people, args.years, args.checkins)
        team_dirs = sorted((data / "teams").iterdir())
        files = sum(len(yaml_files(t)) for t in team_dirs)
        print(f"{args.teams} team repositories × {args.people} people, {args.years} years, {args.checkins} check-ins "
              f"a year: {files:,} files; team000 has 1,001 commits ({data}, ready in {time.perf_counter() - t0:.0f} s)\n",
              flush=True)

        cache, site = work / "cache", work / "site"
        ENV["DEVTALKS_CACHE_DIR"] = os.environ["DEVTALKS_CACHE_DIR"] = str(cache)
        build = [*DEVTALKS, "build", "--org", str(hr / "org.yaml"), "--repo", str(hr), "--out", str(site),
                 "--today", str(TODAY)]

        def clear() -> None:
            for folder in (cache, site):
                shutil.rmtree(folder, ignore_errors=True)

        clear()

        def row(name: str, results: list[tuple[float, int, str, float]], yardstick: float | None) -> None:
            wall = statistics.median(r[0] for r in results)
            cpu = statistics.median(r[3] for r in results)
            peak = max(r[1] for r in results)
            ratio = f"{wall / yardstick:.2f}" if yardstick else "1.00"
            print(f"| {name} | {wall:.2f} | {cpu:.2f} | {ratio} | {peak / 1024:,.0f} |", flush=True)
        print("| whole process (each row printed when measured) | seconds | CPU s (tree) | × bare parse "
              "| peak MiB (process tree, PSS) |")
        print("|---|---:|---:|---:|---:|", flush=True)
        bare = run([PYTHON, str(Path(__file__).parent / "bare_parse.py"), *map(str, team_dirs)])
        row(f"bare parse of all {files:,} files, one process (yardstick)", [bare], None)
        cold = run(build, hr)
        row("`devtalks build --org`, cold (clone, validate, build HR)", [cold], bare[0])
        noop = [run(build, hr) for _ in range(args.runs)]
        row(f"no-op, nothing changed (median of {args.runs})", noop, bare[0])
        changed = []
        for i in range(args.runs):
            team = git.Repo(team_dirs[-1 - i])
            talk = next(Path(team.working_tree_dir).rglob("talks/*/2026-spring.yaml"))
            talk.write_text(talk.read_text() + "# changed\n")
            team.index.add([str(talk)])
            team.index.commit("A change in one team")
            changed.append(run(build, hr))
        row(f"one team changed (median of {args.runs})", changed, bare[0])
        for name, results in (("cold", [cold]), ("no-op", noop), ("one team changed", changed)):
            print(f"{name}: devtalks reports {' | '.join(r[2].strip().splitlines()[-1] for r in results)}")
        hr_bytes = own_bytes(site / "hr")
        print(f"HR site: {hr_bytes[0] / 1e6:.1f} MB own files ({hr_bytes[1] / 1e6:.1f} MB allocated)", flush=True)

        clones = state_dir(hr, "org")  # where the CLI cloned them
        t = time.perf_counter()
        repos = load_org(hr / "org.yaml", clones, 0, TODAY)
        print(f"in-process `load_org` (fetch + reuse validated teams): {time.perf_counter() - t:.2f} s", flush=True)
        facts = [Facts(r.workspace, TODAY, r.name) for r in repos if r.ok]
        config = reference_project(hr, Job(hr, work, facts).spec("hr"), work / "reference")
        mkdocs = run([PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(config)])
        row("bare `mkdocs build` of the HR site's pages (yardstick)", [mkdocs], bare[0])
        print(f"({load()} at the end)")

        counts = [int(c) for c in args.commits.split(",") if c]
        if counts:
            print("\n| commits in one repository | cold walk s | from cache file s | in memory ms "
                  "| +1 commit s | cache KB (all state) |")
            print("|---:|---:|---:|---:|---:|---:|")
        for count, cold_s, cached_s, hot_s, inc_s, size in history_rows(work, counts, 10, args.runs):
            print(f"| {count:,} | {cold_s:.3f} | {cached_s:.3f} | {hot_s * 1000:.2f} | {inc_s:.3f} | {size / 1024:,.0f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
