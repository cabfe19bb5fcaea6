"""Site fixtures: the example team built once per session (every site, strict)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_example
from tests.site.sitehelpers import TODAY


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(repository, output) of a full build of the example team, shared by the read-only tests."""
    from devtalks.cli import main

    base = tmp_path_factory.mktemp("built")
    repo = copy_example(base / "team")
    out = base / "site"
    assert main(["build", "--repo", str(repo), "--out", str(out), "--today", TODAY, "--jobs", "2"]) == 0
    return repo, out
