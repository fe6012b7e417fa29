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

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from storyweave.figures import (
    approximators,
    counts_people,
    event_class,
    figure_events,
    interval,
    is_change,
    is_part,
    is_rise,
    person_nouns,
    units,
)
from storyweave.language.negation import DENIAL_VERBS
from storyweave.language.reporting import reporting_verbs
from storyweave.lexicons import lexicon_groups, lexicon_sections
from storyweave.model import (
    ArticleAnalysis,
    Claim,
    ClaimMention,
    Corpus,
    Discrepancy,
    Flag,
    Quantity,
    Span,
    stable_id,
)
from storyweave.pipeline import Context, stage
from storyweave.unionfind import UnionFind

# --------------------------------------------------------------------------- thresholds

#: A blocking key shared by more mentions than this says little and would make blocking quadratic.
MAX_BUCKET = 60
#: Two mentions state the same thing at this core cosine, or at the lower one with lexical overlap.
SAME_COSINE = 0.8
SAME_COSINE_WITH_OVERLAP = 0.65
SAME_OVERLAP = 0.3
#: Opposite polarity counts as contradiction from this core cosine (arguments and predicate must agree).
CONTRADICTION_COSINE = 0.6
#: ... or from this one when both use the same (not light) verb: "the ferry did not sink" against
#: "the MV X sank", where the participant is matched by what a copular claim says it is.
SAME_PREDICATE_CONTRADICTION_COSINE = 0.5
#: An accusation and a denial are compared on looser wording (noun phrase vs clause).
ACCUSATION_DENIAL_COSINE = 0.5
#: "There was no X" against a clause whose subject is X: the rest of the wording may differ widely.
EXISTENCE_COSINE = 0.4
#: Predicates that are not the same lemma or lexicon synonyms must be this close as phrases.
PREDICATE_COSINE = 0.8
#: ... and their lemmas at least this close on their own, so that a shared object does not carry
#: unrelated verbs ("broke the rules" / "complied with the rules").
LEMMA_COSINE = 0.35
#: Exact numbers for the same measure further apart than this are incompatible.
NUMBER_RATIO = 0.1
#: Two accounts of how long one named subject did something ("had been at the controls for 13
#: hours" / "had begun the shift less than three hours before the crash") are worded apart; their
#: durations clash from this core cosine, with the subject shared.
DURATION_COSINE = 0.6
#: Characterisations of one speaker's statement ("said X was involved" vs "did not accuse X of
#: involvement") need the same speaker and a related predicate; the wording may differ this much.
WORDING_COSINE = 0.2

#: Verbs too general to match on their lemma alone ("was", "had"): the phrase must match instead.
LIGHT_VERBS = frozenset({"be", "have", "do", "get", "make", "take", "come", "go"})
ACCUSATION_CUES = frozenset(v for v, tags in reporting_verbs().items() if "of" in tags or "for" in tags) | {
    "allege",
    "claim",
}
_STOP: frozenset[str] = frozenset(STOP_WORDS)
_WORD = re.compile(r"[a-z][a-z'-]+")


# --------------------------------------------------------------------------- alignment features


def _prefix_match(a: str, b: str) -> bool:
    """One word form of the other: "canada"/"canadian", "annex"/"annexation"."""
    if a == b:
        return True
    n = min(len(a), len(b))
    if n < 4:
        return False
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= max(4, int(0.8 * n))


def _words(text: str | None) -> set[str]:
    return {w for w in _WORD.findall((text or "").lower()) if w not in _STOP and len(w) > 2}


def _words_overlap(a: set[str], b: set[str]) -> bool:
    return any(_prefix_match(x, y) for x in a for y in b)


@dataclass
class _Item:
    """A claim mention with what alignment needs about it."""

    mention: ClaimMention
    article: str
    index: int
    entities: frozenset[str]
    subject_entities: frozenset[str]
    object_entities: frozenset[str]
    subject_words: set[str]
    object_words: set[str]
    credited: frozenset[str]
    speaker_entities: frozenset[str]
    speaker_words: set[str]
    quantities: tuple[tuple[float, str, float, float], ...]  # (value, measure or unit, lowest, highest allowed)
    keys: set[str] = field(default_factory=set)
    #: the event this mention says did not happen or was made up: (head word, its entities)
    denied_event: tuple[str, frozenset[str]] | None = None
    #: the fates (dead, injured, ...) of people this mention counts as more than none, with the
    #: counted noun: ("dead", "workers") for "killing at least 12 workers"; and the harms that came
    #: to things it counts: ("harm:flood", "house") for "flooded 300 homes"
    fates: tuple[tuple[str, str], ...] = ()
    #: what a zero count ("nobody died", "there were no casualties", "no houses were damaged")
    #: denies, or None
    zero_count: _ZeroCount | None = None
    #: the verb is a passive without an agent ("the gates were opened"): the subject is acted on
    agentless: bool = False
    #: the article's publication date, and the values the mention gives as a count that rose
    published: str | None = None
    risen: frozenset[float] = frozenset()
    #: the entities and lower-cased word forms of the mention's whole article (shared per article)
    article_entities: frozenset[str] = frozenset()
    article_words: frozenset[str] = frozenset()


