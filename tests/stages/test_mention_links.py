"""Descriptions and pronouns linked to their chains (mention_links.py), on invented articles."""

from __future__ import annotations

import pytest

from storyweave.contract import to_report
from storyweave.mention_links import REFERENT_NOUNS, load_model
from storyweave.model import ArticleAnalysis, Mention, mention_kind
from storyweave.pipeline import Context, analyse
from support import analyse_text, make_article


def find(analysis: ArticleAnalysis, text: str, nth: int = 0) -> Mention:
    found = [m for m in analysis.mentions if m.span.text == text]
    assert len(found) > nth, f"no mention {text!r} in {[(m.span.text, m.kind) for m in analysis.mentions]}"
    return found[nth]


def test_predicate_noun_and_pronouns_join_the_named_person(ctx: Context) -> None:
    a = analyse_text(
        ctx,
        "Academy picks its host\n\nHugh Jackman will be host of the ceremony in February. "
        "Organisers said he had accepted at once, and his agent confirmed it.",
    )
    jackman = find(a, "Hugh Jackman")
    host = find(a, "host", 1)  # the headline's "its host" is another mention
    assert (host.kind, host.chain, host.head) == ("nominal", jackman.chain, "host")
    assert find(a, "he").chain == find(a, "his").chain == jackman.chain
    assert find(a, "he").kind == "pronoun"


def test_relative_pronoun_joins_the_noun_it_modifies(ctx: Context) -> None:
    a = analyse_text(ctx, "Maria Lopez, who runs a bakery on the square, said she had closed for the day.")
    assert find(a, "who").chain == find(a, "Maria Lopez").chain == find(a, "she").chain


@pytest.mark.parametrize(
    "text",
    [
        'Opposition leader Arvid Kessler called it "a fantasy".',  # "it" is never a person
        "Arvid Kessler praised him in a speech on Monday.",  # "him" is not Kessler's own clause-mate
    ],
)
def test_grammar_rules_out_some_links(ctx: Context, text: str) -> None:
    a = analyse_text(ctx, text)
    kessler = next(m.chain for m in a.mentions if "Arvid Kessler" in m.span.text)
    assert not [m for m in a.mentions if m.kind == "pronoun" and m.chain == kessler]


def test_a_description_never_links_to_a_name_of_another_kind_or_inside_it(ctx: Context) -> None:
    a = analyse_text(
        ctx,
        "The Fenmoor Water Board issued a notice on Thursday. The county council said it had not been warned. "
        "Dock workers at the port of Castelford stopped work.",
    )
    board = find(a, "Fenmoor Water Board").chain
    assert find(a, "county council").chain != board
    assert find(a, "port").chain != find(a, "Castelford").chain


def test_an_unnamed_participant_is_a_chain_of_its_own(ctx: Context) -> None:
    a = analyse_text(
        ctx, "A gunman opened fire in an office on Monday. Police said the gunman fled in a car. He is still at large."
    )
    first, second = find(a, "gunman"), find(a, "gunman", 1)
    assert first.kind == second.kind == "nominal"
    assert first.label == "PERSON"
    assert first.chain == second.chain == find(a, "He").chain


def test_mention_kinds_fold_into_the_three_report_kinds() -> None:
    assert [mention_kind(k) for k in ("name", "acronym", "candidate", "role", "nominal", "pronoun")] == [
        "name",
        "name",
        "name",
        "nominal",
        "nominal",
        "pronoun",
    ]


def test_report_entities_list_every_mention_with_its_kind(ctx: Context) -> None:
    text = (
        "Mayor Tomas Ek said on Monday that he would ask for emergency funds. "
        "The mayor told reporters the town could not wait."
    )
    report = to_report(analyse([make_article(text)], ctx))
    ek = next(e for e in report["entities"] if e["name"] == "Tomas Ek")
    kinds = {m["text"]: m["kind"] for m in ek["mentions"]}
    assert kinds["Mayor Tomas Ek"] == "name"
    assert kinds["he"] == "pronoun"
    assert kinds.get("mayor") == "nominal"
    assert ek["named"] is True
    for m in ek["mentions"]:
        assert text[m["start"] : m["end"]] == m["text"]


def _shooting(victim: str, town: str, extra: str = "") -> str:
    return (
        f"{victim} was shot dead in an office in {town} on Monday. Police said the gunman fled on foot. "
        f"The gunman was arrested hours later, police in {town} said.{extra}"
    )


def test_descriptions_match_across_articles_of_one_event_only(ctx: Context) -> None:
    articles = [
        make_article(_shooting("Ann Kowal", "Lindby")),
        make_article(_shooting("Ann Kowal", "Lindby", " Ann Kowal was 52.")),
        make_article(_shooting("Piet Maas", "Oosterholt")),
    ]
    report = to_report(analyse(articles, ctx))
    gunmen = [
        e for e in report["entities"] if any(m["text"] == "gunman" and m["kind"] == "nominal" for m in e["mentions"])
    ]
    by_article = {frozenset(m["article"] for m in e["mentions"] if m["text"] == "gunman") for e in gunmen}
    same_event = frozenset({articles[0].id, articles[1].id})
    assert same_event in by_article  # one gunman across the two reports of one shooting
    assert all(articles[2].id not in group or len(group) == 1 for group in by_article)  # another one apart
    assert all(not e["named"] for e in gunmen)


def test_the_shipped_model_is_the_trained_one() -> None:
    model = load_model()
    assert model.weights
    assert 0 < model.threshold < 1
    assert 0 < model.nominal_threshold < 1
    assert model.probability(["nom", "nom:head=same", "nom:type=same"]) > model.probability(["nom", "nom:type=clash"])
    assert REFERENT_NOUNS["gunman"] == "PERSON"
    assert REFERENT_NOUNS["police"] == "ORG"


def test_a_bare_number_of_people_is_a_mention_of_them(ctx: Context) -> None:
    a = analyse_text(ctx, "A gunman killed 1 and wounded 2 at an accounting office on Monday.")
    assert (find(a, "2").kind, find(a, "2").label, find(a, "2").head) == ("nominal", "PERSON", "2")
    assert not [m for m in a.mentions if m.span.text == "Monday" and m.kind == "nominal"]
