"""Opposition between two mentions, by rules over the facts: negation with agreeing predicate and
arguments, antonymous predicates or states, an accusation answered by a denial, a denied or
debunked event against an account in which it takes part, a zero count against a count, and
changed figures (:mod:`storyweave.relate.figures`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from storyweave.language.negation import DENIAL_VERBS
from storyweave.language.reporting import reporting_verbs
from storyweave.lexicons import lexicon_groups
from storyweave.model import ClaimMention
from storyweave.relate.facts import (
    CIRCUMSTANCE,
    FUTURE,
    NOT_HAPPENED_PREDICATES,
    PHRASE_TOKEN,
    PROSPECTIVE_PREPOSITIONS,
    Facts,
    opens_with_preposition,
    passive,
    phrase_heads,
    prefix_match,
    same_noun,
    says_whether_it_happened,
    words_of,
    words_overlap,
)
from storyweave.relate.figures import durations_clash, numbers_clash

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


def side_agrees(ents_a: frozenset[str], words_a: set[str], ents_b: frozenset[str], words_b: set[str]) -> bool:
    return bool(ents_a & ents_b) or words_overlap(words_a, words_b)


def _patient_text(it: Facts) -> str | None:
    return it.mention.subject if it.agentless else it.mention.obj


def patient_heads(it: Facts) -> list[str]:
    """Head nouns of what the verb acts on ("the lock gates of the canal": gates, canal); only
    these match an agentless passive's subject, so "the canal footpath" is not "the canal's gates"."""
    text = _patient_text(it)
    if not it.agentless and opens_with_preposition(text):
        return []  # "swept through the town": where, not what was acted on
    return [w for w, _ in phrase_heads(text)]


def action(it: Facts) -> str:
    """The verb with what it acts on, without the agent ("open the gates of the dam"): how an
    agentless passive and an active clause are compared, since the agent only one of them names
    would weigh on a comparison of whole cores."""
    return f"{lemma_of(it.mention)} {_patient_text(it) or ''}".strip()


def arguments_agree(a: Facts, b: Facts) -> bool:
    """The two mentions are about the same participants: the subjects agree (a shared entity or
    word form), and so do the objects unless one side has none. An agentless passive ("the gates
    were never opened") names no agent: against an active clause ("the authority opened the
    floodgates of the dam") the head nouns of its subject are compared with those of the object,
    which that clause must have. Not a shared entity: a name ("Russian") may qualify other things."""
    if a.agentless != b.agentless:
        return any(same_noun(x, y) for x in patient_heads(a) for y in patient_heads(b))
    if not side_agrees(a.subject_entities, a.subject_words, b.subject_entities, b.subject_words):
        return _themes_agree(a, b)
    if not _has_object(a) or not _has_object(b):
        return True
    return side_agrees(a.object_entities, a.object_words, b.object_entities, b.object_words)


def _has_object(f: Facts) -> bool:
    """The clause has an object of its own, not the state its state verb asserts ("remains open")."""
    if f.mention.complement is not None and f.mention.obj_head == f.mention.complement:
        return False
    return bool(f.object_words or f.object_entities)


def _theme_only(m: ClaimMention) -> bool:
    """The clause names only what undergoes the event, as its subject: an intransitive "the
    factory closed", a state "the bridge remains open" (no object of its own)."""
    return bool(m.subject_head) and (m.obj_head is None or m.obj_preposition is not None or m.complement is not None)


def _themes_agree(a: Facts, b: Facts) -> bool:
    """One clause has only a theme as its subject ("the factory had closed") and the other acts
    on it ("the company closed its factory"): the theme's head noun is the other's object head."""
    for side, other in ((a, b), (b, a)):
        sm, om = side.mention, other.mention
        if not _theme_only(sm) or _theme_only(om) or om.obj_head is None:
            continue
        if same_noun(sm.subject_head or "", om.obj_head):
            return True
    return False


def existence_denied(a: Facts, b: Facts) -> bool:
    """A denied existence ("there was no X") on one side; X as the other's subject (X happened)."""
    for side, other in ((a, b), (b, a)):
        denied = side.mention.predicate == "exist" and side.mention.negated and not other.mention.negated
        if denied and side.subject_words and words_overlap(side.subject_words, other.subject_words):
            return True
    return False


