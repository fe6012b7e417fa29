"""The stage contract: every stage, per article or across articles, reads and writes only the fields it
declares, and the run order follows from the declarations."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import pytest

from storyweave import pipeline
from storyweave.model import ArticleAnalysis, Corpus, Entity
from storyweave.pipeline import Context, StageInfo, analyse_corpus, run_article_stages, stages
from storyweave.stage_contract import StageContractError, run_order
from support import analyse_text

TEXT = (
    "The bridge over the Arlen river reopened on Monday, the city council said.\n\n"
    "“We are relieved,” said Mara Olsen, who runs a bakery near the bridge."
)


def _article_stage(name: str, func, *, requires=(), assigns=(), order: int = 99) -> StageInfo:
    return StageInfo(name, "article", func, frozenset(requires), frozenset(assigns), order)


def _corpus_stage(name: str, func, *, requires=(), assigns=(), order: int = 99) -> StageInfo:
    return StageInfo(name, "corpus", func, frozenset(requires), frozenset(assigns), order)


@pytest.fixture(scope="module")
def analysed(ctx: Context) -> ArticleAnalysis:
    return analyse_text(ctx, TEXT)


def test_a_stage_that_reads_an_undeclared_field_fails_naming_it(analysed: ArticleAnalysis, ctx: Context) -> None:
    def count_quotes(analysis: ArticleAnalysis, _ctx: Context) -> ArticleAnalysis:
        assert len(analysis.quotes) >= 0  # reads quotes, declares only mentions
        return analysis

    info = _article_stage("counter", count_quotes, requires={"mentions"})
    with pytest.raises(StageContractError, match=r"'counter' read 'quotes'"):
        run_article_stages(replace(analysed, doc=None), ctx, [info])


def test_an_undeclared_field_cannot_be_used_in_any_way(analysed: ArticleAnalysis, ctx: Context) -> None:
    uses = {
        "iterate": lambda a: list(a.flags),
        "test for truth": lambda a: bool(a.flags),
        "add to": lambda a: a.flags + analysed.flags,
        "skip boilerplate": lambda a: a.skipped(0, 5),  # a method that reads flags
        "parse attribute": lambda a: a.doc.ents,
    }
    for what, use in uses.items():

        def stage(analysis: ArticleAnalysis, _ctx: Context, use=use) -> ArticleAnalysis:
            use(analysis)
            return analysis

        with pytest.raises(StageContractError, match="does not declare"):
            run_article_stages(analysed, ctx, [_article_stage(f"uses {what}", stage)])


def test_a_stage_that_writes_an_undeclared_field_fails(analysed: ArticleAnalysis, ctx: Context) -> None:
    def drop_quotes(analysis: ArticleAnalysis, _ctx: Context) -> ArticleAnalysis:
        return replace(analysis, quotes=())

    info = _article_stage("dropper", drop_quotes, requires={"mentions"}, assigns={"mentions"})
    with pytest.raises(StageContractError, match=r"'dropper' wrote 'quotes'"):
        run_article_stages(replace(analysed, doc=None), ctx, [info])


def test_a_stage_that_writes_an_article_field_declares_it(analysed: ArticleAnalysis, ctx: Context) -> None:
    def credit(analysis: ArticleAnalysis, _ctx: Context) -> ArticleAnalysis:
        return replace(analysis, article=replace(analysis.article, cites=("Lorrin Wire",)))

    with pytest.raises(StageContractError, match=r"article\.cites"):
        run_article_stages(replace(analysed, doc=None), ctx, [_article_stage("credit", credit)])
    done = run_article_stages(
        replace(analysed, doc=None), ctx, [_article_stage("credit", credit, assigns={"article.cites"})]
    )
    assert done.article.cites == ("Lorrin Wire",)


def test_undeclared_fields_come_back_unchanged_after_the_stage(analysed: ArticleAnalysis, ctx: Context) -> None:
    def add_nothing(analysis: ArticleAnalysis, _ctx: Context) -> ArticleAnalysis:
        return replace(analysis, quantities=analysis.quantities)

    info = _article_stage("quiet", add_nothing, assigns={"quantities"})
    done = run_article_stages(replace(analysed, doc=None), ctx, [info])
    for f in dataclasses.fields(ArticleAnalysis):
        assert getattr(done, f.name) == getattr(analysed, f.name) or f.name == "doc", f.name


def test_a_corpus_stage_that_reads_an_undeclared_field_of_the_analyses_fails(
    analysed: ArticleAnalysis, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    def paragraph_count(corpus: Corpus, _ctx: Context) -> Corpus:
        assert sum(len(a.paragraphs) for a in corpus.analyses) >= 0  # declares only the claims
        return corpus

    _only_corpus_stage(monkeypatch, _corpus_stage("paragraphs", paragraph_count, requires={"analyses.claims"}))
    with pytest.raises(StageContractError, match=r"'paragraphs' read 'analyses.paragraphs'"):
        analyse_corpus([replace(analysed, doc=None)], ctx)


def test_a_corpus_stage_that_reads_an_undeclared_corpus_field_fails(
    analysed: ArticleAnalysis, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    def chains(corpus: Corpus, _ctx: Context) -> Corpus:
        corpus.entity_map()  # reads entity_of_chain
        return corpus

    _only_corpus_stage(monkeypatch, _corpus_stage("chains", chains, requires={"entities"}))
    with pytest.raises(StageContractError, match=r"'chains' read 'entity_of_chain'"):
        analyse_corpus([replace(analysed, doc=None)], ctx)


def test_a_corpus_stage_that_writes_an_undeclared_field_fails(
    analysed: ArticleAnalysis, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    def rename(corpus: Corpus, _ctx: Context) -> Corpus:
        return replace(corpus, entities=(Entity(id="e1", name="Somebody", type="PERSON"),))

    def clear_dates(corpus: Corpus, _ctx: Context) -> Corpus:
        return replace(corpus, analyses=tuple(replace(a, dates=()) for a in corpus.analyses))

    _only_corpus_stage(monkeypatch, _corpus_stage("rename", rename))
    with pytest.raises(StageContractError, match=r"'rename' wrote 'entities'"):
        analyse_corpus([replace(analysed, doc=None)], ctx)
    _only_corpus_stage(monkeypatch, _corpus_stage("clear dates", clear_dates, assigns={"analyses.claims"}))
    with pytest.raises(StageContractError, match=r"'clear dates' wrote 'analyses.dates'"):
        analyse_corpus([replace(analysed, doc=None)], ctx)
    _only_corpus_stage(monkeypatch, _corpus_stage("clear dates", clear_dates, assigns={"analyses.dates"}))
    (done,) = analyse_corpus([replace(analysed, doc=None)], ctx).analyses
    assert done.dates == ()
    assert done.quotes == analysed.quotes  # what the stage could not see is given back


def _only_corpus_stage(monkeypatch: pytest.MonkeyPatch, info: StageInfo) -> None:
    monkeypatch.setattr(pipeline, "stages", lambda scope=None: [info] if scope == "corpus" else [])


def test_the_run_order_follows_the_declarations_not_the_order_numbers() -> None:
    """A stage numbered to run first, that reads the quotes, runs after the stage that writes them."""
    early = _article_stage("early reader", lambda a, c: a, requires={"quotes"}, order=1)
    built = list(stages("article"))
    ordered = [s.name for s in run_order([early, *built], frozenset({"article", "doc"}))]
    assert ordered.index("early reader") > ordered.index("quotes")
    assert ordered.index("quotes") > ordered.index("entities")  # quotes read the mentions


def test_the_built_in_order_holds_with_every_order_number_reversed() -> None:
    """The order numbers only break ties: reversed, the declarations still put each stage after the
    producers of what it reads."""
    for scope in ("article", "corpus"):
        built = stages(scope)
        flipped = [replace(s, order=-s.order) for s in built]
        available = pipeline.inputs(scope, stages("article"))
        ordered = run_order(flipped, available)
        position = {s.name: i for i, s in enumerate(ordered)}
        for s in ordered:
            for other in ordered:
                produced = other.assigns - other.requires
                if other.name != s.name and produced & (s.requires - available):
                    assert position[other.name] < position[s.name], (other.name, s.name)


def test_a_stage_ordered_before_its_inputs_is_refused_by_the_check() -> None:
    reader = _article_stage("reader", lambda a, c: a, requires={"quotes"})
    with pytest.raises(StageContractError, match="reader"):
        pipeline.check_stages([reader, *stages("article")])


def test_stages_that_need_each_other_are_refused() -> None:
    first = _article_stage("first", lambda a, c: a, requires={"quotes"}, assigns={"mentions"})
    second = _article_stage("second", lambda a, c: a, requires={"mentions"}, assigns={"quotes"})
    with pytest.raises(StageContractError, match="each other"):
        run_order([first, second], frozenset({"article", "doc"}))


def test_a_declaration_of_a_field_the_model_does_not_have_is_refused() -> None:
    with pytest.raises(StageContractError, match="does not have"):
        pipeline.check_stages([_article_stage("typo", lambda a, c: a, requires={"mention"})])
    with pytest.raises(StageContractError, match="does not have"):
        pipeline.check_stages([_corpus_stage("unprefixed", lambda c, x: c, requires={"quotes"})])


def test_every_built_in_stage_runs_under_its_declarations(ctx: Context) -> None:
    """The whole pipeline on the bundled sample, each stage handed only what it declares."""
    from storyweave import analyse
    from storyweave.ingest import ingest_paths
    from support import EXAMPLES

    corpus = analyse(ingest_paths([EXAMPLES / "sample"]).articles, ctx)
    assert corpus.claims
    assert corpus.brief
