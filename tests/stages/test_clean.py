"""Boilerplate flags and cited outlets, on invented articles."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from storyweave.ingest import ingest_paths
from storyweave.model import Article, ArticleAnalysis
from storyweave.pipeline import Context, new_analysis
from storyweave.stages.cites import cite_key, cites
from storyweave.stages.clean import boilerplate_spans, clean
from support import EXAMPLES, SEEDS, make_article


def flagged(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in boilerplate_spans(text)]


def analysed(ctx: Context, text: str, **kw: object) -> ArticleAnalysis:
    article: Article = make_article(text, **kw)
    analysis = replace(new_analysis(article), doc=ctx.nlp(text))
    return cites(clean(analysis, ctx), ctx)


# --------------------------------------------------------------------------- boilerplate: what is flagged

CAPTION = "Volunteers fill sandbags outside the town hall in Marlow (Picture: Valley Photo Agency)."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a credit inside a caption sentence: the credit exactly, and the caption line
        (f"{CAPTION}\n\nThe river rose two metres overnight.", [CAPTION, "(Picture: Valley Photo Agency)"]),
        ("Crews at the dam [Photo by Jo Hart] on Monday.\nBody.", ["[Photo by Jo Hart]"]),
        ("Headline about the dam\n© Valley Photo Agency\nBody text.", ["© Valley Photo Agency"]),
        (
            "Crews at the dam on Monday © Jo Hart/Valley Photos\nBody.",
            ["Crews at the dam on Monday © Jo Hart/Valley Photos", "© Jo Hart/Valley Photos"],
        ),
        ("Photo: Jo Hart\nBody text.", ["Photo: Jo Hart"]),
        ("Image credit: Valley Photo Agency\nBody.", ["Image credit: Valley Photo Agency"]),
        ("Body.\nJo Hart via Valley Images\nMore body.", ["Jo Hart via Valley Images"]),
        ("Body.\nWatch: Drone footage of the flooded valley.\nMore.", ["Watch: Drone footage of the flooded valley."]),
        ("Body.\nWatch:\u00a0Rescuers reach stranded farmers\nMore.", ["Watch:\u00a0Rescuers reach stranded farmers"]),
        ("Body.\nWATCH | The moment the levee broke\nMore.", ["WATCH | The moment the levee broke"]),
        ("Body.\nRead more: How the valley prepared\nMore.", ["Read more: How the valley prepared"]),
        ("Body.\nRelated: Insurers brace for claims\nMore.", ["Related: Insurers brace for claims"]),
        ("Body.\nSign up for our morning briefing newsletter\nMore.", ["Sign up for our morning briefing newsletter"]),
        ("Body.\nFollow us on Twitter for live updates\nMore.", ["Follow us on Twitter for live updates"]),
        ("Body.\nShare this article\nFacebook Twitter Email\nMore.", ["Share this article", "Facebook Twitter Email"]),
        ("Body.\nAdvertisement\nMore.", ["Advertisement"]),
        ("Body.\n© Harbourview Daily 2024\nMore.", ["© Harbourview Daily 2024"]),
        (
            "Body.\nCopyright © 2025 Metro FM. All rights reserved.\nMore.",
            ["Copyright © 2025 Metro FM. All rights reserved."],
        ),
        ("Body.\nREAD MORE: Ferry operator fined\nMore.", ["READ MORE: Ferry operator fined"]),
        ("Body.\nSubscribe to our daily digest\nMore.", ["Subscribe to our daily digest"]),
        ("Body.\nStory continues below advertisement\nMore.", ["Story continues below advertisement"]),
        ("Body.\nHarbour Images\nMore.", ["Harbour Images"]),
        ("Body.\nJo Hart/Wire via Valley Images\nMore.", ["Jo Hart/Wire via Valley Images"]),
        ("Body.\nPhoto by Jo Hart/Valley Wire\nMore.", ["Photo by Jo Hart/Valley Wire"]),
        # a section label above the headline
        ("Weather\n\nRiver floods swamp three valley towns\n\nThe river rose on Sunday.", ["Weather"]),
        # a wiki "See also" list with its items
        (
            "= Marlow flood =\n\nThe flood began in May.\n\n== See also ==\n\n- Floods in Wessex\n- River Marlow\n",
            ["== See also ==", "- Floods in Wessex", "- River Marlow"],
        ),
    ],
)
def test_clean_flags_exactly_the_boilerplate(text: str, expected: list[str]) -> None:
    assert sorted(flagged(text)) == sorted(expected)


def test_clean_flags_the_second_copy_of_a_caption_printed_twice() -> None:
    """A picture's alternative text and its caption, one after the other: one copy is kept."""
    caption = "Residents walk through the flooded high street in Marlow on Sunday morning"
    text = f"Flood headline here today\n\n{caption}\n\n{caption}\n\nThe water rose quickly, the mayor said."
    spans = boilerplate_spans(text)
    assert [(s, reason) for s, _e, reason in spans] == [(text.rindex(caption), "repeated caption")]


