"""Online story clustering: each incoming article joins the story it best matches or starts a new one.

Why online: an article stream never ends, and re-clustering everything for every new article is
quadratic. Each article is compared only with the stories an inverted index retrieves for it (stories
that share one of its most distinctive names, numbers or words), each story summarised by a centroid,
so the cost per article is bounded by constants, not by the corpus size.

What decides a join: two earthquakes, two shootings or two Oscar-host announcements share almost all
their topic words; what tells them apart is *who*, *where*, *which numbers and years* and *when*. The
article's cues against a candidate story (cosines of names, topic words, title words, numbers; the
embedding of title and lead; how many of its distinctive names the story has; a clash of years; the
time gap) go into a logistic regression trained on public news (:mod:`storyweave.story_model`), and
the article joins the most likely candidate when that probability reaches the model's threshold.
Publication time then decays the odds, so that far-apart events never merge.

The features are read from the text with cheap rules (capitalised phrases, numbers, light stems), so
clustering a stream needs no parse, and ``storyweave cluster`` and ``storyweave analyze`` group the
same files the same way; an analysis, when given, only masks the boilerplate its clean stage flagged.
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
from storyweave.story_model import JoinModel, load_models

#: e-folding time (days) of the time decay applied to a join's odds, and the gap beyond which a story
#: is not a candidate at all. The training set (ECB+) carries no publication dates, so these are a
#: prior, not learned: one event's coverage runs over days; a follow-up weeks later is a new story.
DECAY_DAYS = 10.0
MAX_GAP_DAYS = 45
#: Bounds that keep the per-article cost constant: keys looked up, stories read per key (the most
#: recent ones), candidates scored, and features kept per article and per story centroid.
MAX_LOOKUP_KEYS = 24
MAX_LOOKUP_TERMS = 8
POSTINGS_PER_KEY = 40
MAX_CANDIDATES = 24
MAX_TERMS_PER_ARTICLE = 60
MAX_STORY_TERMS = 400
MAX_STORY_KEYS = 240
#: The article's names (highest weight first) whose presence in the story ``name_cover`` measures.
COVER_NAMES = 8
#: Characters of body text read for topic words, and of the lead embedded with the title.
TERM_TEXT_CHARS = 4000
#: A story whose last article is this many days older than the newest article seen can no longer be
#: joined (twice the candidate gap, to tolerate streams that are only roughly in date order): its
#: centroid is dropped, so memory follows the stories still active, not all stories ever seen.
RETIRE_AFTER_DAYS = 2 * MAX_GAP_DAYS
#: How often (in articles) retired stories are swept out of the centroids and the inverted index.
SWEEP_EVERY = 2000
LEAD_CHARS = 320
#: A title is in title case (every word capitalised, so capitals say nothing about names) when at
#: least this share of its words of four letters or more start with a capital.
TITLE_CASE_SHARE = 0.6

# Weights of the key kinds inside the numbers vector: years and dates pin an event in time; counts
# (tolls, sizes) drift between reports of the same event, so they count less.
_KEY_KIND_WEIGHT = {"e": 1.0, "y": 1.0, "d": 1.0, "n": 0.5}

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")
_NAME_PHRASE = re.compile(r"[A-Z][\w'’\-]*(?:\s+(?:(?:of|de|del|la|da|van|von|bin|al|el|der|du)\s+)?[A-Z][\w'’\-]*)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"'”’)\]]?\s+|\n\s*|[\"“]\s*)$")
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip
_MONTH_DAY = re.compile(
    r"\b(?P<m>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b"
    r"|\b(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May"
    r"|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b"
)


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
    """What clustering reads from one article.

    ``terms``: stemmed lower-case content words (``t:``); ``keys``: name parts (``e:``), years
    (``y:``), month-days (``d:``) and other numbers (``n:``); ``title_terms``: stems of every title
    word; all counted. ``day`` is the publication day (proleptic ordinal) and ``lead`` the title and
    first characters of the body, the text that is embedded.
    """

    article_id: str
    title: str
    day: int | None
    terms: dict[str, float]
    keys: dict[str, float]
    lead: str
    title_terms: dict[str, float] = field(default_factory=dict)


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


def name_keys(text: str, *, confirmed: set[str] | None = None) -> dict[str, float]:
    """Name parts of capitalised phrases (``e:<token>``), counted.

    A single capitalised word at a sentence start is a name only when the text also capitalises it
    elsewhere ("Rescuers said…" is not a name; "Ostrava said…" is when Ostrava recurs). With
    ``confirmed`` (a title in title case), only words in that set count.
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
            if len(key) < 2 or key in _NOT_NAMES or (confirmed is not None and key not in confirmed):
                continue
            keys["e:" + key] = keys.get("e:" + key, 0.0) + 1.0
    return keys


