"""The only module that talks to mkdocs: a SiteSpec in, a static site out.

Every generated site inherits the repository's mkdocs.yml (theme, palette, logo, extra) and
uses site_overrides/ as the theme's custom directory; devtalks then pins what it must:
no web fonts, no third-party plugin, no analytics or repository widget (nothing may leave
the site's origin), its own navigation, Markdown extensions and styles. One Engine lives as
long as its process and reuses the compiled theme templates across builds.
"""

from __future__ import annotations

import copy
import io
import json
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner is not ours to print

import jinja2  # noqa: E402
from markdown.extensions.toc import slugify  # noqa: E402
from mkdocs import exceptions  # noqa: E402
from mkdocs.commands.build import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.utils import get_themes  # noqa: E402

from ..errors import DevtalksError  # noqa: E402
from ..read.yamlsource import MAX_BYTES, parse  # noqa: E402
from ..state import read_entry, write_entry  # noqa: E402
from . import policy  # noqa: E402
from .chrome import STYLESHEET  # noqa: E402
from .plugin import AfterSearch, Pages  # noqa: E402
from .publish import refuse_links_out  # noqa: E402
from .reuse import Kept, Rendered  # noqa: E402
from .sandbox import fault, theme_env  # noqa: E402
from .spec import SiteSpec  # noqa: E402

log = logging.getLogger("devtalks.site")

OVERLAY = Path(__file__).parent / "theme"
EXTRA_CSS = ["assets/devtalks/devtalks.css", STYLESHEET]
# Material's offline plugin writes the search index as a script too, so search works from a site opened from disk;
# it adds an `iframe-worker` shim from another origin unless one is there: this one is the site's own.
PLUGINS = ["search", "offline"]
POLYFILLS = ["assets/devtalks/iframe-worker.js"]
FEATURES = {"navigation.prune", "navigation.top", "toc.follow", "toc.integrate"}
ANCHOR = 24  # a heading id's length, cut at a word: a whole question was written twice (page, search index)


def anchor(value: str, separator: str) -> str:
    """A heading's id from its first words; the table of contents numbers any that repeat."""
    slug = slugify(value, separator)
    return slug if len(slug) <= ANCHOR else slug[:ANCHOR + 1].rsplit(separator, 1)[0]


MARKDOWN = [{"toc": {"toc_depth": 2, "slugify": anchor}}, "attr_list"]
# Keys of the repository's mkdocs.yml a site inherits; the rest is devtalks' to decide.
INHERITED = ("theme", "extra", "copyright", "site_url", "site_author", "site_description", "extra_css")
# extra: keys that would load something from elsewhere or track readers.
UNSAFE_EXTRA = ("analytics", "consent", "social", "alternate", "version")


class SiteBuildError(DevtalksError):
    """mkdocs refused a site: a configuration error, or a warning in strict mode."""


