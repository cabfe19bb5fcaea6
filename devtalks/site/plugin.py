"""devtalks' own mkdocs plugins: the generated pages handed to mkdocs, and each page tidied after search has read it."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import policy
from .chrome import Chrome
from .reuse import Kept, Rendered
from .spec import SiteSpec


class _KeptFile(File):
    """A page whose HTML comes from the previous build: mkdocs' dirty build neither reads nor renders it."""

    def is_modified(self) -> bool:
        return False


class Pages(BasePlugin):
    """Hands mkdocs the generated pages, keeps shared theme files out of the site, and puts kept pages in."""

    def __init__(self, spec: SiteSpec, share_assets: bool, chrome_dir: Path, kept: dict[str, Kept]):
        super().__init__()
        self.spec = spec
        self.share_assets = share_assets
        self.chrome_dir = chrome_dir
        self.chrome = Chrome()
        self._base: dict[str, str] = {}  # page or template → its base_url, to reference the chrome's files
        self.kept = kept
        self.shared: list[tuple[str, str]] = []
        self.rendered: dict[str, Rendered] = {}
        self._blocks: dict[str, list[str]] = {}
        self._full: dict[str, str] = {}
        self._search = None        # the search plugin, whose index the kept pages' entries go into
        self._search_from = 0

    def on_files(self, files: Files, *, config) -> Files:
        out = Files([])
        for f in files:
            if f.is_documentation_page():
                continue  # the docs folder is empty: every page is generated
            if self.share_assets and f.abs_src_path:
                self.shared.append((f.dest_uri, f.abs_src_path))
                continue
            out.append(f)
        for path, markdown in self.spec.pages.items():
            made = (_KeptFile if path in self.kept else File).generated(config, path, content=markdown)
            if made.is_documentation_page():
                self.rendered[path] = Rendered(made.dest_uri)
            out.append(made)
        self._search = next((p for p in config.plugins.values() if hasattr(p, "search_index")), None)
        return out

    def on_env(self, env, *, config, files: Files):
        for path, page in self.kept.items():
            files.get_file_from_path(path).page.present_anchor_ids = set(page.anchors)  # links into it are checked
        return env

    @event_priority(100)
    def on_post_build(self, *, config) -> None:
        """Write the kept pages, and give the search index and the chrome what every page has, as a full build does."""
        for path, page in self.kept.items():
            page.put(Path(config.site_dir))
            self.rendered[path] = Rendered(page.dest, page.entries, page.anchors, page.chrome, page.digest)
            self.chrome.add(page.chrome)
        if self._search is not None:
            self._search.search_index.entries = [e for r in self.rendered.values() for e in r.entries]
        for sitemap in ("sitemap.xml", "sitemap.xml.gz"):
            # It invites crawlers, and these sites are private: devtalks' theme renders none (sitemap.xml is empty,
            # so mkdocs writes nothing), but a team's site_overrides/ may bring one.
            Path(config.site_dir, sitemap).unlink(missing_ok=True)
        if self.share_assets:
            self.shared.extend(self.chrome.write(self.chrome_dir))
            return
        for dest, text in self.chrome.files().items():
            Path(config.site_dir, dest).parent.mkdir(parents=True, exist_ok=True)
            Path(config.site_dir, dest).write_text(text, encoding="utf-8")

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        """Set the page's HTML blocks aside, so Markdown parses only headings and text (4× faster pages)."""
        blocks: list[str] = []

        def stash(chunk: str) -> str:
            if not _HTML_BLOCK.match(chunk):
                return chunk
            blocks.append(chunk)
            return f"DTHTMLBLOCK{len(blocks) - 1}Z"
        self._blocks[page.file.src_uri] = blocks
        return "\n\n".join(stash(chunk) for chunk in markdown.split("\n\n"))

    def on_page_content(self, html: str, *, page, config, files) -> str:
        blocks = self._blocks.pop(page.file.src_uri, [])
        return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html)

    @event_priority(100)
    def on_page_context(self, context, *, page, config, nav):
        """Hand the search index the page's headings and text only: it parses every tag it is given."""
        if page.title and not page.is_homepage:  # the theme's <title> shows meta.title as it is, but page.title through striptags, which unescapes
            page.meta["title"] = page.title
        self._full[page.file.src_uri] = _EXCLUDED.sub(r"\1", page.content)
        self._base[page.file.src_uri] = context["base_url"]
        page.content = _NOT_HEADING.sub(" ", unsearched(page.content))
        if self._search is not None:
            self._search_from = len(self._search.search_index.entries)
        return context

    def on_template_context(self, context, *, template_name: str, config):
        self._base[template_name] = context["base_url"]
        return context

    def on_post_page(self, output: str, *, page, config) -> str:
        html = policy.protect(self.chrome.page(squeeze(output), self._base.pop(page.file.src_uri)))
        self.rendered[page.file.src_uri].chrome = self.chrome.used(html)  # a kept page's share of the chrome
        return html

    def on_post_template(self, output: str, *, template_name: str, config) -> str:
        if not template_name.endswith(".html"):
            return output
        return policy.protect(self.chrome.page(squeeze(output), self._base.pop(template_name)))


def squeeze(html: str) -> str:
    """Drop the theme's indentation and blank lines (a fifth of every page), keeping <pre> and <textarea> exact."""
    parts = _VERBATIM.split(html)
    for i in range(0, len(parts), 2):
        parts[i] = _INDENT.sub("\n", parts[i])
    return "".join(parts)


def unsearched(html: str) -> str:
    """`html` without the elements marked SEARCH_EXCLUDE and all inside them, as Material's own index skips them."""
    while found := _EXCLUDED.search(html):
        depth, end = 0, len(html)
        for tag in re.finditer(rf"<(/?){found.group(2)}[\s>]", html[found.start():]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = html.index(">", found.start() + tag.end() - 1) + 1
                break
        html = html[:found.start()] + " " + html[end:]
    return html


# Elements a reader does not search for: a question's guidance, a talk's deadlines, a chart's numbers.
SEARCH_EXCLUDE = "data-search-exclude"
_EXCLUDED = re.compile(rf"(<(\w+)[^<>]*)\s{SEARCH_EXCLUDE}(?=[\s>])")  # inside a tag: user text has no raw <
# A raw HTML block as Markdown sees one: a block-level tag at the start of a chunk with no blank line.
_HTML_BLOCK = re.compile(r"^<(div|p|table|figure|ul|ol)[\s>]")
_NOT_HEADING = re.compile(r"(?:\s*<(?!/?h[1-6][\s>])[^>]*>\s*)+")
_PLACEHOLDER = re.compile(r"<p>DTHTMLBLOCK(\d+)Z</p>")
_VERBATIM = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.S | re.I)
_INDENT = re.compile(r"\n\s+")


class AfterSearch(BasePlugin):
    """Puts each page's full content back once the search index has read its text."""

    def __init__(self, pages: Pages):
        super().__init__()
        self.pages = pages

    @event_priority(-100)
    def on_page_context(self, context, *, page, config, nav):
        pages = self.pages
        page.content = pages._full.pop(page.file.src_uri)
        done = pages.rendered[page.file.src_uri]
        done.anchors = sorted(page.present_anchor_ids or ())
        if pages._search is not None:
            done.entries = [dict(e) for e in pages._search.search_index.entries[pages._search_from:]]
        return context
