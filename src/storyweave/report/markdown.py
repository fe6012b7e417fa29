"""report.md: the report's sections as Markdown, for reading in a terminal, a diff or a wiki.

Article-derived text is escaped for both Markdown (``*``, ``_``, ``[``, `` ` ``, ``|`` …) and the
HTML that Markdown renderers pass through (``<``, ``>``, ``&``), so a hostile article can neither
format the report nor inject markup into a page that renders it.
"""

from __future__ import annotations

import re
from typing import Any

from storyweave.report.html import report_title
from storyweave.report.view import Link, ReportView, StorySection, build_view, shorten, story_sections

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md(text: object) -> str:
    """``text`` made inert in Markdown: HTML characters as entities, Markdown syntax backslashed."""
    flat = " ".join(str(text).split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", flat)


def md_block(text: str) -> list[str]:
    """A multi-line article text as escaped Markdown paragraphs (one per non-empty line)."""
    return [md(line) for line in text.splitlines() if line.strip()]


def cite(link: Link) -> str:
    """A citation linking to the cited article (Markdown has no anchors inside the article text)."""
    href = link.source_href or link.href
    return f"[{link.label}]({href})" if href else f"\\[{md(link.label)}\\]"


def emphasise(text: str) -> str:
    """``text`` in bold, keeping the surrounding whitespace outside the markers."""
    core = text.strip()
    if not core:
        return md(text)
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}**{md(core)}**{trail}"


def cite_span(link: Link) -> str:
    """A citation naming the source and quoting the cited words."""
    if not link.title:
        return cite(link)
    return f"{cite(link)} “{md(shorten(link.title, 120))}”"


def _keep_space(text: str) -> str:
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and text.strip() else ""
    return lead + md(text) + trail


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell or "—" for cell in row) + " |" for row in rows]
    return lines


def _none(what: str) -> list[str]:
    return [f"_No {what} found._", ""]


def render_markdown(
    report: dict[str, Any], view: ReportView | None = None, stories: list[StorySection] | None = None
) -> str:
    """The whole report as one Markdown document: the sections, or with several stories an index of
    them and each story's sections one heading level down (``view``, ``stories``: already built)."""
    if stories is None:
        stories = story_sections(report)
    out: list[str] = [f"# {md(report_title(report))}", ""]
    if not stories:
        v: ReportView = view if view is not None else build_view(report)
        out += [_counts(v), ""]
        out += _sections(v)
        return "\n".join(out).rstrip() + "\n"
    out += [f"{len(report.get('articles', []))} articles in {len(stories)} stories. Claims, statements, numbers, "
            "dates and the brief compare articles of one story only.", "", "## Stories", ""]  # fmt: skip
    rows = [
        [
            str(st.number),
            f"[{md(st.title)}](#{st.anchor})",
            str(st.view.counts["articles"]),
            md(", ".join(st.outlets)),
            md(" – ".join(sorted({d for d in (st.first_published, st.last_published) if d}))),
            str(st.view.counts["contested"]),
            str(st.view.counts["discrepancies"]),
        ]
        for st in stories
    ]
    out += [*_table(["#", "Story", "Articles", "Outlets", "Dates", "Contested", "Discrepancies"], rows), ""]
    for st in stories:
        out += [f'<a id="{st.anchor}"></a>', "", f"## Story {st.number}: {md(st.title)}", "", _counts(st.view), ""]
        out += [f"#{line}" if line.startswith("#") else line for line in _sections(st.view)]
    return "\n".join(out).rstrip() + "\n"


def _counts(v: ReportView) -> str:
    return (
        f"{v.counts['articles']} articles · {v.counts['claims']} claims ({v.counts['corroborated']} corroborated, "
        f"{v.counts['contested']} contested) · {v.counts['statements']} statements · "
        f"{v.counts['discrepancies']} discrepancies · {v.counts['entities']} entities"
    )


