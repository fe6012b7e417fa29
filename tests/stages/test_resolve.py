"""Cross-article resolution on invented articles: variant classes that merge, guards that keep apart."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from storyweave.model import Corpus, Entity, Mention, Quote, Span
from storyweave.pipeline import Context, new_analysis, run_article_stages, stages
from storyweave.stages.resolve import ChainInfo, build_entities, canonical_name, cluster_chains, resolve
from support import ROOT, make_article


def resolve_texts(ctx: Context, *texts: str) -> Corpus:
    order = [s for s in stages("article") if s.order <= 30]
    analyses = tuple(run_article_stages(new_analysis(make_article(t)), ctx, order) for t in texts)
    return resolve(Corpus(analyses=analyses), ctx)


def entities_with(corpus: Corpus, surface: str) -> set[str]:
    """Ids of the entities that have a mention or alias spelled exactly ``surface``."""
    return {e.id for e in corpus.entities if surface in e.aliases or any(m.text == surface for m in e.mentions)}


def one_entity(corpus: Corpus, *surfaces: str) -> Entity:
    ids = set().union(*(entities_with(corpus, s) for s in surfaces))
    assert len(ids) == 1, {s: entities_with(corpus, s) for s in surfaces}
    return next(e for e in corpus.entities if e.id in ids)


def apart(corpus: Corpus, a: str, b: str) -> bool:
    ea, eb = entities_with(corpus, a), entities_with(corpus, b)
    assert ea, f"no entity for {a!r}"
    assert eb, f"no entity for {b!r}"
    return not ea & eb


@pytest.mark.parametrize(
    ("texts", "surfaces"),
    [
        pytest.param(
            (
                "President Borys Kovalenskyy opened the new bridge in Tarnivka on Monday.",
                "Borys Kovalensky said the bridge cost less than planned.",
                "Critics of Borys Kovalenskiy said the bridge was built too fast.",
            ),
            ("Borys Kovalenskyy", "Borys Kovalensky", "Borys Kovalenskiy"),
            id="transliteration",
        ),
        pytest.param(
            (
                "Explorer Lars Halvorsenberg reached the pole on Friday.",
                "The expedition led by Lars Halvorsenburg ran out of fuel twice.",
            ),
            ("Lars Halvorsenberg", "Lars Halvorsenburg"),
            id="typo",
        ),
        pytest.param(
            (
                "Dr Amara Okonjo will lead the new vaccine trial at the university.",
                "The trial, said Ms Okonjo, will enrol 4,000 volunteers.",
            ),
            ("Amara Okonjo", "Ms Okonjo"),
            id="honorific",
        ),
        pytest.param(
            (
                "Mayor Ilse Brandt opened the harbour bridge on Friday.",
                "Brandt said the bridge would carry 20,000 cars a day.",
            ),
            ("Ilse Brandt", "Brandt"),
            id="surname-only",
        ),
        pytest.param(
            (
                "Palace spokesman Teodor Vlasenko said the king was resting.",
                "The Palace spokesman said on Tuesday that the king would attend the parade.",
            ),
            ("Teodor Vlasenko", "Palace spokesman"),
            id="role",
        ),
        pytest.param(
            (
                "The Committee for Dockworkers' Safety said on Monday that two cranes were unsafe.",
                "The CDS said the port had ignored its warnings.",
            ),
            ("Committee for Dockworkers' Safety", "CDS"),
            id="acronym",
        ),
        pytest.param(
            (
                "Floods in the Marinbass valley forced 3,000 people from their homes.",
                "Aid reached the Marinbas valley on Saturday, officials said.",
            ),
            ("Marinbass", "Marinbas"),
            id="place-spelling",
        ),
    ],
)
def test_resolve_variant_classes_merge(ctx: Context, texts: tuple[str, ...], surfaces: tuple[str, ...]) -> None:
    corpus = resolve_texts(ctx, *texts)
    one_entity(corpus, *surfaces)


@pytest.mark.parametrize(
    ("texts", "a", "b"),
    [
        pytest.param(
            ("Ivan Petrenko won the race in Lviv.", "Ivan Bondarenko finished second in the race in Lviv."),
            "Ivan Petrenko",
            "Ivan Bondarenko",
            id="different-surnames-same-first-name",
        ),
        pytest.param(
            ("Maria Castellano won the council seat.", "Lucia Castellano conceded the council seat."),
            "Maria Castellano",
            "Lucia Castellano",
            id="same-surname-conflicting-given-names",
        ),
        pytest.param(
            ("Union leader Oleg Sokolov called a strike.", "The mine's owner, Anna Sokolova, refused to pay."),
            "Oleg Sokolov",
            "Anna Sokolova",
            id="gendered-surname-forms",
        ),
        pytest.param(
            ("Tom Lee scored twice for the visitors.", "Tom Lew was sent off in the second half."),
            "Tom Lee",
            "Tom Lew",
            id="short-names",
        ),
    ],
)
def test_resolve_guards_keep_people_apart(ctx: Context, texts: tuple[str, ...], a: str, b: str) -> None:
    assert apart(resolve_texts(ctx, *texts), a, b)


def test_resolve_ambiguous_surname_is_not_guessed(ctx: Context) -> None:
    corpus = resolve_texts(
        ctx,
        "Maria Castellano won the council seat in Dunmore.",
        "Lucia Castellano conceded the council seat in Dunmore.",
        "Castellano thanked voters on Sunday night.",
    )
    bare = entities_with(corpus, "Castellano")  # its own entity or none at all
    assert not bare & entities_with(corpus, "Maria Castellano")
    assert not bare & entities_with(corpus, "Lucia Castellano")


def test_resolve_surname_with_a_conflicting_honorific_stays_apart(ctx: Context) -> None:
    corpus = resolve_texts(ctx, "Mr Piet Verhoeven chaired the inquiry.", "Ms Verhoeven said the report was late.")
    assert apart(corpus, "Mr Piet Verhoeven", "Ms Verhoeven")


def test_resolve_role_with_two_possible_holders_stays_unlinked(ctx: Context) -> None:
    corpus = resolve_texts(
        ctx,
        "Palace spokesman Teodor Vlasenko said the king was resting.",
        "Palace spokesman Ruben Ostrowski said the queen would travel.",
        "The Palace spokesman said the parade would go ahead.",
    )
    assert apart(corpus, "Teodor Vlasenko", "Ruben Ostrowski")
    holders = entities_with(corpus, "Teodor Vlasenko") | entities_with(corpus, "Ruben Ostrowski")
    third = corpus.analyses[[a.article.text.startswith("The Palace") for a in corpus.analyses].index(True)]
    role_chains = {m.chain for m in third.mentions if m.kind == "role"}
    mapped = {e for a, c, e in corpus.entity_of_chain if a == third.article.id and c in role_chains}
    assert not mapped & holders


def test_resolve_sets_quote_speakers_from_chains(ctx: Context) -> None:
    corpus = resolve_texts(ctx, "Mayor Ilse Brandt opened the bridge.", "Brandt said the bridge was safe.")
    second = next(a for a in corpus.analyses if a.article.text.startswith("Brandt"))
    chain = next(m.chain for m in second.mentions if m.name == "Brandt")
    quote = Quote(id="q1", span=second.span(0, len(second.article.text)), direct=False, speaker_chain=chain)
    analyses = tuple(replace(a, quotes=(quote,)) if a is second else a for a in corpus.analyses)
    resolved = resolve(replace(corpus, analyses=analyses), ctx)
    speaker = next(a for a in resolved.analyses if a.article.id == second.article.id).quotes[0].speaker
    assert speaker is not None
    assert speaker == one_entity(resolved, "Ilse Brandt").id


def test_resolve_maps_every_name_chain_and_is_deterministic(ctx: Context) -> None:
    texts = ("Mayor Ilse Brandt opened the bridge in Dunmore.", "Brandt said the Dunmore bridge was safe.")
    first, second = resolve_texts(ctx, *texts), resolve_texts(ctx, *reversed(texts))
    assert [(e.id, e.name, e.mentions) for e in first.entities] == [(e.id, e.name, e.mentions) for e in second.entities]
    mapped = {(a, c) for a, c, _ in first.entity_of_chain}
    for analysis in first.analyses:
        for m in analysis.mentions:
            if m.kind in {"name", "acronym"}:
                assert (analysis.article.id, m.chain) in mapped


def test_resolve_canonical_name_is_the_fullest_common_form(ctx: Context) -> None:
    corpus = resolve_texts(
        ctx,
        "President Borys Kovalenskyy opened the bridge.",
        "Borys Kovalenskyy said it cost less than planned. Kovalenskyy smiled.",
        "Mr Kovalensky did not comment.",
    )
    entity = one_entity(corpus, "Borys Kovalenskyy", "Mr Kovalensky")
    assert entity.name == "Borys Kovalenskyy"
    assert entity.type == "PERSON"
    assert "President" in entity.roles


def test_resolve_types_map_to_the_contract(ctx: Context) -> None:
    corpus = resolve_texts(ctx, "On Monday, 300 workers at Harbour Steel in Dunmore went on strike for 2 days.")
    assert {e.type for e in corpus.entities} <= {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "OTHER"}
    assert not [e for e in corpus.entities if e.name in {"Monday", "300", "2 days"}]


def test_resolve_beats_the_exact_name_baseline_on_our_stories(ctx: Context) -> None:
    """B-cubed on our own invented multi-article stories (tests/data/entity_coref); no false merges."""
    import importlib.util

    path = ROOT / "benchmarks" / "entities_coref.py"
    spec = importlib.util.spec_from_file_location("entities_coref", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = Path(ROOT / "tests" / "data" / "entity_coref" / "stories.json")
    assert len(json.loads(data.read_text(encoding="utf-8"))) >= 6
    result = module.evaluate(data, ctx)
    system_p, _system_r, system_f = result["system"]["b3"]
    baseline_f = result["baseline"]["b3"][2]
    assert system_f > baseline_f + 0.15
    assert system_p >= 0.97
    assert not result["merged"]


def test_resolve_romanisation_stories_merge_without_false_merges(ctx: Context) -> None:
    """Greek gi/yi, English-spelled oo for u and Cyrillic ye/e in -ev (romanisation.json): found
    across articles, and the distractors (two Kalantzakis, Ozaki, Kapoor, Timofeyev) kept apart."""
    import importlib.util

    path = ROOT / "benchmarks" / "entities_coref.py"
    spec = importlib.util.spec_from_file_location("entities_coref", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.evaluate(ROOT / "tests" / "data" / "entity_coref" / "romanisation.json", ctx)
    assert not result["merged"]
    assert result["system"]["b3"][0] == 1.0
    assert result["system"]["b3"][2] >= 0.89, result["split"]  # 0.914; Russian/Ukrainian town forms stay split
    for name in ("1:Jiho Yoon", "1:Minjun Joo", "2:Rakesh Kapoor", "0:Giannis Doukas", "4:Arkady Timofeyev"):
        assert name not in result["split"]


def test_resolve_generalisation_stories_end_to_end(ctx: Context) -> None:
    """The real pipeline on invented stories with particles, hyphenated surnames, romanised given
    names, family-name-first names, titles, participle/apposition speakers and credited outlets."""
    import importlib.util

    path = ROOT / "tests" / "data" / "entity_coref" / "generalisation.py"
    spec = importlib.util.spec_from_file_location("generalisation", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    scores = module.evaluate(ctx)
    assert scores.false_merges == []
    assert scores.unlocated == []
    assert scores.linked_pairs == scores.gold_pairs >= 60, scores.split
    assert scores.speakers_right == scores.quotes >= 17, scores.speaker_errors
    assert scores.cites_found == scores.cites_expected >= 12, scores.cites_missed
    assert scores.cites_spurious == []


def _chain(article: str, chain: int, *names: tuple[str, str, str | None]) -> ChainInfo:
    """A hand-built chain of name mentions ``(name, label, title)`` in one article."""
    info = ChainInfo(article, chain)
    for name, label, title in names:
        text = f"{title} {name}" if title else name
        span = Span(article, 0, len(text), text)
        info.mentions.append(Mention(span=span, label=label, name=name, title=title, chain=chain))  # type: ignore[arg-type]
    return info


def _cluster_of(clusters: list[list[ChainInfo]], key: tuple[str, int]) -> int:
    return next(i for i, cluster in enumerate(clusters) if any(c.key == key for c in cluster))


def test_resolve_org_tagged_surname_without_gender_joins_a_gendered_person() -> None:
    """A bare surname the recogniser typed as an organisation says nothing about gender, so it
    may join the one person of that surname even when other articles call him "Mr"."""
    person = _chain("a", 0, ("Piet Verhoeven", "PERSON", "Mr"))
    org_tagged = _chain("b", 0, ("Verhoeven", "ORG", None))
    clusters = cluster_chains([person, org_tagged])
    assert _cluster_of(clusters, person.key) == _cluster_of(clusters, org_tagged.key)


def test_resolve_org_tagged_surname_with_the_other_gender_stays_apart() -> None:
    person = _chain("a", 0, ("Piet Verhoeven", "PERSON", "Mr"))
    org_tagged = _chain("b", 0, ("Verhoeven", "ORG", "Ms"))
    clusters = cluster_chains([person, org_tagged])
    assert _cluster_of(clusters, person.key) != _cluster_of(clusters, org_tagged.key)


# --------------------------------------------------------------------------- organisations' short names


@pytest.mark.parametrize(
    ("texts", "short", "long"),
    [
        pytest.param(
            (
                "Varrow Textiles will close its mill in Holbeck next spring, the company said on Monday.",
                "Workers at the Holbeck mill said Varrow had given them no warning. Varrow said demand had collapsed.",
            ),
            "Varrow",
            "Varrow Textiles",
            id="distinctive-part-typed-as-a-person",
        ),
        pytest.param(
            (
                "Corvina Bank raised its main lending rate on Tuesday.",
                "Analysts said Corvina had little choice after a weak quarter.",
            ),
            "Corvina",
            "Corvina Bank",
            id="distinctive-part-across-articles",
        ),
        pytest.param(
            (
                "The Fenmoor Water Board said the tap water was safe to drink.",
                "A spokesperson for the Water Board said tests would continue until Friday.",
            ),
            "Water Board",
            "Fenmoor Water Board",
            id="generic-tail",
        ),
    ],
)
def test_resolve_organisation_short_name_joins_its_one_long_name(
    ctx: Context, texts: tuple[str, ...], short: str, long: str
) -> None:
    corpus = resolve_texts(ctx, *texts)
    entity = one_entity(corpus, short, long)
    assert entity.type == "ORG"
    assert entity.name == long


def test_resolve_short_name_of_two_organisations_joins_neither(ctx: Context) -> None:
    corpus = resolve_texts(
        ctx,
        "Corvina Bank raised its main lending rate on Tuesday.",
        "Corvina Trust said it would sell its stake in the port.",
        "Analysts said Corvina had little choice after a weak quarter.",
    )
    assert apart(corpus, "Corvina Bank", "Corvina Trust")
    bare = entities_with(corpus, "Corvina")
    assert not bare & entities_with(corpus, "Corvina Bank")
    assert not bare & entities_with(corpus, "Corvina Trust")


def test_resolve_short_name_that_is_a_persons_surname_stays_apart(ctx: Context) -> None:
    """ "Harlan" may be Tobias Harlan or the Harlan Motor Company: never the company."""
    corpus = resolve_texts(
        ctx,
        "Businessman Tobias Harlan opened a new plant in Dearwell on Monday.",
        "The Harlan Motor Company said the plant would employ 900 people.",
        "Harlan said sales had risen for the third month.",
    )
    assert apart(corpus, "Tobias Harlan", "Harlan Motor Company")
    assert not entities_with(corpus, "Harlan Motor Company") & entities_with(corpus, "Harlan")


def test_resolve_gendered_surname_never_becomes_an_organisation() -> None:
    """A bare surname with a gender cue is a person, whatever organisation shares the word."""
    bank = _chain("a", 0, ("Corvina Bank", "ORG", None))
    person = _chain("b", 0, ("Corvina", "PERSON", "Ms"))
    clusters = cluster_chains([bank, person])
    assert _cluster_of(clusters, bank.key) != _cluster_of(clusters, person.key)


def test_resolve_place_is_not_the_short_name_of_an_organisation_named_after_it() -> None:
    """ "Fenmoor" the town and "the Fenmoor Water Board" are two things."""
    board = _chain("a", 0, ("Fenmoor Water Board", "ORG", None))
    town = _chain("b", 0, ("Fenmoor", "GPE", None))
    mistyped = _chain("c", 0, ("Fenmoor", "ORG", None))  # the same word typed a place elsewhere
    clusters = cluster_chains([board, town, mistyped])
    assert _cluster_of(clusters, board.key) != _cluster_of(clusters, town.key)
    assert _cluster_of(clusters, board.key) != _cluster_of(clusters, mistyped.key)


def test_resolve_org_short_name_stories_merge_without_false_merges(ctx: Context) -> None:
    """Organisations cited by their distinctive part or generic tail (org_short_names.json), with
    two lenders sharing a name, a bare name that could be either, and a town sharing a company's name."""
    import importlib.util

    path = ROOT / "benchmarks" / "entities_coref.py"
    spec = importlib.util.spec_from_file_location("entities_coref", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.evaluate(ROOT / "tests" / "data" / "entity_coref" / "org_short_names.json", ctx)
    assert not result["merged"]  # Marlow Bank, Marlow Trust and the bare "Marlow" stay three
    assert result["system"]["b3"][2] >= 0.95, result["split"]  # 1.0; 0.884 before the rule
    for name in ("0:Varrow Textiles", "0:Holbeck Town Council", "1:Corvina Bank", "2:Dunsby Water Board"):
        assert name not in result["split"]


# --------------------------------------------------------------------------- organisations' tails


def test_resolve_tail_of_one_long_name_joins_it(ctx: Context) -> None:
    """ "the Basin Authority" beside "the Velmora Basin Authority": "Basin" is no generic word,
    but the tail has one owner in the story, named in full in the same article."""
    corpus = resolve_texts(
        ctx,
        "The Velmora Basin Authority opened the spillway on Thursday after three days of rain.\n\n"
        "Engineers at the Basin Authority said the reservoir had risen by two metres.",
        "Farmers said the Velmora Basin Authority had ignored their calls for a week.",
    )
    entity = one_entity(corpus, "Velmora Basin Authority", "Basin Authority")
    assert entity.type == "ORG"
    assert entity.name == "Velmora Basin Authority"


def test_resolve_tail_of_two_long_names_joins_neither(ctx: Context) -> None:
    corpus = resolve_texts(
        ctx,
        "The Velmora Basin Authority and the Tessin Basin Authority agreed on Monday to share a new canal.\n\n"
        "Engineers at the Basin Authority said digging would start in May.",
        "The Tessin Basin Authority said the canal would carry water south.",
    )
    assert apart(corpus, "Velmora Basin Authority", "Tessin Basin Authority")
    assert apart(corpus, "Basin Authority", "Velmora Basin Authority")
    assert apart(corpus, "Basin Authority", "Tessin Basin Authority")


def test_resolve_tail_shared_with_an_unrelated_body_joins_neither(ctx: Context) -> None:
    """ "Health Authority" ends both "the Regional Health Authority" (all generic words, so no
    short name of its own) and the "National Health Authority" of another article."""
    corpus = resolve_texts(
        ctx,
        "The Regional Health Authority will close two clinics in Moravec next month.\n\n"
        "A spokesman for the Health Authority said staff would move to the town hospital.",
        "The National Health Authority said on Thursday it had not been consulted.",
    )
    assert apart(corpus, "Regional Health Authority", "National Health Authority")
    assert apart(corpus, "Health Authority", "National Health Authority")
    assert apart(corpus, "Health Authority", "Regional Health Authority")


def test_resolve_tail_needs_the_and_its_long_name_in_the_same_article() -> None:
    board = _chain("a", 0, ("Velmora Basin Authority", "ORG", None))
    here = _chain("a", 1, ("Basin Authority", "ORG", None))
    assert _cluster_of(cluster_chains([board, here], definite={here.key}), here.key) == 0
    clusters = cluster_chains([board, here])  # "Basin Authority said", no "the": a name of its own
    assert _cluster_of(clusters, board.key) != _cluster_of(clusters, here.key)
    elsewhere = _chain("b", 0, ("Basin Authority", "ORG", None))  # the long name only in another article
    clusters = cluster_chains([board, elsewhere], definite={elsewhere.key})
    assert _cluster_of(clusters, board.key) != _cluster_of(clusters, elsewhere.key)


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(("Fenmoor", "GPE", None), id="place-word"),
        pytest.param(("Owen Fenmoor", "PERSON", None), id="person-word"),
    ],
)
def test_resolve_tail_with_a_place_or_person_word_stays_apart(other: tuple[str, str, str | None]) -> None:
    """ "the Fenmoor Basin Authority" may be the town's own body, not "North Fenmoor Basin Authority"."""
    board = _chain("a", 0, ("North Fenmoor Basin Authority", "ORG", None))
    tail = _chain("a", 1, ("Fenmoor Basin Authority", "ORG", None))
    clusters = cluster_chains([board, tail, _chain("b", 0, other)], definite={tail.key})
    assert _cluster_of(clusters, board.key) != _cluster_of(clusters, tail.key)


