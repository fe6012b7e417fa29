"""The self-contained HTML report: every section, every citation resolvable, markup always well formed."""

from __future__ import annotations

import copy
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from report_samples import empty_report, sample_report
from storyweave.report import write_reports
from storyweave.report.highlight import Mark, highlight, span_anchor
from storyweave.report.highlight import escape as highlight_escape
from storyweave.report.html import _escaped, render_html
from storyweave.report.view import context_of, display_date

VOID = {"meta", "br", "link", "img", "input", "hr", "circle", "line"}


class Outline(HTMLParser):
    """Collects ids, in-page links and tag balance problems of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name == "href" and value:
                self.hrefs.append(value)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def outline(document: str) -> Outline:
    parser = Outline()
    parser.feed(document)
    parser.close()
    return parser


def plain_text(fragment: str) -> str:
    """The text a reader sees in a highlighted body, minus the back-link superscripts."""
    without_links = re.sub(r'<sup class="bks">.*?</sup>', "", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", without_links))


def test_report_html_renders_every_section_with_resolvable_links() -> None:
    page = render_html(sample_report())
    doc = outline(page)
    assert not doc.problems
    assert not doc.stack, f"unclosed: {doc.stack}"
    for section in ("brief", "coverage", "statements", "numbers", "dates", "timeline", "entities", "flags", "sources"):
        assert section in doc.ids
    dangling = {h for h in doc.hrefs if h.startswith("#") and h[1:] not in doc.ids}
    assert not dangling
    assert len(doc.ids) == len(set(doc.ids)), "duplicate element ids"


def test_report_html_links_each_claim_to_its_span_and_back() -> None:
    report = sample_report()
    page = render_html(report)
    claim = report["claims"][0]
    anchor = span_anchor(claim["contradicted_by"][0])
    assert f'href="#{anchor}"' in page  # item -> span
    assert f'id="{anchor}"' in page
    assert '<sup class="bks"><a href="#c-c_closed"' in page  # span -> item


def test_report_html_matrix_marks_support_contradiction_and_silence() -> None:
    page = render_html(sample_report())
    tables = re.findall(r'class="matrix">.*?</table>', page, flags=re.S)
    assert len(tables) == 2  # claims several articles share, then the single-source ones (collapsed)
    assert "single-source" not in tables[0]
    assert "contested" not in tables[1]
    assert "single-source" in tables[1]
    matrix = "".join(tables)
    assert matrix.count('class="cell supports"') == 3
    assert matrix.count('class="cell contradicts"') == 1
    assert matrix.count('class="cell silent"') == 2
    assert '<span class="badge contested">contested</span>' in matrix


def test_report_html_matrix_marks_an_article_that_says_both() -> None:
    report = sample_report()
    gazette = report["articles"][0]
    start = gazette["text"].index("closed on Tuesday")
    against = {"article": gazette["id"], "start": start, "end": start + 6, "text": "closed"}
    report["claims"][0]["contradicted_by"].append(against)
    page = render_html(report)
    assert f'<td class="cell mixed"><a href="#{span_anchor(against)}"' in page


def test_report_html_matrix_turns_into_counts_for_many_articles() -> None:
    report = sample_report()
    extra = [{**report["articles"][2], "id": f"copy{i}", "source": f"copy{i}.txt"} for i in range(40)]
    report["articles"] = report["articles"] + extra
    page = render_html(report)
    row = page[page.index('<tr id="c-c_closed">') : page.index("</tr>", page.index('<tr id="c-c_closed">'))]
    assert '<td class="num">2</td><td class="num">1</td><td class="num">40</td>' in row


def test_report_html_statement_highlights_the_reworded_words() -> None:
    page = render_html(sample_report())
    assert '<mark class="chg"> will not</mark>' in page
    assert '<mark class="chg"> won&#39;t</mark>' in page


def test_report_html_timeline_is_inline_svg_with_escaped_text() -> None:
    report = sample_report()
    report["timeline"][0]["text"] = "Crack <found> & bridge closes"
    page = render_html(report)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "Crack &lt;found&gt; &amp; bridge closes" in svg
    assert "<found>" not in page


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("brief", "No brief sentences found."),
        ("coverage", "No claims found."),
        ("statements", "No statements reported by several sources found."),
        ("numbers", "No numeric discrepancies found."),
        ("dates", "No date discrepancies found."),
        ("timeline", "No timeline events found."),
        ("entities", "No entities found."),
        ("flags", "No flagged passages found."),
    ],
)
def test_report_html_says_none_found_for_an_empty_section(section: str, message: str) -> None:
    page = render_html(empty_report())
    start = page.index(f'<section id="{section}"')
    assert message in page[start : page.index("</section>", start)]


def test_report_html_is_self_contained_and_script_free() -> None:
    page = render_html(sample_report())
    doc = outline(page)
    assert "script" not in doc.tags
    assert not [h for h in doc.hrefs if not h.startswith("#") and h != "data:,"]  # only the empty favicon
    assert "src=" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    assert "default-src 'none'" in csp.group(1)
    assert "script-src" not in csp.group(1)
    assert "@media print" in page
    assert "@media (max-width" in page
    assert 'class="skip" href="#main"' in page


def test_report_html_shows_a_broken_span_without_a_link() -> None:
    report = sample_report()
    bad = copy.deepcopy(report["claims"][1]["mentions"][0])
    bad["start"] += 3  # text no longer matches the article
    report["claims"][1]["mentions"] = [bad]
    page = render_html(report)
    assert f'id="{span_anchor(bad)}"' not in page
    assert "span not found in the article" in page


def test_report_html_keeps_article_text_intact_under_the_highlights() -> None:
    report = sample_report()
    page = render_html(report)
    for article in report["articles"]:
        anchor_at = page.index(f'<article class="source" id="a-{article["id"]}"')
        body_at = page.index('<div class="body">', anchor_at) + len('<div class="body">')
        body = page[body_at : page.index("</div>\n</article>", body_at)]
        assert plain_text(body) == article["text"]


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        # nested: the inner mark sits inside the outer one
        ([(0, 11), (4, 7)], '<span id="a" class="hl">abcd<span id="b" class="hl">efg</span>hijk</span>'),
        # crossing: the second mark is split where the first one closes
        (
            [(0, 6), (3, 9)],
            '<span id="a" class="hl">abc<span id="b" class="hl">def</span></span><span class="cont hl">ghi</span>jk',
        ),
        # identical ranges become one element
        ([(2, 5), (2, 5)], 'ab<span id="a" class="hl">cde</span>fghijk'),
        # empty and out-of-range spans: an empty anchor, and nothing
        ([(3, 3), (5, 40)], 'abc<span id="a" class="hl"></span>defghijk'),
    ],
)
def test_highlight_nests_overlapping_spans(spans: list[tuple[int, int]], expected: str) -> None:
    marks = [Mark(s, e, anchor=chr(ord("a") + i)) for i, (s, e) in enumerate(spans)]
    assert highlight("abcdefghijk", marks) == expected


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab <>&\"'\n")), min_size=0, max_size=40),
    raw=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=8),
)
def test_highlight_always_well_formed_and_lossless(text: str, raw: list[tuple[int, int]]) -> None:
    marks = [Mark(min(a, b), max(a, b), {"x"}, ["t<"], anchor=f"m{i}") for i, (a, b) in enumerate(raw)]
    fragment = str(highlight(text, marks))
    doc = outline(f"<div>{fragment}</div>")
    assert not doc.problems
    assert not doc.stack
    assert plain_text(fragment) == text
    assert not re.search(r"[<>]", re.sub(r"<[^<>]+>", "", fragment))  # every < and > of the text is an entity


def test_write_reports_writes_json_markdown_and_html(tmp_path: Path) -> None:
    paths = write_reports(sample_report(), tmp_path)
    assert set(paths) == {"json", "md", "html"}
    assert all(p.stat().st_size > 0 for p in paths.values())
    assert paths["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2031-04-08", "2031-04-08"),
        ("2030-01-01/2030-12-31", "2030"),
        ("2031-02-01/2031-02-28", "2031-02"),
        ("2031-04-06/2031-04-12", "2031-04-06 – 04-12"),
        ("2030-12-28/2031-01-03", "2030-12-28 – 2031-01-03"),
    ],
)
def test_display_date_says_years_and_months_plainly(value: str, shown: str) -> None:
    assert display_date(value) == shown


@pytest.mark.parametrize(
    ("text", "target", "context"),
    [
        (
            "Rain fell. The U.S. team sent 40 boats to the port. Nobody else came.",
            "40",
            "The U.S. team sent 40 boats to the port.",
        ),
        ("Mr. Oyelaran counted 12 ships. Then he left.", "12", "Mr. Oyelaran counted 12 ships."),
        ("Headline\n3 people were hurt\nMore later", "3", "3 people were hurt"),
    ],
)
def test_context_of_keeps_the_whole_sentence(text: str, target: str, context: str) -> None:
    start = text.index(target)
    assert context_of(text, start, start + len(target)) == context


@pytest.fixture(scope="module")
def seeds_outputs(tmp_path_factory: pytest.TempPathFactory, seed_paths: list[Path], ctx: Any) -> dict[str, Any]:
    """The seed articles through the real runner: report.json, report.md and report.html."""
    from storyweave.runner import run_analysis

    result = run_analysis(seed_paths, out_dir=tmp_path_factory.mktemp("seeds"), quiet=True, ctx=ctx)
    assert result.status == "ok", result.errors
    return {"report": result.report, **{k: p.read_text(encoding="utf-8") for k, p in result.outputs.items()}}


def test_report_html_of_the_seeds_is_well_formed_and_fully_linked(seeds_outputs: dict[str, Any]) -> None:
    page = seeds_outputs["html"]
    doc = outline(page)
    assert not doc.problems
    assert not doc.stack
    assert len(doc.ids) == len(set(doc.ids)), "duplicate element ids"
    assert not {h for h in doc.hrefs if h.startswith("#") and h[1:] not in doc.ids}
    report = seeds_outputs["report"]
    for article in report["articles"]:
        body_at = page.index('<div class="body">', page.index(f'id="a-{article["id"]}"')) + len('<div class="body">')
        assert plain_text(page[body_at : page.index("</div>\n</article>", body_at)]) == article["text"]
    # every finding with a span is linked from its section
    for claim in report["claims"]:
        assert f'id="c-{claim["id"]}"' in page
    for quote in report["quotes"]:
        assert f'href="#{span_anchor(quote["span"])}"' in page


def test_report_md_of_the_seeds_lists_every_article(seeds_outputs: dict[str, Any]) -> None:
    text = seeds_outputs["md"]
    for article in seeds_outputs["report"]["articles"]:
        assert f'<a id="a-{article["id"]}"></a>' in text


def test_report_html_brief_cites_each_article_once_and_names_it_on_hover() -> None:
    report = sample_report()
    gazette = report["articles"][0]
    first = report["brief"][0]
    first["spans"].append(first["spans"][0] | {})  # a second span in the same article
    start = gazette["text"].index("closed on Tuesday")
    first["spans"].append({"article": gazette["id"], "start": start, "end": start + 6, "text": "closed"})
    page = render_html(report)
    item = re.search(r'<li id="b-1">.*?</li>', page, flags=re.S)
    assert item
    labels = re.findall(r'class="cite"[^>]*>([^<]+)</a>', item.group(0))
    assert labels == ["S1", "S2"]  # one chip per article, however many spans it has
    assert 'title="Harbour Gazette — engineers found a 40-metre crack"' in item.group(0)
    legend = page[page.index('class="source-legend"') : page.index("</details>", page.index('class="source-legend"'))]
    for name in ("Harbour Gazette", "Northline News", "Wire Service"):
        assert name in legend  # the key to the chips sits under the brief


@pytest.mark.parametrize(
    "evidence",
    [
        ["negation: 'Engineers did not find a crack in the Orrin Bridge' (article 'Wire Service')"],
        ["negation: 0123456789abcdef:10-62"],  # an older report: a raw span key, never shown as such
    ],
)
def test_report_html_says_why_a_claim_is_contested_with_links_to_the_other_side(evidence: list[str]) -> None:
    report = sample_report()
    report["claims"][0]["evidence"] = evidence
    against = report["claims"][0]["contradicted_by"][0]
    page = render_html(report)
    why = re.search(r'<div class="why">.*?</div>', page, flags=re.S)
    assert why
    assert "Why contested: stated and negated" in why.group(0)
    assert "“Engineers did not find a crack in the Orrin Bridge”" in why.group(0)
    assert f'href="#{span_anchor(against)}"' in why.group(0)
    assert not re.search(r"[0-9a-f]{16}:\d+-\d+", plain_text(why.group(0)))


def test_report_html_escapes_evidence_text() -> None:
    report = sample_report()
    claim = report["claims"][0]
    claim["contradicted_by"] = []
    claim["evidence"] = ["negation: '<img src=x onerror=alert(1)> said otherwise' (article '<b>x</b>')"]
    page = render_html(report)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; said otherwise" in page


def test_report_html_figures_table_folds_long_context_and_the_note() -> None:
    report = sample_report()
    page = render_html(report)
    box = page[page.index('id="d-d1"') : page.index("</table>", page.index('id="d-d1"'))]
    assert '<th scope="col">Qualifier</th>' in box
    assert '<span class="as-written">“40-metre”</span>' in box
    assert "Harbour Gazette" in box  # the source is named, not only labelled
    folded = re.search(r'<details class="ctx"><summary>(.*?)</summary><p>(.*?)</p></details>', page, flags=re.S)
    assert folded  # a sentence longer than the excerpt is cut in the row and opens in full
    assert plain_text(folded.group(1)).endswith("…")
    assert (
        folded.group(2)
        == "Marrowby council closed the Orrin Bridge on Wednesday after inspectors found a 35-metre crack."
    )
    note = page[page.index('id="d-d1"') : page.index('id="d-d2"')]
    assert '<details class="note"><summary>How the values were compared</summary>' in note


def test_report_html_section_badges_say_that_numbers_and_dates_count_disagreements() -> None:
    """A bare "Dates 0" reads as "no dates found"; the badge says it counts discrepancies."""
    page = render_html(empty_report())
    nav = page[page.index('<nav class="toc"') : page.index("</nav>", page.index('<nav class="toc"'))]
    assert re.search(r'href="#dates">Dates <span class="count" title="0 differ">0 differ</span>', nav), nav
    assert re.search(r'href="#numbers">Numbers <span class="count" title="0 differ">0 differ</span>', nav), nav
    assert re.search(r'href="#entities">Entities <span class="count">0</span>', nav), nav


@pytest.mark.parametrize("value", ["", "plain", "a & b < c > d", 'O\'Neil said "no"', "&amp;#39;", "é’ — ·", 42, None])
def test_report_html_chip_escaping_matches_markupsafe(value: object) -> None:
    assert _escaped(value) == str(escape(value))
    assert _escaped(Markup("<b>kept</b>")) == "<b>kept</b>"


@pytest.mark.parametrize("text", ["", "plain words", "a & b", "<script>", 'it\'s "quoted"', "&#x27;"])
def test_report_html_highlight_escape_matches_html_escape(text: str) -> None:
    assert highlight_escape(text) == html.escape(text, quote=True)