def number_keys(text: str) -> dict[str, float]:
    """Years (``y:``), month-days (``d:``, "February 22") and numbers of two digits or more or with
    decimals (``n:``), counted."""
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
    for m in _MONTH_DAY.finditer(text):
        month_name = (m.group("m") or m.group("m2")).lower()
        day = int(m.group("d") or m.group("d2"))
        month = next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(month_name[:3]))
        if 1 <= day <= 31:
            key = f"d:{month:02d}-{day:02d}"
            keys[key] = keys.get(key, 0.0) + 1.0
    return keys


def topic_terms(text: str, *, keep_capitalised: bool = False) -> dict[str, float]:
    """Stemmed lower-case content words (``t:``), counted; capitalised names are left to the keys
    unless ``keep_capitalised``."""
    terms: dict[str, float] = {}
    for m in _WORD.finditer(text):
        word = m.group(0)
        lower = word.lower()
        if len(lower) < 3 or lower in _STOPWORDS or (word[0].isupper() and not keep_capitalised):
            continue
        key = "t:" + _stem(lower)
        terms[key] = terms.get(key, 0.0) + 1.0
    return terms


def _title_case(title: str) -> bool:
    words = [w for w in _WORD.findall(title) if len(w) >= 4]
    return bool(words) and sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


#: A header line that is a date and little else ("August 2, 2013", "Friday, November 11, 2011",
#: "16 September 2013 Last updated at 12:42 GMT"): among the first lines, at most this long and
#: with at most this many letters besides the date's own.
HEADER_LINES = 6
HEADER_DATE_MAX_CHARS = 60
HEADER_DATE_MAX_LETTERS = 25


def text_day(text: str) -> int | None:
    """The day of a dateline-like header line of ``text``, when the reader found no publication date.

    Pages often carry their date on a line of its own above or below the headline; ``ingest`` keeps
    the publication date only where a "Published:" label or a wire dateline says so.
    """
    from storyweave.ingest import parse_date

    lines = [line.strip() for line in text.split("\n") if line.strip()][:HEADER_LINES]
    for line in lines:
        if len(line) > HEADER_DATE_MAX_CHARS or sum(c.isalpha() for c in line) > HEADER_DATE_MAX_LETTERS:
            continue
        found = parse_date(line)
        if found:
            return _day(found)
    return None


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def extract_features(article: Article, analysis: ArticleAnalysis | None = None) -> ArticleFeatures:
    """Features of one article; boilerplate flagged by ``analysis`` (when given) is left out."""
    title = (article.title or "").strip()
    body = article.text[:TERM_TEXT_CHARS]
    if analysis is not None:  # captions, credits and "Watch:" links say nothing about the event
        for flag in analysis.flags:
            if flag.kind == "boilerplate" and flag.span.start < len(body):
                end = min(flag.span.end, len(body))
                body = body[: flag.span.start] + " " * (end - flag.span.start) + body[end:]
    if title and body.lstrip().startswith(title):
        body = body.lstrip()[len(title) :]
    terms = topic_terms(body)
    for key, count in topic_terms(title).items():  # title words count double
        terms[key] = terms.get(key, 0.0) + 2 * count
    keys = name_keys(body)
    # A title in title case capitalises every word: there, a word is a name only where the body
    # capitalises it too ("Ellen DeGeneres To Host Oscars": not "to", not "host").
    confirmed = {k[2:] for k in keys} if _title_case(title) else None
    for key, count in name_keys(title, confirmed=confirmed).items():
        keys[key] = keys.get(key, 0.0) + count
    for key, count in number_keys(f"{title}.\n{body}").items():
        keys[key] = keys.get(key, 0.0) + count
    lead_body = " ".join(body.split())[:LEAD_CHARS]
    lead = f"{title}. {lead_body}" if title else lead_body
    title_terms = topic_terms(title or lead_body[:120], keep_capitalised=True)
    day = _day(article.published) if article.published else text_day(article.text)
    return ArticleFeatures(article.id, title or lead_body[:80], day, terms, keys, lead, title_terms)


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
    names: dict[str, float] = field(default_factory=dict)
    numbers: dict[str, float] = field(default_factory=dict)
    title_terms: dict[str, float] = field(default_factory=dict)
    embedding: np.ndarray | None = None
    norms: dict[str, float] = field(default_factory=dict)
    retired: bool = False
    keywords: tuple[str, ...] = ()


