"""The hostile-string fuzzer of tests/security/test_security_fuzz.py, run for longer.

    python benchmarks/fuzz.py [--examples 200] [--seed 0] [--no-browser]

Puts hostile strings into string fields of every file kind of a copy of the example team
(and into forge answers to `remind`), builds the sites, and checks every page (and, in
Chromium, every page that shows the value). Prints how many cases it tried, how many
validation refused and how many were built; an assertion names the first case that breaks a
property, after hypothesis has made it as small as it can.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from tests.security import fuzzing  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-browser", action="store_true", help="check the pages' HTML only")
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        campaign = fuzzing.Campaign(Path(tmp))
        with _browser(not args.no_browser) as browser:
            @seed(args.seed)
            @settings(max_examples=args.examples, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=fuzzing.cases(), value=fuzzing.HOSTILE)
            def fuzz(case, value):
                kind, path = case
                shown = campaign.attempt(kind, path, value, marker=f"fz{campaign.tried}q")
                if shown and browser is not None:
                    fuzzing.in_browser(browser, campaign.out, sorted(shown)[:3], campaign.scripts)

            try:
                fuzz()
            finally:
                took = time.perf_counter() - start
                print(f"files: {campaign.tried} cases tried in {took:.0f} s: "
                      + ", ".join(f"{n} {what}" for what, n in sorted(campaign.outcomes.items())))
        forge = fuzzing.ForgeCampaign(Path(tmp) / "forge")

        @seed(args.seed)
        @settings(max_examples=args.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(issue=fuzzing.FORGE_ISSUES)
        def forge_fuzz(issue):
            forge.attempt(issue)

        try:
            forge_fuzz()
        finally:
            print(f"forge: {forge.tried} answers tried: "
                  + ", ".join(f"{n} {what}" for what, n in sorted(forge.outcomes.items())))


class _browser:
    def __init__(self, wanted: bool):
        self.wanted = wanted

    def __enter__(self):
        if not self.wanted:
            return None
        from playwright.sync_api import sync_playwright

        from tests.site.sitehelpers import CHROMIUM_FLAGS

        self.playwright = sync_playwright().start()
        self.chromium = self.playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        return self.chromium

    def __exit__(self, *exc: object) -> None:
        if self.wanted:
            self.chromium.close()
            self.playwright.stop()


if __name__ == "__main__":
    main()
