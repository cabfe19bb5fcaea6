"""Benchmark `devtalks validate` against the bare cost of parsing the same files with PyYAML's C loader.

    python benchmarks/bench_validate.py [--people 1500] [--years 1] [--runs 5]

Prints, for one generated repository, first whole-process wall times as a user pays them
(interpreter start and imports included), interleaved round by round with the yardstick, a
bare single-core `yaml.load(CSafeLoader)` of the same files in its own process: a cold
validate (no cache), a warm one (nothing changed), one file changed, and the pre-commit hook
on one talk file (just edited, and unchanged) next to check-jsonschema on the same file.
Then the same steps in-process (medians), as ratios to the in-process bare parse.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bare_parse import files as yaml_files  # noqa: E402
from benchmarks.measure import DEVTALKS, ENV, PYTHON, interleaved, load, ratio  # noqa: E402
from benchmarks.synth import TODAY, generate  # noqa: E402
from devtalks.check.validate import validate_repo  # noqa: E402


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


def whole_process(repo: Path, work: Path, edited: Path, hooked: Path, n: int, runs: int) -> None:
    """Whole-process wall times, interleaved round by round with the bare parse."""
    cache = work / "cache"
    ENV["DEVTALKS_CACHE_DIR"] = os.environ["DEVTALKS_CACHE_DIR"] = str(cache)  # where devtalks keeps its state
    original, hooked_text = edited.read_bytes(), hooked.read_bytes()
    rel = hooked.relative_to(repo).as_posix()
    today = ["--today", str(TODAY)]

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def edit(path: Path, text: bytes):
        return lambda: path.write_bytes(text + f"# edit {time.perf_counter()}\n".encode())

    schema = repo / "schemas" / "talk-default.schema.json"
    cases = {
        "bare": (None, [PYTHON, str(Path(__file__).parent / "bare_parse.py"), str(repo)]),
        "cold": (clear, [*DEVTALKS, "validate", *today]),
        "warm": (None, [*DEVTALKS, "validate", *today]),
        "one": (edit(edited, original), [*DEVTALKS, "validate", *today]),
        "hook": (edit(hooked, hooked_text), [*DEVTALKS, "validate", *today, rel]),
        "hook-again": (None, [*DEVTALKS, "validate", *today, rel]),
        "cjs": (None, [PYTHON, "-m", "check_jsonschema", "--schemafile", str(schema), rel]),
        "pass": (None, [PYTHON, "-c", "pass"]),
    }
    times, cpu = interleaved(cases, runs, repo)
    edited.write_bytes(original)
    hooked.write_bytes(hooked_text)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"whole process, interleaved, median of {runs} rounds ({load()} at the end)")
    print(f"{'':48} {'seconds':>8} {'× bare':>7} {'CPU s':>7} {'× bare':>7}")
    rows = [("bare parse, one process (read + CSafeLoader)", "bare"), ("devtalks validate, cold (no cache)", "cold"),
            ("devtalks validate, warm (nothing changed)", "warm"), ("devtalks validate, one file changed", "one"),
            ("pre-commit hook: validate <1 talk>, just edited", "hook"),
            ("pre-commit hook: validate <1 talk>, unchanged", "hook-again"),
            ("check-jsonschema <same talk>", "cjs"), ("python -c pass", "pass")]
    for name, key in rows:
        print(f"{name:48} {med[key]:8.3f} {ratio(times, key, 'bare'):7.2f} {statistics.median(cpu[key]):7.3f} "
              f"{ratio(cpu, key, 'bare'):7.2f}")
    print(f"({n:,} files; ratios are medians of per-round ratios; CPU counts every process of the tree)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=1500)
    ap.add_argument("--years", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    # An installed devtalks runs from bytecode (pip compiles it); without this a checkout recompiles every module
    # of every run when PYTHONDONTWRITEBYTECODE is set, and the hook pays for the compiler instead of devtalks.
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "devtalks", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="devtalks-bench-"))
    os.environ["DEVTALKS_CACHE_DIR"] = str(work / "cache")  # the runs' own state, inherited by the hook runs
    try:
        repo = generate(work / "org", args.people, args.years)
        files = yaml_files(repo)
        talks = [f for f in files if f.parent.parent.name == "talks" and not f.name.startswith("checkin-")]
        size = sum(f.stat().st_size for f in talks) / len(talks)
        n = len(files)
        print(f"organisation: {args.people} people, {args.years} years: {n:,} files "
              f"({len(talks):,} talks, avg {size:,.0f} B), today {TODAY}\n")

        edited = talks[0]
        whole_process(repo, work, edited, talks[len(talks) // 2], n, args.runs)

        def validate(cache: bool, reused: bool) -> None:
            verdict = validate_repo(repo, TODAY, use_cache=cache)
            assert verdict.reused == reused and not [d for d in verdict.diagnostics if d.is_error]

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
                ("validate, one file changed (all parsed again)", one), ("validate, warm (unchanged)", warm)]
        print(f"\n{'in-process, median of ' + str(args.runs):42} {'seconds':>8} {'files/s':>9} {'ms/file':>8} {'× bare':>7}")
        for name, secs in rows:
            print(f"{name:42} {secs:8.3f} {n / secs:9,.0f} {secs / n * 1000:8.3f} {secs / bare:7.2f}")

    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
