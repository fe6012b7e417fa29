"""Which articles support or contradict a claim, and where: ``storyweave check``.

The claim and each article are read by the same per-article stages as ``analyze``; every clause
of the article is then judged against the claim's clauses with :func:`storyweave.relate.relate`
(the judgement the report's claims use), and the article's stance follows from what those
judgements found, weighed by a small logistic model (:mod:`storyweave.relate.stance`):

* ``supports`` — the article states the claim;
* ``contradicts`` — it denies, debunks or states the opposite of it;
* ``discusses`` — it is about the claim without taking it as fact (reports it, hedges it);
* ``unrelated`` — it is about something else.

Evidence is the article's clauses that decided, as character offsets into the text given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from storyweave.ingest import article_id
from storyweave.model import Article, ArticleAnalysis, ClaimMention, Corpus, stable_id
from storyweave.pipeline import Context, new_analysis, run_article_stages
from storyweave.relate import Relation, relate, texts_to_embed
from storyweave.relate.facts import Facts, corpus_facts
from storyweave.relate.stance import STANCES, Judged, stance_features, stance_model

#: At most this many evidence spans per article, strongest first.
MAX_EVIDENCE = 3
#: Clauses sharing no entity or lemma are compared only from this core cosine: below it no rule
#: relates them (the RELATED_COSINE of relate is higher still), so they are unrelated.
BLOCK_COSINE = 0.3
#: Rules whose contradiction decides the stance whatever the model says: in 10,625 FNC-1 training
#: pairs a report called false and an opposite predicate or state never occur, so the model has
#: no weight for them; the others are as clear when the clause is this close to the claim.
OVERRIDING_RULES = frozenset({"debunk", "antonym", "denial", "accusation-denial", "count", "existence"})
#: ... from this core cosine (the contradiction threshold of relate's rules for differing verbs).
OVERRIDE_SCORE = 0.6
#: A batch keeps at most this many claims and texts read (pairs repeat them); then it starts over.
CACHED_READINGS = 4096


@dataclass(frozen=True, slots=True)
class Evidence:
    """One span of the article text: ``text == article_text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Stance:
    """An article's stance towards a claim, how sure the model is, and the spans that decided."""

    id: str
    stance: str  # supports | contradicts | discusses | unrelated
    score: float
    evidence: tuple[Evidence, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "stance": self.stance,
            "score": round(self.score, 4),
            "evidence": [{"start": e.start, "end": e.end, "text": e.text} for e in self.evidence],
        }


def read(text: str, ctx: Context, *, title: str | None = None, source: str = "check") -> ArticleAnalysis:
    """One text through the per-article stages, its offsets kept as given (no normalisation)."""
    article = Article(id=article_id(text), source=source, text=text, title=title)
    return replace(run_article_stages(new_analysis(article), ctx), doc=None)


def read_claim(text: str, ctx: Context) -> ArticleAnalysis:
    """The claim through the per-article stages. A claim that yields no checkable clause (a
    headline without a verb, a question, a label with a colon) is taken whole as one clause,
    its lemmas and polarity read off the parse."""
    article = Article(id=article_id(text), source="claim", text=text)
    analysis = run_article_stages(new_analysis(article), ctx)
    if not analysis.claims and analysis.doc is not None and text.strip():
        analysis = replace(analysis, claims=(_whole_claim(analysis),))
    return replace(analysis, doc=None)


def _whole_claim(analysis: ArticleAnalysis) -> ClaimMention:
    doc = analysis.doc
    text = analysis.article.text
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    content = [t for t in doc if t.is_alpha and not t.is_stop and len(t.text) > 2]
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    return ClaimMention(
        id=stable_id("clm", analysis.id, start, end, "whole"),
        span=analysis.span(start, end),
        text=text[start:end],
        sentence=0,
        negated=any(t.dep_ == "neg" or t.lower_ in ("no", "not", "never") for t in doc),
        hedged="?" in text,
        predicate=root.lemma_.lower() if root is not None else None,
        core=" ".join(text[start:end].rstrip("?!. ").split()),
        lemmas=tuple(sorted({t.lemma_.lower() for t in content})),
    )


def judge(claim: ArticleAnalysis, article: ArticleAnalysis, ctx: Context) -> Judged:
    """Every (claim clause, article clause) relation, with the facts both sides were read as."""
    mine = [replace(f) for f in _facts_of(claim)]
    theirs = [replace(f, index=len(mine) + k) for k, f in enumerate(_facts_of(article))]
    facts = mine + theirs
    pairs = [(c.index, t.index) for c in mine for t in theirs]
    claim_text = " ".join(claim.article.text.split())
    sentences = [s.span.text for s in article.sentences if not s.skip] or [article.article.text]
    texts = sorted(texts_to_embed(facts, pairs) | {claim_text, *sentences})
    vectors = dict(zip(texts, ctx.embedder.encode(texts), strict=True)) if texts else {}
    relations: list[tuple[Facts, Facts, Relation]] = [
        (facts[i], facts[j], _related(facts[i], facts[j], vectors)) for i, j in pairs
    ]
    closeness = [float(vectors[claim_text] @ vectors[s]) for s in sentences]
    return Judged(
        claim=claim, article=article, claim_facts=mine, article_facts=theirs, relations=relations, sentences=closeness
    )


