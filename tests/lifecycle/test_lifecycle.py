"""A person's whole life in a team, on a real Git repository: add → cycle open → move → leave → export.

Reminder issues go to the stand-in forge on 127.0.0.1; keys are made by `devtalks notes keygen`.
"""

from __future__ import annotations

import datetime as dt
import html
import stat
import zipfile
from pathlib import Path

import yaml

from devtalks.notes.age import read_identities
from devtalks.notes.store import notes_of
from devtalks.progress import due_items
from devtalks.read.load import load
from tests.gitflow.conftest import commit, new_cycle, team_git  # noqa: F401  (fixture)
from tests.notes.conftest import add_note
from tests.remind.conftest import forge, quiet_env  # noqa: F401  (fixtures)

MILA = ["--id", "mila", "--name", "Mila de Boer", "--email", "mila.deboer@example.com", "--github", "miladeboer",
        "--manager", "sanne", "--role", "Platform engineer"]


def ok(result) -> str:
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def clean(run_cli, root: Path, today: str) -> None:
    """`devtalks validate` passes on the repository as the commands left it."""
    result = run_cli("validate", "--repo", root, "--today", today)
    assert result.exit_code == 0, result.stdout


def opens(key: Path, ws, person: str) -> int:
    return len(notes_of(ws, person, read_identities(key))[0])


