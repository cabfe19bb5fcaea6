"""Property: whatever bytes a talk file holds, validation ends in diagnostics, never an exception."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devtalks.check.rules import check
from devtalks.read.load import load
from tests.conftest import EXAMPLE_TODAY

BASE = Path(__file__).parent / "base"
TALK = "talks/ella/2026-q1.yaml"
VALID = (BASE / TALK).read_bytes()

# Fragments that steer random text toward the parser's and the models' corners.
FRAGMENTS = ["template_version: ", "employee:\n", "  energy: ", "  proud: ", "agreements:\n", "  - id: x\n",
             "    due: ", "2026-02-30", "&a ", "*a", "<<: ", "!!python/object ", "[", "]", "{", "}", ": ", "- ",
             "\n", "  ", "\t", "'", '"', "|\n", "~", "null", "-1", "99999999999999999999", "1e9", "\ufeff", "\r\n"]


def run(repo: Path, data: bytes) -> None:
    (repo / TALK).write_bytes(data)
    diagnostics = check(load(repo), EXAMPLE_TODAY)
    for d in diagnostics:
        assert d.path and d.line >= 1 and d.column >= 1 and d.code and d.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2048))
def test_arbitrary_bytes_give_diagnostics_not_exceptions(tmp_path_factory, data):
    repo = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(BASE, repo, dirs_exist_ok=True)
    run(repo, data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=40),
       cut=st.integers(min_value=0, max_value=len(VALID)))
def test_yaml_shaped_noise_gives_diagnostics_not_exceptions(tmp_path_factory, parts, cut):
    repo = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(BASE, repo, dirs_exist_ok=True)
    run(repo, VALID[:cut] + "".join(parts).encode("utf-8", "surrogatepass"))
