"""Claims aligned across articles: support, contradiction, insertions, wording.

The ``align`` corpus stage (order 40) groups claim mentions that state the same thing. Candidates
are blocked by shared entities and shared rare lemmas; the survivors are scored with sentence
embeddings (one batch) and lexical overlap. Embeddings cannot tell agreement from contradiction, so
contradiction comes from rules on aligned pairs: opposite polarity with a compatible predicate,
antonymous predicates, an accusation answered by a denial, a denied event ("there was no X", "X
never happened", "X was made up") against an account in which X takes part, a zero count ("nobody
died", "there were no casualties") against a count of people who met that fate, or of things ("no
houses were damaged") against a count of those things harmed, and clearly different exact numbers
of one measure. An agentless passive ("the gates were never opened") is set against an active
clause by what the verb acts on. A claim is
``corroborated`` when at least two *independent* articles state it (a republication, found by the
``republications`` stage, or two articles crediting the same agency for it, count once),
``contested`` when some span contradicts it, else ``single-source``. Participants match by entity,
by shared word forms ("the ferry" / "a ferry that sank") and by what a copular claim says a named
one is ("X was a ferry that …"). Identical wordings are scored once; a claim keeps each opposing
wording once (clearest rule first, capped), with readable evidence: "negation: '<the opposing
words>' (article '<title>')". The same pass flags unattributed assertions that the article's own
body contradicts (inserted editorial text) and records wording discrepancies: one source says a
person accused or alleged something, another that they did not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from storyweave.model import ArticleAnalysis, Claim, ClaimMention, Corpus, Discrepancy, Flag, Span, stable_id
from storyweave.pipeline import Context, stage
from storyweave.relate import relate, texts_to_embed
from storyweave.relate.facts import Facts, add_classifications, corpus_facts
from storyweave.unionfind import UnionFind

#: A blocking key shared by more mentions than this says little and would make blocking quadratic.
MAX_BUCKET = 60


def _blocked_pairs(items: list[Facts]) -> list[tuple[int, int]]:
    """Candidate pairs (by item index) that share an entity or a rare content lemma (buckets
    capped in size)."""
    lemma_freq: dict[str, int] = defaultdict(int)
    for it in items:
        for lemma in set(it.mention.lemmas):
            lemma_freq[lemma] += 1
    buckets: dict[str, list[int]] = defaultdict(list)
    for it in items:
        keys = {"e:" + e for e in it.entities}
        keys |= {"l:" + lemma for lemma in it.mention.lemmas if lemma_freq[lemma] <= MAX_BUCKET}
        if it.mention.cue is not None:  # what one speaker said, as each source characterises it
            keys |= {"s:" + e for e in it.speaker_entities}
        # a zero count meets the counts of the same fate, whatever their wording
        keys |= {"f:" + fate for fate, _ in it.fates}
        if it.zero_count is not None:
            keys |= {"f:" + fate for fate in it.zero_count.fates}
        it.keys = keys
        for k in keys:
            buckets[k].append(it.index)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for members in buckets.values():
        if len(members) < 2 or len(members) > MAX_BUCKET:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                shared[(a, b)] += 1
    return sorted(shared)


def _independent_articles(members: list[Facts], original_of: dict[str, str]) -> tuple[str, ...]:
    """One article per independent source: republications and articles that credit the same
    agency for this claim collapse into one (an original, else the lowest id, stands for it)."""
    articles = sorted({m.article for m in members})
    pos = {a: i for i, a in enumerate(articles)}
    uf = UnionFind(len(articles))
    first_with: dict[str, int] = {}
    for m in members:
        root = original_of.get(m.article, m.article)
        for key in ("r:" + root, *("c:" + c for c in sorted(m.credited))):
            if key in first_with:
                uf.union(first_with[key], pos[m.article])
            else:
                first_with[key] = pos[m.article]
    clusters: dict[int, list[str]] = defaultdict(list)
    for i, a in enumerate(articles):
        clusters[uf.find(i)].append(a)
    return tuple(sorted(min(members, key=lambda a: (a in original_of, a)) for members in clusters.values()))


def _representative(members: list[Facts]) -> ClaimMention:
    """The mention whose text names the claim: a main clause, unattributed first, earliest article."""
    best = min(
        members,
        key=lambda it: (it.mention.clause != "main", it.mention.attributed, it.article, it.mention.span.start),
    )
    return best.mention


@dataclass
class AlignResult:
    claims: tuple[Claim, ...]
    insertion_flags: tuple[Flag, ...]
    wording: tuple[Discrepancy, ...]


#: At most this many opposing wordings are kept per claim (the strongest rules first): fifty
#: copies of one denial are one piece of evidence, not fifty.
MAX_OPPOSING = 6


#: Evidence quotes the opposing words up to this many characters.
EVIDENCE_CHARS = 90


#: Which rules are the clearest evidence of a clash, clearest first.
RULE_STRENGTH = ("accusation-denial", "denial", "debunk", "existence", "count", "negation", "antonym", "number")


def _article_label(analysis: ArticleAnalysis) -> str:
    title = " ".join((analysis.article.title or "").split())
    if title:
        return f"article '{_clip(title, 60)}'"
    return f"article {analysis.id}"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + "…"


def _rule_rank(rules: set[str]) -> int:
    return min(RULE_STRENGTH.index(r) if r in RULE_STRENGTH else len(RULE_STRENGTH) for r in rules)


def _strongest_opposition(
    opposed: dict[int, set[str]],
    members: list[Facts],
    items: list[Facts],
    copies_of: dict[int, list[int]],
    labels: dict[str, str],
) -> tuple[tuple[Span, ...], tuple[str, ...]]:
    """(contradicting spans, readable evidence) for one claim: each opposing wording once, the
    clearest rules first, capped. A wording's span is its first copy, plus its copy in an article
    that states the claim (a clash inside one article is what exposes inserted text)."""
    own_articles = {m.article for m in members}
    ranked = sorted(opposed.items(), key=lambda kv: (_rule_rank(kv[1]), items[kv[0]].article, kv[0]))
    spans: set[Span] = set()
    evidence: list[str] = []
    for rep, rules in ranked[:MAX_OPPOSING]:
        copies = copies_of.get(rep, [rep])
        spans.add(items[copies[0]].mention.span)
        inside = next((k for k in copies if items[k].article in own_articles), None)
        if inside is not None:
            spans.add(items[inside].mention.span)
        rule = min(rules, key=lambda r: _rule_rank({r}))
        m = items[copies[0]].mention
        more = f", and {len(copies) - 1} copies" if len(copies) > 1 else ""
        evidence.append(
            f"{rule}: '{_clip(m.text, EVIDENCE_CHARS)}' ({labels.get(m.span.article, m.span.article)}{more})"
        )
    return tuple(sorted(spans, key=lambda s: (s.article, s.start, s.end))), tuple(evidence)


def align_claims(corpus: Corpus, ctx: Context) -> AlignResult:
    items = corpus_facts(corpus)
    add_classifications(items)
    uf = UnionFind(len(items))
    # Mentions with the same wording (wire copy, republications) are one claim: only one of each
    # wording takes part in blocking and scoring, and its relations apply to all.
    same_wording: dict[tuple[str, bool, bool], list[int]] = defaultdict(list)
    for it in items:
        m = it.mention
        same_wording[(" ".join(m.text.lower().split()), m.negated, m.cue_negated)].append(it.index)
    for members in same_wording.values():
        for k in members[1:]:
            uf.union(members[0], k)
    copies_of = {members[0]: members for members in same_wording.values()}
    pairs = _blocked_pairs([items[i] for i in sorted(copies_of)])
    texts = sorted(texts_to_embed(items, pairs))
    vectors = dict(zip(texts, ctx.embedder.encode(texts), strict=True)) if texts else {}
    contradictions: list[tuple[int, int, str]] = []
    wording: list[tuple[int, int]] = []
    for i, j in pairs:
        a, b = items[i], items[j]
        if a.article == b.article and a.mention.span.overlaps(b.mention.span):
            continue
        rel = relate(a, b, vectors)
        if rel.kind == "same":
            uf.union(i, j)
        elif rel.kind == "contradicts":
            contradictions.append((i, j, rel.reasons[0]))  # between wordings; copies join in below
        elif rel.reasons[0] == "characterisation":
            wording.append((i, j))
    groups: dict[int, list[Facts]] = defaultdict(list)
    for it in items:
        groups[uf.find(it.index)].append(it)
    group_of = {it.index: uf.find(it.index) for it in items}
    # group -> the representative of each opposing wording -> the rules that found the clash
    against: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for i, j, rule in contradictions:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        against[gi][j].add(rule)
        against[gj][i].add(rule)
    original_of = {r.copy: r.original for r in corpus.republications}
    labels = {a.id: _article_label(a) for a in corpus.analyses}
    claims: list[Claim] = []
    for root, grouped in groups.items():
        grouped.sort(key=lambda it: (it.article, it.mention.span.start, it.mention.span.end))
        independent = _independent_articles(grouped, original_of)
        opposed = against.get(root, {})
        if not opposed and len({m.article for m in grouped}) < 2 and all(m.mention.clause != "main" for m in grouped):
            continue
        contradicted_by, evidence = _strongest_opposition(opposed, grouped, items, copies_of, labels)
        status = "contested" if contradicted_by else ("corroborated" if len(independent) >= 2 else "single-source")
        rep = _representative(grouped)
        claims.append(
            Claim(
                id=stable_id("cla", *sorted(m.mention.id for m in grouped)),
                text=rep.text,
                mentions=tuple(m.mention.span for m in grouped),
                status=status,  # type: ignore[arg-type]
                supported_by=independent,
                contradicted_by=contradicted_by,
                members=tuple(m.mention.id for m in grouped),
                evidence=evidence,
                stances=_stances(grouped, contradicted_by),
            )
        )
    claims.sort(key=lambda c: (c.mentions[0].article, c.mentions[0].start, c.id))
    flags = _contradicted_insertions(corpus, items, groups, group_of, against, copies_of, original_of)
    return AlignResult(tuple(claims), flags, _wording_discrepancies(items, wording))


def _stances(members: list[Facts], against: tuple[Span, ...]) -> tuple[tuple[str, str], ...]:
    """Each article's stance towards a claim, as ``storyweave check`` names them: it
    ``supports`` a claim one of its mentions states as fact (not attributed, hedged or put in the
    future), ``discusses`` one it only reports or hedges, ``contradicts`` one it only opposes."""
    stated: dict[str, bool] = {}
    for it in members:
        m = it.mention
        flat = not (m.attributed or m.hedged or m.modality)
        stated[it.article] = stated.get(it.article, False) or flat
    out = {a: "supports" if flat else "discusses" for a, flat in stated.items()}
    for span in against:
        if not stated.get(span.article, False):
            out[span.article] = "contradicts"
    return tuple(sorted(out.items()))


def _contradicted_insertions(
    corpus: Corpus,
    items: list[Facts],
    groups: dict[int, list[Facts]],
    group_of: dict[int, int],
    against: dict[int, dict[int, set[str]]],
    copies_of: dict[int, list[int]],
    original_of: dict[str, str],
) -> tuple[Flag, ...]:
    """Paragraphs whose flat, unattributed assertion the article's own body contradicts, while no
    other source supports it: a voice that breaks from the report it sits in. Sources are counted
    by original, so copies of one article neither support nor outvote each other."""
    existing: dict[str, list[Flag]] = defaultdict(list)
    for f in [f for a in corpus.analyses for f in a.flags] + list(corpus.flags):
        if f.kind == "insertion":
            existing[f.span.article].append(f)
    flags: dict[str, Flag] = {}
    support_of: dict[int, int] = {}
    opposers_of: dict[int, set[str]] = {}

    def support(other: Facts) -> int:
        g = group_of[other.index]
        if g not in support_of:
            support_of[g] = len({original_of.get(x.article, x.article) for x in groups[g]})
        return support_of[g]

    def opposing_articles(g: int) -> set[str]:
        if g not in opposers_of:
            opposers_of[g] = {
                original_of.get(items[k].article, items[k].article)
                for rep in against.get(g, {})
                for k in copies_of.get(rep, [rep])
            }
        return opposers_of[g]

    def contradicted(other: Facts) -> int:
        """How many other articles contradict ``other``'s claim."""
        return len(opposing_articles(group_of[other.index]) - {original_of.get(other.article, other.article)})

    for it in items:
        m = it.mention
        if m.attributed or m.hedged or m.clause != "main":
            continue
        g = group_of[it.index]
        if support(it) > 1 or not against.get(g):
            continue
        own = [items[k] for rep in against[g] for k in copies_of.get(rep, [rep]) if items[k].article == it.article]
        # The body it breaks from is itself flat reporting, and other sources side with the body:
        # they support it or contradict the assertion more. Between equals nothing tells which of
        # the two is the break, so neither is flagged.
        own = [
            o
            for o in own
            if o.mention.paragraph != m.paragraph
            and not o.mention.attributed
            and (support(o) > 1 or contradicted(it) > contradicted(o))
        ]
        if not own:
            continue
        analysis = corpus.analysis(it.article)
        if not 0 <= m.paragraph < len(analysis.paragraphs):
            continue
        para = analysis.paragraphs[m.paragraph]
        if any(f.span.overlaps(para) for f in existing[it.article]):
            continue
        flag = Flag(
            id=stable_id("flg", it.article, para.start, para.end, "insertion"),
            span=para,
            kind="insertion",
            reason=f"unattributed assertion contradicted by the same article: '{_clip(own[0].mention.text, 80)}'",
        )
        flags[flag.id] = flag
    return tuple(sorted(flags.values(), key=lambda f: (f.span.article, f.span.start)))