def _sublinear(count: float) -> float:
    return 1.0 + math.log(count) if count > 1 else count


@dataclass(frozen=True, slots=True)
class _Vectors:
    """An article's TF-IDF weighted vectors, computed once per article."""

    terms: dict[str, float]
    names: dict[str, float]
    numbers: dict[str, float]
    title: dict[str, float]
    norms: dict[str, float]
    years: frozenset[str]


class StoryClusterer:
    """Incremental clustering; :meth:`add` places one article and returns its story id.

    Deterministic: the same articles in the same order give the same stories and ids. Feed articles
    in publication order where possible (``cluster_store`` does), since joins look back in time.
    ``threshold`` overrides the model's join probability.
    """

    def __init__(
        self, *, threshold: float | None = None, embedder: Any = None, models: dict[str, JoinModel] | None = None
    ) -> None:
        self.models = models if models is not None else load_models()
        self.threshold = threshold
        self.embedder = embedder
        self._df: dict[str, int] = {}
        self._docs = 0
        self._stories: list[_Story] = []
        self._postings: dict[str, list[int]] = {}
        self._newest_day: int | None = None
        self._by_label: dict[str, _Story] = {}  # gold label -> story, for add_labelled only

    # ------------------------------------------------------------------ weights

    def _idf(self, feature: str) -> float:
        return math.log((1 + self._docs) / (1 + self._df.get(feature, 0))) + 1.0

    def _weight(self, feature: str) -> float:
        """The IDF of a feature times its kind's weight (names, years and dates above counts)."""
        return self._idf(feature) * _KEY_KIND_WEIGHT.get(feature[0], 1.0)

    # ------------------------------------------------------------------ public

    def add(self, features: ArticleFeatures, embedding: np.ndarray | None = None) -> str:
        """Place one article: join the most likely candidate story, if likely enough, else start one."""
        vectors = self._observe(features)
        best: _Story | None = None
        best_p = -1.0
        for story, x, with_embedding in self._scored(features, vectors, embedding):
            model = self.models["embedding" if with_embedding else "text"]
            threshold = model.threshold if self.threshold is None else self.threshold
            p = self._join_probability(model, x, features, story)
            if p >= threshold and p > best_p:
                best, best_p = story, p
        return self._place(best, features, vectors, embedding).id

    def add_labelled(
        self, features: ArticleFeatures, embedding: np.ndarray | None, label: str
    ) -> list[tuple[list[float], bool]]:
        """Training: the pair features of every candidate story with whether it is the article's own
        story (stories are named by gold ``label``); then place the article in its own story."""
        vectors = self._observe(features)
        own = self._by_label.get(label)
        rows = [(x, story is own) for story, x, _with in self._scored(features, vectors, embedding)]
        self._by_label[label] = self._place(own, features, vectors, embedding)
        return rows

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

    def summary(self, members: list[ArticleFeatures]) -> dict[str, Any]:
        """A story made of ``members`` (in arrival order), summarised as :meth:`stories` does."""
        days = [f.day for f in members if f.day is not None]
        names: dict[str, float] = {}
        for f in members:
            for key, count in f.keys.items():
                if key[0] == "e":
                    names[key] = names.get(key, 0.0) + _sublinear(count)
        top = sorted(names, key=lambda k: (-names[k] * self._idf(k), k))[:6]
        return {
            "id": stable_id("story", members[0].article_id),
            "title": members[0].title,
            "articles": [f.article_id for f in members],
            "size": len(members),
            "first_published": _iso(min(days)) if days else None,
            "last_published": _iso(max(days)) if days else None,
            "keywords": [k[2:] for k in top],
        }

    # ------------------------------------------------------------------ internals

    def _observe(self, features: ArticleFeatures) -> _Vectors:
        """Count the article into the document frequencies and weigh its vectors."""
        self._docs += 1
        for feature in {*features.terms, *features.keys, *("h" + t for t in features.title_terms)}:
            self._df[feature] = self._df.get(feature, 0) + 1
        if features.day is not None and (self._newest_day is None or features.day > self._newest_day):
            self._newest_day = features.day
        if self._docs % SWEEP_EVERY == 0:
            self._sweep()
        terms = dict(
            sorted(
                ((t, _sublinear(c) * self._idf(t)) for t, c in features.terms.items()),
                key=lambda kv: (-kv[1], kv[0]),
            )[:MAX_TERMS_PER_ARTICLE]
        )
        names = {k: _sublinear(c) * self._weight(k) for k, c in features.keys.items() if k[0] == "e"}
        numbers = {k: _sublinear(c) * self._weight(k) for k, c in features.keys.items() if k[0] != "e"}
        title = {t: _sublinear(c) * self._idf("h" + t) for t, c in features.title_terms.items()}
        norms = {kind: _norm(vec) for kind, vec in (("t", terms), ("e", names), ("n", numbers), ("h", title))}
        years = frozenset(k for k in numbers if k[0] == "y")
        return _Vectors(terms, names, numbers, title, norms, years)

    def _scored(
        self, features: ArticleFeatures, vectors: _Vectors, embedding: np.ndarray | None
    ) -> Iterator[tuple[_Story, list[float], bool]]:
        """Each candidate story with the pair's features, and whether the embedding cue is in them."""
        candidates = self._candidates(features, vectors)
        if not candidates:
            return
        with_embedding = embedding is not None and all(s.embedding is not None for s in candidates)
        emb_sims = [0.0] * len(candidates)
        if with_embedding and embedding is not None:
            centroids = np.vstack([s.embedding for s in candidates if s.embedding is not None])
            norms = np.linalg.norm(centroids, axis=1) * max(float(np.linalg.norm(embedding)), 1e-12)
            emb_sims = [float(v) for v in (centroids @ embedding) / np.maximum(norms, 1e-12)]
        for story, emb_sim in zip(candidates, emb_sims, strict=True):
            yield story, self.pair_features(features, vectors, story, emb_sim), with_embedding

    def pair_features(self, features: ArticleFeatures, vectors: _Vectors, story: _Story, emb_sim: float) -> list[float]:
        """The cues of one (article, story) pair, in the order of :data:`storyweave.story_model.FEATURES`.

        * terms / names / numbers / title: cosine of the article's TF-IDF vector with the story's
          centroid (topic words; name parts; years, month-days and counts; title words);
        * embedding: cosine of the lead's embedding with the story's mean embedding (0 without);
        * name_cover: share of the article's most distinctive names (by weight) the story has;
          story_cover: share of the story's most frequent names the article has;
        * year_clash: 1 when both name years and none is shared;
        * gap: log(1 + days between the article and the story's date range) / log(1 + MAX_GAP_DAYS),
          0 when either has no date (whether a text carries a date says nothing about its story: a
          flag for it learned, on ECB+, only which of the corpus's two halves printed dates);
        * size: log(1 + the story's size).
        """
        terms = _cosine(vectors.terms, vectors.norms["t"], story.terms, story.norms.get("t", 1.0), self._idf)
        names = _cosine(vectors.names, vectors.norms["e"], story.names, story.norms.get("e", 1.0), self._weight)
        numbers = _cosine(vectors.numbers, vectors.norms["n"], story.numbers, story.norms.get("n", 1.0), self._weight)
        title = _cosine(
            vectors.title,
            vectors.norms["h"],
            story.title_terms,
            story.norms.get("h", 1.0),
            lambda t: self._idf("h" + t),
        )
        top = sorted(vectors.names, key=lambda k: (-vectors.names[k], k))[:COVER_NAMES]
        total = sum(vectors.names[k] for k in top)
        name_cover = sum(vectors.names[k] for k in top if k in story.names) / total if total else 0.0
        story_top = sorted(story.names, key=lambda k: (-story.names[k], k))[:COVER_NAMES]
        story_cover = sum(k in vectors.names for k in story_top) / len(story_top) if story_top else 0.0
        story_years = {k for k in story.numbers if k[0] == "y"}
        year_clash = float(bool(vectors.years) and bool(story_years) and not (vectors.years & story_years))
        dated = features.day is not None and story.first_day is not None
        gap = math.log1p(_gap_days(features.day, story)) / math.log1p(MAX_GAP_DAYS) if dated else 0.0
        return [
            1.0,
            terms,
            names,
            numbers,
            title,
            max(emb_sim, 0.0),
            name_cover,
            story_cover,
            year_clash,
            gap,
            math.log1p(len(story.members)),
        ]

    def _join_probability(self, model: JoinModel, x: list[float], features: ArticleFeatures, story: _Story) -> float:
        """The model's probability, its odds decayed by the time gap (see :data:`DECAY_DAYS`)."""
        logit = model.logit(x) - _gap_days(features.day, story) / DECAY_DAYS
        return 1.0 / (1.0 + math.exp(-logit)) if logit > -700 else 0.0

    def _keywords(self, story: _Story) -> tuple[str, ...]:
        """The story's most distinctive names (its highest-weighted name keys)."""
        names = sorted(story.names, key=lambda k: (-story.names[k] * self._idf(k), k))
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
                story.terms, story.names, story.numbers, story.title_terms = {}, {}, {}, {}
                story.embedding, story.retired = None, True
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

    def _candidates(self, features: ArticleFeatures, vectors: _Vectors) -> list[_Story]:
        """Stories sharing the article's rarest keys or words, most recent first per key; bounded."""
        keyed = {**vectors.names, **vectors.numbers}
        lookup = sorted(keyed, key=lambda k: (-keyed[k], k))[:MAX_LOOKUP_KEYS]
        lookup += sorted(vectors.terms, key=lambda k: (-vectors.terms[k], k))[:MAX_LOOKUP_TERMS]
        weights = {**keyed, **vectors.terms}
        hits: dict[int, float] = {}
        for key in lookup:
            for index in self._postings.get(key, ())[-POSTINGS_PER_KEY:]:
                hits[index] = hits.get(index, 0.0) + weights[key]
        ranked = sorted(hits, key=lambda i: (-hits[i], i))
        out = []
        for index in ranked:
            story = self._stories[index]
            if not story.retired and _gap_days(features.day, story) <= MAX_GAP_DAYS:
                out.append(story)
                if len(out) >= MAX_CANDIDATES:
                    break
        return out

    def _place(
        self, story: _Story | None, features: ArticleFeatures, vectors: _Vectors, embedding: np.ndarray | None
    ) -> _Story:
        """Add the article to ``story`` (a new one when None): centroids, index, norms."""
        if story is None:
            story = _Story(
                index=len(self._stories),
                id=stable_id("story", features.article_id),
                title=features.title,
                first_day=features.day,
                last_day=features.day,
            )
            self._stories.append(story)
        story.members.append(features.article_id)
        if features.day is not None:
            story.first_day = features.day if story.first_day is None else min(story.first_day, features.day)
            story.last_day = features.day if story.last_day is None else max(story.last_day, features.day)
        for term in vectors.terms:  # the article's strongest words only, as in its own vector
            if term not in story.terms:
                self._postings.setdefault(term, []).append(story.index)
            story.terms[term] = story.terms.get(term, 0.0) + _sublinear(features.terms[term])
        for key, count in features.keys.items():
            centroid = story.names if key[0] == "e" else story.numbers
            if key not in centroid:
                self._postings.setdefault(key, []).append(story.index)
            centroid[key] = centroid.get(key, 0.0) + _sublinear(count)
        for term, count in features.title_terms.items():
            story.title_terms[term] = story.title_terms.get(term, 0.0) + _sublinear(count)
        if embedding is not None:
            story.embedding = embedding.copy() if story.embedding is None else story.embedding + embedding
        _prune(story.terms, MAX_STORY_TERMS)
        _prune(story.names, MAX_STORY_KEYS)
        _prune(story.numbers, MAX_STORY_KEYS)
        _prune(story.title_terms, MAX_STORY_KEYS)
        story.norms = {
            "t": _norm({t: c * self._idf(t) for t, c in story.terms.items()}),
            "e": _norm({k: c * self._weight(k) for k, c in story.names.items()}),
            "n": _norm({k: c * self._weight(k) for k, c in story.numbers.items()}),
            "h": _norm({t: c * self._idf("h" + t) for t, c in story.title_terms.items()}),
        }
        return story


