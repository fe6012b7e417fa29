"""The report dict turned into what a reader sees: labelled sources, linked spans, matrices, diffs.

One view feeds the HTML report, the Markdown report and the web app, so all three show the same
sections from the same rules. The view only reads the report dict (the contract plus our extra
fields) and tolerates missing optional fields and broken spans: a span whose text does not match
its article is shown without a link instead of pointing at the wrong words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from storyweave.report.highlight import BackLink, Mark, highlight, safe_token, span_anchor
from storyweave.report.worddiff import Piece, compare, diff_summary

Span = dict[str, Any]

#: What a back link's one-letter label leads to (its hover text).
LINK_KINDS = {
    "b": "brief",
    "c": "claim",
    "d": "discrepancy",
    "e": "entity",
    "f": "flag",
    "n": "number",
    "q": "quote",
    "r": "republication",
    "t": "date or timeline",
}
#: The flags table lists this many passages per kind; the rest are marked in their articles only.
ROWS_PER_FLAG_KIND = 100
REPUBLICATION_ROWS = 100
#: Above this many articles the claim matrix shows counts instead of one column per article.
MATRIX_MAX_COLUMNS = 30
STATUS_ORDER = {"contested": 0, "corroborated": 1, "single-source": 2}
FLAG_TITLES = {
    "boilerplate": "boilerplate (captions, credits, links)",
    "insertion": "inserted editorial text",
    "opinion": "opinion",
    "duplicate": "duplicate",
}


@dataclass(slots=True)
class Link:
    """A citation: where it points, its short label and a hover text."""

    href: str | None
    label: str
    title: str = ""
    source_href: str | None = None  # the cited article, for formats without span anchors


@dataclass(slots=True)
class Source:
    id: str
    label: str
    anchor: str
    name: str
    title: str | None
    outlet: str | None
    published: str | None
    origin: str
    cites: list[str]
    text: str
    body: Markup = field(default_factory=Markup)
    flags: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class ReportView:
    sources: list[Source]
    brief: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    statements: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    numeric: list[dict[str, Any]]
    quantities: list[dict[str, Any]]
    date_discrepancies: list[dict[str, Any]]
    wording: list[dict[str, Any]]
    dates: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    timeline_svg: dict[str, Any]
    entities: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    republications: list[dict[str, Any]]
    counts: dict[str, int]
    more_flags: dict[str, int] = field(default_factory=dict)  # kind -> flags not listed
    more_republications: int = 0
    matrix_columns: bool = True  # one column per article (else counts: too many articles to read across)
    prefix: str = ""  # prepended to section anchors, so several stories' sections share one page


@dataclass(slots=True)
class StorySection:
    """One story of a report of several: its place in the index and its own view of the sections."""

    number: int
    id: str
    title: str
    anchor: str
    view: ReportView
    outlets: list[str]
    first_published: str | None
    last_published: str | None
    keywords: list[str]


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


#: A sentence end: terminal punctuation (and closing quotes) followed by space, or a line break.
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+|\n")
#: The word before a full stop that does not end a sentence: an initial or a short abbreviation ("U.", "Mr.").
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:[A-Z]|[A-Z][a-z]{1,2}|[A-Z]\.[A-Z])\.$")


def _sentence_ends(text: str) -> list[int]:
    ends = []
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith(".") and _ABBREVIATION.search(text[max(0, m.start() - 6) : m.start() + 1]):
            continue
        ends.append(m.start() + 1)
    return ends


def context_of(text: str, start: int, end: int, limit: int = 220) -> str:
    """The sentence (or line) around ``[start, end)``: enough to see what a number counts."""
    window_start = max(0, start - 600)
    window = text[window_start : end + 600]
    ends = [window_start + e for e in _sentence_ends(window)]
    left = max((e for e in ends if e <= start), default=window_start)
    right = min((e for e in ends if e >= end), default=min(len(text), end + 600))
    return shorten(text[left:right], limit)


class _Builder:
    """Collects marks per article while the sections are built, then renders the bodies."""

    def __init__(self, report: dict[str, Any], prefix: str = "") -> None:
        self.report = report
        self.prefix = prefix
        self.articles: dict[str, dict[str, Any]] = {a["id"]: a for a in report.get("articles", [])}
        self.sources: dict[str, Source] = {}
        for i, a in enumerate(report.get("articles", []), 1):
            origin = (a.get("source") or "").replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
            name = a.get("outlet") or shorten(a.get("title") or origin or a["id"], 70)
            self.sources[a["id"]] = Source(
                id=a["id"],
                label=f"S{i}",
                anchor=f"a-{safe_token(a['id'])}",
                name=name,
                title=a.get("title"),
                outlet=a.get("outlet"),
                published=a.get("published"),
                origin=a.get("source") or "",
                cites=list(a.get("cites") or []),
                text=a.get("text") or "",
            )
        self.marks: dict[str, list[Mark]] = defaultdict(list)
        self.entity_names = {e["id"]: e["name"] for e in report.get("entities", [])}
        self.quotes = {q["id"]: q for q in report.get("quotes", [])}

    # ---------------------------------------------------------------- spans and links

    def valid(self, span: Span | None) -> bool:
        if not span:
            return False
        article = self.articles.get(span.get("article"))  # type: ignore[arg-type]
        if article is None:
            return False
        start, end = span.get("start"), span.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(article["text"]):
            return False
        return bool(article["text"][start:end] == span.get("text"))

    def source_label(self, article_id: str) -> str:
        source = self.sources.get(article_id)
        return source.label if source else "?"

    def quote_source_label(self, quote_id: Any) -> str:
        """The label of the source a quote is from ("?" for an unknown quote)."""
        quote = self.quotes.get(quote_id) if isinstance(quote_id, str) else None
        return self.source_label(quote["span"]["article"]) if quote else "?"

    def cite(self, span: Span | None, item_href: str, item_label: str, classes: set[str], title: str = "") -> Link:
        """A link to ``span`` and a mark on it linking back to the item; no link for a broken span."""
        if not span:
            return Link(None, "?", "")
        label = self.source_label(span.get("article", ""))
        hover = shorten(span.get("text", ""), 160)
        if not self.valid(span):
            return Link(None, label, f"span not found in the article: {hover}")
        anchor = span_anchor(span)
        self.marks[span["article"]].append(
            Mark(
                span["start"],
                span["end"],
                {f"m-{c}" for c in classes},
                [title] if title else [],
                [BackLink(item_href, item_label, LINK_KINDS.get(item_label, ""))],
                anchor,
            )
        )
        return Link(f"#{anchor}", label, hover, f"#{self.sources[span['article']].anchor}")

    def article_link(self, article_id: str) -> Link:
        source = self.sources.get(article_id)
        if source is None:
            return Link(None, "?", f"unknown article {article_id}")
        return Link(f"#{source.anchor}", source.label, source.name, f"#{source.anchor}")

    def speaker_name(self, quote: dict[str, Any]) -> str:
        if quote.get("speaker") and quote["speaker"] in self.entity_names:
            return str(self.entity_names[quote["speaker"]])
        if quote.get("speaker_span"):
            return str(quote["speaker_span"].get("text", "unknown"))
        return "unknown speaker"

    # ---------------------------------------------------------------- sections

    def entities(self) -> list[dict[str, Any]]:
        rows = []
        for e in self.report.get("entities", []):
            href = f"e-{safe_token(e['id'])}"
            title = f"{e['name']} ({e.get('type', 'OTHER')})"
            # the hover text names the entity only where the words differ from its name
            classes = {"ent", f"ent-{e.get('type', 'OTHER')}"}
            mentions = [
                self.cite(m, href, "e", classes, "" if m.get("text") == e["name"] else title) for m in e["mentions"]
            ]
            rows.append(
                {
                    "id": e["id"],
                    "anchor": href,
                    "name": e["name"],
                    "type": e.get("type", "OTHER"),
                    "aliases": [a for a in e.get("aliases", []) if a != e["name"]],
                    "roles": list(e.get("roles") or []),
                    "mentions": mentions,
                }
            )
        rows.sort(key=lambda r: (-len(r["mentions"]), r["name"].casefold(), r["id"]))
        return rows

    def quote_rows(self) -> list[dict[str, Any]]:
        rows = []
        for q in self.report.get("quotes", []):
            href = f"q-{safe_token(q['id'])}"
            speaker = self.speaker_name(q)
            kind = "quote" if q.get("direct", True) else "reported"
            title = f"{'Quote' if q.get('direct', True) else 'Reported speech'} — speaker: {speaker}"
            link = self.cite(q.get("span"), href, "q", {kind}, title)
            speaker_link = (
                self.cite(q["speaker_span"], href, "q", {"speaker"}, f"speaker of {shorten(q['span']['text'], 40)}")
                if q.get("speaker_span")
                else None
            )
            rows.append(
                {
                    "id": q["id"],
                    "anchor": href,
                    "text": q.get("span", {}).get("text", ""),
                    "speaker": speaker,
                    "speaker_href": f"#e-{safe_token(q['speaker'])}" if q.get("speaker") in self.entity_names else None,
                    "speaker_link": speaker_link,
                    "direct": bool(q.get("direct", True)),
                    "partial": bool(q.get("partial")),
                    "cue": q.get("cue"),
                    "link": link,
                }
            )
        return rows

    def statements(self) -> list[dict[str, Any]]:
        rows = []
        for s in self.report.get("statements", []):
            quotes = [self.quotes[qid] for qid in s.get("quotes", []) if qid in self.quotes]
            # one column per distinct wording, naming every source that printed it
            wordings: dict[str, list[dict[str, Any]]] = {}
            for q in quotes:
                wordings.setdefault(" ".join(q["span"]["text"].split()), []).append(q)
            texts = list(wordings)
            base, others = compare(texts[0], texts[1:]) if texts else ([], [])
            pieces: list[list[Piece]] = [base, *others] if texts else []
            columns: list[dict[str, Any]] = []
            for group, piece_list in zip(wordings.values(), pieces, strict=True):
                links = [
                    Link(
                        f"#{span_anchor(q['span'])}" if self.valid(q["span"]) else None,
                        self.source_label(q["span"]["article"]),
                        self.sources[q["span"]["article"]].name if q["span"]["article"] in self.sources else "?",
                        self.article_link(q["span"]["article"]).source_href,
                    )
                    for q in group
                ]
                columns.append(
                    {
                        "links": links,
                        "source_name": links[0].title if len(links) == 1 else f"{len(links)} sources",
                        "pieces": piece_list,
                        "direct": all(q.get("direct", True) for q in group),
                        "cue": ", ".join(sorted({q["cue"] for q in group if q.get("cue")})) or None,
                    }
                )
            by_diff: dict[str, list[str]] = {}
            for d in s.get("differences") or []:
                pair = f"{self.quote_source_label(d.get('a'))} → {self.quote_source_label(d.get('b'))}"
                by_diff.setdefault(str(d.get("diff", "")), []).append(pair)
            if not by_diff and len(texts) > 1:
                for c, t in zip(columns[1:], texts[1:], strict=True):
                    summary = diff_summary(texts[0], t)
                    if summary:
                        by_diff.setdefault(summary, []).append(
                            f"{columns[0]['links'][0].label} → {', '.join(link.label for link in c['links'])}"
                        )
            differences = [
                {"pairs": ", ".join(pairs[:6]) + (" …" if len(pairs) > 6 else ""), "diff": diff}
                for diff, pairs in by_diff.items()
            ]
            speaker = s.get("speaker")
            rows.append(
                {
                    "id": s["id"],
                    "anchor": f"st-{safe_token(s['id'])}",
                    "speaker": self.entity_names.get(speaker, "unknown speaker") if speaker else "unknown speaker",
                    "speaker_href": f"#e-{safe_token(speaker)}" if speaker in self.entity_names else None,
                    "summary": s.get("summary", ""),
                    "relation": s.get("relation"),
                    "columns": columns,
                    "differences": differences,
                }
            )
        return rows

    def claims(self) -> list[dict[str, Any]]:
        rows = []
        for c in self.report.get("claims", []):
            href = f"c-{safe_token(c['id'])}"
            title = f"{c['status']} claim: {shorten(c['text'], 50)}"
            mentions = [self.cite(m, href, "c", {"claim"}, title) for m in c.get("mentions", [])]
            against = [
                self.cite(m, href, "c", {"contra"}, "contradicts: " + shorten(c["text"], 50))
                for m in c.get("contradicted_by", [])
            ]
            support_ids = set(c.get("supported_by", [])) | {m["article"] for m in c.get("mentions", [])}
            first_support: dict[str, Link] = {}
            for link, m in zip(mentions, c.get("mentions", []), strict=True):
                first_support.setdefault(m["article"], link)
            first_against: dict[str, Link] = {}
            for link, m in zip(against, c.get("contradicted_by", []), strict=True):
                first_against.setdefault(m["article"], link)
            cells = []
            counts = {"supports": 0, "discusses": 0, "contradicts": 0, "mixed": 0, "silent": 0}
            stances = c.get("stances") or {}
            for source in self.sources.values():
                if source.id in first_against and source.id in first_support:
                    state, cell_href = "mixed", first_against[source.id].href  # says it and its opposite
                elif source.id in first_against:
                    state, cell_href = "contradicts", first_against[source.id].href
                elif source.id in support_ids:
                    supporting = first_support.get(source.id)
                    # an article that only reports or hedges the claim discusses it (as `check` says)
                    state = "discusses" if stances.get(source.id) == "discusses" else "supports"
                    cell_href = supporting.href if supporting else f"#{source.anchor}"
                else:
                    state, cell_href = "silent", None
                counts[state] += 1
                cells.append({"state": state, "href": cell_href, "source": source.label})
            rows.append(
                {
                    "id": c["id"],
                    "anchor": href,
                    "text": c["text"],
                    "status": c["status"],
                    "evidence": list(c.get("evidence") or []),
                    "mentions": numbered(mentions),
                    "against": numbered(against),
                    "cells": cells if len(self.sources) <= MATRIX_MAX_COLUMNS else [],
                    "counts": counts,
                    "supported_by": [self.article_link(a) for a in c.get("supported_by", [])],
                }
            )
        rows.sort(key=lambda r: (STATUS_ORDER.get(r["status"], 9), -len(r["mentions"])))
        return rows

    def quantities(self) -> list[dict[str, Any]]:
        rows = []
        for q in self.report.get("quantities", []):
            href = f"n-{safe_token(q['id'])}"
            link = self.cite(q.get("span"), href, "n", {"num"}, f"number: {q.get('value')} {q.get('unit') or ''}")
            rows.append(
                {
                    "id": q["id"],
                    "anchor": href,
                    "value": format_number(q.get("value")),
                    "unit": q.get("unit"),
                    "measure": q.get("measure"),
                    "qualifier": q.get("qualifier"),
                    "text": q.get("span", {}).get("text", ""),
                    "span": q.get("span"),
                    "context": self.context(q.get("span")),
                    "link": link,
                }
            )
        return rows

    def context(self, span: Span | None) -> str:
        if not span or not self.valid(span):
            return ""
        return context_of(self.articles[span["article"]]["text"], span["start"], span["end"])

    def discrepancies(self, quantities: dict[str, dict[str, Any]]) -> tuple[list[Any], list[Any], list[Any]]:
        numeric: list[Any] = []
        dates: list[Any] = []
        wording: list[Any] = []
        for d in self.report.get("discrepancies", []):
            href = f"d-{safe_token(d['id'])}"
            title = f"{d['kind']} discrepancy: {shorten(d.get('about', ''), 80)}"
            values = [quantities[qid] for qid in d.get("quantities", []) if qid in quantities]
            quantity_spans = [v["span"] for v in values if v["span"]]
            spans = []
            for s in d.get("spans", []):
                link = self.cite(s, href, "d", {"disc"}, title)
                if any(_within(q, s) for q in quantity_spans):
                    continue  # the sentence around a listed value: the value's row already shows it
                spans.append({"link": link, "text": s.get("text", ""), "context": self.context(s)})
            row = {
                "id": d["id"],
                "anchor": href,
                "about": d.get("about", ""),
                "kind": d["kind"],
                "note": d.get("note"),
                "values": values,
                "spans": spans,
            }
            {"numeric": numeric, "date": dates}.get(d["kind"], wording).append(row)
        return numeric, dates, wording

    def dates(self) -> list[dict[str, Any]]:
        rows = []
        for d in self.report.get("dates", []):
            href = f"dt-{safe_token(d['id'])}"
            link = self.cite(d.get("span"), href, "t", {"date"}, f"date: {d.get('value')}")
            rows.append(
                {
                    "id": d["id"],
                    "anchor": href,
                    "value": d.get("value"),
                    "resolved_from": d.get("resolved_from"),
                    "text": d.get("span", {}).get("text", ""),
                    "link": link,
                }
            )
        rows.sort(key=lambda r: (r["value"] or "", r["link"].label))
        return rows

    def flags(self) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """Flag rows to list (at most :data:`ROWS_PER_FLAG_KIND` per kind) and how many more each kind has.

        Every flag is still marked in its article; the unlisted ones link back to their kind's summary.
        """
        rows = []
        seen: dict[str, int] = defaultdict(int)
        per_article: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for f in self.report.get("flags", []):
            kind = str(f.get("kind", "flag"))
            listed = seen[kind] < ROWS_PER_FLAG_KIND
            seen[kind] += 1
            href = f"f-{safe_token(f['id'])}" if listed else f"flags-{safe_token(kind)}"
            title = shorten(f"{FLAG_TITLES.get(kind, kind)}: {f.get('reason', '')}", 80)
            link = self.cite(f.get("span"), href, "f", {f"flag-{kind}"}, title)
            article = f.get("span", {}).get("article")
            if article in self.sources:
                group = per_article[article].setdefault(kind, {"kind": kind, "anchor": link.href, "count": 0})
                group["count"] += 1
            if listed:
                rows.append(
                    {
                        "id": f["id"],
                        "anchor": href,
                        "kind": kind,
                        "reason": f.get("reason", ""),
                        "text": shorten(f.get("span", {}).get("text", ""), 200),
                        "link": link,
                    }
                )
        for article, groups in per_article.items():
            self.sources[article].flags = sorted(groups.values(), key=lambda g: g["kind"])
        more = {kind: n - ROWS_PER_FLAG_KIND for kind, n in seen.items() if n > ROWS_PER_FLAG_KIND}
        return rows, more

    def timeline(self) -> list[dict[str, Any]]:
        rows = []
        for i, t in enumerate(self.report.get("timeline", []), 1):
            href = f"{self.prefix}t-{i}"
            spans = [self.cite(s, href, "t", {"cited"}, f"timeline {t.get('date')}") for s in t.get("spans") or []]
            rows.append(
                {
                    "anchor": href,
                    "date": t.get("date", ""),
                    "label": display_date(str(t.get("date", ""))),
                    "text": t.get("text", ""),
                    "spans": numbered(spans),
                    "articles": [self.article_link(a) for a in t.get("articles", [])],
                }
            )
        return rows

    def brief(self) -> list[dict[str, Any]]:
        rows = []
        for i, b in enumerate(self.report.get("brief", []), 1):
            href = f"{self.prefix}b-{i}"
            links = [self.cite(s, href, "b", {"cited"}, f"brief sentence {i}") for s in b.get("spans") or []]
            cited = {s.get("article") for s in b.get("spans") or []}
            links += [self.article_link(a) for a in b.get("cites", []) if a not in cited]
            rows.append({"anchor": href, "text": b.get("text", ""), "links": numbered(links)})
        return rows

    def republications(self) -> tuple[list[dict[str, Any]], int]:
        """Republication rows (at most :data:`REPUBLICATION_ROWS`, most similar first) and how many more."""
        found = sorted(
            self.report.get("republications") or [],
            key=lambda r: (-(r.get("similarity") or 0), r.get("copy", ""), r.get("original", "")),
        )
        rows = []
        for i, r in enumerate(found, 1):
            listed = i <= REPUBLICATION_ROWS
            href = f"r-{i}" if listed else "republications"
            inserted = [
                {
                    "link": self.cite(s, href, "r", {"inserted"}, "added by the republisher"),
                    "text": shorten(s["text"], 200),
                }
                for s in r.get("inserted", [])
            ]
            if not listed:
                continue
            rows.append(
                {
                    "anchor": href,
                    "original_link": self.article_link(r.get("original", "")),
                    "copy_link": self.article_link(r.get("copy", "")),
                    "original_name": self.sources[r["original"]].name if r.get("original") in self.sources else "?",
                    "copy_name": self.sources[r["copy"]].name if r.get("copy") in self.sources else "?",
                    "similarity": r.get("similarity"),
                    "inserted": inserted,
                }
            )
        return rows, max(0, len(found) - REPUBLICATION_ROWS)


def numbered(links: list[Link]) -> list[Link]:
    """Citations grouped by source, a source's second and later spans labelled ``S1·2``, ``S1·3``…"""
    seen: dict[str, int] = defaultdict(int)
    ordered = sorted(links, key=lambda link: (len(link.label), link.label))
    out = []
    for link in ordered:
        seen[link.label] += 1
        n = seen[link.label]
        out.append(link if n == 1 else Link(link.href, f"{link.label}·{n}", link.title, link.source_href))
    return out


