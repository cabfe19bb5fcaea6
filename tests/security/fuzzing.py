"""Hostile strings in every string field of every file kind, then every site built and read.

The fields come from the pydantic models (so a new field is fuzzed the day it is added) and
from the example's own data (answers are keyed by question id, so the models cannot name
them). A case that validation refuses must say so plainly (exit 1); a case that validates
must build, and then no page may hold a script but the theme's, an on* attribute, a
`javascript:` target or a frame, a Jinja expression evaluated, or a person's text in
another person's site. Pages that show the hostile value are also opened in Chromium, which
must see no dialog, no request to another origin and no element with an on* attribute.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import strategies as st

from devtalks import model
from tests.conftest import EXAMPLE_TODAY, ROOT, copy_example

FILES = {
    "team": ("team.yaml", model.Team),
    "talk": ("talks/daan/2026-autumn.yaml", model.Talk),
    "check-in": ("talks/daan/checkin-2026-06-30.yaml", model.CheckIn),
    "cycle": ("cycles/2026-autumn.yaml", model.Cycle),
    "template": ("question_templates/default.yaml", model.QuestionTemplate),
}
# Daan's files: nothing in them may reach Fleur's site.
PERSONAL = {"talk", "check-in"}
SITES = ("people/daan", "people/fleur", "managers/sanne", "hr")
EVALUATED = "1337"  # what {{ 7*191 }} becomes if anything runs it as a template
FRAGMENTS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "\"'><script>alert(1)</script>", "<<script>script>alert(1)<</script>/script>",
    "[x](javascript:alert(1))", "[x]( jAvAsCrIpT:alert(1) )", "[x](jav&#x61;script:alert(1))",
    "[r][a]\n\n[a]: javascript:alert(1)", "![p](http://evil.example/p.png)", "<https://evil.example/x>",
    "[x](data:text/html,<script>alert(1)</script>)", "\\\\evil.example/x.png", "//evil.example/x.png",
    "\n\n{: onclick=alert(1) }\n\n", "x\n{: onmouseover=alert(1) }",
    "Plan\n\n{: style=animation-name:pulse;animation-duration:1ms onanimationstart=alert(document.domain) }\n\nend",
    "# kop {: onclick=alert(1) }", "*a*{: onclick=alert(1)}", "\n\n<div onclick=alert(1)>\n\n**x**\n\n</div>\n\n",
    "{{ 7*191 }}", "{% for x in range(3) %}x{% endfor %}", "{{ cycler.__init__.__globals__.os.system('id') }}",
    "{#", "${alert(1)}", "<iframe src=//evil.example>", "<base href=//evil.example/>",
    "<meta http-equiv=refresh content='0;url=//evil.example'>", "<style>@import url(//evil.example/x.css)</style>",
    "- [a](javascript:alert(1))\n- b", "> <script>alert(1)</script>", "`<script>`", "<!--", "]]>", "</textarea>",
    "\u202e\u2066gnp.exe\u2069", "\u200b\u200d\ufeff", "\x00", "\r\n", "\t", "x" * 3000, "[" * 500, "*_" * 300,
]
HOSTILE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), min_size=1, max_size=4).map("".join)
_SCRIPT_SRC = re.compile(r"^(?:\.\./|\./)*(?:/[\w-]+)*/?assets/(?:javascripts|devtalks(?:/js)?)/([\w.-]+\.js)$")
# A browser reads a title as text up to the first "</title": whatever follows is markup again.
_TITLE = re.compile(r"<title>.*?</title", re.S | re.I)
_THEME_INLINE = re.compile(r'^__md_scope=new URL\("[\w./-]*",location\)$')
_TARGETS = ("href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcset")


def string_paths(schema: dict) -> list[tuple]:
    """Paths to every string a model accepts: keys, "[]" for any list item, "{}" for any mapping value."""
    defs = schema.get("$defs", {})
    found: list[tuple] = []

    def walk(node: dict, path: tuple, depth: int) -> None:
        if depth > 8:
            return
        if "$ref" in node:
            return walk(defs[node["$ref"].split("/")[-1]], path, depth + 1)
        for option in node.get("anyOf", []) + node.get("allOf", []):
            walk(option, path, depth + 1)
        if node.get("type") == "string" and "enum" not in node and "format" not in node:
            found.append(path)
        for key, sub in node.get("properties", {}).items():
            walk(sub, path + (key,), depth + 1)
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], path + ("{}",), depth + 1)
        if isinstance(node.get("items"), dict):
            walk(node["items"], path + ("[]",), depth + 1)

    walk(schema, (), 0)
    return sorted(set(found))


def data_paths(data: object, path: tuple = ()) -> list[tuple]:
    """Concrete paths to every string already in a file's data (answers included)."""
    if isinstance(data, str):
        return [path]
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in data_paths(v, path + (k,))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in data_paths(v, path + (i,))]
    return []


