"""The shipped sites workflow: a shard matrix whose artifacts merge into one, schema-valid and audit-clean."""

from __future__ import annotations

import json
import shutil
import subprocess

import yaml

from tests.conftest import ROOT, need

FLOW = ROOT / ".github" / "workflows" / "sites.yml"


def test_sites_build_in_a_matrix_of_shards_and_publish_one_artifact():
    flow = yaml.safe_load(FLOW.read_text())
    build = flow["jobs"]["build"]
    shards = build["strategy"]["matrix"]["shard"]
    run = next(s["run"] for s in build["steps"] if "devtalks build" in s.get("run", ""))
    assert f'/{len(shards)}"' in run and "--shard" in run
    assert build["permissions"] == {"contents": "read"} and flow["permissions"] == {}
    publish = flow["jobs"]["publish"]
    assert publish["needs"] == "build"
    uploads = [s for s in publish["steps"] if "upload-artifact" in s.get("uses", "")]
    assert uploads and uploads[0]["with"]["name"] == "sites"


def test_the_workflow_passes_the_schema_and_zizmor(tmp_path):
    need("check-jsonschema")
    need("zizmor")
    proc = subprocess.run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(FLOW)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    shutil.copy(FLOW, folder / FLOW.name)
    proc = subprocess.run(["zizmor", "--offline", "--format", "json", str(folder)], capture_output=True, text=True)
    assert json.loads(proc.stdout) == [], proc.stdout
