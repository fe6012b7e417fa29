"""The self-contained HTML report: one file, inline CSS, no scripts, no external requests.

Autoescape is on for every template; article text reaches the page only through Jinja's escaping
or through :func:`storyweave.report.highlight.highlight`, which escapes every piece it emits.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from storyweave.report.view import Link, ReportView, StorySection, build_view, story_sections

#: What the report page may load: nothing but its own inline styles and data: images.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _escaped(value: Any) -> str:
    """What ``markupsafe.escape(value)`` gives, as a plain string: a chip is built from several
    pieces, and a Markup object per piece was most of the cost of building it."""
    if type(value) is not str and hasattr(value, "__html__"):
        return str(value.__html__())
    text = str(value).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    return text.replace("'", "&#39;").replace('"', "&#34;")


def _source_name(view: ReportView | None, label: str) -> str:
    """The escaped name of the article a chip label (S1, S2·3…) stands for, or nothing."""
    if view is None:
        return ""
    number = label.split("·")[0][1:]
    if not number.isdigit():
        return ""
    try:
        n = int(number)
    except ValueError:  # a non-ASCII digit int() does not read
        return ""
    if 0 < n <= len(view.sources):
        return _escaped(view.sources[n - 1].name)
    return ""


def source_name(view: ReportView | None, label: str) -> Markup:
    """The escaped name of the article a chip label (S1, S2·3…) stands for, or nothing."""
    return Markup(_source_name(view, label))  # noqa: S704 -- escaped by _escaped


def cite_chip(link: Link, view: ReportView | None = None, plain: bool = False) -> Markup:
    """One citation chip. Built in Python because a report has tens of thousands of them and a
    template macro per chip dominates rendering; every piece of text is escaped here."""
    return Markup(_chip(link, view, plain))  # noqa: S704 -- every piece escaped by _chip


def _chip(link: Link, view: ReportView | None, plain: bool) -> str:
    who = _source_name(view, link.label)
    hover = f"{who}{' — ' if who and link.title else ''}{_escaped(link.title)}"
    label = _escaped(link.label.split("·")[0] if plain else link.label)
    if link.href:
        return f'<a class="cite" href="{_escaped(link.href)}" title="{hover}">{label}</a>'
    return f'<span class="cite broken" title="{hover}">{label}</span>'


def chip_row(links: list[Link], view: ReportView | None) -> Markup:
    """One chip per article: the first span of each source (labels without a "·" number)."""
    chips = "".join(_chip(link, view, False) for link in links if "·" not in link.label)
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


def render_html(
    report: dict[str, Any], view: ReportView | None = None, stories: list[StorySection] | None = None
) -> str:
    """The whole report as one HTML document: the sections, or with several stories an index of
    them and each story's sections (``view``, ``stories``: already built from ``report``)."""
    if stories is None:
        stories = story_sections(report)
    if view is None:
        view = build_view({}) if stories else build_view(report)
    template = environment().get_template("report.html.j2")
    return template.render(
        view=view,
        stories=stories,
        articles=len(report.get("articles", [])),
        title=report_title(report),
        schema_version=report.get("schema_version", "1"),
    )
