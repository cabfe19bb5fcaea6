"""Benchmark `devtalks validate` against the bare cost of parsing the same files with PyYAML's C loader.

    python benchmarks/bench_validate.py [--people 1000] [--years 5] [--runs 5]

Prints, in one run on one generated organisation: files, seconds and files/second for
(1) the bare parse (read + yaml.load with CSafeLoader), (2) a cold validate (no cache),
(3) one file changed (everything parsed again), (4) a warm validate (nothing changed: the
verdict is reused after reading and hashing every file), as in-process medians and ratios
to (1); then whole-process wall times for the pre-commit hook case (one changed talk file),
next to check-jsonschema on the same file.
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
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import TODAY, generate  # noqa: E402
from devtalks.cache import state_dir  # noqa: E402
from devtalks.validation import validate_repo  # noqa: E402


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_parse(files: list[Path]) -> None:
    for f in files:
        yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)


def process_wall(cmd: list[str], runs: int, cwd: Path) -> float:
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="devtalks-bench-"))
    os.environ["DEVTALKS_CACHE_DIR"] = str(work / "cache")  # the runs' own state, inherited by the hook runs
    try:
        repo = generate(work / "org", args.people, args.years)
        files = sorted(p for p in repo.rglob("*.yaml") if "schemas" not in p.parts)
        talks = [f for f in files if f.parent.parent.name == "talks" and not f.name.startswith("checkin-")]
        size = sum(f.stat().st_size for f in talks) / len(talks)
        n = len(files)
        print(f"organisation: {args.people} people, {args.years} years: {n:,} files "
              f"({len(talks):,} talks, avg {size:,.0f} B), today {TODAY}\n")

        def validate(cache: bool, reused: bool) -> None:
            verdict = validate_repo(repo, TODAY, use_cache=cache)
            assert verdict.reused == reused and not [d for d in verdict.diagnostics if d.is_error]

        edited = talks[0]
        original = edited.read_bytes()

        def one_changed() -> None:
            edited.write_bytes(original + f"# edit {time.perf_counter()}\n".encode())
            validate(True, False)

        bare = median_time(lambda: bare_parse(files), args.runs)
        cold = median_time(lambda: validate(False, False), args.runs)
        one = median_time(one_changed, args.runs)
        edited.write_bytes(original)
        validate(True, False)
        warm = median_time(lambda: validate(True, True), args.runs)
        rows = [("bare parse (read + CSafeLoader)", bare), ("validate, cold (no cache)", cold),
                ("validate, one file changed", one), ("validate, warm (unchanged)", warm)]
        print(f"{'in-process, median of ' + str(args.runs):42} {'seconds':>8} {'files/s':>9} {'ms/file':>8} {'× bare':>7}")
        for name, secs in rows:
            print(f"{name:42} {secs:8.3f} {n / secs:9,.0f} {secs / n * 1000:8.3f} {secs / bare:7.2f}")

        devtalks = [sys.executable, "-m", "devtalks.cli"] if not shutil.which("devtalks") else ["devtalks"]
        hooked = talks[len(talks) // 2].relative_to(repo).as_posix()
        schema = repo / "schemas" / "talk-default.schema.json"
        hook = process_wall([*devtalks, "validate", "--today", str(TODAY), hooked], args.runs, repo)
        whole = process_wall([*devtalks, "validate", "--today", str(TODAY)], args.runs, repo)
        cjs = process_wall([sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), hooked], args.runs, repo)
        bare_py = process_wall([sys.executable, "-c", "pass"], args.runs, repo)
        print(f"\n{'whole process, median of ' + str(args.runs):38} {'seconds':>8}")
        print(f"{'python -c pass':38} {bare_py:8.3f}")
        print(f"{'hook: devtalks validate <1 talk file>':38} {hook:8.3f}")
        print(f"{'check-jsonschema <same file>':38} {cjs:8.3f}   hook/check-jsonschema = {hook / cjs:.2f}")
        print(f"{'devtalks validate (all, warm cache)':38} {whole:8.3f}")
        cache = sum(f.stat().st_size for f in state_dir(repo).iterdir())
        print(f"\ncache: {cache / 1e6:.1f} MB for {n:,} files")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "0")
    main()
