"""Files parsed by an earlier run are read back from devtalks' cache folder, exactly as they parsed.

The store holds plain JSON, so what YAML gives and JSON lacks (dates, times, number and
true/false keys) is tagged; these tests show each comes back as it was, that other bytes or a
damaged entry are a miss, and that what cannot be stored faithfully is not stored at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from devtalks.read.load import load
from devtalks.read.yamlsource import ParsedStore, parse
from devtalks.state import state_dir
from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.conftest import edit

TODAY = EXAMPLE_TODAY.isoformat()
BROKEN = "talks/noor/2026-autumn.yaml"
TRICKY = """\
held: 2026-03-01
at: 2026-03-01 09:30:00+02:00
naive: 2026-03-01T09:30:00.250000
scores: {3: three, 4: [2, 2.5, .inf], true: yes-key, "\\0tagged": kept}
"\\0date": not a tag
nested:
  - {when: 2027-01-31, what: null, ok: false}
  - plain
text: "2026-03-01"
"""


def shape(value):
    """The value with every type spelled out: 1, 1.0 and True compare equal, but are not the same data."""
    if isinstance(value, dict):
        return {(type(k).__name__, k): shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    return type(value).__name__, value, getattr(value, "tzinfo", None)


def test_dates_times_and_keys_that_are_not_text_come_back_as_they_parsed(tmp_path):
    store = ParsedStore(tmp_path)
    src = parse("talks/daan/2026-spring.yaml", TRICKY.encode())
    assert src.diagnostics == [] and isinstance(src.data["held"], dt.date)
    store.keep([src])
    back = store.get(src.path, src.raw)
    assert back is not src and shape(back.data) == shape(src.data)
    assert back.data["scores"][3] == "three" and back.data["scores"][True] == "yes-key"
    assert back.data["at"].utcoffset() == dt.timedelta(hours=2) and back.data["text"] == "2026-03-01"
    assert back.where(("nested", 0, "when")) == (7, 12)  # positions still come from the bytes


def test_other_bytes_at_the_same_path_are_a_miss(tmp_path):
    store = ParsedStore(tmp_path)
    store.keep([parse("team.yaml", b"team: {id: a}\n")])
    assert store.get("team.yaml", b"team: {id: b}\n") is None
    assert store.get("cycles/x.yaml", b"team: {id: a}\n") is None
    assert store.get("team.yaml", b"team: {id: a}\n").data == {"team": {"id": "a"}}


@pytest.mark.parametrize("text", ["rating: .nan\n", 'summary: "\\ud800"\n', "a: [1\n", "a: 1\na: 2\n"])
def test_what_cannot_be_kept_faithfully_or_has_a_problem_is_not_kept(text, tmp_path):
    """NaN equals nothing, a lone surrogate has no UTF-8 form, and a file with a problem is reported anew each run."""
    store = ParsedStore(tmp_path)
    src = parse("talks/daan/2026-spring.yaml", text.encode())
    store.keep([src])
    assert store.get(src.path, src.raw) is None
    assert not os.path.isdir(store.folder) or os.listdir(store.folder) == []


@pytest.mark.parametrize("damage", [
    b"", b"{", b"\xff", b'{"kind": "parsed-folder"}', "unknown-tag", "bad-pairs", "unhashable-key", "bad-date",
    "no-digest", "other-version", "not text", "not JSON", "not a folder",
])
def test_a_damaged_entry_is_a_miss_and_the_file_is_parsed_again(damage, example_repo, run_cli):
    edit(example_repo / BROKEN, "wellbeing: 4", "wellbeing: 9")
    assert run_cli("validate", "--repo", example_repo, "--today", TODAY).exit_code == 1
    entry = Path(ParsedStore(example_repo).folder) / ParsedStore._name("")  # the top folder's files: team.yaml
    doc = json.loads(entry.read_text())
    value = json.loads(doc["value"]["team.yaml"])

    def team(found: object) -> dict:
        return {**doc, "value": {**doc["value"], "team.yaml": found}}
    variants = {
        "unknown-tag": team(json.dumps({**value, "data": {"\x00pickle": "x"}})),
        "bad-pairs": team(json.dumps({**value, "data": {"\x00map": [[1]]}})),
        "unhashable-key": team(json.dumps({**value, "data": {"\x00map": [[[1], 2]]}})),
        "bad-date": team(json.dumps({**value, "data": {"team": {"\x00date": "2026-02-30"}}})),
        "no-digest": team(json.dumps({"data": value["data"]})),
        "other-version": {**doc, "devtalks": "0.0.0"},
        "not text": team(value),
        "not JSON": team("{"),
        "not a folder": {**doc, "value": [doc["value"]]},
    }
    entry.write_bytes(damage if isinstance(damage, bytes) else json.dumps(variants[damage]).encode())
    assert ParsedStore(example_repo).get("team.yaml", (example_repo / "team.yaml").read_bytes()) is None
    result = run_cli("validate", "--repo", example_repo, "--today", TODAY, "--no-cache")
    assert (result.exit_code, result.stderr) == (1, "") and f"{BROKEN}:" in result.stdout and "DT205" in result.stdout
    assert load(example_repo).team == load(example_repo, keep_parsed=False).team


def test_a_second_load_reads_every_file_back_into_the_same_workspace(example_repo):
    first = load(example_repo)
    store = ParsedStore(example_repo)
    kept = [rel for rel, src in first.sources.items() if store.get(rel, src.raw) is not None]
    assert "team.yaml" in kept and any(rel.startswith("talks/") for rel in kept)
    second = load(example_repo)
    assert (second.team, second.templates, second.cycles, second.talks, second.checkins) == \
        (first.team, first.templates, first.cycles, first.talks, first.checkins)
    assert sorted(d.sort_key() for d in second.diagnostics) == sorted(d.sort_key() for d in first.diagnostics)


def test_validate_keeps_only_the_shared_files_and_no_cache_keeps_nothing(example_repo, run_cli):
    run_cli("validate", "--repo", example_repo, "--today", TODAY, "--no-cache")
    assert not state_dir(example_repo, "parsed").exists()
    run_cli("validate", "--repo", example_repo, "--today", TODAY)
    store = ParsedStore(example_repo)
    assert store.get("team.yaml", (example_repo / "team.yaml").read_bytes()) is not None
    talk = "talks/daan/2026-autumn.yaml"
    assert store.get(talk, (example_repo / talk).read_bytes()) is None


def test_a_deleted_files_entry_goes_at_the_next_whole_load_and_a_partial_load_keeps_the_rest(example_repo):
    load(example_repo)
    folder = state_dir(example_repo, "parsed")
    kept = set(os.listdir(folder))
    rel, other = "talks/daan/2026-autumn.yaml", "talks/fleur/2026-autumn.yaml"
    raw = (example_repo / rel).read_bytes()
    (example_repo / rel).unlink()
    shutil.rmtree(example_repo / "talks/jeroen")
    load(example_repo, only=[other])
    assert set(os.listdir(folder)) == kept and ParsedStore(example_repo).get(rel, raw) is not None, \
        "a hook's load sees only some files and deletes no entry"
    load(example_repo)
    assert ParsedStore(example_repo).get(rel, raw) is None
    assert len(os.listdir(folder)) == len(kept) - 1, "Jeroen's folder is gone, and so is its entry"
    assert ParsedStore(example_repo).get(other, (example_repo / other).read_bytes()) is not None


def test_a_file_that_cannot_be_kept_does_not_keep_its_neighbours_from_being_kept(tmp_path):
    store = ParsedStore(tmp_path)
    good = parse("talks/daan/2026-spring.yaml", b"held: 2026-03-01\n")
    lone = parse("talks/daan/\udcff.yaml", b"held: 2026-09-01\n")  # a file name whose bytes are not UTF-8
    store.keep([good, lone])
    again = ParsedStore(tmp_path)
    assert again.get(good.path, good.raw) is not None and again.get(lone.path, lone.raw) is None
