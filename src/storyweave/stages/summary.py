"""Timeline and cited brief: the two views a reader takes in first.

Both are extractive. A timeline entry is a dated sentence (trimmed at clause boundaries when long),
merged across articles when several describe the same thing on the same date. The brief picks a few
sentences: what independent sources agree on first (claims corroborated by the most articles), then
what is disputed and the widest disagreement on a figure, each citing the articles it comes from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from storyweave.language.negation import DENIAL_VERBS
from storyweave.model import (
    BriefSentence,
    Claim,
    ClaimMention,
    Corpus,
    DateMention,
    Discrepancy,
    Quote,
    Span,
    TimelineEntry,
)
from storyweave.pipeline import Context, stage
from storyweave.unionfind import UnionFind

# --------------------------------------------------------------------------- trimming

#: Timeline and brief sentences longer than this are cut to the clauses around what matters.
MAX_CHARS = 220
_CLAUSE_BREAK = re.compile(r"[;:—–]\s+|,\s+(?=[a-z])|\s+--\s+|\s+\(")


def trim_around(text: str, start: int, end: int, limit: int = MAX_CHARS) -> str:
    """``text`` cut at clause boundaries to at most about ``limit`` characters, keeping
    ``text[start:end]``; removed ends are marked with an ellipsis. Nothing is rewritten."""
    text_clean = " ".join(text.split())
    if len(text_clean) <= limit:
        return text_clean
    cuts = sorted({0, len(text), *(m.end() for m in _CLAUSE_BREAK.finditer(text))})
    lo = max(c for c in cuts if c <= start)
    hi = min((c for c in cuts if c >= end), default=len(text))
    # Grow clause by clause while the piece stays within the limit.
    while True:
        prev = max((c for c in cuts if c < lo), default=None)
        nxt = min((c for c in cuts if c > hi), default=None)
        grown = False
        if nxt is not None and nxt - lo <= limit:
            hi, grown = nxt, True
        if prev is not None and hi - prev <= limit:
            lo, grown = prev, True
        if not grown:
            break
    if hi - lo > limit:  # one clause alone is too long: cut it at words around the kept part
        lo = max(lo, min(start, end - limit // 2, hi - limit))
        lo = text.find(" ", lo) + 1 if lo > 0 and text[lo - 1] != " " else lo
        hi = min(hi, max(lo + limit, end))
    elif hi - lo < limit // 2:  # a short clause reads better with its neighbours
        if hi == len(text) and lo > 0:  # the last clause: take in what precedes it
            lo = max(0, hi - limit)
            lo = text.find(" ", lo) + 1 if lo > 0 else 0
        else:
            hi = min(len(text), lo + limit)
    if hi < len(text) and text[hi - 1] != " " and hi > end:
        hi = max(end, text.rfind(" ", end, hi))
    piece = " ".join(text[lo:hi].split()).strip(" ,;:—–-(")
    return ("… " if lo > 0 else "") + piece + (" …" if hi < len(text) else "")


def tidy(text: str) -> str:
    """A list bullet or a quotation mark left unbalanced by sentence splitting, removed."""
    text = re.sub(r"^[-•*]\s+", "", text.strip())
    if text.count('"') % 2 == 1:
        text = text.strip('"').strip()
    if text.count("“") != text.count("”"):
        text = text.strip("“”").strip()
    return text


# --------------------------------------------------------------------------- timeline

#: Two dated sentences with the same date describe the same event when this similar.
SAME_EVENT_SIMILARITY = 0.55


@dataclass(frozen=True, slots=True)
class _Dated:
    mention: DateMention
    text: str
    context: Span


#: A sentence that dates two different things is cut closer around each date.
CLAUSE_CHARS = 120


def _dated(corpus: Corpus) -> list[_Dated]:
    out: list[_Dated] = []
    for analysis in corpus.analyses:
        skipped = {i for i, s in enumerate(analysis.sentences) if s.skip}
        values_in: dict[int, set[str]] = defaultdict(set)
        for d in analysis.dates:
            if d.value is not None:
                values_in[d.sentence].add(d.value)
        for d in analysis.dates:
            if d.value is None or d.context is None or d.sentence in skipped:
                continue
            if analysis.skipped(d.context.start, d.context.end):
                continue
            offset = d.span.start - d.context.start
            limit = CLAUSE_CHARS if len(values_in[d.sentence]) > 1 else MAX_CHARS
            text = tidy(trim_around(d.context.text, offset, offset + len(d.span.text), limit))
            out.append(_Dated(d, text, d.context))
    return out


def build_timeline(corpus: Corpus, ctx: Context) -> tuple[TimelineEntry, ...]:
    """Dated events in date order, one entry per event and date, citing every article that has it."""
    dated = _dated(corpus)
    if not dated:
        return ()
    by_value: dict[str, list[_Dated]] = defaultdict(list)
    for item in dated:
        assert item.mention.value is not None
        by_value[item.mention.value].append(item)
    need = sorted({it.context.text for group in by_value.values() if len(group) > 1 for it in group})
    vectors = dict(zip(need, ctx.embedder.encode(need), strict=True)) if need else {}
    entries: list[TimelineEntry] = []
    for value, group in by_value.items():
        group.sort(key=lambda it: (it.mention.span.article, it.mention.span.start))
        for cluster in _events(group, vectors):
            entries.append(_entry(value, cluster))
    entries.sort(key=lambda e: (e.date.split("/")[0], e.date, e.text))
    return tuple(entries)


def _events(group: list[_Dated], vectors: dict[str, np.ndarray]) -> list[list[_Dated]]:
    """Mentions of one date grouped into events: the same sentence, a date taken from another
    mention, or similar sentences (one matrix product per date, not a Python loop over pairs)."""
    links = UnionFind(len(group))
    first_of: dict[tuple[str, str], int] = {}
    by_context: dict[Span, int] = {}
    for i, item in enumerate(group):
        first_of.setdefault((item.mention.span.article, f"'{item.mention.span.text}'"), i)
        if item.context in by_context:
            links.union(i, by_context[item.context])
        by_context.setdefault(item.context, i)
    for i, item in enumerate(group):
        source = _taken_from(item)
        if source in first_of:
            links.union(i, first_of[source])
    if len(group) > 1 and all(it.context.text in vectors for it in group):
        matrix = np.stack([vectors[it.context.text] for it in group])
        for i, j in zip(*np.nonzero(np.triu(matrix @ matrix.T, 1) >= SAME_EVENT_SIMILARITY), strict=True):
            links.union(int(i), int(j))
    clusters: dict[int, list[_Dated]] = defaultdict(list)
    for i, item in enumerate(group):
        clusters[links.find(i)].append(item)
    return [clusters[k] for k in sorted(clusters)]


_TAKEN_FROM = re.compile(r"in (?:article (?P<article>\w+)|the same article): (?P<quoted>'.*')$")


def _taken_from(item: _Dated) -> tuple[str, str] | None:
    """(article, 'text') of the mention whose date this one took, as its resolution says."""
    m = _TAKEN_FROM.search(item.mention.resolved_from or "")
    if m is None:
        return None
    return (m.group("article") or item.mention.span.article, m.group("quoted"))


def _entry(value: str, cluster: list[_Dated]) -> TimelineEntry:
    # The sentence that states the date itself (not inferred) speaks for the entry; then the shortest.
    lead = min(cluster, key=lambda it: (it.mention.resolved_from is not None, len(it.text), it.mention.span.article))
    spans = sorted({it.context for it in cluster}, key=lambda s: (s.article, s.start))
    return TimelineEntry(
        date=value,
        text=lead.text,
        articles=tuple(sorted({it.mention.span.article for it in cluster})),
        spans=tuple(spans),
    )


@stage(
    "timeline",
    scope="corpus",
    requires={"analyses.dates", "analyses.sentences", "analyses.flags"},
    assigns={"timeline"},
    order=60,
)
def timeline(corpus: Corpus, ctx: Context) -> Corpus:
    """Dated events in order with their sources."""
    return replace(corpus, timeline=build_timeline(corpus, ctx))


# --------------------------------------------------------------------------- brief

#: How many sentences of each kind the brief takes at most, and in total.
MAX_CORE = 2
MAX_REACTIONS = 2
MAX_DISPUTED = 1
MAX_SENTENCES = 7
#: A claim's sentence counts as part of an article's lead with a weight falling from 1 for the
#: first content sentence to 0 at this position: news writing states the event in its first few
#: sentences (headline, lead, a sentence or two of detail).
LEAD_REACH = 5
#: How much being in the leads counts against the number of supporting articles when choosing
#: the core event: news leads state the event; agreement deep in the text is often background.
LEAD_WEIGHT = 1.5
#: Without aligned claims, the first sentences of each article stand in for them, and a lead
#: sentence is corroborated by another article's lead sentence this similar.
LEAD_SENTENCES = 4
LEAD_SIMILARITY = 0.6
#: The fallback compares lead sentences pairwise, so it reads at most this many.
MAX_LEADS = 600
#: Words that stand for a speaker without naming one.
_PRONOUNS = frozenset(
    {"he", "she", "they", "it", "we", "i", "you", "his", "her", "their", "its", "this", "that", "who"}
)


def _claim_span(claim: Claim) -> Span:
    """The mention whose text is the claim's text (the representative), else the first one."""
    for span in claim.mentions:
        if span.text == claim.text:
            return span
    return claim.mentions[0]


