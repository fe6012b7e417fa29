"""Readers for the public story-clustering sets in ``../shared/eval-data``, the metrics, and the baseline.

* **ECB+** (Cybulska & Vossen 2014, CC BY 3.0): every topic holds two sub-topics, two similar events of one
  kind (two Oscar-host announcements, two earthquakes); a document's gold story is its ``subtopic``.
  Train topics train the story model (``scripts/train_story_model.py``); dev topics report.
* **GVC** (Vossen et al. 2018, CC BY 4.0), the dev split of Bugert et al. 2021: local US news about
  look-alike shootings; a document's gold story is its Gun Violence Archive ``incident``.

Documents are read with :func:`storyweave.ingest.ingest_paths`, the reader the CLI uses, so the benchmark
sees exactly what ``storyweave cluster FILES`` sees. Nothing here copies a text into the repository; each
reader returns ``None`` when its set is absent.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from storyweave.ingest import ingest_paths
from storyweave.model import Article
from storyweave.story_split import average_link

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from cluster_eval import b_cubed, pairwise  # noqa: E402, F401 (the metrics of the invented set, for both)

EVAL = ROOT.parent / "shared" / "eval-data"
ECB_DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)


@dataclass(frozen=True)
class LabelledSet:
    """Articles (in the reader's order) with their gold story and, where the set has one, topic."""

    name: str
    articles: list[Article]
    story: dict[str, str]  # article id -> gold story
    topic: dict[str, str]  # article id -> gold topic (the story itself where the set has no topics)


def _read(name: str, folder: Path, docs: dict[str, dict], story_key: str, topic_key: str | None) -> LabelledSet:
    paths = {str(folder / d["path"]): d for d in docs.values()}
    ingested = ingest_paths(sorted(paths))
    story: dict[str, str] = {}
    topic: dict[str, str] = {}
    articles: list[Article] = []
    for article in ingested.articles:
        if article.id in story:  # the same text twice: keep the first reading
            continue
        doc = paths[article.source]
        story[article.id] = str(doc[story_key])
        topic[article.id] = str(doc[topic_key] if topic_key else doc[story_key])
        articles.append(article)
    return LabelledSet(name, articles, story, topic)


def load_ecbplus(split: str = "dev", topics: Sequence[int] | None = None) -> LabelledSet | None:
    """ECB+ documents of ``split`` ("train" or "dev"), optionally only some ``topics``."""
    folder = EVAL / "ecbplus-dev"
    gold = folder / "gold.json"
    if not gold.is_file():
        return None
    docs = json.loads(gold.read_text(encoding="utf-8"))["docs"]
    wanted = {
        k: d for k, d in docs.items() if d["split"] == split and (topics is None or int(d["topic"]) in set(topics))
    }
    return _read(f"ecbplus-{split}", folder, wanted, "subtopic", "topic")


def load_gvc() -> LabelledSet | None:
    """The GVC dev split: 78 articles, 37 incidents."""
    folder = EVAL / "gvc-dev"
    gold = folder / "gold.json"
    if not gold.is_file():
        return None
    docs = json.loads(gold.read_text(encoding="utf-8"))["docs"]
    return _read("gvc-dev", folder, docs, "incident", None)


# --------------------------------------------------------------------------- baseline

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def tfidf_vectors(articles: Sequence[Article]) -> np.ndarray:
    """Unit TF-IDF rows as scikit-learn's ``TfidfVectorizer(stop_words=...)`` makes them: lower-cased
    tokens of two or more word characters, English stop words (spaCy's list) left out, raw counts,
    smooth idf, L2 norm."""
    from spacy.lang.en.stop_words import STOP_WORDS

    bags = [Counter(t for t in _TOKEN.findall(a.text.lower()) if t not in STOP_WORDS) for a in articles]
    vocab = {w: i for i, w in enumerate(sorted({w for bag in bags for w in bag}))}
    df = np.zeros(len(vocab))
    for bag in bags:
        for w in bag:
            df[vocab[w]] += 1
    idf = np.log((1 + len(bags)) / (1 + df)) + 1.0
    matrix = np.zeros((len(bags), len(vocab)))
    for row, bag in enumerate(bags):
        for w, c in bag.items():
            matrix[row, vocab[w]] = c * idf[vocab[w]]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def tfidf_average_link(articles: Sequence[Article], cut: float) -> dict[str, str]:
    """The baseline: TF-IDF cosine, average-link agglomerative clustering cut at ``cut``."""
    vectors = tfidf_vectors(articles)
    labels = average_link(vectors @ vectors.T, cut=cut)
    return {a.id: f"b{k}" for a, k in zip(articles, labels, strict=True)}
