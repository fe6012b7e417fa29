"""How fast the HTML report renders and opens, and how big it gets.

For the seed articles (analysed by the real pipeline) and for a corpus of N articles (default 200)
this prints: the time to write report.html from the report dict, the file size, and the browser's
first contentful paint and load event when Chromium opens the file (median of --repeat runs).

The large corpus is the seeds repeated with a unique line appended to each copy, so every copy
is a distinct article. By default it is built by replicating the seeds' report (each copy gets
the findings of its original); --pipeline analyses all N copies with the real pipeline instead
(slower, and then it also measures the stages' output size honestly).

    .venv/bin/python benchmarks/report_render.py [--articles 200] [--repeat 3] [--pipeline] [--screenshot PATH]
        [--big-report report.json]
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def analyse(paths: list[Path], out: Path) -> dict[str, Any]:
    from storyweave.runner import run_analysis

    result = run_analysis(paths, out_dir=out, db=None, quiet=True)
    if result.report is None:
        raise SystemExit(f"the analysis failed: {result.errors}")
    return result.report


def copies(folder: Path, n: int) -> list[Path]:
    """``n`` distinct articles: the seeds in turn, each copy with its own closing line."""
    seeds = sorted(SEEDS.glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        seed = seeds[i % len(seeds)]
        path = folder / f"{i:04d}-{seed.name}"
        path.write_text(seed.read_text(encoding="utf-8") + f"\n\nFiled as copy {i}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def replicate(report: dict[str, Any], n: int) -> dict[str, Any]:
    """A report over ``n`` articles: copies of the report's articles, each with its original's findings.

    Spans keep their offsets (the unique suffix is appended after the text); ids get a copy number.
    """
    originals = report["articles"]
    out = copy.deepcopy(report)
    out["articles"] = []
    renamed: dict[str, list[str]] = {a["id"]: [] for a in originals}
    for i in range(n):
        a = copy.deepcopy(originals[i % len(originals)])
        new_id = f"{a['id'][:10]}c{i:04d}"
        renamed[a["id"]].append(new_id)
        a["text"] += f"\n\nFiled as copy {i}.\n"
        a["id"] = new_id
        out["articles"].append(a)

    def spans(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**s, "article": new} for s in items for new in renamed.get(s["article"], [])]

    def per_article(items: list[dict[str, Any]], key: str = "span") -> list[dict[str, Any]]:
        found = []
        for item in items:
            for k, new in enumerate(renamed.get(item[key]["article"], [])):
                clone = copy.deepcopy(item)
                clone["id"] = f"{item['id']}-{k}"
                clone[key] = {**item[key], "article": new}
                if clone.get("speaker_span"):
                    clone["speaker_span"] = {**clone["speaker_span"], "article": new}
                found.append(clone)
        return found

    for e in out["entities"]:
        e["mentions"] = spans(e["mentions"])
    out["quotes"] = per_article(report["quotes"])
    out["quantities"] = per_article(report["quantities"])
    out["dates"] = per_article(report["dates"])
    out["flags"] = per_article(report["flags"])
    for s in out["statements"]:
        s["quotes"] = [f"{q}-{k}" for q in s["quotes"] for k in range(n // len(originals))]
    for c in out["claims"]:
        c["mentions"] = spans(c["mentions"])
        c["contradicted_by"] = spans(c["contradicted_by"])
        c["supported_by"] = [new for a in c["supported_by"] for new in renamed.get(a, [])]
    for d in out["discrepancies"]:
        d["spans"] = spans(d["spans"])
        d["quantities"] = [f"{q}-{k}" for q in d["quantities"] for k in range(n // len(originals))]
    for t in out["timeline"]:
        t["articles"] = [new for a in t["articles"] for new in renamed.get(a, [])]
        t["spans"] = spans(t.get("spans", []))
    for b in out["brief"]:
        b["cites"] = [new for a in b["cites"] for new in renamed.get(a, [])]
        b["spans"] = spans(b.get("spans", []))
    out["republications"] = []
    return out


def render(report: dict[str, Any], path: Path) -> float:
    from storyweave.report.html import render_html

    start = time.perf_counter()
    path.write_text(render_html(report), encoding="utf-8")
    return time.perf_counter() - start


def open_times(path: Path, repeat: int, screenshot: Path | None = None) -> tuple[float, float]:
    """Median first contentful paint and load event (ms) of ``path`` in a fresh Chromium page."""
    from playwright.sync_api import sync_playwright

    paints, loads = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(path.as_uri(), wait_until="load")
            timing = page.evaluate(
                "() => { const n = performance.getEntriesByType('navigation')[0];"
                " const p = performance.getEntriesByName('first-contentful-paint')[0];"
                " return [p ? p.startTime : null, n.loadEventStart]; }"
            )
            paints.append(timing[0] or float("nan"))
            loads.append(timing[1])
            if screenshot is not None:
                page.screenshot(path=str(screenshot))
                screenshot = None
            page.close()
        browser.close()
    return statistics.median(paints), statistics.median(loads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pipeline", action="store_true", help="analyse all copies with the real pipeline")
    parser.add_argument("--screenshot", type=Path, help="save a screenshot of the seeds report here")
    parser.add_argument("--big-report", type=Path, help="measure this report.json instead of building the large corpus")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium is missing at {CHROMIUM}")
    with tempfile.TemporaryDirectory(prefix="storyweave-bench-") as tmp:
        root = Path(tmp)
        seeds_report = analyse(sorted(SEEDS.glob("*.txt")), root / "seeds-out")
        if args.big_report:
            big = json.loads(args.big_report.read_text(encoding="utf-8"))
        elif args.pipeline:
            big = analyse(copies(root / "copies", args.articles), root / "big-out")
        else:
            big = replicate(seeds_report, args.articles)
        rows = []
        for name, report in (("seeds", seeds_report), (f"{len(big['articles'])} articles", big)):
            path = root / f"{name.replace(' ', '-')}.html"
            seconds = render(report, path)
            shot = args.screenshot if name == "seeds" else None
            paint, load = open_times(path, args.repeat, shot)
            counts = {k: len(report[k]) for k in ("articles", "entities", "quotes", "claims", "flags")}
            rows.append((name, seconds, path.stat().st_size, paint, load, counts))
    print(f"{'corpus':<14} {'render s':>9} {'size KB':>9} {'FCP ms':>8} {'load ms':>8}  findings")
    for name, seconds, size, paint, load, counts in rows:
        found = " ".join(f"{k}={v}" for k, v in counts.items())
        print(f"{name:<14} {seconds:>9.2f} {size / 1024:>9.0f} {paint:>8.0f} {load:>8.0f}  {found}")
    print(
        json.dumps(
            [
                {
                    "corpus": r[0],
                    "render_s": round(r[1], 3),
                    "bytes": r[2],
                    "fcp_ms": round(r[3]),
                    "load_ms": round(r[4]),
                    **r[5],
                }
                for r in rows
            ]
        )
    )


if __name__ == "__main__":
    main()
