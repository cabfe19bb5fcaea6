"""A rebuilt site renders only its changed pages, and is still byte for byte the site a clean build makes."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devtalks.gitflow.history import pinned_history
from devtalks.read import snapshot
from devtalks.read.load import load
from devtalks.site import calendar, inputs, pages
from devtalks.site.build import Job, available, base_fingerprint, changed, team_facts
from devtalks.state import state_dir
from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.conftest import commit, edit, team_git  # noqa: F401  (the fixture: the example team in Git)
from tests.site.sitehelpers import TODAY, sites_in

DEVTALKS = str(Path(sys.executable).parent / "devtalks")
DAAN_NOW = "talks/daan/2026-autumn.yaml"
THIJS_NOW = "talks/thijs/2026-autumn.yaml"


def build(run_cli, root: Path, out: Path) -> str:
    result = run_cli("build", "--repo", root, "--out", out, "--today", TODAY, "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def tree(folder: Path) -> dict[str, bytes]:
    """Every file a reader can fetch, by path (devtalks' .devtalks folder left out)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".devtalks" not in p.relative_to(folder).parts}


def differing(a: Path, b: Path) -> list[str]:
    ta, tb = tree(a), tree(b)
    return sorted(k for k in ta.keys() | tb.keys() if ta.get(k) != tb.get(k))


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*.html")}


def new_talk(root: Path) -> None:
    (root / "talks/jeroen/2026-autumn.yaml").write_text("template_version: 2\nscheduled: 2026-12-03\n", encoding="utf-8")


def new_person(root: Path) -> None:
    edit(root / "team.yaml", "people:\n", "people:\n  - id: mila\n    name: Mila de Groot\n    email: mila.degroot@example.com\n"
         "    github: miladegroot\n    role: Platform engineer\n    manager: sanne\n")


CHANGES = {
    "a talk": lambda root: edit(root / DAAN_NOW, "RFC-007", "RFC-008"),
    "a cycle's title": lambda root: edit(root / "cycles/2026-spring.yaml", "voorjaar 2026", "lente 2026"),
    "a new talk": new_talk,
    "a new person": new_person,
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_rebuild_is_byte_for_byte_a_clean_build(team_git, tmp_path, run_cli, change):
    root = Path(team_git.working_tree_dir)
    out = tmp_path / "out"
    build(run_cli, root, out)
    CHANGES[change](root)
    commit(team_git, f"Change {change}", day="2026-11-20")
    assert "built 0," not in build(run_cli, root, out)
    clean = tmp_path / "clean"
    build(run_cli, root, clean)
    assert set(sites_in(out)) == set(sites_in(clean))
    assert differing(out, clean) == []


def test_an_edit_that_keeps_the_size_and_the_time_of_a_file_is_rebuilt(team_git, tmp_path, run_cli, monkeypatch):
    """A file whose status is as at the last build is not read again; an edit that leaves size and time is seen."""
    monkeypatch.setattr(snapshot, "SETTLED_NS", 0)  # every file counts as settled at once: the build remembers them
    root = Path(team_git.working_tree_dir)
    out = tmp_path / "out"
    time.sleep(0.01)
    build(run_cli, root, out)
    talk = root / DAAN_NOW
    before = talk.stat()
    time.sleep(0.01)
    edit(talk, "RFC-007", "RFC-008")
    os.utime(talk, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert talk.stat().st_size == before.st_size
    assert "built 0," not in build(run_cli, root, out)
    assert "RFC-008" in (out / "people/daan/talks/2026-autumn.html").read_text()
    clean = tmp_path / "clean"
    build(run_cli, root, clean)
    assert differing(out, clean) == []


def test_a_rebuild_shows_the_commit_it_follows(team_git, tmp_path):
    """The builder brings the Git history up to date while the build reads the repository: the talk's pages that are
    rebuilt list the new commit, on the person's site and on the manager's. (Each build is a process of its own, as
    a user's: in one process, the build would find the history it read the first time still in memory.)"""
    root = Path(team_git.working_tree_dir)
    out = tmp_path / "out"
    args = [DEVTALKS, "build", "--repo", str(root), "--out", str(out), "--today", TODAY, "--jobs", "2"]
    subprocess.run(args, check=True, capture_output=True)
    edit(root / DAAN_NOW, "RFC-007", "RFC-008")
    commit(team_git, "Daan: RFC-008", who="daan", day="2026-11-20")
    assert "built 2," in subprocess.run(args, check=True, capture_output=True, text=True).stdout
    for page in ("people/daan/talks/2026-autumn.html", "managers/sanne/daan/talks/2026-autumn.html"):
        assert "Daan: RFC-008" in (out / page).read_text(encoding="utf-8"), page


def to_generate(root: Path, out: Path) -> set[str]:
    """The sites the next build would generate pages for."""
    teams = [team_facts(load(root), EXAMPLE_TODAY)]
    job = Job(root.resolve(), out.resolve(), teams, history=pinned_history())
    job.base = base_fingerprint(job.repo)
    return set(changed(job, list(available(teams, org=False))))


def no_summary(root: Path) -> None:
    """Thijs's plan loses its summary, so his talk is back to `held` (progress.stage_of)."""
    path = root / THIJS_NOW
    path.write_text(re.sub(r"\nsummary: \|\n(?:  .*\n|\n)*", "\n", path.read_text(encoding="utf-8")), encoding="utf-8")


HIDDEN_FROM_HR = {
    "a summary": lambda root: edit(root / THIJS_NOW, "leidinggeven verkennen", "leidinggeven proberen"),
    "an agreement's text": lambda root: edit(root / THIJS_NOW, "uitfasering van de oude VM-omgeving trekken",
                                             "uitfasering van de oude VM-omgeving leiden"),
    "an answer kept from HR": lambda root: edit(root / THIJS_NOW, "draaiboek", "runbook"),
}
SHOWN_TO_HR = {
    "a summary removed": no_summary,
    "an answer shared with HR": lambda root: edit(root / THIJS_NOW, "mobility: unsure", "mobility: grow-here"),
    "an agreement dropped": lambda root: edit(root / THIJS_NOW, "    due: 2027-02-28\n",
                                              "    due: 2027-02-28\n    status: dropped\n"),
}


@pytest.mark.parametrize("change", [*HIDDEN_FROM_HR, *SHOWN_TO_HR])
def test_the_hr_site_is_generated_again_only_for_a_change_it_shows(team_git, tmp_path, run_cli, change):
    root = Path(team_git.working_tree_dir)
    out = tmp_path / "out"
    build(run_cli, root, out)
    before = tree(out / "hr")
    {**HIDDEN_FROM_HR, **SHOWN_TO_HR}[change](root)
    commit(team_git, f"Thijs: {change}", who="sanne", day="2026-11-20")
    shown = change in SHOWN_TO_HR
    todo = to_generate(root, out)
    assert {"people/thijs", "managers/sanne"} <= todo
    assert ("hr" in todo) == shown
    build(run_cli, root, out)
    clean = tmp_path / "clean"
    build(run_cli, root, clean)
    assert differing(out / "hr", clean / "hr") == [], "the HR site in place is the one a clean build makes"
    assert (tree(out / "hr") != before) == shown


def test_a_managers_site_generates_again_only_the_pages_of_the_report_whose_files_changed(team_git, tmp_path, run_cli,
                                                                                         monkeypatch):
    root = Path(team_git.working_tree_dir)
    out = tmp_path / "out"
    build(run_cli, root, out)
    generated = []
    person_pages = pages.person_pages
    monkeypatch.setattr(pages, "person_pages", lambda f, audience, person, **options: generated.append(
        (audience.key, person)) or person_pages(f, audience, person, **options))
    edit(root / DAAN_NOW, "RFC-007", "RFC-008")
    commit(team_git, "Daan: RFC-008", who="daan", day="2026-11-20")
    build(run_cli, root, out)
    assert sorted(generated) == [("managers/sanne", "daan"), ("people/daan", "daan")], \
        "Sanne's other reports' pages are the ones her last build generated"
    clean = tmp_path / "clean"
    build(run_cli, root, clean)
    assert differing(out, clean) == []


SPOILT = {
    "a page that is not text": lambda person: [{f"{person}/index.md": 1}, [{"Home": f"{person}/index.md"}]],
    "a broken navigation": lambda person: [{f"{person}/index.md": "# Hi"}, [{"Home": 3}]],
    "no pages": lambda person: [{}, []],
    "a page outside the report's folder": lambda person: [{"index.md": "# Planted"}, [{"Home": "index.md"}]],
    "not a part": lambda person: "pages",
}


def differing_after_spoiling(team_git, tmp_path, run_cli, kind: str, key: str, spoil) -> list[str]:
    """Build, spoil site `key`'s kept entry of `kind`, change Daan's talk and build again: the files of that site
    that differ from a clean build's."""
    root = Path(team_git.working_tree_dir)
    out = tmp_path / "out"
    build(run_cli, root, out)
    record = state_dir(out, kind, key.replace("/", "__"))
    stored = json.loads(record.read_text(encoding="utf-8"))
    stored["value"] = spoil(stored["value"])
    record.write_text(json.dumps(stored), encoding="utf-8")
    edit(root / DAAN_NOW, "RFC-007", "RFC-008")
    commit(team_git, "Daan: RFC-008", who="daan", day="2026-11-20")
    build(run_cli, root, out)
    clean = tmp_path / "clean"
    build(run_cli, root, clean)
    return differing(out / key, clean / key)


@pytest.mark.parametrize("spoilt", SPOILT)
def test_kept_report_pages_that_are_not_what_the_build_stored_are_generated_again(team_git, tmp_path, run_cli, spoilt):
    def spoil(value: dict) -> dict:
        return {fp: SPOILT[spoilt](next(iter(pages)).split("/")[0]) for fp, (pages, _) in value.items()}
    assert differing_after_spoiling(team_git, tmp_path, run_cli, "parts", "managers/sanne", spoil) == []


def test_an_unchanged_page_is_not_rendered_again_but_a_new_title_renders_every_page(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    out = tmp_path / "out"
    build(run_cli, root, out)
    daan, sanne = out / "people/daan", out / "managers/sanne"
    before = {"daan": inodes(daan), "sanne": inodes(sanne)}
    hr = (out / "hr").stat().st_ino
    edit(root / DAAN_NOW, "RFC-007", "RFC-008")
    commit(team_git, "Daan: RFC-008", who="daan", day="2026-11-20")
    assert build(run_cli, root, out).startswith("built 2, 7 unchanged"), "the HR site does not show the changed text"
    assert (out / "hr").stat().st_ino == hr
    after = {"daan": inodes(daan), "sanne": inodes(sanne)}
    assert "RFC-008" in (daan / "talks/2026-autumn.html").read_text()
    assert after["daan"]["talks/2026-autumn.html"] != before["daan"]["talks/2026-autumn.html"]
    assert after["daan"]["talks/2026-spring.html"] == before["daan"]["talks/2026-spring.html"], \
        "Daan's spring talk did not change: its page is the very file the last build wrote"
    kept = [page for page in before["sanne"] if after["sanne"][page] == before["sanne"][page]]
    assert "noor/index.html" in kept and "fleur/talks/2026-autumn.html" in kept
    assert "daan/talks/2026-autumn.html" not in kept
    edit(root / "cycles/2026-spring.yaml", "voorjaar 2026", "lente 2026")
    commit(team_git, "Rename the spring cycle", day="2026-11-21")
    build(run_cli, root, out)
    renamed = inodes(daan)
    assert not [page for page in renamed if renamed[page] == after["daan"][page]], \
        "every page carries the navigation, so a changed title renders every page"
    assert "lente 2026" in (daan / "agreements.html").read_text()


def test_a_page_in_place_that_is_not_what_the_record_says_is_rendered_again(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    out = tmp_path / "out"
    build(run_cli, root, out)
    records = state_dir(out, "pages")
    saved = tmp_path / "records"
    shutil.copytree(records, saved)
    edit(root / DAAN_NOW, "RFC-007", "RFC-008")
    commit(team_git, "Daan: RFC-008", who="daan", day="2026-11-20")
    build(run_cli, root, out)
    # As if the build had died after putting the sites in place but before recording their pages:
    # the records describe RFC-007 pages, the sites hold RFC-008 ones.
    shutil.rmtree(records)
    shutil.copytree(saved, records)
    edit(root / DAAN_NOW, "RFC-008", "RFC-007")
    (out / "people/daan/talks/2026-spring.html").write_text("<p>planted</p>", encoding="utf-8")
    commit(team_git, "Daan: back to RFC-007", who="daan", day="2026-11-21")
    build(run_cli, root, out)
    clean = tmp_path / "clean"
    build(run_cli, root, clean)
    assert differing(out, clean) == []
    assert "RFC-007" in (out / "people/daan/talks/2026-autumn.html").read_text()


def test_a_rebuild_killed_midway_leaves_every_site_whole(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    out = tmp_path / "out"
    args = [DEVTALKS, "build", "--repo", str(root), "--out", str(out), "--today", TODAY, "--jobs", "2"]
    subprocess.run(args, check=True, capture_output=True)
    before = {key: tree(site) for key, site in sites_in(out).items()}
    edit(root / DAAN_NOW, "RFC-007", "RFC-008")
    commit(team_git, "Daan: RFC-008", who="daan", day="2026-11-20")
    clean = tmp_path / "clean"
    build(run_cli, root, clean)
    new = {key: tree(site) for key, site in sites_in(clean).items()}
    assert new["people/daan"] != before["people/daan"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    building = out / ".devtalks" / "tmp"
    end = time.monotonic() + 120
    while time.monotonic() < end and proc.poll() is None and not any(building.iterdir()):
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the build ended before it could be killed while making a site"
    for key, site in sites_in(out).items():
        assert tree(site) in (before[key], new[key]), f"{key} is neither the old site nor the new one"
    build(run_cli, root, out)
    assert differing(out, clean) == []


def workers_of(pid: int) -> set[int]:
    """Every process `pid` forked, and each of theirs, that still runs devtalks (git commands left out), from /proc."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    children: dict[int, set[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if (stat.parent / "cmdline").read_bytes() == command:
                children.setdefault(parent, set()).add(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue  # it ended while we looked
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.add(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="finds a build's workers in /proc (Linux)")
@pytest.mark.parametrize("sites", ["two sites, by the builder", "every site, by a pool"])
def test_a_build_killed_while_making_sites_leaves_no_worker_behind_and_the_next_build_runs(team_git, tmp_path, run_cli,
                                                                                          sites):
    root = Path(team_git.working_tree_dir)
    out = tmp_path / "out"
    args = [DEVTALKS, "build", "--repo", str(root), "--out", str(out), "--today", TODAY, "--jobs", "2"]
    build(run_cli, root, out)
    if sites.startswith("two"):
        edit(root / DAAN_NOW, "RFC-007", "RFC-008")
        commit(team_git, "Daan: RFC-008", who="daan", day="2026-11-20")
    else:
        args.append("--force")
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    building = out / ".devtalks" / "tmp"
    end = time.monotonic() + 120
    while time.monotonic() < end and proc.poll() is None and not any(building.iterdir()):
        time.sleep(0.001)
    workers = workers_of(proc.pid)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL and workers, "the build ended before it could be killed making a site"
    end = time.monotonic() + 10
    while any(map(running, workers)) and time.monotonic() < end:
        time.sleep(0.01)
    assert not any(map(running, workers)), "a worker outlived the build that started it"
    assert "built" in build(run_cli, root, out), "the next build runs: no worker of the killed one holds its lock"


def test_a_calendar_feed_is_written_again_only_when_its_events_change(team_git, tmp_path, run_cli, monkeypatch):
    root = Path(team_git.working_tree_dir)
    out = tmp_path / "out"
    build(run_cli, root, out)
    written = []
    ics = calendar.ics
    monkeypatch.setattr(calendar, "ics", lambda title, today, found: written.append(title) or ics(title, today, found))
    edit(root / DAAN_NOW, "RFC-007", "RFC-008")
    commit(team_git, "Daan: RFC-008", who="daan", day="2026-11-20")
    assert "built 2," in build(run_cli, root, out)
    assert written == [], "no date moved, so Daan's and Sanne's feeds are the ones written last time"
    edit(root / DAAN_NOW, "due: 2027-01-31", "due: 2027-02-07")
    commit(team_git, "Daan: an agreement moved", who="daan", day="2026-11-20")
    build(run_cli, root, out)
    assert len(written) == 2, "a deadline moved: Daan's feed and his manager's are written anew"
    clean = tmp_path / "clean"
    build(run_cli, root, clean)
    assert differing(out, clean) == []
    assert b"DTSTART;VALUE=DATE:20270207" in (out / "people/daan" / calendar.FEED).read_bytes()


SPOILT_FEEDS = {
    "another digest": lambda value: {**value, "digest": "0" * 40, "ics": "BEGIN:VCALENDAR\r\n"},
    "no text": lambda value: {**value, "ics": None},
    "not an entry": lambda value: ["BEGIN:VCALENDAR"],
}


@pytest.mark.parametrize("spoilt", SPOILT_FEEDS)
def test_a_kept_feed_that_is_not_what_the_build_stored_is_written_again(team_git, tmp_path, run_cli, spoilt):
    assert differing_after_spoiling(team_git, tmp_path, run_cli, "feed", "people/daan", SPOILT_FEEDS[spoilt]) == []


def test_a_later_day_rebuilds_the_sites_whose_deadline_it_passes_from_dates_the_last_build_found(
        team_git, tmp_path, run_cli, monkeypatch):
    root = Path(team_git.working_tree_dir)
    out = tmp_path / "out"
    build(run_cli, root, out)
    before = (out / "people/daan/index.html").read_bytes()
    found = []
    days = inputs._days
    monkeypatch.setattr(inputs, "_days", lambda data: found.append(len(data)) or days(data))
    later = ["--today", "2026-12-19", "--jobs", "2"]  # the day after Daan's agreement due 2026-12-18
    assert run_cli("build", "--repo", root, "--out", out, *later).exit_code == 0
    assert len(found) == 1, "only the team's shared files were searched for dates: people's came from the last build"
    clean = tmp_path / "clean"
    assert run_cli("build", "--repo", root, "--out", clean, *later).exit_code == 0
    assert differing(out, clean) == []
    assert (out / "people/daan/index.html").read_bytes() != before, "Daan's agreement is overdue now"
