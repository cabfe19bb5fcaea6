"""A file whose status is as when it was last read is not read again; any edit, however it hides, is seen."""

from __future__ import annotations

import json
import os
import time

import pytest

from devtalks.errors import DevtalksError
from devtalks.read import snapshot
from devtalks.read.snapshot import read
from devtalks.state import state_dir
from tests.validate.test_cases import team_with, validate

TALK = "talks/ella/2026-q1.yaml"


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (not two seconds after they were written), so a test need not wait."""
    monkeypatch.setattr(snapshot, "SETTLED_NS", 0)
    time.sleep(0.01)  # past the clock tick of the files the test wrote just before


def test_an_unchanged_file_is_not_read_again_and_the_verdict_is_the_same(settled, tmp_path, run_cli):
    repo = team_with(tmp_path)
    first = read(repo, remember=True)
    again = read(repo, remember=True)
    # team.yaml alone is read every time: it says whose talks live in a repository of their own (the person layout)
    assert [f.rel for f in again.files if f.content is None] == [f.rel for f in first.files if f.kind != "team"]
    assert again.fingerprint("day") == first.fingerprint("day") == read(repo).fingerprint("day")
    assert [f.raw for f in again.files] == [f.raw for f in first.files]  # read on demand, the same bytes
    assert validate(run_cli, repo) == validate(run_cli, repo, "--no-cache") == (0, [])


def test_an_edit_that_keeps_the_size_and_the_time_of_the_file_is_still_seen(settled, tmp_path, run_cli):
    repo = team_with(tmp_path)
    talk = repo / TALK
    assert validate(run_cli, repo) == (0, [])
    before = talk.stat()
    text = talk.read_bytes()
    broken = text.replace(b"template_version: 2", b"template_version: x", 1)
    assert broken != text and len(broken) == len(text)
    time.sleep(0.01)
    talk.write_bytes(broken)
    os.utime(talk, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or an unpacked archive would
    code, found = validate(run_cli, repo)
    assert code == 1 and [(d["path"], d["code"]) for d in found] == [(TALK, "DT102")]
    assert (code, found) == validate(run_cli, repo, "--no-cache")


def test_a_file_changed_after_it_was_looked_at_stops_the_command_with_the_reason(settled, tmp_path):
    repo = team_with(tmp_path)
    read(repo, remember=True)
    snap = read(repo, remember=True)
    talk = next(f for f in snap.files if f.rel == TALK)
    assert talk.content is None
    (repo / TALK).write_bytes((repo / TALK).read_bytes() + b"# one more line\n")
    with pytest.raises(DevtalksError, match=f"{TALK} changed while devtalks was reading the repository; run the "
                                            "command again"):
        talk.raw


def test_a_file_changed_within_the_last_two_seconds_is_read_every_time(tmp_path, monkeypatch):
    repo = team_with(tmp_path)
    time.sleep(0.3)
    (repo / TALK).write_bytes((repo / TALK).read_bytes() + b"# just now\n")
    monkeypatch.setattr(snapshot, "SETTLED_NS", 200_000_000)  # the copy is older than that, the edit is not
    read(repo, remember=True)
    snap = read(repo, remember=True)
    assert next(f for f in snap.files if f.rel == TALK).content is not None
    assert [f.rel for f in snap.files if f.content is None] == [f.rel for f in snap.files if f.rel not in (TALK, "team.yaml")]


@pytest.mark.parametrize("kept", ["{not json", json.dumps({"kind": "seen-files", "value": {TALK: "not a status"}}),
                                  json.dumps({"kind": "seen-files", "value": {TALK: [1, 2, 3, 4, 5]}})])
def test_a_damaged_memory_of_files_is_a_miss(kept, settled, tmp_path, run_cli):
    repo = team_with(tmp_path)
    (repo / TALK).write_bytes((repo / TALK).read_bytes().replace(b"template_version: 2", b"template_version: x", 1))
    read(repo, remember=True)
    state_dir(repo, "seen").write_text(kept)
    code, found = validate(run_cli, repo)
    assert code == 1 and [(d["path"], d["code"]) for d in found] == [(TALK, "DT102")]