def _entities_in(
    analysis: ArticleAnalysis, starts: list[int], span: Span | None, chain_map: dict[tuple[str, int], str]
) -> frozenset[str]:
    if span is None:
        return frozenset()
    out = set()
    for m in analysis.mentions[bisect_left(starts, span.start) : bisect_right(starts, span.end)]:
        if m.span.end > span.end:
            continue
        ent = chain_map.get((analysis.id, m.chain))
        out.add(ent if ent is not None else "name:" + (m.name or m.span.text).lower())
    return frozenset(out)


def _entities_at(
    analysis: ArticleAnalysis, starts: list[int], offset: int, chain_map: dict[tuple[str, int], str]
) -> frozenset[str]:
    """The entities of the name mentions that cover character ``offset``."""
    out = set()
    for m in analysis.mentions[: bisect_right(starts, offset)]:
        if m.span.end > offset:
            ent = chain_map.get((analysis.id, m.chain))
            out.add(ent if ent is not None else "name:" + (m.name or m.span.text).lower())
    return frozenset(out)


def _items(corpus: Corpus) -> list[_Item]:
    chain_map = corpus.entity_map()
    items: list[_Item] = []
    for analysis in sorted(corpus.analyses, key=lambda a: a.id):
        mentions = sorted(analysis.mentions, key=lambda m: m.span.start)
        analysis = replace(analysis, mentions=tuple(mentions))
        starts = [m.span.start for m in mentions]
        cites = [c for c in analysis.article.cites if c.strip()]
        article_entities = frozenset(e for m in mentions if (e := chain_map.get((analysis.id, m.chain))) is not None)
        article_words = frozenset(_WORD.findall(analysis.article.text.lower()))
        for m in analysis.claims:
            ents = frozenset(e for c in m.chains if (e := chain_map.get((analysis.id, c))) is not None) | _entities_in(
                analysis, starts, m.span, chain_map
            )
            sentence = analysis.sentences[m.sentence].span.text if 0 <= m.sentence < len(analysis.sentences) else m.text
            credited = frozenset(c.lower() for c in cites if c.lower() in sentence.lower())
            inside = [q for q in analysis.quantities if m.span.start <= q.span.start and q.span.end <= m.span.end]
            # "two more" has no total to clash with; "by two days" clashes only with another change
            qty = tuple(
                (
                    q.value,
                    (q.measure_lemma or q.measure or q.unit or "").lower() + (" change" if is_change(q) else ""),
                    *interval(q),
                )
                for q in inside
                if not is_part(q) and not q.vague
            )
            items.append(
                _Item(
                    mention=m,
                    article=analysis.id,
                    index=len(items),
                    entities=ents,
                    subject_entities=_entities_in(analysis, starts, m.subject_span, chain_map),
                    object_entities=_entities_in(analysis, starts, m.obj_span, chain_map),
                    subject_words=_words(m.subject),
                    object_words=_words(m.obj),
                    credited=credited,
                    speaker_entities=_entities_in(analysis, starts, m.speaker_span, chain_map),
                    speaker_words=_words(m.speaker_span.text if m.speaker_span is not None else None),
                    quantities=qty,
                    denied_event=_event_of(analysis, starts, m, chain_map),
                    fates=_fates(inside) + _harmed(inside, m),
                    zero_count=_zero_count(m, _entities_in(analysis, starts, m.obj_span, chain_map))
                    or _zero_things(m, _entities_in(analysis, starts, m.subject_span, chain_map)),
                    agentless=_agentless(m),
                    article_entities=article_entities,
                    published=analysis.article.published,
                    risen=frozenset(q.value for q in inside if is_rise(q) or _current_level(q)),
                    article_words=article_words,
                )
            )
    return items


def _event_of(
    analysis: ArticleAnalysis, starts: list[int], m: ClaimMention, chain_map: dict[tuple[str, int], str]
) -> tuple[str, frozenset[str]] | None:
    """The event ``m`` denies, with the entities named by its head word ("Operation X never took
    place": the operation's entity), or None."""
    found = denied_event(m)
    if found is None:
        return None
    word, span, offset = found
    return word, _entities_at(analysis, starts, span.start + offset, chain_map)


_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "their"})
_RELATIVE = re.compile(r"\b(?:that|which|who|whose)\b|,")


def _name_key(text: str | None) -> str:
    """A participant's words without determiners: "The MV Corran" -> "mv corran"."""
    return " ".join(w for w in _WORD.findall((text or "").lower()) if w not in _DETERMINERS)