def test_clean_flags_only_the_later_copy_of_a_repeated_quote_paragraph() -> None:
    para = (
        '"We will rebuild every home and every bridge in this valley, whatever it costs," the mayor said at the '
        "meeting in the town hall on Sunday evening."
    )
    text = f"{para}\n\nOther news.\n\n{para}"
    spans = boilerplate_spans(text)
    assert [(s, reason) for s, _e, reason in spans] == [(text.rindex(para), "repeated paragraph")]


def test_clean_keeps_one_copy_of_a_body_the_page_returned_twice() -> None:
    body = [
        "The river burst its banks on Sunday, forcing 300 people from their homes in Marlow.",
        "Volunteers filled sandbags through the night while the council opened two shelters.",
        "The water began to fall on Monday afternoon, the mayor said.",
    ]
    text = "Flood hits Marlow\n\n" + "\n\n".join(body + body)
    spans = boilerplate_spans(text)
    second = text.index(body[0], text.index(body[-1]))
    assert {reason for _s, _e, reason in spans} == {"repeated passage"}
    assert [s for s, _e, _r in spans] == [text.index(line, second) for line in body]


QUESTION = "What inspired you to start cooking for other people?"
HEADER_ROW = "| Pos | Player | Plays |"
BREAKFAST = "Breakfast: porridge with stewed apples and a spoon of honey"


@pytest.mark.parametrize(
    "lines",
    [
        # an interviewer's question put to each guest
        [QUESTION, "My grandmother did.", "Tell us more.", QUESTION, "A television show, honestly."],
        # a table that prints its header row again, and a label that recurs with each section
        [
            HEADER_ROW,
            HEADER_ROW,
            "| DL | Jo Hart | 63 |",
            "Linebacker",
            HEADER_ROW,
            HEADER_ROW,
            "| LB | Ada Brook | 74 |",
        ],
        # a meal plan: the same short line on different days
        ["Monday", BREAKFAST, "Lunch: soup", "Tuesday", BREAKFAST, "Lunch: salad"],
    ],
)
def test_clean_keeps_lines_that_recur_by_design(lines: list[str]) -> None:
    text = "A page of recurring structure\n\n" + "\n\n".join(lines)
    assert flagged(text) == []