def test_resolve_tail_is_never_a_place() -> None:
    board = _chain("a", 0, ("Velmora Basin Authority", "ORG", None))
    basin = _chain("a", 1, ("Basin Authority", "LOC", None))
    clusters = cluster_chains([board, basin], definite={basin.key})
    assert _cluster_of(clusters, board.key) != _cluster_of(clusters, basin.key)


def test_resolve_org_tail_stories_merge_without_false_merges(ctx: Context) -> None:
    """Tails with a word that is not generic (org_tails.json): one owner joins, two owners or a
    tail shared with an unrelated body join nothing."""
    import importlib.util

    path = ROOT / "benchmarks" / "entities_coref.py"
    spec = importlib.util.spec_from_file_location("entities_coref", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.evaluate(ROOT / "tests" / "data" / "entity_coref" / "org_tails.json", ctx)
    assert not result["merged"]  # before the rule: "Health Authority" + "National Health Authority"
    assert "0:Velmora Basin Authority" not in result["split"]
    assert result["system"]["b3"][2] >= 0.95, result["split"]  # 1.0; 0.930 before the rule


def test_resolve_role_word_alone_is_no_entity_unless_a_surname_elsewhere() -> None:
    """A headline's "Councillor" is an office, not a name; "King" is a surname once "Ms King" is given."""
    headline = _chain("a", 0, ("Councillor", "PERSON", None))
    assert all(c.key != headline.key for cluster in cluster_chains([headline]) for c in cluster)
    titled = _chain("b", 0, ("King", "PERSON", "Ms"))
    bare = _chain("c", 0, ("King", "PERSON", None))
    clusters = cluster_chains([titled, bare])
    assert _cluster_of(clusters, titled.key) == _cluster_of(clusters, bare.key)


def test_resolve_weakly_typed_spelling_variant_joins_the_place_and_takes_its_type() -> None:
    """ "Ostrowets" left OTHER in one article is "Ostrovets" the town (GPE) named in another."""
    town = _chain("a", 0, ("Ostrovets", "GPE", None), ("Ostrovets", "GPE", None))
    weak = _chain("b", 0, ("Ostrowets", "OTHER", None), ("Ostrowets", "OTHER", None), ("Ostrowets", "OTHER", None))
    clusters = cluster_chains([town, weak])
    assert _cluster_of(clusters, town.key) == _cluster_of(clusters, weak.key)
    entities, _ = build_entities(clusters)
    assert [e.type for e in entities] == ["GPE"]


def test_resolve_place_types_are_one_family_for_spelling_variants() -> None:
    town = _chain("a", 0, ("Ostrovets", "GPE", None))
    area = _chain("b", 0, ("Ostrowets", "LOC", None))
    clusters = cluster_chains([town, area])
    assert _cluster_of(clusters, town.key) == _cluster_of(clusters, area.key)


def test_resolve_weak_spelling_variant_of_two_strong_entities_joins_neither() -> None:
    town = _chain("a", 0, ("Ostrovets", "GPE", None))
    firm = _chain("b", 0, ("Ostrovetz", "ORG", None))
    weak = _chain("c", 0, ("Ostrowets", "OTHER", None))
    clusters = cluster_chains([town, firm, weak])
    assert len({_cluster_of(clusters, c.key) for c in (town, firm, weak)}) == 3


def test_resolve_strong_types_do_not_merge_across_families_by_spelling() -> None:
    """Only a weak type gives way: a place and an organisation spelled alike stay two."""
    town = _chain("a", 0, ("Ostrovets", "GPE", None))
    firm = _chain("b", 0, ("Ostrovetz", "ORG", None))
    clusters = cluster_chains([town, firm])
    assert _cluster_of(clusters, town.key) != _cluster_of(clusters, firm.key)


def test_resolve_weak_spelling_variant_never_joins_a_person() -> None:
    """A person Georgia and a weakly typed "Georgiya" stay apart; the state Georgia takes it."""
    person = _chain("a", 0, ("Georgia Halloran", "PERSON", None), ("Georgia", "PERSON", "Ms"))
    state = _chain("b", 0, ("Georgia", "GPE", None))
    weak = _chain("c", 0, ("Georgiya", "OTHER", None))
    clusters = cluster_chains([person, state, weak])
    assert _cluster_of(clusters, person.key) != _cluster_of(clusters, state.key)
    assert _cluster_of(clusters, person.key) != _cluster_of(clusters, weak.key)
    assert _cluster_of(clusters, state.key) == _cluster_of(clusters, weak.key)


@pytest.mark.parametrize(
    ("texts", "person", "place"),
    [
        pytest.param(
            (
                "Jordan Whitcombe, a nurse at the clinic, said the water was unsafe.",
                "Jordan closed its border crossing with the region on Monday.",
                "Ms Whitcombe said Jordan had sent two trucks of bottled water.",
            ),
            "Jordan Whitcombe",
            "Jordan",
            id="jordan",
        ),
        pytest.param(
            (
                "Georgia Halloran, a teacher in Macon, said the storm tore the roof off her school.",
                "The storm killed four people in Georgia, the state's governor said.",
            ),
            "Georgia Halloran",
            "Georgia",
            id="georgia",
        ),
    ],
)
def test_resolve_person_and_place_sharing_a_word_stay_apart(
    ctx: Context, texts: tuple[str, ...], person: str, place: str
) -> None:
    corpus = resolve_texts(ctx, *texts)
    people = {e.id for e in corpus.entities if e.type == "PERSON" and person in e.aliases}
    assert people
    places = {e.id for e in corpus.entities if e.type in {"GPE", "LOC"} and place in e.aliases}
    assert places
    assert not people & places


def test_resolve_untyped_spelling_variant_joins_its_one_place() -> None:
    """An unlabelled proper noun spelled a little differently from a named town joins it."""
    town = _chain("a", 0, ("Ostrovets", "GPE", None))
    untyped = ChainInfo("b", 0)
    span = Span("b", 0, 9, "Ostrowets")
    untyped.mentions.append(Mention(span=span, label="OTHER", kind="candidate", name="Ostrowets", chain=0))
    clusters = cluster_chains([town, untyped])
    assert _cluster_of(clusters, town.key) == _cluster_of(clusters, untyped.key)


def _untyped(text: str, *names: str, typed: tuple[tuple[str, str], ...] = (), he_said: str | None = None) -> object:
    """An analysis whose ``names`` the recogniser left untyped (one chain each, in order), with
    ``typed`` names (name, label) after them and, with ``he_said``, a direct quotation ending
    "…," he said. that the quotes stage gave to the first name."""
    analysis = new_analysis(make_article(text))
    mentions = []
    for chain, name in enumerate(names):
        start = text.index(name)
        span = analysis.span(start, start + len(name))
        mentions.append(Mention(span=span, label="OTHER", kind="candidate", name=name, chain=chain))
    for chain, (name, label) in enumerate(typed, start=len(names)):
        start = text.index(name)
        span = analysis.span(start, start + len(name))
        mentions.append(Mention(span=span, label=label, name=name, chain=chain))  # type: ignore[arg-type]
    quotes: tuple[Quote, ...] = ()
    if he_said is not None:
        start = text.index(he_said)
        pronoun = text.index(" he said", start) + 1
        quotes = (
            Quote(
                id="q1",
                span=analysis.span(start, start + len(he_said)),
                speaker_span=analysis.span(pronoun, pronoun + 2),
                speaker_chain=0,
            ),
        )
    return replace(analysis, mentions=tuple(sorted(mentions, key=lambda m: m.span.start)), quotes=quotes)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Idris Valkenov, a lorry driver who was passing the depot, said the windows shook.", id="apposition"
        ),
        pytest.param("Idris Valkenov, 52, said her stall was lost in the fire.", id="age"),
        pytest.param("Idris Valkenov, who sells carpets at the market, saw the roof fall.", id="who"),
        pytest.param("The roof fell in first, according to Idris Valkenov, the stall owner's widow.", id="family"),
    ],
)
def test_resolve_untyped_name_with_a_person_cue_founds_a_person(ctx: Context, text: str) -> None:
    corpus = resolve(Corpus(analyses=(_untyped(text, "Idris Valkenov"),)), ctx)  # type: ignore[arg-type]
    entity = one_entity(corpus, "Idris Valkenov")
    assert entity.type == "PERSON"


