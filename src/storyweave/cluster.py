"""Online story clustering: each incoming article joins the story it best matches or starts a new one.

Why online: an article stream never ends, and re-clustering everything for every new article is
quadratic. Each article is compared only with the stories an inverted index retrieves for it (stories
that share one of its distinctive keys: entity name parts, numbers, years), each story summarised by
a centroid, so the cost per article is bounded by constants, not by the corpus size.

Why distinctive keys: two earthquakes, two journalist arrests or two bank mergers share almost all
their topic words ("quake", "magnitude", "rescuers"); what tells them apart is *who* and *where* and
*which numbers/years*. So names and numbers form their own vector, weighted above topic words, and a
join requires overlap on it. Topic words (TF-IDF over light stems) and a sentence embedding of title
and lead add evidence on top; publication time decays the score so that far-apart events never merge.

The features are read from the text with cheap rules (capitalised phrases, numbers), so clustering a
stream needs no parse; named-entity mentions found by the pipeline are added when an analysis is given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from anyascii import anyascii

from storyweave.model import Article, ArticleAnalysis, stable_id
from storyweave.pipeline import batched

#: Join when the time-decayed score reaches this (tuned on the invented evaluation set, see docs/scale.md).
DEFAULT_THRESHOLD = 0.30
#: Minimum cosine on the names/numbers vector: a story is only joined by an article that shares
#: distinctive keys with it, never on topic words alone.
MIN_KEY_SIMILARITY = 0.12
#: Weights of the three similarities (names/numbers, topic words, embedding of title + lead).
KEY_WEIGHT = 0.5
TERM_WEIGHT = 0.2
EMBEDDING_WEIGHT = 0.3
#: e-folding time (days) of the time decay, and the gap beyond which a story is not a candidate at all.
DECAY_DAYS = 10.0
MAX_GAP_DAYS = 45
#: Bounds that keep the per-article cost constant: keys looked up, stories read per key (the most
#: recent ones), candidates scored, and features kept per story centroid.
MAX_LOOKUP_KEYS = 24
POSTINGS_PER_KEY = 40
MAX_CANDIDATES = 24
MAX_TERMS_PER_ARTICLE = 60
MAX_STORY_TERMS = 400
MAX_STORY_KEYS = 240
#: Characters of body text read for topic words, and of the lead embedded with the title.
TERM_TEXT_CHARS = 4000
#: A story whose last article is this many days older than the newest article seen can no longer be
#: joined (twice the candidate gap, to tolerate streams that are only roughly in date order): its
#: centroid is dropped, so memory follows the stories still active, not all stories ever seen.
RETIRE_AFTER_DAYS = 2 * MAX_GAP_DAYS
#: How often (in articles) retired stories are swept out of the centroids and the inverted index.
SWEEP_EVERY = 2000
LEAD_CHARS = 320

# Weights of the key kinds inside the names/numbers vector: names identify an event best; numbers
# (tolls, sizes) drift between reports of the same event, so they count less than names and years.
_KEY_KIND_WEIGHT = {"e": 1.0, "y": 0.8, "n": 0.5}

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")
_NAME_PHRASE = re.compile(r"[A-Z][\w'’\-]*(?:\s+(?:(?:of|de|del|la|da|van|von|bin|al|el|der|du)\s+)?[A-Z][\w'’\-]*)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"'”’)\]]?\s+|\n\s*|[\"“]\s*)$")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# A generic gazetteer: English function words and reporting filler (never topic evidence).
_STOPWORDS = _wordset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours said says say saying told tell tells according reported reports reporting added adding
    stated statement spokesperson spokesman spokeswoman officials official news report yesterday today
    tomorrow week weeks month months year years day days time times one two three four five six seven
    eight nine ten first second third last next many much several since around nearly almost about
    mr mrs ms dr st new may might must shall us per via"""
)
# Capitalised words that are not names: titles, months, weekdays, sentence-initial function words.
_NOT_NAMES = _wordset(
    """mr mrs ms dr prof sir madam president minister prime chancellor governor mayor senator general
    chief director chairman chairwoman king queen prince princess pope judge officer captain
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday the a an in on at as for from by to of and but or if when while after before
    this that these those it its he she they we i his her their our there here his however meanwhile
    according some many most several one two three update breaking photo video watch read"""
)
_CONNECTORS = frozenset({"of", "de", "del", "la", "da", "van", "von", "bin", "al", "el", "der", "du"})