def _classifications(items: list[_Item]) -> dict[str, set[str]]:
    """What kind of thing each named participant is, from copular claims across the corpus:
    "X was a passenger ferry (that ...)" makes X a ferry, so "the ferry" elsewhere is X. Keys are
    entity ids and determiner-free names; values the head nouns of the classifying phrase."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for it in items:
        m = it.mention
        if m.predicate != "be" or m.negated or m.cue_negated or m.hedged or not m.obj or not m.subject:
            continue
        phrase = _RELATIVE.split(m.obj.lower(), maxsplit=1)[0].split()
        if len(phrase) < 2 or phrase[0] not in ("a", "an") or not m.subject[:1].isupper():
            continue
        head = phrase[-1]
        if not head.isalpha() or head in _STOP:
            continue
        for key in (*it.subject_entities, "n:" + _name_key(m.subject)):
            kinds[key].add(head)
    return kinds


def _add_classifications(items: list[_Item]) -> None:
    """Participants also match by the kind of thing a copular claim says they are."""
    kinds = _classifications(items)
    if not kinds:
        return
    for it in items:
        subject = set().union(
            *(kinds.get(k, set()) for k in (*it.subject_entities, "n:" + _name_key(it.mention.subject)))
        )
        obj = set().union(*(kinds.get(k, set()) for k in (*it.object_entities, "n:" + _name_key(it.mention.obj))))
        it.subject_words |= subject
        it.object_words |= obj


def _blocked_pairs(items: list[_Item]) -> list[tuple[int, int]]:
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


def _side_agrees(ents_a: frozenset[str], words_a: set[str], ents_b: frozenset[str], words_b: set[str]) -> bool:
    return bool(ents_a & ents_b) or _words_overlap(words_a, words_b)


def _agentless(m: ClaimMention) -> bool:
    """A passive without a "by" agent ("the gates were opened on Monday"): its subject is what
    the verb acts on, and a phrase after it only says where or when."""
    return bool(m.subject) and (not m.obj or _opens_with_preposition(m.obj)) and _passive(m)


def _patient_text(it: _Item) -> str | None:
    return it.mention.subject if it.agentless else it.mention.obj


def _patient_heads(it: _Item) -> list[str]:
    """Head nouns of what the verb acts on ("the lock gates of the canal": gates, canal); only
    these match an agentless passive's subject, so "the canal footpath" is not "the canal's gates"."""
    text = _patient_text(it)
    if not it.agentless and _opens_with_preposition(text):
        return []  # "swept through the town": where, not what was acted on
    return [w for w, _ in _phrase_heads(text)]


def _action(it: _Item) -> str:
    """The verb with what it acts on, without the agent ("open the gates of the dam"): how an
    agentless passive and an active clause are compared, since the agent only one of them names
    would weigh on a comparison of whole cores."""
    return f"{_lemma(it.mention)} {_patient_text(it) or ''}".strip()


def _arguments_agree(a: _Item, b: _Item) -> bool:
    """The two mentions are about the same participants: the subjects agree (a shared entity or
    word form), and so do the objects unless one side has none. An agentless passive ("the gates
    were never opened") names no agent: against an active clause ("the authority opened the
    floodgates of the dam") the head nouns of its subject are compared with those of the object,
    which that clause must have. Not a shared entity: a name ("Russian") may qualify other things."""
    if a.agentless != b.agentless:
        return any(_same_noun(x, y) for x in _patient_heads(a) for y in _patient_heads(b))
    if not _side_agrees(a.subject_entities, a.subject_words, b.subject_entities, b.subject_words):
        return False
    if not (a.object_words or a.object_entities) or not (b.object_words or b.object_entities):
        return True
    return _side_agrees(a.object_entities, a.object_words, b.object_entities, b.object_words)


def _existence_denied(a: _Item, b: _Item) -> bool:
    """A denied existence ("there was no X") on one side; X as the other's subject (X happened)."""
    for side, other in ((a, b), (b, a)):
        denied = side.mention.predicate == "exist" and side.mention.negated and not other.mention.negated
        if denied and side.subject_words and _words_overlap(side.subject_words, other.subject_words):
            return True
    return False


# --------------------------------------------------------------------------- denied events

_EVENT_LEXICON = lexicon_sections("event_denial.txt")
HAPPEN_PREDICATES: frozenset[str] = _EVENT_LEXICON["happen"]
FABRICATE_VERBS: frozenset[str] = _EVENT_LEXICON["fabricate"]
FABRICATE_PASSIVE_VERBS: frozenset[str] = _EVENT_LEXICON["fabricate_passive"]
FABRICATION_WORDS: frozenset[str] = _EVENT_LEXICON["fabrication"]
NOT_HAPPENED_PREDICATES: frozenset[str] = _EVENT_LEXICON["not_happened"]
ADDITIONAL_WORDS: frozenset[str] = _EVENT_LEXICON["additional"]
REPORTIVE_NOUNS: frozenset[str] = _EVENT_LEXICON["reportive"]
PROSPECTIVE_PREPOSITIONS: frozenset[str] = _EVENT_LEXICON["prospective_prepositions"]
_CIRCUMSTANCE = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _EVENT_LEXICON["circumstance_prepositions"]))) + r")\s+(.+)"
)
#: Words that end the head of a noun phrase: what follows qualifies it ("the attack on the depot").
_PHRASE_BREAKS: frozenset[str] = _EVENT_LEXICON["phrase_breaks"]
_PHRASE_TOKEN = re.compile(r"[a-z][a-z'-]*|,")
#: A denial put in time ("has not happened yet") leaves the event open.
_PENDING = re.compile(r"\b(?:yet|still|so far|until|anymore|any more)\b")
#: The future or a condition ("will take place", "would be held") says nothing of what happened;
#: a modal with a perfect ("may have exposed") speaks of the past and stays.
_FUTURE = re.compile(
    r"\b(?:will|shall|would|may|might|could|can)\b(?!\s+(?:not\s+|never\s+)?have\b)|\bwon[’']t\b|[’']ll\b"
    r"|\b(?:going|due|set|scheduled|expected|planned|planning|about)\s+to\b"
)
_BE_FORMS = r"(?:is|are|was|were|be|been|being|got|gets|get)"