def test_resolve_untyped_person_speaks_and_joins_their_surname_elsewhere(ctx: Context) -> None:
    """ "he said" after an untyped name gives the quotation to a person the story knows by surname."""
    first = _untyped(
        'Idris Valkenov was at the depot gate.\n\n"The smoke came in through the vents," he said.',
        "Idris Valkenov",
        he_said="The smoke came in through the vents",
    )
    second = _untyped("Mr Valkenov said the gate was locked.", typed=(("Valkenov", "PERSON"),))
    corpus = resolve(Corpus(analyses=(first, second)), ctx)  # type: ignore[arg-type]
    entity = one_entity(corpus, "Idris Valkenov", "Valkenov")
    assert entity.type == "PERSON"
    speaker = next(a for a in corpus.analyses if a.article.id == first.article.id).quotes[0].speaker  # type: ignore[attr-defined]
    assert speaker == entity.id


@pytest.mark.parametrize(
    ("text", "name", "typed"),
    [
        pytest.param("Idris Valkenov said the windows shook.", "Idris Valkenov", (), id="no-cue"),
        pytest.param("The people of Kara Tobe, who rely on the market, lost everything.", "Kara Tobe", (), id="of-who"),
        pytest.param("Neptune Halcyon, a cargo ship, was moored at the quay.", "Neptune Halcyon", (), id="ship"),
        pytest.param("Upper Tesh, a region of farms, was told to close windows.", "Upper Tesh", (), id="place-word"),
        pytest.param("Valkenov, a lorry driver, said the windows shook.", "Valkenov", (), id="one-word"),
        pytest.param(
            "Marlow Halcyon, who owns the quay, said the ship was safe. Marlow Halcyon Shipping agreed.",
            "Marlow Halcyon",
            (("Marlow Halcyon Shipping", "ORG"),),
            id="typed-elsewhere-is-not-it",
        ),
    ],
)
def test_resolve_untyped_name_without_a_person_cue_founds_nothing(
    ctx: Context, text: str, name: str, typed: tuple[tuple[str, str], ...]
) -> None:
    corpus = resolve(Corpus(analyses=(_untyped(text, name, typed=typed),)), ctx)  # type: ignore[arg-type]
    assert not any(e.type == "PERSON" for e in corpus.entities)


