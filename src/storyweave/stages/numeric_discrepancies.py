"""Numeric discrepancies: figures for the same thing, from different articles, whose values differ.

Quantities are grouped by what they count (blocked on the measure's lemma, so the work grows with
block sizes, not with all pairs) and the groups whose values differ are reported. The values as
written decide: "at least 12" and "14" differ, and the note says that the qualifier reconciles
them. A count given as risen ("rose to 16") in an article published after another figure's is an
update of it, not a conflict; increments ("two more workers") and parts of a group ("23 of the
injured") are never set against a total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import numpy as np

from storyweave.figures import (
    approximators,
    block_unit,
    event_class,
    figure_events,
    format_value,
    head_word,
    interval,
    is_part,
    is_rise,
    person_nouns,
    values_differ,
)
from storyweave.model import Corpus, Discrepancy, Quantity, Span, stable_id
from storyweave.pipeline import Context, stage
from storyweave.unionfind import UnionFind

#: Two figures in one block are about the same thing when their contexts are this similar (the mean
#: of sentence and event-phrase cosine), and each is the other's best match in its article.
CONTEXT_SIMILARITY = 0.35


#: Figures with no counted noun (bare money, percentages) need much closer contexts.
BARE_CONTEXT_SIMILARITY = 0.6


#: Added to the context score of two figures whose events fall in the same class (both the dead).
SAME_EVENT_BONUS = 0.1


#: Counted nouns this similar share a block ("workers"/"people" 0.67; "soldiers"/"people" lower).
MEASURE_SIMILARITY = 0.6


_SENSES = {"about": "approximate", "upper": "an upper bound", "lower": "a lower bound", "estimate": "an estimate"}


def _block_key(q: Quantity) -> tuple[str, str] | None:
    """Quantities are compared only within a block: same counted lemma and same unit."""
    if q.vague or q.context is None or is_part(q):
        return None
    if q.measure_lemma:
        return (q.measure_lemma, q.unit or "")
    if q.unit:
        return ("", q.unit)
    return None


def _shorten(text: str, limit: int = 180) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + " …"


def _describe(q: Quantity, dates_by_sentence: dict[tuple[str, int], list[str]]) -> str:
    """One value with the context that explains it: hedge, source, time and sentence."""
    parts = [f'[{q.span.article}] "{q.span.text}" = {format_value(q.value)}{" " + q.unit if q.unit else ""}']
    if q.qualifier:
        sense = _SENSES.get(approximators().get(q.qualifier, ""), "qualified")
        parts.append(f"qualified by '{q.qualifier}' ({sense})")
    if q.source:
        parts.append(f"source: {q.source}")
    when = dates_by_sentence.get((q.span.article, q.sentence))
    if when:
        parts.append("when: " + ", ".join(when))
    if q.context is not None:
        parts.append(f'in: "{_shorten(q.context.text)}"')
    return "; ".join(parts)


def _measure_blocks(quantities: list[Quantity], ctx: Context) -> dict[tuple[str, int], list[Quantity]]:
    """Quantities blocked by unit and by counted noun; nouns that name much the same kind of thing
    ("workers" and "people", "houses" and "homes") share a block. Only distinct nouns are
    embedded, so this costs little even for many figures."""
    heads = sorted({head_word(q) for q in quantities if q.measure_lemma})
    cluster: dict[str, int] = {h: k for k, h in enumerate(heads)}
    if len(heads) > 1:
        vectors = ctx.embedder.encode(heads)
        sims = vectors @ vectors.T
        groups = UnionFind(len(heads))
        for a, b in zip(*np.nonzero(sims >= MEASURE_SIMILARITY), strict=True):
            if a < b:
                groups.union(int(a), int(b))
        people = [k for k, h in enumerate(heads) if h in person_nouns() or h in figure_events()]
        for k in people[1:]:
            groups.union(people[0], k)
        cluster = {h: groups.find(k) for k, h in enumerate(heads)}
    blocks: dict[tuple[str, int], list[Quantity]] = defaultdict(list)
    for q in quantities:
        blocks[(block_unit(q), cluster[head_word(q)] if q.measure_lemma else -1)].append(q)
    return {k: v for k, v in blocks.items() if len({q.span.article for q in v}) > 1}


def _pair_scores(members: list[Quantity], vectors: dict[str, np.ndarray]) -> np.ndarray:
    """How alike two figures' contexts are: the mean of sentence and event similarity. Figures
    whose events fall in different classes (the dead and the rescued) never match; two whose
    events share a class match before one whose event is unknown ("the coffins of 11 workers")."""
    sentence = np.stack([vectors[q.context.text] for q in members if q.context is not None])
    event = np.stack([vectors[q.event or q.measure or ""] for q in members])
    scores = 0.5 * (sentence @ sentence.T) + 0.5 * (event @ event.T)
    classes = [event_class(q) for q in members]
    for i, ci in enumerate(classes):
        if ci is None:
            continue
        for j, cj in enumerate(classes):
            if cj is not None:
                scores[i, j] = scores[i, j] + SAME_EVENT_BONUS if cj == ci else -1.0
    return scores


def _mutual_best_links(members: list[Quantity], scores: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Pairs from different articles matched one to one per pair of articles, best scores first:
    an article reports one fact once, so "14 killed" pairs with "20 died", not with "29 in
    hospital", and a figure whose best match is taken by a closer pair ("fined 4 million" with
    "fined 5 million") leaves its own figure to the next best ("took 38.6 million" with "took
    36.8 million"). Every pair that is each other's best match is among them."""
    article_of = [q.span.article for q in members]
    rows, cols = np.nonzero(np.triu(scores >= threshold, k=1))
    candidates = sorted(
        (
            (float(scores[i, j]), int(i), int(j))
            for i, j in zip(rows, cols, strict=True)
            if article_of[i] != article_of[j]
        ),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used: set[tuple[int, str]] = set()
    links: set[tuple[int, int]] = set()
    for _, i, j in candidates:
        if (i, article_of[j]) in used or (j, article_of[i]) in used:
            continue
        used.add((i, article_of[j]))
        used.add((j, article_of[i]))
        links.add((i, j))
    return sorted(links)


def numeric_discrepancies(corpus: Corpus, ctx: Context) -> tuple[Discrepancy, ...]:
    """Groups of figures for the same thing, from different articles, whose values differ."""
    candidates = [q for a in corpus.analyses for q in a.quantities if _block_key(q) is not None]
    blocks = _measure_blocks(candidates, ctx)
    if not blocks:
        return ()
    members_all = [q for qs in blocks.values() for q in qs]
    texts = sorted({q.context.text for q in members_all if q.context is not None})
    texts += sorted({q.event or q.measure or "" for q in members_all} - set(texts))
    vectors = dict(zip(texts, ctx.embedder.encode(texts), strict=True))
    dates_by_sentence: dict[tuple[str, int], list[str]] = defaultdict(list)
    for analysis in corpus.analyses:
        for d in analysis.dates:
            dates_by_sentence[(analysis.id, d.sentence)].append(
                f"'{d.span.text}'" + (f" ({d.value})" if d.value else "")
            )
    published = {a.id: a.article.published for a in corpus.analyses}
    found: list[Discrepancy] = []
    for key, members in sorted(blocks.items()):
        members.sort(key=lambda q: (q.span.article, q.span.start))
        threshold = CONTEXT_SIMILARITY if key[1] >= 0 else BARE_CONTEXT_SIMILARITY
        groups = UnionFind(len(members))
        scores = _pair_scores(members, vectors)
        classes: dict[int, set[str]] = {i: {c} if (c := event_class(q)) else set() for i, q in enumerate(members)}
        # article -> values within each group: an article gives one fact one value, so a chain
        # that would hold two differing values from one article joins two facts.
        values: dict[int, dict[str, set[float]]] = {i: {q.span.article: {q.value}} for i, q in enumerate(members)}
        links = _mutual_best_links(members, scores, threshold)
        # Links between figures of one known event first: that evidence outranks wording alone.
        known = {i for i, c in classes.items() if c}
        for i, j in sorted(links, key=lambda ij: (not {ij[0], ij[1]} <= known, -scores[ij[0], ij[1]], ij)):
            ri, rj = groups.find(i), groups.find(j)
            if ri == rj or len(classes[ri] | classes[rj]) > 1:
                continue  # a chain through an unclassed figure must not join two events
            merged = {a: values[ri].get(a, set()) | values[rj].get(a, set()) for a in values[ri].keys() | values[rj]}
            if any(len(v) > 1 and values_differ(list(v)) for v in merged.values()):
                continue
            groups.union(i, j)
            root = groups.find(i)
            classes[root] = classes[ri] | classes[rj]
            values[root] = merged
        components: dict[int, list[Quantity]] = defaultdict(list)
        for i, q in enumerate(members):
            components[groups.find(i)].append(q)
        for component in components.values():
            if len({q.span.article for q in component}) < 2 or not values_differ([q.value for q in component]):
                continue
            updates = _updates(component, published)
            if not _conflicts(component, updates):
                continue  # every difference is a later report of a risen count
            found.append(_discrepancy(component, dates_by_sentence, updates, published))
    return tuple(sorted(found, key=lambda d: d.id))


def _updates(component: list[Quantity], published: dict[str, str | None]) -> dict[str, list[Quantity]]:
    """Figure id -> the lower figures it updates: a count given as risen ("rose to 16") in an
    article published after theirs reports a change, not a conflict. Undated articles cannot be
    ordered, so their figures are never explained away."""
    out: dict[str, list[Quantity]] = {}
    for q in component:
        when = published.get(q.span.article)
        if not when or not is_rise(q):
            continue
        earlier = [
            p
            for p in component
            if p.span.article != q.span.article
            and p.value < q.value
            and (p_when := published.get(p.span.article))
            and p_when[:10] < when[:10]
        ]
        if earlier:
            out[q.id] = earlier
    return out


def _conflicting_pairs(
    component: list[Quantity], updates: dict[str, list[Quantity]]
) -> list[tuple[Quantity, Quantity]]:
    """Pairs of figures from different articles whose values differ and no update explains."""
    pairs = []
    for i, a in enumerate(component):
        for b in component[i + 1 :]:
            if a.span.article == b.span.article or not values_differ([a.value, b.value]):
                continue
            if a in updates.get(b.id, []) or b in updates.get(a.id, []):
                continue
            pairs.append((a, b) if a.value <= b.value else (b, a))
    return pairs


def _conflicts(component: list[Quantity], updates: dict[str, list[Quantity]]) -> bool:
    return bool(_conflicting_pairs(component, updates))


def _written(q: Quantity) -> str:
    return f"'{q.qualifier + ' ' if q.qualifier else ''}{format_value(q.value)}' [{q.span.article}]"


def _compatibility(pairs: list[tuple[Quantity, Quantity]]) -> str:
    """Which differing figures their qualifiers still reconcile ("at least 12" allows 14): the
    figures differ as written, and the note says how far the hedges bridge them."""
    compatible: list[str] = []
    for a, b in pairs:
        (lo_a, hi_a), (lo_b, hi_b) = interval(a), interval(b)
        if max(lo_a, lo_b) <= min(hi_a, hi_b):
            compatible.append(f"{_written(a)} and {_written(b)}")
    compatible = list(dict.fromkeys(compatible))
    if not compatible:
        return "No qualifier reconciles them."
    if len(compatible) == len({(a.id, b.id) for a, b in pairs}):
        return "As qualified they are compatible: " + "; ".join(compatible) + "."
    return "Compatible as qualified: " + "; ".join(compatible) + "; the others are not."


def _update_notes(
    component: list[Quantity], updates: dict[str, list[Quantity]], published: dict[str, str | None]
) -> str:
    notes = []
    for q in component:
        earlier = updates.get(q.id)
        if not earlier:
            continue
        olds = ", ".join(dict.fromkeys(f"{_written(p)} ({published[p.span.article]})" for p in earlier))
        notes.append(
            f"{_written(q)} ({published[q.span.article]}) is a count that rose, reported after {olds}: "
            "an update, not a conflict."
        )
    return " ".join(notes)


def _discrepancy(
    component: list[Quantity],
    dates_by_sentence: dict[tuple[str, int], list[str]],
    updates: dict[str, list[Quantity]] | None = None,
    published: dict[str, str | None] | None = None,
) -> Discrepancy:
    measure = min((q.measure or q.unit or "" for q in component), key=lambda m: (len(m), m))
    written = (
        f"{q.qualifier + ' ' if q.qualifier else ''}{format_value(q.value)}"
        for q in sorted(component, key=lambda q: q.value)
    )
    values = " / ".join(dict.fromkeys(written))  # a republished copy repeats its original's figure
    spans: list[Span] = [q.span for q in component]
    spans += [q.context for q in component if q.context is not None and q.context not in spans]
    note = "Values differ across articles: " + " | ".join(_describe(q, dates_by_sentence) for q in component)
    updates = updates or {}
    if any(q.qualifier for q in component):
        note += " " + _compatibility(_conflicting_pairs(component, updates))
    if updates:
        note += " " + _update_notes(component, updates, published or {})
    return Discrepancy(
        id=stable_id("d", "numeric", *sorted(q.id for q in component)),
        about=f"{measure}: {values}",
        kind="numeric",
        quantities=tuple(q.id for q in component),
        spans=tuple(spans),
        note=note,
    )


@stage(
    "numeric discrepancies",
    scope="corpus",
    requires={"analyses.quantities", "analyses.dates", "analyses.sentences"},
    assigns={"discrepancies"},
    order=45,
)
def numeric_discrepancies_stage(corpus: Corpus, ctx: Context) -> Corpus:
    """Append numeric discrepancies to whatever other stages already reported."""
    return replace(corpus, discrepancies=corpus.discrepancies + numeric_discrepancies(corpus, ctx))