def _phrase_heads(text: str | None) -> list[tuple[str, int]]:
    """(word, offset) of a noun phrase's heads: the last word before the first preposition,
    relative word or comma ("the attack on the depot": attack), and that of each "of" complement
    ("the site of the explosion": explosion) unless what it complements only speaks of it
    ("reports of the raid"). Alignment has no parse, so this reads the words; a phrase that opens
    with a preposition ("at the plant") is read from the word after it."""
    heads: list[tuple[str, int]] = []
    last: tuple[str, int] | None = None
    collecting = True
    started = False
    for m in _PHRASE_TOKEN.finditer((text or "").lower()):
        word = m.group(0)
        if word == "," or word in _PHRASE_BREAKS:
            if not started:
                continue
            if collecting and last is not None:
                heads.append(last)
            reportive = last is not None and _is_reportive(last[0])
            last = None
            collecting = word == "of" and collecting and not reportive
            continue
        started = True
        if collecting and word not in _STOP and len(word) > 2 and "'" not in word:
            last = (word, m.start())
    if collecting and last is not None:
        heads.append(last)
    return heads


def _is_reportive(noun: str) -> bool:
    return noun in REPORTIVE_NOUNS or noun.removesuffix("s") in REPORTIVE_NOUNS


def _opens_with_preposition(text: str | None) -> bool:
    """A prepositional phrase ("in the capital") is where or when, never what was acted on."""
    first = _PHRASE_TOKEN.search((text or "").lower())
    return first is not None and first.group(0) in _PHRASE_BREAKS


def _passive(m: ClaimMention) -> bool:
    """The mention's verb is in the passive ("was invented", "were made up")."""
    verb = (m.predicate or "").split(" ")[0]
    stem = {"make": "made"}.get(verb, verb[:-1] if verb.endswith("e") else verb)
    return bool(stem) and re.search(rf"\b{_BE_FORMS}\s+(?:\w+\s+)?{re.escape(stem)}", m.text.lower()) is not None


def denied_event(m: ClaimMention) -> tuple[str, Span, int] | None:
    """The event a flat main clause says did not happen or was made up: (head word, the argument
    span it is in, its offset there), or None.

    "The breach never happened", "No such meeting took place", "The strike was fabricated", "The
    attack was a hoax". A denial qualified by anything but the event's own words ("did not take
    place on Monday", "as planned") denies a circumstance, not the event; a hedged, pending or
    future one ("may not have happened", "has not happened yet", "will not take place") denies
    nothing yet."""
    if m.hedged or m.cue_negated or m.clause != "main":
        return None
    text = m.text.lower()
    if _PENDING.search(text) or _FUTURE.search(text):
        return None
    predicate = (m.predicate or "").lower()
    obj_heads = _phrase_heads(m.obj)
    if m.negated:
        if not _says_whether_it_happened(m):
            return None
        speaker = m.speaker_span.text if m.speaker_span is not None else None
        own = (
            _words(m.subject)
            | _words(speaker)
            | set(predicate.split())
            | _words(m.obj if predicate == "take" else None)
        )
        if any(not any(_prefix_match(lemma, w) for w in own) for lemma in m.lemmas):
            return None
        span = m.subject_span
    elif predicate in FABRICATE_VERBS or (predicate in FABRICATE_PASSIVE_VERBS and _passive(m)):
        if obj_heads and m.obj_span is not None and not _opens_with_preposition(m.obj):
            span = m.obj_span
        elif _passive(m):
            span = m.subject_span
        else:
            return None
    elif predicate == "be" and obj_heads and obj_heads[0][0] in FABRICATION_WORDS:
        span = m.subject_span
    else:
        return None
    heads = _phrase_heads(span.text) if span is not None else []
    if span is None or not heads or ADDITIONAL_WORDS.intersection(_WORD.findall(span.text.lower())):
        return None
    word, offset = heads[0]
    return word, span, offset


def _says_whether_it_happened(m: ClaimMention) -> bool:
    predicate = (m.predicate or "").lower()
    return predicate in HAPPEN_PREDICATES or f"{predicate} {_name_key(m.obj)}" in HAPPEN_PREDICATES


def _denial_apart(a: _Item, b: _Item) -> bool:
    """A denied event states one thing only with another word on whether that event happened:
    "the fire never happened" is not "no one was hurt in the fire", however close the wording."""
    if a.denied_event is not None and b.denied_event is not None:
        return a.denied_event[0] != b.denied_event[0]
    for side, other in ((a, b), (b, a)):
        if side.denied_event is not None and not _says_whether_it_happened(other.mention):
            return True
    return False


def _same_noun(a: str, b: str) -> bool:
    """One noun, singular or plural ("breach"/"breaches"); not a longer word built on it
    ("vote"/"voters", "fire"/"firefighters")."""
    return a == b or a.removesuffix("s") == b.removesuffix("s") or a.removesuffix("es") == b.removesuffix("es")


