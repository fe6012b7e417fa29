"""What relating two claim mentions reads about each: :class:`Facts`, one per mention.

A mention's facts are those the parse gave (carried on :class:`~storyweave.model.ClaimMention`)
joined with what the corpus stages know: the entities its subject, object and speaker name, the
figures inside it (with the bounds their qualifiers allow), the event it says did not happen or
was made up, and the fates or harms it counts (or says no one met). Built once per mention, shared
by every comparison, by the ``align`` stage and by ``storyweave check`` alike.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace

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
)
from storyweave.lexicons import lexicon_sections
from storyweave.model import ArticleAnalysis, ClaimMention, Corpus, Quantity, Span

STOP: frozenset[str] = frozenset(STOP_WORDS)


WORD = re.compile(r"[a-z][a-z'-]+")


def prefix_match(a: str, b: str) -> bool:
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


def words_of(text: str | None) -> set[str]:
    return {w for w in WORD.findall((text or "").lower()) if w not in STOP and len(w) > 2}


def words_overlap(a: set[str], b: set[str]) -> bool:
    return any(prefix_match(x, y) for x in a for y in b)


@dataclass
class Facts:
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
    zero_count: ZeroCount | None = None
    #: the verb is a passive without an agent ("the gates were opened"): the subject is acted on
    agentless: bool = False
    #: the article's publication date, and the values the mention gives as a count that rose
    published: str | None = None
    risen: frozenset[float] = frozenset()
    #: the entities and lower-cased word forms of the mention's whole article (shared per article)
    article_entities: frozenset[str] = frozenset()
    article_words: frozenset[str] = frozenset()


def entities_in(
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


def corpus_facts(corpus: Corpus) -> list[Facts]:
    chain_map = corpus.entity_map()
    items: list[Facts] = []
    for analysis in sorted(corpus.analyses, key=lambda a: a.id):
        mentions = sorted(analysis.mentions, key=lambda m: m.span.start)
        analysis = replace(analysis, mentions=tuple(mentions))
        starts = [m.span.start for m in mentions]
        cites = [c for c in analysis.article.cites if c.strip()]
        article_entities = frozenset(e for m in mentions if (e := chain_map.get((analysis.id, m.chain))) is not None)
        article_words = frozenset(WORD.findall(analysis.article.text.lower()))
        for m in analysis.claims:
            ents = frozenset(e for c in m.chains if (e := chain_map.get((analysis.id, c))) is not None) | entities_in(
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
                Facts(
                    mention=m,
                    article=analysis.id,
                    index=len(items),
                    entities=ents,
                    subject_entities=entities_in(analysis, starts, m.subject_span, chain_map),
                    object_entities=entities_in(analysis, starts, m.obj_span, chain_map),
                    subject_words=words_of(m.subject),
                    object_words=words_of(m.obj),
                    credited=credited,
                    speaker_entities=entities_in(analysis, starts, m.speaker_span, chain_map),
                    speaker_words=words_of(m.speaker_span.text if m.speaker_span is not None else None),
                    quantities=qty,
                    denied_event=_event_of(analysis, starts, m, chain_map),
                    fates=_fates(inside) + _harmed(inside, m),
                    zero_count=_zero_count(m, entities_in(analysis, starts, m.obj_span, chain_map))
                    or _zero_things(m, entities_in(analysis, starts, m.subject_span, chain_map))
                    or _all_survived(m, entities_in(analysis, starts, m.subject_span, chain_map)),
                    agentless=agentless(m),
                    article_entities=article_entities,
                    published=analysis.article.published,
                    risen=frozenset(q.value for q in inside if is_rise(q) or current_level(q)),
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


def name_key(text: str | None) -> str:
    """A participant's words without determiners: "The MV Corran" -> "mv corran"."""
    return " ".join(w for w in WORD.findall((text or "").lower()) if w not in _DETERMINERS)


def _classifications(items: list[Facts]) -> dict[str, set[str]]:
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
        if not head.isalpha() or head in STOP:
            continue
        for key in (*it.subject_entities, "n:" + name_key(m.subject)):
            kinds[key].add(head)
    return kinds


