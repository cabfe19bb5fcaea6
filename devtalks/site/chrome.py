"""The theme's chrome stored once: the icons and scripts Material repeats on every page.

Material writes each header icon as inline SVG and its palette script inline into every page,
about 2 KB a page. Outside the article, each such icon becomes an empty <svg> painted by a CSS
mask from one stylesheet, and each such script a <script src> to a file of its own. Those
files depend only on the theme and its configuration, so every site hard-links one stored copy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from .publish import put

STYLESHEET = "assets/devtalks/icons.css"

# An icon exactly as Material includes it from its .icons folder: no attribute of its own.
_ICON = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="([^"]+)">.*?</svg>', re.S)
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
# Material's first script: the site's place, then helpers that read and write the reader's settings.
_SCOPE = re.compile(r'(__md_scope=new URL\("[^"]*",location\)),(.+)', re.S)
_BETWEEN_TAGS = re.compile(r">\n<")  # in the theme's flex and block boxes a line break between tags draws nothing
# Head lines for crawlers and search engines, which a private site never has: page order, address, software.
_CRAWLER_HINTS = re.compile(r'<(?:link rel="(?:canonical|prev|next)"|meta name="generator")[^>]*>\n?')
_ARTICLE = re.compile(r"(<article\b.*?</article>)", re.S)
_ICON_CLASS = re.compile(r'<svg class="dt-i (dt-i-[0-9a-f]+)"')
_SCRIPT_SRC = re.compile(r'<script src="[^"]*?(assets/devtalks/js/[0-9a-f]+\.js)"></script>')


class Chrome:
    """One site's repeated chrome, collected while its pages are written."""

    def __init__(self) -> None:
        self.icons: dict[str, str] = {}    # class → the icon's markup
        self.scripts: dict[str, str] = {}  # path in the site → script

    def page(self, html: str, base: str) -> str:
        """`html` with the chrome's icons and scripts referenced; the article is the reader's and stays as it is."""
        parts = _ARTICLE.split(html)
        for i in range(0, len(parts), 2):
            chrome = _ICON.sub(self._icon, _CRAWLER_HINTS.sub("", parts[i]))
            parts[i] = _BETWEEN_TAGS.sub("><", _SCRIPT.sub(lambda m: self._script(m, base), chrome))
        return "".join(parts)

    def _icon(self, m: re.Match) -> str:
        name = "dt-i-" + _digest(m.group(0))
        self.icons[name] = m.group(0)
        return f'<svg class="dt-i {name}" viewBox="{m.group(1)}"></svg>'

    def _script(self, m: re.Match, base: str) -> str:
        code = m.group(1)
        scoped = _SCOPE.match(code)
        if scoped:  # where the site is differs from page to page; the helpers after it do not
            return f"<script>{scoped.group(1)}</script>{self._stored_script(scoped.group(2), base)}"
        if f'"{base}"' in code:
            return m.group(0)
        return self._stored_script(code, base)

    def _stored_script(self, code: str, base: str) -> str:
        path = f"assets/devtalks/js/{_digest(code)}.js"
        self.scripts[path] = code
        return f'<script src="{base.rstrip("/")}/{path}"></script>'

    def used(self, html: str) -> dict[str, str]:
        """The icons (by class) and scripts (by path) a page written by page() refers to."""
        found = {name: self.icons[name] for name in _ICON_CLASS.findall(html) if name in self.icons}
        return found | {path: self.scripts[path] for path in _SCRIPT_SRC.findall(html) if path in self.scripts}

    def add(self, used: dict[str, str]) -> None:
        """What used() returned for a page that is not written again: the site's files still serve it."""
        for key, text in used.items():
            (self.icons if key.startswith("dt-i-") else self.scripts)[key] = text

    def files(self) -> dict[str, str]:
        """Path in the site → content, for the stylesheet and every script the pages now load."""
        rules = [f'.{name}{{--dt-i:url("data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}")}}'
                 for name, svg in sorted(self.icons.items())]
        return {STYLESHEET: "\n".join(rules) + "\n", **self.scripts}

    def write(self, folder: Path) -> list[tuple[str, str]]:
        """Store each file once under `folder`, named by its content: (path in the site, stored file)."""
        stored = []
        for dest, text in self.files().items():
            path = folder / f"{_digest(text)}{Path(dest).suffix}"
            if not path.is_file():
                folder.mkdir(parents=True, exist_ok=True)
                put(path, lambda tmp: tmp.write_text(text, encoding="utf-8"),
                    lambda: path.read_text(encoding="utf-8") == text)
            stored.append((dest, str(path)))
        return stored


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=5).hexdigest()
