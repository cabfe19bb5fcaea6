"""Template code from a repository (site_overrides/, any custom_dir) renders sandboxed: it reads data, runs nothing.

Each payload would, on an unsandboxed theme environment, run a command (touch a marker file), put GITHUB_TOKEN into a
page or read a file outside the repository. Every one is refused with a clear error naming the template and line, and
no site is written: one rule for all, so a template that does something it may not never half-renders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import jinja2
import pytest

from tests.conftest import copy_example
from tests.site.sitehelpers import TODAY

SECRET = "ghp_SANDBOX-TEST-TOKEN-7f3a"
TOUCH = "touch MARK"  # MARK becomes the marker file's path

PAYLOADS = {
    # The two of the issue, then the usual walks to Python's internals.
    "cycler-globals-os-system": "{{ cycler.__init__.__globals__.os.system('TOUCH') }}",
    "cycler-globals-environ": "{{ cycler.__init__.__globals__.os.environ.GITHUB_TOKEN }}",
    "template-reference-context":
        "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('TOUCH') }}",
    "lipsum-globals-popen": "{{ lipsum.__globals__['os'].popen('TOUCH').read() }}",
    "joiner-globals-set": "{% set g = joiner.__init__.__globals__ %}{{ g.os.system('TOUCH') }}",
    "namespace-environ": "{{ namespace.__init__.__globals__.os.environ }}",
    "range-class-subclasses": "{% for c in range.__class__.__mro__[-1].__subclasses__() %}"
                              "{% if c.__name__ == 'Popen' %}{{ c(['touch', 'MARK']) }}{% endif %}{% endfor %}",
    "str-subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "attr-filter": "{{ cycler|attr('__init__')|attr('__globals__') }}",
    "format-string": "{{ '{0.__init__.__globals__[os].environ}'.format(cycler) }}",
    "format-through-attr": "{{ ('{0.__init__.__globals__[os].environ}'|attr('format'))(cycler) }}",
    "subscript-globals": "{{ cycler['__init__']['__globals__']['os'].system('TOUCH') }}",
    # Not Python's internals but mkdocs' objects, whose methods make environments and read files.
    "theme-get-env": "{{ config.theme.get_env().from_string(\"{{ cycler.__init__.__globals__.os.system('TOUCH') }}\")"
                     ".render() }}",
    "file-reads-outside": "{% if page %}{{ page.file.generated(config, 'x.md', abs_src_path='SECRET_FILE')"
                          ".content_string }}{% endif %}",
}


def payload(name: str, marker: Path, secret_file: Path) -> str:
    return PAYLOADS[name].replace("TOUCH", TOUCH).replace("MARK", str(marker)).replace("SECRET_FILE", str(secret_file))


def override(repo: Path, code: str, where: str = "main.html") -> str:
    """Put `code` on line 2 of a template of the repository's site_overrides/; returns the template's path in it."""
    path = repo / "site_overrides" / where
    path.parent.mkdir(parents=True, exist_ok=True)
    if where == "main.html":
        path.write_text('{% extends "base.html" %}\n{% block announce %}' + code + "{% endblock %}\n")
    else:
        path.write_text("<footer>\n" + code + "\n</footer>\n")
    return f"site_overrides/{where}:2:"


def every_byte(*folders: Path) -> str:
    return "".join(p.read_text(errors="replace") for folder in folders if folder.exists()
                   for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def secret_env(monkeypatch, tmp_path) -> Path:
    """GITHUB_TOKEN set as CI sets it, and a secret file outside the repository; gives the file."""
    monkeypatch.setenv("GITHUB_TOKEN", SECRET)
    secret_file = tmp_path / "outside" / "token.txt"
    secret_file.parent.mkdir()
    secret_file.write_text(SECRET)
    return secret_file


@pytest.mark.parametrize("name", PAYLOADS)
def test_template_code_from_the_repository_runs_nothing_and_reads_no_secret(name, example_repo, tmp_path, run_cli,
                                                                            secret_env):
    marker = tmp_path / "pwned"
    where = override(example_repo, payload(name, marker, secret_env))
    result = run_cli("build", "--repo", example_repo, "--out", tmp_path / "site", "--only", "people/daan",
                     "--today", TODAY, "--jobs", "1")
    assert not marker.exists(), "the template ran a command"
    assert SECRET not in every_byte(tmp_path / "site") + result.stdout + result.stderr
    assert result.exit_code == 1
    assert f"error: site people/daan: mkdocs failed: {where}" in result.stderr
    assert "render sandboxed" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "people" / "daan").exists(), "no half-rendered site"


@pytest.mark.parametrize("where", ["partials/footer.html", "404.html", "custom_dir"])
def test_every_template_a_repository_supplies_is_sandboxed(where, example_repo, tmp_path, run_cli, secret_env):
    marker = tmp_path / "pwned"
    code = payload("cycler-globals-os-system", marker, secret_env)
    if where == "custom_dir":  # any folder mkdocs.yml names, not only site_overrides/
        shutil.move(example_repo / "site_overrides", example_repo / "theme")
        config = example_repo / "mkdocs.yml"
        config.write_text(config.read_text().replace("custom_dir: site_overrides", "custom_dir: theme"))
        (example_repo / "theme" / "main.html").write_text('{% extends "base.html" %}\n{% block footer %}'
                                                          + code + "{% endblock %}\n")
        shown = "theme/main.html:2:"
    elif where == "404.html":
        (example_repo / "site_overrides" / "404.html").write_text(
            '{% extends "main.html" %}\n{% block content %}' + code + "{% endblock %}\n")
        shown = "site_overrides/404.html:2:"
    else:
        shown = override(example_repo, code, where)
    result = run_cli("build", "--repo", example_repo, "--out", tmp_path / "site", "--only", "people/daan",
                     "--today", TODAY, "--jobs", "1")
    assert not marker.exists()
    assert result.exit_code == 1 and shown in result.stderr and "render sandboxed" in result.stderr


def test_the_pages_context_holds_no_secret(example_repo, tmp_path, run_cli, secret_env):
    """Everything a template may read, printed whole, holds nothing of the environment: it renders as data."""
    override(example_repo, "CONTEXT[{{ config }}|{{ config.plugins }}|{{ config.theme }}|{{ page }}|{{ nav }}"
                           "|{{ config.extra }}|{{ base_url }}]")
    result = run_cli("build", "--repo", example_repo, "--out", tmp_path / "site", "--only", "people/daan",
                     "--today", TODAY, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "site" / "people" / "daan" / "index.html").read_text()
    assert "CONTEXT[" in page and "'site_name': " in page, "the context rendered"
    assert SECRET not in every_byte(tmp_path / "site")


LEGIT = """{% extends "base.html" %}
{% block extrahead %}{{ super() }}<meta name="x-site" content="{{ config.site_name }}">{% endblock %}
{% block announce %}{% import "partials/mine.html" as mine %}OK[{{ config.extra.get('team', 'none') }}|\
{{ config.extra.team }}|{{ page.meta.get('x', '-') if page else '' }}|{{ "a,b".split(",") | join("+") }}|\
{{ "assets/x.png" | url }}|{% for i in range(3) %}{{ loop.index }}{{ loop.cycle('o', 'e') }}{% endfor %}|\
{% set ns = namespace(n=0) %}{% for p in nav.pages %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}|\
{{ dict(a=1).a }}|{{ "%s-%d" % ("x", 1) }}|{{ "{}!".format("hi") }}|{{ config.copyright | upper }}|\
{{ mine.hi("macro") }}|{{ _("Search") }}]{% endblock %}
"""


def test_the_theme_and_harmless_overrides_render_as_without_the_sandbox(example_repo, tmp_path, run_cli, monkeypatch):
    """Material's own templates, with many of its features on, and an override that reads data, use macros, loops,
    filters and string methods, render byte for byte as they do in mkdocs' own environment."""
    from mkdocs.theme import Theme

    (example_repo / "site_overrides" / "main.html").write_text(LEGIT)
    (example_repo / "site_overrides" / "partials").mkdir()
    (example_repo / "site_overrides" / "partials" / "mine.html").write_text(
        "{% macro hi(x) %}<b>{{ x }}</b>{% endmacro %}")
    config = example_repo / "mkdocs.yml"
    features = ["navigation.tabs", "navigation.path", "navigation.footer", "navigation.indexes", "navigation.expand",
                "search.suggest", "announce.dismiss", "header.autohide", "navigation.instant", "content.code.copy"]
    config.write_text(config.read_text().replace("extra:\n", "extra:\n  team: Platform\n").replace(
        "    - search.highlight\n", "    - search.highlight\n" + "".join(f"    - {f}\n" for f in features)))

    def build(out: Path) -> dict[str, str]:
        result = run_cli("build", "--repo", example_repo, "--out", out, "--only", "people/daan",
                         "--only", "managers/sanne", "--today", TODAY, "--jobs", "1")
        assert result.exit_code == 0, result.stderr
        return {str(p.relative_to(out)): p.read_text() for p in out.rglob("*")
                if p.is_file() and p.suffix in (".html", ".json") and ".devtalks" not in p.parts}

    sandboxed = build(tmp_path / "sandboxed")
    page = sandboxed["people/daan/index.html"]
    assert "OK[Platform|Platform|-|a+b|assets/x.png|1o2e3o|" in page and "|1|x-1|hi!|PLATFORM" in page
    assert "<b>macro</b>|Search]" in page
    # mkdocs' own environment compiles templates without the sandbox's checks: a cache folder of its own for them.
    monkeypatch.setenv("DEVTALKS_CACHE_DIR", str(tmp_path / "plain-cache"))
    monkeypatch.setattr("devtalks.site.engine.theme_env", lambda theme: Theme.get_env(theme))
    assert build(tmp_path / "plain") == sandboxed