class Engine:
    def __init__(self, repo: Path, cache_dir: Path, share_assets: bool = True, reuse_templates: bool = True,
                 theme_stamp: str | None = None):
        """`theme_stamp` decides every file of the theme (build.base_fingerprint): with it, their list is kept on disk."""
        self.repo = Path(repo).resolve()
        self.theme_stamp = theme_stamp
        self.cache_dir = cache_dir
        self.config_file = self.repo / "mkdocs.yml"
        self.user = self._user_config()
        self.share_assets = share_assets
        self.reuse_templates = reuse_templates
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Its own folder: a template compiled outside the sandbox calls what it likes, and Jinja's cache cannot tell.
        (cache_dir / "jinja-sandboxed").mkdir(exist_ok=True)
        self.bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir / "jinja-sandboxed"))
        self.chrome_dir = cache_dir / "chrome"
        self.docs_dir = cache_dir / "docs"
        self.docs_dir.mkdir(exist_ok=True)
        self._envs: dict[tuple, jinja2.Environment] = {}

    def _user_config(self) -> dict:
        """mkdocs.yml as plain data: no !ENV, !relative or INHERIT may reach past the file itself."""
        if not self.config_file.is_file():
            return {}
        refuse_links_out(self.repo, self.config_file)
        with open(self.config_file, "rb") as f:
            src = parse("mkdocs.yml", f.read(MAX_BYTES + 1))
        errors = [d for d in src.diagnostics if d.is_error]
        if errors:
            d = errors[0]
            raise DevtalksError(f"{self.config_file}:{d.line}:{d.column}: {d.message}" + (f" — {d.hint}" if d.hint else ""))
        for loc, value in policy.elsewhere(src.data):
            line, col = src.where(loc)
            raise DevtalksError(f"{self.config_file}:{line}:{col}: {'.'.join(map(str, loc))} `{value}` is no path inside "
                                "the site: a browser would fetch it from another origin, which then learns who reads "
                                "which site — put the file under site_overrides/ and give its path, e.g. "
                                "assets/images/logo.svg")
        return src.data

    def _config(self, spec: SiteSpec, site_dir: Path, site_url: str | None, kept: dict[str, Kept]):
        user = copy.deepcopy({k: v for k, v in self.user.items() if k in INHERITED})  # mkdocs edits what it is given
        theme = user.pop("theme", None) or {}
        theme = {"name": theme} if isinstance(theme, str) else dict(theme)
        theme.setdefault("name", "material")
        custom = theme.get("custom_dir") or "site_overrides"
        custom_dir = (self.repo / str(custom)).resolve()
        if custom_dir.is_dir():
            refuse_links_out(self.repo, custom_dir)
            theme["custom_dir"] = str(custom_dir)
        else:
            theme.pop("custom_dir", None)
        theme.update(language=spec.language, font=False, features=sorted(FEATURES | set(theme.get("features") or [])))
        extra = {k: v for k, v in (user.pop("extra", None) or {}).items() if k not in UNSAFE_EXTRA}
        extra["polyfills"] = list(POLYFILLS)  # scripts every page loads first: only the site's own
        local_css = user.pop("extra_css", None) or []  # each one a path inside the site (_user_config)
        local_css = local_css if isinstance(local_css, list) else [local_css]
        base_url = user.pop("site_url", None)
        user.setdefault("site_description", spec.description)  # the team's own, if its mkdocs.yml has one
        if site_url is None and base_url:
            site_url = f"{str(base_url).rstrip('/')}/{spec.key}/"
        cfg = load_config(
            config_file=io.BytesIO(b"{}"), config_file_path=str(self.config_file),
            **user, site_name=spec.title, site_url=site_url, docs_dir=str(self.docs_dir), site_dir=str(site_dir),
            nav=spec.nav, theme=theme, extra=extra, extra_css=[*EXTRA_CSS, *local_css], plugins=list(PLUGINS),
            markdown_extensions=copy.deepcopy(MARKDOWN), use_directory_urls=False, strict=True, hooks=[], watch=[],
        )
        cfg.theme.dirs.insert(1 if custom_dir.is_dir() else 0, str(OVERLAY))
        cfg.theme.get_env = self._env_factory(cfg.theme)
        plugin = Pages(spec, self.share_assets, self.chrome_dir, kept)
        cfg.plugins["devtalks"] = plugin
        cfg.plugins["devtalks-after-search"] = AfterSearch(plugin)
        return cfg, plugin

    def _env_factory(self, theme) -> Callable[[], jinja2.Environment]:
        """Theme templates render sandboxed (sandbox.py) and compile once per process (then load from the bytecode
        cache)."""
        key = (tuple(theme.dirs), str(theme.locale))

        def get_env() -> jinja2.Environment:
            env = self._envs.get(key) if self.reuse_templates else None
            if env is None:
                env = theme_env(theme)
                env.bytecode_cache = self.bytecode
                stamp = self.theme_stamp and json.dumps([self.theme_stamp, key[0]])
                env.list_templates = _listed_once(env.list_templates, stamp and self.cache_dir / "theme-files.json", stamp)
                if self.reuse_templates:
                    self._envs[key] = env
            return env
        return get_env

    def warm(self, language: str) -> list[tuple[str, str]]:
        """Build a one-page site in `language`, loading what the first build in a process loads (mkdocs'
        configuration, plugins and Markdown extensions, the theme's templates, search), so that processes forked
        after this do not load it each. Returns its shared theme files, as build() does; none where that fails,
        and the build that loads it again says why."""
        site = self.cache_dir / "warm"  # one a killed process left is cleared first
        shutil.rmtree(site, ignore_errors=True)
        try:
            shared, _ = self.build(SiteSpec("warm", "warm", language, {"index.md": "# warm\n"}, [{"warm": "index.md"}]),
                                   site)
        except DevtalksError:
            shared = []
        finally:
            shutil.rmtree(site, ignore_errors=True)
        # Loading a configuration looks up the installed themes (every package's entry points, about 12 ms) and
        # then forgets them; looked up once more here, the next configuration loaded, in a fork, finds them.
        get_themes()
        return shared

    def build(self, spec: SiteSpec, site_dir: Path, site_url: str | None = None,
              kept: dict[str, Kept] | None = None) -> tuple[list[tuple[str, str]], dict[str, Rendered]]:
        """Build `spec` into the empty folder `site_dir`, taking the `kept` pages' HTML as it is.

        Returns the theme files that were left out because they are the same in every site,
        as (path in the site, source file), which the caller links in from one shared copy,
        and what each page became (its HTML file, search entries and anchors).
        """
        kept = kept or {}
        with _mkdocs_log() as messages:
            try:
                cfg, plugin = self._config(spec, site_dir, site_url, kept)
                mkdocs_build(cfg, dirty=bool(kept))
            except Exception as e:  # a repository's template can raise anything: fault() tells whose it is
                detail = fault(e, self.repo)
                if isinstance(e, jinja2.TemplateSyntaxError):
                    detail = f"{e.filename or e.name}:{e.lineno}: {e.message}"
                elif detail is None and isinstance(e, (exceptions.MkDocsException, jinja2.TemplateError, OSError)):
                    detail = "; ".join(messages) or str(e)
                elif detail is None:
                    raise
                raise SiteBuildError(f"site {spec.key}: mkdocs failed: {detail}") from None
        return plugin.shared, plugin.rendered

    def serve(self, make_spec: Callable[[], SiteSpec], watch: list[Path], host: str, port: int,
              ready: Callable[[str], None]) -> None:
        """Build one site, serve it on host:port and rebuild it (and reload browsers) on every change."""
        from mkdocs.livereload import LiveReloadServer

        site_dir = Path(tempfile.mkdtemp(prefix="devtalks-serve-"))
        url = f"http://{host}:{port}/"

        def builder() -> None:
            try:
                self.user = self._user_config()
                self.build(make_spec(), site_dir, site_url=url)
            except DevtalksError as e:
                log.error("error: %s", e)

        class Preview(LiveReloadServer):
            def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
                # mkdocs puts its live-reload script inline, last before </body>: the page's policy allows that one
                page = super()._inject_js_into_html(content, epoch).decode()
                return policy.allow(page, page[page.rindex("<script>") + 8:page.rindex("</script>")]).encode()

        server = Preview(builder=builder, host=host, port=port, root=str(site_dir))
        server.error_handler = lambda code: (site_dir / "404.html").read_bytes() if (site_dir / "404.html").is_file() else None
        try:
            builder()
            for path in watch:
                if path.exists():
                    server.watch(str(path))
            ready(url)
            with _mkdocs_log():
                server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
            shutil.rmtree(site_dir, ignore_errors=True)