# --------------------------------------------------------------------------- features


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What clustering reads from one article: topic-word and key counts, day, embedding text."""

    article_id: str
    title: str
    day: int | None
    terms: dict[str, float]
    keys: dict[str, float]
    lead: str


def _stem(word: str) -> str:
    """A light suffix stripper: enough to meet 'arrested'/'arrests'/'arrest' without a lemmatiser."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 5 and w.endswith("ies"):
        return w[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix) and not w.endswith("ss"):
            return w[: -len(suffix)]
    return w


def _name_token(token: str) -> str:
    t = anyascii(token).lower().replace("'", "").replace("-", "")
    return t[:-1] if token.endswith(("'s", "’s")) and t.endswith("s") else t


def _at_sentence_start(text: str, pos: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, pos - 4) : pos]))


def name_keys(text: str) -> dict[str, float]:
    """Name parts of capitalised phrases (``e:<token>``), counted.

    A single capitalised word at a sentence start is a name only when the text also capitalises it
    elsewhere ("Rescuers said…" is not a name; "Ostrava said…" is when Ostrava recurs).
    """
    phrases: list[tuple[list[str], bool]] = []
    mid_sentence: set[str] = set()
    for m in _NAME_PHRASE.finditer(text):
        tokens = m.group(0).split()
        initial = _at_sentence_start(text, m.start())
        if not initial:
            mid_sentence.update(t for t in tokens if t[:1].isupper())
        phrases.append((tokens, initial))
    keys: dict[str, float] = {}
    for tokens, initial in phrases:
        words = [t for t in tokens if t.lower() not in _CONNECTORS]
        if initial and words and (words[0].lower() in _NOT_NAMES or words[0].lower() in _STOPWORDS):
            words = words[1:]
        elif initial and len(words) == 1 and words[0] not in mid_sentence:
            continue
        for word in words:
            key = _name_token(word)
            if len(key) < 2 or key in _NOT_NAMES:
                continue
            keys["e:" + key] = keys.get("e:" + key, 0.0) + 1.0
    return keys


def number_keys(text: str) -> dict[str, float]:
    """Years (``y:``) and numbers of two digits or more or with decimals (``n:``), counted."""
    keys: dict[str, float] = {}
    for m in _NUMBER.finditer(text):
        raw = m.group(0).replace(",", "")
        if len(raw) == 4 and raw.isdigit() and 1900 <= int(raw) <= 2099:
            key = "y:" + raw
        elif "." in raw or len(raw) >= 2:
            key = "n:" + raw.rstrip("0").rstrip(".") if "." in raw else "n:" + raw
        else:
            continue
        keys[key] = keys.get(key, 0.0) + 1.0
    return keys


def topic_terms(text: str) -> dict[str, float]:
    """Stemmed lower-case content words (``t:``), counted; capitalised names are left to the keys."""
    terms: dict[str, float] = {}
    for m in _WORD.finditer(text):
        word = m.group(0)
        lower = word.lower()
        if len(lower) < 3 or lower in _STOPWORDS or word[0].isupper():
            continue
        key = "t:" + _stem(lower)
        terms[key] = terms.get(key, 0.0) + 1.0
    return terms


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def extract_features(article: Article, analysis: ArticleAnalysis | None = None) -> ArticleFeatures:
    """Features of one article; entity mentions from ``analysis`` (when given) add to the name keys."""
    title = (article.title or "").strip()
    body = article.text[:TERM_TEXT_CHARS]
    if analysis is not None:  # captions, credits and "Watch:" links say nothing about the event
        for flag in analysis.flags:
            if flag.kind == "boilerplate" and flag.span.start < len(body):
                end = min(flag.span.end, len(body))
                body = body[: flag.span.start] + " " * (end - flag.span.start) + body[end:]
    if title and body.lstrip().startswith(title):
        body = body.lstrip()[len(title) :]
    text = f"{title}.\n{body}" if title else body
    terms = topic_terms(text)
    for key, count in topic_terms(title).items():  # title words count double
        terms[key] = terms.get(key, 0.0) + count
    keys = name_keys(text)
    if analysis is not None:
        for mention in analysis.mentions:
            if mention.kind != "name" or mention.label not in ("PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT"):
                continue
            for word in (mention.name or mention.span.text).split():
                key = _name_token(word)
                if len(key) >= 2 and key not in _NOT_NAMES and key not in _CONNECTORS:
                    keys["e:" + key] = keys.get("e:" + key, 0.0) + 0.5
    keys.update({k: keys.get(k, 0.0) + v for k, v in number_keys(text).items()})
    lead_body = " ".join(body.split())[:LEAD_CHARS]
    lead = f"{title}. {lead_body}" if title else lead_body
    return ArticleFeatures(article.id, title or lead_body[:80], _day(article.published), terms, keys, lead)


