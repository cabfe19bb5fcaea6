"""Markdown in a talk cannot make a reader's browser fetch anything from another origin."""

from __future__ import annotations

import http.server
import threading

import pytest
import yaml

from tests.site.sitehelpers import TODAY, serve
from tests.site.test_site_browser import Visit

pytestmark = pytest.mark.browser
FETCHES = [
    "![pixel](http://{other}/md-image.png)",
    "![ref][p]\n\n[p]: http://{other}/md-ref.png",
    '<img src="http://{other}/img.png">',
    '<img srcset="http://{other}/srcset.png 1x">',
    '<link rel="stylesheet" href="http://{other}/link.css">',
    "<style>@import url(http://{other}/import.css); body {{ background: url(http://{other}/bg.png) }}</style>",
    '<div style="background-image: url(http://{other}/inline.png)">x</div>',
    '<iframe src="http://{other}/frame.html"></iframe>',
    '<video poster="http://{other}/poster.png"></video>',
    '<object data="http://{other}/object"></object>',
    '<svg><image href="http://{other}/svg.png"/></svg>',
    '<meta http-equiv="refresh" content="0;url=http://{other}/refresh">',
    '<base href="http://{other}/">',
]


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def _serve(handler) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_answers_that_point_elsewhere_fetch_nothing_from_there(example_repo, tmp_path, browser, run_cli):
    other = _serve(_Counting)
    host = f"127.0.0.1:{other.server_address[1]}"
    talk = example_repo / "talks" / "daan" / "2026-autumn.yaml"
    data = yaml.safe_load(talk.read_text(encoding="utf-8"))
    payload = "\n\n".join(f.format(other=host) for f in FETCHES)
    data["employee"]["proud"] = "Trots. " + payload
    data["summary"] = payload
    data["agreements"][0]["title"] = "Roadmap " + FETCHES[2].format(other=host)
    talk.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "site"
    assert run_cli("build", "--repo", example_repo, "--out", out, "--only", "people/daan", "--only", "managers/sanne",
                   "--today", TODAY, "--jobs", "1").exit_code == 0
    try:
        with serve(out) as origin:
            for path in ("people/daan/talks/2026-autumn.html", "managers/sanne/daan/talks/2026-autumn.html",
                         "people/daan/index.html"):
                visit = Visit(browser, origin)
                visit.open(path)
                visit.page.wait_for_timeout(300)
                foreign = [u for u in visit.requests if host in u]
                assert not foreign, f"{path} fetched from another origin: {foreign}"
                visit.page.close()
        assert _Counting.hits == []
    finally:
        other.shutdown()