def denial_apart(a: Facts, b: Facts) -> bool:
    """A denied event states one thing only with another word on whether that event happened:
    "the fire never happened" is not "no one was hurt in the fire", however close the wording."""
    if a.denied_event is not None and b.denied_event is not None:
        return a.denied_event[0] != b.denied_event[0]
    for side, other in ((a, b), (b, a)):
        if side.denied_event is not None and not says_whether_it_happened(other.mention):
            return True
    return False


def _takes_part(word: str, entities: frozenset[str], item: Facts) -> bool:
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
    subject = entities & item.subject_entities or any(same_noun(word, w) for w, _ in phrase_heads(m.subject))
    if subject and not (stops and passive(m)):
        return True
    first = PHRASE_TOKEN.search((m.obj or "").lower())
    if stops or (first is not None and first.group(0) in PROSPECTIVE_PREPOSITIONS):
        return False
    if entities & item.object_entities or any(same_noun(word, w) for w, _ in phrase_heads(m.obj)):
        return True
    return any(same_noun(word, w) for w in _circumstance_heads(m.text))


def _circumstance_heads(text: str) -> list[str]:
    """Head nouns after prepositions that place a clause in or after an event ("stole data in
    the breach", "prices rose after the attack"): the event is a participant there too."""
    heads = []
    for m in CIRCUMSTANCE.finditer(text.lower()):
        found = phrase_heads(m.group(1))
        if found:
            heads.append(found[0][0])
    return heads


def event_denied(a: Facts, b: Facts) -> bool:
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
        if om.negated or om.cue_negated or other.denied_event is not None or FUTURE.search(om.text.lower()):
            continue
        if _takes_part(*side.denied_event, other):
            return True
    return False


def count_denied(a: Facts, b: Facts) -> bool:
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
        if om.negated or om.cue_negated or FUTURE.search(om.text.lower()):
            continue
        fates = [(f, noun) for f, noun in other.fates if f in zero.fates]
        if zero.noun is not None:
            fates = [(f, noun) for f, noun in fates if same_noun(noun, zero.noun)]
        if not fates:
            continue
        words = words_of(om.text) | set(om.lemmas)
        if any(not any(prefix_match(w, x) for x in words) for w in zero.qualifier_words):
            continue  # "on the ground", "in the second blast": not what the count speaks of
        named = zero.qualifier_entities and zero.qualifier_entities <= other.article_entities
        if zero.qualifier_names and not named and not zero.qualifier_names <= other.article_words:
            continue  # a place the other account's article never names
        return True
    return False


def predicate_related(a: ClaimMention, b: ClaimMention) -> bool:
    pa, pb = (a.predicate or "").lower(), (b.predicate or "").lower()
    if not pa or not pb:
        return False
    if pa == pb or prefix_match(pa, pb):
        return True
    return bool(_groups_of(pa, "synonyms.txt") & _groups_of(pb, "synonyms.txt"))


@lru_cache(maxsize=4096)
def _groups_of(lemma: str, lexicon: str) -> frozenset[int]:
    """Indices of the lexicon groups ``lemma`` belongs to, as a member or a word form of one
    ("involvement" of "involve"); cached, since a corpus repeats its predicates."""
    return frozenset(
        i
        for i, group in enumerate(lexicon_groups(lexicon))
        if lemma in group or any(prefix_match(lemma, g) for g in group if " " not in g)
    )


def stance_lemma(m: ClaimMention) -> str:
    """What a clause asserts, as one lemma: the state of a state verb ("kept the plant open":
    open), else the predicate."""
    return (m.complement or m.predicate or "").lower()


def antonyms(a: ClaimMention, b: ClaimMention) -> bool:
    """The two clauses assert opposite predicates or states: "won" / "lost", "kept the plant
    open" / "closed the plant", "remains open" / "was closed"."""
    pa, pb = stance_lemma(a), stance_lemma(b)
    if not pa or not pb or pa == pb or prefix_match(pa, pb):
        return False
    return bool(_groups_of(pa, "antonyms.txt") & _groups_of(pb, "antonyms.txt"))


