"""devtalks serve: one site on 127.0.0.1 that rebuilds when a file is saved."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tests.site.sitehelpers import TODAY

DEVTALKS = str(Path(sys.executable).parent / "devtalks")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode()
    except OSError:
        return None


def _wait_for(url: str, text: str, proc: subprocess.Popen, limit: float = 90) -> str:
    """Poll until the page holds `text` (a wait, not a speed check: the limit only stops a hung test)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        assert proc.poll() is None, proc.stderr.read()
        page = _fetch(url)
        if page and text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r}")


@contextmanager
def previewing(repo: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """`devtalks serve` of Daan's site on a free port of 127.0.0.1: (its origin, the process), ended afterwards."""
    port = _free_port()
    proc = subprocess.Popen([DEVTALKS, "serve", "--repo", str(repo), "--only", "people/daan",
                             "--dev-addr", f"127.0.0.1:{port}", "--today", TODAY],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_previews_one_site_and_rebuilds_on_save(example_repo):
    with previewing(example_repo) as (origin, proc):
        url = f"{origin}/talks/2026-autumn.html"
        page = _wait_for(url, "RFC-007", proc)
        assert "livereload" in page, "the preview reloads the browser on change"
        talk = example_repo / "talks" / "daan" / "2026-autumn.yaml"
        talk.write_text(talk.read_text().replace("RFC-007", "RFC-042"))
        _wait_for(url, "RFC-042", proc)
    assert "Serving people/daan on http://127.0.0.1:" in proc.stderr.read()


def test_serve_needs_a_known_site(example_repo, run_cli):
    result = run_cli("serve", "--repo", example_repo, "--only", "people/nobody", "--today", TODAY)
    assert result.exit_code == 1 and "no site `people/nobody`" in result.stderr
