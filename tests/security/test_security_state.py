"""A repository cannot plant devtalks' state: nothing it holds runs code or changes a verdict.

Hostile files go at every path devtalks ever kept state in, and at plausible new ones. Each
payload is shown to be live (it does run when unpickled or loaded as Jinja bytecode), so
the tests would fail if devtalks read any of those paths again.
"""

from __future__ import annotations

import ast
import io
import json
import marshal
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from devtalks import __version__
from devtalks.gitflow import history as dgit
from devtalks.read.snapshot import read
from devtalks.state import state_dir
from tests.conftest import EXAMPLE_TODAY, ROOT
from tests.gitflow.conftest import commit, edit

TODAY = EXAMPLE_TODAY.isoformat()
BROKEN = "talks/noor/2026-autumn.yaml"
# Every place devtalks kept state inside a repository or its default --out, before and now.
PICKLED = [".devtalks-cache/verdicts.pickle", ".devtalks-cache/sources.pickle", ".devtalks-cache/history.pickle",
           ".devtalks-cache/org-workspace.pickle", "site/.devtalks/cache/verdicts.pickle"]
JSON_PLANTS = [".devtalks-cache/verdicts.json", ".devtalks-cache/history.json", "site/.devtalks/verdicts.json",
               ".devtalks/verdicts.json", "verdicts.json"]