def words_of_others(root: Path, person: str) -> set[str]:
    """Every answer, summary and agreement title someone else's talk files hold (long enough to be telling)."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str) and len(value.strip()) >= 25:
            found.add(value.strip().splitlines()[0][:60])
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for path in (root / "talks").glob("*/*.yaml"):
        if path.parent.name != person:
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def test_someone_joins_moves_leaves_and_takes_their_data(team_git, run_cli, forge, tmp_path):
    root = Path(team_git.working_tree_dir)
    keys = tmp_path / "home" / ".config" / "devtalks"
    ok(run_cli("codeowners", "--repo", root))
    for who in ("sanne", "daan"):
        out = ok(run_cli("notes", "keygen", "--repo", root, "--manager", who, "--out", keys / f"{who}.txt"))
        assert f"set {who}'s age_recipient in team.yaml" in out
    assert stat.S_IMODE((keys / "sanne.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    again = run_cli("notes", "keygen", "--repo", root, "--manager", "sanne", "--out", keys / "sanne.txt")
    assert again.exit_code == 1 and "exists already" in again.stderr
    commit(team_git, "Keys for private notes", day="2026-11-20")

    # Mila joins: team.yaml keeps its comments, CODEOWNERS follows, and a second run changes nothing.
    before = (root / "team.yaml").read_text(encoding="utf-8")
    dry = ok(run_cli("person", "add", "--repo", root, *MILA, "--today", "2026-11-27", "--dry-run"))
    assert "+  - id: mila" in dry and "+/talks/mila/" in dry and (root / "team.yaml").read_text() == before
    out = ok(run_cli("person", "add", "--repo", root, *MILA, "--today", "2026-11-27"))
    assert "added mila (Mila de Boer" in out and "updated .github/CODEOWNERS" in out
    after = (root / "team.yaml").read_text(encoding="utf-8")
    assert after.startswith("# yaml-language-server: $schema=schemas/team.schema.json\n")
    assert "    description: >-\n      Eind 2026 draait" in after and "manager: null" in after
    assert "/talks/mila/" in (root / ".github/CODEOWNERS").read_text() and "@miladeboer @sannedevries" in \
        (root / ".github/CODEOWNERS").read_text()
    assert "nothing to change" in ok(run_cli("person", "add", "--repo", root, *MILA, "--today", "2026-12-01"))
    clean(run_cli, root, "2026-11-27")
    add_note(root, "mila", "Mila wil graag naar het team in Berlijn.")
    commit(team_git, "Mila joins", day="2026-11-27")

    # A new cycle: Mila gets a talk file; the spring cycle of before she joined asks nothing of her.
    new_cycle(root, "2027-spring", opens=dt.date(2027, 3, 1))
    ok(run_cli("cycle", "open", "2027-spring", "--repo", root, "--today", "2027-03-01"))
    assert (root / "talks/mila/2027-spring.yaml").is_file()
    assert not any(i.person == "mila" and i.cycle == "2026-spring" for i in due_items(load(root), dt.date(2027, 3, 1)))
    commit(team_git, "Open cycle 2027-spring", day="2027-03-01")

    # Mila moves to Daan: her note is re-encrypted to him, and Sanne reads neither it nor new ones.
    out = ok(run_cli("person", "move", "mila", "--manager", "daan", "--repo", root, "--identity", keys / "sanne.txt"))
    assert "mila now reports to daan (was sanne)" in out and "re-encrypted 1 private note(s) about mila to daan" in out
    add_note(root, "mila", "Eerste gesprek met Daan: Berlijn is van tafel.")
    ws = load(root)
    assert (opens(keys / "daan.txt", ws, "mila"), opens(keys / "sanne.txt", ws, "mila")) == (2, 0)
    assert "@miladeboer @daanbakker" in (root / ".github/CODEOWNERS").read_text()
    assert "nothing to change" in ok(run_cli("person", "move", "mila", "--manager", "daan", "--repo", root))
    clean(run_cli, root, "2027-03-02")
    commit(team_git, "Mila moves to Daan", day="2027-03-02")

    # Reminders: Mila's preparation is due soon, so she has an issue on the forge.
    ok(run_cli("remind", "--repo", root, "--channel", "github", "--today", "2027-03-15"))
    mine = lambda: [i for i in forge.marked() if ":mila:" in i["body"]]  # noqa: E731
    assert mine() and all(i["state"] == "open" for i in mine())
    others = {i["number"] for i in forge.marked() if i["state"] == "open" and ":mila:" not in i["body"]}

    # Mila leaves: her issues close, nobody else's do, and the next cycle opens no talk for her.
    dry = ok(run_cli("person", "leave", "mila", "--repo", root, "--today", "2027-03-16", "--dry-run"))
    assert "+    left_on: 2027-03-16" in dry and "left_on" not in (root / "team.yaml").read_text()
    out = ok(run_cli("person", "leave", "mila", "--repo", root, "--today", "2027-03-16"))
    assert "mila left on 2027-03-16" in out
    assert "nothing to change" in ok(run_cli("person", "leave", "mila", "--repo", root, "--on", "2027-03-16",
                                             "--today", "2027-03-17"))
    owners = (root / ".github/CODEOWNERS").read_text()
    assert "@miladeboer" not in owners and "/talks/mila/" in owners
    clean(run_cli, root, "2027-03-16")
    commit(team_git, "Mila leaves", day="2027-03-16")
    ok(run_cli("remind", "--repo", root, "--channel", "github", "--today", "2027-03-16"))
    assert mine() and all(i["state"] == "closed" and i["state_reason"] == "not_planned" for i in mine())
    for issue in mine():
        said = [c["body"] for c in forge.comments[issue["number"]]]
        assert any(c.startswith("Niet meer nodig: de betrokkene is uit het team vertrokken") for c in said)
    assert others <= {i["number"] for i in forge.marked() if i["state"] == "open"}
    (root / "cycles/2027-autumn.yaml").write_text(
        "title: Najaar 2027\ntemplate: default\nopens: 2027-09-01\nprepare_by: 2027-09-20\ntalks_by: 2027-10-01\n"
        "plan_by: 2027-10-15\n", encoding="utf-8")
    out = ok(run_cli("cycle", "open", "2027-autumn", "--repo", root, "--today", "2027-09-01"))
    assert (root / "talks/daan/2027-autumn.yaml").is_file() and not (root / "talks/mila/2027-autumn.yaml").exists()
    assert "talks/mila" not in out
    built = run_cli("build", "--repo", root, "--only", "people/mila", "--out", tmp_path / "site", "--today", "2027-09-01")
    assert built.exit_code == 1 and "no site `people/mila`" in built.stderr
    status = ok(run_cli("status", "--repo", root, "--today", "2027-09-01"))
    assert "mila" not in status and "daan" in status

    # Her data: exactly her folder, her site and its history; nobody else's words, no notes without a key.
    zipped = tmp_path / "out" / "mila.zip"
    out = ok(run_cli("person", "export", "mila", "--repo", root, "--out", zipped, "--today", "2027-03-16"))
    assert "without the manager's private notes" in out
    with zipfile.ZipFile(zipped) as zf:
        names = zf.namelist()
        blobs = {n: zf.read(n).decode("utf-8", "replace") for n in names}
    assert "mila-export/files/talks/mila/2027-spring.yaml" in names and "mila-export/site/index.html" in names
    assert [n for n in names if n.startswith("mila-export/files/")] == ["mila-export/files/talks/mila/2027-spring.yaml"]
    assert "Mila de Boer" in blobs["mila-export/person.yaml"] and "left_on: '2027-03-16'" in blobs["mila-export/person.yaml"]
    # `cycle open` wrote everyone's talk in one commit, so its message stays out of Mila's history
    assert "talks/mila/2027-spring.yaml" in blobs["mila-export/history.patch"] and "(changed with other files)" in \
        blobs["mila-export/history.patch"] and "Open cycle" not in blobs["mila-export/history.patch"]
    assert not any("/notes" in n for n in names)
    everything = "\n".join(blobs.values())
    assert "Berlijn" not in everything
    others_words = words_of_others(root, "mila")
    assert len(others_words) > 20
    leaked = [w for w in others_words if w in everything or html.escape(w) in everything]
    assert leaked == []
    for other in ("daan", "fleur", "sanne"):
        assert f"talks/{other}/" not in blobs["mila-export/history.patch"]

    # With the manager's key, the notes come along, decrypted.
    out = ok(run_cli("person", "export", "mila", "--repo", root, "--out", zipped, "--identity", keys / "daan.txt",
                     "--today", "2027-03-16"))
    assert "2 private note(s)" in out
    with zipfile.ZipFile(zipped) as zf:
        notes = [zf.read(n).decode() for n in zf.namelist() if n.startswith("mila-export/notes/")]
    assert sorted(notes) == sorted(["Eerste gesprek met Daan: Berlijn is van tafel.",
                                    "Mila wil graag naar het team in Berlijn."])
    inside = run_cli("person", "export", "mila", "--repo", root, "--out", root / "mila.zip", "--today", "2027-03-16")
    assert inside.exit_code == 1 and "inside the repository" in inside.stderr and not (root / "mila.zip").exists()
