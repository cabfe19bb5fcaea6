"""The validator against example files: tests/validate/cases/{negative,positive}/<case>/.

Each case is a set of files laid over a small valid team (tests/validate/base). A negative
case's `expect` lists `path:line:CODE` lines that must be reported; adding a regression case
is adding a folder.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_TODAY

HERE = Path(__file__).parent
BASE = HERE / "base"
NEGATIVE = sorted((HERE / "cases" / "negative").iterdir())
POSITIVE = sorted((HERE / "cases" / "positive").iterdir())
TALK = "talks/ella/2026-q1.yaml"


def team_with(tmp_path: Path, case: Path | None = None) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    if case is not None:
        shutil.copytree(case / "files", repo, dirs_exist_ok=True)
    return repo


def validate(run_cli, repo: Path, *extra: str) -> tuple[int, list[dict]]:
    result = run_cli("validate", "--repo", repo, "--format", "json", "--today", EXAMPLE_TODAY.isoformat(), *extra)
    assert result.stderr == ""
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("case", NEGATIVE, ids=[c.name for c in NEGATIVE])
def test_negative_case_reports_file_line_and_code(case, tmp_path, run_cli):
    code, found = validate(run_cli, team_with(tmp_path, case))
    reported = {(d["path"], d["line"], d["code"]) for d in found}
    for line in (case / "expect").read_text().split():
        path, lineno, diag = line.split(":")
        assert (path, int(lineno), diag) in reported, f"{line} not in {sorted(reported)}"
    assert all(d["message"] and d["column"] >= 1 for d in found)
    is_error = any(d["severity"] == "error" for d in found)
    assert code == (1 if is_error else 0)


@pytest.mark.parametrize("case", POSITIVE, ids=[c.name for c in POSITIVE])
def test_positive_case_is_clean(case, tmp_path, run_cli):
    code, found = validate(run_cli, team_with(tmp_path, case))
    assert (code, found) == (0, [])


def test_base_team_is_valid(tmp_path, run_cli):
    assert validate(run_cli, team_with(tmp_path)) == (0, [])


def write(repo: Path, rel: str, data: bytes) -> None:
    (repo / rel).parent.mkdir(parents=True, exist_ok=True)
    (repo / rel).write_bytes(data)


@pytest.mark.parametrize("name, data, codes, line", [
    ("not-utf8", b"template_version: 2\nsummary: caf\xe9\n", {"DT001"}, 2),
    ("utf16", "template_version: 2\n".encode("utf-16"), {"DT001"}, 1),
    ("nul-bytes", b"template_version: 2\x00\n", {"DT001"}, 1),
    ("too-large", b"template_version: 2\nsummary: |\n" + b"  lorem ipsum dolor sit amet\n" * 40_000, {"DT005"}, 1),
    # PyYAML 6.0.4's scanner stops at 1,000 open brackets before devtalks counts 32 levels: either
    # limit may fire first, and either way the user is told the nesting is too deep, on line 2
    ("deep-flow-nesting", b"template_version: 2\nsummary: " + b"[" * 200_000 + b"]" * 200_000 + b"\n",
     {"DT006", "DT002"}, 2),
    ("deep-block-nesting", b"template_version: 2\nx:\n" + b"".join(b"  " * i + b"k:\n" for i in range(1, 60)),
     {"DT006"}, 35),
    ("wide-alias-bomb", b"a: &a [" + b"x," * 1000 + b"x]\n" + b"".join(b"k%d: [*a]\n" % i for i in range(1000)),
     {"DT007"}, 1),
])
def test_hostile_bytes_give_one_clear_diagnostic(name, data, codes, line, tmp_path, run_cli):
    repo = team_with(tmp_path)
    write(repo, TALK, data)
    exit_code, found = validate(run_cli, repo)
    assert exit_code == 1
    assert [(d["path"], d["line"]) for d in found] == [(TALK, line)], found
    assert found[0]["code"] in codes and found[0]["severity"] == "error", found
    if "nesting" in name:
        assert "nesting" in found[0]["message"], found


def test_a_talk_saved_as_yml_is_checked_at_its_own_lines(tmp_path, run_cli):
    repo = team_with(tmp_path)
    bad = (repo / TALK).read_text().replace("energy: 4", "energy: 7")
    os.remove(repo / TALK)
    write(repo, TALK.replace(".yaml", ".yml"), bad.encode())
    exit_code, found = validate(run_cli, repo)
    assert exit_code == 1
    assert [(d["path"], d["line"], d["code"]) for d in found] == [(TALK.replace(".yaml", ".yml"), 7, "DT205")]


def test_symlink_out_of_the_repo_is_not_read(tmp_path, run_cli):
    repo = team_with(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text("template_version: 2\nsummary: the salary list\n")
    os.remove(repo / TALK)
    os.symlink(secret, repo / TALK)
    os.symlink(tmp_path, repo / "talks" / "bas")
    exit_code, found = validate(run_cli, repo)
    assert exit_code == 1
    assert {(d["path"], d["code"]) for d in found} == {(TALK, "DT009"), ("talks/bas", "DT009")}
    assert "salary" not in json.dumps(found)


def test_symlink_inside_the_repo_is_fine(tmp_path, run_cli):
    repo = team_with(tmp_path)
    (repo / "shared").mkdir()
    os.replace(repo / TALK, repo / "shared" / "talk.yaml")
    os.symlink(repo / "shared" / "talk.yaml", repo / TALK)
    assert validate(run_cli, repo) == (0, [])


def test_text_output_is_one_line_per_problem_with_hint(tmp_path, run_cli):
    repo = team_with(tmp_path, HERE / "cases" / "negative" / "unknown-key-typo")
    result = run_cli("validate", "--repo", repo, "--today", EXAMPLE_TODAY.isoformat())
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{TALK}:15:1: error DT100: unknown key `agrements` — did you mean `agreements`?",
        "1 error, 0 warnings",
    ]


def test_github_format_is_workflow_annotations(tmp_path, run_cli):
    repo = team_with(tmp_path, HERE / "cases" / "negative" / "scale-out-of-range")
    result = run_cli("validate", "--repo", repo, "--format", "github", "--today", EXAMPLE_TODAY.isoformat())
    assert result.exit_code == 1
    assert result.stdout.strip() == (
        f"::error file={TALK},line=7,col=11,title=DT205::`energy` is a scale from 1 to 5; 7 is out of range. "
        "answer with a number from 1 to 5"
    )


def test_warnings_pass_unless_strict(tmp_path, run_cli):
    repo = team_with(tmp_path, HERE / "cases" / "negative" / "stray-file-in-talks")
    assert validate(run_cli, repo)[0] == 0
    assert validate(run_cli, repo, "--strict")[0] == 1


def test_hook_mode_reads_only_the_given_talk_files(tmp_path, run_cli):
    repo = team_with(tmp_path, HERE / "cases" / "negative" / "unknown-person-folder")
    code, found = validate(run_cli, repo, TALK)
    assert (code, found) == (0, [])
    code, found = validate(run_cli, repo, "talks/zoe/2026-q1.yaml")
    assert code == 1 and found[0]["code"] == "DT200"


def test_changed_team_file_in_hook_mode_checks_every_talk(tmp_path, run_cli):
    repo = team_with(tmp_path, HERE / "cases" / "negative" / "unknown-owner")
    code, found = validate(run_cli, repo, "team.yaml")
    assert code == 1 and [d["path"] for d in found] == [TALK]