def add_classifications(items: list[Facts]) -> None:
    """Participants also match by the kind of thing a copular claim says they are."""
    kinds = _classifications(items)
    if not kinds:
        return
    for it in items:
        subject = set().union(
            *(kinds.get(k, set()) for k in (*it.subject_entities, "n:" + name_key(it.mention.subject)))
        )
        obj = set().union(*(kinds.get(k, set()) for k in (*it.object_entities, "n:" + name_key(it.mention.obj))))
        it.subject_words |= subject
        it.object_words |= obj


def agentless(m: ClaimMention) -> bool:
    """A passive without a "by" agent ("the gates were opened on Monday"): its subject is what
    the verb acts on, and a phrase after it only says where or when. A state clause without an
    object of its own ("the bridge remains open to traffic") says the state of its subject, which
    is likewise what a clause acting on it ("closed the bridge") has as its object."""
    if m.complement is not None and bool(m.subject) and m.obj_head in (None, m.complement):
        return True
    return bool(m.subject) and (not m.obj or opens_with_preposition(m.obj)) and passive(m)


EVENT_LEXICON = lexicon_sections("event_denial.txt")


HAPPEN_PREDICATES: frozenset[str] = EVENT_LEXICON["happen"]


FABRICATE_VERBS: frozenset[str] = EVENT_LEXICON["fabricate"]


FABRICATE_PASSIVE_VERBS: frozenset[str] = EVENT_LEXICON["fabricate_passive"]


FABRICATION_WORDS: frozenset[str] = EVENT_LEXICON["fabrication"]


NOT_HAPPENED_PREDICATES: frozenset[str] = EVENT_LEXICON["not_happened"]


ADDITIONAL_WORDS: frozenset[str] = EVENT_LEXICON["additional"]


REPORTIVE_NOUNS: frozenset[str] = EVENT_LEXICON["reportive"]


PROSPECTIVE_PREPOSITIONS: frozenset[str] = EVENT_LEXICON["prospective_prepositions"]


CIRCUMSTANCE = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, EVENT_LEXICON["circumstance_prepositions"]))) + r")\s+(.+)"
)


#: Words that end the head of a noun phrase: what follows qualifies it ("the attack on the depot").
PHRASE_BREAKS: frozenset[str] = EVENT_LEXICON["phrase_breaks"]


PHRASE_TOKEN = re.compile(r"[a-z][a-z'-]*|,")


#: A denial put in time ("has not happened yet") leaves the event open.
PENDING = re.compile(r"\b(?:yet|still|so far|until|anymore|any more)\b")


#: The future or a condition ("will take place", "would be held") says nothing of what happened;
#: a modal with a perfect ("may have exposed") speaks of the past and stays.
FUTURE = re.compile(
    r"\b(?:will|shall|would|may|might|could|can)\b(?!\s+(?:not\s+|never\s+)?have\b)|\bwon[’']t\b|[’']ll\b"
    r"|\b(?:going|due|set|scheduled|expected|planned|planning|about)\s+to\b"
)


_BE_FORMS = r"(?:is|are|was|were|be|been|being|got|gets|get)"


def phrase_heads(text: str | None) -> list[tuple[str, int]]:
    """(word, offset) of a noun phrase's heads: the last word before the first preposition,
    relative word or comma ("the attack on the depot": attack), and that of each "of" complement
    ("the site of the explosion": explosion) unless what it complements only speaks of it
    ("reports of the raid"). Alignment has no parse, so this reads the words; a phrase that opens
    with a preposition ("at the plant") is read from the word after it."""
    heads: list[tuple[str, int]] = []
    last: tuple[str, int] | None = None
    collecting = True
    started = False
    for m in PHRASE_TOKEN.finditer((text or "").lower()):
        word = m.group(0)
        if word == "," or word in PHRASE_BREAKS:
            if not started:
                continue
            if collecting and last is not None:
                heads.append(last)
            reportive = last is not None and _is_reportive(last[0])
            last = None
            collecting = word == "of" and collecting and not reportive
            continue
        started = True
        if collecting and word not in STOP and len(word) > 2 and "'" not in word:
            last = (word, m.start())
    if collecting and last is not None:
        heads.append(last)
    return heads


def _is_reportive(noun: str) -> bool:
    return noun in REPORTIVE_NOUNS or noun.removesuffix("s") in REPORTIVE_NOUNS


def opens_with_preposition(text: str | None) -> bool:
    """A prepositional phrase ("in the capital") is where or when, never what was acted on."""
    first = PHRASE_TOKEN.search((text or "").lower())
    return first is not None and first.group(0) in PHRASE_BREAKS