def test_a_template_compiled_outside_the_sandbox_is_never_loaded(example_repo, tmp_path, run_cli, secret_env):
    """Jinja's bytecode cache keys a template by its source alone; a template an older devtalks compiled without the
    sandbox (calls unchecked) must not be what the sandbox renders."""
    from mkdocs.theme import Theme

    from devtalks.state import state_dir

    code = payload("file-reads-outside", tmp_path / "pwned", secret_env)
    override(example_repo, code)
    folder = state_dir(example_repo.resolve(), "site") / "jinja"  # where devtalks kept the theme's bytecode
    folder.mkdir(parents=True)
    old = jinja2.FileSystemBytecodeCache(str(folder))
    # As devtalks before the sandbox: mkdocs' own environment, with its bytecode cache.
    env = Theme(name="material", custom_dir=str(example_repo.resolve() / "site_overrides")).get_env()
    env.bytecode_cache = old
    env.get_template("main.html")
    assert list(Path(old.directory).iterdir()), "the old place holds the compiled template"
    result = run_cli("build", "--repo", example_repo, "--out", tmp_path / "site", "--only", "people/daan",
                     "--today", TODAY, "--jobs", "1")
    assert result.exit_code == 1 and "render sandboxed" in result.stderr
    assert SECRET not in every_byte(tmp_path / "site")


