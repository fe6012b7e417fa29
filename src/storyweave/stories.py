"""Stories in one run: group the analysed articles into stories, then run the corpus stages per story.

Claims, statements, numbers, dates and the brief compare articles with each other, and that only
makes sense between reports of one event: a death toll of one shooting does not contradict the toll
of another. So a run first groups its articles into stories (:func:`storyweave.cluster.cluster_articles`,
the clustering ``storyweave cluster`` prints, from the same text features, so no second parse), then
runs the cross-article stages once per story, and writes one report with a story index and a section
per story (:func:`storyweave.contract.stories_report`). ``one_story=True`` takes the whole input as
one story, as a desk that has already chosen its articles may want.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from storyweave.model import ArticleAnalysis, Corpus, stable_id
from storyweave.pipeline import Context, analyse_corpus


def group_stories(
    analyses: Sequence[ArticleAnalysis], ctx: Context, *, one_story: bool = False, embedder: Any = "context"
) -> list[dict[str, Any]]:
    """The stories of ``analyses``: ``{id, title, articles, size, first_published, last_published,
    keywords}`` each, largest first (then earliest, then by id).

    ``embedder``: ``"context"`` uses ``ctx.embedder``; ``None`` clusters without embeddings.
    """
    from storyweave.cluster import cluster_batch, featurise

    if not analyses:
        return []
    if one_story:
        ordered = sorted(analyses, key=lambda a: (a.article.published or "9999-12-31", a.article.id))
        dates = sorted(a.article.published[:10] for a in ordered if a.article.published)
        first = ordered[0].article
        stories = [
            {
                "id": stable_id("story", *sorted(a.article.id for a in analyses)),
                "title": first.title or first.text[:80],
                "articles": [a.article.id for a in ordered],
                "size": len(ordered),
                "first_published": dates[0] if dates else None,
                "last_published": dates[-1] if dates else None,
                "keywords": [],
            }
        ]
    else:
        model = ctx.embedder if embedder == "context" else embedder
        stories = cluster_batch(featurise(((a.article, a) for a in analyses), model))
    return sorted(stories, key=lambda s: (-s["size"], s["first_published"] or "9999-12-31", s["id"]))


def analyse_stories(
    analyses: Iterable[ArticleAnalysis], ctx: Context, *, one_story: bool = False, embedder: Any = "context"
) -> list[tuple[dict[str, Any], Corpus]]:
    """Group ``analyses`` into stories and run the cross-article stages once per story."""
    found = list(analyses)
    by_id = {a.article.id: a for a in found}
    return [
        (story, analyse_corpus([by_id[i] for i in story["articles"]], ctx))
        for story in group_stories(found, ctx, one_story=one_story, embedder=embedder)
    ]


def story_summary(story: dict[str, Any]) -> dict[str, Any]:
    """The fields of a story that the report lists (the member ids are added from the corpus)."""
    keep = ("id", "title", "size", "first_published", "last_published", "keywords")
    return {k: story[k] for k in keep if k in story}
