from __future__ import annotations

import pytest

from .world import World, make_world


@pytest.fixture(scope="module")
def built_world(tmp_path_factory) -> World:
    """One world per test module, for the tests that only read it."""
    return make_world(tmp_path_factory.mktemp("world"))


@pytest.fixture
def world(tmp_path) -> World:
    """A world of its own, for a test that changes it."""
    return make_world(tmp_path / "world")


@pytest.fixture(autouse=True)
def fetch_every_time(monkeypatch):
    """Every run fetches: a test pushes and looks at once (the default waits DEVTALKS_FETCH_INTERVAL seconds)."""
    monkeypatch.setenv("DEVTALKS_FETCH_INTERVAL", "0")
