"""storyweave check: each article's stance towards a claim with the spans that decided, as a
function, as a command over files and as a JSON Lines batch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storyweave.check import check
from storyweave.pipeline import Context

CLAIM = "The Harlow council closed the Elm Street library on Monday."
STATES = (
    "The Harlow council closed the Elm Street library on Monday, ending a century of lending.\n\n"
    "Staff were moved to the central branch. The council said the building needed repairs."
)
DEBUNKS = (
    "The Harlow council kept the Elm Street library open on Monday.\n\n"
    "Reports that the council had closed the Elm Street library are false, a spokeswoman said."
)
ELSEWHERE = (
    "Heavy rain flooded the vineyards of the southern valley on Sunday.\n\n"
    "Growers said the harvest would be late. Two roads were blocked by mud."
)


def test_check_gives_each_article_a_stance_and_its_evidence(ctx: Context) -> None:
    texts = {"states": STATES, "debunks": DEBUNKS, "elsewhere": ELSEWHERE}
    found = {s.id: s for s in check(CLAIM, list(texts.items()), ctx)}
    # stating or discussing: which of the two the FNC-1-trained model picks is what
    # benchmarks/public/fnc1.py measures; neither opposes nor ignores the claim
    assert found["states"].stance in ("supports", "discusses")
    assert found["debunks"].stance == "contradicts"
    assert found["elsewhere"].stance == "unrelated"
    assert found["elsewhere"].evidence == ()
    for key, stance in found.items():
        assert 0.0 <= stance.score <= 1.0
        for e in stance.evidence:
            assert texts[key][e.start : e.end] == e.text
    assert any("false" in e.text or "open" in e.text for e in found["debunks"].evidence)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "storyweave", "check", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=cwd)


def test_check_pairs_writes_json_lines_and_reports_bad_lines(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    lines = [
        json.dumps({"id": "p1", "claim": CLAIM, "text": DEBUNKS}),
        "{not json",
        json.dumps({"id": "p2", "claim": CLAIM}),
        json.dumps({"id": "p3", "claim": CLAIM, "text": ELSEWHERE}),
    ]
    pairs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = _run("--pairs", str(pairs), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["id"] for row in out] == ["p1", "p3"]
    assert set(out[0]) == {"id", "stance", "score", "evidence"}
    assert out[0]["stance"] == "contradicts"
    for e in out[0]["evidence"]:
        assert DEBUNKS[e["start"] : e["end"]] == e["text"]
    assert f"{pairs}:2:" in done.stderr
    assert f"{pairs}:3:" in done.stderr


def test_check_over_files_prints_one_stance_per_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STATES, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ELSEWHERE, encoding="utf-8")
    done = _run(CLAIM, str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "missing.txt"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    heads = [line for line in done.stdout.splitlines() if not line.startswith(" ")]
    assert heads[0].split()[0] in ("supports", "discusses")
    assert heads[0].endswith("a.txt")
    assert heads[1].split()[0] == "unrelated"
    assert heads[1].endswith("b.txt")
    assert "missing.txt" in done.stderr


def test_check_without_a_claim_says_how_to_call_it(tmp_path: Path) -> None:
    done = _run(cwd=tmp_path)
    assert done.returncode == 2
    assert "CLAIM" in done.stderr
