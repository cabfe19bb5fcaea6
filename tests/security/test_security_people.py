"""What belongs to whom: HR's minimum group size counts people, and a commit's subject is shown to its own person only."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from devtalks.load import load
from devtalks.site.facts import Facts
from devtalks.site.pages import hr_site
from tests.conftest import EXAMPLE_TODAY, ROOT, copy_example
from tests.gitflow.conftest import edit
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
    assert signal_rows(pages["cycles/2026-autumn.md"], WELLBEING) == [("team", "–"), ("dept", "–"), ("all", "–")]


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
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert [line.split(" is listed")[0] for line in result.stderr.splitlines()[1:]] == [
        "  org.yaml:5:11: repository `../remotes/alpha.git/`", f"  org.yaml:7:11: repository `file://{tmp_path}/remotes/alpha.git`",
        "  org.yaml:9:11: repository `../remotes/alpha`", "  org.yaml:11:11: repository `../remotes/alpha.git`"]
    assert not (tmp_path / "site").exists()

    # Even past org.yaml's check, the same people five times are the same people: Daan alone, hidden.
    ws = load(alpha, keep_parsed=False)
    pages = hr_site([Facts(ws, EXAMPLE_TODAY, f"team-{i}") for i in range(5)], "en").pages
    assert {shown for _, shown in signal_rows(pages["cycles/2026-autumn.md"], WELLBEING)} == {"–"}
