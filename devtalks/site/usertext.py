"""User text is text: answers and summaries as Markdown, with raw HTML shown, never run.

Raw HTML is escaped by a Markdown parser that has no HTML rules (so `<script>` shows as
text instead of vanishing), images become plain text (a picture from elsewhere would tell
a third party who read the page), and nh3 keeps only the tags Markdown makes and links
with a safe scheme: a `javascript:` link loses its href and is no link at all.

Every step takes time in proportion to the text: runs of blank lines become one before any
pattern sees them, a link's `]` and `)` are looked for within 1,000 characters, a text with
more than 200 `[` is read without links, and one over 10,000 characters is shown whole as
plain paragraphs (Markdown would take time in the square of its length).
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
# Longer than any real link target with its title; an unclosed `](` scans no further than this.
_LINK_SPAN = 1000
_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n)+")
_BRACKET = re.compile(r"[\[\]]")
# Markdown takes time in the square of some texts' length (headings, escapes, lists); a longer text is plain paragraphs.
MARKDOWN_LIMIT = 10_000
# More `[` than any summary has links: the text is read without links, each `[` shown as it is.
_MAX_LINKS = 200


@lru_cache(maxsize=None)
def _parser(links: bool = True):
    """Python-Markdown, loaded for the first text that has Markdown in it: most are paragraphs of plain text."""
    import markdown
    from markdown.extensions.sane_lists import SaneListExtension

    # An instance, not the name "sane_lists": a name makes Markdown scan every installed package's entry points.
    md = markdown.Markdown(extensions=[SaneListExtension()])
    md.preprocessors.deregister("html_block")
    _bounded_links(md)
    for pattern in ("html", "image_link", "image_reference", "short_image_ref",
                    *(() if links else ("link", "reference", "short_reference", "autolink", "automail"))):
        if pattern in md.inlinePatterns:
            md.inlinePatterns.deregister(pattern)
    return md


def _bounded_links(md) -> None:
    """Markdown's link and reference patterns, looking for `]` and `)` within _LINK_SPAN characters.

    Markdown scans from each `[` and `](` towards the end of the text, again after every link it makes: a text of
    links or unclosed brackets would take time in the square of its length without the bound.
    """
    from markdown.inlinepatterns import LINK_RE, REFERENCE_RE, LinkInlineProcessor, ReferenceInlineProcessor

    class Bounded(LinkInlineProcessor):
        def getText(self, data: str, index: int) -> tuple[str, int, bool]:
            depth = 1
            for bracket in _BRACKET.finditer(data, index, index + _LINK_SPAN):
                depth += 1 if bracket.group() == "[" else -1
                if depth == 0:
                    return data[index:bracket.start()], bracket.end(), True
            return "", index, False

        def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
            window = data[index:index + _LINK_SPAN]
            if ")" not in window:
                return "", None, index, False
            href, title, end, handled = super().getLink(window, 0)
            return href, title, index + end, handled

    class BoundedReference(Bounded, ReferenceInlineProcessor):
        pass

    md.inlinePatterns.register(Bounded(LINK_RE, md), "link", 160)
    md.inlinePatterns.register(BoundedReference(REFERENCE_RE, md), "reference", 170)


# Text without any character Markdown or HTML would act on is paragraphs of plain text.
_PLAIN = re.compile(r"[\\`*_\[\]<>&#!|~=]|^[ \t]*(?:[-+]|\d+[.)])(?:\s|$)|^ {4}|  $|https?:|www\.|@", re.M)


@lru_cache(maxsize=4096)
def render(text: str | None) -> Markup:
    """User Markdown → safe HTML (a fragment without blank lines, so it stays one HTML block)."""
    if not text or not str(text).strip():
        return Markup("")
    text = _BLANK_RUN.sub("\n\n", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MARKDOWN_LIMIT or not _PLAIN.search(text):
        paragraphs = (" ".join(p.split("\n")).strip() for p in re.split(r"\n\s*\n", text.strip()))
        return Markup("\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p))
    import nh3

    out = _parser(text.count("[") <= _MAX_LINKS).reset().convert(text)
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