class _ClaimText:
    """What the brief needs to know about claim mentions, read once from the analyses: their
    sentences, quotes, speakers, how early in the article they come and how widely covered the
    entities they are about are."""

    def __init__(self, corpus: Corpus) -> None:
        self.mentions: dict[str, ClaimMention] = {m.id: m for a in corpus.analyses for m in a.claims}
        self.sentences: dict[str, list[Span]] = {a.id: [s.span for s in a.sentences] for a in corpus.analyses}
        self.quote_spans: dict[str, list[Span]] = {a.id: [q.span for q in a.quotes] for a in corpus.analyses}
        self.quotes: dict[str, Quote] = {q.id: q for a in corpus.analyses for q in a.quotes}
        self.paragraph_of: dict[str, list[tuple[Span, int]]] = {
            a.id: [(s.span, s.paragraph) for s in a.sentences] for a in corpus.analyses
        }
        # Position of each content sentence (boilerplate left out) in its article.
        self.rank: dict[tuple[str, int], int] = {}
        for a in corpus.analyses:
            content = [s.span for s in a.sentences if not s.skip]
            for i, span in enumerate(content):
                self.rank[(a.id, span.start)] = i
        # Share of the articles that mention each entity, per (article, mention chain).
        covered: dict[str, set[str]] = defaultdict(set)
        for entity in corpus.entities:
            covered[entity.id] = {s.article for s in entity.mentions}
        total = max(1, len(corpus.analyses))
        self.salience: dict[tuple[str, int], float] = {
            (article, chain): len(covered.get(entity, ())) / total for article, chain, entity in corpus.entity_of_chain
        }
        self.inserted: set[tuple[str, int, int]] = {
            (f.span.article, f.span.start, f.span.end)
            for f in (*corpus.flags, *(f for a in corpus.analyses for f in a.flags))
            if f.kind == "insertion"
        }

    # -- one mention

    def members(self, claim: Claim) -> list[ClaimMention]:
        return [self.mentions[m] for m in claim.members if m in self.mentions]

    def _in_quote(self, m: ClaimMention) -> bool:
        """Someone's words rather than the outlet's: linked to a quote, attributed, or inside one."""
        if m.quote is not None or m.attributed:
            return True
        return self._inside_quote(m.span)

    def _inside_quote(self, span: Span) -> bool:
        return any(q.start <= span.start and span.end <= q.end + 1 for q in self.quote_spans.get(span.article, []))

    def direct(self, m: ClaimMention) -> bool:
        """Quoted word for word (rather than reported in the outlet's words)."""
        quote = self.quotes.get(m.quote or "")
        if quote is not None:
            return quote.direct
        return self._inside_quote(m.span)

    def lead(self, span: Span) -> float:
        """1 for the first content sentence of an article, falling to 0 deeper in the text."""
        sentence = self._sentence(span)
        rank = self.rank.get((span.article, sentence.start)) if sentence is not None else None
        return 0.0 if rank is None else max(0.0, 1 - rank / LEAD_REACH)

    def speaker(self, m: ClaimMention) -> str | None:
        """The speaker's name as the article gives it (a pronoun's antecedent when known)."""
        quote = self.quotes.get(m.quote or "")
        for name in (
            m.speaker_span.text if m.speaker_span is not None else None,
            quote.speaker_name if quote is not None else None,
            quote.speaker_span.text if quote is not None and quote.speaker_span is not None else None,
        ):
            if name and name.strip().lower() not in _PRONOUNS:
                return " ".join(name.split())
        return None

    def _framed(self, m: ClaimMention) -> bool:
        """Whether the sentence around quoted words also says who spoke: enough of it lies outside
        every quotation."""
        sentence = self._sentence(m.span)
        if sentence is None:
            return False
        quoted = sum(
            max(0, min(q.end, sentence.end) - max(q.start, sentence.start))
            for q in self.quote_spans.get(m.span.article, [])
        )
        return len(sentence.text) - quoted >= 15

    def text(self, m: ClaimMention | None, span: Span, limit: int = MAX_CHARS) -> str:
        """Extractive text: a plain statement of the outlet as it stands, someone's words with
        the rest of their sentence, so the reader sees who said it."""
        sentence = self._sentence(span) if m is not None and self._in_quote(m) else None
        if sentence is None:
            return tidy(trim_around(span.text, 0, min(len(span.text), 40), limit))
        offset = span.start - sentence.start
        return tidy(trim_around(sentence.text, offset, offset + len(span.text), limit))

    def attributed_text(self, m: ClaimMention, limit: int = MAX_CHARS) -> str | None:
        """Someone's words with their name: the sentence when it names the speaker, else the
        words prefixed with the speaker's name; None when the speaker is unknown."""
        text = self.text(m, m.span, limit)
        name = self.speaker(m)
        if name is None:
            return None
        if name.lower() in text.lower():
            return text
        last = name.split()[-1]
        if last.lower() in text.lower():
            return text
        return f"{name}: {text}"

    # -- one claim

    def representative(self, claim: Claim) -> ClaimMention | None:
        members = self.members(claim)
        if not members:
            return None
        return min(
            members,
            key=lambda m: (
                self._in_quote(m),
                self._in_quote(m) and not self._framed(m),
                m.clause != "main",
                m.span.article,
                m.span.start,
            ),
        )

    def quoted(self, claim: Claim) -> bool:
        rep = self.representative(claim)
        return rep is not None and self._in_quote(rep)

    def __call__(self, claim: Claim, limit: int = MAX_CHARS) -> tuple[str, Span]:
        rep = self.representative(claim)
        span = rep.span if rep is not None else _claim_span(claim)
        return self.text(rep, span, limit), span

    def _sentence(self, span: Span) -> Span | None:
        for sentence in self.sentences.get(span.article, []):
            if sentence.start <= span.start and span.end <= sentence.end:
                return sentence
        return None

    def paragraphs(self, claim: Claim) -> set[tuple[str, int]]:
        """(article, paragraph) of every mention, so one passage is not summarised twice."""
        out = set()
        for span in claim.mentions:
            for sentence, paragraph in self.paragraph_of.get(span.article, []):
                if sentence.start <= span.start < sentence.end:
                    out.add((span.article, paragraph))
                    break
        return out

    def touches_insertion(self, spans: tuple[Span, ...]) -> bool:
        """Whether a span lies in text a republished copy inserted (an opinion, not a report)."""
        return any(
            a == s.article and start <= s.start and s.end <= end for s in spans for (a, start, end) in self.inserted
        )


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}


