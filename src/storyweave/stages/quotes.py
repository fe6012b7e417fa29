"""Direct and indirect quotes with their speakers.

Direct quotes are found from the quotation marks themselves (a character scan per paragraph), not
from the parser, because the parser does not know where a quotation starts or ends. Speakers come
from the dependency parse: a reporting verb (``lexicons/reporting_verbs.txt``) governs the quote or
sits beside it, and its subject names the speaker. When a paragraph holds only a quotation, the
attribution is looked for on the line before ("X said:") or inherited from the quote paragraph it
continues, which is how every paragraph of a multi-paragraph quotation gets its speaker. A headline
speaker named by a role or a kind of body alone ("Councillor:", "engineers say", "museum says") is
the one person holding that role, or the one body of that kind, that the article names.

Indirect speech ("X said that ...", "X accused Y of ...", "according to X, ...") becomes a quote
with ``direct=False`` whose span is the reported clause.

Quote spans exclude the quotation marks and a trailing comma inside them (the comma belongs to
the attribution, "...," she said), but keep sentence-final punctuation.
"""

from __future__ import annotations

from dataclasses import replace

from storyweave.language.quotation import Marked, find_marked
from storyweave.model import ArticleAnalysis, Quote, Span
from storyweave.pipeline import Context, stage
from storyweave.stages.quotes_direct import direct_quotes
from storyweave.stages.quotes_indirect import indirect_quotes
from storyweave.stages.quotes_parse import MIXED_COVER, ArticleParse
from storyweave.stages.quotes_speakers import described_speakers, pronoun_speakers


def merge_quotes(direct: list[Quote], indirect: list[Quote], marked: list[Marked]) -> list[Quote]:
    """Direct quotations and reported content as the quotes of one article: a report that is mostly
    quotation (the clause a verb governs inside the marks) lends that quotation its speaker and cue
    when it had none; a report around quotations becomes one ``mixed`` quote in their place; a
    fragment in quotation marks that no cue attributes (a scare quote, a title, a nickname) is no
    quote at all."""
    absorbed: set[int] = set()
    out_direct = list(direct)
    out: list[Quote] = []
    for r in indirect:
        quoted = sum(max(0, min(r.span.end, m.outer_end) - max(r.span.start, m.outer_start)) for m in marked)
        inside = [i for i, d in enumerate(direct) if _overlap(r.span, d.span) > 0]
        if quoted >= MIXED_COVER * (r.span.end - r.span.start):
            for i in inside:
                d = out_direct[i]
                if d.speaker_span is None and r.speaker_span is not None:
                    out_direct[i] = replace(
                        d,
                        speaker_span=r.speaker_span,
                        speaker_chain=r.speaker_chain,
                        speaker_name=r.speaker_name,
                        cue=r.cue,
                        cue_span=r.cue_span,
                    )
            continue
        if any(not (r.span.start <= direct[i].span.start and direct[i].span.end <= r.span.end) for i in inside):
            continue  # a report cutting through a quotation is a misreading of the sentence
        absorbed.update(inside)
        pieces = tuple(f for i in inside for f in (direct[i].fragments or (direct[i].span,)))
        out.append(replace(r, kind="mixed", fragments=pieces) if inside else r)
    for i, d in enumerate(out_direct):
        if i in absorbed or (d.partial and d.speaker_span is None):
            continue
        out.append(d)
    return out


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


@stage(
    "quotes",
    scope="article",
    requires={"doc", "paragraphs", "sentences", "mentions", "flags"},
    assigns={"quotes"},
    order=40,
)
def quotes(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """Direct quotes (from quotation marks) and indirect speech, each with its speaker."""
    if analysis.doc is None:
        return analysis
    text = analysis.article.text
    marked: list[Marked] = []
    for index, para in enumerate(analysis.paragraphs):
        marked.extend(find_marked(text, para.start, para.end, index))
    parse = ArticleParse(analysis, marked)
    found = merge_quotes(direct_quotes(parse), indirect_quotes(parse), marked)
    found.sort(key=lambda q: (q.span.start, q.span.end, not q.direct))
    found = pronoun_speakers(described_speakers(found, parse), parse)
    return replace(analysis, quotes=tuple(found))
