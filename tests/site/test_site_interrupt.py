"""Ctrl-C in the middle of a build: every site is the old one or the new one, never half of one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.synth import generate
from devtalks.state import state_dir
from tests.site.sitehelpers import TODAY, sites_in

DEVTALKS = str(Path(sys.executable).parent / "devtalks")


def _complete(site: Path) -> str:
    for name in ("index.html", "404.html", "search/search_index.json", "assets/devtalks/devtalks.css",
                 "assets/devtalks/icons.css"):
        assert (site / name).is_file(), f"{site} lacks {name}: half a site"
    return "new" if "BUILD-TWO" in (site / "index.html").read_text() else "old"


def test_interrupted_build_leaves_old_or_new_sites(tmp_path):
    repo = generate(tmp_path / "org", 40, 1)
    out = tmp_path / "out"
    args = [DEVTALKS, "build", "--repo", str(repo), "--out", str(out), "--today", TODAY, "--jobs", "2"]
    subprocess.run(args, check=True, capture_output=True)
    main = repo / "site_overrides" / "main.html"
    main.write_text(main.read_text().replace("{% block announce %}", "{% block announce %}BUILD-TWO "))
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    records = state_dir(out, "fingerprints")
    before = {p: p.stat().st_mtime_ns for p in records.iterdir()}
    end = time.monotonic() + 120
    while time.monotonic() < end and proc.poll() is None:
        if any(p.stat().st_mtime_ns != m for p, m in before.items()):
            break  # the first new site is in place: interrupt while the rest are building
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 130), err
    states = {key: _complete(site) for key, site in sites_in(out).items()}
    assert len(states) == len(before)
    assert "new" in states.values()
    result = subprocess.run(args, capture_output=True, text=True, check=True)
    assert "built" in result.stdout
    assert {_complete(site) for site in sites_in(out).values()} == {"new"}
