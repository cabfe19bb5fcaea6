"""devtalks schema."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .options import repo_option


@click.command()
@repo_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write the schemas to (default: REPO/schemas).")
def schema(repo, out) -> None:
    """Write JSON Schemas for every file kind, for editor autocompletion.

    Besides one schema per file kind, writes talk-<template>.schema.json and
    checkin-<template>.schema.json for each question template in the repository, whose
    answer keys are that template's question ids. Point a file at one with a first line such as:

    \b
        # yaml-language-server: $schema=../../schemas/talk-default.schema.json

    Example:

    \b
        devtalks schema --repo . --out schemas
    """
    from ..check.schema import schemas
    from ..read.load import load

    ws = load(repo) if (repo / "team.yaml").exists() else None
    target = out or repo / "schemas"
    target.mkdir(parents=True, exist_ok=True)
    written = schemas(ws.templates if ws else {})
    for name, body in written.items():
        (target / name).write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(f"wrote {len(written)} schemas to {target}")