def passive(m: ClaimMention) -> bool:
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
    if PENDING.search(text) or FUTURE.search(text):
        return None
    predicate = (m.predicate or "").lower()
    obj_heads = phrase_heads(m.obj)
    if m.negated:
        if not says_whether_it_happened(m):
            return None
        speaker = m.speaker_span.text if m.speaker_span is not None else None
        own = (
            words_of(m.subject)
            | words_of(speaker)
            | set(predicate.split())
            | words_of(m.obj if predicate == "take" else None)
        )
        if any(not any(prefix_match(lemma, w) for w in own) for lemma in m.lemmas):
            return None
        span = m.subject_span
    elif predicate in FABRICATE_VERBS or (predicate in FABRICATE_PASSIVE_VERBS and passive(m)):
        if obj_heads and m.obj_span is not None and not opens_with_preposition(m.obj):
            span = m.obj_span
        elif passive(m):
            span = m.subject_span
        else:
            return None
    elif predicate == "be" and obj_heads and obj_heads[0][0] in FABRICATION_WORDS:
        span = m.subject_span
    else:
        return None
    heads = phrase_heads(span.text) if span is not None else []
    if span is None or not heads or ADDITIONAL_WORDS.intersection(WORD.findall(span.text.lower())):
        return None
    word, offset = heads[0]
    return word, span, offset


def says_whether_it_happened(m: ClaimMention) -> bool:
    predicate = (m.predicate or "").lower()
    return predicate in HAPPEN_PREDICATES or f"{predicate} {name_key(m.obj)}" in HAPPEN_PREDICATES


def same_noun(a: str, b: str) -> bool:
    """One noun, singular or plural ("breach"/"breaches"); not a longer word built on it
    ("vote"/"voters", "fire"/"firefighters")."""
    return a == b or a.removesuffix("s") == b.removesuffix("s") or a.removesuffix("es") == b.removesuffix("es")


NOBODY: frozenset[str] = EVENT_LEXICON["nobody"]


#: noun -> the fates whose count its absence denies ("no casualties": the dead and the injured)
CASUALTY_NOUNS: dict[str, frozenset[str]] = {
    row.split()[0]: frozenset(row.split()[1:]) for row in EVENT_LEXICON["casualty_nouns"]
}


EXCEPTIVE_WORDS: frozenset[str] = EVENT_LEXICON["exceptive"] | ADDITIONAL_WORDS


_NOBODY = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, NOBODY), key=len, reverse=True)) + r")\b(?!\s+of\b)")


_NO_NOUN = re.compile(r"\bno\s+([a-z]+)\b")


@dataclass(frozen=True)
class ZeroCount:
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


def _zero_count(m: ClaimMention, obj_entities: frozenset[str]) -> ZeroCount | None:
    """A negated, flat main clause that no person met a fate: "nobody died at the depot", "no one
    was hurt", "there were no casualties", "no workers were killed". Exceptive or additional words
    ("no one else", "in the second blast") leave it out; so do hedges and the future."""
    if not m.negated or m.hedged or m.cue_negated or m.clause != "main":
        return None
    text = m.text.lower()
    if PENDING.search(text) or FUTURE.search(text) or EXCEPTIVE_WORDS.intersection(WORD.findall(text)):
        return None
    predicate = (m.predicate or "").lower()
    noun: str | None = None
    if predicate == "exist":
        heads = phrase_heads(m.subject)
        if not heads or heads[0][0] not in CASUALTY_NOUNS:
            return None
        fates = CASUALTY_NOUNS[heads[0][0]]
        qualifier = words_of(m.subject) - {heads[0][0]}
    elif predicate in REPORTED_ZERO and m.voice == "passive" and m.subject_quantifier == "none":
        # "no deaths were reported after the storm": a record of none, as "there were no deaths"
        if (m.subject_head or "") not in CASUALTY_NOUNS:
            return None
        fates = CASUALTY_NOUNS[m.subject_head or ""]
        qualifier = set()
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
    qualifier |= words_of(m.obj)
    names = {w.lower() for w in re.findall(r"\b[A-Z][\w'-]+", m.obj or "")} & qualifier
    return ZeroCount(fates, noun, frozenset(qualifier - names), frozenset(names), obj_entities)