def concrete(data: object, path: tuple) -> list[tuple]:
    """Where a schema path lands in this data: each list item and mapping key that exists; a missing leaf is made."""
    if not path:
        return [()]
    head, rest = path[0], path[1:]
    if head == "[]":
        items = range(len(data)) if isinstance(data, list) and data else [0] if not isinstance(data, dict) else []
    elif head == "{}":
        items = list(data) if isinstance(data, dict) else []
    else:
        missing = data is None or (isinstance(data, dict) and head not in data)
        items = [head] if (isinstance(data, dict) and head in data) or (missing and "{}" not in rest) else []
    return [(i,) + p for i in items for p in concrete(_get(data, i), rest)]


def _get(data: object, key: object) -> object:
    try:
        return data[key]
    except (KeyError, IndexError, TypeError):
        return None


def slots() -> list[tuple[str, tuple]]:
    """(file kind, concrete path) for every string field of every file kind in the example."""
    found = []
    for kind, (rel, cls) in FILES.items():
        data = yaml.safe_load((ROOT / rel).read_text(encoding="utf-8"))
        paths = {p for s in string_paths(cls.model_json_schema()) for p in concrete(data, s)}
        found += [(kind, p) for p in sorted(paths | set(data_paths(data)), key=repr)]
    return found


def cases() -> st.SearchStrategy[tuple[str, tuple]]:
    """A file kind, then one of its string fields: each kind as likely, however many fields it has.

    Three times in four the field holds prose in the example (or is an optional text it leaves out): ids, e-mail
    addresses and languages refuse nearly everything, which tells little more each time.
    """
    every: dict[str, list[tuple]] = {}
    prose: dict[str, list[tuple]] = {}
    for kind, path in slots():
        every.setdefault(kind, []).append(path)
        value = _get_path(yaml.safe_load((ROOT / FILES[kind][0]).read_text(encoding="utf-8")), path)
        if value is None or " " in str(value):
            prose.setdefault(kind, []).append(path)

    def pick(fields: dict[str, list[tuple]]) -> st.SearchStrategy[tuple[str, tuple]]:
        return st.sampled_from(sorted(fields)).flatmap(lambda kind: st.tuples(st.just(kind), st.sampled_from(fields[kind])))

    return st.one_of(pick(prose), pick(prose), pick(prose), pick(every))


def _get_path(data: object, path: tuple) -> object:
    for key in path:
        data = _get(data, key)
    return data


def _put(data: object, path: tuple, value: str) -> None:
    for key, then in zip(path, path[1:]):
        if isinstance(data, dict) and not isinstance(data.get(key), (dict, list)):
            data[key] = [] if isinstance(then, int) else {}
        data = data[key]
    if isinstance(data, list) and path[-1] == len(data):
        data.append(value)
    else:
        data[path[-1]] = value


class _Page(HTMLParser):
    """What a page could run or fetch, as a parser reads it."""

    def __init__(self, scripts: frozenset[str]):
        super().__init__(convert_charrefs=True)
        self.scripts = scripts
        self.problems: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        named = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in _TARGETS and value and re.sub(r"[\x00-\x20]", "", value).lower().startswith(
                    ("javascript:", "data:", "vbscript:", "//", "\\\\")):
                self.problems.append(f"<{tag} {name}={value!r}>")
        # A page's own Content-Security-Policy is a <meta http-equiv>: one more policy could only forbid more.
        refresh = tag == "meta" and "http-equiv" in named and (named["http-equiv"] or "").lower() != "content-security-policy"
        if tag in ("iframe", "object", "embed", "base", "frame") or refresh:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            src = named.get("src")
            theirs = _SCRIPT_SRC.match(src or "")
            if src is not None and not (theirs and theirs.group(1) in self.scripts):
                self.problems.append(f"<script src={src!r}>")
            self._script = named if src is None else None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            if self._script.get("type") != "application/json" and not _THEME_INLINE.match(data.strip()):
                self.problems.append(f"inline script {data[:60]!r}")
            self._script = None

    def handle_endtag(self, tag: str) -> None:
        self._script = None


