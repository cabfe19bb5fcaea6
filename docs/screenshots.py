"""The README's screenshots: the example person's trends page at 320 px and 1280 px wide.

    python docs/screenshots.py [--chromium /usr/bin/chromium]

Builds the example team (as of its README date) into a temporary folder, serves it on
127.0.0.1 and photographs people/daan/trends.html with headless Chromium into docs/images/.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtalks.cli import main as devtalks  # noqa: E402
from tests.site.sitehelpers import serve  # noqa: E402

TODAY = "2026-11-27"
PAGE = "people/daan/trends.html"
SHOTS = {"trends-1280.png": {"width": 1280, "height": 900}, "trends-320.png": {"width": 320, "height": 900}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    images = ROOT / "docs" / "images"
    images.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        if devtalks(["build", "--repo", str(ROOT), "--out", str(out), "--today", TODAY, "--only", "people/daan"]) != 0:
            sys.exit("the example did not build")
        with sync_playwright() as p, serve(out) as origin:
            browser = p.chromium.launch(executable_path=args.chromium, args=["--headless", "--no-sandbox"])
            for name, viewport in SHOTS.items():
                page = browser.new_page(viewport=viewport)
                page.goto(f"{origin}/{PAGE}", wait_until="networkidle")
                page.screenshot(path=str(images / name), animations="disabled")
                print(f"{images / name}: {(images / name).stat().st_size // 1024} KiB")
            browser.close()


if __name__ == "__main__":
    main()
