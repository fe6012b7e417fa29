"""Chinese names: surname order from the family-name gazetteer, one key for pinyin and Wade-Giles."""

from __future__ import annotations

import pytest

from storyweave.names import parse_person
from storyweave.names_chinese import (
    family_rank,
    loose_word_key,
    romanisation_groups,
    romanisation_key,
    surname_first,
    syllables,
)


def test_family_names_cover_pinyin_and_wade_giles_spellings() -> None:
    assert family_rank("zhang") is not None
    assert family_rank("chang") is not None
    assert family_rank("hsu") == family_rank("xu")
    assert family_rank("taylor") is None


@pytest.mark.parametrize(
    ("word", "system", "expected"),
    [
        ("mingxuan", "pinyin", ("ming", "xuan")),
        ("ming-hsuan", "wade-giles", ("ming", "hsuan")),
        ("chienkuo", "wade-giles", ("chien", "kuo")),
        ("chienkuo", "pinyin", None),  # "chien" is no pinyin syllable
        ("taylor", "pinyin", None),
        ("taylor", "wade-giles", None),
    ],
)
def test_syllables_split_a_word_in_one_system(word: str, system: str, expected: tuple[str, ...] | None) -> None:
    assert syllables(word, system) == expected


def test_syllables_inside_a_word_never_start_with_a_vowel() -> None:
    """chi+en is not a reading of "chien" in pinyin, which writes such a break with an apostrophe."""
    assert syllables("chienhai", "pinyin") is None


@pytest.mark.parametrize(
    ("wade_giles", "pinyin"),
    [
        ("hsiaoming", "xiaoming"),
        ("tungsheng", "dongsheng"),
        ("chienkuo", "jianguo"),
        ("tzuyang", "ziyang"),
        ("yehpeng", "yepeng"),
        ("shihpin", "shibin"),
    ],
)
def test_wade_giles_and_pinyin_meet_on_one_loose_key(wade_giles: str, pinyin: str) -> None:
    assert loose_word_key(wade_giles, "wade-giles") == loose_word_key(pinyin, "pinyin")


@pytest.mark.parametrize(
    ("text", "given", "surname"),
    [
        ("Tang Haoming", ("haoming",), "tang"),
        ("Haoming Tang", ("haoming",), "tang"),
        ("Teng Hao-ming", ("haoming",), "teng"),
        ("Mr Tang", (), "tang"),
        ("Rose Taylor", ("rose",), "taylor"),
        ("Taylor Rose", ("taylor",), "rose"),
        ("Xu Bo", ("bo",), "xu"),
        ("Bo Xu", ("bo",), "xu"),  # both family names: the more common one is the surname
    ],
)
def test_parse_person_reads_chinese_order(text: str, given: tuple[str, ...], surname: str) -> None:
    parsed = parse_person(text)
    assert parsed is not None
    assert (parsed.given, parsed.surname) == (given, surname)


def test_surname_first_needs_a_family_name_and_a_chinese_given_name() -> None:
    assert surname_first("tang", "haoming")
    assert not surname_first("haoming", "tang")
    assert not surname_first("tang", "bradley")
    assert not surname_first("rose", "taylor")


def test_romanisation_key_needs_a_family_name_and_one_system() -> None:
    assert romanisation_key(("hsiaoming",), "teng") == ("wade-giles", "deng xiaoming")
    assert romanisation_key(("xiaoming",), "deng") == ("pinyin", "deng xiaoming")
    assert romanisation_key(("hsiaoming",), "taylor") is None
    assert romanisation_key((), "deng") is None


def test_romanisation_groups_join_one_name_in_both_systems() -> None:
    groups = romanisation_groups([("a", ("xiaoming",), "deng"), ("b", ("hsiaoming",), "teng")])
    assert [sorted(g) for g in groups] == [["a", "b"]]


def test_romanisation_groups_keep_competing_names_apart() -> None:
    """Zhu and Chu both lose their difference in the loose key: with two pinyin people under it,
    the Wade-Giles form could be either, so none is joined."""
    names = [("a", ("jianguo",), "zhu"), ("b", ("qianguo",), "chu"), ("c", ("chienkuo",), "chu")]
    assert romanisation_groups(names) == []


def test_romanisation_groups_leave_different_given_names_apart() -> None:
    assert romanisation_groups([("a", ("xiaoming",), "deng"), ("b", ("hsiaoping",), "teng")]) == []
