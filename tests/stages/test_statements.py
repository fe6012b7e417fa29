"""The statements stage: one utterance as rendered by several invented articles."""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from storyweave.model import Corpus, Entity, Quote, Span
from storyweave.pipeline import Context, analyse_articles, stages
from storyweave.stages.statements import (
    CHAIN_FLOOR,
    LINKED_COSINE,
    RESCUE_SCORE,
    SURE,
    Edges,
    VoiceRole,
    _Item,
    _item,
    _rescue_pairs,
    candidate_pairs,
    describe,
    read_voice_role,
    relation,
    same_utterance,
    short_forms,
    split_chains,
    with_topics,
    word_diff,
)
from support import make_article

DATA = Path(__file__).resolve().parent.parent / "data"


def corpus_of(ctx: Context, *texts: str) -> Corpus:
    """Per-article stages, then the corpus stages up to and including statements."""
    articles = [make_article(t, source=f"a{i}.txt") for i, t in enumerate(texts)]
    corpus = Corpus(analyses=tuple(sorted(analyse_articles(articles, ctx), key=lambda a: a.article.id)))
    for info in stages("corpus"):
        corpus = info.func(corpus, ctx)
        if info.name == "statements":
            break
    return corpus


def texts_of(corpus: Corpus, statement_index: int = 0) -> list[str]:
    quotes = {q.id: q for a in corpus.analyses for q in a.quotes}
    return sorted(quotes[i].span.text for i in corpus.statements[statement_index].quotes)


def quote(text: str, article: str = "a", *, direct: bool = True) -> Quote:
    return Quote(id=f"q-{article}-{text[:10]}", span=Span(article, 0, len(text), text), direct=direct)


# --------------------------------------------------------------------------- grouping


def test_statements_same_words_in_two_articles_form_one_verbatim_statement(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        'The ferry was suspended. "Safety comes before the timetable," harbour master Elsa Brandt said.',
        'Harbour master Elsa Brandt defended the decision. "Safety comes before the timetable," Brandt said on Monday.',
    )
    assert len(corpus.statements) == 1
    statement = corpus.statements[0]
    assert statement.relation == "verbatim"
    assert texts_of(corpus) == ["Safety comes before the timetable"] * 2
    assert statement.summary == "Safety comes before the timetable"


def test_statements_name_the_piece_of_a_quote_that_aligned(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        '"Safety comes before the timetable," harbour master Elsa Brandt said. "The ferry stays in port."',
        'Harbour master Elsa Brandt defended the decision. "Safety comes before the timetable," Brandt said.',
    )
    assert len(corpus.statements) == 1
    statement = corpus.statements[0]
    assert [s.text for s in statement.spans] == ["Safety comes before the timetable"] * 2
    assert len(statement.quotes) == 2


def test_statements_reworded_translation_is_a_paraphrase_with_word_differences(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        '"Our factory never releases such chemicals into the river," plant director Jonas Weir said.',
        '"We never put chemicals like that into the river," Weir told reporters.',
    )
    assert len(corpus.statements) == 1
    statement = corpus.statements[0]
    assert statement.relation == "paraphrase"
    assert len(statement.differences) == 1
    assert "[-" in statement.differences[0][2]
    assert "[+" in statement.differences[0][2]


def test_statements_direct_quote_groups_with_an_indirect_rendering(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        '"We warned the council twice about the cracks in the wall," engineer Piet Lund said.',
        "Engineer Piet Lund said he had warned the council twice about the cracks in the wall.",
    )
    assert len(corpus.statements) == 1
    assert len(texts_of(corpus)) == 2


def test_statements_translated_remark_with_an_extra_negated_sentence_aligns(ctx: Context) -> None:
    """A translation reorders the clauses and swaps words; the other rendering runs on into a
    sentence with a negation ("no budget"), so only one side is negated: still one remark."""
    corpus = corpus_of(
        ctx,
        'Mirela Oskar, who leads the union at the mill, said staff had complained for months. "We told the '
        "board twice last winter, in writing, that the boiler valves were failing. Each time we were told there "
        'was no budget," Oskar said.',
        'At the memorial, union leader Mirela Oskar repeated her charge. "Twice last winter we warned the '
        'directors in writing that the valves of the boiler were failing," she told this newspaper.',
    )
    assert len(corpus.statements) == 1
    assert corpus.statements[0].relation == "paraphrase"
    assert [t[:12] for t in texts_of(corpus)] == ["Twice last w", "We told the "]


