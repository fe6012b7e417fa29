"""Newsletter pitches and follow lines at the foot of a republished story are boilerplate; the
same words in reporting are not."""

from __future__ import annotations

import pytest

from storyweave.stages.clean import boilerplate_spans

BODY = "A fire closed the Marrow road on Tuesday, police said.\n\n"


def flagged(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], reason) for s, e, reason in boilerplate_spans(text)]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Get the week's best reads in your inbox: sign up for the Morning Post newsletter.", "newsletter"),
        ("Our top stories every evening — subscribe to the Harbour Digest.", "newsletter"),
        ("Get the top headlines delivered to your inbox every morning.", "newsletter"),
        ("Follow us on Facebook, Instagram and Telegram for breaking news from the region.", "follow"),
        ("Follow us on YouTube and TikTok for the latest videos from our reporters in the north.", "follow"),
    ],
)
def test_clean_signup_and_follow_lines_are_boilerplate(line: str, reason: str) -> None:
    found = flagged(BODY + line)
    assert [text for text, _ in found] == [line]
    assert reason in found[0][1]


@pytest.mark.parametrize(
    "line",
    [
        "Residents were told to follow the instructions of police on Facebook.",
        "The mayor had one message for residents: sign up for the vaccine before the end of the month.",
        "Follow us on the road to recovery, the mayor told supporters at a rally in the square.",
        "Volunteers were asked to get the forms to their neighbours by Friday.",
    ],
)
def test_clean_reporting_with_the_same_words_is_kept(line: str) -> None:
    assert flagged(BODY + line) == []
