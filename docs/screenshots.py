"""The screenshots in docs/images/: a person's home, a talk, a manager's preparation page and HR's page,
the trends page at 320 px and 1280 px wide, and two pages of the documentation site (a guide and the
file reference).

    python docs/screenshots.py [--chromium /usr/bin/chromium]

Builds the example team (as of its README date) and the documentation site into a temporary
folder, serves each on 127.0.0.1 and photographs the pages with headless Chromium, 1280 px wide;
a short page whole, a long one its first screen. optipng, where installed (apt-get install
optipng), makes each PNG smaller without changing a pixel.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtalks.cli import main as devtalks  # noqa: E402
from tests.site.sitehelpers import serve  # noqa: E402

TODAY = "2026-11-27"
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 320, "height": 900}
# file → (page, viewport, whole page or its first screen)
SHOTS = {
    "person-home.png": ("people/daan/index.html", WIDE, True),
    "talk.png": ("people/daan/talks/2026-autumn.html", WIDE, False),
    "preparation.png": ("managers/sanne/preparation.html", WIDE, False),
    "hr.png": ("hr/index.html", WIDE, True),
    "trends-1280.png": ("people/daan/trends.html", WIDE, False),
    "trends-320.png": ("people/daan/trends.html", NARROW, False),
}
DOCS_SHOTS = {"docs-guide.png": "manager/", "docs-reference.png": "reference/files/"}
DOCS_VIEWPORT = {"width": 1280, "height": 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    images = ROOT / "docs" / "images"
    images.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        docs = Path(tmp) / "docs"
        if devtalks(["build", "--repo", str(ROOT), "--out", str(out), "--today", TODAY, "--only", "people/daan",
                     "--only", "managers/sanne", "--only", "hr"]) != 0:
            sys.exit("the example did not build")
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", "docs/mkdocs.yml",
                        "-d", str(docs)], cwd=ROOT, check=True)
        with sync_playwright() as p, serve(out) as origin, serve(docs) as docs_origin:
            browser = p.chromium.launch(executable_path=args.chromium,
                                        args=["--headless", "--no-sandbox", "--disable-gpu"])
            shots = [(name, f"{origin}/{path}", viewport, whole) for name, (path, viewport, whole) in SHOTS.items()]
            shots += [(name, f"{docs_origin}/{path}", DOCS_VIEWPORT, False) for name, path in DOCS_SHOTS.items()]
            for name, url, viewport, whole in shots:
                page = browser.new_page(viewport=viewport)
                page.goto(url, wait_until="networkidle")
                page.screenshot(path=str(images / name), animations="disabled", full_page=whole)
                page.close()
                if shutil.which("optipng"):
                    subprocess.run(["optipng", "-quiet", "-o2", "-strip", "all", str(images / name)], check=True)
                print(f"{images / name}: {(images / name).stat().st_size // 1024} KiB")
            browser.close()


if __name__ == "__main__":
    main()