def test_clean_never_flags_the_first_copy_of_a_repeated_line() -> None:
    line = "The council will publish the full inspection report on its website next week."
    text = f"{line}\n\nOther news here.\n\n{line}\n\nMore news.\n\n{line}"
    starts = [s for s, _e, _r in boilerplate_spans(text)]
    assert text.index(line) not in starts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a heading above a list of links, and its items
        (
            "The river rose on Sunday, officials said.\n\nYou may also like...\n\nDam inspections due in May\n"
            "Who pays for the flood?\n\nThe water began to fall on Monday, the mayor said.",
            ["You may also like...", "Dam inspections due in May", "Who pays for the flood?"],
        ),
        (
            "The river rose on Sunday.\n\nDON'T MISS\nInsurers brace for claims\u00a0[INSIGHT]|\n"
            "Town hall flooded\u00a0[VIDEO]",
            ["DON'T MISS", "Insurers brace for claims\u00a0[INSIGHT]|", "Town hall flooded\u00a0[VIDEO]"],
        ),
        ("The river rose.\n\nMost read in world news\n\nThe mayor said.", ["Most read in world news"]),
        ("The river rose.\n\nSEE MORE: Insurers brace for claims\n\nMore.", ["SEE MORE: Insurers brace for claims"]),
        # a list of links that closes the page, after the last paragraph
        (
            "The river rose on Sunday, officials said.\n\n- Photos: The Marlow Flood in Pictures\n"
            "- Why Valley Towns Keep Flooding\n- The 10 Worst Floods in Wessex History",
            [
                "- Photos: The Marlow Flood in Pictures",
                "- Why Valley Towns Keep Flooding",
                "- The 10 Worst Floods in Wessex History",
            ],
        ),
        # ... whose items are a headline and a teaser, a few of them ending with a full stop
        (
            "The river rose on Sunday, officials said.\n\n- Dam repairs delayed Engineers wait for parts\n"
            "- Ferry back in service The crossing reopened on Monday.\n- Valley school closed Pupils stay home\n"
            "- Insurers count the cost Claims could top a million",
            [
                "- Dam repairs delayed Engineers wait for parts",
                "- Ferry back in service The crossing reopened on Monday.",
                "- Valley school closed Pupils stay home",
                "- Insurers count the cost Claims could top a million",
            ],
        ),
        # sign-up widgets and lines addressed to the reader
        (
            "The river rose.\nMorning Briefing Newsletter\nGet the day's top stories and more.\n"
            "Thanks for signing up!\nKeep an eye on your inbox for the latest news.\nThe mayor said.",
            [
                "Morning Briefing Newsletter",
                "Thanks for signing up!",
                "Keep an eye on your inbox for the latest news.",
            ],
        ),
        (
            "The river rose.\nGet the paper delivered every month. Click here for more information.\nMore.",
            ["Get the paper delivered every month. Click here for more information."],
        ),
        (
            "The river rose.\nEmail Jo Hart at jhart@courier.example or follow her @johart.\nMore.",
            ["Email Jo Hart at jhart@courier.example or follow her @johart."],
        ),
        (
            "The river rose.\nMore Valley news: https://courier.example/valley\n",
            ["More Valley news: https://courier.example/valley"],
        ),
        # the page's time stamp, copyright and contribution lines
        ("The river rose.\nUpdated at 1:23 p.m.\nMore.", ["Updated at 1:23 p.m."]),
        (
            "The river rose.\nsegunda-feira, 22 de janeiro de 2018 às 0:13\nMore.",
            ["segunda-feira, 22 de janeiro de 2018 às 0:13"],
        ),
        (
            "The river rose.\ncopyright Valley Courier 2019 - ISSN: 1234-5678\n",
            ["copyright Valley Courier 2019 - ISSN: 1234-5678"],
        ),
        ("The river rose.\nJo Hart contributed to this report.\n", ["Jo Hart contributed to this report."]),
    ],
)
def test_clean_flags_page_furniture(text: str, expected: list[str]) -> None:
    assert sorted(flagged(text)) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        # the article's own lists: introduced by a colon, by a heading of its own, or of full sentences
        "The council listed its plans:\n- Raise the Marlow Levee Wall\n- Dredge the Upper Canal Bed\n"
        "- Buy Four New Pumps",
        "The river rose on Sunday.\n\nQualified towns\n- Marlow (Group A): first grant\n"
        "- Brook (Group B): second grant\n- Ashby (Group C): third grant",
        "The river rose on Sunday.\n- The council will vote on Monday.\n- Repairs start in May.\n- Insurers will pay.",
        # reporting that uses the words of furniture
        '"Sign up for the evacuation list and keep your phone on," the mayor urged residents.',
        "Residents can follow the council on its website for updates, officials said on Sunday evening.",
        "The blast happened at 14:30 on 5 May 2024, police said.",
        "The mayor said subscriptions to the flood warning service doubled after the storm.",
    ],
)
def test_clean_keeps_article_text_that_resembles_furniture(text: str) -> None:
    assert flagged(text) == []


