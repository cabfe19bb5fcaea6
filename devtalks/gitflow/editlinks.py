"""Links from a site to a file in the forge's web editor, on the branch where that file is being edited.

Takes a team repository and team.yaml's `forge:` settings; gives an Editor (or None when neither the settings
nor the Git remote `origin` say where the repository lives on the web). The forge's address comes from the
settings, else from the remote's URL (https or ssh form, credentials dropped); the branch is a talk's
pull-request branch while it exists unmerged (`devtalks cycle open --branch`), else the default branch.

A repository is untrusted input: an address is built only from a host name, a port and path segments of plain
characters, each quoted, and only as http(s); anything else (another scheme, odd characters) gives no link.
Git is asked with plain `git` commands, as history.py does: a site build never imports gitpython for this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from .history import Checkout, GitFailed
from .repo import path_prefix

REMOTE = "origin"
_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$")
_SEGMENT = re.compile(r"^[\w-][\w.-]*$", re.ASCII)  # no `.`/`..`, no hidden name, nothing a URL or HTML reads
_ODD = re.compile(r"[\\\s\x00-\x1f\x7f\"'<>`]")  # what no plain remote URL has: each reads differently to git, a browser and us
_SCP = re.compile(r"^(?:[\w.-]+@)?([^/:@]+):(?!//)(.+)$", re.ASCII)  # git@github.com:owner/name.git
# What every address this module gives must look like: the last guard before a page prints it.
_SAFE_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%-]+)+$")


@dataclass(frozen=True)
class Editor:
    """Where a team's files are edited on the web: the repository's address, the forge's kind and branches."""

    web: str                    # e.g. https://github.com/owner/name
    kind: str                   # github | gitlab
    branch: str                 # the default branch
    prefix: str = ""            # the team's folder inside the repository, '' or 'teams/platform/'
    pattern: str = "cycle/{cycle}/{person}"
    unmerged: frozenset[str] = frozenset()  # branches (local or origin's) not merged into HEAD

    def branch_for(self, person: str, cycle: str | None) -> str | None:
        """The pull-request branch of this person's talk in `cycle`, while it is open (exists and is not merged)."""
        if cycle is None:
            return None
        name = self.pattern.replace("{person}", person).replace("{cycle}", cycle)
        return name if name in self.unmerged else None

    def url(self, path: str, branch: str | None = None) -> str | None:
        """The web editor's address of `path` (relative to the team's folder) on `branch` (default: the default
        branch); None where a part would not make a plain address."""
        branch = branch or self.branch
        parts = [*branch.split("/"), *(self.prefix + path).split("/")]
        if not all(_SEGMENT.match(p) for p in parts):
            return None
        edit = "/-/edit/" if self.kind == "gitlab" else "/edit/"
        url = self.web + edit + "/".join(quote(p, safe="") for p in parts)
        return url if _SAFE_URL.match(url) else None

    def state(self) -> tuple:
        """What every page's links depend on besides the branches of talks (for a site's fingerprint)."""
        return self.web, self.kind, self.branch, self.prefix, self.pattern


def web_of_remote(url: str) -> tuple[str, str] | None:
    """(the forge's web address, owner/name) of a Git remote URL, with no user name or password; None for a local
    path, another scheme or anything odd.

    https://user:token@github.com/owner/name.git → ("https://github.com", "owner/name");
    git@github.com:owner/name.git and ssh://git@github.com:22/owner/name → ("https://github.com", "owner/name").
    """
    url = url.strip()
    if _ODD.search(url):
        return None
    scp = _SCP.match(url) if "://" not in url else None
    if scp:
        scheme, host, port, path = "https", scp.group(1), None, scp.group(2)
    else:
        try:
            parts = urlsplit(url)
            scheme, host, port, path = parts.scheme.lower(), parts.hostname or "", parts.port, parts.path
        except ValueError:
            return None
        if scheme in ("ssh", "git", "git+ssh", "ssh+git"):
            scheme, port = "https", None  # the web is served on https, not on the ssh or git port
        elif scheme not in ("http", "https") or parts.query or parts.fragment:
            return None
    path = path.strip("/").removesuffix(".git")
    if not _HOST.match(host) or path.count("/") < 1 or not all(_SEGMENT.match(s) for s in path.split("/")):
        return None
    return f"{scheme}://{host.lower()}{f':{port}' if port else ''}", path


def editor_for(root: Path, team, own: str | None = None) -> Editor | None:
    """The Editor of the team repository at `root` (team: its Team model, or None), or None when nothing says
    where it lives on the web. With `own` (a person repository's URL, as team.yaml's `talks_repo:` gives it),
    `root` is devtalks' clone of that repository: the URL alone says where it lives, on its branch `main`;
    team.yaml's address and branch are the team repository's."""
    settings = team.forge if team is not None else None
    repo = Checkout.find(root)
    if own is not None:
        server, name = web_of_remote(own) or (None, None)
        settings = settings and settings.model_copy(update={"url": None, "repository": None})
    else:
        # the remote as written, not as a url.*.insteadOf rewrites it
        remote = _git(repo, "config", "--get", f"remote.{REMOTE}.url") if repo else None
        found = web_of_remote(remote) if remote else None
        server = settings.url.rstrip("/") if settings and settings.url else (found[0] if found else None)
        name = (settings.repository if settings and settings.repository else None) or (found[1] if found else None) \
            or (team.reminders.repository if team is not None else None)
    if server is None or name is None or not all(_SEGMENT.match(s) for s in name.split("/")):
        return None
    host = urlsplit(server).hostname or ""
    kind = (settings.kind if settings else None) or ("gitlab" if "gitlab" in host else "github")
    branch = "main" if own is not None else (settings.branch if settings else None) or _default_branch(repo) or "HEAD"
    pattern = settings.pull_request_branch if settings else "cycle/{cycle}/{person}"
    prefix = path_prefix(repo.top, root) if repo and own is None else ""
    return Editor(f"{server}/{name}", kind, branch, prefix, pattern, _unmerged(repo) if repo else frozenset())


def _default_branch(repo: Checkout | None) -> str | None:
    """origin's default branch (what a clone calls origin/HEAD), else the branch checked out."""
    if repo is None:
        return None
    remote_head = _git(repo, "symbolic-ref", "-q", "--short", f"refs/remotes/{REMOTE}/HEAD")
    if remote_head and remote_head.startswith(f"{REMOTE}/"):
        return remote_head.removeprefix(f"{REMOTE}/")
    return _git(repo, "symbolic-ref", "-q", "--short", "HEAD")


def _unmerged(repo: Checkout) -> frozenset[str]:
    """Local branches and origin's whose tip HEAD does not contain: a talk's pull request that is still open."""
    listed = _git(repo, "for-each-ref", "--no-merged=HEAD", "--format=%(refname)", "refs/heads",
                  f"refs/remotes/{REMOTE}") or ""
    names = set()
    for ref in listed.splitlines():
        for start in ("refs/heads/", f"refs/remotes/{REMOTE}/"):
            if ref.startswith(start):
                names.add(ref.removeprefix(start))
    return frozenset(names)


def _git(repo: Checkout, *args: str) -> str | None:
    try:
        return repo.run(*args).decode("utf-8", "replace").strip() or None
    except GitFailed:
        return None