#: Facts of the analyses judged lately, by article id: a batch pairs one text with many claims.
_FACTS: dict[str, list[Facts]] = {}


def _facts_of(analysis: ArticleAnalysis) -> list[Facts]:
    """The facts of one analysis' mentions (without a corpus: entities are known by name)."""
    found = _FACTS.get(analysis.id)
    if found is None:
        if len(_FACTS) >= CACHED_READINGS:
            _FACTS.clear()
        found = _FACTS[analysis.id] = corpus_facts(Corpus(analyses=(analysis,)))
    return found


def _related(a: Facts, b: Facts, vectors: dict[str, np.ndarray]) -> Relation:
    """relate(a, b), for a pair the align stage's blocking would compare (a shared entity, lemma
    or fate, or cores at least ``BLOCK_COSINE`` apart); any other pair is unrelated."""
    cosine = float(vectors[a.mention.core] @ vectors[b.mention.core])
    shared = a.entities & b.entities or set(a.mention.lemmas) & set(b.mention.lemmas) or _fates(a) & _fates(b)
    if not shared and cosine < BLOCK_COSINE:
        return Relation("unrelated", max(0.0, cosine), ("dissimilar",))
    return relate(a, b, vectors)


def _fates(f: Facts) -> set[str]:
    """The fates a mention counts or says no one met (a zero count meets a count by these)."""
    return {fate for fate, _ in f.fates} | set(f.zero_count.fates if f.zero_count is not None else ())


def stance_of(judged: Judged, pair_id: str) -> Stance:
    """The article's stance from its judged relations (the shipped stance model)."""
    model = stance_model()
    x = stance_features(judged)
    probabilities = model.probabilities(x[None, :])[0]
    best = int(np.argmax(probabilities))
    stance, score = STANCES[best], float(probabilities[best])
    opposed = _clear_opposition(judged)
    if opposed is not None:  # the exact override: a clause says the opposite of the claim
        stance, score = "contradicts", opposed
    return Stance(pair_id, stance, score, _evidence(judged, stance))


def _clear_opposition(judged: Judged) -> float | None:
    """The score of the clearest clause that contradicts the claim by a rule the FNC-1 data
    cannot teach (a report called false, an opposite predicate or state, a denial, a zero count or
    a changed figure), when no clause states the claim as closely; else None."""
    against = [r for _, _, r in judged.relations if r.kind == "contradicts" and r.reasons[0] in OVERRIDING_RULES]
    if not against:
        return None
    best = max(r.score for r in against)
    same = max((r.score for _, _, r in judged.relations if r.kind == "same"), default=0.0)
    return best if best >= OVERRIDE_SCORE and best > same else None


def _evidence(judged: Judged, stance: str) -> tuple[Evidence, ...]:
    """The article clauses behind a stance: those that contradict the claim for ``contradicts``,
    those that state it (else the closest) for the others; none for ``unrelated``."""
    if stance == "unrelated":
        return ()
    wanted = {"contradicts"} if stance == "contradicts" else {"same"}
    ranked = sorted(judged.relations, key=lambda r: -r[2].score)
    chosen = [r for r in ranked if r[2].kind in wanted] or [r for r in ranked if r[2].kind != "unrelated"]
    text = judged.article.article.text
    out: dict[tuple[int, int], Evidence] = {}
    for _, other, _rel in chosen:
        span = other.mention.span
        out.setdefault((span.start, span.end), Evidence(span.start, span.end, text[span.start : span.end]))
        if len(out) >= MAX_EVIDENCE:
            break
    return tuple(sorted(out.values(), key=lambda e: e.start))


def check(claim: str, articles: Iterable[tuple[str, str]], ctx: Context | None = None) -> Iterator[Stance]:
    """The stance of each ``(id, text)`` article towards ``claim``, in order."""
    ctx = ctx or Context()
    claim_analysis = read_claim(claim, ctx)
    for pair_id, text in articles:
        yield stance_of(judge(claim_analysis, read(text, ctx, source=pair_id), ctx), pair_id)


def check_pairs(pairs: Iterable[tuple[str, str, str]], ctx: Context | None = None) -> Iterator[Stance]:
    """The stance of each ``(id, claim, text)`` pair; a claim or text met before is read once."""
    ctx = ctx or Context()
    claims: dict[str, ArticleAnalysis] = {}
    texts: dict[str, ArticleAnalysis] = {}
    for pair_id, claim, text in pairs:
        for store in (claims, texts):
            if len(store) > CACHED_READINGS:
                store.clear()
        if claim not in claims:
            claims[claim] = read_claim(claim, ctx)
        if text not in texts:
            texts[text] = read(text, ctx, source=pair_id)
        yield stance_of(judge(claims[claim], texts[text], ctx), pair_id)
