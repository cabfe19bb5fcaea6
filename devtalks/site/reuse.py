"""Pages a rebuilt site takes over from its previous build, so unchanged pages are not rendered again.

A page's HTML follows from its Markdown and from what every page of its site shares: the
base fingerprint (tools, mkdocs.yml, site_overrides/, devtalks' site code) and the site's
key, title, language and navigation (every page carries the whole navigation, so a new
page or a changed title renders every page again). Each built site leaves a record in
devtalks' cache folder: per page, a digest of those inputs and of the HTML written, the
page's search index entries and its anchors. The next build renders only the pages whose
inputs differ and takes the others' HTML from the site in place, after checking its bytes
against the record: the output folder is not devtalks' own, and a file there may have
been edited or planted since.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..state import digest, read_entry, state_dir, write_entry
from .spec import SiteSpec

KIND = "pages"
PARTS = "parts"
FEED = "feed"


@dataclass
class Kept:
    """A page taken over from the previous build: its HTML, search index entries and anchors."""

    dest: str                 # the HTML file's path in the site
    source: Path              # that file in the site in place, checked against the record
    html: bytes
    digest: str               # of html: what the record says, and what the file was found to hold
    entries: list[dict]
    anchors: list[str]
    chrome: dict[str, str]    # the theme's icons and scripts it refers to (chrome.Chrome.used)

    def put(self, site: Path) -> None:
        """The page into the new site: a hard link to the file in place (unchanged to rsync and caches), else a copy."""
        target = site / self.dest
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(self.source, target)
        except OSError:
            target.write_bytes(self.html)


@dataclass
class Rendered:
    """What a build tells about one page, to be remembered for the next build."""

    dest: str
    entries: list[dict] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    chrome: dict[str, str] = field(default_factory=dict)
    digest: str = ""  # of its HTML, when known without reading it again: a kept page's


def _record_file(out: Path, key: str) -> Path:
    return state_dir(out, KIND, key.replace("/", "__"))  # never under out: a commit could plant it


def page_digests(base: str, spec: SiteSpec) -> dict[str, str]:
    """Page path → a digest of everything its HTML follows from (Markdown pages only)."""
    frame = json.dumps([base, spec.key, spec.title, spec.language, spec.nav, spec.description], ensure_ascii=False).encode()
    out = {}
    for path, text in spec.pages.items():
        if path.endswith(".md"):
            h = hashlib.blake2b(frame, digest_size=20)
            h.update(b"\0" + path.encode() + b"\0" + text.encode())
            out[path] = h.hexdigest()
    return out


def _row(value: object, chrome: dict) -> tuple[str, str, str, list[dict], list[str], dict[str, str]] | None:
    """One stored page as (inputs, HTML digest, dest, entries, anchors, chrome); None when it is not what
    remember() wrote."""
    if not (isinstance(value, list) and len(value) == 6):
        return None
    inputs, html, dest, entries, anchors, used = value
    if not (isinstance(used, list) and all(isinstance(k, str) and isinstance(chrome.get(k), str) for k in used)):
        return None
    if not all(isinstance(v, str) for v in (inputs, html, dest)) or ".." in dest.split("/") or dest.startswith("/"):
        return None
    if not (isinstance(entries, list) and all(isinstance(e, dict) and all(isinstance(k, str) for k in e)
                                              for e in entries)):
        return None
    if not (isinstance(anchors, list) and all(isinstance(a, str) for a in anchors)):
        return None
    return inputs, html, dest, entries, anchors, {k: chrome[k] for k in used}


def reusable(out: Path, key: str, digests: dict[str, str]) -> dict[str, Kept]:
    """The pages of site `key` whose inputs are as at its last build and whose HTML in place is what it wrote."""
    stored = read_entry(_record_file(out, key), KIND)
    if not (isinstance(stored, dict) and isinstance(stored.get("pages"), dict) and isinstance(stored.get("chrome"), dict)):
        return {}
    site = out / key
    kept = {}
    for path, inputs in digests.items():
        row = _row(stored["pages"].get(path), stored["chrome"])
        if row is None or row[0] != inputs:
            continue
        source = site / row[2]
        try:
            html = source.read_bytes() if not source.is_symlink() else b""
        except OSError:
            continue
        if digest(html) == row[1]:
            kept[path] = Kept(row[2], source, html, row[1], row[3], row[4], row[5])
    return kept


def same_files(site: Path, spec: SiteSpec) -> bool:
    """Whether the site in place already holds the spec's other files (calendar.ics) byte for byte."""
    for path, text in spec.pages.items():
        if not path.endswith(".md"):
            try:
                if (site / path).read_bytes() != text.encode():
                    return False
            except OSError:
                return False
    return True


