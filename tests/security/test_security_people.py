"""What belongs to whom: HR's minimum group size counts people, and a commit's subject is shown to its own person only."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from devtalks.read.load import load
from devtalks.site.facts import Facts
from devtalks.site.pages import hr_site
from tests.conftest import EXAMPLE_TODAY, copy_example
from tests.gitflow.conftest import commit, edit
from tests.gitflow.test_org import publish

TODAY = EXAMPLE_TODAY.isoformat()
CYCLE = "cycles/2026-autumn.yaml"
WELLBEING = "How are you doing, all things considered?"


def signal_rows(page: str, question: str) -> list[tuple[str, str]]:
    """(row kind, what the answers column shows) of one question's table on an HR cycle page."""
    section = page.split(f"### {question}", 1)[1].split("###", 1)[0]
    return re.findall(r'<tr class="dt-row-(\w+)">.*?<td>([^<]*)</td></tr>', section)


def test_a_participant_listed_five_times_is_an_error_and_counts_once(example_repo, run_cli, tmp_path):
    edit(example_repo / CYCLE, "participants: all", "participants: [daan, daan, daan, daan, daan]")
    result = run_cli("validate", "--repo", example_repo, "--format", "json", "--today", TODAY)
    assert result.exit_code == 1
    assert [(d["path"], d["line"], d["code"], d["message"]) for d in json.loads(result.stdout) if d["code"] != "DT208"] == [
        (CYCLE, 9, "DT400", "participant `daan` is listed twice")] * 4
    built = run_cli("build", "--repo", example_repo, "--out", tmp_path / "site", "--only", "hr", "--today", TODAY)
    assert built.exit_code == 1 and not (tmp_path / "site" / "hr").exists()

    # Even past validation, Daan's own answer is one person's: hidden, never an average over five.
    pages = hr_site([Facts(load(example_repo, keep_parsed=False), EXAMPLE_TODAY)], "en").pages
    assert signal_rows(pages["cycles/2026-autumn.md"], WELLBEING) == [("team", "–")]  # one team: no total repeats it


def test_one_repository_listed_five_times_in_org_yaml_is_an_error_and_counts_once(tmp_path):
    alpha = copy_example(tmp_path / "work" / "alpha")
    edit(alpha / CYCLE, "participants: all", "participants: [daan]")
    publish(alpha, tmp_path / "remotes" / "alpha.git")
    hr = tmp_path / "hr"
    hr.mkdir()
    teams = "".join(f"  - repo: {repo}\n    name: team-{i}\n" for i, repo in enumerate(
        ["../remotes/alpha.git", "../remotes/alpha.git/", f"file://{tmp_path / 'remotes' / 'alpha.git'}",
         "../remotes/alpha", "../remotes/alpha.git"]))
    (hr / "org.yaml").write_text(f"name: Voorbeeld BV\nteams:\n{teams}", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "devtalks.cli", "build", "--org", str(hr / "org.yaml"),
                             "--repo", str(hr), "--out", str(tmp_path / "site"), "--today", TODAY],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert [line.split(" is listed")[0] for line in result.stderr.splitlines()[1:]] == [
        "  org.yaml:5:11: repository `../remotes/alpha.git/`", f"  org.yaml:7:11: repository `file://{tmp_path}/remotes/alpha.git`",
        "  org.yaml:9:11: repository `../remotes/alpha`", "  org.yaml:11:11: repository `../remotes/alpha.git`"]
    assert not (tmp_path / "site").exists()

    # Even past org.yaml's check, the same people five times are the same people: Daan alone, hidden.
    ws = load(alpha, keep_parsed=False)
    pages = hr_site([Facts(ws, EXAMPLE_TODAY, f"team-{i}") for i in range(5)], "en").pages
    assert {shown for _, shown in signal_rows(pages["cycles/2026-autumn.md"], WELLBEING)} == {"–"}


NOOR = """  - id: noor
    name: Noor El Amrani
    email: noor.elamrani@example.com
    github: noorelamrani
    role: Junior platform engineer
    manager: sanne
"""


