"""Within-article chains as cross-article resolution sees them, and the entities built from them.

:class:`ChainInfo` summarises one chain (its names, type, person name, gender, roles and the head
nouns of its descriptions); :func:`build_entities` turns clusters of chains into the report's
entities, every mention with its kind. The clustering itself is in ``stages/resolve.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from storyweave.mention_links import REFERENT_NOUNS
from storyweave.model import Entity, EntityType, Mention, MentionKind, Span, mention_kind, stable_id
from storyweave.names import (
    HONORIFICS,
    PersonName,
    fold,
    gender_of,
    org_key,
    org_short_names,
    org_tails,
    parse_person,
    role_descriptor,
)

#: The type the recogniser gives a name it could not place (a work of art, a law, a product):
#: weak evidence, overridden by any other type the same referent gets elsewhere.
WEAK_FAMILY: EntityType = "OTHER"
NAME_KINDS = frozenset({"name", "acronym"})


@dataclass
class ChainInfo:
    """One within-article chain, summarised for resolution."""

    article: str
    chain: int
    mentions: list[Mention] = field(default_factory=list)
    as_name: bool = False  # typed a person by a bare surname, found to be an organisation's short name

    @property
    def key(self) -> tuple[str, int]:
        return (self.article, self.chain)

    @cached_property
    def names(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind in NAME_KINDS and m.name]

    @cached_property
    def label(self) -> EntityType:
        votes = Counter(m.label for m in self.names) or Counter(m.label for m in self.mentions if m.kind != "pronoun")
        if not votes:
            return "OTHER"
        return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    @cached_property
    def kind(self) -> str:
        """``person``, ``surname``, ``role``, ``candidate`` or ``name`` (organisations, places…)."""
        names = self.names
        if not names:
            if any(m.kind == "role" for m in self.mentions):
                return "role"
            if any(m.kind == "candidate" for m in self.mentions):
                return "candidate"
            return "description" if self.heads else "none"
        if self.label == "PERSON":
            return "person" if self.person is not None and self.person.full else "surname"
        return "name"

    @cached_property
    def person(self) -> PersonName | None:
        """The fullest personal name in the chain."""
        parsed = [p for p in (parse_person(m.name) for m in self.names) if p is not None]
        if not parsed:
            return None
        return max(parsed, key=lambda p: (len(p.given), len(p.text()), p.text()))

    @cached_property
    def people(self) -> set[PersonName]:
        return {p for p in (parse_person(m.name) for m in self.names) if p is not None}

    @cached_property
    def gender(self) -> str | None:
        """From honorifics, gendered role nouns and he/she mentions; None when absent or mixed."""
        cues = {  # of the pronouns, only he and she: a linked "his" or "her" is more often wrong
            gender_of(m.span.text if m.kind == "pronoun" else f"{m.title or ''} {m.role or ''}")
            for m in self.mentions
            if m.kind != "pronoun" or m.span.text.lower() in {"he", "she"}
        }
        cues.discard(None)
        return cues.pop() if len(cues) == 1 else None

    @cached_property
    def roles(self) -> list[str]:
        return [m.role for m in self.mentions if m.role]

    @cached_property
    def heads(self) -> list[str]:
        """Head nouns of the chain's descriptions ("gunman", "president"), most frequent first."""
        found: Counter[str] = Counter()
        for m in self.mentions:
            if m.kind == "nominal" and m.head:
                found[m.head] += 1
            elif m.kind in {"role", "name"} and m.role and (d := role_descriptor(m.role)) is not None:
                found[d.head] += 1  # "the coach", "coach Maurice Cheeks"
            elif m.kind == "name" and m.label in {"ORG", "GPE", "LOC"} and _kind_word(m.name):
                found[_kind_word(m.name)] += 1  # "the Indian Navy" is described as "the navy"
        return [h for h, _n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))]


def _kind_word(name: str) -> str:
    """The last word of a name of two words or more when it says what kind of body or place the
    name names ("navy" in "the Indian Navy", "police" in "Vancouver Police"), else ""."""
    words = fold(name).split()
    return words[-1] if len(words) > 1 and REFERENT_NOUNS.get(words[-1]) in {"ORG", "GPE", "LOC"} else ""


def collect_chains(analyses: Iterable[object]) -> list[ChainInfo]:
    by_key: dict[tuple[str, int], ChainInfo] = {}
    for analysis in analyses:
        article = analysis.article.id  # type: ignore[attr-defined]
        for m in analysis.mentions:  # type: ignore[attr-defined]
            if m.chain < 0:
                continue
            by_key.setdefault((article, m.chain), ChainInfo(article, m.chain)).mentions.append(m)
    return [by_key[k] for k in sorted(by_key)]


