"""The shipped workflows: the example team's copies are the scaffold rendered, and both pass the
GitHub workflow schema and zizmor's security audit without a medium or high finding."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from devtalks.gitflow.init import INSTALL_PLACEHOLDER, REQUIREMENT, SCAFFOLD
from tests.conftest import ROOT, need

TEMPLATES = SCAFFOLD / "workflows"
EXAMPLE = ROOT / ".github" / "workflows"
NAMES = ("reminders.yml", "sites.yml", "validate.yml")


def rendered(install: str) -> dict[str, str]:
    return {name: (TEMPLATES / name).read_text(encoding="utf-8").replace(INSTALL_PLACEHOLDER, install) for name in NAMES}


def team_copies(tmp_path: Path) -> Path:
    """The workflows as `devtalks init` renders them for a new team, with its pip requirement."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, text in rendered(REQUIREMENT).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def load(text: str) -> dict:
    data = yaml.safe_load(text)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_the_example_copies_are_the_rendered_scaffold():
    for name, text in rendered(".").items():
        assert (EXAMPLE / name).read_text(encoding="utf-8") == text, f"{name}: re-render it from {TEMPLATES}"
    assert all(INSTALL_PLACEHOLDER in (TEMPLATES / name).read_text(encoding="utf-8") for name in NAMES)


def test_reminders_run_daily_and_by_hand_with_issue_rights_only_one_at_a_time():
    flow = load((EXAMPLE / "reminders.yml").read_text(encoding="utf-8"))
    assert set(flow["on"]) == {"schedule", "workflow_dispatch"} and flow["on"]["schedule"][0]["cron"]
    assert flow["permissions"] == {}
    job = flow["jobs"]["remind"]
    # contents: read only checks the files out; the one write right is issues.
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    assert flow["concurrency"]["group"] and flow["concurrency"]["cancel-in-progress"] is False
    run = next(s for s in job["steps"] if "devtalks remind" in s.get("run", ""))
    assert run["env"]["GITHUB_TOKEN"] == "${{ github.token }}"
    assert all(s.get("with", {}).get("persist-credentials") is False for s in job["steps"] if "checkout" in s.get("uses", ""))


def test_validation_runs_on_pull_requests_as_annotations():
    flow = load((EXAMPLE / "validate.yml").read_text(encoding="utf-8"))
    assert set(flow["on"]) == {"pull_request"}
    job = flow["jobs"]["validate"]
    assert job["permissions"] == {"contents": "read"}
    assert any(s.get("run") == 'devtalks validate --base "origin/$BASE" --format github'
               and s["env"] == {"BASE": "${{ github.base_ref }}"} for s in job["steps"])


def test_the_workflows_pass_the_github_workflow_schema(tmp_path):
    need("check-jsonschema")
    files = [*(EXAMPLE / n for n in NAMES), *sorted(team_copies(tmp_path).iterdir())]
    proc = subprocess.run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, files)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("where", ["example", "team"])
def test_zizmor_finds_nothing_of_medium_or_high_severity(tmp_path, where):
    need("zizmor")
    if where == "example":
        folder = tmp_path / ".github" / "workflows"
        folder.mkdir(parents=True)
        for name in NAMES:
            shutil.copy(EXAMPLE / name, folder / name)
    else:
        folder = team_copies(tmp_path)
    proc = subprocess.run(["zizmor", "--offline", "--format", "json", str(folder)], capture_output=True, text=True)
    findings = json.loads(proc.stdout)
    serious = [(f["ident"], f["determinations"]["severity"]) for f in findings
               if f["determinations"]["severity"] in ("Medium", "High")]
    assert serious == [], proc.stdout
    assert proc.returncode == 0, proc.stderr
