"""Hostile article input for the XSS tests: payloads in titles, text, outlets, quotes and names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</textarea><iframe srcdoc=x>",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
)
#: Elements that must never appear unless the page itself put them there.
INJECTED_SELECTORS = (
    "script",
    "img[src='x']",
    "iframe",
    "textarea",
    "svg[onload]",
    "[onerror]",
    "[onload]",
    "[onmouseover]",
    "a[href^='javascript']",
)


def hostile_articles() -> list[dict[str, Any]]:
    """Three invented articles about one event, each carrying every payload somewhere."""
    p = PAYLOADS
    return [
        {
            "title": f"Dam inspection halted {p[0]}",
            "outlet": f"Valley Courier {p[1]}",
            "source": f"courier-{p[2]}.json",
            "published": "2030-06-02",
            "text": (
                f"Dam inspection halted {p[0]}\n\n"
                f"Inspectors at the Kessel Dam stopped work on Monday after finding 14 cracks {p[1]}.\n\n"
                f'"We found {p[0]} damage," said Dr. Anwen Pryce {p[2]}, the chief inspector.\n\n'
                f"Read more: [here]({p[4]}) {p[3]} {p[5]}\n"
            ),
        },
        {
            "title": f"Kessel Dam closed {p[2]}",
            "outlet": f"River Post {p[3]}",
            "source": "river-post.json",
            "published": "2030-06-03",
            "text": (
                f"Kessel Dam closed {p[2]}\n\n"
                f"The Kessel Dam was closed on Monday after inspectors found 12 cracks {p[5]}.\n\n"
                f'"We found {p[0]} damage," Anwen Pryce told reporters {p[3]}.\n\n'
                f"Comment: {p[1]} this is a scandal.\n"
            ),
        },
        {
            "title": f"Engineers dispute dam report {p[4]}",
            "outlet": f"Wire {p[5]}",
            "source": "wire.json",
            "published": "2030-06-04",
            "text": (
                f"Engineers dispute dam report {p[4]}\n\n"
                f"Engineers said the Kessel Dam had no cracks {p[2]}, contradicting the inspectors.\n\n"
                f"Pryce said the dam would stay closed {p[0]}.\n"
            ),
        },
    ]


def write_hostile_files(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, article in enumerate(hostile_articles()):
        path = folder / f"hostile-{i}.json"
        path.write_text(json.dumps(article), encoding="utf-8")
        paths.append(path)
    return paths


def poison_report(report: dict[str, Any]) -> dict[str, Any]:
    """``report`` with a payload in every free-text field the pipeline may not have filled."""
    p = PAYLOADS
    poisoned = json.loads(json.dumps(report))
    for i, e in enumerate(poisoned["entities"]):
        e["name"] = f"{e['name']} {p[i % len(p)]}"
        e["aliases"] = [*e["aliases"], p[(i + 1) % len(p)]]
        e["roles"] = [*e.get("roles", []), p[(i + 2) % len(p)]]
    for s in poisoned["statements"]:
        s["summary"] = f"{s['summary']} {p[0]}"
        s["differences"] = [{"a": "x", "b": "y", "diff": p[2]}]
    for c in poisoned["claims"]:
        c["text"] = f"{c['text']} {p[1]}"
        c["evidence"] = [p[3]]
    for d in poisoned["discrepancies"]:
        d["about"] = f"{d['about']} {p[2]}"
        d["note"] = p[5]
    for f in poisoned["flags"]:
        f["reason"] = p[0]
    for q in poisoned["quantities"]:
        q["measure"] = p[1]
        q["unit"] = p[4]
    poisoned["timeline"] = [*poisoned["timeline"], {"date": p[2], "text": p[0], "articles": [p[1]], "spans": []}]
    poisoned["brief"] = [*poisoned["brief"], {"text": f"Brief {p[1]}", "cites": [p[2]], "spans": []}]
    for a in poisoned["articles"]:
        a["cites"] = [*a["cites"], p[3]]
    return poisoned


# --------------------------------------------------------------------------- hostile ingest input

#: File names a careless or hostile producer may give: line breaks that could forge a second
#: message line, terminal escapes, bidirectional overrides, a byte that is not UTF-8.
HOSTILE_NAMES = (
    "bad\nerror: forged.txt",
    "cr\rreturn.txt",
    "esc\x1b[31mred.txt",
    "bidi\u202egnp.txt",
    "tab\tand\x7fdel.txt",
    "line\u2028sep.txt",
)
#: A name whose bytes are not UTF-8 (POSIX allows any byte but NUL and "/").
NON_UTF8_NAME = b"caf\xe9.txt"


def deep_json(depth: int, *, text: str = "A record with a deeply nested field.") -> str:
    """A JSON object whose ``extra`` field holds a number in lists nested ``depth`` deep."""
    return '{"text": ' + json.dumps(text) + ', "extra": ' + "[" * depth + "0" + "]" * depth + "}"


def surrogate_record(text: str, title: str) -> str:
    """A JSON record whose text and title end in lone surrogate escapes (valid JSON, invalid Unicode)."""
    return '{"text": ' + json.dumps(text)[:-1] + '\\ud800", "title": ' + json.dumps(title)[:-1] + '\\udfff"}'


def warc_archive(pages: list[tuple[str, str]], *, gz: bool) -> bytes:
    """A WARC archive with one HTML response record per ``(url, html)``; the same bytes every time."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for number, (url, page) in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        fixed = {
            "WARC-Date": "2024-06-11T08:00:00Z",
            "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{number:012d}>",
        }
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(page.encode()), http_headers=headers, warc_headers_dict=fixed
        )
        writer.write_record(record)
    return buffer.getvalue()


def article_page(title: str, paragraph: str, repeat: int = 6) -> str:
    """A plain article page whose main text is ``paragraph`` repeated."""
    body = "".join(f"<p>{paragraph} (Part {i}.)</p>" for i in range(repeat))
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
