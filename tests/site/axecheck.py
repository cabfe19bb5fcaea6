"""axe-core (bundled by axe-playwright-python) run in a page at WCAG 2.1 A and AA, with a tally for the test summary."""

from __future__ import annotations

WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OUTCOMES = ("passes", "violations", "incomplete", "inapplicable")
TALLY = {"engine": "", "pages": 0, "checks": 0, "violations": 0}


def audit(page) -> list[str]:
    """The WCAG 2.1 A/AA violations in the page as it is now, one readable line each."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG21_AA}, "resultTypes": ["violations"]}
    result = Axe().run(page, options=options).response
    violations = result["violations"]
    TALLY["engine"] = f"{result['testEngine']['name']} {result['testEngine']['version']}"
    TALLY["pages"] += 1
    TALLY["checks"] += sum(len(result[outcome]) for outcome in OUTCOMES)
    TALLY["violations"] += len(violations)
    return [f"{v['id']} ({v['impact']}): {v['help']} at " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            for v in violations]


def summary() -> str | None:
    if not TALLY["pages"]:
        return None
    return (f"{TALLY['engine']} at WCAG 2.1 A/AA: {TALLY['checks']} checks (rules run × pages) on "
            f"{TALLY['pages']} pages, {TALLY['violations']} violations")