def _norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vector.values())) or 1.0


def _cosine(
    vector: dict[str, float], norm: float, centroid: dict[str, float], centroid_norm: float, weight: Any
) -> float:
    """Cosine of an article's weighted vector with a story's count centroid weighted by ``weight``."""
    if not vector or not centroid:
        return 0.0
    dot = sum(w * centroid[k] * weight(k) for k, w in vector.items() if k in centroid)
    return min(1.0, dot / (norm * centroid_norm))


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


def default_embedder() -> Any:
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
    clusterer = StoryClusterer(threshold=threshold, embedder=default_embedder() if embedder == "default" else embedder)
    yield from cluster_analysed(((a, None) for a in articles), clusterer, batch_size=batch_size)


def cluster_articles(
    articles: Iterable[Article],
    *,
    analyses: dict[str, ArticleAnalysis] | None = None,
    threshold: float | None = None,
    embedder: Any = "default",
) -> list[tuple[str, str]]:
    """Cluster a whole set of articles at once: ``(article id, story id)`` per article, in input order.

    See :func:`cluster_batch`; ``analyses`` (by article id), where given, mask boilerplate.
    ``embedder=None`` clusters without embeddings.
    """
    given = list(articles)
    embedder = default_embedder() if embedder == "default" else embedder
    pairs = ((a, (analyses or {}).get(a.id)) for a in given)
    stories = cluster_batch(featurise(pairs, embedder), threshold=threshold)
    story_of = {article_id: story["id"] for story in stories for article_id in story["articles"]}
    return [(a.id, story_of[a.id]) for a in given]


