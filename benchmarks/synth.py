"""Generate a synthetic team repository: N people, years of half-yearly talks and check-ins.

Talk files look like the example team's (answers to the default template, agreements,
sign-offs), about 3.5 KB each, so figures compare with ../shared/MEASUREMENTS.md.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 27)
WORDS = ("platform migratie cluster on-call mentoring junior product data kwaliteit rust focus team "
         "incident review pairing certificering leren groei feedback verantwoordelijkheid planning").split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def block(rng: random.Random, lines: int) -> str:
    return "".join(f"    {sentence(rng, 12)}\n" for _ in range(lines))


def generate(dest: Path, people: int, years: int, seed: int = 7, checkins_per_year: int = 4) -> Path:
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for folder in ("question_templates", "schemas"):
        shutil.copytree(ROOT / folder, dest / folder)
    for extra in ("mkdocs.yml", "site_overrides"):
        src = ROOT / extra
        if src.is_dir():
            shutil.copytree(src, dest / extra)
        elif src.exists():
            shutil.copy2(src, dest / extra)
    managers = max(1, people // 8)
    ids = [f"p{i:05d}" for i in range(people)]
    team = ["team:\n  id: synthetic\n  name: Synthetic\n  department: Benchmarks\nlanguage: nl\n",
            "goals:\n  - id: groei\n    title: Groei\npeople:\n"]
    for i, pid in enumerate(ids):
        manager = "" if i < managers else f"    manager: {ids[i % managers]}\n"
        team.append(f"  - id: {pid}\n    name: Persoon {i}\n    email: {pid}@example.com\n"
                    f"    github: gh-{pid}\n{manager}")
    team.append("checkin_template: checkin\n")
    (dest / "team.yaml").write_text("".join(team))
    (dest / "cycles").mkdir()
    start = 2026 - years + 1
    cycles = []
    for year in range(start, 2027):
        for half, month in (("spring", 3), ("autumn", 10))[: 1 if year == 2026 else 2]:
            cid = f"{year}-{half}"
            opens = dt.date(year, month, 2)
            cycles.append((cid, opens))
            (dest / "cycles" / f"{cid}.yaml").write_text(
                f"title: {cid}\ntemplate: default\nopens: {opens}\nprepare_by: {opens + dt.timedelta(14)}\n"
                f"talks_by: {opens + dt.timedelta(28)}\nplan_by: {opens + dt.timedelta(42)}\n")
    for pid in ids[managers:]:
        folder = dest / "talks" / pid
        folder.mkdir(parents=True)
        for cid, opens in cycles:
            held = opens + dt.timedelta(20)
            (folder / f"{cid}.yaml").write_text(_talk(rng, pid, held))
        for q in range(years * checkins_per_year):
            day = dt.date(start, 1, 15) + dt.timedelta(days=365 // checkins_per_year * q)
            if day > TODAY:
                break
            (folder / f"checkin-{day}.yaml").write_text(
                f"employee:\n  wellbeing: {rng.randint(1, 5)}\n  workload: {rng.randint(1, 5)}\n"
                f"  on-your-mind: |\n{block(rng, 2)}topics: [werkdruk, leren]\nsummary: |\n{block(rng, 1)}")
    return dest


GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Synth", "GIT_AUTHOR_EMAIL": "synth@example.com",
           "GIT_COMMITTER_NAME": "Synth", "GIT_COMMITTER_EMAIL": "synth@example.com"}


def commit_all(repo: Path, message: str) -> None:
    """Commit every change in `repo`, making it a Git repository first if it is not one."""
    if not (repo / ".git").exists():
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True, env=GIT_ENV)
    for cmd in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", *cmd], cwd=repo, check=True, env=GIT_ENV)


def _talk(rng: random.Random, pid: str, held: dt.date) -> str:
    text = lambda key, lines: f"  {key}: |\n{block(rng, lines)}"  # noqa: E731
    employee = "".join([text("went-well", 3), text("proud", 2), text("grow-this-year", 3),
                        text("support-needed", 2), text("strengths", 2), text("energy", 1),
                        f"  wellbeing: {rng.randint(1, 5)}\n  workload: {rng.randint(1, 5)}\n",
                        f"  engagement: {rng.randint(1, 5)}\n  growth-readiness: {rng.randint(1, 5)}\n"])
    manager = "".join([text("went-well", 2), text("strengths", 1)])
    agreements = "".join(
        f"  - id: a{i}\n    title: {sentence(rng, 5)}\n    owner: {pid}\n    due: {held + dt.timedelta(90)}\n"
        f"    status: {'done' if i % 2 else 'open'}\n{'    done_on: ' + str(held + dt.timedelta(60)) + chr(10) if i % 2 else ''}"
        f"    goal: groei\n" for i in range(5))
    return (f"template_version: 1\nscheduled: {held}\nheld_on: {held}\nemployee:\n{employee}manager:\n{manager}"
            f"summary: |\n{block(rng, 2)}agreements:\n{agreements}"
            f"sign_off:\n  employee: {held + dt.timedelta(3)}\n  manager: {held + dt.timedelta(4)}\n")
