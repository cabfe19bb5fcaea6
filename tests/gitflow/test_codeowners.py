"""`devtalks codeowners`: a talk folder is reviewed by its person and their manager."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.conftest import edit

TODAY = EXAMPLE_TODAY.isoformat()
NEW_PERSON = """  - id: ilse
    name: Ilse de Boer
    email: ilse.deboer@example.com
    github: ilsedeboer
    manager: sanne
"""


def test_each_talk_folder_is_owned_by_the_person_and_their_manager(example_repo, run_cli):
    result = run_cli("codeowners", "--repo", example_repo)
    assert result.exit_code == 0 and "wrote .github/CODEOWNERS" in result.stdout
    rules = [line.split() for line in (example_repo / ".github/CODEOWNERS").read_text().splitlines()
             if line and not line.startswith("#")]
    assert ["/talks/daan/", "@daanbakker", "@sannedevries"] in rules
    assert ["/talks/sanne/", "@sannedevries", "hr@example.com"] in rules
    assert ["/question_templates/", "hr@example.com"] in rules and ["/cycles/", "hr@example.com"] in rules
    assert rules[0] == ["*", "@sannedevries"]
    assert run_cli("codeowners", "--repo", example_repo).stdout.strip() == ".github/CODEOWNERS is up to date"


def test_validate_and_check_report_a_codeowners_that_no_longer_matches(example_repo, run_cli):
    run_cli("codeowners", "--repo", example_repo)
    edit(example_repo / "team.yaml", "  - id: daan\n", NEW_PERSON + "  - id: daan\n")
    edit(example_repo / "team.yaml", "github: fleurjansen", "github: fleur-j")
    result = run_cli("validate", "--repo", example_repo, "--today", TODAY)
    assert result.exit_code == 1
    assert (".github/CODEOWNERS:1:1: error DT600: no owners for /talks/ilse/; team.yaml gives @ilsedeboer @sannedevries"
            in result.stdout)
    assert (".github/CODEOWNERS:9:1: error DT600: /talks/fleur/ is owned by @fleurjansen @sannedevries, "
            "but team.yaml gives @fleur-j @sannedevries — run `devtalks codeowners` to write it from team.yaml"
            in result.stdout)
    assert run_cli("codeowners", "--repo", example_repo, "--check").exit_code == 1
    assert run_cli("codeowners", "--repo", example_repo).exit_code == 0
    assert run_cli("codeowners", "--repo", example_repo, "--check").exit_code == 0
    assert run_cli("validate", "--repo", example_repo, "--today", TODAY).exit_code == 0


def test_a_person_who_left_and_a_hand_written_line_are_reported(example_repo, run_cli):
    run_cli("codeowners", "--repo", example_repo)
    owners = example_repo / ".github/CODEOWNERS"
    owners.write_text(owners.read_text() + "/talks/karel/  @karel\n")
    result = run_cli("codeowners", "--repo", example_repo, "--check")
    assert result.exit_code == 1
    assert ".github/CODEOWNERS:14:1: error DT600: /talks/karel/ is not in team.yaml's rules" in result.stdout


def test_a_repository_without_codeowners_validates_without_it(example_repo, run_cli):
    assert run_cli("validate", "--repo", example_repo, "--today", TODAY).exit_code == 0
    result = run_cli("codeowners", "--repo", example_repo, "--check")
    assert result.exit_code == 1 and "DT600: the file is missing" in result.stdout


def test_the_codeowners_check_keeps_gitpython_out_of_validate(example_repo, run_cli):
    run_cli("codeowners", "--repo", example_repo)
    code = ("import sys; from devtalks.cli import main; "
            f"rc = main(['validate', '--repo', {str(example_repo)!r}, '--today', '{TODAY}']); "
            "print(rc, 'git' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip().splitlines()[-1] == "0 False"
