"""The Dask engine gives the local engine's results; stories get their own cross-article analysis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storyweave import scale
from storyweave.contract import dumps, to_report
from storyweave.errors import StageError
from storyweave.model import Article
from storyweave.pipeline import analyse_articles, analyse_corpus

pytest.importorskip("distributed")

# Invented reports: two about one bridge closure, one about a mine rescue, one about a harvest.
TEXTS = [
    (
        "Bridge in Kellerby closed after cracks found",
        "Engineers closed the Kellerby river bridge on Monday after finding cracks in two pillars, "
        'mayor Ines Varga said. "Nobody will cross it until it is safe," Varga told reporters. '
        "Repairs could cost 4.5 million euros and take 18 months.",
        "2025-04-07",
    ),
    (
        "Kellerby bridge to stay shut for a year and a half",
        "The Kellerby bridge will remain closed for about 18 months, mayor Ines Varga said on Tuesday, "
        "after inspectors found cracked pillars. The council put the repair bill at 4.2 million euros.",
        "2025-04-08",
    ),
    (
        "Twelve miners rescued in Orvala",
        'Rescue teams in Orvala brought 12 miners to the surface on Sunday, 30 hours after a tunnel collapsed. "They '
        'are tired but unhurt," said the mine director, Piet Hollander.',
        "2025-03-02",
    ),
    (
        "Drought cuts Lindmoor wheat harvest",
        "Farmers near Lindmoor said the summer drought had cut the wheat harvest by a third, and the "
        "farmers' union asked the ministry for emergency aid of 20 million euros.",
        "2025-08-19",
    ),
]


def _articles() -> list[Article]:
    return [
        Article(id=f"scale-{i}", source="test", title=title, text=f"{title}\n\n{body}", published=day)
        for i, (title, body, day) in enumerate(TEXTS)
    ]


@pytest.mark.timeout(120)
def test_scale_dask_engine_matches_local_engine(ctx) -> None:
    """Two worker processes on loopback, batches of one: same report.json bytes as the local engine."""
    articles = _articles()
    local = dumps(to_report(analyse_corpus(analyse_articles(articles, ctx), ctx)))
    with scale.dask_client(n_workers=2, processes=True) as client:
        scale.warm_up(client, ctx)
        analyses = list(scale.analyse_on_client(articles, ctx, client, batch_size=1))
        loads = client.run(scale.worker_model_loads)
    assert [a.id for a in analyses] == [a.id for a in articles]
    assert all(a.doc is None for a in analyses)
    assert dumps(to_report(analyse_corpus(analyses, ctx))) == local
    # Each worker process loaded the pipeline once: at warm-up, not again for its batches.
    assert sorted(counts.get(worker, 0) for worker, counts in loads.items()) == [1, 1]


@pytest.fixture(scope="module")
def threaded_client() -> Iterator[object]:
    with scale.dask_client(n_workers=1, processes=False) as client:
        yield client


@pytest.mark.timeout(120)
def test_scale_dask_engine_reads_input_lazily(ctx, threaded_client) -> None:
    """Bounded in-flight batches: the first result arrives before the input is read far ahead."""
    consumed: list[str] = []
    articles = _articles() * 3

    def feed() -> Iterator[Article]:
        for article in articles:
            consumed.append(article.id)
            yield article

    stream = scale.analyse_on_client(feed(), ctx, threaded_client, batch_size=1)
    first = next(stream)
    assert first.id == articles[0].id
    assert len(consumed) <= scale.IN_FLIGHT_PER_WORKER * 1
    rest = list(stream)
    assert [a.id for a in [first, *rest]] == [a.id for a in articles]


@pytest.mark.timeout(120)
def test_scale_dask_engine_reports_a_failing_article(ctx, threaded_client) -> None:
    """An article the stages refuse costs only itself: the others come back, the failure is reported."""
    good = _articles()[:2]
    bad = Article(id="scale-bad", source="test", text="x" * (ctx.nlp.max_length + 1))
    failures: list[tuple[str, str]] = []
    stream = scale.analyse_on_client(
        [good[0], bad, good[1]], ctx, threaded_client, batch_size=3, on_error=lambda a, m: failures.append((a.id, m))
    )
    analyses = list(stream)
    assert [a.id for a in analyses] == [good[0].id, good[1].id]
    assert [f[0] for f in failures] == ["scale-bad"]
    with pytest.raises(StageError, match="scale-bad"):
        list(scale.analyse_on_client([bad], ctx, threaded_client, batch_size=1))


def test_scale_stories_get_their_own_corpus(ctx) -> None:
    analyses = list(analyse_articles(_articles(), ctx))
    stories = list(scale.analyse_stories(analyses, ctx))
    members = sorted(sorted(a.id for a in corpus.analyses) for _story, corpus in stories)
    assert members == [["scale-0", "scale-1"], ["scale-2"], ["scale-3"]]
    for story, corpus in stories:
        assert sorted(story["articles"]) == sorted(a.id for a in corpus.analyses)
