"""Cross-article entity resolution: one entity per real-world referent, whatever the spelling.

Works on the within-article chains the entities stage built (never on the parse). Chains are
clustered in passes, most reliable evidence first, and every merge is checked against guards,
because a false merge (two people made one) does more harm to a reader than a missed one:

0. an unlabelled name the text calls a person ("Jane Doe, a lorry driver who…", "…," she said)
   is typed a person first, when it has a person's shape and the story types it nothing else;
1. full personal names, by surname and given name similarity (names.py), within blocks keyed by
   the surname's phonetic key and its first letters, so the pass is not quadratic;
2. surname-only chains join the one full-name entity with a compatible surname (none if two fit);
3. organisations and places by normalised name, near-identical spelling (a weakly typed name
   joins the one strongly typed entity it spells, and takes its type) and acronym; then an
   organisation cited by a shorter name (the distinctive part of its long name, "Corvina" for
   "Corvina Bank", or its generic tail, "the Water Board") joins the one long name it fits, never
   a place, a person's name or a surname with a given name, title or gender anywhere in the story;
   any other tail ending in a designator ("the Basin Authority") joins only when written with
   "the" in an article that names its one long owner in full;
4. role-only chains ("the Hungarian president") join the one person whose roles fit;
5. unlabelled proper nouns join an entity only on an exact match or a near-identical spelling.

Quote speakers are filled in from their chains at the end.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import replace

import jellyfish

from storyweave.descriptions import EventContext, description_links
from storyweave.entity_chains import WEAK_FAMILY, ChainInfo, build_entities, canonical_name, collect_chains
from storyweave.model import (
    ArticleAnalysis,
    Corpus,
)
from storyweave.names import (
    PERSON_HEAD_NOUNS,
    PersonName,
    RoleDescriptor,
    acronym,
    acronym_key,
    bare_role,
    fused_surname,
    gendered_same_person,
    is_acronym,
    is_demonym,
    org_key,
    org_short_names,
    org_tails,
    parse_person,
    person_name_shape,
    person_similarity,
    place_similarity,
    role_descriptor,
    roles_compatible,
    roman_key,
    short_vowel_variant,
    surname_similarity,
    vowel_variant,
)
from storyweave.names_chinese import romanisation_groups
from storyweave.pipeline import Context, stage
from storyweave.unionfind import UnionFind

_PLACE_TYPES = frozenset({"GPE", "LOC"})


# --------------------------------------------------------------------------- the stage


@stage(
    "resolve",
    scope="corpus",
    requires={"analyses.mentions", "analyses.quotes"},
    assigns={"entities", "entity_of_chain", "analyses.quotes"},
    order=10,
)
def resolve(corpus: Corpus, ctx: Context) -> Corpus:
    """Entities across articles, the chain -> entity map, and quote speakers."""
    chains = collect_chains(corpus.analyses)
    cued = {(a.article.id, chain) for a in corpus.analyses for chain in person_cued_chains(a)}
    definite = {(a.article.id, chain) for a in corpus.analyses for chain in definite_chains(a)}
    clusters = cluster_chains(chains, person_cues=cued, definite=definite)
    entities, entity_of_chain = build_entities(clusters)
    chain_map = {(a, c): e for a, c, e in entity_of_chain}
    analyses = tuple(
        replace(
            a,
            quotes=tuple(
                replace(
                    q, speaker=chain_map.get((a.article.id, q.speaker_chain)) if q.speaker_chain is not None else None
                )
                for q in a.quotes
            ),
        )
        if a.quotes
        else a
        for a in corpus.analyses
    )
    return replace(corpus, analyses=analyses, entities=entities, entity_of_chain=entity_of_chain)


#: An apposition after a name: ", a lorry driver who…", ", the victim's widow,", ", his neighbour".
_APPOSITION = re.compile(r"\s*,\s+(?:a|an|the|one|another|his|her|their|our)\s+([^,;:.()\"“”]{1,60})", re.IGNORECASE)
#: An age in commas after a name: "Jane Doe, 34, said".
_AGE = re.compile(r"\s*,\s*\d{1,3}\s*,")
_WHO = re.compile(r"\s*,?\s+who\b")
_WORD = re.compile(r"[\w'’-]+")
#: Words that end the noun phrase of an apposition ("a driver at the plant", "a nurse who").
_PHRASE_END = frozenset(
    {"of", "at", "in", "from", "for", "with", "on", "near", "by", "to", "who", "whose", "which", "that", "and", "or"}
)
#: A name right after one of these is a place more often than a person ("the people of X, who…").
_PLACE_PREPOSITIONS = frozenset(
    {"of", "in", "from", "at", "near", "outside", "inside", "across", "around", "into", "towards", "toward", "through"}
)


def _apposition_head(after: str) -> str | None:
    """The head noun of an apposition that follows a name, lower case, or None."""
    found = _APPOSITION.match(after)
    if found is None:
        return None
    words: list[str] = []
    for word in _WORD.findall(found.group(1)):
        if word.lower() in _PHRASE_END:
            break
        words.append(word)
    return words[-1].lower() if words else None


def person_cued_chains(analysis: ArticleAnalysis) -> set[int]:
    """Chains of untyped names that the text says are people.

    The cues: an apposition headed by a person noun ("Jane Doe, a lorry driver"), an age in
    commas, "who" after the name, or a direct quotation the quotes stage gave to the name through
    "he said"/"she said". A name right after a place preposition ("the people of X, who") is
    never cued; the name's own shape is checked later, with the whole story in view.
    """
    text = analysis.article.text
    pronoun_cued = {
        q.speaker_chain
        for q in analysis.quotes
        if q.speaker_chain is not None and q.speaker_span is not None and q.speaker_span.text.lower() in {"he", "she"}
    }
    cued: set[int] = set()
    for m in analysis.mentions:
        if m.kind != "candidate" or m.chain < 0:
            continue
        before = _WORD.findall(text[max(0, m.span.start - 20) : m.span.start])
        if before and before[-1].lower() in _PLACE_PREPOSITIONS:
            continue
        after = text[m.span.end : m.span.end + 80]
        head = _apposition_head(after)
        person_apposition = head is not None and head in PERSON_HEAD_NOUNS
        if person_apposition or _AGE.match(after) or _WHO.match(after) or m.chain in pronoun_cued:
            cued.add(m.chain)
    return cued


_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)


def definite_chains(analysis: ArticleAnalysis) -> set[int]:
    """Chains with a name written after "the" ("the Basin Authority"): cited as a known body,
    which a tail of a long name must be before it can stand for it."""
    text = analysis.article.text
    return {
        m.chain
        for m in analysis.mentions
        if m.chain >= 0
        and m.kind in {"name", "candidate"}
        and _THE_BEFORE.search(text[max(0, m.span.start - 8) : m.span.start])
    }


def _as_person(chain: ChainInfo) -> ChainInfo:
    """The chain with its untyped names made personal names."""
    mentions = [
        replace(m, label="PERSON", kind="name", name=m.name or m.span.text) if m.kind == "candidate" else m
        for m in chain.mentions
    ]
    return ChainInfo(chain.article, chain.chain, mentions)


def found_people(chains: list[ChainInfo], cued: Collection[tuple[str, int]]) -> list[ChainInfo]:
    """Untyped chains the text calls people, typed as persons when every name has a person's shape
    and none is a name the story types otherwise (an organisation, a place) anywhere, or the short
    name of one ("Marlow Halcyon" beside "Marlow Halcyon Shipping": it joins the company as before)."""
    if not cued:
        return chains
    typed = {org_key(m.name) for c in chains for m in c.names if m.label != "PERSON"}
    typed |= {s for c in chains for m in c.names if m.label not in {"PERSON", "NORP"} for s in org_short_names(m.name)}
    out: list[ChainInfo] = []
    for c in chains:
        if c.key in cued and c.kind == "candidate":
            forms = [m.span.text for m in c.mentions if m.kind == "candidate"]
            if forms and all(person_name_shape(f) and org_key(f) not in typed for f in forms):
                c = _as_person(c)
        out.append(c)
    return out


def surname_blocks(surname: str, *, query: bool = False) -> set[str]:
    """Blocking keys for a surname: its phonetic keys, and its first letters with its length.

    Two surnames can only match when their canonical forms share a metaphone or NYSIIS key, or
    (a typo that changes the sound) start alike and differ in length by one letter at most, so
    a query looks up its own length and the lengths either side.
    """
    keys: set[str] = set()
    # a surname with particles is also looked up written together ("van der Berg", "Vanderberg")
    for key in {roman_key(surname.split()[-1]), fused_surname(surname)}:
        keys |= {"m:" + jellyfish.metaphone(key), "n:" + jellyfish.nysiis(key)}
        lengths = (len(key) - 1, len(key), len(key) + 1) if query else (len(key),)
        keys.update(f"p:{key[:4]}:{n}" for n in lengths)
    return keys


def name_blocks(name: str) -> set[str]:
    key = org_key(name)
    canonical = " ".join(roman_key(t) for t in key.split())
    return {"o:" + key, "r:" + canonical[:4], "m:" + jellyfish.metaphone(canonical)[:6]}


def _canonical(person: PersonName) -> str:
    return " ".join(roman_key(t) for t in (*person.given[:1], *person.surname.split(), *person.second.split()))


def _given_initial(person: PersonName) -> str:
    return roman_key(person.given[0])[:1] if person.given else ""


def _names_agree(x: PersonName, y: PersonName) -> bool:
    if gendered_same_person(x, y):
        return True
    if x.full and y.full:
        return person_similarity(x, y) > 0
    return (
        surname_similarity(x.surname, y.surname) > 0
        or vowel_variant(x.surname, y.surname, min_length=7)
        or short_vowel_variant(x.surname, y.surname)
    )


def cluster_chains(
    chains: list[ChainInfo],
    *,
    person_cues: Collection[tuple[str, int]] = frozenset(),
    definite: Collection[tuple[str, int]] = frozenset(),
) -> list[list[ChainInfo]]:
    """Group chains into entities; each returned cluster has at least one name chain.

    ``person_cues`` are the untyped chains the text calls people (``person_cued_chains``);
    ``definite`` the chains with a name written after "the" (``definite_chains``).
    """
    chains = found_people(chains, person_cues)
    # chain keys are numbered in sorted order, so every group's representative is its smallest key
    chain_keys = sorted({c.key for c in chains})
    index = {key: i for i, key in enumerate(chain_keys)}
    chain_sets = UnionFind(len(chain_keys))

    def find(key: tuple[str, int]) -> tuple[str, int]:
        return chain_keys[chain_sets.find(index[key])]

    def union(a: tuple[str, int], b: tuple[str, int]) -> None:
        chain_sets.union(index[a], index[b])

    by_key = {c.key: c for c in chains}
    kinds = {c.key: c.kind for c in chains}
    people: dict[tuple[str, int], set[PersonName]] = {c.key: c.people for c in chains if kinds[c.key] == "person"}

    def compatible(a: set[PersonName], b: set[PersonName]) -> bool:
        """No pair of names across two clusters says they are different people."""
        return all(_names_agree(x, y) for x in a for y in b)

    # 1. full personal names: identical canonical names at once, then variants within blocks
    cluster_people: dict[tuple[str, int], set[PersonName]] = {}
    representatives: dict[str, tuple[str, int]] = {}
    for key in sorted(people):
        best = by_key[key].person
        assert best is not None
        canonical = _canonical(best)
        if canonical in representatives:
            root = find(representatives[canonical])
            if compatible(cluster_people[root], people[key]):
                union(root, key)
                merged = find(root)
                cluster_people[merged] = cluster_people.pop(root) | people[key]
                continue
        representatives.setdefault(canonical, key)
        cluster_people[key] = set(people[key])
    blocks: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key in sorted(set(representatives.values())):
        best = by_key[key].person
        assert best is not None
        for surname_block in surname_blocks(best.surname):
            blocks[f"{surname_block}/{_given_initial(best)}"].append(key)
    pairs: set[tuple[float, tuple[str, int], tuple[str, int]]] = set()
    for block in blocks.values():
        for i, a in enumerate(block):
            pa = by_key[a].person
            for b in block[i + 1 :]:
                pb = by_key[b].person
                if pa is None or pb is None:
                    continue
                score = person_similarity(pa, pb) or (0.9 if gendered_same_person(pa, pb) else 0.0)
                if score > 0:
                    pairs.add((score, a, b))
    for _score, a, b in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        ra, rb = find(a), find(b)
        if ra == rb or not compatible(cluster_people[ra], cluster_people[rb]):
            continue
        union(ra, rb)
        root = find(ra)
        cluster_people[root] = cluster_people.pop(ra, set()) | cluster_people.pop(rb, set())
    # 1a. one Chinese name in pinyin and in Wade-Giles ("Zhou Jianhua", "Chou Chien-hua")
    full_names = ((find(k), p.given, p.surname) for k, ps in sorted(people.items()) for p in ps if p.full)
    for group in romanisation_groups(full_names):
        for other in group[1:]:
            ra, rb = find(group[0]), find(other)
            if ra != rb:
                union(ra, rb)
                cluster_people[find(ra)] = cluster_people.pop(ra, set()) | cluster_people.pop(rb, set())

    # the full-name entities as they stand now, indexed by the surnames they carry
    members_of: dict[tuple[str, int], list[ChainInfo]] = defaultdict(list)
    for key in people:
        members_of[find(key)].append(by_key[key])
    person_roots = {key: find(key) for key in people}
    roots_by_surname: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for key, persons in people.items():
        for person in persons:
            roots_by_surname[person.surname].add(person_roots[key])
    surname_index: dict[str, set[str]] = defaultdict(set)
    for surname in roots_by_surname:
        for sb in surname_blocks(surname):
            surname_index[sb].add(surname)

    def cluster_gender(root: tuple[str, int]) -> str | None:
        genders = {c.gender for c in members_of.get(root, [])} - {None}
        return genders.pop() if len(genders) == 1 else None

    def roots_for(person: PersonName, *, exact: bool = False) -> set[tuple[str, int]]:
        """Full-name entities whose surname fits (``exact``: the same canonical surname)."""
        found: set[tuple[str, int]] = set()
        for surname in {s for b in surname_blocks(person.surname, query=True) for s in surname_index.get(b, ())}:
            fits = (
                fused_surname(surname) == fused_surname(person.surname)
                if exact
                else surname_similarity(person.surname, surname) > 0
            )
            if fits:
                found |= roots_by_surname[surname]
        return found

    # 1b. a role word the recogniser took for a name ("Councillor: ..." in a headline) names an
    # office, not an entity, unless the story also gives it as a surname with a given name or a
    # title (Martin King, Ms King)
    titled = {
        roman_key(p.surname)
        for c in chains
        if kinds[c.key] in {"person", "surname"} and any(m.title for m in c.names)
        for p in c.people
    }
    for chain in chains:
        if kinds[chain.key] not in {"surname", "name"} or any(m.title for m in chain.names):
            continue
        if all(bare_role(m.name) for m in chain.names):
            p = chain.person
            known_surname = p is not None and (bool(roots_for(p, exact=True)) or roman_key(p.surname) in titled)
            if kinds[chain.key] == "name" or not known_surname:
                kinds[chain.key] = "none"

    # 2. surname-only chains join the one compatible full-name entity
    lonely: list[ChainInfo] = []
    for chain in chains:
        if kinds[chain.key] != "surname":
            continue
        p = chain.person
        if p is None:
            continue
        roots = roots_for(p)
        if chain.gender is not None:  # "Ms Doe" does not join John Doe's entity
            roots = {r for r in roots if cluster_gender(r) in {None, chain.gender}}
        if len(roots) > 1:  # prefer an exact surname when several fuzzy ones fit
            exact = roots_for(p, exact=True) & roots
            roots = exact if len(exact) == 1 else roots
        if len(roots) == 1:
            union(chain.key, roots.pop())
        elif not roots:
            lonely.append(chain)
    lonely_by_key: dict[str, tuple[str, int]] = {}
    for chain in lonely:
        p = chain.person
        assert p is not None
        surname_key = roman_key(p.surname)
        if surname_key in lonely_by_key:
            union(chain.key, lonely_by_key[surname_key])
        else:
            lonely_by_key[surname_key] = chain.key

    # 2b. names NER typed as an organisation or place that are a person's name elsewhere in the story
    person_votes: Counter[str] = Counter()
    other_votes: Counter[str] = Counter()
    for c in chains:
        for m in c.names:
            if m.label == "PERSON" and (parsed := parse_person(m.name)) is not None:
                person_votes[roman_key(parsed.surname)] += 1
            else:
                other_votes[roman_key(org_key(m.name))] += 1
    for chain in chains:
        if kinds[chain.key] != "name" or chain.label == "NORP":
            continue
        p = chain.person
        if p is None or any(m.kind == "acronym" for m in chain.names):
            continue
        if p.full:  # the same full name: given name and surname agree
            roots = {
                r
                for r in roots_for(p)
                if any(q.full and person_similarity(p, q) > 0 for q in cluster_people.get(r, ()))
            }
        elif person_votes[roman_key(p.surname)] >= other_votes[roman_key(p.surname)]:
            roots = {  # a gender-less mention says nothing against a gendered entity
                r for r in roots_for(p, exact=True) if chain.gender is None or cluster_gender(r) in {None, chain.gender}
            }
        else:
            roots = set()
        if len(roots) == 1:
            union(chain.key, roots.pop())
            kinds[chain.key] = "surname"

    # 3. organisations, places, groups: normalised name, acronyms, near-identical spellings
    named = [c for c in chains if kinds[c.key] == "name"]
    by_org: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for c in named:
        for m in c.names:
            by_org[org_key(m.name)].append(c.key)
            if m.expansion:
                by_org[org_key(m.expansion)].append(c.key)
    for keys in by_org.values():
        for k in keys[1:]:
            union(keys[0], k)
    acronym_index: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for form, keys in by_org.items():
        initials = acronym(form)
        if len(initials) >= 3 and len(form.split()) > 1:
            acronym_index[initials].update(find(k) for k in keys)
    for c in named:
        for m in c.names:
            if m.kind == "acronym":
                fits = {find(k) for k in acronym_index.get(acronym_key(m.name), ())}
                if len(fits) == 1:
                    union(c.key, fits.pop())
    # near-identical spellings, compared once per distinct (name, type family): within a family
    # first, then a name the recogniser left weakly typed joins the one strongly typed entity it
    # is a spelling of, of whatever family (a person is never among them: persons are not here)
    units: dict[tuple[str, str], tuple[str, int]] = {}
    for c in named:
        unit = (org_key(c.names[0].name), _family(c.label))
        if unit in units:
            union(units[unit], c.key)
        else:
            units[unit] = c.key
    name_block: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for unit in sorted(units):
        for nb in name_blocks(unit[0]):
            if not nb.startswith("o:"):
                name_block[nb].append(unit)
    weak_fits: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for name_group in name_block.values():
        for i, ua in enumerate(name_group):
            for ub in name_group[i + 1 :]:
                if ua[1] != ub[1] and WEAK_FAMILY not in {ua[1], ub[1]}:
                    continue
                if find(units[ua]) == find(units[ub]) or place_similarity(ua[0], ub[0]) < 0.9:
                    continue
                if ua[1] == ub[1]:
                    union(units[ua], units[ub])
                else:
                    weak_unit, strong = (ua, ub) if ua[1] == WEAK_FAMILY else (ub, ua)
                    weak_fits[weak_unit].add(strong)
    for weak_unit, strong_units in sorted(weak_fits.items()):
        fits = {find(units[u]) for u in strong_units}
        if len(fits) == 1:
            union(units[weak_unit], fits.pop())

    # 3b. an organisation cited by the distinctive part of its one long name ("Corvina" for
    # "Corvina Bank"), by its generic tail ("the Water Board" for "the Fenmoor Water Board") or by
    # another tail ("the Basin Authority" beside "the Velmora Basin Authority")
    people_words = {roman_key(w) for persons in cluster_people.values() for p in persons for w in (*p.given, p.surname)}
    place_forms = {org_key(m.name) for c in chains for m in c.names if m.label in _PLACE_TYPES or m.label == "NORP"}
    place_words = {w for f in place_forms for w in f.split()}
    short_index: dict[str, set[tuple[str, int]]] = defaultdict(set)
    tail_index: dict[str, set[tuple[str, int]]] = defaultdict(set)  # every named thing, for ambiguity
    for c in named:
        for m in c.names:
            if m.kind == "name":
                for tail in org_tails(m.name):
                    tail_index[tail].add(c.key)
        if kinds[c.key] == "name" and c.label not in {"PERSON", "NORP"}:
            for m in c.names:
                if m.kind == "name":
                    for short in org_short_names(m.name):
                        short_index[short].add(c.key)
    # a national body's tail after its nationality ("the Democratic Alliance" for "the Sahilian
    # Democratic Alliance"): the nationality is what the whole story takes for granted
    one_word_places = {f for f in place_forms if " " not in f}
    national_tails = {
        tail
        for c in named
        for m in c.names
        if m.kind == "name"
        for tail in org_tails(m.name)
        if org_key(m.name) == f"{org_key(m.name).split()[0]} {tail}"
        and is_demonym(org_key(m.name).split()[0], one_word_places)
    }
    members: dict[tuple[str, int], list[ChainInfo]] = defaultdict(list)
    for c in chains:
        members[find(c.key)].append(c)

    def short_fits(chain: ChainInfo, forms: set[str]) -> set[tuple[str, int]]:
        """The one long-named organisation the chain's forms are a short name of (empty if not one).

        A name with two owners, by short name or by tail, has none. A tail that is no generic
        short name ("the Basin Authority") needs more: written after "the", every form a tail,
        no word of a place or a person in it, and its long name typed an organisation in the
        same article ("Basin Authority" alone in another story may be another basin's), or that
        long name is the tail after a nationality of the story ("the Democratic Alliance").
        """
        if forms & place_forms or any(roman_key(f) in people_words for f in forms if " " not in f):
            return set()
        own = find(chain.key)
        fits = {find(k) for f in forms for k in short_index.get(f, ())} - {own}
        tails = {find(k) for f in forms for k in tail_index.get(f, ())} - {own}
        if len(fits | tails) != 1:
            return set()
        if fits:
            return fits
        words = {w for f in forms for w in f.split()}
        if (
            chain.key not in definite
            or not all(f in tail_index for f in forms)
            or words & place_words
            or any(roman_key(w) in people_words for w in words)
        ):
            return set()
        named_here = any(
            k[0] == chain.article and by_key[k].label == "ORG" for f in forms for k in tail_index[f] if find(k) != own
        )
        return tails if named_here or forms <= national_tails else set()

    def nameless_person(root: tuple[str, int]) -> bool:
        """Typed a person, but only by a bare surname: no given name, title, role or gender anywhere."""
        return all(
            kinds[c.key] == "surname"
            and c.gender is None
            and not any(m.title or m.role for m in c.mentions)
            and not any(p.full for p in c.people)
            for c in members[root]
        )

    for c in sorted(chains, key=lambda c: c.key):
        kind = kinds[c.key]
        if kind not in {"name", "surname"} or (kind == "name" and c.label in _PLACE_TYPES | {"NORP"}):
            continue
        root = find(c.key)
        if kind == "surname" and not nameless_person(root):
            continue
        if any(kinds[k.key] == "person" for k in members[root]):
            continue
        fits = short_fits(c, {org_key(m.name) for m in c.names})
        if fits:
            target = fits.pop()
            for member in members[root]:
                if kinds[member.key] == "surname":
                    kinds[member.key] = "name"
                    member.as_name = True
            union(root, target)
            members[find(root)] = members.pop(root, []) + members.pop(target, [])

    # 4. role-only chains join the one person whose roles fit
    holders: dict[str, list[tuple[tuple[str, int], RoleDescriptor]]] = defaultdict(list)
    for c in chains:
        if kinds[c.key] in {"person", "surname"}:
            for r in c.roles:
                d = role_descriptor(r)
                if d is not None:
                    for role_block in _role_blocks(d):
                        holders[role_block].append((c.key, d))
    for c in chains:
        if kinds[c.key] != "role":
            continue
        descriptors = [d for d in (role_descriptor(r) for r in c.roles) if d is not None]
        fits = {
            find(k)
            for d in descriptors
            for b in _role_blocks(d)
            for k, h in holders.get(b, ())
            if roles_compatible(d, h)
        }
        if len(fits) == 1:
            union(c.key, fits.pop())

    # 5. unlabelled proper nouns: exact surname or exact name only
    exact_person: dict[str, set[tuple[str, int]]] = defaultdict(set)
    exact_name: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for c in chains:
        if kinds[c.key] in {"person", "surname"}:
            for p in c.people:
                exact_person[roman_key(p.surname)].add(find(c.key))
                exact_person[p.text()].add(find(c.key))
        elif kinds[c.key] == "name":
            for m in c.names:
                exact_name[org_key(m.name)].add(find(c.key))

    def variant_fits(forms: set[str]) -> set[tuple[str, int]]:
        """The named entities (never a person) an untyped name is a near-identical spelling of."""
        if any(roman_key(f) in people_words for f in forms if " " not in f):
            return set()
        return {
            find(units[u])
            for f in forms
            for b in name_blocks(f)
            if not b.startswith("o:")
            for u in name_block.get(b, ())
            if place_similarity(f, u[0]) >= 0.9
        }

    joined: set[tuple[str, int]] = set()
    for c in chains:
        if kinds[c.key] != "candidate":
            continue
        forms = {org_key(m.span.text) for m in c.mentions}
        fits = set()
        for m in c.mentions:  # an untagged acronym ("the CPJ said") joins its one expansion
            if is_acronym(m.span.text):
                fits |= acronym_index.get(acronym_key(m.span.text), set())
        for form in forms:
            fits |= exact_name.get(form, set())
            person_key = roman_key(form) if " " not in form else form
            fits |= exact_person.get(person_key, set())
        fits = {find(k) for k in fits}
        if not fits:  # "Corvina" untagged, "Corvina Bank" named elsewhere
            fits = short_fits(c, forms)
        if not fits:  # "Marinbas" untagged, "Marinbass" a place elsewhere
            fits = variant_fits(forms)
        if len(fits) == 1:
            union(c.key, fits.pop())
            joined.add(c.key)

    # 5b. an untyped name written alike in two articles or more names something of its own
    # ("in Queens" in every report of one accident, never tagged by the recogniser)
    loose: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for c in chains:
        if kinds[c.key] == "candidate" and c.key not in joined:
            for form in sorted({org_key(m.span.text) for m in c.mentions if m.kind == "candidate"}):
                loose[form].append(c.key)
    for _form, keys in sorted(loose.items()):
        if len({k[0] for k in keys}) >= 2:
            for k in keys:
                if kinds[k] == "candidate":
                    kinds[k] = "name"
                    union(keys[0], k)

    # 6. participants known only by description ("the gunman", "pirates"), across one event's articles
    named_kinds = {"person", "surname", "name"}
    named_keys = [c.key for c in chains if kinds[c.key] in named_kinds]
    named_in: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key in named_keys:
        named_in[key[0]].append(find(key))
    context = EventContext(named_in)
    named_roots = {find(k) for k in named_keys}
    unnamed = sorted(
        (c for c in chains if c.heads and find(c.key) not in named_roots),
        key=lambda c: (-len(c.mentions), c.key),
    )
    described = [(find(c.key), c.article, h) for c in chains if c.heads and find(c.key) in named_roots for h in c.heads]
    to_named, description_pairs = description_links(((c.key, c.heads[0]) for c in unnamed), described, context)
    for described_key, named_root in to_named:
        union(described_key, named_root)  # type: ignore[arg-type]
    named_roots = {find(k) for k in named_keys}
    for a, b in description_pairs:
        ra, rb = find(a), find(b)
        if ra != rb and not (ra in named_roots and rb in named_roots):
            union(ra, rb)
            if ra in named_roots or rb in named_roots:
                named_roots.add(find(ra))

    groups: dict[tuple[str, int], list[ChainInfo]] = defaultdict(list)
    for c in chains:
        groups[find(c.key)].append(c)
    kept = named_kinds | {"role", "description"}
    return [g for _root, g in sorted(groups.items()) if any(kinds[c.key] in kept for c in g)]


def _family(label: str) -> str:
    """Place types are one family: the recogniser calls one town GPE, LOC or FAC in turn."""
    return "PLACE" if label in _PLACE_TYPES else label


def _role_blocks(d: RoleDescriptor) -> set[str]:
    return {"h:" + d.head} | {"r:" + w for w in d.remit}


__all__ = ["ChainInfo", "build_entities", "canonical_name", "cluster_chains", "collect_chains", "resolve"]
