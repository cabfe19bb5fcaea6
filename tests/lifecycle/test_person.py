"""`devtalks person` and `notes keygen` one rule at a time: refusals, dry runs, and what validate says after."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
import yaml

from devtalks.progress import agreements, due_items
from devtalks.read.load import load
from devtalks.site import hrviews
from devtalks.site.audiences import sites
from devtalks.site.facts import Facts
from tests.conftest import EXAMPLE_TODAY
from tests.notes.conftest import add_note, devtalks, edit_team, person, team  # noqa: F401  (fixture)

TODAY = EXAMPLE_TODAY.isoformat()


def people(repo: Path) -> dict[str, dict]:
    return {p["id"]: p for p in yaml.safe_load((repo / "team.yaml").read_text(encoding="utf-8"))["people"]}


def validate(run_cli, repo: Path, today: str = TODAY):
    return run_cli("validate", "--repo", repo, "--today", today)


@pytest.mark.parametrize("args, message", [
    (["--id", "Mila", "--email", "mila@example.com"], "--id `Mila` is not valid: use lower-case letters"),
    (["--id", "mila", "--email", "mila@example"], "--email `mila@example` is not valid: write a whole address"),
    (["--id", "mila", "--email", "Daan.Bakker@example.com"], "is the e-mail address of `daan` (Daan Bakker) already"),
    (["--id", "mila", "--email", "mila@example.com", "--github", "DaanBakker"], "is `daan`'s (Daan Bakker) already"),
    (["--id", "mila", "--email", "mila@example.com", "--manager", "sane"], "`sane` is not a person in team.yaml; "
                                                                           "did you mean `sanne`?"),
    (["--id", "daan", "--email", "mila@example.com"], "`daan` is in team.yaml already (Daan Bakker"),
])
def test_add_refuses_what_would_be_wrong_and_writes_nothing(example_repo, run_cli, args, message):
    before = (example_repo / "team.yaml").read_bytes()
    result = run_cli("person", "add", "--repo", example_repo, "--name", "Mila de Boer", *args)
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert (example_repo / "team.yaml").read_bytes() == before


def test_a_new_person_skips_cycles_whose_talks_were_due_before_they_joined(example_repo, run_cli):
    result = run_cli("person", "add", "--repo", example_repo, "--id", "mila", "--name", "Mila de Boer",
                     "--email", "mila@example.com", "--manager", "sanne", "--on", "2026-11-01", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert people(example_repo)["mila"]["joined_on"] == dt.date(2026, 11, 1)
    cycles = {i.cycle for i in due_items(load(example_repo), EXAMPLE_TODAY) if i.person == "mila"}
    assert cycles == {"2026-autumn"}
    assert validate(run_cli, example_repo).exit_code == 0


def test_move_refuses_a_loop_and_someone_who_left(example_repo, run_cli):
    loop = run_cli("person", "move", "sanne", "--manager", "daan", "--repo", example_repo)
    assert loop.exit_code == 1 and "daan reports, through daan → sanne, to sanne" in loop.stderr
    assert run_cli("person", "leave", "thijs", "--repo", example_repo, "--today", TODAY).exit_code == 0
    to_gone = run_cli("person", "move", "noor", "--manager", "thijs", "--repo", example_repo)
    assert to_gone.exit_code == 1 and "thijs left on 2026-11-27, so they cannot be a manager" in to_gone.stderr


def test_move_dry_run_prints_the_diff_and_writes_nothing(example_repo, run_cli):
    before = (example_repo / "team.yaml").read_bytes()
    result = run_cli("person", "move", "noor", "--manager", "daan", "--role", "Platform engineer", "--repo",
                     example_repo, "--dry-run")
    assert result.exit_code == 0
    assert ("-    role: Junior platform engineer\n-    manager: sanne\n"
            "+    role: Platform engineer\n+    manager: daan\n") in result.stdout
    assert result.stdout.endswith("(dry run: nothing was written)\n")
    assert (example_repo / "team.yaml").read_bytes() == before


def test_a_manager_cannot_leave_before_their_reports_are_moved(example_repo, run_cli):
    result = run_cli("person", "leave", "sanne", "--repo", example_repo, "--today", TODAY)
    assert result.exit_code == 1
    assert "sanne still manages daan, fleur, jeroen, lotte, noor, thijs" in result.stderr
    assert "`devtalks person move daan --manager ID`" in result.stderr
    assert "left_on" not in (example_repo / "team.yaml").read_text()


def test_leave_takes_them_off_cycles_that_open_later_and_keeps_their_history(example_repo, run_cli):
    (example_repo / "cycles/2027-spring.yaml").write_text(
        "title: Voorjaar 2027\ntemplate: default\nopens: 2027-03-01\nprepare_by: 2027-03-19\ntalks_by: 2027-04-02\n"
        "plan_by: 2027-04-16\nparticipants:\n  - daan\n  - thijs  # joined the pilot\n  - noor\n", encoding="utf-8")
    talks = sorted(p.name for p in (example_repo / "talks/thijs").iterdir())
    hr_open = hrviews.agreements([Facts(load(example_repo), EXAMPLE_TODAY)])[0]["open"]
    thijs_open = [s for s in agreements(load(example_repo), EXAMPLE_TODAY, "thijs") if s.is_open]
    assert thijs_open
    result = run_cli("person", "leave", "thijs", "--repo", example_repo, "--on", "2026-11-20", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert "took thijs off the participants of cycles/2027-spring.yaml" in result.stdout
    assert (example_repo / "cycles/2027-spring.yaml").read_text().endswith("participants:\n  - daan\n  - noor\n")
    assert sorted(p.name for p in (example_repo / "talks/thijs").iterdir()) == talks
    ws = load(example_repo)
    assert not [i for i in due_items(ws, EXAMPLE_TODAY) if "thijs" in (i.person, *i.responsible)]
    assert "people/thijs" not in {a.key for a in sites(ws, EXAMPLE_TODAY)} and "managers/sanne" in {a.key for a in sites(ws, EXAMPLE_TODAY)}
    assert hrviews.agreements([Facts(ws, EXAMPLE_TODAY)])[0]["open"] == hr_open - len(thijs_open)
    assert validate(run_cli, example_repo).exit_code == 0


def test_nobody_writes_a_new_note_about_someone_who_left(team, run_cli):
    add_note(team.repo, "noor", "Noor wil meer on-call doen.")
    assert run_cli("person", "leave", "noor", "--repo", team.repo, "--today", TODAY).exit_code == 0
    result = devtalks("notes", "add", "noor", "--repo", team.repo, input="Nog iets.\n")
    assert result.returncode == 1
    assert "noor left on 2026-11-27: no new notes about someone who left" in result.stderr
    assert len(list((team.repo / "talks/noor/notes").glob("*.age"))) == 1
    assert validate(run_cli, team.repo).exit_code == 0


def test_validate_names_what_still_points_at_someone_who_left(example_repo, run_cli):
    def change(data: dict) -> None:
        person(data, "sanne")["left_on"] = dt.date(2026, 11, 1)
        person(data, "thijs")["left_on"] = dt.date(2026, 12, 24)

    edit_team(example_repo, change)
    (example_repo / "cycles/2027-spring.yaml").write_text(
        "title: Voorjaar 2027\ntemplate: default\nopens: 2027-03-01\nprepare_by: 2027-03-19\ntalks_by: 2027-04-02\n"
        "plan_by: 2027-04-16\nparticipants: [daan, sanne]\n", encoding="utf-8")
    out = validate(run_cli, example_repo).stdout
    assert "team.yaml:" in out and "DT210: manager `sanne` left on 2026-11-01" in out
    assert "give daan a new manager: `devtalks person move daan --manager ID`" in out
    assert "cycles/2027-spring.yaml:7:" in out and "participant `sanne` left on 2026-11-01" in out
    assert "DT301" not in out and "2026-12-24" not in out  # a leaving date ahead is known notice, not a mistake
    assert "DT210: eigenaar `sanne` is op 2026-11-01 vertrokken, dus niemand krijgt een herinnering" in out  # nl team


def test_codeowners_hands_the_folder_of_someone_who_left_to_their_manager(example_repo, run_cli):
    assert run_cli("codeowners", "--repo", example_repo).exit_code == 0
    assert run_cli("person", "leave", "thijs", "--repo", example_repo, "--today", TODAY).exit_code == 0
    lines = (example_repo / ".github/CODEOWNERS").read_text().splitlines()
    assert "/talks/thijs/         @sannedevries" in lines
    assert not any("@thijsvandijk" in line for line in lines)
    assert run_cli("codeowners", "--repo", example_repo, "--check").exit_code == 0


def test_keygen_finds_you_by_your_git_address_and_keeps_keys_out_of_the_repo(example_repo, run_cli, tmp_path):
    subprocess.run(["git", "init", "-q", str(example_repo)], check=True)
    subprocess.run(["git", "-C", str(example_repo), "config", "user.email", "Sanne.deVries@example.com"], check=True)
    inside = run_cli("notes", "keygen", "--repo", example_repo, "--out", example_repo / "key.txt")
    assert inside.exit_code == 1 and "inside the repository" in inside.stderr and not (example_repo / "key.txt").exists()
    result = run_cli("notes", "keygen", "--repo", example_repo, "--out", tmp_path / "keys" / "key.txt")
    assert result.exit_code == 0, result.stderr
    public = result.stdout.split("public key: ")[1].strip()
    assert people(example_repo)["sanne"]["age_recipient"] == public
    assert f"# public key: {public}\nAGE-SECRET-KEY-1" in (tmp_path / "keys/key.txt").read_text()
    assert validate(run_cli, example_repo).exit_code == 0
    unknown = run_cli("notes", "keygen", "--repo", example_repo, "--manager", "mila", "--out", tmp_path / "k2.txt")
    assert unknown.exit_code == 1 and "`mila` is not a person in team.yaml" in unknown.stderr
    assert not (tmp_path / "k2.txt").exists()


def test_a_move_without_the_old_key_says_who_must_rekey(team, run_cli):
    add_note(team.repo, "noor", "Noor wil meer on-call doen.")
    result = run_cli("person", "move", "noor", "--manager", "sanne", "--repo", team.repo)
    assert result.exit_code == 0
    assert "1 private note(s) about noor are still encrypted to the old manager" in result.stdout
    assert "devtalks notes rekey noor --identity KEYFILE" in result.stdout
    assert "DT501" in validate(run_cli, team.repo).stdout
    fixed = run_cli("notes", "rekey", "noor", "--repo", team.repo, "--identity", team.keys["daan"].path)
    assert fixed.exit_code == 0 and validate(run_cli, team.repo).exit_code == 0


def test_a_move_with_notes_kept_leaves_them_with_their_writer(team, run_cli):
    edit_team(team.repo, lambda data: data.update(notes={"on_manager_change": "keep"}))
    add_note(team.repo, "noor", "Noor wil meer on-call doen.")
    result = run_cli("person", "move", "noor", "--manager", "sanne", "--repo", team.repo,
                     "--identity", team.keys["daan"].path)
    assert result.exit_code == 0
    assert "stay readable by the manager who wrote them (notes.on_manager_change: keep)" in result.stdout
    assert validate(run_cli, team.repo).exit_code == 0


def test_the_managers_site_keeps_someone_who_left_marked_as_gone(example_repo, run_cli, tmp_path):
    assert run_cli("person", "leave", "thijs", "--repo", example_repo, "--today", TODAY).exit_code == 0
    built = run_cli("build", "--repo", example_repo, "--only", "managers/sanne", "--out", tmp_path / "site",
                    "--today", TODAY, "--jobs", "1")
    assert built.exit_code == 0, built.stderr
    site = tmp_path / "site/managers/sanne"
    team_page = (site / "index.html").read_text(encoding="utf-8")
    assert "Thijs van Dijk</a><br><span class=\"dt-muted\">vertrokken op 27 november 2026</span>" in team_page
    assert "Daan Bakker</a></td>" in team_page
    preparation = (site / "preparation.html").read_text(encoding="utf-8")
    article = preparation[preparation.index("<article"):preparation.index("</article>")]
    assert "Daan Bakker" in article and "Thijs" not in article
    assert (site / "thijs/index.html").is_file()
