"""Benchmark `devtalks build` on a generated organisation against bare `mkdocs build` per site.

    python benchmarks/bench_build.py [--people 200] [--years 2] [--jobs N] [--reference-sample N]

One run prints: the full build (wall, per-site wall), the same generated pages built by one
bare `mkdocs build` process per site one after another (the reference), the ratio of the two,
a no-op rebuild, a rebuild after one talk changed, and the disk bytes each extra site costs.
All devtalks figures are whole `devtalks build` processes, as a user or CI runs them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import TODAY, generate  # noqa: E402
from devtalks.load import load  # noqa: E402
from devtalks.site import engine  # noqa: E402
from devtalks.site.build import Job, available, team_facts  # noqa: E402

DEVTALKS = str(Path(sys.executable).parent / "devtalks")
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def devtalks_build(repo: Path, out: Path, jobs: int) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([DEVTALKS, "build", "--repo", str(repo), "--out", str(out), "--today", TODAY.isoformat(),
                           "--jobs", str(jobs)], capture_output=True, text=True, env=ENV)
    seconds = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"devtalks build failed:\n{proc.stderr}")
    return seconds, proc.stdout.strip()


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
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_file


def reference(repo: Path, work: Path, sample: int | None) -> tuple[int, float]:
    """(sites built, seconds) for bare `mkdocs build` processes, one per site, one after another."""
    facts = team_facts(load(repo), TODAY)
    job = Job(repo, work, [facts])
    keys = sorted(available([facts]))
    if sample:
        keys = keys[:: max(1, len(keys) // sample)][:sample]
    configs = [reference_project(repo, job.spec(key), work / key.replace("/", "__")) for key in keys]
    start = time.perf_counter()
    for config in configs:
        subprocess.run([MKDOCS, "build", "-q", "--strict", "-f", str(config)], check=True, env=ENV,
                       capture_output=True)
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


def change_one_talk(repo: Path) -> str:
    person = sorted(p for p in (repo / "talks").iterdir() if p.is_dir())[len(list((repo / "talks").iterdir())) // 2]
    talk = sorted(person.glob("20*.yaml"))[-1]
    text = talk.read_text()
    talk.write_text(text.replace("summary: |\n", "summary: |\n    Een extra zin voor de benchmark.\n", 1))
    return person.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--reference-sample", type=int, default=0,
                        help="build only this many sites for the reference (0: all) and scale per site")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="devtalks-bench-build-"))
    os.environ["DEVTALKS_CACHE_DIR"] = str(work / "cache")  # the runs' own state, removed with the rest
    try:
        repo = generate(work / "org", args.people, args.years)
        out = work / "out"
        sites = len(available([team_facts(load(repo), TODAY)]))
        full, full_line = devtalks_build(repo, out, args.jobs)
        noop, noop_line = devtalks_build(repo, out, args.jobs)
        person = change_one_talk(repo)
        one, one_line = devtalks_build(repo, out, args.jobs)
        n_ref, ref = reference(repo, work / "reference", args.reference_sample or None)
        people = [own_bytes(p) for p in sorted((out / "people").iterdir())]
        managers = [own_bytes(p) for p in sorted((out / "managers").iterdir())]
        everything = people + managers + [own_bytes(out / "hr")]
        store = sum(p.stat().st_size for p in (out / ".devtalks" / "assets").rglob("*") if p.is_file())
        per_site, per_ref = full / sites, ref / n_ref
        rows = [
            ("organisation", f"{args.people} people, {sites} sites, {args.jobs} jobs"),
            ("full build (cold, whole process)", f"{full:.2f} s  ({full_line})"),
            ("  per-site wall", f"{per_site * 1000:.0f} ms"),
            (f"bare `mkdocs build` per site ({n_ref} sites, serial)", f"{ref:.2f} s"),
            ("  per-site wall (reference)", f"{per_ref * 1000:.0f} ms"),
            ("ratio devtalks / reference (target ≤ 0.25)", f"{per_site / per_ref:.3f}"),
            ("no-op rebuild (target < 2 s)", f"{noop:.2f} s  ({noop_line})"),
            (f"one talk changed, {person} (target < 3 s)", f"{one:.2f} s  ({one_line})"),
            ("disk per person site, own files (target ≤ 200 KB)",
             f"{_mean(people, 0) / 1000:.0f} KB apparent, {_mean(people, 1) / 1000:.0f} KB allocated"),
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