# --------------------------------------------------------------------------- a national body's tail


def test_resolve_tail_after_a_nationality_joins_its_long_name_in_another_article() -> None:
    """ "the Progressive Front" in an article that never names "the Tarvanian Progressive Front" in
    full: the nationality is the story's own (Tarvania is a place of it), so the tail is that body."""
    country = _chain("a", 0, ("Tarvania", "GPE", None))
    front = _chain("a", 1, ("Tarvanian Progressive Front", "ORG", None))
    tail = _chain("b", 0, ("Progressive Front", "ORG", None))
    clusters = cluster_chains([country, front, tail], definite={tail.key})
    assert _cluster_of(clusters, front.key) == _cluster_of(clusters, tail.key)
    assert _cluster_of(clusters, country.key) != _cluster_of(clusters, front.key)


def test_resolve_tail_after_a_word_that_is_no_nationality_needs_its_long_name_in_the_article() -> None:
    front = _chain("a", 0, ("Velmora Progressive Front", "ORG", None))
    tail = _chain("b", 0, ("Progressive Front", "ORG", None))
    clusters = cluster_chains([_chain("a", 1, ("Tarvania", "GPE", None)), front, tail], definite={tail.key})
    assert _cluster_of(clusters, front.key) != _cluster_of(clusters, tail.key)


