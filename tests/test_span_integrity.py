"""Span integrity on generated articles: after every stage, every span is a slice of its article.

Texts are generated from invented news fragments (quotes with straight and curly marks, figures,
dates, names, boilerplate-like lines, stray unicode and newlines) mixed with arbitrary text. Each
batch of one to three articles runs through every per-article stage, a store round trip, every
corpus stage and the report; after each step every span anywhere in the model (and in the report
dict) must have ``text == article.text[start:end]`` with ``0 <= start <= end <= len(text)``, and the
report must follow the contract.

STORYWEAVE_FUZZ_EXAMPLES sets the number of generated batches (25 by default, kept small for CI);
``benchmarks/fuzz_pipeline.py`` runs the same check for thousands of batches.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyweave.contract import to_report, validate
from storyweave.ingest import normalise_newlines, read_text
from storyweave.model import Article, ArticleAnalysis, Corpus, Span
from storyweave.pipeline import Context, new_analysis, stages
from storyweave.settings import Settings
from storyweave.store import Store

EXAMPLES = int(os.environ.get("STORYWEAVE_FUZZ_EXAMPLES", "25"))

PEOPLE = ["Mara Telvik", "Dr. Osk Brann", "Lieutenant Ivo Sallow", "Ms Petra Quill", "Jonah Ferreday", "Ayşe Kıral"]
PLACES = ["Vellmoor", "Port Anselm", "the Dravin valley", "São Tomé Lane", "Kettering Cross", "Østre Havn"]
ORGS = ["the Vellmoor Water Board", "Anselm Rail", "the regional council", "the Harbour Guild", "UNHCR"]
VERBS = ["said", "told reporters", "wrote", "added", "denied", "claimed", "according to"]
NOUNS = ["homes", "workers", "residents", "people", "vehicles", "tonnes of grain", "euros", "kilometres"]
QUOTE_MARKS = [('"', '"'), ("\u201c", "\u201d"), ("\u2018", "\u2019"), ("'", "'"), ("\u00ab", "\u00bb"), ('"', "")]
DATES = [
    "on Tuesday",
    "last week",
    "12 March 2023",
    "March 12, 2023",
    "2024-05-01",
    "on 3 June",
    "yesterday",
    "earlier this month",
    "in 2019",
    "on Friday night",
    "31 February 2024",
    "the 1st of May",
]
NUMBERS = ["3", "40", "1,250", "2.5 million", "about 300", "more than 1,000", "dozens of", "12%", "€4m", "ten", "0"]
BOILERPLATE = [
    "Photo: Staff photographer",
    "Read more: related coverage",
    "Subscribe to our newsletter",
    "Copyright 2024 Example Media. All rights reserved.",
    "Advertisement",
    "Share this article",
    "Published: 4 April 2025",
    "Source: Valley Courier",
    "(Additional reporting by staff)",
    "--",
]
ODD = [
    "\u00a0",
    "\u200b",
    "e\u0301",
    "\U0001f600",
    "\t",
    "\u2028",
    "\ufeff",
    "\u0645\u0631\u062d\u0628\u0627",
    "中文",
    "  ",
]


@st.composite
def fact(draw: st.DrawFn) -> str:
    """One invented news sentence: who did what to how many, when, maybe quoted."""
    person, place, org = draw(st.sampled_from(PEOPLE)), draw(st.sampled_from(PLACES)), draw(st.sampled_from(ORGS))
    number, noun, when = draw(st.sampled_from(NUMBERS)), draw(st.sampled_from(NOUNS)), draw(st.sampled_from(DATES))
    verb = draw(st.sampled_from(VERBS))
    form = draw(st.integers(0, 5))
    if form == 0:
        return f"{org.capitalize()} said {number} {noun} were affected in {place} {when}."
    opening, closing = draw(st.sampled_from(QUOTE_MARKS))
    if form == 1:
        return f"{opening}We moved {number} {noun} out of {place},{closing} {person} {verb}."
    if form == 2:
        return f"{person} {verb} that {number} {noun} had left {place} {when}."
    if form == 3:
        return f"{opening}It was not safe,{closing} {verb} {person}. {opening}Nobody listened.{closing}"
    if form == 4:
        return (
            f"{place.capitalize()} - {org.capitalize()} denied {when} that {number} {noun} were lost, {verb} {person}."
        )
    return f"{person}, the head of {org}, {verb}: {opening}{number} {noun} {when}{closing}"


piece = st.one_of(
    fact(),
    fact(),
    st.sampled_from(BOILERPLATE),
    st.sampled_from(ODD),
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from(list("\"'\u201c\u201d\u2018\u2019.,;:!?- \n0123456789")), max_size=12),
)
separator = st.sampled_from([" ", " ", "\n", "\n\n", "\r\n", "\n\n\n", "  "])


@st.composite
def article_texts(draw: st.DrawFn) -> list[str]:
    """One to three accounts drawn from a shared pool of facts, so the corpus stages have work to do."""
    pool = draw(st.lists(fact(), min_size=1, max_size=6))
    texts = []
    for _ in range(draw(st.integers(1, 3))):
        parts = draw(st.lists(st.sampled_from(pool) | piece, min_size=1, max_size=10))
        seps = draw(st.lists(separator, min_size=len(parts), max_size=len(parts)))
        headline = draw(st.sampled_from(["", "Flood waters rise in the valley\n\n", "= Storm report =\n"]))
        texts.append(headline + "".join(p + s for p, s in zip(parts, seps, strict=True)))
    if draw(st.booleans()):  # a republished copy with a passage inserted: republication spans
        paragraphs = texts[0].split("\n\n")
        at = draw(st.integers(0, len(paragraphs)))
        inserted = draw(st.sampled_from(["Editor's note: this story has been updated.", "Opinion: a scandal."]))
        texts.append("\n\n".join([*paragraphs[:at], inserted, *paragraphs[at:]]))
    return texts


def articles_from(texts: list[str]) -> list[Article]:
    """Articles as ingest would make them (newlines normalised, title and date read); blank ones dropped."""
    found: dict[str, Article] = {}
    for i, raw in enumerate(texts):
        text = normalise_newlines(raw.replace("\x00", " "))
        if text.strip():
            article = read_text(text, f"generated-{i}.txt", "utf-8", Settings())
            found.setdefault(article.id, article)
    return list(found.values())


# ---------------------------------------------------------------------- what is checked


def spans_in(value: Any) -> Iterator[tuple[str, Span]]:
    """Every Span inside a model value, with the path that leads to it (the spaCy doc is skipped)."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, Span):
            yield path, item
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            for f in dataclasses.fields(item):
                if f.name != "doc":
                    stack.append((f"{path}.{f.name}", getattr(item, f.name)))
        elif isinstance(item, tuple | list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(item))


