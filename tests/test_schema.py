"""Editor schemas: generated from the models, committed in schemas/, referenced by every example file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def example_files() -> list[Path]:
    return sorted([ROOT / "team.yaml", *(ROOT / "question_templates").glob("*.yaml"),
                   *(ROOT / "cycles").glob("*.yaml"), *(ROOT / "talks").glob("*/*.yaml")])


def test_every_example_file_points_at_an_existing_schema():
    for path in example_files():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = SCHEMA_LINE.match(first)
        assert match, f"{path.relative_to(ROOT)} lacks the schema line"
        assert (path.parent / match.group(1)).resolve().is_file(), f"{path.relative_to(ROOT)}: {match.group(1)}"


def test_committed_schemas_are_up_to_date(tmp_path, run_cli):
    result = run_cli("schema", "--repo", ROOT, "--out", tmp_path)
    assert result.exit_code == 0
    fresh = {p.name: p.read_text() for p in tmp_path.iterdir()}
    committed = {p.name: p.read_text() for p in (ROOT / "schemas").iterdir()}
    assert fresh == committed, "run `devtalks schema` and commit schemas/"


def _check_jsonschema(schema: Path, doc: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(doc)],
                          capture_output=True, text=True)


def test_template_schema_knows_question_ids_and_ranges(tmp_path):
    schema = ROOT / "schemas" / "talk-default.schema.json"
    employee = json.loads(schema.read_text())["properties"]["employee"]
    assert {"proud", "wellbeing", "grow-this-year"} <= set(employee["properties"])
    assert employee["properties"]["wellbeing"]["maximum"] == 5
    talk = tmp_path / "talk.yaml"
    good = (ROOT / "talks" / "noor" / "2026-autumn.yaml").read_text(encoding="utf-8")
    talk.write_text(good, encoding="utf-8")
    assert _check_jsonschema(schema, talk).returncode == 0
    talk.write_text(good.replace("  wellbeing: 4", "  wellbeing: 9"), encoding="utf-8")
    result = _check_jsonschema(schema, talk)
    assert result.returncode == 1 and "9 is greater than the maximum of 5" in result.stdout
    talk.write_text(good.replace("  proud: |", "  prowd: |"), encoding="utf-8")
    result = _check_jsonschema(schema, talk)
    assert result.returncode == 1 and "prowd" in result.stdout
