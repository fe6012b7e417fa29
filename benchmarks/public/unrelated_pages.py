"""Unrelated real pages through `analyze`: stories found and cross-story findings, beside one-story mode.

The 92 pages of ``../shared/eval-data/article-extraction-dev`` are news and blog pages of one week on
nearly all different events (a few pairs report one event). Analysed as one story — what `analyze`
did before it grouped its input — every number, claim and date is compared with every other page's;
grouped into stories, nothing may compare pages of two stories. Printed for both modes: stories,
numeric discrepancies, contested claims, and the findings that draw on articles of several stories.

    .venv/bin/python benchmarks/public/unrelated_pages.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path

from storyweave.contract import story_problems
from storyweave.runner import run_analysis

PAGES = Path(__file__).resolve().parents[3] / "shared" / "eval-data" / "article-extraction-dev" / "html"


def cross_story(report: dict) -> int:
    """Claims, discrepancies, timeline entries and brief sentences drawing on several stories."""
    story_of = {a["id"]: a.get("story") for a in report["articles"]}
    joined = [{m["article"] for m in c["mentions"]} | set(c["supported_by"]) for c in report["claims"]]
    joined += [{s["article"] for s in d["spans"]} for d in report["discrepancies"]]
    joined += [set(t["articles"]) for t in report["timeline"]] + [set(b["cites"]) for b in report["brief"]]
    return sum(len({story_of[a] for a in articles}) > 1 for articles in joined)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (by name)")
    args = parser.parse_args(argv)
    if not PAGES.is_dir():
        print(f"{PAGES} is absent: nothing to measure")
        return 0
    with tempfile.TemporaryDirectory(prefix="storyweave-pages-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        pages = sorted(PAGES.glob("*.html.gz"))[: args.limit or None]
        for page in pages:  # gzipped pages, read here as plain HTML files
            (folder / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
        print(f"{len(pages)} pages")
        print(f"{'mode':<18} {'stories':>7} {'numeric':>8} {'contested':>9} {'cross-story':>11} {'CPU s':>6}")
        for mode, one_story in (("one story", True), ("grouped (ours)", False)):
            started = time.process_time()
            result = run_analysis([folder], out_dir=Path(tmp) / mode, quiet=True, one_story=one_story)
            report = result.report or {}
            numeric = sum(d["kind"] == "numeric" for d in report.get("discrepancies", []))
            contested = sum(c["status"] == "contested" for c in report.get("claims", []))
            problems = story_problems(report)
            print(
                f"{mode:<18} {len(report.get('stories', [])):>7} {numeric:>8} {contested:>9} "
                f"{cross_story(report) if not one_story else '—':>11} {time.process_time() - started:>6.0f}"
                + (f"  problems: {problems[:2]}" if problems else "")
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
