"""report.md: the same sections as the HTML report, with article text unable to format or inject."""

from __future__ import annotations

import pytest

from report_samples import GAZETTE, empty_report, sample_report
from storyweave.report.markdown import md, render_markdown


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain words", "plain words"),
        ("*bold* and _it_", r"\*bold\* and \_it\_"),
        ("[link](javascript:alert(1))", r"\[link\]\(javascript:alert\(1\)\)"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        ("a | b", r"a \| b"),
        ("# not a heading", r"\# not a heading"),
        ("line one\nline two", "line one line two"),
    ],
)
def test_md_escapes_markdown_and_html(raw: str, expected: str) -> None:
    assert md(raw) == expected


def test_report_md_has_every_section_with_findings() -> None:
    text = render_markdown(sample_report())
    for heading in (
        "## Brief",
        "## Claims across sources",
        "## Statements",
        "## Numbers",
        "## Dates",
        "## Timeline",
        "## Entities",
        "## Flagged passages",
        "## Articles",
    ):
        assert heading in text
    assert "| The Orrin Bridge was closed after a crack was found\\. | **contested** (negation) |" in text
    assert '"We **will not** reopen it' in text
    assert "| 40 m | — | 40\\-metre |" in text


def test_report_md_says_none_found_for_empty_sections() -> None:
    text = render_markdown(empty_report())
    for what in (
        "brief sentences",
        "claims",
        "numeric discrepancies",
        "date discrepancies",
        "timeline events",
        "entities",
        "flagged passages",
    ):
        assert f"_No {what} found._" in text


def test_report_md_citations_point_at_article_anchors_that_exist() -> None:
    report = sample_report()
    text = render_markdown(report)
    for article in report["articles"]:
        assert f'<a id="a-{article["id"]}"></a>' in text
        assert f"](#a-{article['id']})" in text
    assert "](#s-" not in text  # Markdown has no anchors inside article text


def test_report_md_neutralises_hostile_article_text() -> None:
    hostile = GAZETTE.replace("Bridge closes after crack found", "<img src=x onerror=alert(1)> [x](javascript:y)")
    text = render_markdown(sample_report(gazette=hostile))
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in text
    assert "](javascript:" not in text
