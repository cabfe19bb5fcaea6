"""devtalks build: layout, strictness, offline pages, incremental rebuilds, shards, pruning, safety."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from devtalks.site.build import shard
from devtalks.site.chrome import STYLESHEET
from tests.gitflow.conftest import commit, edit
from tests.gitflow.test_org import org  # noqa: F401  (the fixture: team repositories behind org.yaml)
from tests.site.sitehelpers import TODAY, sites_in

DEVTALKS = str(Path(sys.executable).parent / "devtalks")
HREF = re.compile(r'(?:href|src)="([^"#]*)(?:#[^"]*)?"')


def build(run_cli, repo: Path, out: Path, *extra: str):
    result = run_cli("build", "--repo", repo, "--out", out, "--today", TODAY, *extra)
    assert result.exit_code == 0, result.stderr
    return result


def stamps(out: Path) -> dict[str, int]:
    """Each site folder's identity: a rebuilt site is a new folder swapped in (its unchanged pages may be kept)."""
    return {key: site.stat().st_ino for key, site in sites_in(out).items()}


def test_every_site_is_a_complete_site_of_its_own(built):
    repo, out = built
    sites = sites_in(out)
    people = {p["id"] for p in yaml.safe_load((repo / "team.yaml").read_text())["people"]}
    assert set(sites) == {f"people/{p}" for p in people} | {"managers/sanne", "hr"}
    for key, site in sites.items():
        for name in ("index.html", "404.html", "search/search_index.json", STYLESHEET):
            assert (site / name).is_file(), f"{key} lacks {name}"


def test_a_private_site_invites_no_crawler(built):
    _, out = built
    for key, site in sites_in(out).items():
        assert not list(site.glob("sitemap.xml*")), f"{key} lists its pages for crawlers"
        for page in site.rglob("*.html"):
            head = page.read_text().split("</head>")[0]
            assert not re.search(r'rel="(canonical|prev|next)"|name="generator"', head), f"{page.relative_to(out)}"


def test_a_team_sitemap_template_still_invites_no_crawler(example_repo, tmp_path, run_cli):
    """devtalks' theme renders no sitemap; one a team's site_overrides/ brings is rendered by mkdocs, then deleted."""
    (example_repo / "site_overrides" / "sitemap.xml").write_text("<urlset>{{ pages | length }}</urlset>\n")
    out = tmp_path / "out"
    build(run_cli, example_repo, out, "--only", "people/daan", "--only", "hr")
    for key, site in sites_in(out).items():
        assert (site / "index.html").is_file() and not list(site.glob("sitemap.xml*")), key


def test_theme_icons_are_drawn_from_one_shared_stylesheet(built):
    _, out = built
    sheets = {key: site / STYLESHEET for key, site in sites_in(out).items()}
    for key, site in sites_in(out).items():
        painted = r"^\.(dt-i-\w+)\{--dt-i:url\(\"data:image/svg\+xml;base64,"
        rules = set(re.findall(painted, sheets[key].read_text(), re.M))
        for page in site.rglob("*.html"):
            chrome = re.sub(r"<article\b.*?</article>", "", page.read_text(), flags=re.S)
            assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox=' not in chrome, f"{page} inlines an icon"
            used = set(re.findall(r'<svg class="dt-i (dt-i-\w+)"', chrome))
            assert used and used <= rules, f"{page.relative_to(out)}: icons without a picture: {used - rules}"
    people = [sheet for key, sheet in sheets.items() if key.startswith("people/")]
    assert len({p.stat().st_ino for p in people}) == 1, "every person site links the one stored copy"


def test_links_stay_inside_their_site_and_resolve(built):
    _, out = built
    for key, site in sites_in(out).items():
        for page in site.rglob("*.html"):
            if page.name == "404.html":
                continue
            for target in HREF.findall(page.read_text()):
                if not target or target.startswith(("https://", "http://", "mailto:")):
                    continue
                resolved = (page.parent / target).resolve()
                assert site.resolve() in resolved.parents, f"{page.relative_to(out)} links out of its site: {target}"
                assert resolved.exists(), f"{page.relative_to(out)}: broken link {target}"