# --------------------------------------------------------------------------- the clusterer


@dataclass(slots=True)
class _Story:
    index: int
    id: str
    title: str
    first_day: int | None
    last_day: int | None
    members: list[str] = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)
    keys: dict[str, float] = field(default_factory=dict)
    embedding: np.ndarray | None = None
    term_norm: float = 1.0
    key_norm: float = 1.0
    retired: bool = False
    keywords: tuple[str, ...] = ()


def _sublinear(count: float) -> float:
    return 1.0 + math.log(count) if count > 1 else count


class StoryClusterer:
    """Incremental clustering; :meth:`add` places one article and returns its story id.

    Deterministic: the same articles in the same order give the same stories and ids. Feed articles
    in publication order where possible (``cluster_store`` does), since joins look back in time.
    """

    def __init__(self, *, threshold: float | None = None, embedder: Any = None) -> None:
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self.embedder = embedder
        self._df: dict[str, int] = {}
        self._docs = 0
        self._stories: list[_Story] = []
        self._postings: dict[str, list[int]] = {}
        self._newest_day: int | None = None

    # ------------------------------------------------------------------ weights

    def _idf(self, feature: str) -> float:
        return math.log((1 + self._docs) / (1 + self._df.get(feature, 0))) + 1.0

    def _key_weight(self, key: str, count: float) -> float:
        return _sublinear(count) * self._idf(key) * _KEY_KIND_WEIGHT[key[0]]

    def _term_weight(self, term: str, count: float) -> float:
        return _sublinear(count) * self._idf(term)

    # ------------------------------------------------------------------ public

    def add(self, features: ArticleFeatures, embedding: np.ndarray | None = None) -> str:
        """Place one article: join the best-scoring candidate story above the threshold, else start one."""
        self._docs += 1
        for feature in (*features.terms, *features.keys):
            self._df[feature] = self._df.get(feature, 0) + 1
        key_vec = {k: self._key_weight(k, c) for k, c in features.keys.items()}
        term_vec = dict(
            sorted(
                ((t, self._term_weight(t, c)) for t, c in features.terms.items()),
                key=lambda kv: (-kv[1], kv[0]),
            )[:MAX_TERMS_PER_ARTICLE]
        )
        if features.day is not None and (self._newest_day is None or features.day > self._newest_day):
            self._newest_day = features.day
        if self._docs % SWEEP_EVERY == 0:
            self._sweep()
        best = self._best_story(features, key_vec, term_vec, embedding)
        if best is None:
            best = _Story(
                index=len(self._stories),
                id=stable_id("story", features.article_id),
                title=features.title,
                first_day=features.day,
                last_day=features.day,
            )
            self._stories.append(best)
        self._absorb(best, features, embedding)
        return best.id

    def stories(self) -> list[dict[str, Any]]:
        """Every story so far: id, title, member article ids (in arrival order), date range, top names."""
        out = []
        for story in self._stories:
            top = story.keywords if story.retired else self._keywords(story)
            out.append(
                {
                    "id": story.id,
                    "title": story.title,
                    "articles": list(story.members),
                    "size": len(story.members),
                    "first_published": _iso(story.first_day),
                    "last_published": _iso(story.last_day),
                    "keywords": list(top),
                }
            )
        return out

    # ------------------------------------------------------------------ internals

    def _keywords(self, story: _Story) -> tuple[str, ...]:
        """The story's most distinctive names (its highest-weighted name keys)."""
        names = sorted((k for k in story.keys if k.startswith("e:")), key=lambda k: (-story.keys[k] * self._idf(k), k))
        return tuple(k[2:] for k in names[:6])

    def _sweep(self) -> None:
        """Retire stories too old to be joined: drop their centroids and their inverted-index entries."""
        if self._newest_day is None:
            return
        horizon = self._newest_day - RETIRE_AFTER_DAYS
        retired_now = False
        for story in self._stories:
            if not story.retired and story.last_day is not None and story.last_day < horizon:
                story.keywords = self._keywords(story)
                story.terms, story.keys, story.embedding, story.retired = {}, {}, None, True
                retired_now = True
        if not retired_now:
            return
        stories = self._stories
        for key in list(self._postings):
            live = [i for i in self._postings[key] if not stories[i].retired]
            if live:
                self._postings[key] = live
            else:
                del self._postings[key]

    def _candidates(self, features: ArticleFeatures, key_vec: dict[str, float]) -> list[_Story]:
        """Stories sharing the article's rarest keys, most recent first per key; bounded in number."""
        lookup = sorted(key_vec, key=lambda k: (-key_vec[k], k))[:MAX_LOOKUP_KEYS]
        hits: dict[int, float] = {}
        for key in lookup:
            for index in self._postings.get(key, ())[-POSTINGS_PER_KEY:]:
                hits[index] = hits.get(index, 0.0) + key_vec[key]
        ranked = sorted(hits, key=lambda i: (-hits[i], i))
        out = []
        for index in ranked:
            story = self._stories[index]
            if not story.retired and _gap_days(features.day, story) <= MAX_GAP_DAYS:
                out.append(story)
                if len(out) >= MAX_CANDIDATES:
                    break
        return out

    def _best_story(
        self,
        features: ArticleFeatures,
        key_vec: dict[str, float],
        term_vec: dict[str, float],
        embedding: np.ndarray | None,
    ) -> _Story | None:
        candidates = self._candidates(features, key_vec)
        if not candidates:
            return None
        key_norm = math.sqrt(sum(w * w for w in key_vec.values())) or 1.0
        term_norm = math.sqrt(sum(w * w for w in term_vec.values())) or 1.0
        use_embedding = embedding is not None and all(s.embedding is not None for s in candidates)
        if use_embedding:
            centroids = np.vstack([s.embedding for s in candidates if s.embedding is not None])
            norms = np.linalg.norm(centroids, axis=1)
            emb_sims = (centroids @ embedding) / np.maximum(norms, 1e-12)
        weights = (KEY_WEIGHT, TERM_WEIGHT, EMBEDDING_WEIGHT if use_embedding else 0.0)
        total = sum(weights)
        best: _Story | None = None
        best_score = self.threshold
        for i, story in enumerate(candidates):
            key_sim = sum(w * story.keys.get(k, 0.0) * self._key_kind_idf(k) for k, w in key_vec.items())
            key_sim /= key_norm * story.key_norm
            if key_sim < MIN_KEY_SIMILARITY:
                continue
            term_sim = sum(w * story.terms.get(t, 0.0) * self._idf(t) for t, w in term_vec.items())
            term_sim /= term_norm * story.term_norm
            emb_sim = float(emb_sims[i]) if use_embedding else 0.0
            score = (weights[0] * key_sim + weights[1] * term_sim + weights[2] * max(emb_sim, 0.0)) / total
            score *= math.exp(-_gap_days(features.day, story) / DECAY_DAYS)
            if score >= best_score:
                best, best_score = story, score
        return best

    def _key_kind_idf(self, key: str) -> float:
        return self._idf(key) * _KEY_KIND_WEIGHT[key[0]]

    def _absorb(self, story: _Story, features: ArticleFeatures, embedding: np.ndarray | None) -> None:
        """Add the article to the story's centroid, index its new keys, refresh the story's norms."""
        story.members.append(features.article_id)
        if features.day is not None:
            story.first_day = features.day if story.first_day is None else min(story.first_day, features.day)
            story.last_day = features.day if story.last_day is None else max(story.last_day, features.day)
        for term, count in features.terms.items():
            story.terms[term] = story.terms.get(term, 0.0) + _sublinear(count)
        for key, count in features.keys.items():
            if key not in story.keys:
                self._postings.setdefault(key, []).append(story.index)
            story.keys[key] = story.keys.get(key, 0.0) + _sublinear(count)
        if embedding is not None:
            story.embedding = embedding.copy() if story.embedding is None else story.embedding + embedding
        _prune(story.terms, MAX_STORY_TERMS)
        _prune(story.keys, MAX_STORY_KEYS)
        story.term_norm = math.sqrt(sum((c * self._idf(t)) ** 2 for t, c in story.terms.items())) or 1.0
        story.key_norm = math.sqrt(sum((c * self._key_kind_idf(k)) ** 2 for k, c in story.keys.items())) or 1.0


