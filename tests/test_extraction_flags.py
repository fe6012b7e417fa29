"""Boilerplate flags on real pages (the public article-extraction dev set, when present): removing
what ``clean`` flags must bring the text closer to the annotated article body, never further."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from support import ROOT, SHARED

DATA = SHARED / "eval-data" / "article-extraction-dev"

pytestmark = pytest.mark.skipif(not (DATA / "ground-truth.json").exists(), reason="article-extraction-dev absent")


def test_text_minus_flags_scores_above_the_text_on_the_dev_pages() -> None:
    spec = importlib.util.spec_from_file_location("extraction_flags", ROOT / "benchmarks" / "extraction_flags.py")
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["extraction_flags"] = bench
    spec.loader.exec_module(bench)
    from storyweave.boilerplate import boilerplate_spans
    from storyweave.ingest import read_path
    from storyweave.settings import Settings

    scorer = bench.load_scorer(DATA)
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    texts: dict[str, str] = {}
    kept: dict[str, str] = {}
    for key in sorted(truth):
        articles, _errors = read_path(DATA / "html" / f"{key}.html.gz", Settings())
        assert articles, key  # every page reads (they are .html.gz files)
        texts[key] = articles[0].text
        kept[key] = bench.without_spans(texts[key], boilerplate_spans(texts[key]))
    plain = bench.score(scorer, truth, texts)["f1"]
    cleaned = bench.score(scorer, truth, kept)["f1"]
    assert cleaned > plain, (cleaned, plain)
