"""Stories in a run: `analyze` groups its input into stories and compares articles of one story only."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyweave.cli import app
from storyweave.contract import story_problems, validate
from storyweave.runner import run_analysis
from support import SHARED

# Two fires of the same kind in two towns (different tolls), and a ferry grounding: three events.
ARTICLES = {
    "fire-a1.txt": (
        "Fire at Tarvik textile plant kills 12\n\n"
        "Published: 3 March 2025\n\n"
        "A fire at the Orlan textile plant in Tarvik killed 12 workers on Monday, the regional governor "
        "Mira Kostova said. Firefighters from Tarvik fought the blaze for six hours.\n"
    ),
    "fire-a2.txt": (
        "Tarvik plant fire: toll stands at 12\n\n"
        "Published: 4 March 2025\n\n"
        "Twelve workers died in Monday's fire at the Orlan textile plant in Tarvik, governor Mira Kostova "
        "told reporters. Investigators in Tarvik are looking at the wiring.\n"
    ),
    "fire-b1.txt": (
        "Fire at Morrow chemical depot kills 30\n\n"
        "Published: 5 March 2025\n\n"
        "A fire at the Helden chemical depot in Morrow killed 30 workers on Wednesday, mayor Piet Jansma said. "
        "Firefighters from Morrow fought the blaze through the night.\n"
    ),
    "fire-b2.txt": (
        "Morrow depot fire toll rises\n\n"
        "Published: 6 March 2025\n\n"
        "Thirty workers died in the fire at the Helden chemical depot in Morrow, mayor Piet Jansma told "
        "reporters on Thursday. Police in Morrow have opened an inquiry.\n"
    ),
    "ferry-1.txt": (
        "Ferry runs aground off Hvar, 40 passengers rescued\n\n"
        "Published: 9 August 2025\n\n"
        "A passenger ferry ran aground off the island of Hvar on Saturday and the Croatian coast guard rescued "
        "all 40 people on board, the transport ministry said.\n"
    ),
    "ferry-2.txt": (
        "Croatian coast guard evacuates stranded Hvar ferry\n\n"
        "Published: 9 August 2025\n\n"
        "Everyone aboard the ferry that struck rocks near Hvar has been brought ashore. Croatia's coast guard "
        "said the vessel, carrying 40 passengers and crew, hit a reef in strong winds.\n"
    ),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stories")
    for name, text in ARTICLES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _stories_by_file(report: dict) -> list[list[str]]:
    names = {a["id"]: Path(a["source"]).name for a in report["articles"]}
    return sorted(sorted(names[i] for i in s["articles"]) for s in report["stories"])


def _joined_stories(report: dict) -> list[set[str]]:
    """The stories each claim, discrepancy, timeline entry and brief sentence draws on."""
    story_of = {a["id"]: a["story"] for a in report["articles"]}
    joined = [
        {story_of[m["article"]] for m in c["mentions"]} | {story_of[a] for a in c["supported_by"]}
        for c in report["claims"]
    ]
    joined += [{story_of[s["article"]] for s in d["spans"]} for d in report["discrepancies"]]
    joined += [{story_of[a] for a in t["articles"]} for t in report["timeline"]]
    joined += [{story_of[a] for a in b["cites"]} for b in report["brief"]]
    return joined


@pytest.fixture(scope="module")
def runs(ctx, folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("reports")
    grouped = run_analysis([folder], out_dir=out / "grouped", quiet=True, ctx=ctx)
    whole = run_analysis([folder], out_dir=out / "whole", quiet=True, ctx=ctx, one_story=True)
    assert grouped.report is not None
    assert whole.report is not None
    return {"grouped": grouped.report, "whole": whole.report, "out": {"dir": str(out)}}


def test_analyze_groups_articles_into_their_stories(runs: dict[str, dict]) -> None:
    report = runs["grouped"]
    assert _stories_by_file(report) == [
        ["ferry-1.txt", "ferry-2.txt"],
        ["fire-a1.txt", "fire-a2.txt"],
        ["fire-b1.txt", "fire-b2.txt"],
    ]
    validate(report)
    assert story_problems(report) == []


def _both_fires(report: dict) -> list[dict]:
    """Discrepancies that set one fire's figures against the other's."""
    names = {a["id"]: Path(a["source"]).name for a in report["articles"]}
    return [d for d in report["discrepancies"] if {names[s["article"]][:6] for s in d["spans"]} >= {"fire-a", "fire-b"}]


def test_analyze_never_compares_articles_of_two_stories(runs: dict[str, dict]) -> None:
    """The two fires' tolls (12 and 30) are no discrepancy once grouped; taken as one story, they are."""
    report = runs["grouped"]
    assert all(len(stories) == 1 for stories in _joined_stories(report))
    assert _both_fires(report) == []
    assert _both_fires(runs["whole"]) != []
    assert all(item["story"] in {s["id"] for s in report["stories"]} for item in report["claims"] + report["brief"])


