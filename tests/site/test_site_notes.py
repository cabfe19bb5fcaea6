"""Private notes: only in the manager's own site, only when built with the manager's key."""

from __future__ import annotations

import yaml

from devtalks.notes.store import add
from devtalks.read.load import load
from tests.notes.conftest import make_key
from tests.site.sitehelpers import TODAY, site_text

SECRET = "Vertrouwelijk: Daan overweegt een overstap naar het dataplatformteam in Utrecht."


def _team_with_note(repo, tmp_path):
    sanne = make_key(tmp_path / "keys", "sanne")
    data = yaml.safe_load((repo / "team.yaml").read_text())
    next(p for p in data["people"] if p["id"] == "sanne")["age_recipient"] = sanne.public
    (repo / "team.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    add(load(repo), "daan", SECRET)
    return sanne


def test_notes_go_into_the_managers_site_built_with_their_key_only(example_repo, tmp_path, run_cli):
    sanne = _team_with_note(example_repo, tmp_path)
    stranger = make_key(tmp_path / "keys", "stranger")
    out = tmp_path / "out"
    r = run_cli("build", "--repo", example_repo, "--out", out, "--today", TODAY, "--jobs", "2")
    assert r.exit_code == 0, r.stderr
    assert "dataplatformteam" not in site_text(out / "managers" / "sanne")
    r = run_cli("build", "--repo", example_repo, "--out", out, "--today", TODAY,
                "--only", "managers/sanne", "--identity", sanne.path)
    assert r.exit_code == 0, r.stderr
    notes = (out / "managers" / "sanne" / "daan" / "notes.html").read_text()
    assert "dataplatformteam" in notes
    for key in ("people/daan", "hr", "people/sanne"):
        assert "dataplatformteam" not in site_text(out / key)
    r = run_cli("build", "--repo", example_repo, "--out", out, "--today", TODAY, "--only", "managers/sanne")
    assert r.exit_code == 0 and "built 1" in r.stdout, "without the key the site is rebuilt without notes"
    assert "dataplatformteam" not in site_text(out / "managers" / "sanne")
    r = run_cli("build", "--repo", example_repo, "--out", out, "--today", TODAY,
                "--only", "managers/sanne", "--identity", stranger.path)
    assert r.exit_code == 1 and "not Sanne de Vries's" in r.stderr


def test_a_site_built_with_decrypted_notes_leaves_no_page_text_in_the_cache_folder(example_repo, tmp_path, run_cli,
                                                                                     devtalks_cache):
    sanne = _team_with_note(example_repo, tmp_path)
    out = tmp_path / "out"
    for _ in range(2):  # a second run would take pages over from the first's record, if one were kept
        r = run_cli("build", "--repo", example_repo, "--out", out, "--today", TODAY,
                    "--only", "managers/sanne", "--identity", sanne.path)
        assert r.exit_code == 0, r.stderr
    assert "dataplatformteam" in (out / "managers" / "sanne" / "daan" / "notes.html").read_text()
    leaked = [p for p in devtalks_cache.rglob("*") if p.is_file() and b"dataplatformteam" in p.read_bytes()]
    assert leaked == [], "decrypted notes (in search entries) must not be kept in devtalks' cache folder"