def _sections(v: ReportView) -> list[str]:
    """The report's sections for one view, from Sources to Articles."""
    out: list[str] = ["## Sources", ""]
    out += _table(
        ["Label", "Outlet / title", "Published", "Credits"],
        [[f"[{s.label}](#{s.anchor})", md(s.name), md(s.published or ""), md(", ".join(s.cites))] for s in v.sources],
    )
    out.append("")

    out += ["## Brief", ""]
    if v.brief:
        out += [
            f"{i}. {md(b['text'])} " + " ".join(cite(link) for link in b["links"]) for i, b in enumerate(v.brief, 1)
        ]
        out.append("")
    else:
        out += _none("brief sentences")

    out += ["## Claims across sources", ""]
    if v.claims:
        header = ["Claim", "Status", *([s.label for s in v.sources] if v.matrix_columns else ["✓", "✗", "·"])]
        symbol = {"supports": "✓", "discusses": "~", "contradicts": "✗", "mixed": "±", "silent": "·"}
        rows = [
            [
                md(c["text"]),
                f"**{c['status']}**" + (f" ({md(', '.join(c['evidence']))})" if c["evidence"] else ""),
                *(
                    [
                        f"[{symbol[cell['state']]}](#{source.anchor})" if cell["href"] else symbol[cell["state"]]
                        for cell, source in zip(c["cells"], v.sources, strict=True)
                    ]
                    if v.matrix_columns
                    else [
                        str(c["counts"]["supports"] + c["counts"]["discusses"]),
                        str(c["counts"]["contradicts"] + c["counts"]["mixed"]),
                        str(c["counts"]["silent"]),
                    ]
                ),
            ]
            for c in v.claims
        ]
        out += [*_table(header, rows), "", "✓ supports · ~ discusses · ✗ contradicts · ± both · · silent", ""]
    else:
        out += _none("claims")

    out += ["## Statements", ""]
    if v.statements:
        for s in v.statements:
            out.append(f"### {md(s['speaker'])}" + (f" ({md(s['relation'])})" if s["relation"] else ""))
            out.append("")
            if s["summary"]:
                out += [md(s["summary"]), ""]
            for c in s["columns"]:
                words = "".join(emphasise(p.text) if p.changed else _keep_space(p.text) for p in c["pieces"])
                link = " ".join(cite(x) for x in c["links"])
                out.append(f"- {link} {md(c['source_name'])}: {words}")
            out += [f"- {md(d['pairs'])}: {md(d['diff'])}" for d in s["differences"]]
            out.append("")
    else:
        out += _none("statements reported by several sources")

    out += ["## Numbers", ""]
    if v.numeric:
        for d in v.numeric:
            out += [f"### {md(d['about'])}" + (f" — {md(d['note'])}" if d["note"] else ""), ""]
            rows = [
                [
                    md(q["value"] + (f" {q['unit']}" if q["unit"] else "")),
                    md(q["qualifier"] or ""),
                    md(q["text"]),
                    md(q["context"]),
                    cite(q["link"]),
                ]
                for q in d["values"]
            ]
            rows += [["", "", md(sp["text"]), md(sp["context"]), cite(sp["link"])] for sp in d["spans"]]
            out += [*_table(["Value", "Qualifier", "As written", "Context", "Source"], rows), ""]
    else:
        out += _none("numeric discrepancies")
    if v.wording:
        out += ["### Wording that differs", ""]
        out += [f"- {md(d['about'])}: " + " ".join(cite_span(sp["link"]) for sp in d["spans"]) for d in v.wording]
        out.append("")

    out += ["## Dates", ""]
    if v.date_discrepancies:
        for d in v.date_discrepancies:
            out.append(
                f"- **{md(d['about'])}**"
                + (f" — {md(d['note'])}" if d["note"] else "")
                + ": "
                + " ".join(cite_span(sp["link"]) for sp in d["spans"])
            )
        out.append("")
    else:
        out += _none("date discrepancies")

    out += ["## Timeline", ""]
    if v.timeline:
        out += [
            f"- **{md(t['label'])}** {md(t['text'])} " + " ".join(cite(x) for x in (t["spans"] or t["articles"]))
            for t in v.timeline
        ]
        out.append("")
    else:
        out += _none("timeline events")

    out += ["## Entities", ""]
    if v.entities:
        rows = [
            [
                md(e["name"]),
                e["type"],
                md(" · ".join(e["aliases"])),
                md(" · ".join(e["roles"])),
                " ".join(cite(m) for m in e["mentions"][:12]) + (" …" if len(e["mentions"]) > 12 else ""),
            ]
            for e in v.entities
        ]
        out += [*_table(["Name", "Type", "Also", "Roles", "Mentions"], rows), ""]
    else:
        out += _none("entities")

    out += ["## Flagged passages", ""]
    for r in v.republications:
        out.append(
            f"- {cite(r['copy_link'])} republishes {cite(r['original_link'])}"
            + (f" (similarity {r['similarity']:.2f})" if r["similarity"] is not None else "")
            + "".join(f"; adds {cite_span(i['link'])}" for i in r["inserted"])
        )
    if v.more_republications:
        out.append(f"- … and {v.more_republications} more republications")
    if v.republications:
        out.append("")
    if v.flags:
        out += [
            *_table(
                ["Kind", "Passage", "Why", "Source"],
                [[md(f["kind"]), md(f["text"]), md(f["reason"]), cite(f["link"])] for f in v.flags],
            ),
            "",
        ]
        out += [f"… and {n} more {md(kind)} passages." for kind, n in sorted(v.more_flags.items())]
        if v.more_flags:
            out.append("")
    else:
        out += _none("flagged passages")

    out += ["## Articles", ""]
    for src in v.sources:
        out += [f'<a id="{src.anchor}"></a>', "", f"### {src.label} · {md(src.name)}", ""]
        meta = [md(src.published or "date unknown"), "from " + md(src.origin)]
        if src.cites:
            meta.append("credits " + md(", ".join(src.cites)))
        out += [" · ".join(meta), ""]
        out += [f"> {line}\n>" for line in md_block(src.text)]
        out.append("")
    return out
