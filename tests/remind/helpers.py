"""What a clean run should leave on the forge, and ways to resolve due items in the example copy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from devtalks.progress import due_items
from devtalks.read.load import load
from devtalks.remind import plan
from devtalks.remind.github import web_url

from .conftest import edit_yaml
from .forge import Forge


def expected(repo: Path, today: dt.date, forge: Forge) -> dict[str, tuple]:
    """key → (title, body, assignees) that one clean run opens, worked out from the plan."""
    links = plan.Links(f"{web_url(forge.url)}/{forge.repository}")
    return {r.key: (r.title, r.body, tuple(sorted(r.assignees))) for r in plan.reminders(load(repo), today, links)}


def finish_agreement(repo: Path, path: str, agreement: str, on: dt.date) -> None:
    def change(data: dict) -> None:
        for a in data.get("agreements") or data.get("follow_ups") or []:
            if a["id"] == agreement:
                a["status"], a["done_on"] = "done", on

    edit_yaml(repo / path, change)


def resolve_everything(repo: Path, on: dt.date) -> None:
    """Do everything that is due by `on`: every agreement done, talks held, planned and signed."""
    def finish(data: dict) -> None:
        for key in ("agreements", "follow_ups"):
            for a in data.get(key) or []:
                if a.get("status", "open") == "open":
                    a["status"], a["done_on"] = "done", on

    for file in sorted((repo / "talks").glob("*/*.yaml")):
        edit_yaml(file, finish)
    ws = load(repo)
    for item in due_items(ws, on):
        file = repo / item.path
        if not file.exists():
            template = ws.templates[ws.cycles[item.cycle].template]
            file.write_text(f"template_version: {template.version}\n", encoding="utf-8")

        def change(data: dict, person: str = item.person) -> None:
            data["held_on"] = data.get("held_on") or on
            data["summary"] = data.get("summary") or "Gesprek gevoerd."
            data["agreements"] = data.get("agreements") or [
                {"id": "vervolg", "title": "Vervolggesprek plannen", "owner": person, "status": "done", "done_on": on}]
            data["sign_off"] = {"employee": on, "manager": on}

        edit_yaml(file, change)
    left = due_items(load(repo), on)
    assert not left, f"still due: {[i.key for i in left]}"
