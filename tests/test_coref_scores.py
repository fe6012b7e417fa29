"""The coreference scores of benchmarks/coref_scores.py on cases small enough to work out by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from coref_scores import b_cubed, ceaf_e, conll, muc

KEY = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}


def test_a_perfect_response_scores_one_everywhere() -> None:
    scores = conll(KEY, dict(KEY))
    assert scores["conll"] == pytest.approx(1.0)


def test_one_cluster_split_in_two() -> None:
    response = {"a": "x", "b": "x", "c": "y", "d": "z", "e": "z"}
    # MUC: key needs 3 links, the response has 2 of them; every response link is right
    assert muc(KEY, response) == pytest.approx((1.0, 2 / 3, 0.8))
    # B³ recall: a, b see 2 of 3; c sees 1 of 3; d, e see 2 of 2
    p, r, _ = b_cubed(KEY, response)
    assert (p, r) == pytest.approx((1.0, (2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5))
    # CEAF-e: {a,b,c}~{a,b} = 0.8, {d,e}~{d,e} = 1; 2 key and 3 response clusters
    assert ceaf_e(KEY, response)[:2] == pytest.approx((1.8 / 3, 1.8 / 2))


def test_mentions_missing_from_the_response_are_singletons() -> None:
    assert muc(KEY, {})[1] == 0.0
    assert b_cubed(KEY, {})[0] == pytest.approx(1.0)


@given(st.dictionaries(st.integers(0, 30), st.integers(0, 5), min_size=1), st.integers(0, 5))
def test_scores_lie_between_zero_and_one(key: dict[int, int], seed: int) -> None:
    response = {m: (m * 7 + seed) % 4 for m in key}
    for p, r, f in (muc(key, response), b_cubed(key, response), ceaf_e(key, response)):
        for value in (p, r, f):
            assert 0.0 <= value <= 1.0 + 1e-9