def report_spans(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every span-shaped dict anywhere in a report, including timeline, brief and republications."""
    if isinstance(value, dict):
        if {"article", "start", "end", "text"} <= value.keys():
            yield path, value
        for key, item in value.items():
            yield from report_spans(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from report_spans(item, f"{path}[{i}]")


def span_problems(texts: dict[str, str], spans: Iterator[tuple[str, Any]], step: str) -> list[str]:
    problems = []
    for path, span in spans:
        article, start, end, text = (
            (span["article"], span["start"], span["end"], span["text"])
            if isinstance(span, dict)
            else (span.article, span.start, span.end, span.text)
        )
        whole = texts.get(article)
        if whole is None:
            problems.append(f"after {step}: {path} points at unknown article {article!r}")
        elif not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(whole)):
            problems.append(f"after {step}: {path} has offsets {start}:{end} outside 0:{len(whole)}")
        elif whole[start:end] != text:
            problems.append(f"after {step}: {path} text {text!r} != article text {whole[start:end]!r}")
    return problems


def check_batch(texts: list[str], ctx: Context) -> list[str]:
    """Run the whole pipeline on ``texts`` checking spans after every step; returns the problems."""
    articles = articles_from(texts)
    if not articles:
        return []
    by_id = {a.id: a.text for a in articles}
    problems: list[str] = []
    finished: list[ArticleAnalysis] = []
    order = stages("article")
    for article in articles:
        analysis = replace(new_analysis(article), doc=ctx.nlp(article.text))
        for info in order:
            analysis = info.func(analysis, ctx)
            problems += span_problems(by_id, spans_in(analysis), f"stage {info.name!r}")
            if analysis.article.text != article.text:
                problems.append(f"stage {info.name!r} changed the article text")
        finished.append(replace(analysis, doc=None))
    with Store.open(None) as store:  # the corpus stages see analyses as the runner gives them: reloaded
        for analysis in finished:
            store.save_article(analysis.article)
            store.save_analysis(analysis, version="fuzz")
        reloaded = list(store.load_analyses([a.id for a in finished], version="fuzz"))
    if sorted(reloaded, key=lambda a: a.id) != sorted(finished, key=lambda a: a.id):
        problems.append("the store round trip changed an analysis")
    corpus = Corpus(analyses=tuple(sorted(reloaded, key=lambda a: a.article.id)))
    for info in stages("corpus"):
        corpus = info.func(corpus, ctx)
        problems += span_problems(by_id, spans_in(corpus), f"corpus stage {info.name!r}")
    report = to_report(corpus)
    problems += span_problems(by_id, report_spans(report), "to_report")
    try:
        validate(report)
    except Exception as exc:  # a contract violation is a finding, reported with the rest
        problems.append(f"report does not validate: {str(exc).splitlines()[0]}")
    return problems


# ---------------------------------------------------------------------- tests


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(texts=article_texts())
def test_span_integrity_after_every_stage_on_generated_articles(ctx: Context, texts: list[str]) -> None:
    assert check_batch(texts, ctx) == []


def test_span_integrity_checker_catches_a_shifted_span() -> None:
    text = "The bridge reopened on Sunday."
    article = Article(id="a1", source="x.txt", text=text)
    good = Span.of(article, 4, 10)
    shifted = Span("a1", 5, 11, good.text)
    assert span_problems({"a1": text}, spans_in((good,)), "test") == []
    assert len(span_problems({"a1": text}, spans_in((good, shifted)), "test")) == 1
    report = {"brief": [{"spans": [{"article": "a1", "start": 5, "end": 11, "text": "bridge"}]}]}
    assert len(span_problems({"a1": text}, report_spans(report), "test")) == 1


def test_span_integrity_fixed_hard_case(ctx: Context) -> None:
    """Curly and unbalanced quotes, CRLF, combining marks and boilerplate lines in two accounts."""
    texts = [
        "Flood waters rise\r\n\r\n\u201cWe moved 1,250 homes out of Vellmoor,\u201d Mara Telvik said on Tuesday.\r\n"
        "Photo: Staff photographer\n'It was not safe,' said Dr. Osk Brann. \u201cNobody listened.\n\n"
        "e\u0301 \U0001f600",
        "Mara Telvik told reporters that 1,300 homes had left Vellmoor last week.\n\n\u00abIt was not safe,\u00bb "
        "said Dr. Osk Brann.\nAdvertisement\n",
    ]
    assert check_batch(texts, ctx) == []