def _takes_part(word: str, entities: frozenset[str], item: _Item) -> bool:
    """The event (``word``, or an entity it names) is a participant of ``item``'s claim, and the
    claim says it happened. As the object of a predicate that stops, plans or speaks of it
    ("called off the strike", "approved the merger"), or after a preposition that looks ahead
    ("braced for the protest"), it is not; nor as the subject of such a predicate in the
    passive ("the summit was postponed"). As an active subject it acts, so it happened ("a
    landslide blocked the line")."""
    m = item.mention
    if (m.cue or "") in NOT_HAPPENED_PREDICATES:
        return False
    stops = (m.predicate or "").lower() in NOT_HAPPENED_PREDICATES
    subject = entities & item.subject_entities or any(_same_noun(word, w) for w, _ in _phrase_heads(m.subject))
    if subject and not (stops and _passive(m)):
        return True
    first = _PHRASE_TOKEN.search((m.obj or "").lower())
    if stops or (first is not None and first.group(0) in PROSPECTIVE_PREPOSITIONS):
        return False
    if entities & item.object_entities or any(_same_noun(word, w) for w, _ in _phrase_heads(m.obj)):
        return True
    return any(_same_noun(word, w) for w in _circumstance_heads(m.text))


def _circumstance_heads(text: str) -> list[str]:
    """Head nouns after prepositions that place a clause in or after an event ("stole data in
    the breach", "prices rose after the attack"): the event is a participant there too."""
    heads = []
    for m in _CIRCUMSTANCE.finditer(text.lower()):
        found = _phrase_heads(m.group(1))
        if found:
            heads.append(found[0][0])
    return heads


def _event_denied(a: _Item, b: _Item) -> bool:
    """One side denies an event (it never happened, or was made up); the other, a flat or hedged
    account in another article or paragraph, has the event take part in it ("the bank confirmed
    the breach", "the breach exposed two million accounts"). The event matches by its head noun
    (singular or plural) or by the entity that word names. Accounts that are negated or about the
    future do not oppose a denial, nor do those that have the event stopped or only planned."""
    if a.article == b.article and a.mention.paragraph == b.mention.paragraph:
        return False
    for side, other in ((a, b), (b, a)):
        if side.denied_event is None:
            continue
        om = other.mention
        if om.negated or om.cue_negated or other.denied_event is not None or _FUTURE.search(om.text.lower()):
            continue
        if _takes_part(*side.denied_event, other):
            return True
    return False


# --------------------------------------------------------------------------- zero counts

NOBODY: frozenset[str] = _EVENT_LEXICON["nobody"]
#: noun -> the fates whose count its absence denies ("no casualties": the dead and the injured)
CASUALTY_NOUNS: dict[str, frozenset[str]] = {
    row.split()[0]: frozenset(row.split()[1:]) for row in _EVENT_LEXICON["casualty_nouns"]
}
EXCEPTIVE_WORDS: frozenset[str] = _EVENT_LEXICON["exceptive"] | ADDITIONAL_WORDS
_NOBODY = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, NOBODY), key=len, reverse=True)) + r")\b(?!\s+of\b)")
_NO_NOUN = re.compile(r"\bno\s+([a-z]+)\b")


@dataclass(frozen=True)
class _ZeroCount:
    """A flat statement that no one met a fate: the fates denied, the person noun it names when it
    names one ("no workers were killed": workers), and the words and entities that qualify it
    ("at the depot"), which the opposing account must share."""

    fates: frozenset[str]
    noun: str | None
    qualifier_words: frozenset[str]
    qualifier_names: frozenset[str]
    qualifier_entities: frozenset[str]


def _fates(quantities: list[Quantity]) -> tuple[tuple[str, str], ...]:
    """(fate, counted noun) of each count of people in a mention that says some met that fate: not
    an upper bound ("up to 12", which allows none), an increment or a part of a group."""
    out = []
    for q in quantities:
        fate = event_class(q)
        if fate is None or q.value <= 0 or q.vague or is_part(q) or not counts_people(q):
            continue
        if approximators().get(q.qualifier or "") == "upper":
            continue
        out.append((fate, (q.measure or "").split()[-1].lower()))
    return tuple(sorted(set(out)))


def _zero_count(m: ClaimMention, obj_entities: frozenset[str]) -> _ZeroCount | None:
    """A negated, flat main clause that no person met a fate: "nobody died at the depot", "no one
    was hurt", "there were no casualties", "no workers were killed". Exceptive or additional words
    ("no one else", "in the second blast") leave it out; so do hedges and the future."""
    if not m.negated or m.hedged or m.cue_negated or m.clause != "main":
        return None
    text = m.text.lower()
    if _PENDING.search(text) or _FUTURE.search(text) or EXCEPTIVE_WORDS.intersection(_WORD.findall(text)):
        return None
    predicate = (m.predicate or "").lower()
    noun: str | None = None
    if predicate == "exist":
        heads = _phrase_heads(m.subject)
        if not heads or heads[0][0] not in CASUALTY_NOUNS:
            return None
        fates = CASUALTY_NOUNS[heads[0][0]]
        qualifier = _words(m.subject) - {heads[0][0]}
    else:
        fate = figure_events().get(predicate)
        if fate is None:
            return None
        found = _NO_NOUN.search(text)
        if _NOBODY.search(text):
            pass
        elif found is not None and found.group(1) in person_nouns():
            noun = found.group(1)
        else:
            return None
        fates = frozenset({fate})
        qualifier = set()
    qualifier |= _words(m.obj)
    names = {w.lower() for w in re.findall(r"\b[A-Z][\w'-]+", m.obj or "")} & qualifier
    return _ZeroCount(fates, noun, frozenset(qualifier - names), frozenset(names), obj_entities)