def test_resolve_tail_after_two_nationalities_joins_neither() -> None:
    """Two countries' bodies of one name: "the Progressive Front" may be either."""
    chains = [
        _chain("a", 0, ("Tarvania", "GPE", None)),
        _chain("a", 1, ("Ostravia", "GPE", None)),
        _chain("a", 2, ("Tarvanian Progressive Front", "ORG", None)),
        _chain("a", 3, ("Ostravian Progressive Front", "ORG", None)),
        _chain("b", 0, ("Progressive Front", "ORG", None)),
    ]
    clusters = cluster_chains(chains, definite={("b", 0)})
    assert len({_cluster_of(clusters, c.key) for c in chains[2:]}) == 3


def test_resolve_tail_after_a_nationality_needs_the() -> None:
    country = _chain("a", 0, ("Tarvania", "GPE", None))
    front = _chain("a", 1, ("Tarvanian Progressive Front", "ORG", None))
    tail = _chain("b", 0, ("Progressive Front", "ORG", None))  # "Progressive Front said": a name of its own
    clusters = cluster_chains([country, front, tail])
    assert _cluster_of(clusters, front.key) != _cluster_of(clusters, tail.key)


# --------------------------------------------------------------------------- Arabic romanisations


def test_resolve_arabic_romanisations_of_one_person_join_across_articles() -> None:
    """One outlet's French spelling of both names (Mohamed Zaher) joins the English ones, whose
    surname-only mentions agree with it; a namesake with another given name stays apart."""
    english = _chain("a", 0, ("Mohammed Zahir", "PERSON", None), ("Zahir", "PERSON", "Mr"))
    other = _chain("b", 0, ("Muhammad Zahir", "PERSON", None))
    french = _chain("c", 0, ("Mohamed Zaher", "PERSON", None))
    namesake = _chain("c", 1, ("Karim Zaher", "PERSON", None))
    same_given = _chain("c", 2, ("Mohammed al-Baqri", "PERSON", None))
    clusters = cluster_chains([english, other, french, namesake, same_given])
    assert _cluster_of(clusters, english.key) == _cluster_of(clusters, other.key) == _cluster_of(clusters, french.key)
    assert _cluster_of(clusters, namesake.key) != _cluster_of(clusters, english.key)
    assert _cluster_of(clusters, same_given.key) != _cluster_of(clusters, english.key)