def history_rows(page: str) -> list[tuple[str, str]]:
    """(author, change) of each row of a talk page's history table."""
    table = page.split('class="dt-table dt-history"', 1)[1].split("</table>", 1)[0]
    return [(html.unescape(author), html.unescape(message)) for author, message in
            re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>", table)]


def test_a_commit_that_changed_other_peoples_files_keeps_its_subject_off_a_talk_page_and_an_export(
        team_git, run_cli, tmp_path):
    root = Path(team_git.working_tree_dir)
    for who in ("daan", "fleur"):
        edit(root / f"talks/{who}/2026-spring.yaml", "\n", "\n# looked at again\n")
    commit(team_git, "Daan's follow-up, Fleur's preparation (she asked for a raise)", "sanne", "2026-11-20")
    edit(root / "talks/daan/2026-spring.yaml", "\n", "\n# and once more\n")
    commit(team_git, "Daan's follow-up", "daan", "2026-11-21")
    edit(root / "talks/daan/2026-spring.yaml", "\n", "\n# with a note\n")
    (root / "talks/daan/notes").mkdir()
    (root / "talks/daan/notes/x.txt").write_text("not a note")
    commit(team_git, "Daan's follow-up and a note about him", "sanne", "2026-11-22")
    (root / "talks/daan/notes/x.txt").unlink()
    commit(team_git, "No note after all", "sanne", "2026-11-22")

    assert run_cli("build", "--repo", root, "--out", tmp_path / "site", "--only", "people/daan",
                   "--today", TODAY).exit_code == 0
    page = (tmp_path / "site" / "people" / "daan" / "talks" / "2026-spring.html").read_text()
    shared = ("Sanne de Vries", "gewijzigd samen met andere bestanden")  # the team's sites speak Dutch
    assert history_rows(page) == [shared, ("Daan Bakker", "Daan's follow-up"), shared, shared]

    zipped = tmp_path / "daan.zip"
    assert run_cli("person", "export", "daan", "--repo", root, "--out", zipped, "--today", TODAY).exit_code == 0
    patch = zipfile.ZipFile(zipped).read("daan-export/history.patch").decode()
    assert "    Daan's follow-up\n" in patch and "# and once more" in patch
    assert "raise" not in patch and "note about him" not in patch and "The example team" not in patch
    assert patch.count("    (changed with other files)\n") == 3


def test_an_id_that_belonged_to_someone_else_is_an_error_until_said_and_exports_only_its_new_history(
        team_git, run_cli, tmp_path):
    root = Path(team_git.working_tree_dir)
    team = (root / "team.yaml").read_text(encoding="utf-8")
    edit(root / "team.yaml", "people:\n", "people: [\n")
    commit(team_git, "A slip in team.yaml", "sanne", "2026-04-01")
    (root / "team.yaml").write_text(team, encoding="utf-8")
    commit(team_git, "The slip fixed", "sanne", "2026-04-01")
    assert run_cli("validate", "--repo", root, "--today", TODAY).exit_code == 0, "a broken version takes nobody out"
    edit(root / "talks/noor/2026-autumn.yaml", "\n", "\n# the first Noor's own words\n")
    commit(team_git, "Noor's preparation, in her words", "daan", "2026-06-01")
    edit(root / "team.yaml", NOOR, "")
    shutil.rmtree(root / "talks/noor")
    removed = commit(team_git, "Noor leaves", "sanne", "2026-07-01")
    assert run_cli("validate", "--repo", root, "--today", TODAY).exit_code == 0
    new_noor = ("person", "add", "--id", "noor", "--name", "Noor Bakker", "--email", "noor.bakker@example.com",
                "--manager", "sanne", "--repo", root, "--today", TODAY)
    refused = run_cli(*new_noor)
    assert refused.exit_code == 1 and (f"`noor` was someone else's id, taken out of team.yaml in {removed.hexsha[:7]} "
                                       "on 2026-07-01; choose another id, or pass --reuse-id") in refused.stderr
    said = run_cli(*new_noor, "--reuse-id", "--dry-run")
    assert said.exit_code == 0 and f"+    reused_id_since: {TODAY}" in said.stdout

    edit(root / "team.yaml", "  - id: thijs\n", NOOR.replace("El Amrani", "Bakker").replace("elamrani", "bakker")
         .replace("github: noorelamrani\n", "") + "  - id: thijs\n")
    result = run_cli("validate", "--repo", root, "--today", TODAY)
    assert result.exit_code == 1
    line = (root / "team.yaml").read_text().splitlines().index("  - id: noor") + 1
    assert (f"team.yaml:{line}:9: error DT211: id `noor` belonged to someone else: it was taken out of team.yaml in "
            f"{removed.hexsha[:7]} on 2026-07-01 and put back here; that person's talks and commits under talks/noor/ "
            f"are not this person's — give the new person an id of their own, or add `reused_id_since: {TODAY}`"
            ) in result.stdout
    back = commit(team_git, "A new Noor joins", "sanne", "2026-11-02")
    assert (f"put back in {back.hexsha[:7]} on 2026-11-02" in run_cli("validate", "--repo", root, "--today", TODAY).stdout)
    edit(root / "team.yaml", "    email: noor.bakker@example.com\n",
         "    email: noor.bakker@example.com\n    reused_id_since: 2026-06-15\n")
    result = run_cli("validate", "--repo", root, "--today", TODAY)
    assert result.exit_code == 1 and "DT211" in result.stdout, "a day before the first Noor left says too little"
    edit(root / "team.yaml", "reused_id_since: 2026-06-15", "reused_id_since: 2026-11-02")
    assert run_cli("validate", "--repo", root, "--today", TODAY).stdout.startswith("ok: ")
    commit(team_git, "Noor's id is hers since 2 November", "sanne", "2026-11-03")

    (root / "talks/noor").mkdir()
    (root / "talks/noor/checkin-2026-11-20.yaml").write_text("template_version: 1\n", encoding="utf-8")
    commit(team_git, "Noor's first check-in", "sanne", "2026-11-20")
    (root / "talks/noor/2026-autumn.yaml").write_text("template_version: 1\n", encoding="utf-8")
    commit(team_git, "Noor's first talk", "sanne", "2026-11-21")
    zipped = tmp_path / "noor.zip"
    result = run_cli("person", "export", "noor", "--repo", root, "--out", zipped, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    patch = zipfile.ZipFile(zipped).read("noor-export/history.patch").decode()
    assert "Noor's first check-in" in patch
    assert "Noor's first talk" in patch
    assert "first Noor" not in patch and "in her words" not in patch and "El Amrani" not in patch
    talk_page = zipfile.ZipFile(zipped).read("noor-export/site/talks/2026-autumn.html").decode()
    assert history_rows(talk_page) == [("Sanne de Vries", "Noor's first talk")]