#: harm verb lemma -> the kind of harm it says things came to ("raze": destroy)
HARM_VERBS: dict[str, str] = dict(row.split() for row in _EVENT_LEXICON["harm"])
#: the general kind, whose denial ("no houses were damaged") covers every kind
GENERAL_HARM = "damage"
#: noun -> the noun standing for its kind ("homes": house)
THING_KINDS: dict[str, str] = {w: row.split()[0] for row in _EVENT_LEXICON["thing_kinds"] for w in row.split()}


def _thing_kind(noun: str) -> str:
    """The kind a counted noun names, singular: "homes" and "houses" are both house."""
    for form in (noun, noun.removesuffix("s"), noun.removesuffix("es")):
        if form in THING_KINDS:
            return THING_KINDS[form]
    return noun.removesuffix("s")


def _harm_of(words: list[str]) -> str | None:
    """The kind of harm the first harm verb among ``words`` (any word form) names."""
    for w in words:
        for verb, kind in HARM_VERBS.items():
            if _prefix_match(w, verb):
                return kind
    return None


def _harmed(quantities: list[Quantity], m: ClaimMention) -> tuple[tuple[str, str], ...]:
    """("harm:<kind>", thing kind) of each count of things the mention says came to harm: "the
    water flooded more than 300 homes" gives ("harm:flood", "house"). Counts of people, amounts
    with a unit, upper bounds, vague figures and parts of a group say nothing of the kind."""
    if m.negated or m.hedged or m.cue_negated:
        return ()
    out = set()
    for q in quantities:
        if q.value <= 0 or q.vague or q.unit is not None or is_part(q) or counts_people(q) or not q.measure:
            continue
        if approximators().get(q.qualifier or "") == "upper":
            continue
        kind = _harm_of([(m.predicate or "").lower(), *_WORD.findall((q.event or "").lower())])
        if kind is not None:
            out.add(("harm:" + kind, _thing_kind(q.measure.split()[-1].lower())))
    return tuple(sorted(out))


def _zero_things(m: ClaimMention, subject_entities: frozenset[str]) -> _ZeroCount | None:
    """A negated, flat main clause that no things of a kind came to a harm: "no houses in the
    town were damaged", "the storm destroyed no bridges". Its words besides the noun ("in the
    town") qualify it as a zero count of people's are qualified; people are left to those."""
    if not m.negated or m.hedged or m.cue_negated or m.clause != "main":
        return None
    text = m.text.lower()
    if _PENDING.search(text) or _FUTURE.search(text) or EXCEPTIVE_WORDS.intersection(_WORD.findall(text)):
        return None
    kind = HARM_VERBS.get((m.predicate or "").lower())
    found = _NO_NOUN.search(text)
    if kind is None or found is None or found.group(1) in person_nouns():
        return None
    noun = found.group(1)
    passive = _agentless(m)
    patient = m.subject if passive else m.obj
    heads = [w for w, _ in _phrase_heads(patient)]
    if not heads or heads[0] != noun:
        return None  # "no" is not on what the verb acts on
    qualifier = (_words(patient) - {noun}) | _words(m.obj if passive else m.subject)
    names = {w.lower() for w in re.findall(r"\b[A-Z][\w'-]+", f"{m.subject} {m.obj}")} & qualifier
    fates = frozenset("harm:" + k for k in set(HARM_VERBS.values())) if kind == GENERAL_HARM else {"harm:" + kind}
    return _ZeroCount(
        frozenset(fates),
        _thing_kind(noun),
        frozenset(qualifier - names),
        frozenset(names),
        subject_entities if passive else frozenset(),
    )


def _count_denied(a: _Item, b: _Item) -> bool:
    """One side says no one met a fate ("nobody died at the depot"); the other, in another
    article or paragraph, counts people who did ("the blast at the depot killed 12 workers"). The
    denial's common-noun qualifiers ("at the depot", "on the ground") must be shared by the count, so a denial
    of another place or event contradicts nothing; a denial that names its people ("no workers")
    only meets counts of the same noun. A named place qualifying the denial ("at Farrow Mill") need
    only be named somewhere in the count's article, which places its story there."""
    if a.article == b.article and a.mention.paragraph == b.mention.paragraph:
        return False
    for side, other in ((a, b), (b, a)):
        zero = side.zero_count
        if zero is None or other.zero_count is not None:
            continue
        om = other.mention
        if om.negated or om.cue_negated or _FUTURE.search(om.text.lower()):
            continue
        fates = [(f, noun) for f, noun in other.fates if f in zero.fates]
        if zero.noun is not None:
            fates = [(f, noun) for f, noun in fates if _same_noun(noun, zero.noun)]
        if not fates:
            continue
        words = _words(om.text) | set(om.lemmas)
        if any(not any(_prefix_match(w, x) for x in words) for w in zero.qualifier_words):
            continue  # "on the ground", "in the second blast": not what the count speaks of
        named = zero.qualifier_entities and zero.qualifier_entities <= other.article_entities
        if zero.qualifier_names and not named and not zero.qualifier_names <= other.article_words:
            continue  # a place the other account's article never names
        return True
    return False


