"""Absolute and relative date expressions, resolved where the evidence allows.

The per-article stage finds dates with regular expressions over the text ("March 14, 2019",
"14 March", "Oct. 3–4", "in June 2018", "on Friday", "last week", "two days ago") and
resolves them against the publication date, or a missing year against an explicit month-and-year
date earlier in the same article. Each mention keeps what it needs for the corpus stages: its
unresolved rule, the agent of its clause, the names and content lemmas around it.

Across articles, an expression left open in one article is resolved from the same event dated in
another ("on Thursday" here, "on March 14, 2019" there, with the same agent doing a related thing,
and March 14, 2019 being a Thursday). A month and day left without a year in an article without a
publication date takes the year that puts it nearest the other articles' publication dates. The same
event dated differently is a discrepancy.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from storyweave.language.document import chain_names, sentence_of
from storyweave.model import ArticleAnalysis, Corpus, DateMention, Discrepancy, stable_id
from storyweave.pipeline import Context, stage
from storyweave.temporal import (
    FoundDate,
    find_dates,
    iso,
    month_range,
    months,
    resolve_rule,
    seasons,
    weekdays,
    with_year,
    year_free,
    year_near,
)

# --------------------------------------------------------------------------- context of a mention

_FUTURE_WORDS = frozenset(
    {"will", "shall", "'ll", "going", "due", "set", "scheduled", "expected", "plan", "planned", "would"}
)
_GENERIC_LEMMAS = frozenset(
    {
        "say",
        "be",
        "have",
        "do",
        "tell",
        "report",
        "add",
        "make",
        "take",
        "get",
        "go",
        "come",
        "also",
        "week",
        "month",
        "year",
        "day",
        "time",
        "people",
        "thing",
        "way",
        "part",
        "include",
        "accord",
    }
)


def _is_future(token: Any) -> bool:
    """Whether the clause around ``token`` speaks of the future ("will meet on Friday", "set for")."""
    for head in [token, *list(token.ancestors)[:4]]:
        if head.pos_ in {"VERB", "AUX", "ADJ"}:
            words = {c.lower_ for c in head.children if c.dep_ in {"aux", "auxpass"}} | {head.lower_}
            if words & _FUTURE_WORDS:
                return True
            if head.pos_ == "VERB":
                return False
    return False


def _agent(token: Any, pronouns: dict[int, str], bounds: tuple[int, int], people: list[str]) -> str | None:
    """The subject of the nearest clause above ``token``: who did the thing the date dates.

    Only subjects inside the mention's own sentence count (a heading glued to the sentence by the
    parser is not its subject); failing that, the first person named in the sentence."""
    lo, hi = bounds
    for head in [token, *token.ancestors]:
        if head.pos_ not in {"VERB", "AUX"}:
            continue
        subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass", "agent"} and lo <= c.idx < hi]
        if not subjects:
            continue
        subject = min(subjects, key=lambda c: abs(c.i - head.i))
        if subject.dep_ == "agent":
            objs = [c for c in subject.children if c.dep_ == "pobj"]
            if not objs:
                continue
            subject = objs[0]
        if subject.pos_ == "PRON":
            name = pronouns.get(subject.idx)
            if name:
                return name
            continue
        name = _entity_at(subject)
        if name is not None:
            return name
        left = subject.left_edge.i
        while left < subject.i and subject.doc[left].idx < lo:
            left += 1
        return subject.doc[left : subject.i + 1].text
    return people[0] if people else None


def _entity_at(token: Any) -> str | None:
    """The text of the named entity ``token`` belongs to, when it names an actor."""
    if token.ent_type_ not in _ACTOR_LABELS:
        return None
    doc, start, end = token.doc, token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return str(doc[start:end].text)


_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def _window(analysis: ArticleAnalysis, sentence: int) -> list[int]:
    """The sentence and its neighbours, leaving out boilerplate."""
    out = []
    for i in (sentence - 1, sentence, sentence + 1):
        if 0 <= i < len(analysis.sentences) and not analysis.sentences[i].skip:
            out.append(i)
    return out


def _names_by_sentence(analysis: ArticleAnalysis, starts: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(label, text) of the named actors in each sentence, from the parse and the entity mentions,
    collected in one pass so that long articles stay linear."""
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for ent in analysis.doc.ents:
        if ent.label_ in _ACTOR_LABELS:
            out[sentence_of(starts, ent.start_char)].append((ent.label_, ent.text))
    for m in analysis.mentions:
        if m.kind == "name" and m.sentence >= 0:
            out[m.sentence].append((m.label, m.name or m.span.text))
    return out


