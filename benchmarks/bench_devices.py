"""What a speed device buys: devtalks checkouts side by side, interleaved, on one generated team.

    python benchmarks/bench_devices.py [--people 200] [--years 2] [--runs 7] NAME=CHECKOUT …

Each NAME=CHECKOUT is a folder holding a `devtalks` package: this checkout, and copies of it with one
device taken out. Every side runs as whole `devtalks` processes with its own cache and output folders;
each round runs every case on every side back to back (the order of the sides turns each round), so
load on a shared machine hits all of them alike. Cases: validate cold (its cache removed), warm
(nothing changed), the pre-commit hook (validate one just-edited talk), and a build after one talk
changed and was committed, then a no-op build. Printed: each case's median seconds per side, and the
median over rounds of each side's time / the first side's.
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import measure  # noqa: E402
from benchmarks.bench_build import change_one_talk  # noqa: E402
from benchmarks.measure import ENV, PYTHON, run  # noqa: E402
from benchmarks.measure import load as machine_load
from benchmarks.synth import TODAY, commit_all, generate  # noqa: E402

CASES = ("validate cold", "validate warm", "hook", "build, one talk changed", "build, no-op")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("sides", nargs="+", metavar="NAME=CHECKOUT")
    args = parser.parse_args()
    sides = dict(side.split("=", 1) for side in args.sides)
    for checkout in sides.values():
        compileall.compile_dir(Path(checkout) / "devtalks", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="devtalks-bench-devices-"))
    try:
        repo = generate(work / "org", args.people, args.years)
        commit_all(repo, "The team")
        talks = sorted((repo / "talks").glob("*/20*.yaml"))
        hooked, original = talks[0], talks[0].read_bytes()
        today = ["--today", TODAY.isoformat()]

        def devtalks(name: str, *cmd: str, cache: str) -> tuple[float, float]:
            env = {**ENV, "PYTHONPATH": str(Path(sides[name]).resolve()),
                   "DEVTALKS_CACHE_DIR": str(work / name / cache)}
            wall = run([PYTHON, "-m", "devtalks.cli", *cmd], repo, env)[0]
            return wall, measure.last_cpu

        def build(name: str) -> tuple[float, float]:
            return devtalks(name, "build", "--repo", ".", "--out", str(work / name / "out"), *today, cache="build")

        for name in sides:
            build(name)  # the full build each side's rebuilds start from
        times = {case: {name: [] for name in sides} for case in CASES}  # (wall, CPU) seconds of each round
        names = list(sides)
        for i in range(args.runs + 1):
            order = names[i % len(names):] + names[:i % len(names)]
            took = {case: {} for case in CASES}
            for name in order:
                shutil.rmtree(work / name / "validate", ignore_errors=True)
                took["validate cold"][name] = devtalks(name, "validate", *today, cache="validate")
            for name in order:
                took["validate warm"][name] = devtalks(name, "validate", *today, cache="validate")
            for name in order:
                hooked.write_bytes(original + f"# edit {i} {name}\n".encode())
                took["hook"][name] = devtalks(name, "validate", *today, hooked.relative_to(repo).as_posix(),
                                              cache="validate")
            hooked.write_bytes(original)
            change_one_talk(repo, i)
            for name in order:
                took["build, one talk changed"][name] = build(name)
            for name in order:
                took["build, no-op"][name] = build(name)
            if i:  # the first round warms the caches and the page cache
                for case in CASES:
                    for name in names:
                        times[case][name].append(took[case][name])
            print(f"round {i} done; {machine_load()}", file=sys.stderr, flush=True)
        first = names[0]
        print(f"{args.people} people, median of {args.runs} interleaved rounds; {machine_load()} at the end")
        for what, k in (("wall", 0), ("CPU of the process tree", 1)):
            print(f"\n{what}: median seconds, and the median over rounds of each side / {first}\n")
            print("| case | " + " | ".join(f"{n} s" for n in names) + " | " +
                  " | ".join(f"{n} / {first}" for n in names[1:]) + " |")
            print("|---|" + "---:|" * (2 * len(names) - 1))
            for case in CASES:
                t = {n: [r[k] for r in times[case][n]] for n in names}
                meds = [f"{statistics.median(t[n]):.3f}" for n in names]
                ratios = [f"{statistics.median(x / y for x, y in zip(t[n], t[first])):.3f}" for n in names[1:]]
                print(f"| {case} | " + " | ".join(meds + ratios) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
