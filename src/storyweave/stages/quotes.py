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

from storyweave.model import ArticleAnalysis
from storyweave.pipeline import Context, stage
from storyweave.stages.quotes_direct import direct_quotes
from storyweave.stages.quotes_indirect import indirect_quotes
from storyweave.stages.quotes_parse import ArticleParse, Marked, find_marked
from storyweave.stages.quotes_speakers import described_speakers, pronoun_speakers


@stage("quotes", scope="article", requires={"doc", "paragraphs", "mentions"}, assigns={"quotes"}, order=40)
def quotes(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """Direct quotes (from quotation marks) and indirect speech, each with its speaker."""
    if analysis.doc is None:
        return analysis
    text = analysis.article.text
    marked: list[Marked] = []
    for index, para in enumerate(analysis.paragraphs):
        marked.extend(find_marked(text, para.start, para.end, index))
    parse = ArticleParse(analysis, marked)
    found = direct_quotes(parse) + indirect_quotes(parse)
    found.sort(key=lambda q: (q.span.start, q.span.end, not q.direct))
    found = pronoun_speakers(described_speakers(found, parse), parse)
    return replace(analysis, quotes=tuple(found))
