"""An edit link is built from the repository's Git remote and branch names: untrusted input that must never put a
script, another scheme or a password into a page.

Each hostile remote or branch gives no link at all (the path as text, with its hint), or a plain https link to
the forge; nothing of the hostile text reaches any file of the site.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from devtalks.gitflow.editlinks import web_of_remote
from tests.site.sitehelpers import TODAY

HOSTILE_REMOTES = {
    "javascript": "javascript:alert('remote')//github.com/acme/talks",
    "data": "data:text/html,<script>alert('remote')</script>",
    "markup in the path": 'https://github.com/acme/ta"><script>alert(\'remote\')</script>',
    "quote in the owner": "https://github.com/ac\"me/talks.git",
    "backslash host": "https://github.com\\@evil.example/acme/talks",
    "look-alike host": "https://gіthub.com/acme/talks",  # a Cyrillic і
    "query": "https://github.com/acme/talks.git?next=javascript:alert('remote')",
    "fragment": "https://github.com/acme/talks#<img src=x onerror=alert('remote')>",
    "git's ext transport": "ext::sh -c touch% /tmp/devtalks-pwned",
    "a local path": "/srv/git/talks.git",
    "file": "file:///srv/git/talks.git",
    "dot-dot path": "git@github.com:../../etc/passwd.git",
    "one segment": "https://github.com/talks",
    "control character": "https://github.com/acme/talks\x07.git",
}
NO_LINK = "(in de repository van het team: op de website van je Git-server, of in je editor)"
HREF = re.compile(r'href="([^"]*)"')


def site_files(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(out.rglob("*")) if p.is_file())


@pytest.mark.parametrize("name", HOSTILE_REMOTES)
def test_a_hostile_remote_gives_no_link_and_reaches_no_page(name, team_git, tmp_path, run_cli):
    remote = HOSTILE_REMOTES[name]
    assert web_of_remote(remote) is None
    root = Path(team_git.working_tree_dir)
    team_git.git.remote("add", "origin", remote)
    out = tmp_path / "site"
    result = run_cli("build", "--repo", root, "--out", out, "--only", "people/daan", "--today", TODAY, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    home = (out / "people/daan/index.html").read_text(encoding="utf-8")
    assert NO_LINK in home, "the path stays text, with the hint"
    everything = site_files(out)
    for part in ("alert('remote')", "evil.example", "devtalks-pwned", "/srv/git", "passwd"):
        assert part not in everything, f"{part!r} reached the site"
    assert not [h for h in HREF.findall(everything) if "/edit/" in h], "no edit link at all"


def test_credentials_in_the_remote_never_reach_a_page(team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    team_git.git.remote("add", "origin", "https://daan:ghp_0123456789abcdef@github.com/acme/talks.git")
    out = tmp_path / "site"
    assert run_cli("build", "--repo", root, "--out", out, "--today", TODAY, "--jobs", "1").exit_code == 0
    everything = site_files(out)
    assert "https://github.com/acme/talks/edit/main/" in everything
    assert "ghp_0123456789abcdef" not in everything and "daan:ghp" not in everything


@pytest.mark.parametrize("branch", ['evil"><script>alert(1)</script>', "x'onmouseover=alert(1)", "%2e%2e/%2e%2e/settings"])
def test_a_hostile_branch_name_gives_no_link(branch, team_git, tmp_path, run_cli):
    root = Path(team_git.working_tree_dir)
    team_git.git.remote("add", "origin", "https://github.com/acme/talks.git")
    team_git.git.checkout("-b", branch)
    out = tmp_path / "site"
    result = run_cli("build", "--repo", root, "--out", out, "--only", "people/daan", "--today", TODAY, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    home = (out / "people/daan/index.html").read_text(encoding="utf-8")
    assert NO_LINK in home
    assert "alert(1)" not in site_files(out) and "%2e" not in home


def test_team_yaml_cannot_name_another_scheme_or_markup(team_git, run_cli):
    root = Path(team_git.working_tree_dir)
    with open(root / "team.yaml", "a", encoding="utf-8") as f:
        f.write('\nforge:\n  url: "javascript:alert(1)//"\n  repository: "acme/<b>talks"\n  branch: "../main"\n')
    result = run_cli("validate", "--repo", root, "--today", TODAY)
    assert result.exit_code == 1
    for key in ("forge.url", "forge.repository", "forge.branch"):
        assert key in result.stdout + result.stderr, result.stdout
