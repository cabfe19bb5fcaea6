"""The Jinja environment every site's theme templates render in: a sandbox, because a repository supplies them.

`site_overrides/` (or any `custom_dir`) can hold main.html, partials and any other template, and anyone who can
open a pull request can change them; `build`, `serve` and `person export` then render them on a reviewer's, CI's or
HR's machine, with GITHUB_TOKEN in the environment. So the theme's templates (Material's own too: one environment
renders them all) may read data and call only what is plain data or Jinja's own: string and list methods, macros,
blocks, loops and Jinja's globals. Everything else is refused with a clear error naming the template and line —
an attribute starting with `_` (`cycler.__init__.__globals__`, `self._TemplateReference__context`), a method of
mkdocs' or devtalks' objects (a plugin's, a page's, a file's: those write and read files), a module, os.environ.
"""

from __future__ import annotations

import os
import traceback
import types
from collections import UserDict
from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Cycler, Joiner
from markupsafe import Markup
from mkdocs import localization
from mkdocs.utils import templates

# Values whose C methods only read (the immutable sandbox already refuses list.append, dict.update and the like).
_DATA = (str, bytes, int, float, bool, dict, list, tuple, set, frozenset, range, type(None))
# Jinja's own callables: a macro, `super()` and `self.block()`, a recursive loop, cycler(), joiner().
_JINJA = (Macro, BlockReference, LoopContext, Cycler, Joiner)
# str.format as the sandbox hands it out: a function of its own that formats without reaching attributes.
_SANDBOXED_FORMAT = ImmutableSandboxedEnvironment().wrap_str_format("".format).__code__
# A mapping's reading methods (mkdocs' config.extra is one): they do no more than `mapping[key]`, which is allowed.
_MAPPING_READS = {f for kind in (Mapping, UserDict) for name in ("get", "keys", "items", "values")
                  if (f := kind.__dict__.get(name))}


class SiteSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, which calls nothing but data methods, Jinja's own and the environment's globals."""

    def is_safe_callable(self, obj: object) -> bool:
        if not super().is_safe_callable(obj):
            return False
        owner = getattr(obj, "__self__", None)
        if isinstance(obj, types.BuiltinMethodType) and isinstance(owner, _DATA):
            return True  # "a,b".split(","), page.meta.get("x")
        if isinstance(obj, types.MethodType) and (type(owner) is Markup or isinstance(owner, _JINJA)):
            return True  # markupsafe's own string methods; loop.cycle(), cycler.next()
        if getattr(obj, "__func__", None) in _MAPPING_READS or getattr(obj, "__code__", None) is _SANDBOXED_FORMAT:
            return True  # config.extra.get("team"), "{}!".format(name)
        return isinstance(obj, _JINJA) or any(obj is g for g in self.globals.values())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: object, attr: str, value: object) -> bool:
        """Jinja's answer, kept per (type, name), which is all it depends on: Material's navigation reads the same
        few attributes of the same few types a million times in a 200-person build (a third of its time)."""
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe

    def getattr(self, obj, attribute):
        return _checked(super().getattr(obj, attribute), obj, attribute)  # obj.name falls back to obj["name"]

    def getitem(self, obj, argument):
        return _checked(super().getitem(obj, argument), obj, argument)

    def unsafe_undefined(self, obj: object, attribute: str):
        """Refused at once: an unsafe name that rendered as nothing would look like a template bug, not a refusal."""
        raise SecurityError(f"access to `{attribute}` of a {type(obj).__name__} object is not allowed")

    def call(self, context, obj, /, *args, **kwargs):
        if not self.is_safe_callable(obj):
            raise SecurityError(f"calling `{getattr(obj, '__qualname__', type(obj).__name__)}` is not allowed")
        return super().call(context, obj, *args, **kwargs)


def _checked(value, obj, key):
    """`value`, unless it is a module (os, sys) or the process's environment, which no template may hold."""
    if not isinstance(value, types.ModuleType) and value is not os.environ:
        return value
    raise SecurityError(f"access to `{key}` of a {type(obj).__name__} object is not allowed")


def theme_env(theme) -> SiteSandbox:
    """A theme's environment as mkdocs' Theme.get_env makes it (its loader, filters and translations), sandboxed."""
    env = SiteSandbox(loader=jinja2.FileSystemLoader(theme.dirs), auto_reload=False)
    env.filters["url"] = templates.url_filter
    env.filters["script_tag"] = templates.script_tag_filter
    localization.install_translations(env, theme.locale, theme.dirs)
    return env


def fault(error: Exception, repo: Path) -> str | None:
    """What a template did wrong, as `path:line: what` (the path relative to the repository when in it): a refusal
    of the sandbox in any template, any other error raised in a template of the repository (`{{ 1 / 0 }}`); None
    for an error raised elsewhere."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.endswith(".py")]
    path = Path(frames[-1].filename) if frames else None
    inside = path is not None and path.is_relative_to(repo)
    where = f"{path.relative_to(repo) if inside else path}:{frames[-1].lineno}: " if path else ""
    if isinstance(error, SecurityError):
        return (f"{where}{error} — templates from the repository render sandboxed and may only read data "
                "(see docs/security.md); remove the expression")
    return f"{where}{type(error).__name__}: {error}" if inside else None