def test_statements_two_different_remarks_of_one_speaker_stay_apart(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        '"The bridge will reopen on Monday," city engineer Carla Mendes said.',
        '"The tunnel budget has doubled since the spring," city engineer Carla Mendes said.',
    )
    assert corpus.statements == ()


def test_statements_same_words_from_different_speakers_stay_apart(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        '"We will appeal the ruling in the higher court," lawyer Sven Aalto said.',
        '"We will appeal the ruling," prosecutor Greta Olin said after the hearing.',
    )
    assert corpus.statements == ()


def test_statements_unattributed_quote_joins_only_on_near_identical_words(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        '"Every clinic in the province will stay open through the winter," health minister Oren Falk said.',
        'Residents were told: "Every clinic in the province will stay open through the winter."',
        'Residents were also told: "Clinics will mostly keep working in the cold months."',
    )
    assert len(corpus.statements) == 1
    clinic = "Every clinic in the province will stay open through the winter"
    assert texts_of(corpus) == [clinic, f"{clinic}."]


def test_statements_unattributed_verbatim_excerpt_joins(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        '"We believe the thieves knew the building very well," police spokesman Anton Reiss said.',
        'Local radio quoted an officer: "We believe the thieves knew the building."',
    )
    assert len(corpus.statements) == 1
    assert len(texts_of(corpus)) == 2


def test_statements_need_quotes_from_two_articles(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        '"The dam is safe," Governor Alma Ruiz said. Later she repeated: "The dam is safe."',
        "The reservoir level fell overnight.",
    )
    assert corpus.statements == ()


def test_statements_ids_and_order_are_deterministic(ctx: Context) -> None:
    texts = (
        '"Safety comes before the timetable," harbour master Elsa Brandt said.',
        '"Safety comes before the timetable," Brandt said.',
    )
    first, second = corpus_of(ctx, *texts), corpus_of(ctx, *texts)
    assert [s.id for s in first.statements] == [s.id for s in second.statements]
    assert [s.quotes for s in first.statements] == [s.quotes for s in second.statements]


# --------------------------------------------------------------------------- speakers who speak for others


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("ministry spokesperson Jane Doe", VoiceRole(target="ministry")),
        ("Harbour Authority spokesperson Lena Ostrova", VoiceRole(target="harbour authority")),
        ("a spokesman for the Harbour Authority", VoiceRole(target="harbour authority")),
        ("the Kestrel Bank's press secretary", VoiceRole(target="kestrel bank")),
        ("deputy spokeswoman for the union", VoiceRole(target="union")),
        ("the mayor's office", VoiceRole(target="mayor")),
        ("aides to the governor", VoiceRole(target="governor")),
        ("his office", VoiceRole(pronoun="his")),
        ("a senior spokesperson", VoiceRole()),
        ("spokesman Anton Weil", VoiceRole()),
        ("the Foreign Office", None),  # an office's own name, not someone's office
        ("Representative Jane Doe", None),  # a title
        ("aides", None),
        ("chief engineer at the Harbour Authority", None),  # works there, does not speak for it
    ],
)
def test_statements_voice_role_read_from_the_speaker_phrase(phrase: str, expected: VoiceRole | None) -> None:
    assert read_voice_role(phrase) == expected


def test_statements_short_form_of_one_organisation_name_blocks_with_it() -> None:
    entities = [
        Entity(id="e1", name="Fenwick Harbour Board", type="ORG"),
        Entity(id="e2", name="Harbour Board", type="ORG"),
        Entity(id="e3", name="Board", type="ORG"),
        Entity(id="e4", name="Health Ministry", type="ORG"),
        Entity(id="e5", name="Finance Ministry", type="ORG"),
        Entity(id="e6", name="Ministry", type="ORG"),
        Entity(id="e7", name="Anna Board", type="PERSON"),
    ]
    # "Harbour Board" and "Board" end one longer name only; "Ministry" ends two, so it stays apart,
    # and people are never short forms.
    assert short_forms(entities) == {"e2": "e1", "e3": "e1"}