#: predicate or state -> the fates it denies when said of all of a group ("all on board survived")
SURVIVAL: dict[str, frozenset[str]] = {row.split()[0]: frozenset(row.split()[1:]) for row in EVENT_LEXICON["survive"]}
#: passive verbs of record whose zero subject denies a count ("no deaths were reported")
REPORTED_ZERO: frozenset[str] = EVENT_LEXICON["reported_zero"]
_QUANTIFIER_WORDS = frozenset({"all", "every", "each", "both", "everyone", "everybody"})


def _all_survived(m: ClaimMention, subject_entities: frozenset[str]) -> ZeroCount | None:
    """A flat main clause that all of a group came through: "all 40 passengers on board survived",
    "everyone on board was unhurt". It denies the group's members the fates its predicate names.
    What it came through ("the crash") must be named in the other account's article; a group
    named by its noun ("passengers") only meets counts of that noun."""
    if m.negated or m.hedged or m.cue_negated or m.clause != "main" or m.modality:
        return None
    if m.subject_quantifier != "all":
        return None
    fates = SURVIVAL.get((m.complement or m.predicate or "").lower())
    if fates is None:
        return None
    head = (m.subject_head or "").lower()
    noun = head if head in person_nouns() or head.removesuffix("s") in person_nouns() else None
    qualifier = words_of(m.obj) - _QUANTIFIER_WORDS
    return ZeroCount(fates, noun, frozenset(), frozenset(qualifier), subject_entities)


#: harm verb lemma -> the kind of harm it says things came to ("raze": destroy)
HARM_VERBS: dict[str, str] = dict(row.split() for row in EVENT_LEXICON["harm"])


#: the general kind, whose denial ("no houses were damaged") covers every kind
GENERAL_HARM = "damage"


#: noun -> the noun standing for its kind ("homes": house)
THING_KINDS: dict[str, str] = {w: row.split()[0] for row in EVENT_LEXICON["thing_kinds"] for w in row.split()}


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
            if prefix_match(w, verb):
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
        kind = _harm_of([(m.predicate or "").lower(), *WORD.findall((q.event or "").lower())])
        if kind is not None:
            out.add(("harm:" + kind, _thing_kind(q.measure.split()[-1].lower())))
    return tuple(sorted(out))


def _zero_things(m: ClaimMention, subject_entities: frozenset[str]) -> ZeroCount | None:
    """A negated, flat main clause that no things of a kind came to a harm: "no houses in the
    town were damaged", "the storm destroyed no bridges". Its words besides the noun ("in the
    town") qualify it as a zero count of people's are qualified; people are left to those."""
    if not m.negated or m.hedged or m.cue_negated or m.clause != "main":
        return None
    text = m.text.lower()
    if PENDING.search(text) or FUTURE.search(text) or EXCEPTIVE_WORDS.intersection(WORD.findall(text)):
        return None
    kind = HARM_VERBS.get((m.predicate or "").lower())
    found = _NO_NOUN.search(text)
    if kind is None or found is None or found.group(1) in person_nouns():
        return None
    noun = found.group(1)
    passive = agentless(m)
    patient = m.subject if passive else m.obj
    heads = [w for w, _ in phrase_heads(patient)]
    if not heads or heads[0] != noun:
        return None  # "no" is not on what the verb acts on
    qualifier = (words_of(patient) - {noun}) | words_of(m.obj if passive else m.subject)
    names = {w.lower() for w in re.findall(r"\b[A-Z][\w'-]+", f"{m.subject} {m.obj}")} & qualifier
    fates = frozenset("harm:" + k for k in set(HARM_VERBS.values())) if kind == GENERAL_HARM else {"harm:" + kind}
    return ZeroCount(
        frozenset(fates),
        _thing_kind(noun),
        frozenset(qualifier - names),
        frozenset(names),
        subject_entities if passive else frozenset(),
    )


#: "Has now received 500": the figure is the level as of this report, which may since have changed.
_NOW = re.compile(r"\bnow\b[^.;:]*$", re.IGNORECASE)


def current_level(q: Quantity) -> bool:
    """The figure is given as what a count now stands at ("has now received more than 500"): a
    later report of it updates an earlier, lower one like a count that rose."""
    if q.context is None:
        return False
    return _NOW.search(q.context.text[: max(0, q.span.start - q.context.start)]) is not None
