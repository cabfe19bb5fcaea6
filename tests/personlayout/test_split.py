"""`devtalks person split`: one person's talks, with their history, out of the team repository into their own."""

from __future__ import annotations

import re
from pathlib import Path

import git
import yaml

from devtalks.gitflow.split import SHARED_MESSAGE
from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.conftest import commit, edit

from .conftest import empty_repo, files_at

URL_NAME = "acme/talks-daan"


def history(repo: git.Repo | Path, *where: str) -> list[tuple[str, ...]]:
    """(author, e-mail, author date, committer, commit date, message) of each commit, newest first."""
    repo = repo if isinstance(repo, git.Repo) else git.Repo(repo)
    log = repo.git.log("--format=%an|%ae|%aI|%cn|%cI|%B%x00", *where)
    return [tuple(entry.strip().split("|", 5)) for entry in log.split("\0") if entry.strip()]


def test_split_moves_the_folder_with_its_history_and_the_team_repository_lets_go(team_git, run_cli, hosting):
    root = Path(team_git.working_tree_dir)
    edit(root / "talks/daan/2026-autumn.yaml", "held_on:", "# daan prepared\nheld_on:")
    commit(team_git, "Daan prepares the autumn talk", who="daan", day="2026-10-05")
    edit(root / "talks/fleur/2026-autumn.yaml", "scheduled:", "# fleur prepared\nscheduled:")
    commit(team_git, "Fleur prepares hers", who="bot", day="2026-10-06")
    (root / "talks/daan/notes").mkdir()
    (root / "talks/daan/notes/index.yaml").write_text("notes: {}\n")
    commit(team_git, "An empty notes index for daan", who="sanne", day="2026-10-07")
    wanted = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in (root / "talks/daan").rglob("*")
              if p.is_file()}
    bare = empty_repo(hosting, URL_NAME)
    before = history(team_git, "HEAD", "--", "talks/daan")

    result = run_cli("person", "split", "daan", "--repo", root, "--talks-repo", bare)
    assert result.exit_code == 0, result.stderr
    assert f"pushed 3 commit(s) of talks/daan/ (authors and dates kept) and the repository scaffold to {bare}" \
        in result.stdout

    moved = history(bare, "main")
    assert [m[:5] for m in moved[1:]] == [b[:5] for b in before] and len(before) == 3
    assert [(m[0], m[2][:10], m[5]) for m in moved[1:]] == [
        ("Sanne de Vries", "2026-10-07", "An empty notes index for daan"),
        ("Daan Bakker", "2026-10-05", "Daan prepares the autumn talk"),
        ("Sanne de Vries", "2026-03-01", SHARED_MESSAGE.strip()),  # it changed everyone's files: it may speak of them
    ]
    assert moved[0][5].startswith("Give daan's talks a repository of their own")
    files = files_at(bare)
    assert {k: v for k, v in files.items() if k.startswith("talks/")} == wanted
    assert set(files) - set(wanted) == {"devtalks.yaml", "README.md", ".pre-commit-config.yaml",
                                        ".github/workflows/validate.yml"}
    first = git.Repo(bare).commit("main~3")
    assert {b.path for b in first.tree.traverse() if b.type == "blob"} == {p for p in wanted if "/notes/" not in p}

    assert not (root / "talks/daan").exists()
    assert "talks/daan/2026-autumn.yaml" not in {b.path for b in team_git.head.commit.tree.traverse()}
    assert team_git.head.commit.message.startswith(f"Move daan's talks to their own repository, {bare}")
    assert not team_git.is_dirty(untracked_files=True)
    people = {p["id"]: p for p in yaml.safe_load((root / "team.yaml").read_text(encoding="utf-8"))["people"]}
    assert people["daan"]["talks_repo"] == str(bare)
    assert (root / "talks/fleur/2026-autumn.yaml").is_file()


def test_split_refuses_with_a_clear_message_and_changes_nothing(team_git, run_cli, hosting):
    root = Path(team_git.working_tree_dir)
    bare = empty_repo(hosting, URL_NAME)
    used = empty_repo(hosting, "acme/used")
    assert run_cli("person", "split", "fleur", "--repo", root, "--talks-repo", used).exit_code == 0
    head = team_git.head.commit.hexsha

    cases = [
        (["sanne", "--talks-repo", bare], "sanne has no talks in this repository (no talks/sanne/): nothing to move"),
        (["fleur", "--talks-repo", bare], f"fleur's talks are in their own repository already ({used})"),
        (["daan", "--talks-repo", used], f"{used} already has the talks of `fleur`"),
        (["nobody", "--talks-repo", bare], "`nobody` is not a person in team.yaml"),
        (["daan", "--talks-repo", hosting / "missing.git"], f"cannot reach remote `{hosting / 'missing.git'}`"),
    ]
    for args, message in cases:
        result = run_cli("person", "split", *args, "--repo", root)
        assert result.exit_code == 1 and message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr

    edit(root / "talks/daan/2026-autumn.yaml", "held_on:", "# not committed\nheld_on:")
    dirty = run_cli("person", "split", "daan", "--repo", root, "--talks-repo", bare)
    assert dirty.exit_code == 1 and "talks/daan/ has changes that are not committed" in dirty.stderr
    team_git.git.checkout("--", "talks/daan")
    (root / "README.md").write_text("staged\n")
    team_git.git.add("README.md")
    staged = run_cli("person", "split", "daan", "--repo", root, "--talks-repo", bare)
    assert staged.exit_code == 1 and "other changes are staged for the next commit" in staged.stderr
    assert team_git.head.commit.hexsha == head
    assert not git.Repo(bare).heads and (root / "talks/daan").is_dir()


def test_after_a_split_the_team_validates_and_its_sites_are_as_before(team_git, run_cli, hosting, tmp_path):
    """A team moves person by person: with daan in his own repository and the rest still in the team's, the sites
    show the same pages (the commits named on them are the new repository's)."""
    from .test_team_repository import _pages

    root = Path(team_git.working_tree_dir)
    day = EXAMPLE_TODAY.isoformat()
    assert run_cli("build", "--repo", root, "--out", tmp_path / "before", "--today", day).exit_code == 0
    assert run_cli("person", "split", "daan", "--repo", root, "--talks-repo", empty_repo(hosting, URL_NAME)).exit_code == 0
    checked = run_cli("validate", "--repo", root, "--today", day)
    assert checked.exit_code == 0 and "read from the team repository and 1 person repositories" in checked.stdout
    assert run_cli("build", "--repo", root, "--out", tmp_path / "after", "--today", day).exit_code == 0
    # A talk's history names the commits of daan's repository; one that changed others' files keeps its message
    # in the team repository.
    message = re.compile(r"(<tr><td>[^<]*</td><td>[^<]*</td>)<td>[^<]*</td>")
    before, after = ({page: message.sub(r"\1", html) for page, html in _pages(tmp_path / side).items()}
                     for side in ("before", "after"))
    assert before.keys() == after.keys() and [p for p in before if before[p] != after[p]] == []