def _repeats(text: str, chosen: list[BriefSentence]) -> bool:
    """Whether ``text`` says mostly what an already chosen sentence says."""
    words = _words(text)
    for b in chosen:
        other = _words(b.text)
        if words and other and len(words & other) / min(len(words), len(other)) >= 0.7:
            return True
    return False


def _cited_spans(shown: list[Span], spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """The spans whose words a sentence shows, plus one span for each other article it rests on:
    a reader wants each source once, not every repetition within it."""
    keep = list(dict.fromkeys(shown))
    articles = {s.article for s in keep}
    for span in spans:
        if span.article not in articles:
            keep.append(span)
            articles.add(span.article)
    return tuple(sorted(keep, key=lambda s: (s.article, s.start, s.end)))


def _is_reaction(claim: Claim, text_of: _ClaimText) -> bool:
    """A denial or someone's quoted words: what people said about the event, not the event."""
    members = text_of.members(claim)
    if not members:
        return False
    if any(m.cue in DENIAL_VERBS and not m.cue_negated for m in members):
        return True
    return all(text_of.direct(m) for m in members)


def _core_candidate(claim: Claim) -> bool:
    """Agreed by several articles; a contested claim qualifies while its supporters outnumber
    the other articles that contradict it (a lone denial does not unmake the event)."""
    if not claim.mentions or len(claim.supported_by) < 2:
        return False
    if claim.status == "corroborated":
        return True
    if claim.status != "contested":
        return False
    against = {s.article for s in claim.contradicted_by} - set(claim.supported_by)
    return len(against) < len(claim.supported_by)


def _core_score(claim: Claim, text_of: _ClaimText) -> float:
    """More independent supporters, stated in the articles' leads, in the outlets' own words,
    about the entities most articles cover, naming who did what."""
    lead: dict[str, float] = defaultdict(float)
    for span in claim.mentions:
        lead[span.article] = max(lead[span.article], text_of.lead(span))
    members = text_of.members(claim)
    asserted = any(not text_of._in_quote(m) for m in members)
    salience = max((text_of.salience.get((m.span.article, c), 0.0) for m in members for c in m.chains), default=0.0)
    # Names who did what: an actor and what the action was done to, not a bare state ("was closed").
    agent_action = any(m.subject_span is not None and m.obj for m in members)
    return (
        len(claim.supported_by)
        + LEAD_WEIGHT * sum(lead.values())
        + 0.5 * asserted
        + 0.5 * salience
        + 0.5 * agent_action
    )


def _core(claims: tuple[Claim, ...], text_of: _ClaimText) -> list[BriefSentence]:
    """The event itself, as most articles state it near their start."""
    candidates = [c for c in claims if _core_candidate(c) and not _is_reaction(c, text_of)]
    scored = sorted(candidates, key=lambda c: (-_core_score(c, text_of), _claim_span(c).article, c.id))
    out: list[BriefSentence] = []
    seen: set[tuple[str, int]] = set()
    for c in scored:
        members = [m for m in text_of.members(c) if not text_of.direct(m)]
        if members:
            rep = min(members, key=lambda m: (-round(text_of.lead(m.span), 2), m.clause != "main", m.span.article))
            text, shown = text_of.text(rep, rep.span), [rep.span]
            if text_of._in_quote(rep) and text_of.speaker(rep) is None and not rep.attributed:
                continue
        else:
            text, span = text_of(c)
            shown = [span]
        passages = text_of.paragraphs(c)
        if len(text) < 25 or _repeats(text, out) or passages & seen:
            continue
        seen |= passages
        spans = _cited_spans(shown, c.mentions)
        out.append(BriefSentence(text=text, cites=tuple(sorted(set(c.supported_by))), spans=spans))
        if len(out) >= MAX_CORE:
            break
    return out


def _reactions(
    claims: tuple[Claim, ...], text_of: _ClaimText, chosen: list[BriefSentence], used: set[Span]
) -> list[BriefSentence]:
    """What the people involved said, denials first, each naming its speaker."""
    candidates = [
        c for c in claims if c.status in ("corroborated", "contested") and c.mentions and not used & set(c.mentions)
    ]

    def key(c: Claim) -> tuple[object, ...]:
        members = text_of.members(c)
        denial = any(m.cue in DENIAL_VERBS and not m.cue_negated for m in members)
        salience = max((text_of.salience.get((m.span.article, k), 0.0) for m in members for k in m.chains), default=0)
        return (not denial, -len(c.supported_by), -round(salience, 2), _claim_span(c).article, c.id)

    out: list[BriefSentence] = []
    for c in sorted(candidates, key=key):
        spoken = [m for m in text_of.members(c) if text_of._in_quote(m) and text_of.speaker(m) is not None]
        if not spoken:
            continue
        rep = min(spoken, key=lambda m: (not text_of._framed(m), m.clause != "main", m.span.article, m.span.start))
        text = text_of.attributed_text(rep)
        if text is None or len(text) < 25 or _repeats(text, chosen + out):
            continue
        cites = tuple(sorted(set(c.supported_by) or {s.article for s in c.mentions}))
        out.append(BriefSentence(text=text, cites=cites, spans=_cited_spans([rep.span], c.mentions)))
        if len(out) >= MAX_REACTIONS:
            break
    return out


def _disputed(claims: tuple[Claim, ...], text_of: _ClaimText) -> list[BriefSentence]:
    """One sentence per dispute: the contested claim and the account that contradicts it.
    Disputes between reports come before those raised by text a copy inserted."""
    contested = [c for c in claims if c.status == "contested" and c.mentions and c.contradicted_by]
    contested.sort(
        key=lambda c: (
            text_of.touches_insertion(c.mentions + c.contradicted_by),
            text_of.touches_insertion(c.mentions),
            -len({s.article for s in c.mentions + c.contradicted_by}),
            _claim_span(c).article,
            c.id,
        )
    )
    by_span = {s: c for c in contested for s in c.mentions}
    covered: set[Span] = set()
    out: list[BriefSentence] = []
    for c in contested:
        if covered & set(c.mentions):
            continue
        text, shown = text_of(c, CLAUSE_CHARS)
        opponent = sorted(c.contradicted_by, key=lambda s: (s.article, s.start))[0]
        other = by_span.get(opponent)
        other_text = text_of(other, CLAUSE_CHARS)[0] if other is not None else tidy(opponent.text)
        covered |= set(c.mentions) | set(c.contradicted_by)
        cites = tuple(sorted({s.article for s in c.mentions + c.contradicted_by}))
        out.append(
            BriefSentence(
                text=f"Disputed: “{text}” — contradicted by “{other_text}”",
                cites=cites,
                spans=_cited_spans([shown, opponent], c.mentions + c.contradicted_by),
            )
        )
        if len(out) >= MAX_DISPUTED:
            break
    return out


def _spread(d: Discrepancy, values: dict[str, float]) -> float:
    found = [values[q] for q in d.quantities if q in values and values[q] > 0]
    return max(found) / min(found) if len(found) > 1 else 1.0


def _biggest_discrepancy(corpus: Corpus) -> BriefSentence | None:
    """The numeric disagreement with the most articles and the widest spread, in the sources' words."""
    quantities = {q.id: q for a in corpus.analyses for q in a.quantities}
    values = {q.id: q.value for q in quantities.values()}
    numeric = [d for d in corpus.discrepancies if d.kind == "numeric" and d.quantities]
    if not numeric:
        return None
    best = max(
        numeric,
        key=lambda d: (len({quantities[q].span.article for q in d.quantities if q in quantities}), _spread(d, values)),
    )
    members = sorted((quantities[q] for q in best.quantities if q in quantities), key=lambda q: q.value)
    if not members:
        return None
    measure = best.about.split(":", 1)[0]
    quoted = ", ".join(dict.fromkeys(f"“{q.span.text}”" for q in members))  # a copy repeats its original
    return BriefSentence(
        text=f"Figures differ on {measure}: {quoted}.",
        cites=tuple(sorted({q.span.article for q in members})),
        spans=tuple(q.span for q in members),
    )


def _lead_fallback(corpus: Corpus, ctx: Context) -> list[BriefSentence]:
    """Without aligned claims: the lead sentences that most other articles also carry."""
    leads: list[Span] = []
    for analysis in corpus.analyses:
        taken = 0
        for s in analysis.sentences:
            if s.skip or not 40 <= len(s.span.text) <= 400 or s.span.text.rstrip().endswith("?"):
                continue
            leads.append(s.span)
            taken += 1
            if taken >= LEAD_SENTENCES:
                break
        if len(leads) >= MAX_LEADS:
            break
    if len(leads) < 2:
        return []
    texts = sorted({s.text for s in leads})  # a republished copy repeats its original's lead
    row = {t: k for k, t in enumerate(texts)}
    vectors = ctx.embedder.encode(texts)
    sims = vectors[[row[s.text] for s in leads]] @ vectors.T
    # Each copy links to one original; copies of one original (and the original itself) count once.
    origin = {r.copy: r.original for r in corpus.republications}
    scored = []
    for i, span in enumerate(leads):
        alike = set(np.nonzero(sims[i] >= LEAD_SIMILARITY)[0])
        own = origin.get(span.article, span.article)
        support: set[str] = set()
        seen_origins = {own}
        for lead in leads:
            if row[lead.text] in alike and origin.get(lead.article, lead.article) not in seen_origins:
                seen_origins.add(origin.get(lead.article, lead.article))
                support.add(lead.article)
        if support:
            scored.append((-len(support), span.article, span.start, i, support))
    scored.sort()
    out: list[BriefSentence] = []
    for _, _, _, i, support in scored:
        span = leads[i]
        text = trim_around(span.text, 0, 1)
        if _repeats(text, out):
            continue
        cites = tuple(sorted(support | {span.article}))
        out.append(BriefSentence(text=text, cites=cites, spans=(span,)))
        if len(out) >= MAX_CORE + 1:
            break
    return out


def build_brief(corpus: Corpus, ctx: Context) -> tuple[BriefSentence, ...]:
    """3–7 extractive sentences: the core event first, then what the people involved said,
    the biggest dispute and the biggest discrepancy in a figure."""
    text_of = _ClaimText(corpus)
    core = _core(corpus.claims, text_of) or _lead_fallback(corpus, ctx)
    disputed = _disputed(corpus.claims, text_of)
    used = {s for b in core + disputed for s in b.spans}
    reactions = _reactions(corpus.claims, text_of, core + disputed, used)
    figure = _biggest_discrepancy(corpus)
    brief = core + reactions + disputed + ([figure] if figure else [])
    if len(brief) < 3:
        single = [c for c in corpus.claims if c.status == "single-source" and c.mentions]
        single.sort(key=lambda c: (_claim_span(c).article, _claim_span(c).start))
        for c in single:
            text, span = text_of(c)
            if len(text) >= 40 and not _repeats(text, brief):
                brief.append(BriefSentence(text=text, cites=(span.article,), spans=(span,)))
            if len(brief) >= 3:
                break
    return tuple(brief[:MAX_SENTENCES])


@stage(
    "brief",
    scope="corpus",
    requires={
        "claims",
        "discrepancies",
        "analyses.claims",
        "analyses.quotes",
        "analyses.quantities",
        "analyses.sentences",
        "analyses.flags",
        "republications",
        "entities",
        "entity_of_chain",
        "flags",
    },
    assigns={"brief"},
    order=70,
)
def brief(corpus: Corpus, ctx: Context) -> Corpus:
    """A short cited summary, extractive."""
    return replace(corpus, brief=build_brief(corpus, ctx))