def _wording_discrepancies(items: list[Facts], pairs: list[tuple[int, int]]) -> tuple[Discrepancy, ...]:
    """Sources that characterise one statement differently ("said X was involved" / "did not
    accuse X"). One discrepancy per pair of accounts: chaining pairs would join accounts of
    different facts through a shared, loosely worded one."""
    out: dict[str, Discrepancy] = {}
    for i, j in pairs:
        a, b = sorted((items[i], items[j]), key=lambda it: (it.article, it.mention.span.start))
        denied = a if a.mention.cue_negated else b
        spans = (a.mention.span, b.mention.span)
        d = Discrepancy(
            id=stable_id("dis", "wording", *(s.key for s in spans)),
            about=denied.mention.core,
            kind="wording",
            spans=spans,
            note=f"one account reports it as said; the other that the speaker did not {denied.mention.cue}",
        )
        out[d.id] = d
    return tuple(sorted(out.values(), key=lambda d: d.id))


@stage(
    "align",
    scope="corpus",
    requires={
        "analyses.claims",
        "analyses.quantities",
        "analyses.mentions",
        "analyses.paragraphs",
        "analyses.sentences",
        "analyses.flags",
        "republications",
        "entity_of_chain",
        "entities",
        "flags",
    },
    assigns={"claims", "discrepancies", "flags"},
    order=40,
)
def align(corpus: Corpus, ctx: Context) -> Corpus:
    """Claims across articles with status, contradicting spans and wording discrepancies."""
    result = align_claims(corpus, ctx)
    known = {f.id for f in corpus.flags}
    return replace(
        corpus,
        claims=result.claims,
        flags=corpus.flags + tuple(f for f in result.insertion_flags if f.id not in known),
        discrepancies=corpus.discrepancies + result.wording,
    )