def _listed_once(list_templates: Callable, stored: Path | None, stamp: str | None) -> Callable:
    """mkdocs lists and filters the theme's files (thousands of icons) on every build, the slowest step of a
    small site; they change only with the stamp, so the list is kept for the process, and on disk under a stamp."""
    listed: dict = {}

    def cached(extensions=None, filter_func=None):
        if "names" not in listed:
            kept = read_entry(stored, "theme-files") if stored else None
            if isinstance(kept, dict) and kept.get("stamp") == stamp and isinstance(kept.get("names"), list) \
                    and all(isinstance(n, str) for n in kept["names"]):
                listed["names"] = kept["names"]
            else:
                listed["names"] = list_templates(extensions, filter_func)
                if stored:
                    write_entry(stored, "theme-files", {"stamp": stamp, "names": listed["names"]})
        return listed["names"]
    return cached


class _Messages(logging.Handler):
    def __init__(self, into: list[str]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    """mkdocs warns that a dirty build may get the navigation wrong; ours keeps only pages whose navigation is the same."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


@contextmanager
def _mkdocs_log() -> Iterator[list[str]]:
    """mkdocs' warnings go to our error message, not the terminal; its chatter goes nowhere."""
    logger = logging.getLogger("mkdocs")
    messages: list[str] = []
    handler = _Messages(messages)
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    builder = logging.getLogger("mkdocs.commands.build")
    builder.addFilter(_not_dirty_warning)
    try:
        yield messages
    finally:
        builder.removeFilter(_not_dirty_warning)
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
