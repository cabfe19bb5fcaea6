"""The real `devtalks build`: notes appear on their manager's site, built with that manager's key, only."""

from __future__ import annotations

from pathlib import Path

from .conftest import TODAY, add_note, files_containing

FLEUR_NOTE = "Fleur wil teamlead worden bij Platform Zuid codewoord zebrapaard"
NOOR_NOTE = "Noor vraagt om een mentor codewoord kolibrie"
# Every way a note could leave a trace: its words, its file name, the notes page's title.
TRACES = ("zebrapaard", "kolibrie", ".md.age", "Privénotities", "Priv\\u00e9notities", "notes.html")


def build(run_cli, repo: Path, out: Path, *extra):
    return run_cli("build", "--repo", repo, "--out", out, "--today", TODAY, "--jobs", "2", *extra)


def traces(out: Path, *names: str) -> list[str]:
    return [f"{needle}: {path}" for needle in names for path in files_containing(out, needle)]


def test_notes_are_on_their_managers_site_built_with_the_key_and_nowhere_else(team, tmp_path, run_cli):
    fleur = add_note(team.repo, "fleur", FLEUR_NOTE).rsplit("/", 1)[1].removesuffix(".md.age")
    noor = add_note(team.repo, "noor", NOOR_NOTE).rsplit("/", 1)[1].removesuffix(".md.age")
    out = tmp_path / "site"

    everything = build(run_cli, team.repo, out)
    assert everything.exit_code == 0, everything.stderr
    for site in ("people/fleur", "people/noor", "managers/sanne", "managers/daan", "hr"):
        assert (out / site / "index.html").is_file(), site
    assert traces(out, *TRACES, fleur, noor) == []

    with_key = build(run_cli, team.repo, out, "--identity", team.keys["sanne"].path, "--only", "managers/sanne")
    assert with_key.exit_code == 0, with_key.stderr
    sanne = out / "managers" / "sanne"
    assert files_containing(sanne, "zebrapaard"), "sanne's notes about fleur are on her site"
    assert traces(sanne, "kolibrie", noor) == [], "daan's note about noor is not sanne's to read"
    elsewhere = [p for p in out.iterdir() if p.name != "managers"] + [p for p in (out / "managers").iterdir()
                                                                       if p.name != "sanne"]
    for site in elsewhere:
        assert traces(site, *TRACES, fleur, noor) == [], site

    again = build(run_cli, team.repo, out)
    assert again.exit_code == 0, again.stderr
    assert traces(out, *TRACES, fleur, noor) == [], "a build without the key takes the notes out again"


def test_a_key_that_is_not_the_managers_is_refused_clearly(team, tmp_path, run_cli):
    add_note(team.repo, "fleur", FLEUR_NOTE)
    out = tmp_path / "site"
    wrong = build(run_cli, team.repo, out, "--identity", team.keys["daan"].path, "--only", "managers/sanne")
    assert wrong.exit_code == 1
    assert "error: the key in" in wrong.stderr and "is not Sanne de Vries's" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    assert not out.exists() or traces(out, *TRACES) == []
    everywhere = build(run_cli, team.repo, out, "--identity", team.keys["sanne"].path)
    assert everywhere.exit_code == 2 and "--identity needs exactly one --only managers/ID" in everywhere.stderr