def remember(out: Path, key: str, digests: dict[str, str], site: Path, pages: dict[str, Rendered]) -> None:
    """Record the site just put in place at out/key; `site` is where its files are now."""
    rows, chrome = {}, {}
    for path, inputs in digests.items():
        page = pages.get(path)
        if page is None:
            continue
        try:
            written = page.digest or digest((site / page.dest).read_bytes())
        except OSError:
            continue
        rows[path] = [inputs, written, page.dest, page.entries, page.anchors, sorted(page.chrome)]
        chrome.update(page.chrome)
    write_entry(_record_file(out, key), KIND, {"pages": rows, "chrome": chrome})


def forget(out: Path, key: str) -> None:
    """Drop the record of a site that was removed."""
    for file in (_record_file(out, key), _parts_file(out, key), _feed_file(out, key)):
        file.unlink(missing_ok=True)


class Parts:
    """The Markdown of each report's pages in a manager's site as its last build generated them.

    Those pages show one report and the team's shared files, so the fingerprint of exactly
    that (inputs.TeamInputs.part) decides them: when one report's talk changed, the others'
    pages are taken from here instead of generated again.
    """

    def __init__(self, out: Path, key: str, fingerprint: Callable[[str], str]):
        self.file = _parts_file(out, key)
        self.fingerprint = fingerprint
        stored = read_entry(self.file, PARTS)
        self.kept = stored if isinstance(stored, dict) else {}
        self.made: dict[str, list] = {}

    def pages(self, person: str, generate: Callable[[], tuple[dict[str, str], list]]) -> tuple[dict[str, str], list]:
        """A report's pages and navigation: the kept ones when their fingerprint is the same, else generate()."""
        fp = self.fingerprint(person)
        found = _part(self.kept.get(fp), f"{person}/")
        if found is None:
            found = generate()
        self.made[fp] = [found[0], found[1]]
        return found

    def keep(self) -> None:
        """Remember the parts of the site just put in place, and only those."""
        write_entry(self.file, PARTS, self.made)


class Feed:
    """A site's calendar feed as its last build wrote it, under a digest of everything that decides its bytes.

    Writing a feed means importing icalendar and building every event, about a fifth of a
    rebuild where one talk's text changed and no date moved; this hands back the kept feed.
    """

    def __init__(self, out: Path, key: str, base: str):
        self.file = _feed_file(out, key)
        self.base = base

    def __call__(self, decides: list, make: Callable[[], str]) -> str:
        """The kept feed if `decides` (calendar.feed's title, day and events) is as then, else make() and keep it."""
        decided = digest(json.dumps([self.base, decides], ensure_ascii=False).encode())
        kept = read_entry(self.file, FEED)
        if isinstance(kept, dict) and kept.get("digest") == decided and isinstance(kept.get("ics"), str):
            return kept["ics"]
        text = make()
        write_entry(self.file, FEED, {"digest": decided, "ics": text})
        return text


def _feed_file(out: Path, key: str) -> Path:
    return state_dir(out, FEED, key.replace("/", "__"))  # never under out: a commit could plant it


def _parts_file(out: Path, key: str) -> Path:
    return state_dir(out, PARTS, key.replace("/", "__"))  # never under out: a commit could plant it


def _part(value: object, prefix: str) -> tuple[dict[str, str], list] | None:
    """(pages, navigation) as Parts.keep stored them, every page under `prefix`; None for anything else."""
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], dict) and value[0] and _nav(value[1])):
        return None
    pages, nav = value
    if not all(isinstance(k, str) and k.startswith(prefix) and isinstance(v, str) for k, v in pages.items()):
        return None
    return pages, nav


def _nav(value: object) -> bool:
    """Whether `value` is a navigation: [{title: path or navigation}, …]."""
    return isinstance(value, list) and all(
        isinstance(item, dict) and len(item) == 1 and all(isinstance(k, str) and (isinstance(v, str) or _nav(v))
                                                           for k, v in item.items())
        for item in value)