@lru_cache(maxsize=1)
def _calendar_words() -> frozenset[str]:
    return frozenset(months()) | frozenset(weekdays()) | frozenset(seasons())


def _sentence_cues(analysis: ArticleAnalysis, index: int, cache: dict[int, set[str]]) -> set[str]:
    """Content lemmas (nouns and verbs, no stop words or calendar words) of one sentence, once."""
    if index not in cache:
        span = analysis.sentences[index].span
        chunk = analysis.doc.char_span(span.start, span.end, alignment_mode="expand")
        skip = _GENERIC_LEMMAS | _calendar_words()
        cache[index] = {
            t.lemma_.lower()
            for t in chunk or ()
            if t.pos_ in {"NOUN", "VERB"} and not t.is_stop and t.lemma_.isalpha() and t.lemma_.lower() not in skip
        }
    return cache[index]


def _context_features(
    analysis: ArticleAnalysis,
    sentence: int,
    names: dict[int, list[tuple[str, str]]],
    cue_cache: dict[int, set[str]],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names and content lemmas of the window around a sentence."""
    actors: set[str] = set()
    cues: set[str] = set()
    for i in _window(analysis, sentence):
        actors.update(text for _, text in names.get(i, []))
        cues |= _sentence_cues(analysis, i, cue_cache)
    return tuple(sorted(actors)), tuple(sorted(cues))


# --------------------------------------------------------------------------- the article stage


def _published(analysis: ArticleAnalysis) -> date | None:
    if not analysis.article.published:
        return None
    try:
        return date.fromisoformat(analysis.article.published[:10])
    except ValueError:
        return None


class _YearAnchors:
    """Explicit month-and-year dates of one article, for lending a year to those without one."""

    def __init__(self, found: list[FoundDate], text: str) -> None:
        self.anchors = [f for f in found if f.anchors_year and f.value]
        self.ends = [f.end for f in self.anchors]
        self.text = text

    def before(self, position: int) -> tuple[date, str] | None:
        """The nearest anchor ending before ``position`` (or the first one, if none precedes)."""
        if not self.anchors:
            return None
        k = bisect_right(self.ends, position) - 1
        chosen = self.anchors[k] if k >= 0 else self.anchors[0]
        assert chosen.value is not None
        return date.fromisoformat(chosen.value[:10]), self.text[chosen.start : chosen.end]


def _resolve_in_article(
    f: FoundDate, anchors: _YearAnchors, published: date | None, future: bool
) -> tuple[str | None, str | None, str | None]:
    """(value, resolved_from, rule) for one mention using only its own article."""
    if f.value is not None:
        return f.value, None, f.rule
    rule = f.rule
    assert rule is not None
    if f.relative:
        if rule.startswith("weekday") and rule.endswith("past") and future:
            rule = rule.replace("past", "future")
        if published is None:
            return None, None, rule
        return resolve_rule(rule, published), f"published date {iso(published)}", rule
    anchor = anchors.before(f.start)
    if anchor is not None:
        base, how = anchor[0], f"year from '{anchor[1]}' in the same article"
    elif published is not None:
        base, how = published, f"year from published date {iso(published)}"
    else:
        return None, None, rule
    return with_year(f, base), how, rule


def extract_dates(analysis: ArticleAnalysis) -> tuple[DateMention, ...]:
    """Date mentions of one parsed article, resolved where the article alone allows."""
    doc = analysis.doc
    text = analysis.article.text
    published = _published(analysis)
    starts = [s.span.start for s in analysis.sentences]
    pronouns = chain_names(analysis)
    found = [f for f in find_dates(text) if not analysis.skipped(f.start, f.end)]
    out: list[DateMention] = []
    features: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    names = _names_by_sentence(analysis, starts) if found else {}
    cue_cache: dict[int, set[str]] = {}
    anchors = _YearAnchors(found, text)
    for f in found:
        span = doc.char_span(f.start, f.end, alignment_mode="expand")
        token = span.root if span is not None and len(span) else None
        value, how, rule = _resolve_in_article(f, anchors, published, token is not None and _is_future(token))
        sentence = sentence_of(starts, f.start)
        if sentence not in features:
            features[sentence] = _context_features(analysis, sentence, names, cue_cache) if sentence >= 0 else ((), ())
        actors, cues = features[sentence]
        people = [text for label, text in names.get(sentence, []) if label == "PERSON"]
        out.append(
            DateMention(
                id=stable_id("t", analysis.id, f.start, f.end),
                span=analysis.span(f.start, f.end),
                value=value,
                resolved_from=how,
                relative=f.relative,
                sentence=sentence,
                rule=rule,
                agent=_agent(token, pronouns, _bounds(analysis, sentence, f), people) if token is not None else None,
                actors=actors,
                cues=cues,
                context=analysis.sentences[sentence].span if sentence >= 0 else None,
            )
        )
    return tuple(out)


def _bounds(analysis: ArticleAnalysis, sentence: int, f: FoundDate) -> tuple[int, int]:
    if sentence < 0:
        return (f.start, f.end)
    span = analysis.sentences[sentence].span
    return (span.start, span.end)


@stage("dates", scope="article", requires={"doc", "sentences", "flags", "mentions"}, assigns={"dates"}, order=70)
def dates(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """Date mentions with values where the article itself (or its publication date) fixes them."""
    if analysis.doc is None:
        return analysis
    return replace(analysis, dates=extract_dates(analysis))


# --------------------------------------------------------------------------- across articles

#: An open weekday is resolved from another article's date of the same event when the agent
#: matches and the sentences share content words, or the sentences are this similar.
SAME_EVENT_SIMILARITY = 0.5
#: Without a matching agent, only near-paraphrases count as the same event.
PARAPHRASE_SIMILARITY = 0.75
#: Lending a year to the same month and day needs only some shared context.
YEAR_CONTEXT_SIMILARITY = 0.35


def _fold(name: str) -> str:
    folded = re.sub(r"[^a-z ]", " ", anyascii(name).lower())
    words = [w for w in folded.split() if w not in {"mr", "mrs", "ms", "dr", "the", "s"}]
    return words[-1] if words else ""


def _entity_keys(corpus: Corpus) -> dict[str, str]:
    """Folded surface form -> entity id, from the resolved entities (when the stage has run)."""
    keys: dict[str, str] = {}
    for e in corpus.entities:
        for form in (e.name, *e.aliases, *(m.text for m in e.mentions_of_kind("name", "nominal"))):
            keys.setdefault(" ".join(anyascii(form).lower().split()), e.id)
    return keys


def _same_actor(a: str | None, b: str | None, keys: dict[str, str]) -> bool:
    if not a or not b:
        return False
    ka, kb = keys.get(" ".join(anyascii(a).lower().split())), keys.get(" ".join(anyascii(b).lower().split()))
    if ka and kb:
        return ka == kb
    fa, fb = _fold(a), _fold(b)
    return bool(fa and fb and len(fa) > 2 and fuzz.ratio(fa, fb) >= 85)


def _actor_keys(d: DateMention, keys: dict[str, str]) -> set[str]:
    """Blocking keys for the people and bodies around a date: the resolved entity when known, and
    the first letters of the folded surname, which transliteration variants share."""
    out: set[str] = set()
    for name in (d.agent, *d.actors):
        if not name:
            continue
        entity = keys.get(" ".join(anyascii(name).lower().split()))
        if entity:
            out.add(entity)
        folded = _fold(name)
        if len(folded) > 2:
            out.add("~" + folded[:5])
    return out


class _ActorMatcher:
    """Actor comparisons, each answered once: a large corpus repeats the same few names in
    thousands of candidate pairs, and every fresh test transliterates and folds both names."""

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = keys
        self.pairs: dict[tuple[str | None, str | None], bool] = {}
        self.groups: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] = {}

    def same(self, a: str | None, b: str | None) -> bool:
        found = self.pairs.get((a, b))
        if found is None:
            found = self.pairs[(a, b)] = _same_actor(a, b, self.keys)
        return found

    def shared(self, a: DateMention, b: DateMention) -> bool:
        """Whether any actor around one date is an actor around the other."""
        found = self.groups.get((a.actors, b.actors))
        if found is None:
            found = any(self.same(x, y) for x in a.actors for y in b.actors)
            self.groups[(a.actors, b.actors)] = found
        return found


def _shared_cues(a: DateMention, b: DateMention) -> int:
    return len(set(a.cues) & set(b.cues))


class _Similarity:
    """Sentence similarity of date contexts, embedding each sentence at most once."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.cache: dict[str, Any] = {}

    def prime(self, mentions: Iterable[DateMention]) -> None:
        texts = sorted({m.context.text for m in mentions if m.context is not None and m.context.text not in self.cache})
        if texts:
            self.cache.update(zip(texts, self.ctx.embedder.encode(texts), strict=True))

    def __call__(self, a: DateMention, b: DateMention) -> float:
        if a.context is None or b.context is None:
            return 0.0
        self.prime([a, b])
        return float(self.cache[a.context.text] @ self.cache[b.context.text])


def _single_day(value: str | None) -> date | None:
    if value is None or "/" in value:
        return None
    return date.fromisoformat(value)


def _month_day_key(d: DateMention) -> str | None:
    """The year-free form of a dated mention ("--03-14", "--10-03/--10-04")."""
    if d.value is None or d.relative:
        return None
    parts = d.value.split("/")
    if len(parts) == 2 and parts[0][:7] != parts[1][:7]:
        return None  # a year or a span across months: not a month-and-day form
    if len(parts) == 2 and parts[0][5:7] == "02" and parts[1][8:] == "29":
        parts[1] = parts[1][:8] + "28"  # February's length depends on the year
    return year_free(d.value if len(parts) == 1 else "/".join(parts))


def _describe(d: DateMention) -> str:
    return f"'{d.span.text}'"


def resolve_across(corpus: Corpus, ctx: Context) -> Corpus:
    """Give open dates the values that other articles' dates of the same event imply."""
    keys = _entity_keys(corpus)
    actors = _ActorMatcher(keys)
    similarity = _Similarity(ctx)
    mentions = {d.id: d for a in corpus.analyses for d in a.dates}
    changed = True
    rounds = 0
    while changed and rounds < 3:
        changed = False
        rounds += 1
        by_month_day: dict[str, list[DateMention]] = defaultdict(list)
        by_weekday: dict[tuple[int, str], dict[str, DateMention]] = defaultdict(dict)
        for d in mentions.values():
            key = _month_day_key(d)
            if key:
                by_month_day[key].append(d)
            day = _single_day(d.value)
            if day is not None and not d.relative:
                for actor in _actor_keys(d, keys):
                    by_weekday[(day.weekday(), actor)][d.id] = d
        for d in sorted(mentions.values(), key=lambda m: m.id):
            if d.value is not None or d.rule is None:
                continue
            resolved: DateMention | None = None
            if d.rule.startswith("--"):
                resolved = _year_from_same_date(d, by_month_day.get(d.rule, []), actors, similarity)
            elif d.rule.startswith("weekday") and d.rule.split()[2] in {"past", "future", "last", "this"}:
                weekday = int(d.rule.split()[1])
                found = {c.id: c for k in _actor_keys(d, keys) for c in by_weekday.get((weekday, k), {}).values()}
                candidates = [found[i] for i in sorted(found)]
                resolved = _weekday_from_same_event(d, candidates, actors, similarity)
            if resolved is not None:
                mentions[d.id] = resolved
                changed = True
    undated = {a.id for a in corpus.analyses if _published(a) is None}
    for d in _year_from_the_story(mentions, corpus, undated):
        mentions[d.id] = d
    for d in _relative_to_sentence_dates(mentions, undated):
        mentions[d.id] = d
    return _with_mentions(corpus, mentions)


def _year_from_the_story(mentions: dict[str, DateMention], corpus: Corpus, undated: set[str]) -> list[DateMention]:
    """A month and day still without a year, in an article without a publication date, takes the
    year that puts it nearest the other articles' publication dates: accounts of one story are
    written within days of each other. Written dates with a year are no anchor (they are as often
    background, "the dam was built on May 2, 1987"); with no dated article the date stays open."""
    published = {a.id: p for a in corpus.analyses if (p := _published(a)) is not None}
    out = []
    for d in mentions.values():
        if d.value is not None or d.relative or not (d.rule or "").startswith("--") or d.span.article not in undated:
            continue
        anchors = [p for article, p in published.items() if article != d.span.article]
        assert d.rule is not None
        value = year_near(d.rule, anchors)
        if value is not None:
            lo, hi = min(anchors), max(anchors)
            span = iso(lo) if lo == hi else f"{iso(lo)} to {iso(hi)}"
            out.append(
                replace(d, value=value, resolved_from=f"year from the other articles' publication dates ({span})")
            )
    return out


#: Relative expressions that, in an article without a publication date, count from a date given
#: earlier in the same sentence: "On March 3 the minister said the plant would close next week"
#: (reported speech counts from when it was said). Deictic words (yesterday, today) are left alone.
_SENTENCE_RELATIVE = ("week ", "month ", "year ", "weekday ")


def _relative_to_sentence_dates(mentions: dict[str, DateMention], undated: set[str]) -> list[DateMention]:
    by_sentence: dict[tuple[str, int], list[DateMention]] = defaultdict(list)
    for d in mentions.values():
        if d.span.article in undated and d.sentence >= 0:
            by_sentence[(d.span.article, d.sentence)].append(d)
    out = []
    for group in by_sentence.values():
        group.sort(key=lambda m: m.span.start)
        for i, d in enumerate(group):
            if d.value is not None or not d.relative or not (d.rule or "").startswith(_SENTENCE_RELATIVE):
                continue
            if d.rule and d.rule.startswith("weekday") and not d.rule.endswith(("future", "next")):
                continue
            anchors = [a for a in group[:i] if _single_day(a.value) is not None]
            if not anchors:
                continue
            anchor = anchors[-1]
            base = _single_day(anchor.value)
            assert base is not None
            assert d.rule is not None
            value = resolve_rule(d.rule, base)
            if value is not None:
                how = f"relative to {_describe(anchor)} ({anchor.value}) earlier in the same sentence"
                out.append(replace(d, value=value, resolved_from=how))
    return out


def _year_from_same_date(
    d: DateMention, candidates: list[DateMention], actors: _ActorMatcher, similarity: _Similarity
) -> DateMention | None:
    """A year-less "March 14" takes its year from the same month and day dated with a year
    elsewhere, in the same article or in another one about the same event."""
    scored = []
    related = []  # (candidate, shares an actor, shared content lemmas): the cheap tests first
    for c in candidates:
        if c.value is None or c.id == d.id:
            continue
        if c.span.article == d.span.article:
            scored.append((3.0, c))
            continue
        shared = actors.same(d.agent, c.agent) or actors.shared(d, c)
        cues = _shared_cues(d, c)
        if shared or cues:
            related.append((c, shared, cues))
    similarity.prime([d, *(c for c, _, _ in related)])
    for c, shared, cues in related:
        sim = similarity(d, c)
        if not (shared and cues) and sim < YEAR_CONTEXT_SIMILARITY:
            continue
        scored.append((sim + 0.1 * cues + (0.5 if shared else 0.0) + (0.2 if c.resolved_from is None else 0.0), c))
    if not scored:
        return None
    scored.sort(key=lambda sc: (-sc[0], sc[1].id))
    best = scored[0][1]
    years = {c.value[:4] for s, c in scored if c.value and s >= scored[0][0] - 1e-9}
    if len(years) > 1:
        return None
    assert best.value is not None
    where = "the same article" if best.span.article == d.span.article else f"article {best.span.article}"
    value = best.value
    if (d.rule or "").endswith("-28") and best.value[5:7] == "02":
        value = month_range(int(best.value[:4]), 2)
    return replace(d, value=value, resolved_from=f"year from the same date in {where}: {_describe(best)}")


def _weekday_from_same_event(
    d: DateMention, candidates: list[DateMention], actors: _ActorMatcher, similarity: _Similarity
) -> DateMention | None:
    """ "On Friday" takes the date of the same event dated explicitly in another article, when the
    weekday agrees and the two sentences describe the same agent doing a related thing."""
    related = [
        (c, actors.same(d.agent, c.agent))
        for c in candidates
        if c.span.article != d.span.article and c.value is not None
    ]
    related = [(c, agent) for c, agent in related if agent or actors.shared(d, c)]
    similarity.prime([d, *(c for c, _ in related)])
    scored = []
    for c, agent in related:
        cues = _shared_cues(d, c)
        sim = similarity(d, c)
        if (agent and (cues >= 1 or sim >= SAME_EVENT_SIMILARITY)) or sim >= PARAPHRASE_SIMILARITY:
            explicit = 0.2 if c.resolved_from is None else 0.0
            scored.append((sim + 0.1 * cues + (0.5 if agent else 0.0) + explicit, c))
    if not scored:
        return None
    scored.sort(key=lambda sc: (-sc[0], sc[1].id))
    top = scored[0][0]
    values = {c.value for s, c in scored if s >= top - 0.15}
    if len(values) > 1:
        return None  # two different dates fit about as well: leave it open
    best = scored[0][1]
    return replace(
        d, value=best.value, resolved_from=f"same event dated in article {best.span.article}: {_describe(best)}"
    )


def _with_mentions(corpus: Corpus, mentions: dict[str, DateMention]) -> Corpus:
    analyses = tuple(replace(a, dates=tuple(mentions[d.id] for d in a.dates)) for a in corpus.analyses)
    return replace(corpus, analyses=analyses)


@stage(
    "dates across articles",
    scope="corpus",
    requires={"analyses.dates", "analyses.mentions", "analyses.sentences", "entities", "entity_of_chain"},
    assigns={"analyses.dates"},
    order=20,
)
def dates_across_articles(corpus: Corpus, ctx: Context) -> Corpus:
    """Resolve open dates from the same events dated in other articles."""
    return resolve_across(corpus, ctx)


# --------------------------------------------------------------------------- date discrepancies

#: The same event: same agent, at least this many shared content lemmas and similar sentences.
DISCREPANCY_CUES = 2
DISCREPANCY_SIMILARITY = 0.6


def _interval(value: str) -> tuple[str, str]:
    parts = value.split("/")
    return parts[0], parts[-1]


def _written_date(d: DateMention) -> bool:
    """A single day written out in the text: with its year, or as a month and day whose year
    came from the publication date or a dated mention (the day itself is what the text says)."""
    if not d.value or d.relative or "/" in d.value:
        return False
    return d.resolved_from is None or ((d.rule or "").startswith("--") and d.resolved_from.startswith("year from"))


def _event_words(d: DateMention) -> set[str]:
    """Content words of the date's own sentence, without the date, the agent and calendar words:
    what the agent did then ("visited the site")."""
    if d.context is None:
        return set()
    text = d.context.text[: d.span.start - d.context.start] + " " + d.context.text[d.span.end - d.context.start :]
    agent = set(_EVENT_WORD.findall((d.agent or "").lower()))
    return {
        w
        for w in _EVENT_WORD.findall(anyascii(text).lower())
        if w not in _EVENT_STOP and w not in agent and w not in _calendar_words() and not w.isdigit()
    }


def _stem_overlap(a: set[str], b: set[str]) -> bool:
    """A shared word form ("visit"/"visited"), by a common prefix of at least five letters."""
    short_a = {w[:5] for w in a if len(w) >= 4}
    return bool(short_a & {w[:5] for w in b if len(w) >= 4})


_EVENT_WORD = re.compile(r"[a-z][a-z'-]+")
_EVENT_STOP = frozenset(STOP_WORDS) | _GENERIC_LEMMAS | {"said", "says", "told", "according"}


def date_discrepancies(corpus: Corpus, ctx: Context) -> tuple[Discrepancy, ...]:
    """Written dates of what looks like the same event that do not overlap, across articles.

    Only dates written out in the text take part (a month and day may take its year from the
    publication date; weekdays and relative expressions do not), and only pairs with the same
    agent, a shared event word in the date's own sentence, shared context and similar sentences
    are compared. The agent is the blocking key; identical wordings (republished copies) are
    compared once.
    """
    keys = _entity_keys(corpus)
    similarity = _Similarity(ctx)
    by_agent: dict[str, dict[tuple[str, str, str], DateMention]] = defaultdict(dict)
    for analysis in corpus.analyses:
        for d in analysis.dates:
            if _written_date(d) and d.agent:
                key = keys.get(" ".join(anyascii(d.agent).lower().split())) or _fold(d.agent)
                if key:
                    wording = (d.value or "", d.context.text if d.context is not None else d.span.text, d.span.text)
                    kept = by_agent[key].get(wording)
                    if kept is None or d.id < kept.id:
                        by_agent[key][wording] = d
    pairs: list[tuple[DateMention, DateMention]] = []
    for distinct in by_agent.values():
        members = sorted(distinct.values(), key=lambda m: m.id)
        words = {m.id: _event_words(m) for m in members}
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a.span.article == b.span.article or a.value == b.value:
                    continue
                a0, a1 = _interval(a.value or "")
                b0, b1 = _interval(b.value or "")
                if (a0 <= b1 and b0 <= a1) or _shared_cues(a, b) < DISCREPANCY_CUES:
                    continue
                if _stem_overlap(words[a.id], words[b.id]):
                    pairs.append((a, b))
    similarity.prime(m for pair in pairs for m in pair)  # one batch for every sentence still in question
    found: dict[str, Discrepancy] = {}
    for a, b in pairs:
        if similarity(a, b) < DISCREPANCY_SIMILARITY:
            continue
        spans = tuple(s for s in (a.span, b.span, a.context, b.context) if s is not None)
        ident = stable_id("d", "date", *sorted((a.id, b.id)))
        found[ident] = Discrepancy(
            id=ident,
            about=f"date of the same event: {a.value} vs {b.value}",
            kind="date",
            spans=spans,
            note=f"[{a.span.article}] {_describe(a)} = {a.value}; [{b.span.article}] {_describe(b)} = {b.value}",
        )
    return tuple(found[k] for k in sorted(found))


@stage(
    "date discrepancies",
    scope="corpus",
    requires={"analyses.dates", "analyses.sentences", "entities", "entity_of_chain"},
    assigns={"discrepancies"},
    order=46,
)
def date_discrepancies_stage(corpus: Corpus, ctx: Context) -> Corpus:
    return replace(corpus, discrepancies=corpus.discrepancies + date_discrepancies(corpus, ctx))
