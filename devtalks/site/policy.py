"""What a page may load: the Content-Security-Policy every page carries, and the files mkdocs.yml names for them.

Script, style, images, fonts and fetches come from the site itself (images also from data: URIs, which the
theme's icons are); nothing runs from an inline handler, an inline style or a plugin, no <base> moves the page,
and no form is sent. The theme's inline scripts in the chrome (chrome.py leaves only those that say where the
site is) are allowed by their sha256 hashes, worked out from the page itself; the article gets none. So markup
that slips into a page still cannot run.

The logo, favicon and stylesheets mkdocs.yml names must be files of the site (elsewhere()).
"""

from __future__ import annotations

import base64
import hashlib
import re

DIRECTIVES = ("default-src 'none'", "script-src 'self'{hashes}", "style-src 'self'", "img-src 'self' data:",
              "font-src 'self'", "connect-src 'self'", "worker-src 'self'", "manifest-src 'self'",
              "object-src 'none'", "base-uri 'none'", "form-action 'none'")
_INLINE = re.compile(r"<script>(.*?)</script>", re.S)  # a script with no attribute: no src, no data type
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content="[^"]*?script-src \'self\')')


def protect(html: str) -> str:
    """`html` with the policy first in its <head> (after the charset): as a <meta> it covers only what follows it."""
    start = html.find("<article")
    end = html.find("</article>", start) if start >= 0 else -1
    chrome = (m.group(1) for m in _INLINE.finditer(html) if not start <= m.start() < end)
    meta = _meta("".join(f" '{digest(code)}'" for code in dict.fromkeys(chrome)))
    found = _CHARSET.search(html) or _HEAD.search(html)
    at = found.end() if found else 0
    return html[:at] + meta + html[at:]


def allow(html: str, code: str) -> str:
    """`html` (a page protect() made) with its policy also allowing the inline script `code`."""
    return _META.sub(lambda m: f"{m.group(1)} '{digest(code)}'", html, count=1)


def digest(code: str) -> str:
    """An inline script's source in CSP's form: sha256 over its UTF-8 bytes, in base64."""
    return "sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()


def _meta(hashes: str) -> str:
    policy = "; ".join(DIRECTIVES).replace("{hashes}", hashes)
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


# What a browser reads as another origin or a scheme: `\` as `/` (`\\evil.example/x.png`, `/\evil`), a leading `/`
# (`//evil`), a colon (`https:`, `javascript:`), control characters and edge spaces (dropped, then `//` again).
_NOT_IN_SITE = re.compile(r"[\\:\x00-\x1f\x7f]|^[/ ]| $")


def elsewhere(config: object) -> list[tuple[tuple, object]]:
    """(key path, value) of each file mkdocs.yml names for every page (logo, favicon, extra_css) that is no
    relative path inside the site."""
    if not isinstance(config, dict):
        return []
    theme, css = config.get("theme"), config.get("extra_css")
    named = [(("theme", key), theme[key]) for key in ("logo", "favicon")
             if isinstance(theme, dict) and theme.get(key) is not None]
    if isinstance(css, list):
        named += [(("extra_css", i), path) for i, path in enumerate(css)]
    elif css is not None:
        named.append((("extra_css",), css))
    return [(loc, path) for loc, path in named if not isinstance(path, str) or not path or _NOT_IN_SITE.search(path)]
