"""The cites stage: outlets an article credits, read from the grammar around reporting words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from storyweave.model import Article, ArticleAnalysis
from storyweave.pipeline import Context, new_analysis
from storyweave.stages import cites as cites_module
from storyweave.stages.cites import cite_key, cites
from storyweave.stages.clean import clean
from support import SEEDS, make_article


def analysed(ctx: Context, text: str, **kw: object) -> ArticleAnalysis:
    article: Article = make_article(text, **kw)
    analysis = replace(new_analysis(article), doc=ctx.nlp(text))
    return cites(clean(analysis, ctx), ctx)


# --------------------------------------------------------------------------- cites

CITE_CASES = [
    ("Two bridges were closed on Sunday, the Valley Courier reported.", ["Valley Courier"]),
    ("The damage was first reported by the Marlow Gazette on Monday.", ["Marlow Gazette"]),
    ("About 300 homes were flooded, according to the Wessex Chronicle.", ["Wessex Chronicle"]),
    ('"We were not warned," one farmer said, per The Marlow Herald.', ["The Marlow Herald"]),
    ("The mayor told Valley Radio that the pumps had failed.", ["Valley Radio"]),
    ("An engineer told Channel Nine's Ada Brook that the dam was sound.", ["Channel Nine"]),
    ("The farmer said in a statement relayed to the Wessex Wire by his lawyer that he was insured.", ["Wessex Wire"]),
    ("The Evening Standard quoted officials as saying the levee had been neglected.", ["The Evening Standard"]),
    (
        "Outlets including The Daily Ledger and Valley Radio have quoted insurers as saying claims would soar.",
        ["The Daily Ledger", "Valley Radio"],
    ),
    ("MARLOW (Valley Wire) — Floodwater reached the town centre on Sunday.", ["Valley Wire"]),
    ("The Marlow Herald said in a report that the levee was old.", ["The Marlow Herald"]),
    ("A report by the Wessex Monitor found that inspections were skipped.", ["Wessex Monitor"]),
    ("The Northern Echo's report said two farms were cut off.", ["The Northern Echo"]),
    ("Valley Radio first reported the collapse of the levee on Friday.", ["Valley Radio"]),
    ("In an interview with the Marlow Herald, the mayor said the dam was safe.", ["Marlow Herald"]),
    ("The mayor told the Marlow Herald's Ana Ruiz that the dam was safe.", ["Marlow Herald"]),
    ("Nobody was hurt, Valley TV and the Wessex Monitor reported.", ["Valley TV", "Wessex Monitor"]),
    ('"The valley is finished," writes the Marlow Review.', ["Marlow Review"]),
    ('"Talks have failed," reports Valley Radio.', ["Valley Radio"]),
    ("Valley Radio's Jane Doe reported that talks had failed.", ["Valley Radio"]),
    ("The mayor said in comments to Port Radio that the dam was old.", ["Port Radio"]),
    ("Speaking to the Wessex Monitor, the mayor said the dam was old.", ["Wessex Monitor"]),
    ("The remarks were quoted by the Marlow Review.", ["Marlow Review"]),
    ("According to a report in the Wessex Monitor, the dam was old.", ["Wessex Monitor"]),
    ("Three climbers were rescued from the glacier overnight, Alpine Radio reported on Sunday.", ["Alpine Radio"]),
    ("The figures were first published by the Lakeside Tribune last month.", ["Lakeside Tribune"]),
    ('"It is over," the coach said, per Goal Network.', ["Goal Network"]),
    ("The refugee agency said 2,000 people had fled, according to Relief Watch.", ["Relief Watch"]),
    ("Citing two officials, the Granite Post reported that the deal was off.", ["Granite Post"]),
    ("The senator told Fox Valley News's Ana Bell that she would run again.", ["Fox Valley News"]),
    ("Mr Hale told The Lantern in an interview last week that he regretted nothing.", ["The Lantern"]),
    ("The Westbrook Gazette and Channel 7 both reported the crash.", ["The Westbrook Gazette", "Channel 7"]),
    # a statement passed on to an outlet: sent, emailed, provided, released to X
    ("Mr Ruiz said in a statement sent to the Fenwick Courier by his sister that he was safe.", ["Fenwick Courier"]),
    ("The mayor said in a statement emailed to the Norwick Herald that repairs would start.", ["Norwick Herald"]),
    ("The firm said in comments provided to Delta News Agency that it regretted it.", ["Delta News Agency"]),
    # "according to X" after a direct quote, X a media name the model calls a place
    ('"We were not warned," Ines Barros said, according to Lake Radio.', ["Lake Radio"]),
    ('"Nobody came," Ana Silva said, according to the Riverside Times.', ["Riverside Times"]),
    # a name ending in a word for a kind of outlet is the name, not the collective noun ("agencies including X")
    (
        "The water board opened the sluice gates on the upper canal late on Sunday after days of heavy rain, "
        "Delta News Agency reported.",
        ["Delta News Agency"],
    ),
    ("Two bridges were closed, the Harbour Press Agency reported.", ["Harbour Press Agency"]),
    ("News agencies including Delta Wire reported that the gates had opened.", ["Delta Wire"]),
]


@pytest.mark.parametrize(("text", "expected"), CITE_CASES)
def test_cites_finds_credited_outlets(ctx: Context, text: str, expected: list[str]) -> None:
    assert list(analysed(ctx, text).article.cites) == expected


NOT_CITES = [
    "The Environment Agency said the river would peak on Tuesday.",
    "About 300 homes were flooded, according to the Environment Ministry.",
    "The town will get 2 million euros, according to the government.",
    "The mayor told reporters that the pumps had failed.",
    "The mayor told Ada Brook that the pumps had failed.",
    "About 300 homes were flooded, according to official figures.",
    "Residents in Marlow said the water came quickly, according to Wessex.",
    "Volunteers fill sandbags in Marlow (Picture: Valley Photo Agency).",
    "© Valley Photo Agency\nThe river rose on Sunday.",
    "The North Atlantic Fishing Organisation (NAFO) said stocks were falling.",
    "Harbour Holdings reported a loss of 3 million euros for the year.",
    "The Parliament reported that the bill had passed.",
    "The minister told Congress that the dam was safe.",
    "Two people died, the Interior Ministry reported.",
    "Marlow Dairies reported a record profit for the year.",
    "Prices rose 3 per cent, per official data.",
    "The council said in a statement that nobody was hurt.",
    "Marlow Dairies wrote off 3 million euros.",
    "The water board wrote to residents on Monday.",
    "Jane Doe wrote that the valley was finished.",
    "The governor's office reported that talks had failed.",
    "Farms must be insured, according to the Wessex Flood Act.",
    "The story was picked up by Channel Four News and the Evening Clarion.",
    "The Ministry of Health reported 12 new cases on Monday.",
    "The hospital told patients to stay at home.",
    "According to the club, the striker will miss three games.",
    # passing things on to companies, offices and places is no credit
    "The ministry said the report was sent to the Port Authority on Friday.",
    "The data was provided to Orion Logistics by the city.",
    "The plans were released to Harbour Steel last week.",
    "The letter was sent to Lisbon on Monday.",
    "According to the Post Office, the parcels were lost.",
    # the common noun, or a body's name ending in it, is no outlet
    "Two people died, the agency reported.",
    "The river peaked on Sunday, the Environment Agency reported.",
]


@pytest.mark.parametrize("text", NOT_CITES)
def test_cites_ignores_actors_places_people_and_credits(ctx: Context, text: str) -> None:
    assert analysed(ctx, text).article.cites == ()


EVACUATED = "Families in Verna province were evacuated. "
TAIL = "The inquiry ordered by the governor will also examine the warning system, "


def test_cites_reads_a_closing_credit_the_tagger_calls_a_person(ctx: Context) -> None:
    """An outlet named in another language after the place it serves, in "…, X reported."."""
    assert analysed(ctx, EVACUATED + TAIL + "Radiyo Verna reported.").article.cites == ("Radiyo Verna",)


@pytest.mark.parametrize(
    "text",
    [
        # a journalist introduced by name: the surname alone is that person, whatever the tag
        "Jane Smith, a reporter for the Valley Courier, reached the dam at dawn. " + TAIL + "Smith reported.",
        # a person's name with no word shared with a place or body of the story
        EVACUATED + TAIL + "Jane Smith reported.",
        # without the place word, the foreign-looking name is not read as an outlet either
        TAIL + "Radiyo Verna reported.",
        # an honorific, a person elsewhere with the same word, a pronoun taking the name up
        EVACUATED + TAIL + "Mr Verna reported.",
        EVACUATED + "Mrs Verna lost her house. " + TAIL + "Radiyo Verna reported.",
        EVACUATED + TAIL + "Radiyo Verna reported. She said the sirens were silent.",
    ],
)
def test_cites_leaves_people_in_a_closing_credit_alone(ctx: Context, text: str) -> None:
    assert analysed(ctx, text).article.cites == ()


def test_cites_skips_a_participant_who_mostly_acts_in_the_story(ctx: Context) -> None:
    text = (
        "Marlow Water said the dam was safe. Marlow Water denied any fault and Marlow Water promised repairs.\n"
        "The leak began on Friday, according to Marlow Water."
    )
    assert analysed(ctx, text).article.cites == ()


def test_cites_excludes_the_articles_own_outlet(ctx: Context) -> None:
    text = "The mayor told the Valley Courier that the pumps had failed."
    assert analysed(ctx, text).article.cites == ("Valley Courier",)
    assert analysed(ctx, text, outlet="Valley Courier").article.cites == ()


def test_cites_each_outlet_once_in_order_of_first_mention(ctx: Context) -> None:
    text = (
        "Two bridges closed, the Valley Courier reported. The mayor told Valley Radio the pumps failed. "
        "Roads were shut, the Valley Courier reported later."
    )
    assert analysed(ctx, text).article.cites == ("Valley Courier", "Valley Radio")


@pytest.mark.parametrize(
    ("a", "b"), [("The Marlow Herald", "Marlow Herald"), ("the Valley Wire", "Valley Wire"), ("Radio X's", "radio x")]
)
def test_cites_key_drops_leading_the_and_possessive(a: str, b: str) -> None:
    assert cite_key(a) == cite_key(b)


def test_cites_token_prefilter_skips_only_tokens_no_construction_starts_with(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [text for text, _ in CITE_CASES] + [
        path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))
    ]
    docs = list(ctx.nlp.pipe(texts))

    def heads() -> list[list[tuple[int, bool]]]:
        return [[(t.i, strong) for t, strong in cites_module._credited_heads(doc)] for doc in docs]

    filtered = heads()
    monkeypatch.setattr(cites_module, "_may_credit", lambda token: True)
    assert heads() == filtered
    assert sum(map(len, filtered)) >= len(CITE_CASES)
