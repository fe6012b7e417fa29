"""The report contract: the model serialised as ``report.json`` (schema_version "1").

Fields beyond the contract's core may be added; none of the core may be renamed or dropped.
The schema bundled beside this module is a copy of the project's contract (a test keeps it equal).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from storyweave.model import Corpus, Span

SCHEMA_VERSION = "1"


def span_dict(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"article": span.article, "start": span.start, "end": span.end, "text": span.text}


def to_report(corpus: Corpus) -> dict[str, Any]:
    """The report as plain JSON-ready data, in a deterministic order."""
    analyses = sorted(corpus.analyses, key=lambda a: a.article.id)
    articles = [
        {
            "id": a.article.id,
            "source": a.article.source,
            "title": a.article.title,
            "text": a.article.text,
            "published": a.article.published,
            "outlet": a.article.outlet,
            "cites": list(a.article.cites),
            "url": a.article.url,
        }
        for a in analyses
    ]
    quotes = [
        {
            "id": q.id,
            "span": span_dict(q.span),
            "speaker": q.speaker,
            "speaker_span": span_dict(q.speaker_span),
            "direct": q.direct,
            "cue": q.cue,
            "partial": q.partial,
        }
        for a in analyses
        for q in sorted(a.quotes, key=lambda q: q.span.start)
    ]
    quantities = [
        {
            "id": q.id,
            "span": span_dict(q.span),
            "value": q.value,
            "unit": q.unit,
            "measure": q.measure,
            "qualifier": q.qualifier,
        }
        for a in analyses
        for q in sorted(a.quantities, key=lambda q: q.span.start)
    ]
    dates = [
        {"id": d.id, "span": span_dict(d.span), "value": d.value, "resolved_from": d.resolved_from}
        for a in analyses
        for d in sorted(a.dates, key=lambda d: d.span.start)
        if d.value is not None
    ]
    flags = [f for a in analyses for f in a.flags] + list(corpus.flags)
    flags.sort(key=lambda f: (f.span.article, f.span.start, f.span.end, f.kind))
    return {
        "schema_version": SCHEMA_VERSION,
        "articles": articles,
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "mentions": [span_dict(m) for m in e.mentions],
                "roles": list(e.roles),
            }
            for e in corpus.entities
        ],
        "quotes": quotes,
        "statements": [
            {
                "id": s.id,
                "speaker": s.speaker,
                "quotes": list(s.quotes),
                "summary": s.summary,
                "relation": s.relation,
                "differences": [{"a": a, "b": b, "diff": d} for a, b, d in s.differences],
            }
            for s in corpus.statements
        ],
        "claims": [
            {
                "id": c.id,
                "text": c.text,
                "mentions": [span_dict(m) for m in c.mentions],
                "status": c.status,
                "supported_by": list(c.supported_by),
                "contradicted_by": [span_dict(s) for s in c.contradicted_by],
                "evidence": list(c.evidence),
            }
            for c in corpus.claims
        ],
        "quantities": quantities,
        "discrepancies": [
            {
                "id": d.id,
                "about": d.about,
                "kind": d.kind,
                "quantities": list(d.quantities),
                "spans": [span_dict(s) for s in d.spans],
                "note": d.note,
            }
            for d in corpus.discrepancies
        ],
        "dates": dates,
        "flags": [{"id": f.id, "span": span_dict(f.span), "kind": f.kind, "reason": f.reason} for f in flags],
        "timeline": [
            {"date": t.date, "text": t.text, "articles": list(t.articles), "spans": [span_dict(s) for s in t.spans]}
            for t in corpus.timeline
        ],
        "brief": [
            {"text": b.text, "cites": list(b.cites), "spans": [span_dict(s) for s in b.spans]} for b in corpus.brief
        ],
        "republications": [
            {
                "original": r.original,
                "copy": r.copy,
                "similarity": round(r.similarity, 4),
                "inserted": [span_dict(s) for s in r.inserted],
            }
            for r in corpus.republications
        ],
    }


def dumps(report: dict[str, Any]) -> str:
    """Byte-stable JSON: the same report always serialises to the same bytes."""
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def schema() -> dict[str, Any]:
    text = resources.files("storyweave").joinpath("report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def validate(report: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless the report follows the contract, and
    ``ValueError`` when a span's text is not the article text it points at."""
    import jsonschema

    jsonschema.validate(report, schema())
    bad = list(bad_spans(report))
    if bad:
        raise ValueError(f"{len(bad)} spans do not match their article text, e.g. {bad[0]}")


def bad_spans(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every span in the report whose ``text`` is not ``article.text[start:end]``."""
    texts = {a["id"]: a["text"] for a in report["articles"]}
    found: list[dict[str, Any]] = []

    def check(span: dict[str, Any] | None) -> None:
        if span is None:
            return
        text = texts.get(span["article"])
        if text is None or text[span["start"] : span["end"]] != span["text"] or span["start"] > span["end"]:
            found.append(span)

    for e in report["entities"]:
        for m in e["mentions"]:
            check(m)
    for q in report["quotes"]:
        check(q["span"])
        check(q["speaker_span"])
    for key in ("quantities", "dates", "flags"):
        for item in report[key]:
            check(item["span"])
    for c in report["claims"]:
        for s in c["mentions"] + c["contradicted_by"]:
            check(s)
    for d in report["discrepancies"]:
        for s in d["spans"]:
            check(s)
    return found