def test_analyze_one_story_takes_the_input_as_it_is(runs: dict[str, dict]) -> None:
    report = runs["whole"]
    assert len(report["stories"]) == 1
    assert sorted(report["stories"][0]["articles"]) == sorted(a["id"] for a in report["articles"])
    validate(report)


def test_report_pages_show_a_story_index_and_a_section_per_story(runs: dict[str, dict]) -> None:
    html = (Path(runs["out"]["dir"]) / "grouped" / "report.html").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "anchors repeat across story sections"
    assert 'id="stories"' in html
    assert html.count('class="story-title"') == 3
    for href in set(re.findall(r'href="#([^"]+)"', html)):
        assert href in ids, f"link to a missing anchor #{href}"
    md = (Path(runs["out"]["dir"]) / "grouped" / "report.md").read_text(encoding="utf-8")
    assert md.count("\n## Story ") == 3
    assert "\n### Brief" in md


def test_story_problems_catch_a_claim_across_stories() -> None:
    report = {
        "articles": [{"id": "a1", "story": "s1"}, {"id": "a2", "story": "s2"}],
        "stories": [{"id": "s1", "articles": ["a1"]}, {"id": "s2", "articles": ["a2"]}],
        "quotes": [],
        "claims": [
            {
                "id": "c1",
                "story": "s1",
                "mentions": [{"article": "a1"}],
                "supported_by": ["a1", "a2"],
                "contradicted_by": [],
            }
        ],
    }
    assert story_problems(report) == ["claims item 'c1' joins articles of several stories"]


def test_cluster_files_writes_clusters_json(folder: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["cluster", str(folder), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "clusters.json").read_text(encoding="utf-8"))
    clusters = sorted(sorted(Path(p).name for p in c) for c in document["clusters"])
    assert clusters == [["ferry-1.txt", "ferry-2.txt"], ["fire-a1.txt", "fire-a2.txt"], ["fire-b1.txt", "fire-b2.txt"]]
    assert all(
        story["sources"] == cluster for story, cluster in zip(document["stories"], document["clusters"], strict=True)
    )


def test_cluster_files_prints_stories_and_names_bad_files(folder: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(app, ["cluster", str(folder / "ferry-1.txt"), str(folder / "ferry-2.txt"), str(bad)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["size"] for r in rows] == [2]
    assert "broken.json" in result.stderr


EXTRACTION = SHARED / "eval-data" / "article-extraction-dev" / "html"


#: Pages of the set read by the test (all 92: benchmarks/public/unrelated_pages.py).
UNRELATED_PAGES = 24


@pytest.mark.slow
@pytest.mark.skipif(not EXTRACTION.is_dir(), reason="shared/eval-data/article-extraction-dev is absent")
def test_unrelated_real_pages_give_separate_stories_and_no_cross_story_findings(ctx, tmp_path: Path) -> None:
    """Web pages of one week, nearly all on different events (the whole set of 92 has a few pairs
    that report one event): many stories, and nothing compares pages of two of them."""
    pages = tmp_path / "pages"
    pages.mkdir()
    for page in sorted(EXTRACTION.glob("*.html.gz"))[:UNRELATED_PAGES]:  # gzipped: read as plain HTML
        (pages / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
    result = run_analysis([pages], out_dir=tmp_path / "report", quiet=True, ctx=ctx)
    report = result.report
    assert report is not None
    validate(report)
    assert story_problems(report) == []
    assert len(report["stories"]) >= 0.7 * len(report["articles"])
    assert all(len(stories) == 1 for stories in _joined_stories(report))


def test_web_run_page_shows_the_story_index_and_each_story(runs: dict[str, dict], tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from report_samples import store_report
    from storyweave.web.app import create_app

    store_report(tmp_path / "web.db", runs["grouped"])
    app = create_app(tmp_path / "web.db")
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get("/runs/1").text
        article = next(a for a in runs["grouped"]["articles"] if a["source"].endswith("ferry-2.txt"))
        article_page = client.get(f"/articles/{article['id']}")
    app.state.library.close()
    assert 'id="stories"' in page
    assert page.count('class="story-title"') == 3
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert article_page.status_code == 200