def _within(inner: Span, outer: Span) -> bool:
    return bool(
        inner.get("article") == outer.get("article")
        and outer.get("start", 0) <= inner.get("start", -1)
        and inner.get("end", 0) <= outer.get("end", -1)
    )


def format_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e15 else f"{value:.4g}"
    return str(value)


def display_date(value: str) -> str:
    """A date or range as a reader says it: a whole year as ``2014``, a whole month as ``2021-04``."""
    start, _, end = value.partition("/")
    if not end or end == start:
        return start
    if start[4:] == "-01-01" and end[4:] == "-12-31" and start[:4] == end[:4]:
        return start[:4]
    if start[:7] == end[:7] and start[8:] == "01" and _is_month_end(end):
        return start[:7]
    return f"{start} – {end[5:] if start[:4] == end[:4] else end}"


def _is_month_end(value: str) -> bool:
    from datetime import date, timedelta

    try:
        return (date.fromisoformat(value) + timedelta(days=1)).day == 1
    except ValueError:
        return False


def timeline_svg(rows: list[dict[str, Any]], width: int = 900) -> dict[str, Any]:
    """Geometry for the inline SVG timeline: one row per entry along a vertical axis.

    Dates that are far apart get a taller gap (capped), so bursts and lulls stay visible.
    """
    items = []
    y = 24
    previous: str | None = None
    for row in rows:
        if previous is not None:
            y += 30 + min(30, 4 * _day_gap(previous, row["date"]))
        previous = row["date"]
        first = next((link.href for link in row["spans"] if link.href), None)
        items.append(
            {
                "y": y,
                "date": row["label"],
                "text": shorten(row["text"], 90),
                "full": row["text"],
                "href": first or f"#{row['anchor']}",
            }
        )
    return {"width": width, "height": y + 24, "items": items}


