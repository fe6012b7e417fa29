"""An agentless passive against an active clause, on invented reports of a canal lock closure.

"The lock gates were never closed" names no agent: what it denies is done to its subject, so it
contests "the harbour board closed the lock gates" (the object there), whoever the agent is; a
passive whose subject is the active clause's agent ("the council was not told" against "the
council told residents") or another thing acted on contests nothing.
"""

from __future__ import annotations

import pytest

from storyweave.model import Corpus
from storyweave.pipeline import Context, analyse
from support import make_article

WIRE = (
    "Canal lock closed after storm\n\n"
    "The Marren Harbour Board closed the lock gates of the Tessel canal on Friday night after the river "
    "rose above its banks, the board said.\n\n"
    "The council told residents of the lower quays to move their cars before the water reached them."
)
GAZETTE = (
    "Quays flooded\n\n"
    "Shops on the lower quays were flooded on Saturday morning.\n\n"
    "The harbour board shut the Tessel canal's lock gates late on Friday, the harbour master said."
)


def corpus_with(ctx: Context, statement: str) -> Corpus:
    articles = [
        make_article(WIRE, source="wire.txt", title="wire"),
        make_article(GAZETTE, source="gazette.txt", title="gazette"),
        make_article(f"Canal news\n\nBoats were moored along the canal on Sunday.\n\n{statement}", source="c.txt"),
    ]
    return analyse(articles, ctx)


def contested_by(corpus: Corpus, fragment: str) -> list[str]:
    """Texts of the spans that contest the claim with ``fragment``."""
    claims = [c for c in corpus.claims if any(fragment in m.text for m in c.mentions)]
    assert claims, f"no claim mentions {fragment!r}: {[c.text for c in corpus.claims]}"
    return [sp.text for c in claims if c.status == "contested" for sp in c.contradicted_by]


@pytest.mark.parametrize(
    "statement",
    [
        "The lock gates of the Tessel canal were never closed.",
        "The board said on Sunday that the lock gates were never closed and that the quays flooded by chance.",
    ],
)
def test_align_agentless_passive_denial_contests_the_active_account(ctx: Context, statement: str) -> None:
    corpus = corpus_with(ctx, statement)
    against = contested_by(corpus, "never closed")
    assert any("closed the lock gates" in t for t in against), [(c.text, c.evidence) for c in corpus.claims]
    wire = [c for c in corpus.claims if any("closed the lock gates" in m.text for m in c.mentions)]
    assert any(c.status == "contested" for c in wire)


@pytest.mark.parametrize(
    "statement",
    [
        "The council was not told about the storm.",  # the passive's subject is the other's agent
        "The canal footpath was never closed.",  # another thing acted on
    ],
)
def test_align_agentless_passive_guards(ctx: Context, statement: str) -> None:
    corpus = corpus_with(ctx, statement)
    fragment = statement.rstrip(".").split(" was ")[0]
    assert contested_by(corpus, fragment) == [], [(c.text, c.evidence) for c in corpus.claims]
