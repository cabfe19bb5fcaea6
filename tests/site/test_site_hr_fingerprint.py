"""The HR site's fingerprint misses nothing the HR site shows.

A build skips the HR site while its fingerprint stays the same, and that fingerprint leaves out
what HR never sees of people's files. Here every value in a talk and a check-in is changed in
turn, or removed: whenever the HR site's pages would come out different, its fingerprint must
differ too, or the HR site in place would go stale.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace

import pytest
import yaml

from devtalks.check.rules import check
from devtalks.read.load import Workspace, load, place
from devtalks.read.snapshot import File
from devtalks.read.yamlsource import Source
from devtalks.site.build import Job
from devtalks.site.facts import Facts
from devtalks.site.inputs import TeamInputs, fingerprint
from tests.conftest import EXAMPLE_TODAY, ROOT

FILES = ["talks/thijs/2026-autumn.yaml", "talks/thijs/checkin-2026-10-27.yaml"]
REMOVE = object()


def other_values(ws: Workspace) -> dict:
    """Key → the text values it has anywhere in the example's talks and check-ins: valid choices to swap in."""
    seen: dict = {}

    def walk(data):
        for key, value in data.items() if isinstance(data, dict) else []:
            if isinstance(value, str):
                seen.setdefault(key, []).count(value) or seen[key].append(value)
            walk(value)
        for item in data if isinstance(data, list) else []:
            walk(item)

    for rel, src in ws.sources.items():
        if rel.startswith("talks/"):
            walk(src.data)
    return seen


def variants(value, choices: list) -> list:
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1, value - 1]
    if isinstance(value, dt.date):
        return [value + dt.timedelta(days=d) for d in (1, 200, -200)]
    if isinstance(value, str):
        return [*[c for c in choices if c != value][:1], value + " (anders)"]
    if isinstance(value, list):
        return [value[:-1], value + value[:1]] if value else []
    return []


def edits(data, seen: dict, path=()):
    """(path, new value or REMOVE) for every value in the data, nested ones too."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        if isinstance(data, dict):
            yield path + (key,), REMOVE
        for new in variants(value, seen.get(key, [])):
            yield path + (key,), new
        yield from edits(value, seen, path + (key,))


def edited(data, path, new):
    data = copy.deepcopy(data)
    inner = data
    for key in path[:-1]:
        inner = inner[key]
    if new is REMOVE:
        del inner[path[-1]]
    else:
        inner[path[-1]] = new
    return data


def with_file(ws: Workspace, rel: str, data) -> Workspace | None:
    """The workspace with one file's data replaced, or None when the build would refuse it (an error)."""
    person, stem = rel.split("/")[1], rel.rsplit("/", 1)[1].removesuffix(".yaml")
    out = replace(ws, talks=dict(ws.talks), checkins=dict(ws.checkins), sources=dict(ws.sources), diagnostics=[])
    kind = "checkin" if stem.startswith("checkin-") else "talk"
    out.talks.pop((person, stem), None)
    out.checkins.pop((person, dt.date.fromisoformat(stem.removeprefix("checkin-"))) if kind == "checkin" else None, None)
    place(out, File(rel, kind), Source(rel, data=data, raw=yaml.safe_dump(data).encode()))
    if out.diagnostics or any(d.is_error for d in check(out, EXAMPLE_TODAY)):
        return None
    return out


def hr(ws: Workspace) -> tuple[str, str]:
    """The HR site's pages (as one digest) and its fingerprint."""
    facts = Facts(ws, EXAMPLE_TODAY)
    pages = Job(ROOT, ROOT, [facts]).spec("hr").digest()
    return pages, fingerprint("base", "hr", [TeamInputs(facts)])


@pytest.mark.parametrize("rel", FILES)
def test_every_change_the_hr_site_shows_changes_its_fingerprint(rel):
    ws = load(ROOT, keep_parsed=False)
    data = ws.sources[rel].data
    before = hr(with_file(ws, rel, data))
    shown = 0
    for path, new in edits(data, other_values(ws)):
        changed = with_file(ws, rel, edited(data, path, new))
        if changed is None:
            continue
        pages, fp = hr(changed)
        if pages != before[0]:
            shown += 1
            assert fp != before[1], f"{rel}: {'/'.join(map(str, path))} → {new!r} changes the HR site, not its fingerprint"
    assert shown >= 3, "the edits reach what the HR site shows"
