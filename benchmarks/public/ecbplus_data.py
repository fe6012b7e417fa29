"""ECB+ (train and dev topics) as storyweave analyses, with the spaCy parses cached on disk.

The corpus lives in ``../shared/eval-data/ecbplus-dev/`` (see its README; ECB+ annotation CC BY 3.0,
Cybulska & Vossen 2014) and is never copied into the repository. Each topic is read the way the
tool reads any folder of ``.txt`` files (``ingest_paths``), parsed once per text and model, and
the parse is kept under ``/tmp/entities-cache/`` (``STORYWEAVE_ECB_CACHE`` to move it), so a re-run
costs only the stages. Test topics (36-45) are not in the folder and nothing here asks for them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from storyweave.ingest import ingest_paths
from storyweave.model import Article, ArticleAnalysis
from storyweave.pipeline import Context, StageInfo, new_analysis, run_article_stages, stages

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("STORYWEAVE_ECBPLUS", ROOT.parent / "shared" / "eval-data" / "ecbplus-dev"))
CACHE = Path(os.environ.get("STORYWEAVE_ECB_CACHE", "/tmp/entities-cache"))
DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)
#: The entity groups scored by default (README: "core entity types PER+ORG+GPE+LOC").
CORE = ("PER", "ORG", "GPE", "LOC")


@dataclass(frozen=True, slots=True)
class GoldMention:
    doc: str
    start: int
    end: int
    text: str
    chain: str
    tgroup: str
    type: str


@dataclass(frozen=True, slots=True)
class Topic:
    number: int
    articles: tuple[Article, ...]
    doc_of: dict[str, str]  # article id -> ECB+ document file name
    gold: tuple[GoldMention, ...]  # validated entity mentions of every type (what is scored)
    gold_all: tuple[GoldMention, ...]  # every annotated entity mention (for training)


def available() -> bool:
    return (DATA / "gold.json").is_file()


@cache
def _gold() -> dict[str, Any]:
    with (DATA / "gold.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def topics_of(split: str) -> list[int]:
    """The topic numbers of ``split`` ("train" or "dev") present in the folder."""
    docs = _gold()["docs"]
    return sorted({int(d["topic"]) for d in docs.values() if d["split"] == split})


def load_topic(number: int) -> Topic:
    gold = _gold()
    folder = DATA / str(number)
    result = ingest_paths([str(folder)])
    if result.errors:
        raise RuntimeError(f"{folder}: {result.errors[0]}")
    doc_of: dict[str, str] = {}
    for article in result.articles:
        name = Path(article.source).name
        info = gold["docs"].get(name)
        if info is None or info["text"] != article.text:
            raise RuntimeError(f"{article.source}: text differs from gold.json (the offsets would not hold)")
        doc_of[article.id] = name
    names = set(doc_of.values())
    every = [
        (m, GoldMention(m["doc"], m["start"], m["end"], m["text"], m["chain"], m["tgroup"], m["type"]))
        for m in gold["entity_mentions"]
        if m["doc"] in names
    ]
    articles = tuple(sorted(result.articles, key=lambda a: doc_of[a.id]))
    return Topic(number, articles, doc_of, tuple(g for m, g in every if m["validated"]), tuple(g for _m, g in every))


def _cache_dir(ctx: Context) -> Path:
    meta = ctx.nlp.meta
    tag = f"{meta.get('name', '?')}-{meta.get('version', '?')}-{'+'.join(ctx.nlp.pipe_names)}"
    return CACHE / "parses" / hashlib.sha1(tag.encode(), usedforsecurity=False).hexdigest()[:10]


def parses(articles: Iterable[Article], ctx: Context) -> Iterator[tuple[Article, Any]]:
    """Each article with its spaCy ``Doc``, from the cache when this model parsed it before."""
    from spacy.tokens import Doc

    folder = _cache_dir(ctx)
    folder.mkdir(parents=True, exist_ok=True)
    todo: list[Article] = []
    done: dict[str, Any] = {}
    items = list(articles)
    for article in items:
        path = folder / f"{hashlib.sha1(article.text.encode(), usedforsecurity=False).hexdigest()}.bin"
        if path.is_file():
            done[article.id] = Doc(ctx.nlp.vocab).from_bytes(path.read_bytes())
        else:
            todo.append(article)
    for article, doc in zip(todo, ctx.nlp.pipe([a.text for a in todo], batch_size=16), strict=True):
        path = folder / f"{hashlib.sha1(article.text.encode(), usedforsecurity=False).hexdigest()}.bin"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(doc.to_bytes())
        tmp.replace(path)
        done[article.id] = doc
    for article in items:
        yield article, done[article.id]


def stages_through(last: str) -> list[StageInfo]:
    """The per-article stages in run order, up to and including ``last``."""
    order = stages("article")
    names = [s.name for s in order]
    return order[: names.index(last) + 1]


def analyses(topic: Topic, ctx: Context, *, through: str = "quotes", keep_doc: bool = False) -> list[ArticleAnalysis]:
    """The topic's articles through the per-article stages up to ``through`` (parses cached)."""
    order = stages_through(through)
    out: list[ArticleAnalysis] = []
    for article, doc in parses(topic.articles, ctx):
        analysis = run_article_stages(replace(new_analysis(article), doc=doc), ctx, order)
        out.append(replace(analysis, doc=doc) if keep_doc else analysis)
    return out


__all__ = ["CORE", "DATA", "DEV_TOPICS", "GoldMention", "Topic", "analyses", "available", "load_topic", "topics_of"]