def speakers_of(corpus: Corpus) -> list[str | None]:
    names = {e.id: e.name for e in corpus.entities}
    return [names.get(s.speaker) if s.speaker else None for s in corpus.statements]


def test_statements_organisation_and_its_named_spokesperson_form_one_statement(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "The Harbour Authority said on Monday that the ferry terminal would reopen next week once the "
        "damaged pier had been repaired.",
        '"The ferry terminal will reopen next week, as soon as the pier is repaired," Harbour Authority '
        "spokesperson Lena Ostrova told reporters.",
    )
    assert len(corpus.statements) == 1
    assert len(texts_of(corpus)) == 2
    assert speakers_of(corpus) == ["Harbour Authority"]


def test_statements_organisation_named_by_a_common_noun_and_a_spokesman_for_it(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "Tolls on the coastal road will double from April, the transport ministry said on Tuesday.",
        "A spokesman for the transport ministry said the tolls on the coastal road would double in April.",
    )
    assert len(corpus.statements) == 1
    assert len(texts_of(corpus)) == 2


def test_statements_institution_named_by_a_common_noun_speaks_with_one_voice(ctx: Context) -> None:
    mill = (
        "The Dorval paper mill will close in May and 300 jobs will go, {} said on Monday.",
        "The Dorval paper mill is to shut down in May with the loss of 300 jobs, {} told the Herald.",
    )
    union = corpus_of(ctx, *(t.format("the union") for t in mill))
    assert len(union.statements) == 1
    # Two unnamed sources are two people, not one institution: their words join only when identical.
    sources = corpus_of(ctx, *(t.format("a source") for t in mill))
    assert sources.statements == ()


def test_statements_bare_spokesperson_speaks_for_the_organisation_just_quoted(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "The Corvale Rail Company has denied that it cut the night trains to save money. "
        '"The night trains were cut because the tracks need repairs, not to save money," spokesperson '
        "Mira Tal said.",
        "The Corvale Rail Company said the night trains were suspended because the tracks needed repairs, "
        "and not to save money.",
    )
    assert len(corpus.statements) == 1
    assert any("spokesperson" not in t and "tracks need repairs" in t for t in texts_of(corpus))
    assert speakers_of(corpus) == ["Corvale Rail Company"]


def test_statements_person_and_his_office_form_one_statement(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "Governor Aldo Brenn will not attend the summit in Oslo, his office said on Friday, citing a family illness.",
        '"The governor will not be travelling to the summit in Oslo because of an illness in his family," Brenn said.',
    )
    assert len(corpus.statements) == 1
    assert speakers_of(corpus) == ["Aldo Brenn"]


def test_statements_spokesperson_on_another_subject_stays_apart_from_the_organisation(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "The Corvale Rail Company said the night trains were suspended because the tracks needed repairs.",
        '"We expect the new timetable to be published in March," Corvale Rail Company spokesperson Mira Tal said.',
    )
    assert corpus.statements == ()


def test_statements_employee_who_is_no_spokesperson_is_not_linked(ctx: Context) -> None:
    # A paraphrase by the company's engineer: only a voice role links a person to an organisation.
    corpus = corpus_of(
        ctx,
        "The Corvale Rail Company said the night trains were suspended because the tracks needed repairs.",
        '"The night trains stopped because the tracks need repairs," said Ruben Ost, chief engineer at the '
        "Corvale Rail Company.",
    )
    assert corpus.statements == ()


