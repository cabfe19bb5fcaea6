"""The fuzzer in the suite: a fixed seed and a few cases; `python -m benchmarks.fuzz` runs it longer."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import need
from tests.security import fuzzing

CASES = fuzzing.cases()
QUICK = settings(max_examples=4, derandomize=True, deadline=None, database=None,
                 suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    run = fuzzing.Campaign(tmp_path_factory.mktemp("fuzz"))
    yield run
    run.clean()


@pytest.mark.browser
@QUICK
@given(case=CASES, value=fuzzing.HOSTILE)
def test_hostile_strings_in_any_field_run_nothing_and_leak_nowhere(campaign, browser, case, value):
    need("/usr/bin/chromium")
    kind, path = case
    shown = campaign.attempt(kind, path, value, marker=f"fz{campaign.tried}q")
    if shown:
        fuzzing.in_browser(browser, campaign.out, sorted(shown)[:3])


@pytest.fixture(scope="module")
def forge_campaign(tmp_path_factory):
    return fuzzing.ForgeCampaign(tmp_path_factory.mktemp("forge-fuzz"))


@QUICK
@given(issues=fuzzing.FORGE_ISSUES)
def test_hostile_issues_on_the_forge_crash_nothing_and_open_no_twin(forge_campaign, issues):
    forge_campaign.attempt(issues)
