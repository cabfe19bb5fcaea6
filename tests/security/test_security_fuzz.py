"""The fuzzer in the suite: a fixed seed and a few cases; `python benchmarks/fuzz.py` runs it longer."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

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
    kind, path = case
    shown = campaign.attempt(kind, path, value, marker=f"fz{campaign.tried}q")
    if shown:
        fuzzing.in_browser(browser, campaign.out, sorted(shown)[:3], campaign.scripts)


@pytest.fixture(scope="module")
def forge_campaign(tmp_path_factory):
    return fuzzing.ForgeCampaign(tmp_path_factory.mktemp("forge-fuzz"))


@QUICK
@given(issues=fuzzing.FORGE_ISSUES)
def test_hostile_issues_on_the_forge_crash_nothing_and_open_no_twin(forge_campaign, issues):
    forge_campaign.attempt(issues)


def test_every_string_field_of_every_model_is_fuzzed():
    import yaml

    for kind, (rel, cls) in fuzzing.FILES.items():
        data = yaml.safe_load((fuzzing.ROOT / rel).read_text(encoding="utf-8"))
        fields = fuzzing.string_paths(cls.model_json_schema())
        assert fields, kind
        assert not [f for f in fields if not fuzzing.concrete(data, f)], f"{kind}: fields the fuzzer cannot reach"


ISSUE_24_ITEM_1 = ("Pairsessie\n\nPlan\n{: style=animation-name:pulse;animation-duration:1ms "
                   "onanimationstart=alert(document.domain) }\n\nend")


@pytest.mark.parametrize("kind, path, value", [
    # The issue's own payload: a blank line ends devtalks' HTML block and attr_list reads the rest.
    ("check-in", ("follow_ups", 0, "title"), ISSUE_24_ITEM_1),
    ("team", ("goals", 0, "title"), ISSUE_24_ITEM_1),
    # A title reached the page's <title> through the theme's striptags, which unescapes; the page chrome then stored
    # the script as a file of the site's own, which the Content-Security-Policy allows.
    ("cycle", ("title",), "</title><script>alert(1)</script>"),
    ("team", ("people", 1, "name"), "Daan </title><script>alert(1)</script>"),
])
def test_what_the_fuzzer_found_runs_nothing(campaign, kind, path, value):
    campaign.attempt(kind, path, value, marker="fzissueq")