def test_resolve_relative_with_shared_surname_stays_apart() -> None:
    """Layla and Tariq al-Baqri are two people, whatever the particle's spelling."""
    tariq = _chain("a", 0, ("Tariq al-Baqri", "PERSON", None), ("al-Baqri", "PERSON", "Mr"))
    tariq_fr = _chain("b", 0, ("Tarek el-Baqri", "PERSON", None))
    layla = _chain("b", 1, ("Layla al-Baqri", "PERSON", None))
    clusters = cluster_chains([tariq, tariq_fr, layla])
    assert _cluster_of(clusters, tariq.key) == _cluster_of(clusters, tariq_fr.key)
    assert _cluster_of(clusters, layla.key) != _cluster_of(clusters, tariq.key)


def test_resolve_arabic_article_spellings_of_one_place_join() -> None:
    a = _chain("a", 0, ("Wadi al-Tamar", "GPE", None))
    b = _chain("b", 0, ("Wadi el-Tamar", "GPE", None))
    c = _chain("b", 1, ("Wadi el-Qamar", "GPE", None))
    clusters = cluster_chains([a, b, c])
    assert _cluster_of(clusters, a.key) == _cluster_of(clusters, b.key) != _cluster_of(clusters, c.key)


# --------------------------------------------------------------------------- Chinese names


