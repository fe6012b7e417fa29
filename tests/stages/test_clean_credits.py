"""Staff credit lines and syndication notes flagged as boilerplate, on invented articles; the same
words inside reporting are left alone."""

from __future__ import annotations

import pytest

from storyweave.stages.clean import boilerplate_spans

HEAD = "Storm floods harbour town of Kelby\n\nKELBY, May 4 - Sea water flooded the lower town, the coastguard said."
BODY = "Residents were moved to the sports hall. The harbour wall, built in 1962, gave way at two points."
MORE = "\n\n".join(
    [
        "Fishing boats were torn from their moorings and two were found on the coast road.",
        "The mayor said repairs would start once the tide tables allowed crews onto the quay.",
        "Insurers sent assessors on Monday; shop owners said they had lost a week of trade.",
        "Forecasters expect calmer weather by Thursday, though the ferry stays suspended.",
    ]
)


def flags(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], reason) for s, e, reason in boilerplate_spans(text)]


def at_end(line: str) -> str:
    return f"{HEAD}\n\n{BODY}\n\n{line}"


CREDITS = [
    "Reporting by Ana Petrescu; Editing by Lionel Marsh",
    "Reporting by Ana Petrescu in Kelby and Tom Oduya in Darnford; Additional reporting by Li Wen; "
    "Writing by Ana Petrescu; Editing by Lionel Marsh and Rosa Kimura",
    "(Reporting by Ana Petrescu; Editing by Lionel Marsh)",
    "Compiled by Erik van der Berg",
    "Writing by Ana Petrescu; editing by Lionel Marsh.",
    "Reporting and writing by Ana Petrescu",
]


@pytest.mark.parametrize("line", CREDITS)
def test_staff_credit_line_is_flagged_whole(line: str) -> None:
    assert flags(at_end(line)) == [(line, "credit line")]


def test_staff_credit_line_is_flagged_wherever_it_stands() -> None:
    """The credits alone make a line of names, never reporting: no position is needed."""
    line = "Reporting by Ana Petrescu; Editing by Lionel Marsh"
    text = f"{HEAD}\n\n{line}\n\n{MORE}"
    assert flags(text) == [(line, "credit line")]


SYNDICATION = [
    "This story was first published by Coastline News and is republished here with permission.",
    "This article originally appeared in The Northern Mariner.",
    "Republished with permission from Coastline News.",
    "This article is an English version of a report first published in Danish by Kysten.",
    "A version of this story appeared in the Kelby Gazette on May 3.",
    "Originally published by Coastline News.",
    "*This article is republished from Coastline News under a Creative Commons licence.*",
]


@pytest.mark.parametrize("line", SYNDICATION)
def test_syndication_note_at_the_end_is_flagged(line: str) -> None:
    assert flags(at_end(line)) == [(line, "syndication note")]


def test_syndication_note_at_the_start_is_flagged() -> None:
    line = "This article originally appeared in The Northern Mariner."
    text = f"{line}\n\n{HEAD}\n\n{MORE}"
    assert flags(text) == [(line, "syndication note")]


NOT_CREDITS = [
    "Editing by hand is slow, the harbour master said, so the tide tables are still printed.",
    "Editing by hand is slow",
    "Reporting by the coastguard suggested the wall had been weak for years.",
    "Writing by candlelight, the harbour master logged every boat that came in.",
    "Compiled by volunteers, the list of missing boats grew through the night.",
    "The report was first published in 2019 by the ministry and warned about the wall.",
    "Residents said the wall had been neglected. The report was first published in 2019 by the ministry, "
    "and it was republished with permission by the council last year.",
    "The council's plan originally appeared in a local newsletter, residents said.",
    "First the water reached the quay, then the market square.",
]


@pytest.mark.parametrize("line", NOT_CREDITS)
def test_news_sentences_with_credit_words_are_not_flagged(line: str) -> None:
    assert flags(at_end(line)) == []
    assert flags(f"{HEAD}\n\n{line}\n\n{BODY}") == []


def test_syndication_words_in_the_middle_of_a_story_are_not_flagged() -> None:
    """A standalone paragraph that says where a text first ran, deep inside the story, reports on
    that text (a leaked letter, a study): only the first or last lines carry the note."""
    line = "This article originally appeared in The Northern Mariner, the union's own paper, in 2019."
    text = f"{HEAD}\n\n{BODY}\n\n{line}\n\n{MORE}"
    assert flags(text) == []


def test_long_paragraph_at_the_end_is_not_a_syndication_note() -> None:
    line = (
        "This story was first published by the harbour authority in 1962, when the wall was built, and "
        "it describes in detail how engineers expected the structure to resist storms for a century, "
        "a promise residents now say was never kept by anyone in the town."
    )
    assert flags(at_end(line)) == []
