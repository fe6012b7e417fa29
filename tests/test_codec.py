"""The codec between the model's dataclasses and JSON data: exact round trips, strict decoding."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

from storyweave import codec
from storyweave.model import Article, ArticleAnalysis, DateMention, Flag, Mention, Span


class Colour(enum.StrEnum):
    RED = "red"


@dataclass(frozen=True, slots=True)
class Node:
    name: str
    weight: float = 0.0
    kind: Literal["a", "b"] = "a"
    note: str | None = None
    count: int | str = 0
    children: tuple[Node, ...] = ()
    pairs: tuple[tuple[str, int], ...] = ()
    tags: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def test_codec_round_trip_of_an_analysis() -> None:
    article = Article(id="a1", source="x.txt", text="Ana Lee said no. Then she left.", cites=("Wire",))
    analysis = ArticleAnalysis(
        article=article,
        flags=(Flag(id="f1", kind="boilerplate", span=Span.of(article, 0, 3), reason="test"),),
        paragraphs=(Span.of(article, 0, 16), Span.of(article, 17, 31)),
        mentions=(Mention(span=Span.of(article, 0, 7), label="PERSON", name="Ana Lee", chain=0),),
        dates=(DateMention(id="d1", span=Span.of(article, 17, 21), relative=True, actors=("Ana Lee",)),),
    )
    data = codec.encode(analysis)
    assert data["paragraphs"][1] == {"article": "a1", "start": 17, "end": 31, "text": "Then she left."}
    assert "doc" not in data
    assert codec.loads(ArticleAnalysis, codec.dumps(analysis)) == analysis


def test_codec_encode_nested_values() -> None:
    node = Node("root", 1.5, "b", None, "x", (Node("leaf"),), (("p", 1),), ["t"], {"k": (1, 2), 3: Colour.RED})
    data = codec.encode(node)
    assert data["children"][0]["name"] == "leaf"
    assert data["pairs"] == [["p", 1]]
    assert data["extra"] == {"k": [1, 2], "3": Colour.RED}  # keys become strings, str enums stay as they are
    assert json.loads(json.dumps(data))["extra"]["3"] == "red"
    assert codec.decode(Node, json.loads(json.dumps(data))) == Node(
        "root", 1.5, "b", None, "x", (Node("leaf"),), (("p", 1),), ["t"], {"k": [1, 2], "3": "red"}
    )
    assert codec.encode(Node) is Node  # a class is not a value to encode


def test_codec_decode_converts_an_int_for_a_float_field() -> None:
    decoded = codec.decode(Node, {"name": "n", "weight": 3})
    assert decoded.weight == 3.0
    assert isinstance(decoded.weight, float)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weight": 1.0}, "Node.name is missing"),
        ({"name": 5}, "is not a str"),
        ({"name": "n", "weight": True}, "is not a number"),
        ({"name": "n", "kind": "c"}, "is not one of"),
        ({"name": "n", "note": 1}, "fits none of"),
        ({"name": "n", "count": 1.5}, "fits none of"),
        ({"name": "n", "children": {"name": "x"}}, "expected a list"),
        ({"name": "n", "children": [["x"]]}, "expected an object for Node"),
        ({"name": "n", "pairs": [["p", 1, 2]]}, "expected 2 items"),
        ({"name": "n", "pairs": [["p", True]]}, "is not an integer"),
        ({"name": "n", "tags": [1]}, "is not a str"),
    ],
)
def test_codec_decode_rejects_data_that_does_not_fit(data: dict[str, Any], message: str) -> None:
    with pytest.raises(codec.CodecError, match=message):
        codec.decode(Node, data)


def test_codec_decode_keeps_optional_and_union_values() -> None:
    decoded = codec.decode(Node, {"name": "n", "note": None, "count": "many", "pairs": [["a", 2]]})
    assert decoded.note is None
    assert decoded.count == "many"
    assert decoded.pairs == (("a", 2),)
    assert isinstance(decoded.pairs, tuple)
    assert isinstance(decoded.pairs[0], tuple)