class _Touch:
    """Unpickling this runs `touch MARKER`: what an attacker would commit."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def plant_everywhere(repo: Path, marker: Path, clean_verdict: dict) -> None:
    for rel in PICKLED:
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_bytes(pickle.dumps(_Touch(marker)))
    for rel in JSON_PLANTS:
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(json.dumps(clean_verdict))
    (repo / ".devtalks-cache" / "reminders-sent.json").write_text(json.dumps({"date": TODAY, "sent": {}}))


def a_clean_verdict_for(repo: Path) -> dict:
    """What the verdict file would hold if it said the repository, as it is now, has no problem."""
    key = read(repo).fingerprint(TODAY)
    return {"kind": "verdicts", "devtalks": __version__, "value": {key.hex(): []}}


def test_state_planted_at_every_path_runs_nothing_and_the_verdict_is_recomputed(example_repo, tmp_path, run_cli):
    marker = tmp_path / "pwned"
    edit(example_repo / BROKEN, "wellbeing: 4", "wellbeing: 9")
    plant_everywhere(example_repo, marker, a_clean_verdict_for(example_repo))
    result = run_cli("validate", "--repo", example_repo, "--format", "json", "--today", TODAY)
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert any(d["path"] == BROKEN and d["code"] == "DT205" for d in found)
    assert {d["path"] for d in found if d["code"] == "DT403"} == {".devtalks-cache", "site/.devtalks/cache"}
    assert not marker.exists()
    # The verdict devtalks stored for itself is the real one, outside the repository.
    stored = json.loads(state_dir(example_repo, "verdicts.json").read_text())
    assert any(row[0] == BROKEN for rows in stored["value"].values() for row in rows)
    # The hook path, status and a build read the same places: nothing runs there either.
    assert run_cli("validate", "--repo", example_repo, "--today", TODAY, BROKEN).exit_code == 1
    assert "1 file error(s) left out" in run_cli("status", "--repo", example_repo, "--today", TODAY).stderr
    edit(example_repo / BROKEN, "wellbeing: 9", "wellbeing: 4")
    out = example_repo / "site"
    assert run_cli("build", "--repo", example_repo, "--out", out, "--only", "people/noor", "--today", TODAY,
                   "--jobs", "1").exit_code == 0
    assert not marker.exists()
    pickle.loads((example_repo / PICKLED[0]).read_bytes())  # the payload is live: reading it the old way runs it
    assert marker.exists()


def test_a_warning_names_committed_state_and_validation_is_otherwise_clean(example_repo, run_cli):
    (example_repo / ".devtalks-cache").mkdir()
    result = run_cli("validate", "--repo", example_repo, "--today", TODAY)
    assert result.exit_code == 0
    assert result.stdout.startswith(".devtalks-cache:1:1: warning DT403: `.devtalks-cache` looks like devtalks' "
                                    "own state, but devtalks never reads state from a repository; it is ignored")
    assert run_cli("validate", "--repo", example_repo, "--strict", "--today", TODAY).exit_code == 1


@pytest.mark.parametrize("content", [
    b"", b"{", b"\xff\xfe{}", b"[" * 100_000 + b"]" * 100_000, b"null", b'{"kind": "verdicts"}',
    "other-kind", "other-version", "rows-of-wrong-type", "row-too-short", "value-not-a-mapping",
])
def test_a_corrupt_truncated_or_foreign_cache_entry_is_a_miss(content, example_repo, run_cli):
    """Even an entry saying "clean" for the exact key counts for nothing unless it is exactly what devtalks wrote."""
    edit(example_repo / BROKEN, "wellbeing: 4", "wellbeing: 9")
    doc = a_clean_verdict_for(example_repo)
    key = next(iter(doc["value"]))
    variants = {
        "other-kind": {**doc, "kind": "history"},
        "other-version": {**doc, "devtalks": "0.0.0"},
        "rows-of-wrong-type": {**doc, "value": {key: [[BROKEN, "1", 1, "DT205", "x", "", "warning"]]}},
        "row-too-short": {**doc, "value": {key: [["team.yaml", 1, 1]]}},
        "value-not-a-mapping": {**doc, "value": [key]},
    }
    file = state_dir(example_repo, "verdicts.json")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(content if isinstance(content, bytes) else json.dumps(variants[content]).encode())
    result = run_cli("validate", "--repo", example_repo, "--today", TODAY)
    assert (result.exit_code, result.stderr) == (1, "")
    assert f"{BROKEN}:" in result.stdout and "DT205" in result.stdout
    assert run_cli("validate", "--repo", example_repo, "--today", TODAY).exit_code == 1  # and again, from the rewrite


def test_a_planted_history_does_not_move_the_signed_commit_or_hide_a_changed_signed_talk(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    marker = tmp_path / "pwned"
    signed = "talks/daan/2026-autumn.yaml"
    team_git.head.reference = team_git.create_head("change")
    edit(root / signed, "Het RFC-proces loopt.", "Het RFC-proces loopt prima.")
    for rel in (".devtalks-cache/history.pickle", ".devtalks-cache/history.json"):
        (root / rel).parent.mkdir(exist_ok=True)
    (root / ".devtalks-cache/history.pickle").write_bytes(pickle.dumps(_Touch(marker)))
    (root / ".devtalks-cache/history.json").write_text(json.dumps(
        {"kind": "history", "devtalks": __version__, "value": {"head": team_git.head.commit.hexsha, "files": {}}}))
    team_git.git.add("-f", ".devtalks-cache")
    commit(team_git, "Daan rewrites history", "daan", "2026-11-27")
    result = run_cli("validate", "--repo", root, "--base", "main", "--today", TODAY)
    assert result.exit_code == 1 and "DT700" in result.stdout and not marker.exists()


@pytest.mark.parametrize("content", [b"", b"{]", f'{{"kind": "history", "devtalks": "{__version__}", "value": {{"head": 1}}}}'.encode(),
                                     "rows-of-wrong-type"])
def test_a_corrupt_history_cache_is_walked_again(content, team_git):
    root = Path(team_git.working_tree_dir)
    talk = "talks/daan/2026-autumn.yaml"
    edit(root / talk, "Het RFC-proces loopt.", "Het RFC-proces loopt goed.")
    commit(team_git, "Daan: a word", "daan", "2026-11-20")
    truth = [c.sha for c in dgit.talk_history(root, talk)]
    file = state_dir(root, dgit.HISTORY_FILE)
    if content == "rows-of-wrong-type":
        stored = json.loads(file.read_text())
        stored["value"]["files"][talk][0][1] = 20261120
        content = json.dumps(stored).encode()
    file.write_bytes(content)
    dgit._histories.clear()
    assert [c.sha for c in dgit.talk_history(root, talk)] == truth and len(truth) == 2


def test_a_cache_folder_inside_the_repository_is_refused(example_repo, monkeypatch, run_cli):
    monkeypatch.setenv("DEVTALKS_CACHE_DIR", str(example_repo / "cache"))
    result = run_cli("validate", "--repo", example_repo, "--today", TODAY)
    assert result.exit_code == 1
    assert "is inside the repository" in result.stderr and "set DEVTALKS_CACHE_DIR to a folder outside it" in result.stderr
    assert not (example_repo / "cache").exists()


def test_state_is_kept_per_repository_under_the_users_cache_folder(example_repo, tmp_path, monkeypatch, run_cli):
    monkeypatch.delenv("DEVTALKS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert run_cli("validate", "--repo", example_repo, "--today", TODAY).exit_code == 0
    stored = list((tmp_path / "xdg" / "devtalks" / "repos").glob("team-*/verdicts.json"))
    assert len(stored) == 1
    other = tmp_path / "other" / "team"
    other.parent.mkdir()
    os.rename(example_repo, other)
    assert run_cli("validate", "--repo", other, "--today", TODAY).exit_code == 0
    assert len(list((tmp_path / "xdg" / "devtalks" / "repos").glob("team-*/verdicts.json"))) == 2


def test_without_a_home_the_cache_is_a_private_temp_folder_and_a_foreign_one_is_refused(example_repo, tmp_path,
                                                                                        monkeypatch, run_cli):
    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("DEVTALKS_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = tmp_path / f"devtalks-{os.getuid()}"
    assert run_cli("validate", "--repo", example_repo, "--today", TODAY).exit_code == 0
    assert folder.is_dir() and folder.stat().st_mode & 0o777 == 0o700 and list(folder.glob("repos/team-*/verdicts.json"))
    folder.chmod(0o777)  # as if another user had made it first, for everyone to write
    result = run_cli("validate", "--repo", example_repo, "--today", TODAY)
    assert result.exit_code == 1 and "is not a folder only you can write" in result.stderr
    assert "Traceback" not in result.stderr


def test_jinja_bytecode_planted_in_the_output_folder_is_never_loaded(example_repo, tmp_path):
    from jinja2.bccache import bc_magic

    marker = tmp_path / "pwned"
    out = example_repo / "site"

    def build_in_a_new_process() -> None:  # a process of its own: nothing compiled in memory yet
        subprocess.run([sys.executable, "-m", "devtalks.cli", "build", "--repo", str(example_repo), "--out", str(out),
                        "--only", "people/daan", "--today", TODAY, "--jobs", "1", "--force"], capture_output=True)

    build_in_a_new_process()
    assert (out / "people" / "daan" / "index.html").is_file()
    compiled = sorted(state_dir(example_repo, "site", "jinja-sandboxed").glob("__jinja2_*.cache"))
    assert compiled, "the bytecode cache lives in devtalks' own folder"
    assert not [p for p in example_repo.rglob("__jinja2_*")], "and nowhere in the repository or its --out"
    code = marshal.dumps(compile(f"open({str(marker)!r}, 'w').close()", "planted", "exec"))
    planted = out / ".devtalks" / "cache" / "jinja"
    planted.mkdir(parents=True)
    for real in compiled:
        f = io.BytesIO(real.read_bytes()[len(bc_magic):])
        (planted / real.name).write_bytes(bc_magic + pickle.dumps(pickle.load(f), 2) + code)
    build_in_a_new_process()
    assert not marker.exists()
    for hostile in planted.iterdir():  # the payload is live: where devtalks does keep its cache, it would run
        hostile.replace(state_dir(example_repo, "site", "jinja-sandboxed") / hostile.name)
    build_in_a_new_process()
    assert marker.exists()


def test_the_package_has_no_unpickling_or_code_loading():
    """No pickle, marshal, shelve, eval or exec anywhere in devtalks: nothing read is ever turned into code."""
    found = []
    for path in sorted((ROOT / "devtalks").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module.split(".")[0]]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                names = [node.func.id]
            found += [f"{path.relative_to(ROOT)}:{node.lineno}: {n}" for n in names
                      if n in {"pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "eval", "exec"}]
    assert found == []


def test_no_pydantic_plugin_installed_beside_devtalks_sees_a_talk(example_repo, tmp_path):
    """pydantic hands the data of every validation to each plugin that any installed package declares: talk files are
    private, so devtalks runs none. The plugin here is shown to be live: a plain pydantic program runs it."""
    seen = tmp_path / "seen.txt"
    packages = tmp_path / "site-packages"
    (packages / "spy-0.1.dist-info").mkdir(parents=True)
    (packages / "spy-0.1.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: spy\nVersion: 0.1\n")
    (packages / "spy-0.1.dist-info" / "entry_points.txt").write_text("[pydantic]\nspy = spy:plugin\n")
    (packages / "spy.py").write_text(
        "class Spy:\n"
        "    def new_schema_validator(self, schema, schema_type, path, kind, config, settings):\n"
        f"        with open({str(seen)!r}, 'a') as f:\n"
        "            f.write(path.name + '\\n')\n"
        "        return None, None, None\n"
        "plugin = Spy()\n")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join([str(packages), *filter(None, [env.get("PYTHONPATH")])])
    plain = "from pydantic import BaseModel\nclass Answer(BaseModel):\n    text: str\nAnswer(text='hi')\n"
    subprocess.run([sys.executable, "-c", plain], env=env, check=True, timeout=60)
    assert "Answer" in seen.read_text()
    seen.unlink()
    proc = subprocess.run([sys.executable, "-m", "devtalks.cli", "validate", "--no-cache", "--repo", str(example_repo),
                           "--today", TODAY], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert not seen.exists()
