"""A new team repository that works on the first try: `devtalks init`.

The skeleton is package data in devtalks/gitflow/scaffold/: Jinja templates for the files that
carry the team's own names (team/), copies of the example team's question templates and
site configuration, and the CI workflows. The result is committed as the first commit.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import git
import jinja2

from .. import __version__
from ..check.schema import schemas
from ..errors import DevtalksError
from ..i18n import words
from ..read.load import load
from .codeowners import PATH as CODEOWNERS_PATH
from .codeowners import render as render_codeowners

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
# A team's CI and pre-commit hook install this very release from the package index, as any published package is.
REQUIREMENT = f"devtalks=={__version__}"
INSTALL_PLACEHOLDER = "__DEVTALKS_INSTALL__"
COPIED = ("question_templates", "mkdocs.yml", "site_overrides")
# The example team's site files speak Dutch; another team gets these catalogue texts in its language.
EXAMPLE_LANGUAGE = "nl"
SITE_TEXTS = ("init_announce", "init_dark_theme", "init_light_theme")
# An address team.yaml accepts; Git's user.email may be anything, such as a bare login.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Options:
    team_id: str
    team_name: str
    department: str
    language: str
    today: dt.date
    # "person": each person's talks live in a repository of their own (team.yaml's `layout`).
    layout: str = "team"
    # The first person, the team's manager: whoever runs init, as Git knows them.
    person_id: str = "manager"
    person_name: str = "Team manager"
    person_email: str = "manager@example.com"


def slug(text: str, fallback: str) -> str:
    """A file-name-safe id from free text: 'Team Platform' → 'team-platform'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    found = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:64]
    return found or fallback


def first_cycle(today: dt.date, language: str) -> tuple[str, dict]:
    """A cycle that opens today: half-yearly id, two weeks per step, the default template, everyone taking part."""
    half = "spring" if today.month <= 6 else "autumn"
    t = words(language)
    cycle_id = f"{today.year}-{half}"
    return cycle_id, {
        "cycle_id": cycle_id, "title": t("init_cycle_title", season=t(f"init_season_{half}"), year=today.year),
        "opens": today, "prepare_by": today + dt.timedelta(14), "talks_by": today + dt.timedelta(28),
        "plan_by": today + dt.timedelta(42), "template": "default", "participants": "all", "left_out": [],
    }


def templates(folder: str) -> jinja2.Environment:
    """The Jinja templates in scaffold/<folder>, with a `yaml` filter that quotes a value safely."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(SCAFFOLD / folder), keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    return env


def planned_files(options: Options) -> dict[str, str]:
    """Path → text of every file `init` writes except the ones derived from them (schemas, CODEOWNERS)."""
    env = templates("team")
    cycle_id, cycle = first_cycle(options.today, options.language)
    values = {**options.__dict__, **cycle, "requirement": REQUIREMENT}
    lang = options.language
    files = {
        "team.yaml": env.get_template(f"team.{lang}.yaml.j2").render(values),
        f"cycles/{cycle_id}.yaml": env.get_template(f"cycle.{lang}.yaml.j2").render(values),
        "README.md": env.get_template(f"README.{lang}.md.j2").render(values),
        ".gitignore": env.get_template("gitignore.j2").render(values),
        ".pre-commit-config.yaml": env.get_template("pre-commit-config.yaml.j2").render(values),
    }
    for name in COPIED:
        source = SCAFFOLD / name
        for f in sorted(source.rglob("*")) if source.is_dir() else [source] if source.is_file() else []:
            if f.is_file() and "__pycache__" not in f.parts:
                rel = f.relative_to(SCAFFOLD).as_posix()
                files[rel] = _for_team(rel, f.read_text(encoding="utf-8"), options)
    for f in sorted((SCAFFOLD / "workflows").glob("*.yml")):
        files[f".github/workflows/{f.name}"] = f.read_text(encoding="utf-8").replace(INSTALL_PLACEHOLDER, REQUIREMENT)
    return files


def _for_team(rel: str, text: str, options: Options) -> str:
    """A copied site file with the team's name and language in place of the example team's."""
    if not rel.startswith("question_templates/"):
        for key in SITE_TEXTS:
            text = text.replace(words(EXAMPLE_LANGUAGE)(key), words(options.language)(key))
    if rel == "mkdocs.yml":
        t = words(options.language)
        text = re.sub(r"(?m)^site_name: .*$", f"site_name: {json.dumps(t('init_site_name'), ensure_ascii=False)}", text)
        notice = json.dumps(f"{options.team_name} · {options.department} — {t('init_confidential')}", ensure_ascii=False)
        text = re.sub(r"(?m)^copyright: .*$", f"copyright: {notice}", text)
    return text


def init(dest: Path, options: Options) -> tuple[list[str], str]:
    """Write the team repository into `dest`, `git init` it if needed, and make the first commit.

    Refuses, before writing anything, when any of its files exists. Returns the written
    paths and the commit's sha.
    """
    dest = dest.resolve()
    clashes = sorted(p for p in [*planned_files(options), CODEOWNERS_PATH, "schemas"] if (dest / p).exists())
    if clashes:
        raise DevtalksError(f"{dest} already has {', '.join(clashes[:8])}{' …' if len(clashes) > 8 else ''}; "
                            "devtalks init never overwrites files: pick an empty folder, or move these away")
    dest.mkdir(parents=True, exist_ok=True)
    try:
        repo = git.Repo(dest)
    except git.InvalidGitRepositoryError:
        repo = git.Repo.init(dest, initial_branch="main")
    name, email = _git_identity(repo)
    name = name or options.person_name
    options = replace(options, person_id=slug(name.split()[0], "manager"), person_name=name,
                      person_email=email if EMAIL.match(email) else options.person_email)
    files = planned_files(options)
    for rel, text in files.items():
        _write(dest / rel, text)
    ws = load(dest)
    if ws.team is None:
        raise DevtalksError("the new team.yaml did not validate; this is a bug in devtalks init: " +
                            "; ".join(d.message for d in ws.diagnostics))
    derived = {CODEOWNERS_PATH: render_codeowners(ws.team)}
    for schema_name, body in schemas(ws.templates).items():
        derived[f"schemas/{schema_name}"] = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    for rel, text in derived.items():
        _write(dest / rel, text)
    written = sorted([*files, *derived])
    repo.index.add(written)
    # GitPython would take the author from its own reading of ~/.gitconfig; the commit is by whom Git names.
    author = git.Actor(name, email or options.person_email)
    commit = repo.index.commit("Start the team's development talks (devtalks init)", author=author, committer=author)
    return written, commit.hexsha


def _git_identity(repo: git.Repo) -> tuple[str, str]:
    """user.name and user.email as the git command resolves them in `repo` ('' when unset).

    Git's own answer counts every place it reads: GIT_CONFIG_GLOBAL, the system and XDG files,
    includes and the repository's own config, which GitPython's config reader does not all know.
    """
    def value(key: str) -> str:
        try:
            return repo.git.config("--get", key).strip()
        except git.GitCommandError:  # exit 1: the key is not set anywhere
            return ""

    return value("user.name"), value("user.email")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
