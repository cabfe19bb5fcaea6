"""A build parses only the people whose files changed; its verdict must be the one a full check gives."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from devtalks.check.rules import check
from devtalks.check.validate import check_lazily
from devtalks.read.load import load
from devtalks.state import state_dir
from tests.conftest import EXAMPLE_TODAY
from tests.validate.test_cases import NEGATIVE, team_with, write
from tests.validate.test_parallel import HOSTILE

EARLIER = dt.date(2026, 1, 5)  # before most talks were held: their dates turn into errors


def _full(repo, today: dt.date):
    return check(load(repo, keep_parsed=False), today)


def _lazy(repo, today: dt.date):
    ws = load(repo, lazy=True)
    return check_lazily(ws, today), ws


@pytest.mark.parametrize("case", NEGATIVE, ids=[c.name for c in NEGATIVE])
def test_a_verdict_kept_per_person_is_the_full_checks_after_any_change(case, tmp_path):
    repo = team_with(tmp_path)
    clean, _ = _lazy(repo, EXAMPLE_TODAY)  # every person's verdict is kept for the valid team
    assert clean == _full(repo, EXAMPLE_TODAY) == []
    shutil.copytree(case / "files", repo, dirs_exist_ok=True)  # over the same repository: shared files, talks or both
    for rel, data in HOSTILE.items():
        write(repo, rel, data)
    full = _full(repo, EXAMPLE_TODAY)
    assert any(d.is_error for d in full)
    cold, _ = _lazy(repo, EXAMPLE_TODAY)
    warm, ws = _lazy(repo, EXAMPLE_TODAY)
    assert cold == full and warm == full
    assert ws.unread, "the second run parsed every person again instead of reusing their verdicts"
    assert _lazy(repo, EARLIER)[0] == _full(repo, EARLIER)


def test_an_unchanged_talk_is_judged_again_when_team_yaml_changes_what_it_may_say(tmp_path):
    repo = team_with(tmp_path)
    write(repo, "talks/bas/2026-q1.yaml", (repo / "talks" / "ella" / "2026-q1.yaml").read_bytes().replace(b"ella", b"bas"))
    assert _lazy(repo, EXAMPLE_TODAY)[0] == []
    team = repo / "team.yaml"
    team.write_text(team.read_text().replace("id: quality", "id: calm"))  # the goal both talks' agreements serve
    found, _ = _lazy(repo, EXAMPLE_TODAY)
    assert [(d.path, d.code) for d in found] == [("talks/bas/2026-q1.yaml", "DT203"), ("talks/ella/2026-q1.yaml", "DT203")]
    assert found == _full(repo, EXAMPLE_TODAY)


def test_a_damaged_kept_verdict_is_a_miss_not_a_verdict(tmp_path):
    repo = team_with(tmp_path)
    write(repo, "talks/ella/2026-q2.yaml", b"template_version: [1\n")
    full = _full(repo, EXAMPLE_TODAY)
    _lazy(repo, EXAMPLE_TODAY)
    kept = state_dir(repo, "person-verdicts.json")
    doc = json.loads(kept.read_text())
    for damaged in ({"key": doc["value"]["key"], "people": {"ella": "not a pair"}},
                    {"key": doc["value"]["key"], "people": {"ella": [doc["value"]["people"]["ella"][0], [[1, 2]]]}},
                    {"key": doc["value"]["key"], "people": []}, "nothing", None):
        kept.write_text(json.dumps({**doc, "value": damaged}))
        assert _lazy(repo, EXAMPLE_TODAY)[0] == full
    kept.write_text("{not json")
    assert _lazy(repo, EXAMPLE_TODAY)[0] == full