def test_person_export_renders_templates_sandboxed(example_repo, tmp_path, run_cli, secret_env):
    marker = tmp_path / "pwned"
    where = override(example_repo, payload("cycler-globals-os-system", marker, secret_env))
    result = run_cli("person", "export", "daan", "--repo", example_repo, "--out", tmp_path / "daan.zip",
                     "--today", TODAY)
    assert not marker.exists()
    assert result.exit_code == 1 and where in result.stderr and "render sandboxed" in result.stderr
    assert not (tmp_path / "daan.zip").exists()


def test_serve_renders_templates_sandboxed(example_repo, tmp_path):
    from tests.site.test_site_serve import DEVTALKS, _fetch, _free_port

    marker = tmp_path / "pwned"
    override(example_repo, payload("cycler-globals-environ", marker, tmp_path) + payload(
        "cycler-globals-os-system", marker, tmp_path))
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as stderr:
        proc = subprocess.Popen([DEVTALKS, "serve", "--repo", str(example_repo), "--only", "people/daan",
                                 "--dev-addr", f"127.0.0.1:{port}", "--today", TODAY],
                                stdout=subprocess.DEVNULL, stderr=stderr, env={**os.environ, "GITHUB_TOKEN": SECRET})
    try:
        end = time.monotonic() + 90  # a wait, not a speed check: the limit only stops a hung test
        while "Serving people/daan" not in log.read_text() and time.monotonic() < end:
            assert proc.poll() is None, log.read_text()
            time.sleep(0.2)
        page = _fetch(f"http://127.0.0.1:{port}/index.html") or ""
        override(example_repo, "FIXED-ANNOUNCEMENT")  # the manager fixes the template: the preview rebuilds
        fixed = ""
        while "FIXED-ANNOUNCEMENT" not in fixed and time.monotonic() < end:
            assert proc.poll() is None, log.read_text()
            time.sleep(0.3)
            fixed = _fetch(f"http://127.0.0.1:{port}/index.html") or ""
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    shown = log.read_text()
    assert not marker.exists() and SECRET not in page + shown
    assert "site_overrides/main.html:2:" in shown and "render sandboxed" in shown
    assert "FIXED-ANNOUNCEMENT" in fixed