def page_problems(html: str, scripts: frozenset[str]) -> list[str]:
    """What in a page could run or fetch; `scripts` are the file names of the theme's and devtalks' own scripts."""
    parser = _Page(scripts)
    parser.feed(_TITLE.sub("<title></title", html, count=1))
    return parser.problems


def script_names(pages: dict[str, str]) -> frozenset[str]:
    """The file names of the scripts the pages load."""
    return frozenset(m.group(1) for html in pages.values() for src in re.findall(r'<script src="([^"]*)"', html)
                     if (m := _SCRIPT_SRC.match(src)))


@dataclass
class Campaign:
    """One copy of the example, changed one field at a time, built into one output (unchanged sites are reused)."""

    base: Path
    tried: int = 0
    outcomes: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.repo = copy_example(self.base / "team")
        self.out = self.base / "site"
        self.originals = {kind: (self.repo / rel).read_text(encoding="utf-8") for kind, (rel, _) in FILES.items()}
        code, output = self.cli("build", "--repo", self.repo, "--out", self.out, *_only(), "--today",
                                EXAMPLE_TODAY.isoformat(), "--jobs", "1")
        assert code == 0, output
        pages = self.pages()
        assert pages and not any(EVALUATED in html for html in pages.values())
        self.scripts = script_names(pages)
        assert not {p: page_problems(h, self.scripts) for p, h in pages.items() if page_problems(h, self.scripts)}

    @staticmethod
    def cli(*args: object) -> tuple[int, str]:
        from devtalks.cli import main

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in args])
        return code, out.getvalue() + err.getvalue()

    def pages(self) -> dict[str, str]:
        return {str(p.relative_to(self.out)): p.read_text(encoding="utf-8", errors="replace")
                for p in self.out.rglob("*.html") if "assets" not in p.parts}

    def attempt(self, kind: str, path: tuple, value: str, marker: str) -> dict[str, str]:
        """Put `marker + value` at `path` in a file of `kind`, validate and build; returns the built pages.

        Asserts what must hold; returns {} when validation refused the value (clearly).
        """
        self.tried += 1
        rel = FILES[kind][0]
        data = yaml.safe_load(self.originals[kind])
        _put(data, path, f"{marker} {value}")
        file = self.repo / rel
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        try:
            code, output = self.cli("validate", "--repo", self.repo, "--today", EXAMPLE_TODAY.isoformat())
            _no_crash(code, output)
            if code != 0:
                self.outcomes["refused by validate"] += 1
                return {}
            code, output = self.cli("build", "--repo", self.repo, "--out", self.out, *_only(), "--today",
                                    EXAMPLE_TODAY.isoformat(), "--jobs", "1")
            _no_crash(code, output)
            if code != 0:
                self.outcomes["refused by build"] += 1
                return {}
            self.outcomes["built"] += 1
            pages = self.pages()
            for page, html in pages.items():
                assert not page_problems(html, self.scripts), (page, page_problems(html, self.scripts), kind, path, value)
                assert EVALUATED not in html, (page, "a template expression ran", kind, path, value)
            if kind in PERSONAL:
                leaked = [p for p, html in pages.items() if p.startswith("people/fleur/") and marker in html]
                assert not leaked, ("Daan's text in Fleur's site", leaked, path)
                fleur = self.out / "people" / "fleur" / "search" / "search_index.json"
                assert marker not in fleur.read_text(encoding="utf-8"), ("Daan's text in Fleur's search", path)
            return {p: h for p, h in pages.items() if marker in h}
        finally:
            file.write_text(self.originals[kind], encoding="utf-8")

    def clean(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)


def _only() -> list[str]:
    return [arg for site in SITES for arg in ("--only", site)]


def _no_crash(code: int, output: str) -> None:
    assert code != 3 and "Traceback" not in output, output[-2000:]