def test_resolve_chinese_name_in_both_orders_is_one_person_and_takes_its_surname() -> None:
    """Surname first in one outlet, given name first in another: one person, and "Mr Tang"
    attaches by the surname the family-name list picks out."""
    first = _chain("a", 0, ("Tang Haoming", "PERSON", None))
    western = _chain("b", 0, ("Haoming Tang", "PERSON", None))
    mister = _chain("c", 0, ("Tang", "PERSON", "Mr"))
    clusters = cluster_chains([first, western, mister])
    assert _cluster_of(clusters, first.key) == _cluster_of(clusters, western.key) == _cluster_of(clusters, mister.key)


def test_resolve_chinese_namesakes_with_one_surname_stay_apart() -> None:
    """A witness "Tang Wen" beside a defendant "Tang Haoming": two people, and "Mr Tang" is
    nobody's for sure."""
    defendant = _chain("a", 0, ("Tang Haoming", "PERSON", None))
    witness = _chain("a", 1, ("Tang Wen", "PERSON", None))
    western = _chain("b", 0, ("Wen Tang", "PERSON", None))
    mister = _chain("b", 1, ("Tang", "PERSON", "Mr"))
    clusters = cluster_chains([defendant, witness, western, mister])
    assert _cluster_of(clusters, defendant.key) != _cluster_of(clusters, witness.key)
    assert _cluster_of(clusters, witness.key) == _cluster_of(clusters, western.key)
    assert _cluster_of(clusters, mister.key) != _cluster_of(clusters, defendant.key)
    assert _cluster_of(clusters, mister.key) != _cluster_of(clusters, witness.key)


