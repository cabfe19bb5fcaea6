"""devtalks' own test workflow: every test on Linux, macOS and Windows, with Python 3.11 and 3.13; it passes the GitHub
workflow schema and zizmor's security audit without a medium or high finding."""

from __future__ import annotations

import json
import shutil
import subprocess

import yaml

from tests.conftest import ROOT, need

FLOW = ROOT / ".github" / "workflows" / "tests.yml"


def test_the_tests_run_on_three_systems_and_two_pythons_with_read_rights_only():
    flow = yaml.safe_load(FLOW.read_text(encoding="utf-8"))
    job = flow["jobs"]["tests"]
    assert job["strategy"]["matrix"] == {"os": ["ubuntu-latest", "macos-latest", "windows-latest"],
                                         "python": ["3.11", "3.13"]}
    assert job["strategy"]["fail-fast"] is False and job["runs-on"] == "${{ matrix.os }}"
    assert flow["permissions"] == {} and job["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in job["steps"]]
    assert runs[-1] == "python -m pytest"  # the README's test command, so every test runs
    assert any('pip install -e ".[test]"' in r for r in runs)
    assert any("playwright install" in r and "DEVTALKS_CHROMIUM" in r for r in runs)  # the browser tests' Chromium
    checkouts = [s for s in job["steps"] if "checkout" in s.get("uses", "")]
    assert checkouts and all(s.get("with", {}).get("persist-credentials") is False for s in checkouts)


def test_the_workflow_passes_the_github_workflow_schema():
    need("check-jsonschema")
    proc = subprocess.run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(FLOW)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing_of_medium_or_high_severity(tmp_path):
    need("zizmor")
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    shutil.copy(FLOW, folder / FLOW.name)
    proc = subprocess.run(["zizmor", "--offline", "--format", "json", str(folder)], capture_output=True, text=True)
    findings = json.loads(proc.stdout)
    assert [(f["ident"], f["determinations"]["severity"]) for f in findings
            if f["determinations"]["severity"] in ("Medium", "High")] == [], proc.stdout
    assert proc.returncode == 0, proc.stderr
