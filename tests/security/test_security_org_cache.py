"""What `build --org` keeps of a validated team counts only when it is exactly what devtalks wrote for that commit.

A kept entry lets a team skip validation, so a corrupt, truncated, foreign, edited or
misplaced one must read as a miss: the team is validated again, with the same verdict as
ever, and nothing crashes.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from devtalks import __version__
from devtalks.check.orgcache import entry_key
from devtalks.read.org import fetch_org, load_org, validate_org
from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.test_org import org  # noqa: F401  (a fixture, used by name)


def digested(kind: str, body: dict) -> bytes:
    """An entry in devtalks' own layout with a correct digest: what someone who read the code could write."""
    text = json.dumps(body, separators=(",", ":"))
    digest = hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
    return f'{{"kind":"{kind}","devtalks":"{__version__}","digest":"{digest}","value":{text}}}'.encode()


def variants(real: bytes, alpha: bytes, key: str) -> dict[str, bytes]:
    text = real.decode()
    return {
        "empty": b"",
        "truncated": real[: len(real) // 2],
        "not-json": b"\xff\xfe{}",
        "deeply-nested": b"[" * 100_000 + b"]" * 100_000,
        "other-version": text.replace(f'"devtalks":"{__version__}"', '"devtalks":"0.0.0"').encode(),
        "other-kind": text.replace('"kind":"validated-team"', '"kind":"verdicts"').encode(),
        "edited-to-a-warning": text.replace('"error"]', '"warning"]').encode(),
        "another-teams-entry": alpha,
        "clean-without-a-workspace": digested("validated-team", {"key": key, "diagnostics": [], "workspace": None}),
        "rows-of-wrong-type": digested("validated-team", {"key": key, "workspace": None, "diagnostics": [
            ["broken/talks/noor/2026-autumn.yaml", "9", 1, "DT205", "x", "", "error"]]}),
        "unknown-field": digested("validated-team", {"key": key, "workspace": None, "diagnostics": [], "clean": True}),
    }


@pytest.mark.parametrize("variant", ["empty", "truncated", "not-json", "deeply-nested", "other-version", "other-kind",
                                     "edited-to-a-warning", "another-teams-entry", "clean-without-a-workspace",
                                     "rows-of-wrong-type", "unknown-field"])
def test_a_corrupt_foreign_or_planted_entry_is_a_miss_and_the_verdict_stands(variant, org):
    first = load_org(org["file"], org["cache"], jobs=1, today=EXAMPLE_TODAY)
    broken = first[2]
    verdict = broken.diagnostics
    assert not broken.ok and any(d.code == "DT205" for d in verdict)
    entry = broken.entry
    assert entry.parent == org["cache"] and not entry.is_relative_to(broken.path)
    key = entry_key(broken.name, broken.sha, EXAMPLE_TODAY)
    entry.write_bytes(variants(entry.read_bytes(), first[0].entry.read_bytes(), key)[variant])

    config, repos = fetch_org(org["file"], org["cache"], 1, EXAMPLE_TODAY)
    assert [r.name for r in validate_org(repos, EXAMPLE_TODAY, 1)] == ["broken"]
    assert not repos[2].ok and repos[2].diagnostics == verdict
    assert repos[0].ok and repos[1].ok
    config, repos = fetch_org(org["file"], org["cache"], 1, EXAMPLE_TODAY)
    assert validate_org(repos, EXAMPLE_TODAY, 1) == [] and repos[2].diagnostics == verdict  # rewritten, and reused


def test_an_edited_answer_in_a_kept_team_is_a_miss(org):
    first = load_org(org["file"], org["cache"], jobs=1, today=EXAMPLE_TODAY)
    alpha = first[0]
    real = alpha.workspace.talks[("noor", "2026-autumn")].employee["wellbeing"]
    text = alpha.entry.read_text()
    assert text.count(f'"wellbeing":{real}') >= 1
    alpha.entry.write_text(text.replace(f'"wellbeing":{real}', '"wellbeing":1'))
    config, repos = fetch_org(org["file"], org["cache"], 1, EXAMPLE_TODAY)
    assert [r.name for r in validate_org(repos, EXAMPLE_TODAY, 1)] == ["alpha"]
    assert repos[0].workspace.talks[("noor", "2026-autumn")].employee["wellbeing"] == real

