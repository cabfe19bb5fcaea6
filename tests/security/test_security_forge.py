"""A forge that answers with hostile JSON: devtalks stops with a clear message and writes nothing."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import EXAMPLE_TODAY

TOKEN = "ghs_Canary0Token1Never2Printed3456789"


class _Hostile(BaseHTTPRequestHandler):
    body = b""
    seen: list[str] = []

    def _answer(self) -> None:
        self.seen.append(self.command)
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = do_PATCH = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize("body", [
    b"<html>not json</html>",
    b'{"message": "a mapping where a list belongs"}',
    b'[1, "two", null, [3]]',
    b'[{"number": "7; rm -rf /", "title": {"a": 1}, "body": "<!-- devtalks:reminder x -->", "state": "open",'
    b' "labels": "devtalks"}]',
    b'[{"title": "no number", "labels": [{"name": "devtalks"}], "body": "<!-- devtalks:reminder x -->"}]',
    b"[" * 50_000 + b"]" * 50_000,
    b'[{"number": 1, "labels": [{"name": "devtalks"}], "assignees": [{"login": 5}], "state": "open",'
    b' "body": "<!-- devtalks:reminder x -->"}]',
], ids=["html", "mapping", "scalars", "wrong-types", "no-number", "deep", "bad-assignee"])
def test_hostile_forge_answers_stop_the_run_cleanly(body, monkeypatch, run_cli, example_repo):
    handler = type("Handler", (_Hostile,), {"body": body, "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("GITHUB_API_URL", f"http://127.0.0.1:{server.server_address[1]}")
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("GITHUB_REPOSITORY", "example/team-platform")
        monkeypatch.setenv("DEVTALKS_HTTP_ATTEMPTS", "1")
        result = run_cli("remind", "--repo", example_repo, "--channel", "github", "--today", EXAMPLE_TODAY.isoformat())
    finally:
        server.shutdown()
    assert result.exit_code == 1, result.stderr
    assert "forge" in result.stderr.lower() or "github" in result.stderr.lower()
    assert TOKEN not in result.stdout + result.stderr
    assert set(handler.seen) <= {"GET"}, "nothing is created or changed on the strength of an answer it cannot read"
