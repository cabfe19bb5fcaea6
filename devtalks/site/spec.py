"""What a site engine is handed: a title, a language, pages as Markdown, and the navigation."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field


@dataclass
class SiteSpec:
    key: str                      # people/<id>, managers/<id> or hr: also the site's folder under the output
    title: str
    language: str
    pages: dict[str, str]         # path of a page (ending .md) → its Markdown; any other path (calendar.ics) → its file
    nav: list = field(default_factory=list)   # [{title: path}] or [{title: [{title: path}, …]}]
    description: str = ""         # every page's meta description: what the site is for, never whose it is

    def digest(self) -> str:
        h = hashlib.blake2b(digest_size=20)
        h.update(json.dumps([self.key, self.title, self.language, self.nav, self.description],
                            ensure_ascii=False).encode())
        for path in sorted(self.pages):
            h.update(b"\0" + path.encode() + b"\0" + self.pages[path].encode())
        return h.hexdigest()
