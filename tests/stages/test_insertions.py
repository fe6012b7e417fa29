"""The insertions stage on invented reports: whose voice a first-person sentence is, and labelled inserts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyweave.model import ArticleAnalysis
from storyweave.pipeline import Context
from storyweave.stages.insertions import speech_ranges
from support import analyse_text

VOICE = "first-person editorial voice"

REPORT = [
    "The regional court delayed the trial of the former port director until May.",
    "Prosecutors say the director accepted payments from two shipping firms.",
    "The director's lawyers said the payments were consulting fees.",
    "The court will hear the first witnesses in the spring.",
    "A date for the verdict has not been set.",
]


def voice_flags(analysis: ArticleAnalysis) -> list[str]:
    return [f.span.text for f in analysis.flags if f.kind == "insertion" and VOICE in f.reason]


def insertion_texts(analysis: ArticleAnalysis) -> list[str]:
    return [f.span.text for f in analysis.flags if f.kind == "insertion"]


@pytest.mark.parametrize(
    "comment",
    [
        "In our view, the delay is a gift to the defence and we expect more of the same.",
        "We believe the court has let the town down once again.",
        "I have covered this court for years and I have rarely seen a delay this long.",
    ],
)
def test_one_first_person_paragraph_in_a_third_person_report_is_a_voice_break(ctx: Context, comment: str) -> None:
    text = "\n\n".join([*REPORT[:3], comment, *REPORT[3:]]) + "\n"
    assert voice_flags(analyse_text(ctx, text)) == [comment]


def test_labelled_comment_stays_an_insertion_whatever_its_voice(ctx: Context) -> None:
    label = "Editor's note: An earlier version of this report gave the wrong date for the hearing."
    text = "\n\n".join([*REPORT[:2], label, *REPORT[2:]]) + "\n"
    assert label in insertion_texts(analyse_text(ctx, text))


@pytest.mark.parametrize(
    "lines",
    [
        # a quotation broken into a line per sentence, closed three lines on
        [
            'A neighbour described the night of the storm: "We had no electricity.',
            "Our children slept in their coats.",
            'I still cannot believe how fast the water rose."',
        ],
        # the news convention: each paragraph of a long quotation opens with a mark
        [
            '"We had no electricity and no blankets," said one resident, Mara Kolen.',
            '"Our children slept in their coats.',
            '"I still cannot believe how fast the water rose."',
        ],
        # a closing mark whose opening one was lost with a line break
        ['We had no electricity, no blankets and no food."', "The water rose through the night."],
        # reported speech without marks
        ["We had no electricity and our children slept in their coats, one resident said."],
    ],
)
def test_first_person_in_a_speakers_words_is_not_the_outlets_voice(ctx: Context, lines: list[str]) -> None:
    text = "\n".join([*REPORT[:3], *lines, *REPORT[3:]]) + "\n"
    assert voice_flags(analyse_text(ctx, text)) == []


def test_a_piece_in_the_first_person_throughout_has_no_voice_break(ctx: Context) -> None:
    text = (
        "I drove to the old mill town on Saturday to see the flood damage for myself.\n\n"
        "The river had fallen by the morning, leaving mud across the main square.\n\n"
        "Shop owners were clearing their floors with shovels and borrowed pumps.\n\n"
        "The bakery on the corner lost everything, its owner said.\n\n"
        "Council workers were still checking the bridge at noon.\n\n"
        "The school will stay closed until Wednesday.\n\n"
        "Insurers have sent assessors to the worst-hit streets.\n\n"
        "The regional government has promised emergency grants.\n\n"
        "By evening we were all sharing sandbags and advice.\n"
    )
    assert voice_flags(analyse_text(ctx, text)) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Traffic on I-75 was stopped for three hours after the crash.",
        "The US embassy said it was following the case closely.",
        "Sign up for our newsletter to follow the trial.",
    ],
)
def test_words_that_only_look_like_first_person_are_no_voice(ctx: Context, sentence: str) -> None:
    text = "\n\n".join([*REPORT[:3], sentence, *REPORT[3:]]) + "\n"
    assert voice_flags(analyse_text(ctx, text)) == []


def test_an_embedded_post_is_the_posters_words(ctx: Context) -> None:
    post = [
        "We are handing out masks at every school in the city today.",
        "Please wear them whenever you go outside pic.twitter.com/abcdef",
        "— Mayor Lena Voss (@lenavoss) November 1, 2024",
    ]
    text = "\n".join([*REPORT[:3], *post, *REPORT[3:]]) + "\n"
    assert voice_flags(analyse_text(ctx, text)) == []


def test_a_page_in_another_language_has_no_english_voice(ctx: Context) -> None:
    text = (
        "Der Stadtrat hat am Montag die neuen Parkgebühren beschlossen.\n\n"
        "Die Händler in der Altstadt hatten sich lange dagegen gewehrt.\n\n"
        "Die Gebühren gelten ab dem ersten März für alle Zonen.\n\n"
        "Wir sind der Meinung, dass die Stadt hier einen Fehler macht, sagen wir.\n\n"
        "Die Verwaltung rechnet mit Einnahmen von zwei Millionen Euro im Jahr.\n"
    )
    assert voice_flags(analyse_text(ctx, text)) == []


_PARAGRAPH = st.text(alphabet=st.sampled_from(list('ab "“”.,')), max_size=30)


@given(st.lists(_PARAGRAPH, min_size=1, max_size=8))
def test_speech_ranges_lie_inside_the_paragraphs_and_cover_every_closed_quotation(paragraphs: list[str]) -> None:
    text = "\n".join(paragraphs)
    bounds, pos = [], 0
    for p in paragraphs:
        bounds.append((pos, pos + len(p)))
        pos += len(p) + 1
    ranges = speech_ranges(text, bounds)
    for start, end in ranges:
        assert 0 <= start <= end <= len(text)
        assert any(s <= start and end <= e for s, e in bounds) or text[start] in '"“'
    for s, e in bounds:  # a paired “...” inside one paragraph is always speech
        para = text[s:e]
        i = para.find("“")
        j = para.find("”", i + 1)
        if i >= 0 and j > i and '"' not in para[i:j] and "“" not in para[i + 1 : j]:
            assert any(a <= s + i + 1 and s + j <= b for a, b in ranges) or i + 1 == j
