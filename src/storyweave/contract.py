"""The report contract: the model serialised as ``report.json`` (schema_version "1").

Fields beyond the contract's core may be added; none of the core may be renamed or dropped.
The schema bundled beside this module is a copy of the project's contract (a test keeps it equal).

Several stories in one run (the contract's own section on it): :func:`stories_report` joins the
per-story reports into one, adding ``stories: [{id, title, articles, ...}]``, a ``story`` on every
article and on every cross-article finding (entity, statement, claim, discrepancy, timeline entry,
brief sentence, republication). :func:`story_problems` checks what the schema cannot: every story id
named exists, every article is in exactly one story, and no finding joins articles of two stories.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from storyweave.model import Article, Corpus, Entity, Span

SCHEMA_VERSION = "1"


def span_dict(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"article": span.article, "start": span.start, "end": span.end, "text": span.text}


def _provenance(article: Article) -> dict[str, Any] | None:
    """How the article's bytes were got (URL or path, redirects, status, UTC time, SHA-256)."""
    p = article.provenance
    if p is None:
        return None
    return {
        "requested": p.requested,
        "final": p.final,
        "redirects": list(p.redirects),
        "status": p.status,
        "fetched_at": p.fetched_at,
        "content_type": p.content_type,
        "sha256": p.sha256,
        "size": p.size,
        "via": p.via,
        "kept": p.kept,
    }