def test_build_org_renders_hrs_templates_sandboxed_and_never_a_teams(tmp_path, run_cli, secret_env):
    from tests.gitflow.test_org import publish
    from tests.security.test_security_org_output import hr_repo

    team_marker, hr_marker = tmp_path / "team-pwned", tmp_path / "hr-pwned"
    team = copy_example(tmp_path / "work" / "alpha")
    override(team, payload("cycler-globals-os-system", team_marker, secret_env))
    publish(team, tmp_path / "remotes" / "alpha.git")
    hr = hr_repo(tmp_path, ["repo: ../remotes/alpha.git"])
    shutil.copytree(copy_example(tmp_path / "example") / "site_overrides", hr / "site_overrides")
    where = override(hr, payload("cycler-globals-environ", hr_marker, secret_env)
                     + payload("lipsum-globals-popen", hr_marker, secret_env))

    def build_org():
        return run_cli("build", "--org", hr / "org.yaml", "--repo", hr, "--out", tmp_path / "site", "--today", TODAY,
                       "--jobs", "1")

    refused = build_org()
    assert refused.exit_code == 1 and f"error: site hr: mkdocs failed: {where}" in refused.stderr
    assert "render sandboxed" in refused.stderr
    override(hr, "HR-OWN-ANNOUNCEMENT")
    built = build_org()
    assert built.exit_code == 0, built.stderr
    assert "HR-OWN-ANNOUNCEMENT" in (tmp_path / "site" / "hr" / "index.html").read_text()
    assert not team_marker.exists() and not hr_marker.exists()
    assert SECRET not in every_byte(tmp_path / "site") + refused.stderr + built.stderr


@pytest.mark.parametrize("code", ["{{ tools.os.environ }}", "{{ tools['os'] }}", "{{ tools|attr('env') }}",
                                  "{{ tools.env.GITHUB_TOKEN }}", "{{ tools['env']['GITHUB_TOKEN'] }}"])
def test_a_module_or_the_environment_never_reaches_a_template(code, secret_env):
    """Should a plugin or a later mkdocs ever put a module or os.environ where a template can read it (nothing in
    today's page context reaches one), the template still gets neither."""
    from jinja2.sandbox import SecurityError

    from devtalks.site.sandbox import SiteSandbox

    class Tools(dict):
        env = os.environ

    with pytest.raises(SecurityError, match="is not allowed"):
        SiteSandbox().from_string(code).render(tools=Tools(os=os, env=os.environ))
