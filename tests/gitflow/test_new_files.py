"""`devtalks cycle new` and `devtalks checkin new`: files nobody writes by hand, which validate accepts as written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from devtalks.progress import agreements, participants
from devtalks.read.load import load
from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.conftest import edit

TODAY = EXAMPLE_TODAY.isoformat()
EVERYONE = ["daan", "fleur", "jeroen", "lotte", "noor", "thijs"]


def strict(run_cli, root: Path, today: str = TODAY):
    result = run_cli("validate", "--repo", root, "--strict", "--today", today)
    assert result.exit_code == 0, result.stdout + result.stderr
    return result


def test_cycle_new_writes_a_commented_cycle_that_validates_and_opens(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    result = run_cli("cycle", "new", "2027-spring", "--opens", "2027-03-01", "--talks-by", "2027-04-09",
                     "--repo", root, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("wrote cycles/2027-spring.yaml\n")
    assert "then `devtalks cycle open 2027-spring`" in result.stdout
    lines = (root / "cycles/2027-spring.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schemas/cycle.schema.json"
    assert 'title: "Ontwikkelingsgesprekken voorjaar 2027"' in lines
    # the dates not given are two weeks from the ones that were, each under the comment that says what it means
    assert lines[lines.index("prepare_by: 2027-03-26") - 1] == "# Vóór deze datum hebben beide kanten zich voorbereid,"
    assert "talks_by: 2027-04-09" in lines and "plan_by: 2027-04-23" in lines and "template: default" in lines
    assert lines[-1] == "participants: all" and lines[-3].startswith("# Wie meedoet: `all` is iedereen in team.yaml")
    strict(run_cli, root)
    cycle = load(root).cycles["2027-spring"]
    assert participants(load(root), cycle) == EVERYONE
    opened = run_cli("cycle", "open", "2027-spring", "--repo", root, "--today", "2027-03-01")
    assert opened.exit_code == 0 and "6 talk files written" in opened.stdout
    strict(run_cli, root, "2027-03-01")


@pytest.mark.parametrize("language, title, comment", [
    ("en", 'title: "Development talks autumn 2027"', "# A round of development talks. Open it with "
                                                     "`devtalks cycle open 2027-autumn`,"),
    ("sv", 'title: "Utvecklingssamtal hösten 2027"', "# En omgång utvecklingssamtal. Öppna den med "
                                                     "`devtalks cycle open 2027-autumn`,"),
])
def test_cycle_new_speaks_the_teams_language_and_names_itself_after_the_half_year(team_git, run_cli, language, title,
                                                                                   comment):
    root = Path(team_git.working_tree_dir)
    edit(root / "team.yaml", "language: nl", f"language: {language}")
    result = run_cli("cycle", "new", "--opens", "2027-09-06", "--repo", root, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    lines = (root / "cycles/2027-autumn.yaml").read_text(encoding="utf-8").splitlines()
    assert title in lines and lines[1] == comment
    assert ["opens: 2027-09-06", "prepare_by: 2027-09-20", "talks_by: 2027-10-04", "plan_by: 2027-10-18"] == \
        [line for line in lines if line.split(":")[0] in ("opens", "prepare_by", "talks_by", "plan_by")]
    strict(run_cli, root)


def test_cycle_new_leaves_out_who_leaves_before_the_talks_and_who_joins_after(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    assert run_cli("person", "leave", "thijs", "--on", "2027-03-20", "--repo", root, "--today", TODAY).exit_code == 0
    assert run_cli("person", "leave", "lotte", "--on", "2027-06-30", "--repo", root, "--today", TODAY).exit_code == 0
    assert run_cli("person", "add", "--id", "mila", "--name", "Mila de Boer", "--email", "mila@example.com",
                   "--manager", "sanne", "--on", "2027-05-03", "--repo", root, "--today", TODAY).exit_code == 0
    result = run_cli("cycle", "new", "2027-spring", "--opens", "2027-03-01", "--talks-by", "2027-04-09",
                     "--repo", root, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert "thijs does not take part: leaves on 2027-03-20" in result.stdout
    assert "mila does not take part: joins on 2027-05-03, after talks-by" in result.stdout
    text = (root / "cycles/2027-spring.yaml").read_text(encoding="utf-8")
    assert text.endswith("# Niet genoemd: thijs (vertrekt op 2027-03-20).\n"
                         "# Niet genoemd: mila (begint op 2027-05-03).\n"
                         "participants:\n  - daan\n  - fleur\n  - jeroen\n  - lotte\n  - noor\n")
    strict(run_cli, root)


@pytest.mark.parametrize("args, message", [
    (["2026-autumn"], "cycles/2026-autumn.yaml exists already: choose another id, or edit that file"),
    (["Voorjaar 2027"], "`Voorjaar 2027` cannot be a cycle id: use lower-case letters, digits, - and _"),
    (["2027-spring", "--template", "defualt"], "there is no question template `defualt` in question_templates/; "
                                               "did you mean `default`?"),
    (["2027-spring", "--opens", "2027-03-01", "--talks-by", "2027-02-01"],
     "talks-by 2027-02-01 is before prepare-by 2027-03-01"),
    (["2027-spring", "--opens", "2027-03-01", "--plan-by", "2027-03-10"], "plan-by 2027-03-10 is before talks-by"),
    (["2027-spring", "--title", "Twee\nregels"], "the new cycles/2027-spring.yaml would not be valid"),
])
def test_cycle_new_refuses_and_writes_nothing(example_repo, run_cli, args, message):
    before = sorted(p.name for p in (example_repo / "cycles").iterdir())
    result = run_cli("cycle", "new", *args, "--repo", example_repo, "--today", TODAY)
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert sorted(p.name for p in (example_repo / "cycles").iterdir()) == before


def test_cycle_new_dry_run_prints_the_file_and_writes_nothing(example_repo, run_cli):
    result = run_cli("cycle", "new", "--opens", "2027-03-01", "--repo", example_repo, "--dry-run", "--today", TODAY)
    assert result.exit_code == 0
    assert "template: default\n" in result.stdout
    assert result.stdout.endswith("participants: all\n(dry run: cycles/2027-spring.yaml was not written)\n")
    assert not (example_repo / "cycles/2027-spring.yaml").exists()


def test_checkin_new_writes_the_questions_and_carries_the_open_agreements_in(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    result = run_cli("checkin", "new", "noor", "--repo", root, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert "wrote talks/noor/checkin-2026-11-27.yaml\n  4 open agreements of noor listed to look at\n" in result.stdout
    text = (root / "talks/noor/checkin-2026-11-27.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:2] == ["# yaml-language-server: $schema=../../schemas/checkin-checkin.schema.json",
                         "# Check-in met Noor El Amrani op 2026-11-27"]
    assert lines[lines.index("  wellbeing:") - 2] == "  # Hoe gaat het met je, alles bij elkaar? (1–5)"
    assert "template_version: 1" in lines and "topics: []" in lines and "follow_ups: []" in lines
    # exactly her open agreements, from talks and check-ins alike
    still_open = [s.agreement.id for s in agreements(load(root), EXAMPLE_TODAY, "noor") if s.is_open]
    listed = [line.split()[2] for line in lines if line.startswith("#   - ")]
    assert listed == still_open and "pairsessie-networkpolicies" in listed and "cka-nieuwe-datum" in listed
    assert not [s for s in agreements(load(root), EXAMPLE_TODAY, "noor") if not s.is_open and s.agreement.id in text]
    strict(run_cli, root)
    assert load(root).checkins[("noor", EXAMPLE_TODAY)].topics == []


def test_a_checkin_on_an_earlier_day_carries_only_what_was_agreed_by_then(example_repo, run_cli):
    result = run_cli("checkin", "new", "noor", "--on", "2026-10-20", "--repo", example_repo, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    text = (example_repo / "talks/noor/checkin-2026-10-20.yaml").read_text(encoding="utf-8")
    assert "cka-nieuwe-datum (checkin-2026-09-29)" in text and "pairsessie-networkpolicies" not in text
    strict(run_cli, example_repo)


def test_a_checkin_without_a_checkin_template_still_validates(example_repo, run_cli):
    edit(example_repo / "team.yaml", "language: nl", "language: en")
    edit(example_repo / "team.yaml", "checkin_template: checkin\n", "")
    assert run_cli("checkin", "new", "daan", "--repo", example_repo, "--today", TODAY).exit_code == 0
    text = (example_repo / "talks/daan/checkin-2026-11-27.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/checkin.schema.json\n"
                           "# Check-in with Daan Bakker on 2026-11-27\n")
    assert "team.yaml names no checkin_template, so there are no questions" in text
    assert "template_version" not in text and "employee:" not in text
    # the example's own check-ins have answers, which need the template; the new one has none
    out = run_cli("validate", "--repo", example_repo, "--strict", "--today", TODAY).stdout
    assert "DT202" in out and "talks/daan/checkin-2026-11-27.yaml" not in out


@pytest.mark.parametrize("args, message", [
    (["nor"], "`nor` is not a person in team.yaml; did you mean `noor`?"),
    (["noor", "--on", "2026-11-03"], "talks/noor/checkin-2026-11-03.yaml exists already; edit that file"),
    (["noor", "--on", "2026-11-28"], "2026-11-28 is in the future: a check-in file is named after the day it is held"),
    (["thijs"], "thijs left on 2026-11-20: no new check-ins with someone who left"),
])
def test_checkin_new_refuses_and_writes_nothing(example_repo, run_cli, args, message):
    assert run_cli("person", "leave", "thijs", "--on", "2026-11-20", "--repo", example_repo,
                   "--today", TODAY).exit_code == 0
    before = sorted(p.relative_to(example_repo) for p in (example_repo / "talks").rglob("*"))
    result = run_cli("checkin", "new", *args, "--repo", example_repo, "--today", TODAY)
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert sorted(p.relative_to(example_repo) for p in (example_repo / "talks").rglob("*")) == before


def test_someone_leaving_later_still_gets_a_checkin_until_that_day(example_repo, run_cli):
    assert run_cli("person", "leave", "thijs", "--on", "2026-12-15", "--repo", example_repo,
                   "--today", TODAY).exit_code == 0
    assert run_cli("checkin", "new", "thijs", "--repo", example_repo, "--today", TODAY).exit_code == 0
    late = run_cli("checkin", "new", "thijs", "--repo", example_repo, "--today", "2026-12-15")
    assert late.exit_code == 1 and "thijs left on 2026-12-15" in late.stderr
    assert dt.date(2026, 12, 15) not in {day for (who, day) in load(example_repo).checkins if who == "thijs"}
