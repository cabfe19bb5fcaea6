"""A big repository is parsed by several processes; what it reports must not change by one byte."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from devtalks.parallel import PARALLEL_AT_ENV, parse_many, workers_for
from devtalks.read.snapshot import read
from tests.conftest import EXAMPLE_TODAY
from tests.validate.test_cases import NEGATIVE, team_with, write

HOSTILE = {
    "talks/ella/checkin-2026-02-30.yaml": b"employee:\n  wellbeing: 3\n",
    "talks/ella/2026-q2.yaml": b"a: &a [x, y]\nb: *a\n",
    "talks/ella/2026-q3.yaml": b"template_version: 2\nsummary: caf\xe9\n",
    "talks/ella/2026-q4.yaml": b"template_version: [1\n",
}


def _validate(run_cli, monkeypatch, repo: Path, parallel_at: str, fmt: str) -> tuple[int, str]:
    monkeypatch.setenv(PARALLEL_AT_ENV, parallel_at)
    result = run_cli("validate", "--repo", repo, "--no-cache", "--format", fmt, "--today", EXAMPLE_TODAY.isoformat())
    return result.exit_code, result.stdout


@pytest.mark.parametrize("case", NEGATIVE, ids=[c.name for c in NEGATIVE])
def test_parallel_validate_reports_exactly_what_serial_does(case, tmp_path, run_cli, monkeypatch):
    repo = team_with(tmp_path, case)
    for rel, data in HOSTILE.items():
        write(repo, rel, data)
    for fmt in ("text", "json"):
        serial = _validate(run_cli, monkeypatch, repo, "1000000", fmt)
        parallel = _validate(run_cli, monkeypatch, repo, "2", fmt)
        assert parallel == serial
        assert serial[0] == 1 and serial[1]


def test_workers_parse_shares_in_file_order(tmp_path, monkeypatch):
    repo = team_with(tmp_path)
    for rel, data in HOSTILE.items():
        write(repo, rel, data)
    items = [(f.rel, f.raw) for f in read(repo).files]
    serial = parse_many(items, workers=1)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt
    parallel = parse_many(items, workers=3)
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt > before, "no worker process ran"
    assert [(s.path, s.data, s.diagnostics, s.raw) for s in parallel] == \
           [(s.path, s.data, s.diagnostics, s.raw) for s in serial]
    assert [s.positions for s in parallel] == [s.positions for s in serial]
    monkeypatch.setenv(PARALLEL_AT_ENV, "2")
    assert workers_for(1) == 1 and workers_for(len(items)) >= 1
    monkeypatch.setenv(PARALLEL_AT_ENV, "1000000")
    assert workers_for(len(items)) == 1