def test_resolve_reversed_western_names_stay_apart() -> None:
    a = _chain("a", 0, ("Mabel Hardy", "PERSON", None))
    b = _chain("b", 0, ("Hardy Mabel", "PERSON", None))
    clusters = cluster_chains([a, b])
    assert _cluster_of(clusters, a.key) != _cluster_of(clusters, b.key)


def test_resolve_wade_giles_and_pinyin_spellings_join() -> None:
    """Wade-Giles "Teng Hsiao-ming" is pinyin "Deng Xiaoming"; its surname mention follows it."""
    pinyin = _chain("a", 0, ("Deng Xiaoming", "PERSON", None), ("Deng", "PERSON", "Mr"))
    wade_giles = _chain("b", 0, ("Teng Hsiao-ming", "PERSON", None))
    surname = _chain("b", 1, ("Teng", "PERSON", "Mr"))
    other = _chain("b", 2, ("Teng Hsiao-ping", "PERSON", None))
    clusters = cluster_chains([pinyin, wade_giles, surname, other])
    assert _cluster_of(clusters, pinyin.key) == _cluster_of(clusters, wade_giles.key)
    assert _cluster_of(clusters, other.key) != _cluster_of(clusters, pinyin.key)
    assert _cluster_of(clusters, surname.key) != _cluster_of(clusters, other.key)


def test_resolve_wade_giles_with_two_pinyin_candidates_joins_neither() -> None:
    """Without apostrophes "Chu Chien-kuo" may be Zhu Jianguo or Chu Qianguo: with both in the
    story, it joins neither."""
    zhu = _chain("a", 0, ("Zhu Jianguo", "PERSON", None))
    chu = _chain("a", 1, ("Chu Qianguo", "PERSON", None))
    wade_giles = _chain("b", 0, ("Chu Chien-kuo", "PERSON", None))
    clusters = cluster_chains([zhu, chu, wade_giles])
    assert len({_cluster_of(clusters, c.key) for c in (zhu, chu, wade_giles)}) == 3


def test_resolve_canonical_name_pools_one_name_written_in_both_orders() -> None:
    """Two articles write the name in pinyin (in either order), one in Wade-Giles: the pinyin
    spelling is the majority, though each written form occurs once and the other is longer."""
    chains = [
        _chain("a", 0, ("Wang Xiulan", "PERSON", None)),
        _chain("b", 0, ("Xiulan Wang", "PERSON", None)),
        _chain("c", 0, ("Wang Hsiu-lan", "PERSON", None)),
    ]
    assert canonical_name(chains, "PERSON") in {"Wang Xiulan", "Xiulan Wang"}


@pytest.mark.parametrize(
    ("texts", "surfaces"),
    [
        pytest.param(
            (
                "The health minister, Lucía Domínguez Barral, visited the flooded clinic on Monday.",
                "Health Minister Lucia Dominguez Barral promised new equipment. Ms Domínguez said it would come soon.",
            ),
            ("Lucía Domínguez Barral", "Lucia Dominguez Barral", "Ms Domínguez"),
            id="double-surname",
        ),
        pytest.param(
            (
                "Freight boss Joost van der Molen said the barge had been inspected in May.",
                "Joost Vandermolen, who runs the freight firm, said the barge was safe. "
                "Mr Vandermolen declined to say more.",
            ),
            ("Joost van der Molen", "Joost Vandermolen", "Mr Vandermolen"),
            id="particles-fused",
        ),
    ],
)
def test_resolve_surname_classes_merge(ctx: Context, texts: tuple[str, ...], surfaces: tuple[str, ...]) -> None:
    one_entity(resolve_texts(ctx, *texts), *surfaces)


def test_resolve_double_surnames_keep_namesakes_apart(ctx: Context) -> None:
    corpus = resolve_texts(
        ctx,
        "The health minister, Lucía Domínguez Barral, visited the clinic. The ambulance driver, "
        "Ramón Domínguez Torres, was injured. A nurse, Inés Torres, treated him.",
        "Ramón Dominguez Torres was taken to hospital. Health Minister Lucia Dominguez Barral thanked the staff.",
    )
    assert apart(corpus, "Lucía Domínguez Barral", "Ramón Domínguez Torres")
    assert apart(corpus, "Inés Torres", "Ramón Domínguez Torres")
    one_entity(corpus, "Ramón Domínguez Torres", "Ramón Dominguez Torres")
