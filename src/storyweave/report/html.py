"""The self-contained HTML report: one file, inline CSS, no scripts, no external requests.

Autoescape is on for every template; article text reaches the page only through Jinja's escaping
or through :func:`storyweave.report.highlight.highlight`, which escapes every piece it emits.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from storyweave.report.view import build_view, shorten

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
    """A page title from the brief's first sentence, else from the article count."""
    brief = report.get("brief") or []
    if brief and brief[0].get("text"):
        return shorten(brief[0]["text"], 90)
    return f"Coverage of {len(report.get('articles', []))} articles"


def render_html(report: dict[str, Any]) -> str:
    """The whole report as one HTML document."""
    view = build_view(report)
    template = environment().get_template("report.html.j2")
    return template.render(view=view, title=report_title(report), schema_version=report.get("schema_version", "1"))