def _prune(counts: dict[str, float], limit: int) -> None:
    """Keep a centroid's strongest features only, so a long-running story stays small."""
    if len(counts) <= limit:
        return
    keep = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: limit * 3 // 4]
    counts.clear()
    counts.update(keep)


def _gap_days(day: int | None, story: _Story) -> float:
    """Days between ``day`` and the story's date range (0 inside it or when a date is unknown)."""
    if day is None or story.first_day is None or story.last_day is None:
        return 0.0
    if day < story.first_day:
        return float(story.first_day - day)
    return float(max(0, day - story.last_day))


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None


# --------------------------------------------------------------------------- entry points


def _default_embedder() -> Any:
    from storyweave.embed import load_embedder

    return load_embedder()


def cluster_analysed(
    pairs: Iterable[tuple[Article, ArticleAnalysis | None]],
    clusterer: StoryClusterer,
    *,
    batch_size: int = 64,
) -> Iterator[tuple[str, str]]:
    """Feed ``(article, analysis-or-None)`` pairs to ``clusterer`` in order, embedding leads in batches."""
    for features, embedding in featurise(pairs, clusterer.embedder, batch_size=batch_size):
        yield features.article_id, clusterer.add(features, embedding)


def cluster_stream(
    articles: Iterable[Article],
    *,
    threshold: float | None = None,
    embedder: Any = "default",
    batch_size: int = 64,
) -> Iterator[tuple[str, str]]:
    """Cluster a stream of articles as it arrives, yielding ``(article id, story id)`` per article.

    Reads ``articles`` lazily (a chunk of ``batch_size`` at a time, to embed leads in one call), so a
    JSONL file of any length streams through in constant memory apart from the story centroids.
    ``embedder=None`` clusters without embeddings (names, numbers and topic words only).
    """
    clusterer = StoryClusterer(threshold=threshold, embedder=_default_embedder() if embedder == "default" else embedder)
    yield from cluster_analysed(((a, None) for a in articles), clusterer, batch_size=batch_size)


