"""Reading built sites the way a reader or a crawler would."""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import threading
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import EXAMPLE_TODAY

TODAY = EXAMPLE_TODAY.isoformat()
TAG = re.compile(r"<[^>]+>")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def serve(directory: Path):
    """Built sites served over HTTP on 127.0.0.1, as a reader's browser gets them; yields the origin."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def site_text(site: Path) -> str:
    """Everything a reader or a crawler of a site can get: page text, search index, sitemap, all of it."""
    chunks = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or "assets" in path.relative_to(site).parts:
            continue
        raw = path.read_text(encoding="utf-8", errors="replace") if path.suffix != ".gz" else ""
        if path.suffix == ".ics":
            raw = raw.replace("\r\n ", "")  # unfold: RFC 5545 breaks long lines mid-word
        if path.suffix == ".json":
            chunks.extend(_strings(json.loads(raw)))
        else:
            chunks.append(raw)
    text = html.unescape(TAG.sub(" ", html.unescape("\n".join(chunks))))
    return " ".join(text.split())


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def sites_in(out: Path) -> dict[str, Path]:
    found = {"hr": out / "hr"} if (out / "hr").is_dir() else {}
    for kind in ("people", "managers"):
        for site in sorted((out / kind).iterdir()) if (out / kind).is_dir() else []:
            found[f"{kind}/{site.name}"] = site
    return found


PAYLOADS = {
    "script": "<script>alert('script')</script>",
    "onerror": '<img src=x onerror="alert(\'onerror\')">',
    "link": "[klik hier](javascript:alert('link'))",
}


def plant_payloads(repo: Path) -> None:
    """Put script, onerror and javascript: payloads in Daan's latest talk: answers, summary, an agreement."""
    import yaml

    path = repo / "talks" / "daan" / "2026-autumn.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["employee"]["proud"] = "Trots op **dit**. " + " ".join(PAYLOADS.values())
    data["summary"] = ("We spraken af:\n\n- *eerst* de roadmap\n- dan [de wiki](https://wiki.example.com/portal)\n\n"
                       + PAYLOADS["link"] + "\n\n" + PAYLOADS["script"] + "\n")
    data["agreements"][0]["title"] = "Roadmap " + PAYLOADS["onerror"]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def unique_word(repo: Path, person: str) -> str:
    """A long word that appears in this person's talk files and in nobody else's files."""
    import re as _re

    def words(paths) -> set[str]:
        return {w.lower() for p in paths for w in _re.findall(r"[A-Za-zÀ-ÿ]{9,}", p.read_text(encoding="utf-8"))}

    mine = words((repo / "talks" / person).glob("*.yaml"))
    others = words(p for p in repo.rglob("*.yaml") if p.parent.name != person)
    return sorted(mine - others)[0]