def in_browser(browser, out: Path, pages: list[str], scripts: frozenset[str]) -> None:
    """Open each page from a server on 127.0.0.1: no dialog, no request elsewhere, no on* attribute, no stray script.

    `scripts` are the file names of the theme's and devtalks' own scripts (Campaign.scripts).
    """
    from tests.site.sitehelpers import serve

    with serve(out) as origin:
        for path in pages:
            tab = browser.new_page()
            dialogs: list[str] = []
            foreign: list[str] = []
            tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            tab.route("**/*", lambda route: (foreign.append(route.request.url), route.abort())
                      if not route.request.url.startswith(origin + "/") else route.continue_())
            try:
                tab.goto(f"{origin}/{path}", wait_until="load")
                tab.wait_for_timeout(50)
                found = tab.evaluate("""(own) => {
                    const on = [...document.querySelectorAll('*')].flatMap(e =>
                        [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name));
                    const scripts = [...document.scripts].filter(s => s.type !== 'application/json')
                        .map(s => s.src ? new URL(s.src).pathname : s.textContent.trim())
                        .filter(s => !(/\\/assets\\/(javascripts|devtalks(\\/js)?)\\//.test(s)
                                       && own.includes(s.split('/').pop()))
                                     && !/^__md_scope=new URL\\("[\\w./-]*",location\\)$/.test(s));
                    const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
                    return {on, scripts, csp: csp ? csp.content : null};
                }""", sorted(scripts))
            finally:
                tab.close()
            assert not dialogs, (path, "a payload ran", dialogs)
            assert not foreign, (path, "requests to another origin", foreign)
            assert not found["on"], (path, "elements with event handlers", found["on"])
            assert not found["scripts"], (path, "scripts that are not the theme's", found["scripts"])
            if found["csp"] is not None:
                assert "unsafe-inline" not in found["csp"].split("script-src", 1)[-1].split(";")[0], (path, found["csp"])


def _forge_issue(key: str) -> st.SearchStrategy[dict]:
    from devtalks.remind.plan import marker

    return st.fixed_dictionaries({
        "title": HOSTILE,
        "body": st.one_of(HOSTILE, HOSTILE.map(lambda text: f"{text}\n{marker(key)}")),
        "state": st.sampled_from(["open", "closed"]),
        "labels": st.lists(st.one_of(st.just("devtalks-reminder"), HOSTILE), max_size=2),
    })


def _reminder_keys() -> list[str]:
    from devtalks.progress import due_items
    from devtalks.read.load import load

    return sorted(i.key for i in due_items(load(ROOT), EXAMPLE_TODAY))


FORGE_ISSUES = st.lists(st.sampled_from(_reminder_keys()).flatmap(_forge_issue), min_size=1, max_size=4)


@dataclass
class ForgeCampaign:
    """The example's reminders against a stand-in forge that already holds hostile issues.

    After each of two runs, no two open issues with devtalks' label stand for one reminder (an issue without the
    label is someone else's, even when it quotes a marker).
    """

    base: Path
    tried: int = 0
    outcomes: Counter = field(default_factory=Counter)
    token: str = "ghs_FuzzToken0Never1Printed"

    def __post_init__(self):
        self.repo = copy_example(self.base / "team")

    def attempt(self, issues: list[dict]) -> None:
        import os

        from devtalks.remind.plan import LABEL, key_of
        from tests.remind.forge import Forge

        self.tried += 1
        forge = Forge(token=self.token).start()
        saved = dict(os.environ)
        os.environ.update({"GITHUB_API_URL": forge.url, "GITHUB_TOKEN": self.token, "DEVTALKS_HTTP_TIMEOUT": "5",
                           "DEVTALKS_HTTP_ATTEMPTS": "2", "DEVTALKS_HTTP_BACKOFF": "0.01"})
        try:
            for issue in issues:
                forge.add_issue(issue["title"], issue["body"], [LABEL if n == "devtalks-reminder" else n
                                                                for n in issue["labels"]], issue["state"])
            for _ in range(2):
                code, output = Campaign.cli("remind", "--repo", self.repo, "--channel", "github", "--today",
                                            EXAMPLE_TODAY.isoformat())
                _no_crash(code, output)
                assert self.token not in output
                open_keys = [key_of(i["body"]) for i in forge.issues.values() if i["state"] == "open"
                             and {"name": LABEL} in i["labels"] and "pull_request" not in i and key_of(i["body"])]
                assert len(open_keys) == len(set(open_keys)), ("two open reminders for one thing", open_keys)
            self.outcomes["ran" if code == 0 else "stopped with a message"] += 1
        finally:
            os.environ.clear()
            os.environ.update(saved)
            forge.stop()
