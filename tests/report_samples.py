"""Hand-built report dicts about an invented event, covering every section of the report.

The pipeline's stages fill these sections for real; these dicts let the renderers be tested on
every section (and on overlapping spans) independently of how well the stages do today.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storyweave.ingest import article_id

GAZETTE = (
    "Bridge closes after crack found\n\n"
    "Photo: river view (Credit: Lens Agency)\n\n"
    "The Orrin Bridge in Marrowby was closed on Tuesday after engineers found a 40-metre crack.\n\n"
    '"We will not reopen it until it is safe," Mayor Hilde Varga said on Tuesday.\n\n'
    "About 12,000 vehicles cross the bridge every day, the council said.\n"
)
NORTHLINE = (
    "Marrowby shuts Orrin Bridge\n\n"
    "Marrowby council closed the Orrin Bridge on Wednesday after inspectors found a 35-metre crack.\n\n"
    '"We won\'t reopen it until it is safe," Varga told reporters.\n\n'
    "Some 15,000 vehicles use the bridge daily.\n\n"
    "Comment: the council has neglected this bridge for a decade.\n"
)
WIRE = (
    "Crack closes river crossing\n\n"
    "Engineers did not find a crack in the Orrin Bridge, a contractor said, disputing the council.\n\n"
    "Mayor Varga said the bridge would stay shut.\n"
)


def _span(text: str, aid: str, phrase: str, nth: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return {"article": aid, "start": start, "end": start + len(phrase), "text": phrase}


def sample_report(
    gazette: str = GAZETTE, northline: str = NORTHLINE, wire: str = WIRE, *, outlets: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A complete report (every section non-empty) over three invented articles."""
    g, n, w = article_id(gazette), article_id(northline), article_id(wire)
    names = outlets or ("Harbour Gazette", "Northline News", "Wire Service")
    texts = {g: gazette, n: northline, w: wire}

    def sp(aid: str, phrase: str, nth: int = 0) -> dict[str, Any]:
        return _span(texts[aid], aid, phrase, nth)

    articles = [
        {
            "id": aid,
            "source": f"{name.lower().replace(' ', '-')}.txt",
            "title": text.splitlines()[0],
            "text": text,
            "published": pub,
            "outlet": name,
            "cites": cites,
            "url": None,
        }
        for aid, text, name, pub, cites in (
            (g, gazette, names[0], "2031-04-08", ["Lens Agency"]),
            (n, northline, names[1], "2031-04-09", []),
            (w, wire, names[2], None, []),
        )
    ]
    q1 = {
        "id": "q1",
        "span": sp(g, '"We will not reopen it until it is safe,"'),
        "speaker": "e_varga",
        "speaker_span": sp(g, "Mayor Hilde Varga"),
        "direct": True,
        "cue": "said",
        "partial": False,
    }
    q2 = {
        "id": "q2",
        "span": sp(n, '"We won\'t reopen it until it is safe,"'),
        "speaker": "e_varga",
        "speaker_span": sp(n, "Varga", 0),
        "direct": True,
        "cue": "told",
        "partial": False,
    }
    return {
        "schema_version": "1",
        "articles": articles,
        "entities": [
            {
                "id": "e_varga",
                "name": "Hilde Varga",
                "type": "PERSON",
                "aliases": ["Varga", "Mayor Varga"],
                "mentions": [sp(g, "Hilde Varga"), sp(n, "Varga", 0), sp(w, "Varga")],
                "roles": ["mayor"],
            },
            {
                "id": "e_bridge",
                "name": "Orrin Bridge",
                "type": "LOC",
                "aliases": [],
                "mentions": [sp(g, "Orrin Bridge"), sp(n, "Orrin Bridge"), sp(w, "Orrin Bridge")],
                "roles": [],
            },
            {
                "id": "e_town",
                "name": "Marrowby",
                "type": "GPE",
                "aliases": [],
                "mentions": [sp(g, "Marrowby"), sp(n, "Marrowby", 1)],
                "roles": [],
            },
        ],
        "quotes": [q1, q2],
        "statements": [
            {
                "id": "st1",
                "speaker": "e_varga",
                "quotes": ["q1", "q2"],
                "summary": "The bridge stays shut until it is safe.",
                "relation": "near-verbatim",
            }
        ],
        "claims": [
            {
                "id": "c_closed",
                "text": "The Orrin Bridge was closed after a crack was found.",
                "mentions": [
                    sp(g, "The Orrin Bridge in Marrowby was closed on Tuesday after engineers found a 40-metre crack."),
                    sp(
                        n,
                        "Marrowby council closed the Orrin Bridge on Wednesday",
                    ),
                ],
                "status": "contested",
                "supported_by": [g, n],
                "contradicted_by": [sp(w, "Engineers did not find a crack in the Orrin Bridge")],
                "evidence": ["negation"],
            },
            {
                "id": "c_shut",
                "text": "The mayor said the bridge would stay shut.",
                "mentions": [sp(w, "Mayor Varga said the bridge would stay shut.")],
                "status": "single-source",
                "supported_by": [w],
                "contradicted_by": [],
                "evidence": [],
            },
        ],
        "quantities": [
            {"id": "n1", "span": sp(g, "40-metre"), "value": 40, "unit": "m", "measure": "crack", "qualifier": None},
            {"id": "n2", "span": sp(n, "35-metre"), "value": 35, "unit": "m", "measure": "crack", "qualifier": None},
            {
                "id": "n3",
                "span": sp(g, "12,000 vehicles"),
                "value": 12000,
                "unit": None,
                "measure": "vehicles",
                "qualifier": "about",
            },
            {
                "id": "n4",
                "span": sp(n, "15,000 vehicles"),
                "value": 15000,
                "unit": None,
                "measure": "vehicles",
                "qualifier": "some",
            },
        ],
        "discrepancies": [
            {
                "id": "d1",
                "about": "length of the crack",
                "kind": "numeric",
                "quantities": ["n1", "n2"],
                "spans": [sp(g, "40-metre"), sp(n, "35-metre")],
                "note": "40 m vs 35 m",
            },
            {
                "id": "d2",
                "about": "vehicles per day",
                "kind": "numeric",
                "quantities": ["n3", "n4"],
                "spans": [],
                "note": None,
            },
            {
                "id": "d3",
                "about": "day of the closure",
                "kind": "date",
                "quantities": [],
                "spans": [sp(g, "on Tuesday", 0), sp(n, "on Wednesday")],
                "note": "2031-04-08 vs 2031-04-09",
            },
        ],
        "dates": [
            {"id": "dt1", "span": sp(g, "on Tuesday", 0), "value": "2031-04-08", "resolved_from": "published"},
            {"id": "dt2", "span": sp(n, "on Wednesday"), "value": "2031-04-09", "resolved_from": "published"},
        ],
        "flags": [
            {
                "id": "f1",
                "span": sp(g, "Photo: river view (Credit: Lens Agency)"),
                "kind": "boilerplate",
                "reason": "photo caption",
            },
            {
                "id": "f2",
                "span": sp(n, "Comment: the council has neglected this bridge for a decade."),
                "kind": "insertion",
                "reason": "editorial comment inserted into a report",
            },
        ],
        "timeline": [
            {
                "date": "2031-04-08",
                "text": "Engineers find a crack; the Orrin Bridge closes.",
                "articles": [g],
                "spans": [sp(g, "The Orrin Bridge in Marrowby was closed on Tuesday")],
            },
            {"date": "2031-04-09", "text": "Northline reports the closure.", "articles": [n], "spans": []},
        ],
        "brief": [
            {
                "text": "Marrowby closed the Orrin Bridge after a crack was found; the sources disagree on its length.",
                "cites": [g, n],
                "spans": [sp(g, "engineers found a 40-metre crack"), sp(n, "35-metre crack")],
            },
            {"text": "A contractor disputes that there is a crack at all.", "cites": [w], "spans": []},
        ],
        "republications": [
            {
                "original": g,
                "copy": n,
                "similarity": 0.61,
                "inserted": [sp(n, "Comment: the council has neglected this bridge for a decade.")],
            },
        ],
    }


def empty_report(report: dict[str, Any] | None = None) -> dict[str, Any]:
    """The articles of ``report`` (or of the sample) with every finding section empty."""
    base = report or sample_report()
    keys = (
        "entities",
        "quotes",
        "statements",
        "claims",
        "quantities",
        "discrepancies",
        "dates",
        "flags",
        "timeline",
        "brief",
        "republications",
    )
    return {**base, **{k: [] for k in keys}}


def store_report(db_path: Path, report: dict[str, Any]) -> int:
    """Save ``report`` and its articles into a real store at ``db_path`` as a finished run; returns the run id."""
    from storyweave.model import Article
    from storyweave.store import Store

    with Store.open(db_path) as store:
        for a in report["articles"]:
            article = Article(
                id=a["id"],
                source=a["source"],
                text=a["text"],
                title=a.get("title"),
                published=a.get("published"),
                outlet=a.get("outlet"),
                cites=tuple(a.get("cites", [])),
            )
            store.save_article(article, sources=[a["source"]])
        run_id = store.start_run({"paths": [a["source"] for a in report["articles"]]})
        store.update_run(run_id, article_ids=[a["id"] for a in report["articles"]])
        store.finish_run(run_id, None, report, "ok")
    return run_id
