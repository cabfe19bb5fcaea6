"""User text is text: answers and summaries as Markdown, with raw HTML shown, never run.

Raw HTML is escaped by a Markdown parser that has no HTML rules (so `<script>` shows as
text instead of vanishing), images become plain text (a picture from elsewhere would tell
a third party who read the page), and nh3 keeps only the tags Markdown makes and links
with a safe scheme: a `javascript:` link loses its href and is no link at all.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup

_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "code", "pre", "blockquote", "br", "hr",
         "h1", "h2", "h3", "h4", "h5", "h6"}
_SCHEMES = {"http", "https", "mailto"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


@lru_cache(maxsize=None)
def _parser():
    """Python-Markdown, loaded for the first text that has Markdown in it: most are paragraphs of plain text."""
    import markdown
    from markdown.extensions.sane_lists import SaneListExtension

    # An instance, not the name "sane_lists": a name makes Markdown scan every installed package's entry points.
    md = markdown.Markdown(extensions=[SaneListExtension()])
    md.preprocessors.deregister("html_block")
    for pattern in ("html", "image_link", "image_reference", "short_image_ref"):
        if pattern in md.inlinePatterns:
            md.inlinePatterns.deregister(pattern)
    return md


# Text without any character Markdown or HTML would act on is paragraphs of plain text.
_PLAIN = re.compile(r"[\\`*_\[\]<>&#!|~=]|^\s*(?:[-+]|\d+[.)])(?:\s|$)|^ {4}|  $|https?:|www\.|@", re.M)


@lru_cache(maxsize=4096)
def render(text: str | None) -> Markup:
    """User Markdown → safe HTML (a fragment without blank lines, so it stays one HTML block)."""
    if not text or not str(text).strip():
        return Markup("")
    text = str(text)
    if not _PLAIN.search(text):
        paragraphs = (" ".join(p.split("\n")).strip() for p in re.split(r"\n\s*\n", text.strip()))
        return Markup("\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p))
    import nh3

    out = _parser().reset().convert(text)
    clean = nh3.clean(out, tags=_TAGS, attributes={"a": {"href", "title"}}, url_schemes=_SCHEMES,
                      link_rel="noopener noreferrer")
    return Markup(re.sub(r"\n\s*\n", "\n", clean).strip())


def plain(text: object) -> Markup:
    """A short value (a title, a name) as escaped HTML on one line: no Markdown, no tags.

    Every line break becomes a space: a blank line would end the page's HTML block around the
    value, and Markdown (with attr_list) would read the rest.
    """
    return Markup(html.escape(" ".join(str(text).split()), quote=True))


def heading(text: object) -> Markup:
    """Text for a Markdown heading: on one line, HTML-escaped, Markdown characters backslash-escaped."""
    flat = " ".join(str(text).split())
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False)))


def shown(value: object) -> object:
    """What a page template prints for `{{ value }}`: HTML a renderer made as it is, anything else as plain()."""
    return value if isinstance(value, Markup) else plain(value)