def _entity_type(cluster: list[ChainInfo]) -> EntityType:
    if any(c.kind in {"person", "surname"} and not c.as_name for c in cluster):
        return "PERSON"
    votes = Counter(m.label for c in cluster if not c.as_name for m in c.names)
    if not votes:  # known only by description: the type its head nouns give
        votes = Counter(m.label for c in cluster for m in c.mentions if m.kind in {"nominal", "role"})
    if len(votes) > 1:  # a weak type never outvotes a strong one
        votes.pop(WEAK_FAMILY, None)
    return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if votes else "OTHER"


def canonical_name(cluster: list[ChainInfo], entity_type: EntityType) -> str:
    """The most complete, most common full form (full personal names before surnames)."""
    forms = Counter(m.name for c in cluster for m in c.names)
    if not forms:
        forms = Counter(m.span.text for c in cluster for m in c.mentions if m.kind != "pronoun")

    short = set() if entity_type == "PERSON" else {s for f in forms for s in (*org_short_names(f), *org_tails(f))}

    def completeness(form: str) -> int:
        if entity_type == "PERSON":
            p = parse_person(form)
            return len(p.given) if p is not None else 0
        return -1 if org_key(form) in short else 0  # "Corvina Bank", not "Corvina"

    # Spellings of one name pool their counts ("Zhou Jianhua" and "Jianhua Zhou" outvote a single
    # "Chou Chien-hua"); within the winning name, its most common written form.
    pooled: Counter[object] = Counter()
    for form, n in forms.items():
        pooled[_name_identity(form, entity_type)] += n

    return sorted(
        forms.items(),
        key=lambda kv: (-completeness(kv[0]), -pooled[_name_identity(kv[0], entity_type)], -kv[1], -len(kv[0]), kv[0]),
    )[0][0]


def _name_identity(form: str, entity_type: EntityType) -> object:
    """What two written forms share when they are the same name in another order or spacing."""
    if entity_type == "PERSON" and (p := parse_person(form)) is not None:
        return (p.given, p.surname, p.second)
    return org_key(form)


def build_entities(clusters: list[list[ChainInfo]]) -> tuple[tuple[Entity, ...], tuple[tuple[str, int, str], ...]]:
    entities: list[Entity] = []
    entity_of_chain: list[tuple[str, int, str]] = []
    for cluster in clusters:
        etype = _entity_type(cluster)
        name = canonical_name(cluster, etype)
        kind_of: dict[Span, MentionKind] = {}
        for c in cluster:
            for m in c.mentions:  # a span both named and described (never in practice) counts as a name
                kind = mention_kind(m.kind)
                if kind_of.get(m.span) != "name":
                    kind_of[m.span] = kind
        spans: list[Span] = sorted(kind_of, key=lambda s: (s.article, s.start, s.end))
        # the id follows the first name (the first description when there is none), so adding
        # pronoun and nominal mentions to an entity leaves its id as it was
        named = [s for s in spans if kind_of[s] == "name"]
        keyed = named or [s for s in spans if kind_of[s] != "pronoun"] or spans
        first = keyed[0].key if keyed else ""
        entity_id = stable_id("ent", etype, name, first)
        aliases: set[str] = set()
        roles: set[str] = set()
        for c in cluster:
            for m in c.mentions:
                if m.kind in NAME_KINDS or (m.kind == "candidate" and etype != "OTHER"):
                    aliases.add(m.name or m.span.text)
                    honorific = m.title is not None and m.title.rstrip(".").lower() in HONORIFICS
                    if honorific or not (m.title or m.role):  # "Mr Doe", not "President Doe" (a role)
                        aliases.add(m.span.text)
                if m.expansion:
                    aliases.add(m.expansion)
                if m.role:
                    roles.add(m.role)
            entity_of_chain.append((c.article, c.chain, entity_id))
        entities.append(
            Entity(
                id=entity_id,
                name=name,
                type=etype,
                aliases=tuple(sorted(a for a in aliases if a)),
                mentions=tuple(spans),
                roles=tuple(sorted(roles)),
                mention_kinds=tuple(kind_of[s] for s in spans),
                named=bool(named),
            )
        )
    entities.sort(key=lambda e: (not e.named, e.type != "PERSON", -len(e.mentions), e.name, e.id))
    return tuple(entities), tuple(sorted(entity_of_chain))
