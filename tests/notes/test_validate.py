"""`devtalks validate` on notes: plain text refused, notes follow the manager, no pyrage on the way."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import TODAY, add_note, edit_team, make_key, person

SECRET = "Lotte overweegt een overstap naar security."


def validate(run_cli, repo) -> tuple[int, list[dict]]:
    result = run_cli("validate", "--repo", repo, "--format", "json", "--today", TODAY)
    return result.exit_code, json.loads(result.stdout)


def problems(found: list[dict]) -> set[tuple[str, str]]:
    return {(d["path"], d["code"]) for d in found}


def test_notes_written_by_devtalks_are_valid(team, run_cli):
    add_note(team.repo, "lotte", SECRET)
    add_note(team.repo, "noor", "van daan")
    assert validate(run_cli, team.repo) == (0, [])


def test_a_plain_text_note_is_refused(team, run_cli):
    add_note(team.repo, "lotte", SECRET)
    notes = team.repo / "talks/lotte/notes"
    (notes / "gesprek.md").write_text(SECRET + "\n")
    (notes / "drafts").mkdir()
    (notes / "drafts" / "idee.txt").write_text("nog een gedachte\n")
    (notes / ".hidden.md").write_text("verstopt\n")
    code, found = validate(run_cli, team.repo)
    assert code == 1
    assert {("talks/lotte/notes/gesprek.md", "DT500"), ("talks/lotte/notes/drafts/idee.txt", "DT500"),
            ("talks/lotte/notes/.hidden.md", "DT500")} <= problems(found)
    message = next(d for d in found if d["path"].endswith("gesprek.md"))
    assert "not age-encrypted" in message["message"] and "devtalks notes add lotte" in message["hint"]
    assert all(SECRET not in d["message"] + d["hint"] for d in found)


def test_an_age_file_devtalks_did_not_write_is_flagged(team, run_cli):
    import pyrage
    from pyrage import x25519

    rogue = pyrage.encrypt(b"hand made", [x25519.Recipient.from_str(team.keys["sanne"].public)])
    notes = team.repo / "talks/lotte/notes"
    notes.mkdir(parents=True)
    (notes / "mijn-notitie.age").write_bytes(rogue)
    (notes / "2026-11-20T090000Z.md.age").write_bytes(rogue)
    code, found = validate(run_cli, team.repo)
    assert code == 1
    assert ("talks/lotte/notes/mijn-notitie.age", "DT207") in problems(found)
    unrecorded = next(d for d in found if d["path"] == "talks/lotte/notes/2026-11-20T090000Z.md.age")
    assert unrecorded["code"] == "DT501" and "recipients.yaml" in unrecorded["message"]
    assert "devtalks notes rekey lotte" in unrecorded["hint"]


def test_a_note_re_encrypted_outside_devtalks_does_not_match_its_record(team, run_cli):
    import pyrage
    from pyrage import x25519

    rel = add_note(team.repo, "lotte", SECRET)
    both = [x25519.Recipient.from_str(team.keys[k].public) for k in ("sanne", "stranger")]
    (team.repo / rel).write_bytes(pyrage.encrypt(SECRET.encode(), both))
    code, found = validate(run_cli, team.repo)
    assert code == 1
    [d] = found
    assert (d["path"], d["code"]) == (rel, "DT501") and "encrypted to 2 key(s)" in d["message"]


def test_after_a_change_of_manager_notes_need_a_rekey_by_the_old_manager(team, run_cli):
    rel = add_note(team.repo, "noor", SECRET)
    edit_team(team.repo, lambda data: person(data, "noor").update(manager="sanne"))
    code, found = validate(run_cli, team.repo)
    assert code == 1
    [d] = found
    assert (d["path"], d["code"]) == (rel, "DT501")
    assert d["message"].endswith("is encrypted to daan, but noor's manager is now sanne")
    assert "daan runs `devtalks notes rekey noor --identity KEYFILE`" in d["hint"]
    assert "on_manager_change: keep" in d["hint"]

    wrong = run_cli("notes", "rekey", "noor", "--repo", team.repo, "--identity", team.keys["sanne"].path)
    assert wrong.exit_code == 1 and f"does not open 1 note(s) that need a rekey: {rel}" in wrong.stderr

    done = run_cli("notes", "rekey", "noor", "--repo", team.repo, "--identity", team.keys["daan"].path)
    assert done.exit_code == 0 and f"re-encrypted {rel}" in done.stdout
    assert validate(run_cli, team.repo) == (0, [])
    shown = run_cli("notes", "show", "noor", "--repo", team.repo, "--identity", team.keys["sanne"].path)
    assert SECRET in shown.stdout
    assert run_cli("notes", "show", "noor", "--repo", team.repo, "--identity", team.keys["daan"].path).exit_code == 1
    again = run_cli("notes", "rekey", "--repo", team.repo, "--identity", team.keys["daan"].path)
    assert again.exit_code == 0 and "nothing to re-encrypt" in again.stdout


def test_by_policy_notes_can_stay_with_the_manager_who_wrote_them(team, run_cli):
    rel = add_note(team.repo, "noor", SECRET)

    def change(data):
        person(data, "noor")["manager"] = "sanne"
        data["notes"] = {"on_manager_change": "keep"}

    edit_team(team.repo, change)
    assert validate(run_cli, team.repo) == (0, [])
    listed = run_cli("notes", "list", "noor", "--repo", team.repo)
    assert rel in listed.stdout and "kept" in listed.stdout
    assert SECRET in run_cli("notes", "show", "noor", "--repo", team.repo, "--identity", team.keys["daan"].path).stdout
    new = add_note(team.repo, "noor", "van sanne")
    assert validate(run_cli, team.repo) == (0, [])
    assert "sanne" in (team.repo / "talks/noor/notes/recipients.yaml").read_text().split(new.rsplit("/", 1)[1])[1]


def test_a_new_key_or_an_added_hr_key_asks_for_a_rekey(team, run_cli, tmp_path):
    rel = add_note(team.repo, "lotte", SECRET)
    new = make_key(tmp_path / "keys", "sanne-2027")

    def change(data):
        person(data, "sanne")["age_recipient"] = new.public
        data["notes"] = {"extra_recipients": [team.keys["hr"].public]}

    edit_team(team.repo, change)
    code, found = validate(run_cli, team.repo)
    assert code == 1
    [d] = found
    assert d["code"] == "DT501" and "not to age1" in d["message"] and "still to age1" in d["message"]
    assert run_cli("notes", "rekey", "--repo", team.repo, "--identity", team.keys["sanne"].path).exit_code == 0
    assert validate(run_cli, team.repo) == (0, [])
    for key in (new.path, team.keys["hr"].path):
        assert SECRET in run_cli("notes", "show", "lotte", "--repo", team.repo, "--identity", key).stdout
    assert run_cli("notes", "show", "lotte", "--repo", team.repo, "--identity", team.keys["sanne"].path).exit_code == 1
    assert rel in run_cli("notes", "list", "lotte", "--repo", team.repo).stdout


def test_a_note_about_someone_without_a_manager_has_nobody_to_belong_to(team, run_cli):
    rel = add_note(team.repo, "lotte", SECRET)
    edit_team(team.repo, lambda data: person(data, "lotte").update(manager=None))
    code, found = validate(run_cli, team.repo)
    assert code == 1 and (rel, "DT501") in problems(found)
    assert "has no manager" in found[0]["message"]


def test_keys_in_team_yaml_must_be_public_age_keys(team, run_cli):
    secret = "AGE-SECRET-KEY-1" + "Q" * 58

    def change(data):
        person(data, "sanne")["age_recipient"] = secret
        person(data, "daan")["age_recipient"] = "ssh-ed25519 AAAA"

    edit_team(team.repo, change)
    code, found = validate(run_cli, team.repo)
    assert code == 1
    messages = {d["message"] for d in found if d["path"] == "team.yaml" and d["code"] == "DT102"}
    assert "this is an age SECRET key; only the public key (age1…) belongs here" in messages
    assert "`ssh-ed25519 AAAA` is not an age public key" in messages
    assert all(secret not in d["message"] for d in found)


def test_a_stale_entry_in_the_index_is_a_warning(team, run_cli):
    rel = add_note(team.repo, "lotte", SECRET)
    (team.repo / rel).unlink()
    code, found = validate(run_cli, team.repo)
    assert code == 0
    [d] = found
    assert (d["path"], d["code"], d["severity"]) == ("talks/lotte/notes/recipients.yaml", "DT502", "warning")
    assert d["line"] == 3


def test_validate_never_loads_pyrage(team):
    add_note(team.repo, "lotte", SECRET)
    probe = ("import sys\nfrom devtalks.cli import main\n"
             f"code = main(['validate', '--repo', {str(team.repo)!r}, '--today', {TODAY!r}])\n"
             "print(code, 'pyrage' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("0 False")


def test_in_hook_mode_the_changed_notes_folder_is_checked(team, run_cli):
    add_note(team.repo, "lotte", SECRET)
    (team.repo / "talks/lotte/notes/kladje.md").write_text(SECRET + "\n")
    talk = "talks/lotte/2026-autumn.yaml"
    assert run_cli("validate", "--repo", team.repo, "--today", TODAY, talk).exit_code == 0
    refused = run_cli("validate", "--repo", team.repo, "--today", TODAY, talk, "talks/lotte/notes/kladje.md")
    assert refused.exit_code == 1 and "talks/lotte/notes/kladje.md:1:1: error DT500" in refused.stdout