def test_statements_linked_pair_needs_agreement_in_meaning() -> None:
    a, b = with_topics(
        [
            _item("a", quote("The hospital has no plans to close the maternity ward", "a")),
            _item("b", quote("There are no plans for the maternity ward at the hospital", "b")),
        ]
    )
    cosine = LINKED_COSINE - 0.05
    assert same_utterance(a, b, cosine)  # enough for one speaker's two renderings ...
    assert not same_utterance(a, b, cosine, linked=True)  # ... not for two speakers linked by a role
    assert same_utterance(a, b, LINKED_COSINE + 0.05, linked=True)


def test_statements_denied_claim_is_not_a_rewording_of_the_speakers_own_affirmation() -> None:
    # "X denied that the bus had been speeding": the reported words are the claim denied, so they
    # never stand for the speaker's own affirmation, however close in meaning; a quotation that
    # negates in its own words still may ("not unsafe" / "safe").
    denied = Quote(
        id="q-a-denied",
        span=Span("a", 0, 25, "the bus had been speeding"),
        direct=False,
        negated=True,
    )
    said = "The bus was driven with care"
    own = "The bus was never driven with haste"
    a, b, c = with_topics([_item("a", denied), _item("b", quote(said, "b")), _item("c", quote(own, "c"))])
    assert a.denial
    assert not c.denial
    assert not same_utterance(a, b, 0.95)
    assert same_utterance(c, b, 0.95)


def _rescue_items(*quotes: tuple[str, str, bool]) -> list[_Item]:
    return with_topics(
        [
            _item(art, Quote(id=f"q{n}", span=Span(art, 0, len(t), t), negated=neg))
            for n, (t, art, neg) in enumerate(quotes)
        ]
    )


def _rescued(ctx: Context, items: list[_Item], edges: Edges) -> Edges:
    keys: list[str | None] = ["ent-owner"] * len(items)
    edges = defaultdict(dict, edges)
    _rescue_pairs({"ent-owner": list(range(len(items)))}, items, keys, edges, ctx.embedder.encode, np.zeros((0, 1)), {})
    return edges


def test_statements_only_counterparts_of_one_speaker_join_at_a_lower_score(ctx: Context) -> None:
    # A translated remark keeps its meaning, not its words (no content word in common): each is the
    # speaker's only affirmative quote in its article, so the two are joined; the denial beside one
    # of them has the other polarity and is not a candidate.
    items = _rescue_items(
        ("The aircraft was entirely airworthy", "x", False),
        ("The plane was in perfect condition to fly", "y", False),
        ("claims that the plane had been overloaded", "y", True),
    )
    assert not items[0].content & items[1].content
    edges = _rescued(ctx, items, {})
    assert edges[0][1] >= RESCUE_SCORE
    assert 2 not in edges.get(0, {})


def test_statements_no_rescue_when_either_side_has_two_candidates_or_is_already_aligned(ctx: Context) -> None:
    # Two affirmative quotes of the speaker in one article: which one renders the remark is a guess.
    two = _rescue_items(
        ("The aircraft was entirely airworthy", "x", False),
        ("The plane was in perfect condition to fly", "y", False),
        ("The crew had trained for many months", "y", False),
    )
    assert not any(_rescued(ctx, two, {}).values())
    # Reported speech is the writer's summary: two of one speaker's positions are not one remark.
    reported = [replace(it, quote=replace(it.quote, direct=False)) for it in two[:2]]
    assert not any(_rescued(ctx, reported, {}).values())
    assert _rescued(ctx, two[:2], {})[0][1] >= RESCUE_SCORE
    # The quote's group already holds a rendering in the other article: nothing is left to rescue.
    aligned = _rescue_items(
        ("The aircraft was entirely airworthy", "x", False),
        ("The plane was in perfect condition to fly", "y", False),
        ("The aircraft was airworthy, he said", "z", False),
        ("The aircraft was airworthy", "y", True),
    )
    edges = _rescued(ctx, aligned, {0: {3: SURE}, 3: {0: SURE}})
    assert 1 not in edges[0]


# --------------------------------------------------------------------------- chains


def graph(*pairs: tuple[int, int]) -> Edges:
    edges: Edges = {}
    for i, j in pairs:
        edges.setdefault(i, {})[j] = 1.0
        edges.setdefault(j, {})[i] = 1.0
    return edges