def test_nothing_is_loaded_from_elsewhere(built):
    _, out = built
    for page in out.rglob("*.html"):
        text = re.sub(r'<link rel="canonical"[^>]*>', "", page.read_text())  # names the page, loads nothing
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        loaded = re.findall(r'<(?:script|img|link)\b[^>]*(?:src|href)="(https?:)?//', text)
        assert not [m for m in loaded if m is not None], f"{page}: loads something from another origin"


def test_theme_files_are_shared_not_copied(built):
    _, out = built
    css = [site / "assets" / "devtalks" / "devtalks.css" for site in sites_in(out).values()]
    assert len({p.stat().st_ino for p in css}) == 1, "every site links the one stored copy"
    assert css[0].stat().st_nlink >= len(css) + 1
    private = [p for site in sites_in(out).values() for p in (site / "assets").rglob("*")
               if p.is_file() and p.stat().st_nlink == 1]
    assert not private, f"a site holds its own copy of a theme file: {private[:3]}"


def test_ui_language_and_dates_follow_team_yaml(example_repo, tmp_path, run_cli):
    data = yaml.safe_load((example_repo / "team.yaml").read_text())
    data["language"] = "en"
    (example_repo / "team.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    build(run_cli, example_repo, tmp_path / "out", "--only", "people/daan")
    page = (tmp_path / "out" / "people" / "daan" / "index.html").read_text()
    assert '<html lang="en"' in page and "Your next step" in page
    assert re.search(r"\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d", page)


def test_nothing_changed_means_nothing_rebuilt_and_one_talk_rebuilds_its_sites(example_repo, tmp_path, run_cli):
    out = tmp_path / "out"
    first = build(run_cli, example_repo, out, "--jobs", "2")
    total = len(sites_in(out))
    assert f"built {total}, 0 unchanged" in first.stdout
    before = stamps(out)
    again = build(run_cli, example_repo, out, "--jobs", "2")
    assert f"built 0, {total} unchanged" in again.stdout
    assert stamps(out) == before
    talk = example_repo / "talks" / "daan" / "2026-autumn.yaml"
    talk.write_text(talk.read_text().replace("RFC-007", "RFC-008", 1))
    build(run_cli, example_repo, out, "--jobs", "2")
    after = stamps(out)
    rebuilt = {key for key in before if after[key] != before[key]}
    assert {"people/daan", "managers/sanne"} <= rebuilt <= {"people/daan", "managers/sanne", "hr"}
    assert "RFC-008" in (out / "people" / "daan" / "talks" / "2026-autumn.html").read_text()


def test_a_change_to_mkdocs_yml_rebuilds_every_site(example_repo, tmp_path, run_cli):
    out = tmp_path / "out"
    build(run_cli, example_repo, out, "--jobs", "2")
    config = example_repo / "mkdocs.yml"
    config.write_text(config.read_text().replace("primary: custom", "primary: indigo"))
    result = build(run_cli, example_repo, out, "--jobs", "2")
    assert ", 0 unchanged" in result.stdout
    assert 'data-md-color-primary="indigo"' in (out / "hr" / "index.html").read_text()


def test_people_who_left_lose_their_site(example_repo, tmp_path, run_cli):
    out = tmp_path / "out"
    build(run_cli, example_repo, out, "--jobs", "2")
    data = yaml.safe_load((example_repo / "team.yaml").read_text())
    data["people"] = [p for p in data["people"] if p["id"] != "thijs"]
    (example_repo / "team.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    for f in (example_repo / "talks" / "thijs").iterdir():
        f.unlink()
    (example_repo / "talks" / "thijs").rmdir()
    result = build(run_cli, example_repo, out, "--jobs", "2")
    assert "1 removed" in result.stdout
    assert not (out / "people" / "thijs").exists()
    assert "thijs" not in (out / "managers" / "sanne" / "index.html").read_text()


def test_shards_split_the_sites_exactly_and_deterministically(example_repo, tmp_path, run_cli):
    weights = {"hr": 7, "managers/sanne": 7, **{f"people/p{i}": 1 for i in range(20)}}
    parts = [shard(weights, k, 3) for k in (1, 2, 3)]
    assert sorted(sum(parts, [])) == sorted(weights)
    assert parts == [shard(weights, k, 3) for k in (1, 2, 3)]
    loads = [sum(weights[s] for s in part) for part in parts]
    assert max(loads) - min(loads) <= max(weights.values())
    out = tmp_path / "out"
    build(run_cli, example_repo, out, "--shard", "1/2", "--jobs", "2")
    build(run_cli, example_repo, out, "--shard", "2/2", "--jobs", "2")
    full = tmp_path / "full"
    build(run_cli, example_repo, full, "--jobs", "2")
    assert set(sites_in(out)) == set(sites_in(full))


def test_a_failing_build_leaves_the_previous_sites_intact(example_repo, tmp_path, run_cli):
    out = tmp_path / "out"
    build(run_cli, example_repo, out, "--jobs", "2")
    before = {key: (site / "index.html").read_text() for key, site in sites_in(out).items()}
    (example_repo / "site_overrides" / "main.html").write_text('{% extends "base.html" %}{% block content %}{{ }}')
    result = run_cli("build", "--repo", example_repo, "--out", out, "--today", TODAY, "--jobs", "2")
    assert result.exit_code == 1 and "mkdocs failed" in result.stderr
    assert {key: (site / "index.html").read_text() for key, site in sites_in(out).items()} == before
    assert not any((out / ".devtalks" / "tmp").iterdir())


def test_usage_errors_are_clear(example_repo, tmp_path, run_cli):
    key = tmp_path / "key.txt"
    key.write_text("AGE-SECRET-KEY-1\n")
    r = run_cli("build", "--repo", example_repo, "--out", tmp_path / "o", "--identity", key, "--today", TODAY)
    assert r.exit_code == 2 and "--only managers/ID" in r.stderr
    r = run_cli("build", "--repo", example_repo, "--out", tmp_path / "o", "--only", "people/nobody", "--today", TODAY)
    assert r.exit_code == 1 and "no site `people/nobody`" in r.stderr
    r = run_cli("build", "--repo", example_repo, "--out", tmp_path / "o", "--shard", "3/2", "--today", TODAY)
    assert r.exit_code == 2 and "K/N" in r.stderr
    r = run_cli("build", "--repo", example_repo, "--out", example_repo, "--today", TODAY)
    assert r.exit_code == 2


def test_a_today_at_the_end_of_the_calendar_still_builds(example_repo, tmp_path, run_cli):
    """Due soon reaches past the last date there is; no date in a file can, so nothing overflows."""
    r = run_cli("build", "--repo", example_repo, "--out", tmp_path / "o", "--today", "9999-12-30", "--only", "people/daan")
    assert (r.exit_code, r.stderr) == (0, ""), r.stderr
    assert (tmp_path / "o" / "people" / "daan" / "index.html").is_file()


def test_a_repository_with_errors_builds_nothing(example_repo, tmp_path, run_cli):
    talk = example_repo / "talks" / "daan" / "2026-autumn.yaml"
    talk.write_text(talk.read_text().replace("template_version: 2", "template_version: 2\nbogus: 1"))
    r = run_cli("build", "--repo", example_repo, "--out", tmp_path / "o", "--today", TODAY)
    assert r.exit_code == 1 and "talks/daan/2026-autumn.yaml" in r.stderr and "DT100" in r.stderr
    assert not (tmp_path / "o" / "people").exists()


def test_a_rebuild_still_refuses_a_talk_that_a_change_elsewhere_made_wrong(example_repo, tmp_path, run_cli):
    out = tmp_path / "o"
    build(run_cli, example_repo, out)
    team = example_repo / "team.yaml"
    team.write_text(team.read_text().replace("id: self-service", "id: selfservice"))
    r = run_cli("build", "--repo", example_repo, "--out", out, "--today", TODAY)
    assert r.exit_code == 1 and "talks/lotte/2026-spring.yaml" in r.stderr and "DT203" in r.stderr
    early = run_cli("build", "--repo", example_repo, "--out", out, "--today", "2026-03-01")
    assert early.exit_code == 1 and "talks/daan/2026-spring.yaml:4:10: DT301 held_on 2026-03-23 ligt in de toekomst" in early.stderr


def test_the_cli_prints_only_its_own_lines(example_repo, tmp_path):
    proc = subprocess.run([DEVTALKS, "build", "--repo", str(example_repo), "--out", str(tmp_path / "o"),
                           "--today", TODAY, "--only", "hr"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", "no mkdocs chatter, no end-of-life banner"
    assert re.fullmatch(r"built 1, 0 unchanged in [\d.]+s → .+\n", proc.stdout)


def test_talk_pages_show_their_git_history(example_repo, tmp_path, run_cli):
    import git

    repo = git.Repo.init(example_repo)
    with repo.config_writer() as c:
        c.set_value("user", "name", "Sanne de Vries").set_value("user", "email", "sanne@example.com")
    repo.git.add(A=True)
    repo.index.commit("Voorjaarsgesprekken vastgelegd")
    talk = example_repo / "talks" / "daan" / "2026-autumn.yaml"
    talk.write_text(talk.read_text().replace("RFC-007", "RFC-009", 1))
    repo.git.add(A=True)
    repo.index.commit("Daan: samenvatting bijgewerkt")
    build(run_cli, example_repo, tmp_path / "out", "--only", "people/daan")
    page = (tmp_path / "out" / "people" / "daan" / "talks" / "2026-autumn.html").read_text()
    assert "Geschiedenis" in page and "Daan: samenvatting bijgewerkt" in page and "Sanne de Vries" in page
    assert "Daan: samenvatting" not in (tmp_path / "out" / "people" / "daan" / "talks" / "2026-spring.html").read_text()


def test_an_org_build_makes_one_hr_site_over_every_team(org, tmp_path, run_cli):
    out = tmp_path / "out"
    r = run_cli("build", "--org", org["file"], "--repo", org["file"].parent, "--out", out, "--today", TODAY)
    assert r.exit_code == 1, "a team that could not be read is reported"
    assert "team `broken` is left out" in r.stderr and "team `ghost` is left out" in r.stderr
    assert set(sites_in(out)) == {"hr"}
    page = (out / "hr" / "index.html").read_text()
    totals = re.findall(r'<tr class="dt-row-all"><td>Alle teams</td><td></td><td>(\d+)</td>', page)
    assert totals and int(totals[0]) == 12, "two teams of six, the same person ids kept apart"
    assert page.count('<tr class="dt-row-team">') >= 2


def test_an_org_build_with_no_new_commit_anywhere_skips_the_teams_but_still_warns(org, tmp_path, run_cli):
    out = tmp_path / "out"
    args = ("build", "--org", org["file"], "--repo", org["file"].parent, "--out", out, "--today", TODAY)
    first = run_cli(*args)
    assert first.stdout.startswith("built 1, 0 unchanged")
    again = run_cli(*args)
    assert again.exit_code == 1 and again.stdout.startswith("built 0, 1 unchanged")
    assert again.stderr == first.stderr and "team `broken` is left out" in again.stderr
    assert {p.name for p in out.iterdir()} == {"hr", ".devtalks"} and not (out / ".devtalks" / "stamps").exists(), \
        "the stamp is devtalks' own state: it lives in its cache folder, where a commit cannot plant it"
    alpha = org["alpha"]
    root = Path(alpha.working_tree_dir)
    edit(root / "talks/noor/2026-autumn.yaml", "wellbeing: 4", "wellbeing: 2")
    commit(alpha, "Noor feels worse", "daan", "2026-11-20")
    alpha.remote("origin").push("refs/heads/main:refs/heads/main")
    moved = run_cli(*args)
    assert moved.stdout.startswith("built 1, 0 unchanged"), "a team's new commit rebuilds the HR site"
