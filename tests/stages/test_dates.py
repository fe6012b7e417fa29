"""Date mentions: absolute forms, relative ones against the publication date, years inferred in the
article, open dates resolved from the same event in another article, and date discrepancies."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from storyweave.model import ArticleAnalysis, Corpus, DateMention
from storyweave.pipeline import Context, new_analysis
from storyweave.stages.clean import clean
from storyweave.stages.dates import date_discrepancies_stage, dates, dates_across_articles
from storyweave.stages.segment import segment
from storyweave.temporal import resolve_rule, year_near
from support import make_article


def analysed(ctx: Context, text: str, *, published: str | None = None, source: str = "test.txt") -> ArticleAnalysis:
    analysis = replace(new_analysis(make_article(text, published=published, source=source)), doc=ctx.nlp(text))
    return replace(dates(segment(clean(analysis, ctx), ctx), ctx), doc=None)


def mention(analysis: ArticleAnalysis, text: str) -> DateMention:
    found = [d for d in analysis.dates if d.span.text == text]
    assert found, [d.span.text for d in analysis.dates]
    return found[0]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The ferry sank on March 14, 2019, near the coast.", "March 14, 2019", "2019-03-14"),
        ("The ferry sank on 14 March 2019 near the coast.", "14 March 2019", "2019-03-14"),
        ("The ferry sank on Thursday, March 14, 2019.", "Thursday, March 14, 2019", "2019-03-14"),
        ("The ferry sank on Mar. 14, 2019.", "Mar. 14, 2019", "2019-03-14"),
        ("Talks ran on October 3-4, 2023 in the capital.", "October 3-4, 2023", "2023-10-03/2023-10-04"),
        ("Talks ran on October 3–4, 2023 in the capital.", "October 3–4, 2023", "2023-10-03/2023-10-04"),
        ("The plant closed in February 2020.", "February 2020", "2020-02-01/2020-02-29"),
        ("The plant closed in early June 2018.", "early June 2018", "2018-06-01/2018-06-10"),
        ("The plant closed in late June 2018.", "late June 2018", "2018-06-21/2018-06-30"),
        ("The plant closed on 2018-06-05 after an audit.", "2018-06-05", "2018-06-05"),
        ("In 2011, the plant was sold.", "2011", "2011-01-01/2011-12-31"),
    ],
)
def test_dates_reads_absolute_forms(ctx: Context, text: str, span: str, value: str) -> None:
    d = mention(analysed(ctx, text), span)
    assert d.value == value
    assert d.resolved_from is None
    assert not d.relative


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Talks are set for Oct. 3-4 in the capital.", "Oct. 3-4", "2023-10-03/2023-10-04"),
        ("Talks are set for October 3–4 in the capital.", "October 3–4", "2023-10-03/2023-10-04"),
        ("The mayor spoke on September 2.", "September 2", "2023-09-02"),
        ("The mayor spoke on 2 September.", "2 September", "2023-09-02"),
        # A January date written in late December belongs to the next year.
        ("Elections are due on January 9.", "January 9", "2024-01-09"),
    ],
)
def test_dates_takes_a_missing_year_from_the_publication_date(ctx: Context, text: str, span: str, value: str) -> None:
    published = "2023-12-28" if "January" in text else "2023-09-20"
    d = mention(analysed(ctx, text, published=published), span)
    assert d.value == value
    assert d.resolved_from == f"year from published date {published}"


def test_dates_takes_a_missing_year_from_the_same_article(ctx: Context) -> None:
    text = (
        "In November 2017 the council approved the harbour plan. "
        "A second vote followed on December 2, and work began on January 15."
    )
    analysis = analysed(ctx, text, published="2024-05-01")
    assert mention(analysis, "December 2").value == "2017-12-02"
    assert mention(analysis, "January 15").value == "2018-01-15"
    assert mention(analysis, "December 2").resolved_from == "year from 'November 2017' in the same article"


def test_dates_never_takes_a_year_from_a_bare_year(ctx: Context) -> None:
    text = "The port was built in 1990. The mayor will visit it on June 4."
    assert mention(analysed(ctx, text), "June 4").value is None


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The minister resigned on Friday.", "on Friday", "2022-06-10"),
        ("The minister resigned on Wednesday.", "on Wednesday", "2022-06-08"),
        ("The vote will take place on Tuesday.", "on Tuesday", "2022-06-14"),
        ("The minister resigned last Thursday.", "last Thursday", "2022-06-09"),
        ("The minister resigned yesterday.", "yesterday", "2022-06-09"),
        ("The minister resigned today.", "today", "2022-06-10"),
        ("The minister resigned two days ago.", "two days ago", "2022-06-08"),
        ("The minister will resign next week.", "next week", "2022-06-13/2022-06-19"),
        ("The minister resigned last week.", "last week", "2022-05-30/2022-06-05"),
        ("The minister resigned this week.", "this week", "2022-06-06/2022-06-12"),
        ("The minister resigned earlier this month.", "earlier this month", "2022-06-01/2022-06-09"),
        ("The minister will resign later this month.", "later this month", "2022-06-11/2022-06-30"),
        ("The minister resigned last month.", "last month", "2022-05-01/2022-05-31"),
        ("The minister resigned last year.", "last year", "2021-01-01/2021-12-31"),
        ("The minister resigned last spring.", "last spring", "2022-03-01/2022-05-31"),
        ("Blackouts are feared this winter.", "this winter", "2022-12-01/2023-02-28"),
    ],
)
def test_dates_resolves_relative_expressions_against_the_publication_date(
    ctx: Context, text: str, span: str, value: str
) -> None:
    d = mention(analysed(ctx, text, published="2022-06-10"), span)  # a Friday
    assert d.relative
    assert d.value == value
    assert d.resolved_from == "published date 2022-06-10"


def test_dates_leaves_relative_expressions_open_without_a_publication_date(ctx: Context) -> None:
    d = mention(analysed(ctx, "The minister resigned on Friday."), "on Friday")
    assert d.value is None
    assert d.rule == "weekday 4 past"


@pytest.mark.parametrize(
    ("rule", "base", "value"),
    [
        ("weekday 0 past", date(2024, 2, 29), "2024-02-26"),
        ("weekday 3 past", date(2024, 2, 29), "2024-02-29"),
        ("weekday 3 last", date(2024, 2, 29), "2024-02-22"),
        ("weekday 4 future", date(2024, 2, 29), "2024-03-01"),
        ("ago 3 month", date(2024, 1, 15), "2023-10-01/2023-10-31"),
        ("season 12 last", date(2024, 1, 15), "2022-12-01/2023-02-28"),
        ("within month earlier", date(2024, 3, 1), None),
    ],
)
def test_dates_rule_arithmetic(rule: str, base: date, value: str | None) -> None:
    assert resolve_rule(rule, base) == value


# --------------------------------------------------------------------------- across articles


def corpus_of(ctx: Context, *texts: str) -> Corpus:
    analyses = [analysed(ctx, t, source=f"a{i}.txt") for i, t in enumerate(texts)]
    return Corpus(analyses=tuple(sorted(analyses, key=lambda a: a.id)))


def by_text(corpus: Corpus, text: str) -> DateMention:
    found = [d for a in corpus.analyses for d in a.dates if d.span.text == text]
    assert len(found) == 1, [d.span.text for a in corpus.analyses for d in a.dates]
    return found[0]


DATED_BRIEFING = (
    "At a briefing on March 7, 2023, harbour master Elin Varga announced that dredging of the north "
    "channel would begin within a month."
)


def test_dates_across_articles_resolves_a_weekday_from_the_same_event(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "Harbour master Elin Varga on Tuesday said dredging of the north channel would start soon.",
        DATED_BRIEFING,
    )
    resolved = by_text(dates_across_articles(corpus, ctx), "on Tuesday")
    dated = by_text(corpus, "March 7, 2023")
    assert resolved.value == "2023-03-07"  # a Tuesday
    assert resolved.resolved_from == f"same event dated in article {dated.span.article}: 'March 7, 2023'"


@pytest.mark.parametrize(
    "open_text",
    [
        # The weekday disagrees with the dated event (March 7, 2023 was a Tuesday).
        "Harbour master Elin Varga on Wednesday said dredging of the north channel would start soon.",
        # Someone else did something else on a Tuesday.
        "Mayor Oskar Lind on Tuesday said the school tax would rise next year.",
    ],
)
def test_dates_across_articles_leaves_unrelated_weekdays_open(ctx: Context, open_text: str) -> None:
    corpus = dates_across_articles(corpus_of(ctx, open_text, DATED_BRIEFING), ctx)
    weekdays = [d for a in corpus.analyses for d in a.dates if (d.rule or "").startswith("weekday")]
    assert [d.value for d in weekdays] == [None]


def test_dates_across_articles_lends_the_year_of_the_same_date(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "The ferry strike began on June 3 in the capital, union leader Mira Holm said.",
        "Union leader Mira Holm said the ferry strike started on June 3, 2024.",
    )
    resolved = by_text(dates_across_articles(corpus, ctx), "June 3")
    assert resolved.value == "2024-06-03"
    assert resolved.resolved_from is not None
    assert resolved.resolved_from.startswith("year from the same date in article ")


def test_dates_across_articles_without_shared_context_lends_no_year(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "The bakery festival opens on June 3 with a parade of bread.",
        "Union leader Mira Holm said the ferry strike started on June 3, 2024.",
    )
    assert by_text(dates_across_articles(corpus, ctx), "June 3").value is None


def test_date_discrepancies_reports_the_same_event_dated_differently(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "Union leader Mira Holm announced the ferry strike on June 3, 2024 at a rally in the port.",
        "Union leader Mira Holm announced the ferry strike on June 5, 2024 at a rally in the port.",
    )
    found = date_discrepancies_stage(corpus, ctx).discrepancies
    assert [d.kind for d in found] == ["date"]
    assert {s.text for s in found[0].spans} >= {"June 3, 2024", "June 5, 2024"}


def test_date_discrepancies_stays_silent_when_dates_agree(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "Union leader Mira Holm announced the ferry strike on June 3, 2024 at a rally in the port.",
        "On June 3, 2024, union leader Mira Holm announced the ferry strike at a port rally.",
    )
    assert date_discrepancies_stage(corpus, ctx).discrepancies == ()


def test_dates_across_articles_counts_reported_speech_from_the_sentence_date(ctx: Context) -> None:
    text = "On March 7, 2023, harbour master Elin Varga said dredging would begin next week, not yesterday."
    corpus = dates_across_articles(corpus_of(ctx, text), ctx)
    assert by_text(corpus, "next week").value == "2023-03-13/2023-03-19"
    assert by_text(corpus, "next week").resolved_from == (
        "relative to 'March 7, 2023' (2023-03-07) earlier in the same sentence"
    )
    assert by_text(corpus, "yesterday").value is None  # deictic words count from publication only


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The talks open on Friday, January 3.", "2025-01-03"),  # a Friday in 2025
        ("The talks opened on Tuesday, January 3.", "2023-01-03"),  # a Tuesday in 2023, not 2025
    ],
)
def test_dates_picks_the_year_on_which_a_written_weekday_falls(ctx: Context, text: str, value: str) -> None:
    d = next(d for d in analysed(ctx, text, published="2024-12-20").dates if "January 3" in d.span.text)
    assert d.value == value


def test_date_discrepancies_compares_month_and_day_dated_by_the_publication_year(ctx: Context) -> None:
    """Year-less dates are what the text says; their year comes from the publication date."""
    a = analysed(
        ctx,
        "Mayor Tova Brandt opened the new Lysa bridge on April 9 after two years of work.",
        published="2025-04-10",
        source="a.txt",
    )
    b = analysed(
        ctx,
        "Mayor Tova Brandt opened the Lysa bridge on April 12, ending two years of roadworks.",
        published="2025-04-13",
        source="b.txt",
    )
    corpus = Corpus(analyses=tuple(sorted((a, b), key=lambda x: x.id)))
    found = date_discrepancies_stage(corpus, ctx).discrepancies
    assert [d.kind for d in found] == ["date"]
    assert {s.text for s in found[0].spans} >= {"April 9", "April 12"}


def test_date_discrepancies_different_acts_of_one_agent_are_not_one_event(ctx: Context) -> None:
    a = analysed(
        ctx,
        "Mayor Tova Brandt opened the new Lysa bridge on April 9 after two years of work.",
        published="2025-04-10",
        source="a.txt",
    )
    b = analysed(
        ctx,
        "Mayor Tova Brandt resigned on April 12 after a dispute over the Lysa bridge budget.",
        published="2025-04-13",
        source="b.txt",
    )
    corpus = Corpus(analyses=tuple(sorted((a, b), key=lambda x: x.id)))
    assert date_discrepancies_stage(corpus, ctx).discrepancies == ()


# --------------------------------------------------------------------------- year from the story


def story_of(ctx: Context, undated: str, *published: str) -> Corpus:
    """One article without a publication date and short dated reports of the same story."""
    analyses = [analysed(ctx, undated, source="undated.txt")]
    analyses += [
        analysed(ctx, "The river rose again overnight, officials said.", published=p, source=f"dated{i}.txt")
        for i, p in enumerate(published)
    ]
    return Corpus(analyses=tuple(sorted(analyses, key=lambda a: a.id)))


@pytest.mark.parametrize(
    ("text", "span", "published", "value"),
    [
        (
            "The harbour board closed the locks late on May 4 after a storm.",
            "May 4",
            ("2025-05-05", "2025-05-09"),
            "2025-05-04",
        ),
        # across the turn of the year: a December date before January reports is the previous year
        (
            "The harbour board closed the locks on December 30.",
            "December 30",
            ("2027-01-04", "2027-01-06"),
            "2026-12-30",
        ),
        ("The harbour board closed the locks on January 2.", "January 2", ("2027-01-04", "2027-01-06"), "2027-01-02"),
        # a deadline written in late December for early January is the next year
        ("The harbour board must report by January 8.", "January 8", ("2026-12-28",), "2027-01-08"),
        ("The locks stayed shut on 3-5 June.", "3-5 June", ("2025-06-10",), "2025-06-03/2025-06-05"),
    ],
)
def test_dates_across_articles_lends_the_story_year_to_an_undated_article(
    ctx: Context, text: str, span: str, published: tuple[str, ...], value: str
) -> None:
    d = by_text(dates_across_articles(story_of(ctx, text, *published), ctx), span)
    assert d.value == value
    assert d.resolved_from is not None
    assert d.resolved_from.startswith("year from the other articles' publication dates")


def test_dates_across_articles_without_a_dated_article_leaves_the_year_open(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "The harbour board closed the locks late on May 4 after a storm.",
        "The river rose again overnight, officials said on May 6.",
    )
    assert by_text(dates_across_articles(corpus, ctx), "May 4").value is None


def test_dates_across_articles_story_year_does_not_override_the_article_date(ctx: Context) -> None:
    """A dated article keeps the year of its own publication date, whatever the others say."""
    a = analysed(ctx, "The harbour board closed the locks on December 30.", published="2026-01-10", source="a.txt")
    b = analysed(ctx, "The river rose again overnight, officials said.", published="2027-01-05", source="b.txt")
    corpus = dates_across_articles(Corpus(analyses=tuple(sorted((a, b), key=lambda x: x.id))), ctx)
    assert by_text(corpus, "December 30").value == "2025-12-30"


@pytest.mark.parametrize(
    ("rule", "anchors", "value"),
    [
        ("--10-12", [date(2026, 10, 13), date(2026, 10, 19)], "2026-10-12"),
        ("--10-15", [date(2026, 10, 13), date(2026, 10, 19)], "2026-10-15"),  # inside the span
        # equally far either way (183 days in a leap year): the earlier year, reports look back
        ("--01-01", [date(2024, 7, 2)], "2024-01-01"),
        ("--02-29", [date(2025, 3, 1)], "2024-02-29"),  # only leap years have the day
        ("--12-30", [date(2025, 11, 1), date(2027, 2, 1)], None),  # the span holds it twice
        ("--12-30", [], None),
    ],
)
def test_year_near(rule: str, anchors: list[date], value: str | None) -> None:
    assert year_near(rule, anchors) == value
