"""Titles without the site's decoration, outlets from the site's name or domain (invented pages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyweave.ingest import ingest_paths
from storyweave.model import Article
from storyweave.titles import (
    clean_title,
    declared_site_name,
    outlet_for,
    registrable_domain,
    strip_shared_decoration,
    text_title,
)
from support import SHARED


@pytest.mark.parametrize(
    ("title", "names", "url", "expected"),
    [
        # the segment that names the site, by its declared name or by its domain
        (
            "Dam inspections begin - ValleyNews.com",
            ["ValleyNews.com"],
            "https://valleynews.com/a",
            "Dam inspections begin",
        ),
        ("Dam inspections begin – ValleyNews", [], "https://www.valleynews.com/a", "Dam inspections begin"),
        ("Dam inspections begin | The Courier", ["The Courier"], "https://courier.example/a", "Dam inspections begin"),
        ("The Courier — Dam inspections begin", [], "https://www.thecourier.example/a", "Dam inspections begin"),
        ("Dam inspections begin - Harbour 80/90 - Archive", ["Harbour 80/90 - Archive"], None, "Dam inspections begin"),
        # labels set off by a bar: sections
        ("Opinion | The dam must be rebuilt now", [], "https://courier.example/a", "The dam must be rebuilt now"),
        ("The Courier view on the dam: rebuild it | Editorial", [], None, "The Courier view on the dam: rebuild it"),
        ("World | Dam inspections begin | The Courier", ["The Courier"], None, "Dam inspections begin"),
        # what belongs to the headline stays
        (
            "Kim Jong-un - the man behind the mask",
            [],
            "https://courier.example/a",
            "Kim Jong-un - the man behind the mask",
        ),
        (
            "Valley Design Week 2018 | A lamp of light and glass",
            [],
            None,
            "Valley Design Week 2018 | A lamp of light and glass",
        ),
        ("Take C.A.R.E. - harbourco at the trade fair", ["Harbourco"], "https://blog.harbourco.example/a", None),
        ("Only words", ["Only words"], None, "Only words"),
        ("Opinion | Now", [], None, "Opinion | Now"),  # nothing headline-like would be left
    ],
)
def test_clean_title_drops_only_the_sites_decoration(
    title: str, names: list[str], url: str | None, expected: str | None
) -> None:
    assert clean_title(title, site_names=names, url=url) == (expected or title)


@pytest.mark.parametrize(
    ("declared", "extracted", "url", "expected"),
    [
        ("The Valley Courier", "Valley Courier Online", "https://courier.example/a", "The Valley Courier"),
        (None, "Valley Courier", "https://courier.example/a", "Valley Courier"),
        ("Harbour Radio | News | Sport", None, None, "Harbour Radio"),
        # never a copyright notice, a year or a word made from the host name
        (None, "Copyright 2014", "https://www.valleynews.com.br/a", "valleynews.com.br"),
        ("© 2020 Valley Media", None, "https://valleymedia.example.org/a", "example.org"),
        (None, "Hosted", "https://hosted.wire.example.org/a", "example.org"),
        ("Hosted", None, "https://hosted.wire.example.org/a", "example.org"),
        ("Valley", None, "https://www.valley.example/a", "Valley"),
        (None, None, "https://news.valley.co.uk/story", "valley.co.uk"),
        (None, None, None, None),
    ],
)
def test_outlet_is_the_site_name_or_the_domain(
    declared: str | None, extracted: str | None, url: str | None, expected: str | None
) -> None:
    assert outlet_for(declared, extracted, url) == expected


def test_registrable_domain_reads_the_public_suffix_list() -> None:
    assert registrable_domain("https://hosted.wire.example.org/a") == "example.org"
    assert registrable_domain("news.valley.co.uk") == "valley.co.uk"
    assert registrable_domain("http://127.0.0.1:8000/a") == "127.0.0.1"


def test_declared_site_name_reads_meta_tags_in_any_attribute_order() -> None:
    html = "<head><meta content='Valley &amp; Co' property=\"og:site_name\"><meta name=application-name content=X>"
    assert declared_site_name(html) == "Valley & Co"
    assert declared_site_name("<meta name='application-name' content='Harbour Radio'>") == "Harbour Radio"
    assert declared_site_name("<p>no meta</p>") is None


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Bridge reopens after repairs - ValleyNews.com</title>
<meta property="og:title" content="Bridge reopens after repairs - ValleyNews.com">
<meta name="copyright" content="Copyright 2014">
<link rel="canonical" href="https://www.valleynews.com/bridge">
</head><body><article><h1>Bridge reopens after repairs</h1>
<p>The old stone bridge over the Marlow river reopened to traffic on Friday after eight months of repairs
that cost the county about 2 million euros, officials said.</p>
<p>Engineers replaced two of the five arches, which had cracked during last winter's floods.</p>
</article></body></html>"""


def test_html_title_loses_decoration_and_keeps_the_original_in_meta(tmp_path: Path) -> None:
    path = tmp_path / "bridge.html"
    path.write_text(PAGE, encoding="utf-8")
    (article,) = ingest_paths([str(path)]).articles
    assert article.title == "Bridge reopens after repairs"
    assert dict(article.meta)["title_original"] == "Bridge reopens after repairs - ValleyNews.com"
    assert article.outlet is not None
    assert "2014" not in article.outlet
    assert "copyright" not in article.outlet.casefold()


def test_titles_shared_by_pages_of_one_site_lose_the_shared_segment() -> None:
    def page(i: int, title: str) -> Article:
        return Article(id=f"a{i}", source=f"p{i}", text="x", title=title, url=f"https://courier.example/{i}")

    pages = [page(1, "Bridge reopens - Valley Edition"), page(2, "Dam inspections begin - Valley Edition")]
    other = Article(id="b", source="q", text="x", title="Storm - Valley Edition", url="https://other.example/1")
    cleaned = strip_shared_decoration([*pages, other])
    assert [a.title for a in cleaned] == ["Bridge reopens", "Dam inspections begin", "Storm - Valley Edition"]
    assert dict(cleaned[0].meta)["title_original"] == "Bridge reopens - Valley Edition"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Firefighters at the dam on Monday (Picture: Valley Photos).\nRussia\n\nDam gates opened at dawn\n\nBody.",
            "Dam gates opened at dawn",
        ),
        (
            "© Wire\nValley Mayor Ines Calder\nThe mayor said on Monday that the dam was safe.",
            "Valley Mayor Ines Calder",
        ),
        ("The mayor said on Monday that the dam was safe.\nMore.", None),
    ],
)
def test_text_title_skips_captions_credits_and_labels(text: str, title: str | None) -> None:
    assert text_title(text) == title


EXTRACTION = SHARED / "eval-data" / "article-extraction-dev" / "html"


@pytest.mark.skipif(not EXTRACTION.exists(), reason="article-extraction-dev absent")
def test_real_pages_get_plausible_outlets() -> None:
    """On the public dev pages, no outlet is a copyright notice, a year or a word made from a host."""
    import re

    result = ingest_paths([str(EXTRACTION)])
    assert len(result.articles) >= 90
    outlets = [a.outlet for a in result.articles]
    assert all(o is None or not re.search(r"copyright|©|(?:19|20)\d\d", o, re.I) for o in outlets), outlets
    assert "Hosted" not in outlets
    decorated = [a.title for a in result.articles if a.title and re.search(r"\s[-–|]\s\S+\.(?:com|net|org)$", a.title)]
    assert decorated == []
