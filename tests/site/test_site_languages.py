"""Sites, talk files and the HR site in the reader's language: words from the catalogues, dates from CLDR."""

from __future__ import annotations

import re
from pathlib import Path

from devtalks.gitflow import talkfile
from devtalks.read.load import load
from tests.conftest import EXAMPLE_TODAY
from tests.gitflow.conftest import commit, edit
from tests.gitflow.test_org import org  # noqa: F401  (the fixture: team repositories behind org.yaml)
from tests.site.sitehelpers import TODAY

AXIS = re.compile(r'<text [^>]*text-anchor="middle">([^<]*)</text>')   # the date labels, not the scale's
SWEDISH_DATE = r"\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december) 20\d\d"


def test_the_example_team_in_swedish(example_repo, tmp_path, run_cli):
    edit(example_repo / "team.yaml", "language: nl", "language: sv")
    out = tmp_path / "out"
    r = run_cli("build", "--repo", example_repo, "--out", out, "--today", TODAY,
                "--only", "people/daan", "--only", "managers/sanne", "--only", "hr")
    assert r.exit_code == 0, r.stderr
    home = (out / "people/daan/index.html").read_text()
    assert '<html lang="sv"' in home and "Ditt nästa steg" in home and re.search(SWEDISH_DATE, home)
    talk = (out / "people/daan/talks/2026-spring.html").read_text()
    assert "Vad har gått bra det senaste halvåret?" in talk and "Överenskommelser" in talk
    axis = AXIS.findall((out / "people/daan/trends.html").read_text())
    assert "23 mars 2026" in axis, axis
    assert "Förberedelser" in (out / "managers/sanne/preparation.html").read_text()
    hr = (out / "hr/index.html").read_text()
    assert "Avdelning" in hr and "Afdeling" not in hr
    averages = re.findall(r"<strong>(\d+[.,]\d)</strong>", (out / "hr/cycles/2026-autumn.html").read_text())
    assert averages and all("," in a for a in averages), "Swedish writes 4,2"


def test_a_new_talk_file_asks_in_swedish(example_repo):
    edit(example_repo / "team.yaml", "language: nl", "language: sv")
    text = talkfile.render(load(example_repo), "daan", "2026-autumn", EXAMPLE_TODAY)
    assert "# Medarbetarens förberedelse" in text and "# Vad har gått bra det senaste halvåret?" in text
    assert "Förbered senast 2026-" in text


def test_dutch_months_are_cldr_short_months(built):
    _, out = built
    axis = AXIS.findall((out / "people/daan/trends.html").read_text())
    assert "23 mrt 2026" in axis and not any("maa" in label for label in axis), axis


def test_the_hr_site_of_an_organisation_speaks_the_organisations_language(org, tmp_path, run_cli):  # noqa: F811
    beta = org["beta"]
    edit(Path(beta.working_tree_dir) / "team.yaml", "language: nl", "language: en")
    commit(beta, "The data team speaks English", day="2026-11-01")
    beta.remote("origin").push("develop:develop")
    org["file"].write_text(org["file"].read_text().split("  - repo: ../remotes/broken.git")[0] + "language: sv\n")
    out = tmp_path / "out"
    r = run_cli("build", "--org", org["file"], "--repo", org["file"].parent, "--out", out, "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    page = (out / "hr/index.html").read_text()
    assert '<html lang="sv"' in page and "Alla team" in page
    assert "Alle teams" not in page and "All teams" not in page, "neither team's language"
    cycle = (out / "hr/cycles/2026-autumn.html").read_text()
    assert "Hur mår du, allt sammantaget?" in cycle and "How are you doing" not in cycle


def test_an_organisation_language_without_a_catalogue_is_a_clear_error(org, tmp_path, run_cli):  # noqa: F811
    org["file"].write_text(org["file"].read_text().replace("language: nl", "language: de"))
    r = run_cli("build", "--org", org["file"], "--repo", org["file"].parent, "--out", tmp_path / "out", "--today", TODAY)
    assert r.exit_code == 1 and "org.yaml:8:11: language: devtalks has no catalogue for `de`; use one of en, nl, sv" \
        in r.stderr, r.stderr
