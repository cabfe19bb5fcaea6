"""Benchmark the person layout against the team layout: the same generated team, two ways.

    python benchmarks/bench_person.py [--people 200] [--years 2] [--runs 5]

Generates a team (benchmarks/synth.py) as one team-layout repository, and again as a
person-layout team repository with one local bare repository per person (plus each person's
clone), into a folder under /tmp. Prints medians of whole processes, run back to back:

- validate inside one person's repository (the team's files fetched before, within the fetch
  interval) beside validating the same person's files in the team repository, the files given
  both times (as the pre-commit hook gives them), both once with the verdict cache (an unchanged hook) and once without;
- build and no-op build of every site, team layout beside person layout, and the person layout's
  no-op build when every person repository is fetched (as a CI run on a fresh machine does).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure import DEVTALKS, ENV, interleaved, load, ratio, run  # noqa: E402
from benchmarks.synth import GIT_ENV, TODAY, commit_all, generate  # noqa: E402


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, env=GIT_ENV, capture_output=True)


def person_layout(team: Path, dest: Path) -> tuple[Path, Path]:
    """The team of `team` in the person layout under `dest`: (team repository, the first reporting person's clone)."""
    shutil.rmtree(dest, ignore_errors=True)
    remotes = dest / "remotes"
    remotes.mkdir(parents=True)
    people = sorted(p.name for p in (team / "talks").iterdir())
    ids = [p["id"] for p in yaml.safe_load((team / "team.yaml").read_text())["people"]]
    git(dest, "init", "-q", "--bare", "-b", "main", str(remotes / "team.git"))
    for pid in ids:
        work = dest / "work" / pid
        work.mkdir(parents=True)
        (work / "devtalks.yaml").write_text(f"person: {pid}\nteam: {remotes / 'team.git'}\n")
        if pid in people:
            shutil.copytree(team / "talks" / pid, work / "talks" / pid)
        commit_all(work, f"The talks of {pid}")
        git(dest, "init", "-q", "--bare", "-b", "main", str(remotes / f"{pid}.git"))
        git(work, "push", "-q", str(remotes / f"{pid}.git"), "HEAD:main")
    shared = dest / "team"
    shutil.copytree(team, shared, ignore=shutil.ignore_patterns(".git", "talks"))
    text = (shared / "team.yaml").read_text().replace("\npeople:\n", "\nlayout: person\npeople:\n", 1)
    people_at = text.index("\npeople:\n")
    head, tail = text[:people_at], text[people_at:]
    for pid in ids:
        tail = tail.replace(f"  - id: {pid}\n", f"  - id: {pid}\n    talks_repo: {remotes / pid}.git\n", 1)
    text = head + tail
    (shared / "team.yaml").write_text(text)
    commit_all(shared, "The team, one repository per person")
    git(shared, "push", "-q", str(remotes / "team.git"), "HEAD:main")
    return shared, dest / "work" / people[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.gettempdir()) / f"devtalks-person-{args.people}-{args.years}"
    team = generate(root / "team-layout", args.people, args.years)
    commit_all(team, "The team")
    shared, mine = person_layout(team, root / "person-layout")
    own = sorted(str(p.relative_to(mine)) for p in (mine / "talks").rglob("*.yaml"))
    os.environ["DEVTALKS_CACHE_DIR"] = ENV["DEVTALKS_CACHE_DIR"] = str(root / "cache")
    ENV["DEVTALKS_FETCH_INTERVAL"] = "86400"  # a hook between two fetches: the team's files as fetched before
    shutil.rmtree(root / "cache", ignore_errors=True)
    day = ["--today", TODAY.isoformat()]
    print(f"{args.people} people, {len(own)} files of one person; {load()}")

    for cache in ([], ["--no-cache"]):
        times, _ = interleaved({
            "team": (None, [*DEVTALKS, "validate", "--repo", str(team), *day, *cache, *own]),
            "person": (None, [*DEVTALKS, "validate", "--repo", str(mine), *day, *cache, *own]),
        }, args.runs, root)
        label = "unchanged (verdict reused)" if not cache else "checked (--no-cache)"
        print(f"validate one person's files, {label}: team repository {statistics.median(times['team']):.3f} s, "
              f"person repository {statistics.median(times['person']):.3f} s, "
              f"ratio {ratio(times, 'person', 'team'):.2f}×")

    for name, repo in (("team layout", team), ("person layout", shared)):
        out = root / f"site-{name.split()[0]}"
        shutil.rmtree(out, ignore_errors=True)
        cold = run([*DEVTALKS, "build", "--repo", str(repo), "--out", str(out), *day], root)
        noop = statistics.median(run([*DEVTALKS, "build", "--repo", str(repo), "--out", str(out), *day], root)[0]
                                 for _ in range(args.runs))
        print(f"build, {name}: cold {cold[0]:.1f} s (peak {cold[1] / 1024:.0f} MiB), no-op {noop:.2f} s")
    fetching = {**ENV, "DEVTALKS_FETCH_INTERVAL": "0"}
    out = root / "site-person"
    noop = statistics.median(run([*DEVTALKS, "build", "--repo", str(shared), "--out", str(out), *day], root,
                                 env=fetching)[0] for _ in range(args.runs))
    print(f"build, person layout, no-op fetching all {args.people} repositories (as in CI): {noop:.2f} s")


if __name__ == "__main__":
    main()