def _predicate_related(a: ClaimMention, b: ClaimMention) -> bool:
    pa, pb = (a.predicate or "").lower(), (b.predicate or "").lower()
    if not pa or not pb:
        return False
    if pa == pb or _prefix_match(pa, pb):
        return True
    return bool(_groups_of(pa, "synonyms.txt") & _groups_of(pb, "synonyms.txt"))


@lru_cache(maxsize=4096)
def _groups_of(lemma: str, lexicon: str) -> frozenset[int]:
    """Indices of the lexicon groups ``lemma`` belongs to, as a member or a word form of one
    ("involvement" of "involve"); cached, since a corpus repeats its predicates."""
    return frozenset(
        i
        for i, group in enumerate(lexicon_groups(lexicon))
        if lemma in group or any(_prefix_match(lemma, g) for g in group if " " not in g)
    )


def _antonyms(a: ClaimMention, b: ClaimMention) -> bool:
    pa, pb = (a.predicate or "").lower(), (b.predicate or "").lower()
    if not pa or not pb or pa == pb or _prefix_match(pa, pb):
        return False
    return bool(_groups_of(pa, "antonyms.txt") & _groups_of(pb, "antonyms.txt"))


def _numbers_clash(a: _Item, b: _Item) -> bool:
    """Numbers of the same measure whose values as qualified lie more than NUMBER_RATIO apart:
    exact 13 against exact 20, or "less than 3" against 13; "about 3" and 3.5 or "at least 12"
    and 14 can both be true. Not when the higher is a count given as risen in an article
    published after the other's (an update)."""
    for va, ma, low_a, high_a in a.quantities:
        for vb, mb, low_b, high_b in b.quantities:
            if not ma or ma != mb:
                continue
            gap = max(low_a, low_b) - min(high_a, high_b)
            if gap > NUMBER_RATIO * max(abs(va), abs(vb)) and not _update(a, va, b, vb):
                return True
    return False


#: "Has now received 500": the figure is the level as of this report, which may since have changed.
_NOW = re.compile(r"\bnow\b[^.;:]*$", re.IGNORECASE)


def _current_level(q: Quantity) -> bool:
    """The figure is given as what a count now stands at ("has now received more than 500"): a
    later report of it updates an earlier, lower one like a count that rose."""
    if q.context is None:
        return False
    return _NOW.search(q.context.text[: max(0, q.span.start - q.context.start)]) is not None


def _durations_clash(a: _Item, b: _Item) -> bool:
    """The same named subject, and durations in one unit whose values as qualified clash."""
    if not (a.subject_entities & b.subject_entities):
        return False
    table = units()
    keep = [q for q in a.quantities if table.get(q[1], ("", ""))[1] == "duration"]
    other = [q for q in b.quantities if table.get(q[1], ("", ""))[1] == "duration"]
    if not keep or not other:
        return False
    return _numbers_clash(replace(a, quantities=tuple(keep)), replace(b, quantities=tuple(other)))


def _update(a: _Item, va: float, b: _Item, vb: float) -> bool:
    """The higher value is a count that rose, reported in a later-published article."""
    (low, _), (high, vh) = sorted(((a, va), (b, vb)), key=lambda x: x[1])
    return bool(vh in high.risen and low.published and high.published and low.published[:10] < high.published[:10])


# --------------------------------------------------------------------------- pair relations


@dataclass(frozen=True)
class _Relation:
    kind: str  # "same", "contradiction", "wording"
    rule: str


def relate(a: _Item, b: _Item, cosine: float, predicate_cosine: float, lemma_cosine: float) -> _Relation | None:
    """How two blocked mentions relate, by rules over their polarity, predicates and arguments."""
    ma, mb = a.mention, b.mention
    overlap = len(set(ma.lemmas) & set(mb.lemmas)) / max(1, len(set(ma.lemmas) | set(mb.lemmas)))
    args = _arguments_agree(a, b)
    if ma.cue_negated != mb.cue_negated:
        # One source says the speaker did not accuse/say it, the other reports it as said or as fact.
        said = mb if ma.cue_negated else ma
        if a.article == b.article or said.negated:
            return None
        speakers = (a.speaker_entities or a.speaker_words) and (b.speaker_entities or b.speaker_words)
        if speakers and not _side_agrees(a.speaker_entities, a.speaker_words, b.speaker_entities, b.speaker_words):
            return None
        if (args and cosine >= SAME_COSINE_WITH_OVERLAP) or (
            speakers and cosine >= WORDING_COSINE and _predicate_related(ma, mb)
        ):
            return _Relation("wording", "characterisation")
        return None
    if ma.cue_negated:
        return _Relation("same", "paraphrase") if cosine >= SAME_COSINE else None
    light = {(ma.predicate or "").split(" ")[0], (mb.predicate or "").split(" ")[0]} & LIGHT_VERBS
    close_phrases = predicate_cosine >= PREDICATE_COSINE and lemma_cosine >= LEMMA_COSINE
    pred_ok = close_phrases or (not light and _predicate_related(ma, mb))
    if ma.negated != mb.negated:
        if _antonyms(ma, mb):  # "did not break the rules" agrees with "complied with the rules"
            return None
        existence = _existence_denied(a, b) and cosine >= EXISTENCE_COSINE
        if existence or _event_denied(a, b):
            return _Relation("contradiction", "existence")
        if _count_denied(a, b):
            return _Relation("contradiction", "count")
        if not (args and pred_ok):
            return None
        cues = {ma.cue, mb.cue}
        if cues & DENIAL_VERBS and cues & ACCUSATION_CUES and cosine >= ACCUSATION_DENIAL_COSINE:
            return _Relation("contradiction", "accusation-denial")
        same_lemma = not light and _lemma(ma) == _lemma(mb)
        if cosine >= (SAME_PREDICATE_CONTRADICTION_COSINE if same_lemma else CONTRADICTION_COSINE):
            return _Relation("contradiction", "denial" if cues & DENIAL_VERBS else "negation")
        return None
    if not ma.negated and _event_denied(a, b):  # "the strike was staged" against "the strike closed the port"
        return _Relation("contradiction", "existence")
    if _antonyms(ma, mb) and args and cosine >= ACCUSATION_DENIAL_COSINE:
        return _Relation("contradiction", "antonym")
    same = cosine >= SAME_COSINE or (cosine >= SAME_COSINE_WITH_OVERLAP and overlap >= SAME_OVERLAP)
    if not same and a.article != b.article and cosine >= DURATION_COSINE and _durations_clash(a, b):
        return _Relation("contradiction", "number")
    if not same or _denial_apart(a, b):
        return None
    if a.article != b.article and _numbers_clash(a, b):
        return _Relation("contradiction", "number")
    return _Relation("same", "paraphrase")