def cluster_batch(
    featured: Iterable[tuple[ArticleFeatures, np.ndarray | None]],
    *,
    threshold: float | None = None,
    models: dict[str, JoinModel] | None = None,
    split: bool = True,
) -> list[dict[str, Any]]:
    """Batch clustering of a known set: the online pass in publication order, then each story split
    where it holds two events (:mod:`storyweave.story_split`). Returns the stories (as
    :meth:`StoryClusterer.stories`), in the order they were started.

    With the whole set known the online pass runs at a lower join probability
    (:func:`~storyweave.story_model.batch_online_threshold`), since the split undoes its merges;
    ``threshold`` overrides it, and ``split=False`` gives the online pass alone. Memory: the features
    of every article (not their texts) are held until the end.
    """
    from storyweave.story_model import batch_online_threshold
    from storyweave.story_split import Member, split_group

    ordered = sorted(featured, key=lambda fe: (fe[0].day if fe[0].day is not None else 10**9, fe[0].article_id))
    online = threshold if threshold is not None else (batch_online_threshold() if split else None)
    clusterer = StoryClusterer(threshold=online, models=models)
    for features, embedding in ordered:
        clusterer.add(features, embedding)
    stories = clusterer.stories()
    if not split:
        return stories
    by_id = {features.article_id: features for features, _embedding in ordered}
    out: list[dict[str, Any]] = []
    for story in stories:
        members = [by_id[i] for i in story["articles"]]
        parts = split_group([Member(f.keys, f.terms) for f in members], clusterer.models["split"], clusterer._idf)
        if len(parts) == 1:
            out.append(story)
            continue
        for part in parts:
            out.append(clusterer.summary([members[i] for i in part]))
    return out


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
    """Cluster every article of ``store`` (:func:`cluster_batch`) and save the stories into it.

    One pass reads articles and their stored analyses in chunks and keeps only features (not
    texts). Stories saved before are replaced. Stored analyses, where present, mask boilerplate.
    Returns the stories as dicts: id, title, articles, size, first/last published, keywords.
    """
    embedder = default_embedder() if embedder == "default" else embedder

    def with_analyses() -> Iterator[tuple[Article, ArticleAnalysis | None]]:
        for chunk in batched(store.iter_articles(), 256):
            analyses = {a.article.id: a for a in store.load_analyses([a.id for a in chunk])}
            yield from ((a, analyses.get(a.id)) for a in chunk)

    stories = cluster_batch(featurise(with_analyses(), embedder), threshold=threshold)
    store.delete_stories()
    for story in stories:
        meta = {k: v for k, v in story.items() if k not in ("id", "title", "articles")}
        store.save_story(story["id"], story["articles"], title=story["title"], meta=meta)
    return stories
