"""Everything the web app reads from the store, in one place.

Reports of finished runs never change, so they are cached by run id; entity and speaker pages
look across every stored report, matching an entity by id or by its canonical name and type.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from markupsafe import Markup

from storyweave.store import Store

REPORT_CACHE_SIZE = 16


class Library:
    """Read access to one store for the web app (one connection, shared by the worker threads)."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path)
        self.store = Store.open(self.db_path)
        self._reports: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def close(self) -> None:
        self.store.close()

    # ------------------------------------------------------------------ runs and reports

    def runs(self) -> list[dict[str, Any]]:
        return self.store.runs()

    def stories(self) -> list[dict[str, Any]]:
        return self.store.stories()

    def story_articles(self, story_id: str) -> list[dict[str, Any]]:
        return self.store.story_articles(story_id)

    def report(self, run_id: int) -> dict[str, Any] | None:
        with self._lock:
            if run_id in self._reports:
                self._reports.move_to_end(run_id)
                return self._reports[run_id]
        report = self.store.load_report(run_id)
        if report is not None:
            with self._lock:
                self._reports[run_id] = report
                while len(self._reports) > REPORT_CACHE_SIZE:
                    self._reports.popitem(last=False)
        return report

    def reports(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """(run, report) for every run with a report, newest first."""
        found = []
        for run in self.runs():
            if run.get("has_report"):
                report = self.report(int(run["id"]))
                if report is not None:
                    found.append((run, report))
        return found

    # ------------------------------------------------------------------ articles and search

    def articles(self, limit: int, offset: int) -> list[dict[str, Any]]:
        return self.store.articles(limit=limit, offset=offset)

    def article_count(self) -> int:
        return self.store.article_count()

    def article(self, article_id: str) -> dict[str, Any] | None:
        return self.store.article(article_id)

    def report_with_article(self, article_id: str) -> tuple[int, dict[str, Any]] | None:
        """The newest run whose report includes the article (for its highlights)."""
        for run, report in self.reports():
            if any(a["id"] == article_id for a in report.get("articles", [])):
                return int(run["id"]), report
        return None

    def search(self, query: str, limit: int) -> list[dict[str, Any]]:
        hits = self.store.search(query, limit=limit)
        for hit in hits:
            # escaped by the store, which put in the <mark> tags around its own markers only
            hit["snippet_markup"] = Markup(hit["snippet_html"])  # noqa: S704
        return hits

    # ------------------------------------------------------------------ entities across runs

    def entity_index(self) -> list[dict[str, Any]]:
        """One row per entity across all reports (merged by canonical name and type)."""
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for run, report in self.reports():
            speakers = {q.get("speaker") for q in report.get("quotes", [])}
            for e in report.get("entities", []):
                key = (e.get("type", "OTHER"), e["name"].casefold())
                row = merged.setdefault(
                    key,
                    {
                        "id": e["id"],
                        "name": e["name"],
                        "type": e.get("type", "OTHER"),
                        "mentions": 0,
                        "runs": set(),
                        "articles": set(),
                        "quotes": 0,
                    },
                )
                row["mentions"] += len(e.get("mentions", []))
                row["runs"].add(int(run["id"]))
                row["articles"] |= {m["article"] for m in e.get("mentions", [])}
                if e["id"] in speakers:
                    row["quotes"] += sum(q.get("speaker") == e["id"] for q in report.get("quotes", []))
        rows = [{**r, "runs": sorted(r["runs"]), "articles": len(r["articles"])} for r in merged.values()]
        rows.sort(key=lambda r: (-r["articles"], -r["mentions"], r["name"].casefold()))
        return rows

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        """An entity's names, roles, mentions (with context) and quotes in every stored report."""
        found: dict[str, Any] | None = None
        for run, report in self.reports():
            match = next((e for e in report.get("entities", []) if e["id"] == entity_id), None)
            if match is None and found is not None:
                match = next(
                    (
                        e
                        for e in report.get("entities", [])
                        if e["name"].casefold() == found["name"].casefold() and e.get("type") == found["type"]
                    ),
                    None,
                )
            if match is None:
                continue
            if found is None:
                found = {
                    "id": entity_id,
                    "name": match["name"],
                    "type": match.get("type", "OTHER"),
                    "aliases": set(),
                    "roles": set(),
                    "mentions": [],
                    "quotes": [],
                    "runs": [],
                }
            found["aliases"] |= set(match.get("aliases", []))
            found["roles"] |= set(match.get("roles") or [])
            found["runs"].append(int(run["id"]))
            titles = {a["id"]: a.get("outlet") or a.get("title") or a["id"] for a in report.get("articles", [])}
            texts = {a["id"]: a.get("text", "") for a in report.get("articles", [])}
            for m in match.get("mentions", []):
                found["mentions"].append(
                    {
                        "run": int(run["id"]),
                        "span": m,
                        "source": titles.get(m["article"], "?"),
                        "context": _context(texts.get(m["article"], ""), m),
                    }
                )
            for q in report.get("quotes", []):
                if q.get("speaker") == match["id"]:
                    found["quotes"].append(
                        {"run": int(run["id"]), "quote": q, "source": titles.get(q["span"]["article"], "?")}
                    )
        if found is None:
            return None
        found["aliases"] = sorted(found["aliases"] - {found["name"]})
        found["roles"] = sorted(found["roles"])
        return found


def _context(text: str, span: dict[str, Any]) -> str:
    from storyweave.report.view import context_of

    start, end = int(span.get("start", 0)), int(span.get("end", 0))
    if not 0 <= start <= end <= len(text):
        return ""
    return context_of(text, start, end, limit=240)
