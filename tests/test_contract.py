"""Reports follow the shared contract; the bundled schema is the contract's schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from storyweave.contract import bad_spans, dumps, schema, surely_valid, validate
from storyweave.pipeline import Context
from storyweave.runner import run_analysis
from support import SHARED

TEXTS = {
    "one.txt": "Dunmarra, 2 July 2024 - The council approved a new tram line on Monday, mayor Esa Krell said.\n",
    "two.txt": 'Mayor Esa Krell said the tram line "will open in 2027". The council vote was 31 to 9.\n',
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, ctx: Context) -> dict:
    folder = tmp_path_factory.mktemp("contract")
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = run_analysis([folder], out_dir=folder / "out", ctx=ctx, quiet=True)
    return json.loads(result.outputs["json"].read_text(encoding="utf-8"))


def test_contract_bundled_schema_equals_the_shared_contract() -> None:
    shared = SHARED / "contract" / "report.schema.json"
    if not shared.exists():
        pytest.skip(f"{shared} is not available")
    assert schema() == json.loads(shared.read_text(encoding="utf-8"))


def test_contract_report_of_a_run_validates(report: dict) -> None:
    validate(report)
    assert report["schema_version"] == "1"
    assert len(report["articles"]) == 2
    assert bad_spans(report) == []


def test_contract_rejects_a_span_that_is_not_the_article_text(report: dict) -> None:
    broken = copy.deepcopy(report)
    broken["flags"] = [
        {
            "id": "f1",
            "span": {"article": broken["articles"][0]["id"], "start": 0, "end": 4, "text": "nope"},
            "kind": "boilerplate",
            "reason": "test",
        }
    ]
    with pytest.raises(ValueError, match="spans do not match"):
        validate(broken)


def test_contract_rejects_a_missing_core_key(report: dict) -> None:
    broken = copy.deepcopy(report)
    del broken["claims"]
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)


def test_contract_report_json_is_stable_text(report: dict, tmp_path: Path) -> None:
    # ids are deterministic and sorted: the serialised form of equal reports is equal
    assert dumps(report) == dumps(json.loads(dumps(report)))


def test_contract_fast_check_accepts_a_real_report(report: dict) -> None:
    assert surely_valid(report)


def _leaves(value: object, path: tuple = ()) -> list[tuple]:
    """Paths to every value inside a report (dict keys and list indexes)."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _leaves(item, (*path, i))
    return found


REPLACEMENTS = [None, True, 0, -1, 1.5, "", "x", [], {}, ["x"], {"article": "x"}]


def test_contract_fast_check_never_accepts_what_jsonschema_rejects(report: dict) -> None:
    # every value of the report replaced by every value of another kind: whenever the full
    # validator rejects the result, the fast check must not vouch for it
    checker = jsonschema.Draft202012Validator(schema())
    rejected = 0
    for path in _leaves(report)[1:]:
        for replacement in REPLACEMENTS:
            broken = copy.deepcopy(report)
            target = broken
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = replacement
            if not checker.is_valid(broken):
                rejected += 1
                assert not surely_valid(broken), (path, replacement)
    assert rejected > 100


@pytest.mark.parametrize("key", ["claims", "schema_version"])
def test_contract_fast_check_rejects_a_missing_core_key(report: dict, key: str) -> None:
    broken = copy.deepcopy(report)
    del broken[key]
    assert not surely_valid(broken)


def test_contract_exports_the_extra_finding_fields(report: dict) -> None:
    assert all("speaker_name" in q for q in report["quotes"])
    assert all("source" in q and "event" in q for q in report["quantities"])
    assert all(isinstance(d["relative"], bool) for d in report["dates"])
    assert report["quotes"]
