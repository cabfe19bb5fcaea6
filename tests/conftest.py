"""Shared fixtures: a copy of the example team in a temp dir, and the CLI run in-process."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PARTS = ["team.yaml", "question_templates", "cycles", "talks", "mkdocs.yml", "site_overrides", "schemas"]
# The example team's files are written around this date (see README).
EXAMPLE_TODAY = dt.date(2026, 11, 27)
IN_CI = os.environ.get("CI") == "true"
# Debian's Chromium; a runner without it (macOS, Windows) names Playwright's own build here.
CHROMIUM = os.environ.get("DEVTALKS_CHROMIUM", "/usr/bin/chromium")


def copy_example(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in EXAMPLE_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


@pytest.fixture(scope="session", autouse=True)
def devtalks_cache(tmp_path_factory) -> Iterator[Path]:
    """The session's own devtalks cache folder (state is keyed by each test's own repository), never the user's."""
    folder = tmp_path_factory.mktemp("devtalks-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DEVTALKS_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    """pre-commit's cache for the session: the hook's environment (devtalks installed from this checkout's HEAD)
    is built once per test process instead of once per test that commits through the hook."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def example_repo(tmp_path: Path) -> Path:
    """A private copy of the example team, free to edit."""
    return copy_example(tmp_path / "team")


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys):
    """Run `devtalks ARGS…` through the real entry point (error handler included)."""
    from devtalks.cli import main

    def run(*args: str) -> Result:
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return run


def need(tool: str) -> None:
    """Skip when a system tool or Python package is missing on a laptop; fail in CI, where .ci/run installs it."""
    if shutil.which(tool) is None and not Path(tool).exists() and importlib.util.find_spec(tool) is None:
        if IN_CI:
            pytest.fail(f"{tool} is required in CI; .ci/run should have installed it")
        pytest.skip(f"{tool} is not installed")


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium (or DEVTALKS_CHROMIUM), driven by Playwright."""
    need(CHROMIUM)
    from playwright.sync_api import sync_playwright

    from tests.site.sitehelpers import CHROMIUM_FLAGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def pytest_sessionfinish(session) -> None:
    """A pytest-xdist test process hands its accessibility tally to the main process, which prints the summary."""
    if hasattr(session.config, "workeroutput"):
        from tests.site import axecheck

        session.config.workeroutput["axe"] = dict(axecheck.TALLY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    from tests.site import axecheck

    tally = getattr(node, "workeroutput", {}).get("axe") or {}
    for key in ("pages", "checks", "violations"):
        axecheck.TALLY[key] += tally.get(key, 0)
    axecheck.TALLY["engine"] = axecheck.TALLY["engine"] or tally.get("engine", "")


def pytest_terminal_summary(terminalreporter) -> None:
    from tests.site import axecheck

    line = axecheck.summary()
    if line:
        terminalreporter.write_sep("-", "accessibility")
        terminalreporter.write_line(line)