@dataclass(frozen=True)
class RuleRelation:
    kind: str  # "same", "contradiction", "wording"
    rule: str


def rule_relation(
    a: Facts, b: Facts, cosine: float, predicate_cosine: float, lemma_cosine: float
) -> RuleRelation | None:
    """How two blocked mentions relate by the rules over their polarity, predicates and arguments
    (None: no rule relates them)."""
    ma, mb = a.mention, b.mention
    overlap = len(set(ma.lemmas) & set(mb.lemmas)) / max(1, len(set(ma.lemmas) | set(mb.lemmas)))
    args = arguments_agree(a, b)
    if ma.cue_negated != mb.cue_negated:
        # One source says the speaker did not accuse/say it, the other reports it as said or as fact.
        said = mb if ma.cue_negated else ma
        if a.article == b.article or said.negated:
            return None
        speakers = (a.speaker_entities or a.speaker_words) and (b.speaker_entities or b.speaker_words)
        if speakers and not side_agrees(a.speaker_entities, a.speaker_words, b.speaker_entities, b.speaker_words):
            return None
        if (args and cosine >= SAME_COSINE_WITH_OVERLAP) or (
            speakers and cosine >= WORDING_COSINE and predicate_related(ma, mb)
        ):
            return RuleRelation("wording", "characterisation")
        return None
    if ma.cue_negated:
        return RuleRelation("same", "paraphrase") if cosine >= SAME_COSINE else None
    light = {(ma.predicate or "").split(" ")[0], (mb.predicate or "").split(" ")[0]} & LIGHT_VERBS
    close_phrases = predicate_cosine >= PREDICATE_COSINE and lemma_cosine >= LEMMA_COSINE
    pred_ok = close_phrases or (not light and predicate_related(ma, mb))
    if ma.negated != mb.negated:
        if antonyms(ma, mb):  # "did not break the rules" agrees with "complied with the rules"
            return None
        existence = existence_denied(a, b) and cosine >= EXISTENCE_COSINE
        if existence or event_denied(a, b):
            return RuleRelation("contradiction", "existence")
        if count_denied(a, b):
            return RuleRelation("contradiction", "count")
        if not (args and pred_ok):
            return None
        cues = {ma.cue, mb.cue}
        if cues & DENIAL_VERBS and cues & ACCUSATION_CUES and cosine >= ACCUSATION_DENIAL_COSINE:
            return RuleRelation("contradiction", "accusation-denial")
        same_lemma = not light and lemma_of(ma) == lemma_of(mb)
        if cosine >= (SAME_PREDICATE_CONTRADICTION_COSINE if same_lemma else CONTRADICTION_COSINE):
            if ma.debunked or mb.debunked:
                return RuleRelation("contradiction", "debunk")
            return RuleRelation("contradiction", "denial" if cues & DENIAL_VERBS else "negation")
        return None
    if not ma.negated and event_denied(a, b):  # "the strike was staged" against "the strike closed the port"
        return RuleRelation("contradiction", "existence")
    if not ma.negated and count_denied(a, b):  # "all on board survived" against "three passengers died"
        return RuleRelation("contradiction", "count")
    if antonyms(ma, mb) and args and cosine >= ACCUSATION_DENIAL_COSINE:
        return RuleRelation("contradiction", "antonym")
    same = cosine >= SAME_COSINE or (cosine >= SAME_COSINE_WITH_OVERLAP and overlap >= SAME_OVERLAP)
    if not same and a.article != b.article and cosine >= DURATION_COSINE and durations_clash(a, b):
        return RuleRelation("contradiction", "number")
    if not same or denial_apart(a, b) or antonyms(ma, mb):  # opposite predicates never corroborate
        return None
    if a.article != b.article and numbers_clash(a, b):
        return RuleRelation("contradiction", "number")
    return RuleRelation("same", "paraphrase")


def lemma_of(m: ClaimMention) -> str:
    return (m.predicate or "").split(" ")[0] or m.core


def predicate_phrase(m: ClaimMention) -> str:
    return f"{m.predicate or ''} {m.obj or ''}".strip() or m.core