def featurise(
    pairs: Iterable[tuple[Article, ArticleAnalysis | None]], embedder: Any, *, batch_size: int = 64
) -> Iterator[tuple[ArticleFeatures, np.ndarray | None]]:
    """Features and lead embedding per article (order-independent work, done in batches)."""
    for batch in batched(pairs, batch_size):
        features = [extract_features(article, analysis) for article, analysis in batch]
        if embedder is None:
            yield from ((f, None) for f in features)
        else:
            vectors = np.asarray(embedder.encode([f.lead for f in features]), dtype=np.float32)
            yield from zip(features, vectors, strict=True)


def cluster_store(store: Any, *, threshold: float | None = None, embedder: Any = "default") -> list[dict[str, Any]]:
    """Cluster every article of ``store`` in publication order and save the stories into it.

    Linear in the number of articles: one pass reads articles and their stored analyses in chunks and
    keeps only features (not texts); the features are then placed in publication order. Stories saved
    before are replaced. Stored analyses, where present, add their entity mentions to the name keys.
    Returns the stories as dicts: id, title, articles, size, first/last published, keywords.
    """
    clusterer = StoryClusterer(threshold=threshold, embedder=_default_embedder() if embedder == "default" else embedder)

    def with_analyses() -> Iterator[tuple[Article, ArticleAnalysis | None]]:
        for chunk in batched(store.iter_articles(), 256):
            analyses = {a.article.id: a for a in store.load_analyses([a.id for a in chunk])}
            yield from ((a, analyses.get(a.id)) for a in chunk)

    featured = list(featurise(with_analyses(), clusterer.embedder))
    featured.sort(key=lambda fe: (fe[0].day if fe[0].day is not None else 10**9, fe[0].article_id))
    for features, embedding in featured:
        clusterer.add(features, embedding)
    stories = clusterer.stories()
    store.delete_stories()
    for story in stories:
        meta = {k: v for k, v in story.items() if k not in ("id", "title", "articles")}
        store.save_story(story["id"], story["articles"], title=story["title"], meta=meta)
    return stories
