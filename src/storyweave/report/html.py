"""The self-contained HTML report: one file, inline CSS, no scripts, no external requests.

Autoescape is on for every template; article text reaches the page only through Jinja's escaping
or through :func:`storyweave.report.highlight.highlight`, which escapes every piece it emits.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from storyweave.report.view import Link, ReportView, build_view

#: What the report page may load: nothing but its own inline styles and data: images.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def source_name(view: ReportView | None, label: str) -> Markup:
    """The escaped name of the article a chip label (S1, S2·3…) stands for, or nothing."""
    if view is None:
        return Markup("")
    number = label.split("·")[0][1:]
    if not number.isdigit():
        return Markup("")
    try:
        n = int(number)
    except ValueError:  # a non-ASCII digit int() does not read
        return Markup("")
    if 0 < n <= len(view.sources):
        return escape(view.sources[n - 1].name)
    return Markup("")


def cite_chip(link: Link, view: ReportView | None = None, plain: bool = False) -> Markup:
    """One citation chip. Built in Python because a report has tens of thousands of them and a
    template macro per chip dominates rendering; every piece of text is escaped here."""
    who = source_name(view, link.label)
    hover = f"{who}{' — ' if who and link.title else ''}{escape(link.title)}"
    label = escape(link.label.split("·")[0] if plain else link.label)
    if link.href:
        return Markup(f'<a class="cite" href="{escape(link.href)}" title="{hover}">{label}</a>')  # noqa: S704 -- all escaped
    return Markup(f'<span class="cite broken" title="{hover}">{label}</span>')  # noqa: S704 -- all escaped


def chip_row(links: list[Link], view: ReportView | None) -> Markup:
    """One chip per article: the first span of each source (labels without a "·" number)."""
    chips = "".join(cite_chip(link, view) for link in links if "·" not in link.label)
    return Markup(f'<span class="chips">{chips}</span>')  # noqa: S704 -- chips from cite_chip


def make_environment(*extra: PackageLoader) -> Environment:
    """A Jinja environment over the report templates (plus ``extra`` loaders searched first)."""
    env = Environment(
        loader=ChoiceLoader([*extra, PackageLoader("storyweave.report", "templates")]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(cite_chip=cite_chip, chip_row=chip_row, source_name=source_name)
    return env


@cache
def environment() -> Environment:
    return make_environment()


def report_title(report: dict[str, Any]) -> str:
    """A page title naming how many accounts are compared and the dates they span."""
    articles = report.get("articles", [])
    dates = sorted(a["published"] for a in articles if a.get("published"))
    span = ""
    if dates:
        span = f", {dates[0]}" if dates[0] == dates[-1] else f", {dates[0]} to {dates[-1]}"
    return f"{len(articles)} news account{'s' if len(articles) != 1 else ''} compared{span}"


def render_html(report: dict[str, Any], view: ReportView | None = None) -> str:
    """The whole report as one HTML document (``view``: one already built from ``report``)."""
    if view is None:
        view = build_view(report)
    template = environment().get_template("report.html.j2")
    return template.render(view=view, title=report_title(report), schema_version=report.get("schema_version", "1"))