def test_statements_chain_whose_ends_are_unrelated_is_cut() -> None:
    # 0~1~2~3~4 matched pair by pair, and no two quotes further apart share words or meaning: the
    # medoid (1, first of the most similar) keeps its neighbours, the far end regroups on its own.
    def similarity(i: int, j: int) -> float:
        return 0.1

    parts = split_chains([0, 1, 2, 3, 4], graph((0, 1), (1, 2), (2, 3), (3, 4)), similarity)
    assert sorted(parts) == [[0, 1, 2], [3, 4]]


def test_statements_star_and_near_misses_stay_one_group() -> None:
    # Every member matched the centre, or comes close to it: nothing to cut.
    def similarity(i: int, j: int) -> float:
        return CHAIN_FLOOR + 0.05

    assert split_chains([0, 1, 2, 3], graph((0, 1), (0, 2), (2, 3)), similarity) == [[0, 1, 2, 3]]
    assert split_chains([5, 6, 7], graph((5, 6), (6, 7)), lambda i, j: SURE) == [[5, 6, 7]]


def test_statements_cut_off_members_regroup_among_themselves() -> None:
    # A chain of six: the part cut off is checked again as a group of its own, not dropped.
    def similarity(i: int, j: int) -> float:
        return 0.1

    parts = split_chains(list(range(6)), graph((0, 1), (1, 2), (2, 3), (3, 4), (4, 5)), similarity)
    assert sorted(parts) == [[0, 1, 2], [3, 4, 5]]


# --------------------------------------------------------------------------- relation and differences


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("We never take such risks.", "We never take such risks", "verbatim"),
        ("We never take such risks", "“We never take such risks”", "verbatim"),
        ("We will never take such risks with lives", "We would never take such risks with lives", "near-verbatim"),
        ("We never take such risks", "Risks of that kind are not for us", "paraphrase"),
    ],
)
def test_statements_relation_by_normalised_words(a: str, b: str, expected: str) -> None:
    assert relation(_item("a", quote(a, "a")), _item("b", quote(b, "b"))) == expected


def test_statements_relation_of_a_group_with_copies_is_the_loosest_pair_from_different_articles() -> None:
    # Relations are computed once per pair of distinct wordings; the result must be that of every
    # pair of members from different articles, however the wordings are spread over articles.
    wordings = [
        "We will never take such risks with lives",
        "We would never take such risks with lives",
        "Risks of that kind are not for us",
    ]
    order = {"verbatim": 0, "near-verbatim": 1, "paraphrase": 2}
    layouts = [
        [("a", 0), ("a", 2), ("b", 0)],
        [("a", 0), ("a", 1), ("b", 0), ("b", 0)],
        [("a", 0), ("a", 2), ("b", 1)],
        [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("c", 0)],
        [(f"x{n}", 0) for n in range(5)] + [("y", 1)],
    ]
    for layout in layouts:
        members = [_item(art, quote(wordings[w], art)) for art, w in layout]
        pairs = [relation(x, y) for k, x in enumerate(members) for y in members[k + 1 :] if x.article != y.article]
        expected = max(pairs, key=order.__getitem__)
        assert describe(members, None, None).relation == expected, layout
    copies = [_item(f"x{n}", quote(wordings[0], f"x{n}")) for n in range(5)] + [_item("y", quote(wordings[1], "y"))]
    statement = describe(copies, None, None)
    assert statement.relation == "near-verbatim"
    assert statement.summary == wordings[0]
    assert len(statement.differences) == 1


def test_statements_word_diff_is_compact() -> None:
    a = _item("a", quote("The ferry company never takes such risks with passengers", "a"))
    b = _item("b", quote("The ferry company never accepts such risks with passengers", "b"))
    assert word_diff(a, b) == "The ferry company never [-takes-] [+accepts+] such risks with passengers"


