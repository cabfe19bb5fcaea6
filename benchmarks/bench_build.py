"""Benchmark `devtalks build` on a generated team against bare `mkdocs build` per site.

    python benchmarks/bench_build.py [--people 200] [--years 2] [--jobs N] [--runs 3] [--reference-sample 20]

One run prints whole `devtalks build` processes as a user or CI runs them (wall time and peak
memory of the process tree) beside the in-process build time each one reports: the full build,
a no-op rebuild and a rebuild after one talk changed and was committed (medians, interleaved),
with two yardsticks measured in the same run: one bare `mkdocs build` process per site of the
same generated pages, and a bare YAML parse of the repository. Then the disk bytes each site
adds (theme files are stored once and hard-linked).
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure import DEVTALKS, ENV, PYTHON, run  # noqa: E402
from benchmarks.measure import load as machine_load
from benchmarks.synth import TODAY, commit_all, generate  # noqa: E402
from devtalks.read.load import load  # noqa: E402
from devtalks.site import engine  # noqa: E402
from devtalks.site.build import Job, available, team_facts  # noqa: E402


def devtalks_build(repo: Path, out: Path, jobs: int) -> tuple[float, int, float, str]:
    """(wall seconds, peak KiB, seconds the build reports in-process, its summary line) of one whole process."""
    wall, peak, stdout = run([*DEVTALKS, "build", "--repo", str(repo), "--out", str(out), "--today", TODAY.isoformat(),
                              "--jobs", str(jobs)], repo, check=False)
    line = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    found = re.search(r" in ([0-9.]+)s ", line)
    if not found:
        sys.exit(f"devtalks build failed: {stdout}")
    return wall, peak, float(found.group(1)), line


def reference_project(repo: Path, spec, folder: Path) -> Path:
    """The pages of one site as a plain mkdocs project with the configuration devtalks would use."""
    docs = folder / "docs"
    for path, text in spec.pages.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    css = docs / engine.EXTRA_CSS[0]
    css.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(engine.OVERLAY / engine.EXTRA_CSS[0], css)
    user = yaml.safe_load((repo / "mkdocs.yml").read_text()) if (repo / "mkdocs.yml").is_file() else {}
    theme = dict(user.get("theme") or {"name": "material"})
    theme.update(custom_dir=str(repo / "site_overrides"), language=spec.language, font=False,
                 features=sorted(engine.FEATURES | set(theme.get("features") or [])))
    config = {"site_name": spec.title, "site_url": f"{user.get('site_url', 'https://x.invalid/').rstrip('/')}/{spec.key}/",
              "docs_dir": str(docs), "site_dir": str(folder / "site"), "theme": theme, "nav": spec.nav,
              "plugins": ["search"], "markdown_extensions": engine.MARKDOWN, "use_directory_urls": False,
              "extra_css": [*engine.EXTRA_CSS, *(user.get("extra_css") or [])], "extra": user.get("extra") or {},
              "copyright": user.get("copyright", "")}
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.dump(config, Dumper=_Config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_file


class _Config(yaml.SafeDumper):
    """Writes a Python function in the configuration (the heading ids') the way mkdocs.yml names one."""


_Config.add_representer(type(engine.anchor), lambda dumper, f: dumper.represent_scalar(
    f"tag:yaml.org,2002:python/name:{f.__module__}.{f.__qualname__}", ""))


def reference(repo: Path, work: Path, sample: int | None) -> tuple[int, float]:
    """(sites built, seconds) for bare `mkdocs build` processes, one per site, one after another."""
    facts = team_facts(load(repo), TODAY)
    job = Job(repo, work, [facts])
    keys = sorted(available([facts], org=False))
    if sample:
        keys = keys[:: max(1, len(keys) // sample)][:sample]
    configs = [reference_project(repo, job.spec(key), work / key.replace("/", "__")) for key in keys]
    start = time.perf_counter()
    for config in configs:
        run([PYTHON, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(config)], work)
    return len(configs), time.perf_counter() - start


def own_bytes(site: Path) -> tuple[int, int]:
    """(apparent bytes, allocated bytes) of the files only this site has (shared theme files are hard links)."""
    apparent = allocated = 0
    for path in site.rglob("*"):
        st = path.lstat()
        if path.is_file() and st.st_nlink == 1:
            apparent += st.st_size
            allocated += st.st_blocks * 512
    return apparent, allocated


def change_one_talk(repo: Path, round_: int) -> str:
    """Edit and commit one talk of a person in the middle of the team, a different one each round."""
    people = sorted(p for p in (repo / "talks").iterdir() if p.is_dir())
    person = people[len(people) // 2 + round_]
    talk = sorted(person.glob("20*.yaml"))[-1]
    text = talk.read_text()
    talk.write_text(text.replace("summary: |\n", "summary: |\n    Een extra zin voor de benchmark.\n", 1))
    commit_all(repo, f"{person.name}: summary")
    return person.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reference-sample", type=int, default=20,
                        help="build only this many sites for the reference (0: all) and scale per site")
    args = parser.parse_args()
    # An installed devtalks runs from bytecode (pip compiles it); with PYTHONDONTWRITEBYTECODE set, a checkout
    # would recompile every module in every run.
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "devtalks", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="devtalks-bench-build-"))
    ENV["DEVTALKS_CACHE_DIR"] = os.environ["DEVTALKS_CACHE_DIR"] = str(work / "cache")
    try:
        repo = generate(work / "org", args.people, args.years)
        commit_all(repo, "The team")
        out = work / "out"
        sites = len(available([team_facts(load(repo), TODAY)], org=False))
        full = devtalks_build(repo, out, args.jobs)
        noop, one, people = [], [], []
        for i in range(args.runs):
            noop.append(devtalks_build(repo, out, args.jobs))
            people.append(change_one_talk(repo, i))
            one.append(devtalks_build(repo, out, args.jobs))
        bare = run([PYTHON, str(Path(__file__).parent / "bare_parse.py"), str(repo)])
        n_ref, ref = reference(repo, work / "reference", args.reference_sample or None)
        person_sites = [own_bytes(p) for p in sorted((out / "people").iterdir())]
        managers = [own_bytes(p) for p in sorted((out / "managers").iterdir())]
        everything = person_sites + managers + [own_bytes(out / "hr")]
        store = sum(p.stat().st_size for p in (out / ".devtalks" / "assets").rglob("*") if p.is_file())
        per_site, per_ref = full[0] / sites, ref / n_ref

        def med(results: list, i: int) -> float:
            return statistics.median(r[i] for r in results)
        print(f"{args.people} people, {sites} sites, {args.jobs} jobs; {machine_load()} at the end\n")
        print("| | whole process s | in-process s | peak MiB (process tree) |")
        print("|---|---:|---:|---:|")
        print(f"| full build, cold | {full[0]:.2f} | {full[2]:.2f} | {full[1] / 1024:.0f} |")
        print(f"| no-op rebuild (median of {args.runs}) | {med(noop, 0):.2f} | {med(noop, 2):.2f} "
              f"| {max(r[1] for r in noop) / 1024:.0f} |")
        print(f"| one talk changed and committed (median of {args.runs}; {one[-1][3]}) | {med(one, 0):.2f} "
              f"| {med(one, 2):.2f} | {max(r[1] for r in one) / 1024:.0f} |")
        print(f"| yardstick: bare YAML parse of the repository, one process | {bare[0]:.2f} | | {bare[1] / 1024:.0f} |")
        print(f"| yardstick: bare `mkdocs build` per site ({n_ref} sites, serial) | {per_ref:.2f} | | |")
        print(f"\none talk changed / bare parse, both whole processes of this run: {med(one, 0) / bare[0]:.2f}×")
        print(f"per-site wall {per_site * 1000:.0f} ms; ratio devtalks / bare mkdocs per site: {per_site / per_ref:.3f}")
        rows = [
            ("disk per person site, own files (target ≤ 150 KB)",
             f"{_mean(person_sites, 0) / 1000:.0f} KB apparent, {_mean(person_sites, 1) / 1000:.0f} KB allocated"),
            ("disk per manager site, own files",
             f"{_mean(managers, 0) / 1000:.0f} KB apparent, {_mean(managers, 1) / 1000:.0f} KB allocated"),
            ("disk per site, all sites", f"{_mean(everything, 0) / 1000:.0f} KB apparent, "
                                         f"{_mean(everything, 1) / 1000:.0f} KB allocated"),
            ("shared theme files, stored once", f"{store / 1e6:.2f} MB"),
        ]
        width = max(len(k) for k, _ in rows)
        for key, value in rows:
            print(f"{key:<{width}}  {value}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _mean(pairs: list[tuple[int, int]], i: int) -> float:
    return sum(p[i] for p in pairs) / max(len(pairs), 1)


if __name__ == "__main__":
    main()