# --------------------------------------------------------------------------- grouping and status


def _independent_articles(members: list[_Item], original_of: dict[str, str]) -> tuple[str, ...]:
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


def _representative(members: list[_Item]) -> ClaimMention:
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


def _embed_cores(
    items: list[_Item], pairs: list[tuple[int, int]], ctx: Context
) -> tuple[dict[int, np.ndarray], dict[str, np.ndarray]]:
    """Core and predicate-phrase vectors for the mentions in some candidate pair: one batch of
    distinct texts (republished copies repeat their sentences)."""
    needed = sorted({i for p in pairs for i in p})
    preds = {_predicate_phrase(items[i].mention) for i in needed} | {_lemma(items[i].mention) for i in needed}
    # what is done to what, for the pairs of an agentless passive and an active clause
    preds |= {
        _action(items[i])
        for p in pairs
        if items[p[0]].agentless != items[p[1]].agentless and items[p[0]].mention.negated != items[p[1]].mention.negated
        for i in p
    }
    texts = sorted({items[i].mention.core for i in needed} | preds)
    if not texts:
        return {}, {}
    vectors = dict(zip(texts, ctx.embedder.encode(texts), strict=True))
    return {i: vectors[items[i].mention.core] for i in needed}, {p: vectors[p] for p in preds}


def _lemma(m: ClaimMention) -> str:
    return (m.predicate or "").split(" ")[0] or m.core


def _predicate_phrase(m: ClaimMention) -> str:
    return f"{m.predicate or ''} {m.obj or ''}".strip() or m.core


#: At most this many opposing wordings are kept per claim (the strongest rules first): fifty
#: copies of one denial are one piece of evidence, not fifty.
MAX_OPPOSING = 6
#: Evidence quotes the opposing words up to this many characters.
EVIDENCE_CHARS = 90
#: Which rules are the clearest evidence of a clash, clearest first.
RULE_STRENGTH = ("accusation-denial", "denial", "existence", "count", "negation", "antonym", "number")


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
    members: list[_Item],
    items: list[_Item],
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
    items = _items(corpus)
    _add_classifications(items)
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
    cores, preds = _embed_cores(items, pairs, ctx)
    contradictions: list[tuple[int, int, str]] = []
    wording: list[tuple[int, int]] = []
    for i, j in pairs:
        a, b = items[i], items[j]
        if a.article == b.article and a.mention.span.overlaps(b.mention.span):
            continue
        cosine = float(cores[i] @ cores[j])
        if a.agentless != b.agentless and a.mention.negated != b.mention.negated:
            cosine = float(preds[_action(a)] @ preds[_action(b)])  # "the gates were never opened"
        pcos = float(preds[_predicate_phrase(a.mention)] @ preds[_predicate_phrase(b.mention)])
        lcos = float(preds[_lemma(a.mention)] @ preds[_lemma(b.mention)])
        rel = relate(a, b, cosine, pcos, lcos)
        if rel is None:
            continue
        if rel.kind == "same":
            uf.union(i, j)
        elif rel.kind == "contradiction":
            contradictions.append((i, j, rel.rule))  # between wordings; copies join in below
        else:
            wording.append((i, j))
    groups: dict[int, list[_Item]] = defaultdict(list)
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
            )
        )
    claims.sort(key=lambda c: (c.mentions[0].article, c.mentions[0].start, c.id))
    flags = _contradicted_insertions(corpus, items, groups, group_of, against, copies_of, original_of)
    return AlignResult(tuple(claims), flags, _wording_discrepancies(items, wording))


def _contradicted_insertions(
    corpus: Corpus,
    items: list[_Item],
    groups: dict[int, list[_Item]],
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

    def support(other: _Item) -> int:
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

    def contradicted(other: _Item) -> int:
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


def _wording_discrepancies(items: list[_Item], pairs: list[tuple[int, int]]) -> tuple[Discrepancy, ...]:
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