# --------------------------------------------------------------------------- boilerplate: what is not

NEWS = [
    "Residents who watch the river every spring said this year's flood was the worst they remember.",
    '"See what the water did to my shop," said the baker, pointing at the ruined counter.',
    "Watch crews worked through the night to keep the pumps running, the council said.",
    "Police asked drivers to follow diversions and to share lifts where possible.",
    "The photo agency said its staff had been evacuated from the building on Sunday.",
    "Related costs could reach 3 million euros, according to the council's estimate.",
    "More than 200 people spent the night in the school gym.",
    "Follow-up inspections of the dam are planned for next week.",
    "Sign language interpreters joined the mayor at the evening briefing.",
    "Copyright lawyers for the broadcaster declined to comment on the footage.",
    "The mayor, who was pictured (left) with rescuers, thanked volunteers.",
    "Images by drone showed the damage to the levee.",
    "Picture this: a town under water, the mayor said.",
    "Credit Suisse said the bank would help the town.",
    "Subscribers to the service were refunded, the company said.",
    "Listen to the experts, the minister urged voters.",
    "Watchdogs have warned about the practice for years.",
    "Image rights are a growing problem for photographers, lawyers said.",
    "Sign-ups for the programme doubled in March.",
    "Click-through rates fell sharply after the change.",
]


@pytest.mark.parametrize("paragraph", NEWS)
def test_clean_never_flags_a_news_paragraph(paragraph: str) -> None:
    text = f"River floods swamp three valley towns\n\n{paragraph}\n\nThe water began to fall on Monday."
    assert flagged(text) == []


def test_clean_does_not_flag_a_short_headline_followed_by_body() -> None:
    text = "Flood hits Marlow\n\nThe river burst its banks on Sunday, forcing 300 people from their homes."
    assert flagged(text) == []


def test_clean_stage_gives_stable_ids_and_exact_spans(ctx: Context) -> None:
    text = f"Weather\n\nRiver floods swamp three valley towns\n\n{CAPTION}\n\nWatch:\u00a0The levee breaks.\n"
    first = analysed(ctx, text)
    second = analysed(ctx, text)
    assert [f.id for f in first.flags] == [f.id for f in second.flags]
    assert len({f.id for f in first.flags}) == len(first.flags) == 4
    for flag in first.flags:
        assert flag.kind == "boilerplate"
        assert flag.reason
        assert flag.span.text == text[flag.span.start : flag.span.end]


# --------------------------------------------------------------------------- end to end on the shared examples


def _expected_sets() -> list[tuple[Path, Path]]:
    """(folder of articles, expected file) for the seeds and the bundled sample."""
    sets = [(SEEDS, SEEDS / "expected.json"), (EXAMPLES / "sample", EXAMPLES / "sample.expected.json")]
    return [(folder, exp) for folder, exp in sets if exp.exists()]


@pytest.mark.parametrize(("folder", "expected_path"), _expected_sets(), ids=lambda p: p.name)
def test_clean_and_cites_meet_the_expected_files(ctx: Context, folder: Path, expected_path: Path) -> None:
    """Every expected boilerplate text is flagged and every expected cite found (read from the file)."""
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    inputs = [p for p in sorted(folder.iterdir()) if p.name != "expected.json"]
    result = ingest_paths([str(p) for p in inputs])
    by_key: dict[str, ArticleAnalysis] = {}
    for article in result.articles:
        analysis = cites(clean(replace(new_analysis(article), doc=ctx.nlp(article.text)), ctx), ctx)
        by_key[Path(article.source).stem] = analysis
    for item in expected["must"]["boilerplate"]:
        analysis = by_key[item["article"]]
        start = analysis.article.text.index(item["text"])
        end = start + len(item["text"])
        assert any(f.span.start <= start and end <= f.span.end for f in analysis.flags), item
    for key, info in expected["articles"].items():
        got = {cite_key(c) for c in by_key[key].article.cites}
        assert {cite_key(c) for c in info["cites"]} <= got, key
        assert not any(cite_key(info.get("photo_credit", "")) == g for g in got), key
