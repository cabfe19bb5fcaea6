"""The documentation: the site builds strictly, its references cover the code, and every shell example runs.

Each ```sh, ```bash or ```console block of README.md and docs/*.md runs in a clone of the example team in
a temp dir, with `devtalks` on PATH running this checkout. A ```sh block runs as one script (stopping at the
first failure); a ```console block runs each `$ ` command on its own and must print the lines shown after it
(`…` stands for any lines). A command ending in `# exit N` must exit N; a block holding `# needs: forge` runs
with GITHUB_API_URL and GITHUB_TOKEN pointing at the stand-in forge on 127.0.0.1. `pip install …` checks that
what it names is installed (a test never installs anything). Two kinds of command are checked rather than run:
the README's test command (CI runs it; the test checks .ci/run runs it verbatim) and the benchmarks, in the
README's table of figures or in a block (they run for minutes; the test checks each starts and takes the options
shown).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from devtalks.commands import cli
from tests.conftest import ROOT, copy_example
from tests.remind.forge import Forge

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(sh|bash|console)\n(.*?)^```$", re.M | re.S)
EXIT = re.compile(r"#\s*exit (\d+)\s*$")
CI_COMMAND = "pip install -e '.[test]' && python -m pytest"
TOKEN = "ghs_DocsExampleToken"

# Stands in for `pip install ARGS` in the examples: exit 0 when every distribution named (and each extra's
# requirements) is installed, else say what is missing and exit 1.
PIP_CHECK = """\
import importlib.metadata as md, re, sys
from packaging.requirements import Requirement
args = [a for a in sys.argv[2:] if not a.startswith("-")]
assert sys.argv[1] == "install" and args, "only `pip install NAME…` is understood"
missing = []
for arg in args:
    name, _, extras = arg.partition("[")
    name = "devtalks" if name in (".", "./") else name
    try:
        requires = md.requires(name) or []
    except md.PackageNotFoundError:
        missing.append(name)
        continue
    for extra in filter(None, extras.rstrip("]").split(",")):
        for req in map(Requirement, requires):
            if req.marker and req.marker.evaluate({"extra": extra}):
                try:
                    md.version(req.name)
                except md.PackageNotFoundError:
                    missing.append(req.name)
if missing:
    sys.exit("not installed: " + ", ".join(missing))
"""


def blocks() -> list[tuple[str, str, str]]:
    """(id, kind, text) of every shell block in the README and the docs."""
    found = []
    for page in PAGES:
        for n, match in enumerate(FENCE.finditer(page.read_text(encoding="utf-8")), 1):
            found.append((f"{page.relative_to(ROOT).as_posix()}#{n}", match[1], match[2]))
    return found


@pytest.fixture(scope="module")
def docs_site(tmp_path_factory) -> Path:
    """The documentation site, built once with --strict (any warning fails it)."""
    out = tmp_path_factory.mktemp("docs") / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "docs/mkdocs.yml", "-d", out],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    return out


def test_the_docs_site_builds_with_the_generated_references(docs_site):
    files = (docs_site / "reference" / "files" / "index.html").read_text(encoding="utf-8")
    for kind in ("team.yaml", "question_templates/&lt;id&gt;.yaml", "cycles/&lt;id&gt;.yaml", "org.yaml",
                 "talks/&lt;person&gt;/&lt;cycle&gt;.yaml", "talks/&lt;person&gt;/notes/recipients.yaml"):
        assert f"<code>{kind}</code>" in files, kind
    assert "<code>template_version</code>" in files and "<code>min_group_size</code>" in files
    assert "Ontwikkelingsgesprekken najaar 2026" in files  # the cycle's example, from the example team
    index = (docs_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "sign_off" in index and "devtalks person export" in index


def test_the_docs_site_loads_nothing_from_other_origins(docs_site):
    for page in docs_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
        assert not re.search(r"""<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//""", html), page


@pytest.mark.browser
def test_the_docs_search_finds_a_key_of_the_file_reference_and_nothing_leaves_the_site(docs_site, browser):
    from tests.site.sitehelpers import serve

    with serve(docs_site) as origin:
        page = browser.new_page()
        elsewhere: list[str] = []
        page.on("request", lambda request: None if request.url.startswith(origin) else elsewhere.append(request.url))
        page.goto(f"{origin}/employee/", wait_until="networkidle")
        page.locator(".md-search__input").click()
        page.keyboard.type("min_group_size")
        results = page.locator(".md-search-result__item a")
        results.first.wait_for()
        assert any("reference/files/" in (link.get_attribute("href") or "") for link in results.all())
        page.close()
    assert not elsewhere, elsewhere


def walk(group: click.Group = cli, path: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))


COMMANDS = list(walk())


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_and_is_in_the_cli_reference(docs_site, path, command):
    assert command.help and len(command.help) > 40, f"`devtalks {' '.join(path)}` has no help text"
    page = (docs_site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    assert f'id="devtalks-{"-".join(path)}"' in page
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())
    assert " ".join(command.help.split("\n\n")[0].split()) in text


