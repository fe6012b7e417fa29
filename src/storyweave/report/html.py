"""The self-contained HTML report: one file, inline CSS, no scripts, no external requests.

Autoescape is on for every template; article text reaches the page only through Jinja's escaping
or through :func:`storyweave.report.highlight.highlight`, which escapes every piece it emits.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from storyweave.report.view import ReportView, build_view

#: What the report page may load: nothing but its own inline styles and data: images.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def make_environment(*extra: PackageLoader) -> Environment:
    """A Jinja environment over the report templates (plus ``extra`` loaders searched first)."""
    return Environment(
        loader=ChoiceLoader([*extra, PackageLoader("storyweave.report", "templates")]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


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