def _day_gap(a: str, b: str) -> int:
    from datetime import date

    try:
        return abs((date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days)
    except ValueError:
        return 0


def story_report(report: dict[str, Any], story: dict[str, Any]) -> dict[str, Any]:
    """The part of a report of several stories that belongs to ``story``: its articles, the findings
    in them and the cross-article findings carrying its id, as a report of its own."""
    members = set(story.get("articles", []))
    part: dict[str, Any] = {k: v for k, v in report.items() if not isinstance(v, list)}
    for key, items in report.items():
        if key == "stories" or not isinstance(items, list):
            continue
        if key == "articles":
            part[key] = [a for a in items if a.get("id") in members]
        elif key in ("quotes", "quantities", "dates", "flags"):
            part[key] = [x for x in items if (x.get("span") or {}).get("article") in members]
        else:
            part[key] = [x for x in items if x.get("story") == story.get("id")]
    return part


def story_sections(report: dict[str, Any]) -> list[StorySection]:
    """A section per story when the report holds several (none for a report of one story)."""
    stories = report.get("stories") or []
    if len(stories) < 2:
        return []
    sections = []
    for n, story in enumerate(stories, 1):
        part = story_report(report, story)
        outlets = sorted({a["outlet"] for a in part["articles"] if a.get("outlet")})
        dates = sorted(a["published"] for a in part["articles"] if a.get("published"))
        sections.append(
            StorySection(
                number=n,
                id=story["id"],
                title=story.get("title") or f"Story {n}",
                anchor=f"story-{n}",
                view=build_view(part, prefix=f"s{n}-"),
                outlets=outlets,
                first_published=dates[0] if dates else None,
                last_published=dates[-1] if dates else None,
                keywords=list(story.get("keywords") or []),
            )
        )
    return sections


def view_with_article(report: dict[str, Any], article_id: str) -> ReportView:
    """The view in which ``article_id`` appears: its story's, or the whole report's."""
    for story in report.get("stories") or []:
        if article_id in story.get("articles", []) and len(report["stories"]) > 1:
            return build_view(story_report(report, story))
    return build_view(report)


def build_view(report: dict[str, Any], prefix: str = "") -> ReportView:
    """Everything the report templates show, with every span cited and marked in its article.

    ``prefix`` goes before every section anchor (one story's sections among several on a page)."""
    b = _Builder(report, prefix)
    brief = b.brief()
    claims = b.claims()
    quotes = b.quote_rows()
    statements = b.statements()
    quantities = b.quantities()
    numeric, date_discrepancies, wording = b.discrepancies({q["id"]: q for q in quantities})
    dates = b.dates()
    timeline = b.timeline()
    entities = b.entities()
    flags, more_flags = b.flags()
    republications, more_republications = b.republications()
    for article_id, source in b.sources.items():
        source.body = highlight(source.text, b.marks.get(article_id, []))
    return ReportView(
        sources=list(b.sources.values()),
        brief=brief,
        claims=claims,
        statements=statements,
        quotes=quotes,
        numeric=numeric,
        quantities=quantities,
        date_discrepancies=date_discrepancies,
        wording=wording,
        dates=dates,
        timeline=timeline,
        timeline_svg=timeline_svg(timeline),
        entities=entities,
        flags=flags,
        republications=republications,
        more_flags=more_flags,
        more_republications=more_republications,
        matrix_columns=len(b.sources) <= MATRIX_MAX_COLUMNS,
        prefix=prefix,
        counts={
            "articles": len(b.sources),
            "entities": len(entities),
            "quotes": len(quotes),
            "statements": len(statements),
            "claims": len(claims),
            "contested": sum(c["status"] == "contested" for c in claims),
            "corroborated": sum(c["status"] == "corroborated" for c in claims),
            "discrepancies": len(numeric) + len(date_discrepancies) + len(wording),
            "flags": len(flags) + sum(more_flags.values()),
        },
    )