def test_the_readme_test_command_is_what_ci_runs():
    assert CI_COMMAND in (ROOT / "README.md").read_text(encoding="utf-8")
    ci = [line.replace("pip install -q ", "pip install ") for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert CI_COMMAND in ci


BENCHMARK = re.compile(r"`python (benchmarks/\w+\.py)((?: --[\w-]+ \S+)*)`")


@pytest.mark.parametrize("script, options", sorted(set(BENCHMARK.findall((ROOT / "README.md").read_text()))))
def test_each_figure_names_a_benchmark_that_takes_those_options(script, options):
    # The benchmarks run for minutes, so the README's table is checked, not run: the script starts, and its
    # --help lists every option the table gives it.
    result = subprocess.run([sys.executable, script, "--help"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert result.returncode == 0, result.stderr
    for option in re.findall(r"--[\w-]+", options):
        assert option in result.stdout, f"{script} has no {option}"


@pytest.fixture
def shell(tmp_path):
    """cwd and environment for a block: a clone of the example team (with origin/main), a home of its own."""
    seed = copy_example(tmp_path / "seed")
    home = tmp_path / "home"
    bin_dir = tmp_path / "bin"
    home.mkdir()
    bin_dir.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Sanne de Vries\n\temail = sanne.devries@example.com\n"
                                     "[init]\n\tdefaultBranch = main\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "DEVTALKS_SMTP", "DEVTALKS_HTTP"))}
    env.update(HOME=str(home), GIT_CONFIG_GLOBAL=str(home / ".gitconfig"), PYTHONPATH=str(ROOT),
               DEVTALKS_CACHE_DIR=str(tmp_path / "cache"), PATH=f"{bin_dir}{os.pathsep}{env['PATH']}",
               GITHUB_REPOSITORY="example/team-platform")
    env.pop("VISUAL", None)
    env.pop("EDITOR", None)
    git = ["git", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "the example team"]):
        subprocess.run([*git, *args], cwd=seed, env=env, check=True)
    subprocess.run([*git, "clone", "-q", "--bare", str(seed), str(tmp_path / "origin.git")], env=env, check=True)
    subprocess.run([*git, "clone", "-q", str(tmp_path / "origin.git"), str(tmp_path / "team")], env=env, check=True)
    shutil.rmtree(seed)
    (bin_dir / "devtalks").write_text(f"#!/bin/sh\nexec '{sys.executable}' -c 'from devtalks.cli import run; run()' "
                                      '"$@"\n')
    (bin_dir / "pip-check.py").write_text(PIP_CHECK)
    (bin_dir / "pip").write_text(f"#!/bin/sh\nexec '{sys.executable}' '{bin_dir / 'pip-check.py'}' \"$@\"\n")
    for tool in ("devtalks", "pip"):
        (bin_dir / tool).chmod(0o755)
    return tmp_path / "team", env


def run(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def as_script(text: str) -> str:
    """A ```sh block as a bash script that stops at the first command not exiting as documented."""
    lines = ["set -eu"]
    for number, line in enumerate(text.replace("\\\n", " ").splitlines(), 1):
        wanted = EXIT.search(line)
        if line.strip() == CI_COMMAND:
            continue  # CI runs it (test_the_readme_test_command_is_what_ci_runs)
        bench = re.match(r"\s*python (benchmarks/\w+\.py)(.*)", line)
        if bench:  # a benchmark runs for minutes: it must start and take every option shown
            lines += [f"python {ROOT / bench[1]} --help > /tmp/bench-help-$$"]
            lines += [f"grep -q -- '{option}' /tmp/bench-help-$$" for option in re.findall(r"--[\w-]+", bench[2])]
            continue
        if wanted:
            complaint = f'echo "line {number}: exit $rc, the docs say {wanted[1]}" >&2; exit 99'
            lines += ["set +e", line, "rc=$?", "set -e", f'[ "$rc" = {wanted[1]} ] || {{ {complaint}; }}']
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def console(text: str) -> list[tuple[str, list[str]]]:
    """A ```console block as (command, the output lines shown after it)."""
    steps: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line.rstrip())
    return steps


def shows(expected: list[str], actual: list[str]) -> bool:
    """Whether `actual` is `expected`, each `…` line standing for any number of lines."""
    if not expected:
        return not actual
    if expected[0] == "…":
        return any(shows(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0] == expected[0] and shows(expected[1:], actual[1:])


@pytest.mark.skipif(sys.platform == "win32", reason="the docs' examples are POSIX shell; Linux and macOS run them")
@pytest.mark.parametrize("where, kind, text", blocks(), ids=[b[0] for b in blocks()])
def test_every_shell_example_runs_as_documented(shell, where, kind, text):
    cwd, env = shell
    forge = Forge(token=TOKEN).start() if "# needs: forge" in text else None
    if forge:
        env.update(GITHUB_API_URL=forge.url, GITHUB_TOKEN=TOKEN)
    try:
        if kind == "console":
            for command, expected in console(text):
                result = run(command, cwd, env)
                wanted = EXIT.search(command)
                assert result.returncode == (int(wanted[1]) if wanted else 0), (command, result.stderr)
                actual = [line.rstrip() for line in result.stdout.rstrip("\n").splitlines()]
                assert shows([e for e in expected if e] or [], [a for a in actual if a]), (command, result.stdout)
        else:
            result = run(as_script(text), cwd, env)
            assert result.returncode == 0, f"{where}:\n{result.stdout}\n{result.stderr}"
        if forge:
            assert forge.marked(), "the example opened no reminder issue on the forge"
    finally:
        if forge:
            forge.stop()