def test_statements_word_diff_elides_long_equal_runs() -> None:
    shared = "the harbour will stay closed until the storm has passed and the divers have checked every mooring"
    a = _item("a", quote(f"Officials said {shared}", "a"))
    b = _item("b", quote(f"Officials insisted {shared}", "b"))
    diff = word_diff(a, b)
    assert diff.startswith("Officials [-said-] [+insisted+] the harbour will")
    assert "…" in diff
    assert len(diff) < len(shared)


def test_statements_word_diff_clips_long_changed_runs() -> None:
    long_tail = "the harbour will stay closed until the storm has passed and the divers have checked every mooring"
    a = _item("a", quote(f"The mayor said {long_tail}", "a"))
    b = _item("b", quote("The mayor said nothing", "b"))
    clipped = "[-the harbour will stay closed … divers have checked every mooring-]"
    assert word_diff(a, b) == f"The mayor said {clipped} [+nothing+]"


# --------------------------------------------------------------------------- blocking


def test_statements_large_block_compares_far_fewer_than_all_pairs() -> None:
    # 600 quotes of one speaker, each sharing its rare words with two others: candidate pairs come from
    # shared words, so their number grows with the block, not with its square.
    items = [
        _item(f"art{i % 50}", quote(f"remark topic{i // 3} detail{i // 3}x about harbour works", f"art{i % 50}"))
        for i in range(600)
    ]
    pairs = list(candidate_pairs(list(range(len(items))), items))
    assert len(pairs) < 600 * 5
    assert (0, 1) in pairs or (1, 0) in pairs


# --------------------------------------------------------------------------- the annotated set


def load_scorer() -> ModuleType:
    if "quotes_annotated" in sys.modules:
        return sys.modules["quotes_annotated"]
    spec = importlib.util.spec_from_file_location("quotes_annotated", DATA / "quotes_annotated.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["quotes_annotated"] = module
    spec.loader.exec_module(module)
    return module


def test_statements_annotated_set_alignment_precision_and_recall(ctx: Context) -> None:
    scorer = load_scorer()
    gold = scorer.load_gold("dev")
    scores = scorer.evaluate(scorer.run(ctx, gold), gold)
    # Measured precision 0.98 (55/56) and recall 0.72 (55/76), 0.68 before speakers were linked to
    # the organisation they speak for (a board's spokesperson). Most misses pair quotes whose speakers
    # differ without one speaking for the other (a headline's "engineers say", a company and its
    # engineer), which speaker blocking never compares. Recall 0.86 (65/76) once headline speakers
    # named by a role or a kind of body alone joined the person or body the article names.
    assert scores.statement_precision >= 0.9, scores.wrong_pairs
    assert scores.statement_recall >= 0.83, scores.missed_pairs


def test_statements_voices_set_alignment_precision_and_recall(ctx: Context) -> None:
    scorer = load_scorer()
    gold = scorer.load_gold("voices")
    assert len(gold["articles"]) == 4
    scores = scorer.evaluate(scorer.run(ctx, gold), gold)
    # Four invented articles where organisations speak through spokespeople, written with the rules
    # known. First score (speaker links, no short forms): precision 0.55, recall 0.38 (0.33 / 0.12
    # before the links); 0.65 (11/17) / 0.69 (11/16) once an organisation's short name blocks with
    # its long one. Wrong pairs: one mayor's two requests for funds, two remarks of one council.
    assert scores.statement_precision >= 0.55, scores.wrong_pairs
    assert scores.statement_recall >= 0.6, scores.missed_pairs


def test_statements_heldout_set_alignment_precision_and_recall(ctx: Context) -> None:
    scorer = load_scorer()
    gold = scorer.load_gold("heldout")
    scores = scorer.evaluate(scorer.run(ctx, gold), gold)
    # First (blind) score: precision 1.00 (7/7 pairs), recall 0.44 (7/16); 9/16 since unattributed
    # excerpts join. The misses involve speakers named only by a role in one article ("Councillor"),
    # which fall outside the named speaker's block. No longer blind: its misses were read while
    # speakers were linked to those they speak for (unchanged at 9/9 and 9/16).
    assert scores.statement_precision >= 0.85, scores.wrong_pairs
    assert scores.statement_recall >= 0.35, scores.missed_pairs