def _entity_mentions(entity: Entity) -> list[dict[str, Any]]:
    """The entity's mention spans, each with its ``kind`` (name, nominal or pronoun) added."""
    kinds = entity.mention_kinds or ("name",) * len(entity.mentions)
    return [
        {"article": s.article, "start": s.start, "end": s.end, "text": s.text, "kind": kind}
        for s, kind in zip(entity.mentions, kinds, strict=True)
    ]


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
            "provenance": _provenance(a.article),
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
            "speaker_name": q.speaker_name,
            "kind": q.quote_kind,
            "cue_span": span_dict(q.cue_span),
            "fragments": [span_dict(f) for f in q.fragments],
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
            "source": q.source,
            "event": q.event,
        }
        for a in analyses
        for q in sorted(a.quantities, key=lambda q: q.span.start)
    ]
    dates = [
        {
            "id": d.id,
            "span": span_dict(d.span),
            "value": d.value,
            "resolved_from": d.resolved_from,
            "relative": d.relative,
        }
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
                "mentions": _entity_mentions(e),
                "roles": list(e.roles),
                "named": e.named,
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
                "spans": [span_dict(x) for x in s.spans],
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
                "stances": dict(c.stances),
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


#: The cross-article findings that belong to one story, and how to read the articles each one joins.
STORY_FINDINGS: dict[str, Callable[[dict[str, Any]], set[str]]] = {
    "statements": lambda s: set(),  # joined through its quotes, checked below
    "claims": lambda c: (
        {m["article"] for m in c["mentions"]} | set(c["supported_by"]) | {s["article"] for s in c["contradicted_by"]}
    ),
    "discrepancies": lambda d: {s["article"] for s in d["spans"]},
    "timeline": lambda t: set(t["articles"]),
    "brief": lambda b: set(b["cites"]),
    "republications": lambda r: {r["original"], r["copy"]},
    "entities": lambda e: {m["article"] for m in e["mentions"]},
}


def stories_report(parts: list[tuple[dict[str, Any], Corpus]]) -> dict[str, Any]:
    """One report for a run of several stories: ``parts`` is ``(story, corpus)`` per story, where
    ``story`` has ``id``, ``title`` and the story's summary fields and ``corpus`` the story's articles
    after the cross-article stages. Every item keeps its core fields; stories are listed in order."""
    merged: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    listed: list[dict[str, Any]] = []
    keys = ("articles", "entities", "quotes", "statements", "claims", "quantities", "discrepancies", "dates",
            "flags", "timeline", "brief", "republications")  # fmt: skip
    for key in keys:
        merged[key] = []
    for story, corpus in parts:
        report = to_report(corpus)
        story_id = story["id"]
        listed.append(
            {**story, "id": story_id, "title": story["title"], "articles": [a["id"] for a in report["articles"]]}
        )
        for key in keys:
            items = report[key]
            if key in ("articles", *STORY_FINDINGS):
                items = [{**item, "story": story_id} for item in items]
            merged[key].extend(items)
    merged["articles"].sort(key=lambda a: a["id"])
    for key in ("quotes", "quantities", "dates"):
        merged[key].sort(key=lambda q: (q["span"]["article"], q["span"]["start"], q["id"]))
    merged["flags"].sort(key=lambda f: (f["span"]["article"], f["span"]["start"], f["span"]["end"], f["kind"]))
    merged["timeline"].sort(key=lambda t: (t["date"], t["story"], t["text"]))
    merged["stories"] = listed
    return merged


def story_problems(report: dict[str, Any]) -> list[str]:
    """What is wrong with a report's story fields (nothing when it has no ``stories``)."""
    stories = report.get("stories")
    if stories is None:
        return []
    problems: list[str] = []
    story_of: dict[str, str] = {}
    ids = set()
    for story in stories:
        ids.add(story["id"])
        for article_id in story["articles"]:
            if article_id in story_of:
                problems.append(f"article {article_id} is in two stories")
            story_of[article_id] = story["id"]
    for article in report["articles"]:
        if article["id"] not in story_of:
            problems.append(f"article {article['id']} is in no story")
        elif article.get("story", story_of[article["id"]]) != story_of[article["id"]]:
            problems.append(f"article {article['id']} names story {article['story']}, not its own")
    quote_article = {q["id"]: q["span"]["article"] for q in report["quotes"]}
    for key, joined in STORY_FINDINGS.items():
        for item in report.get(key, []):
            articles = joined(item)
            if key == "statements":
                articles = {quote_article[q] for q in item["quotes"] if q in quote_article}
            if key != "entities" and len({story_of.get(a) for a in articles}) > 1:
                problems.append(
                    f"{key} item {item.get('id', item.get('text', ''))!r} joins articles of several stories"
                )
            named = item.get("story")
            if named is not None and named not in ids:
                problems.append(f"{key} item names story {named}, which the report does not list")
    return problems


def dumps(report: dict[str, Any]) -> str:
    """Byte-stable JSON: the same report always serialises to the same bytes."""
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def schema() -> dict[str, Any]:
    text = resources.files("storyweave").joinpath("report.schema.json").read_text(encoding="utf-8")
    found: dict[str, Any] = json.loads(text)
    return found


def validate(report: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless the report follows the contract, and
    ``ValueError`` when a span's text is not the article text it points at or the story fields
    contradict each other (:func:`story_problems`).

    A report that :func:`surely_valid` accepts skips the general validator, which costs seconds
    on a large report; anything else goes through ``jsonschema`` and gets its exact error.
    """
    if not surely_valid(report):
        import jsonschema

        jsonschema.validate(report, schema())
    bad = list(bad_spans(report))
    if bad:
        raise ValueError(f"{len(bad)} spans do not match their article text, e.g. {bad[0]}")
    problems = story_problems(report)
    if problems:
        raise ValueError(f"{len(problems)} problems with the report's stories, e.g. {problems[0]}")


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


# ---------------------------------------------------------------------- fast check

Check = Callable[[Any], bool]


class _UnsupportedError(Exception):
    """The schema uses something the fast check does not implement: always use jsonschema."""


def surely_valid(report: Any) -> bool:
    """True only when ``report`` certainly follows the contract's schema.

    A check compiled from the schema, for the keywords it uses (type, properties, required, items,
    enum, const, minLength, minimum, pattern, oneOf, local ``$ref``). Where it could disagree with
    ``jsonschema`` it is stricter (an integer must be an ``int``; enum and const values must have
    the listed value's exact type), so False means only "ask jsonschema", never "invalid".
    """
    check = _compiled_schema()
    return check is not None and check(report)


@cache
def _compiled_schema() -> Check | None:
    root = schema()  # read once; the compiled check keeps no reference a caller could change
    try:
        return _compile(root, root, {})
    except _UnsupportedError:
        return None


_KNOWN = {
    "$schema", "$id", "$defs", "title", "description", "$comment", "type", "properties", "required",
    "items", "enum", "const", "minLength", "minimum", "pattern", "oneOf", "$ref",
}  # fmt: skip
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _compile(node: Any, root: dict[str, Any], refs: dict[str, list[Check]]) -> Check:
    if not isinstance(node, dict) or set(node) - _KNOWN:
        raise _UnsupportedError(str(node)[:80])
    checks: list[Check] = []
    if "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise _UnsupportedError(ref)
        if ref not in refs:  # compiled once; a recursive reference finds it through the list
            refs[ref] = []
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            refs[ref].append(_compile(target, root, refs))
        slot = refs[ref]
        # a finished target is called directly; one still being compiled (recursion) through its slot
        checks.append(slot[0] if slot else lambda v: slot[0](v))
    if "type" in node:
        names: list[str] = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if any(n not in _TYPES for n in names):
            raise _UnsupportedError(names)
        tests = [_TYPES[n] for n in names]
        checks.append(_any_of(tests))
    if "enum" in node:
        allowed = list(node["enum"])
        checks.append(lambda v: any(_same(v, a) for a in allowed))
    if "const" in node:
        const = node["const"]
        checks.append(lambda v: _same(v, const))
    if "minLength" in node:
        least = node["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= least)
    if "minimum" in node:
        low = node["minimum"]
        checks.append(lambda v: not _TYPES["number"](v) or v >= low)
    if "pattern" in node:
        pattern = re.compile(node["pattern"])
        checks.append(lambda v: not isinstance(v, str) or pattern.search(v) is not None)
    if "required" in node:
        checks.append(_required(list(node["required"])))
    if "properties" in node:
        checks.append(_properties([(k, _compile(sub, root, refs)) for k, sub in node["properties"].items()]))
    if "items" in node:
        checks.append(_items(_compile(node["items"], root, refs)))
    if "oneOf" in node:
        # A stricter check of one option could hide that a second option also matches (which makes
        # oneOf fail), so only options that accept disjoint JSON types are supported: then the
        # value's type picks the one option that can match.
        families = [_type_families(sub, root) for sub in node["oneOf"]]
        if sum(len(f) for f in families) != len(set().union(*families)):
            raise _UnsupportedError("oneOf options whose types overlap")
        by_family = {
            family: _compile(sub, root, refs)
            for sub, fams in zip(node["oneOf"], families, strict=True)
            for family in fams
        }
        checks.append(lambda v: _family(v) in by_family and by_family[_family(v) or ""](v))
    return _all_of(checks)


# The combinators below are plain loops rather than all()/any() over generators: the check runs
# once per value of a report with tens of thousands of values.


def _all_of(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)

    def check(v: Any) -> bool:
        for c in checks:  # noqa: SIM110 - a loop, not all() over a generator (see above)
            if not c(v):
                return False
        return True

    return check


def _any_of(tests: list[Check]) -> Check:
    if len(tests) == 1:
        return tests[0]

    def check(v: Any) -> bool:
        for t in tests:  # noqa: SIM110 - a loop, not any() over a generator (see above)
            if t(v):
                return True
        return False

    return check


def _required(keys: list[str]) -> Check:
    def check(v: Any) -> bool:
        if isinstance(v, dict):
            for k in keys:
                if k not in v:
                    return False
        return True

    return check


def _properties(props: list[tuple[str, Check]]) -> Check:
    def check(v: Any) -> bool:
        if isinstance(v, dict):
            for k, c in props:
                if k in v and not c(v[k]):
                    return False
        return True

    return check


def _items(item: Check) -> Check:
    def check(v: Any) -> bool:
        if isinstance(v, list):
            for x in v:
                if not item(x):
                    return False
        return True

    return check


_FAMILIES = {"integer": "number"}


def _type_families(node: Any, root: dict[str, Any]) -> set[str]:
    """The JSON types a schema node can accept (integer counted as number), from its ``type``."""
    while isinstance(node, dict) and "type" not in node and isinstance(node.get("$ref"), str):
        target: Any = root
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    if not isinstance(node, dict) or "type" not in node:
        raise _UnsupportedError("a oneOf option without a type")
    names: list[str] = node["type"] if isinstance(node["type"], list) else [node["type"]]
    return {_FAMILIES.get(n, n) for n in names}


def _family(value: Any) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    containers: dict[type, str] = {dict: "object", list: "array", str: "string"}
    return containers.get(type(value))
