"""Every page kind of the example's sites through the W3C Nu HTML checker (vnu.jar, tools/vnu.py fetches it).

One run of the checker over all the pages (starting Java costs more than checking a page). What it reports
fails the test unless tests/site/vnu-known.yaml lists it: the theme's own markup and the checker's view of a
file read from disk, once each, with the reason.
"""

from __future__ import annotations

import json
import subprocess

import yaml

from tests.conftest import ROOT, need
from tools import vnu

KNOWN = ROOT / "tests" / "site" / "vnu-known.yaml"
PAGES = {
    "person home": "people/daan/index.html",
    "person home, no calendar": "people/sanne/index.html",
    "talk, signed off": "people/daan/talks/2026-autumn.html",
    "talk, being prepared": "people/noor/talks/2026-autumn.html",
    "agreements": "people/daan/agreements.html",
    "check-ins": "people/daan/checkins.html",
    "trends": "people/daan/trends.html",
    "person 404": "people/daan/404.html",
    "team": "managers/sanne/index.html",
    "preparation": "managers/sanne/preparation.html",
    "a report's talk": "managers/sanne/noor/talks/2026-autumn.html",
    "a report's check-ins": "managers/sanne/noor/checkins.html",
    "HR home": "hr/index.html",
    "HR cycle": "hr/cycles/2026-autumn.html",
    "HR 404": "hr/404.html",
}


def known(entry: dict, message: dict) -> bool:
    return message["message"].startswith(entry["message"]) and entry["markup"] in (message.get("extract") or "")


def test_every_page_kind_passes_the_html_checker(built):
    need("java")
    need(str(vnu.folder() / "vnu.jar"))
    _, out = built
    files = [str(out / page) for page in PAGES.values()]
    done = subprocess.run(["java", "-jar", str(vnu.folder() / "vnu.jar"), "--format", "json", "--stdout",
                           "--exit-zero-always", *files], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    messages = json.loads(done.stdout)["messages"]
    entries = yaml.safe_load(KNOWN.read_text(encoding="utf-8"))
    assert all(e.get("why") for e in entries), "every known message says why it is there"
    pages = {str(out / page): kind for kind, page in PAGES.items()}
    unexplained = [f"{pages.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:{m.get('lastLine')}: "
                   f"{m['type']}: {m['message']} — {m.get('extract', '')!r}"
                   for m in messages if not any(known(e, m) for e in entries)]
    assert not unexplained, "\n".join(unexplained)
    gone = [e["message"] for e in entries if not any(known(e, m) for m in messages)]
    assert not gone, f"no page shows these any more; take them out of {KNOWN.name}: {gone}"
