"""Republications of invented articles: which copy links to which original, and what it added."""

from __future__ import annotations

from storyweave.model import Article, Corpus
from storyweave.pipeline import Context, analyse, stages
from storyweave.stages.republications import find_republications
from support import claim_with, make_article


def article(text: str, **kw: object) -> Article:
    return make_article(text, source=f"{abs(hash(text)) % 10**8}.txt", **kw)


ORIGINAL = (
    "Workers at the Halden shipyard walked out on Monday over unpaid overtime.\n\n"
    "The union said about 800 workers joined the strike, which closed both dry docks.\n\n"
    "Management said it would meet union leaders on Wednesday to discuss the overtime payments.\n\n"
    "The shipyard builds ferries and fishing vessels for customers across the region."
)


def test_republications_detects_copy_and_what_it_added(ctx: Context) -> None:
    added = "Editor's remark: the strike shows how badly the yard has been run for years."
    copy_text = ORIGINAL.replace("\n\nThe shipyard builds", f"\n\n{added}\n\nThe shipyard builds")
    original = article(ORIGINAL, published="2024-03-04")
    copy = article(copy_text, published="2024-03-05")
    other = article(
        "A new ferry line will connect Halden and the northern islands from June.\n\nTickets go on sale soon."
    )
    corpus = analyse([original, copy, other], ctx)
    (rep,) = corpus.republications
    assert (rep.original, rep.copy) == (original.id, copy.id)
    assert rep.similarity > 0.6
    assert [s.text for s in rep.inserted] == [added]
    assert any(f.kind == "duplicate" and f.span.article == copy.id for f in corpus.flags)
    strike = claim_with(corpus, "walked out")
    assert strike.status == "single-source"
    assert strike.supported_by == (original.id,)


def test_republications_each_copy_links_to_one_original(ctx: Context) -> None:
    copies = [article(f"{ORIGINAL}\n\nArchive copy {i}.", published="2024-03-05") for i in range(6)]
    original = article(ORIGINAL, published="2024-03-04")
    corpus = analyse([*copies, original], ctx)
    assert len(corpus.republications) == len(copies)
    assert {r.original for r in corpus.republications} == {original.id}
    duplicates = [f for f in corpus.flags if f.kind == "duplicate"]
    assert len(duplicates) == len(copies)  # one run of shared paragraphs per copy, not per pair
    strike = claim_with(corpus, "walked out")
    assert strike.supported_by == (original.id,)


def test_republications_stage_is_registered_before_align() -> None:
    order = [s.name for s in stages("corpus")]
    assert order.index("republications") < order.index("align")


def test_find_republications_ignores_unrelated_articles(ctx: Context) -> None:
    original = article(ORIGINAL, published="2024-03-04")
    other = article(
        "A new ferry line will connect Halden and the northern islands from June.\n\nTickets go on sale soon."
    )
    corpus = analyse([original, other], ctx)
    found, flags = find_republications(corpus)
    assert found == ()
    assert flags == ()


WIRE = (
    "VELDA, Norland, May 3 (Harbour Press) - A fire broke out at the Velda grain terminal on Friday "
    "and burned for six hours before crews brought it under control, the port authority said.\n\n"
    "About 40 firefighters fought the blaze from the quay and from two fireboats. The terminal's "
    "silos were emptied as a precaution, and shipping in the inner harbour was halted for the day.\n\n"
    "The port authority said an electrical fault in a conveyor belt was the most likely cause. "
    "Investigators from the regional fire service are expected on site on Monday.\n\n"
    "The terminal handles most of the grain exported from the northern farming districts."
)


def _insertions(corpus: Corpus, article_id: str) -> list[str]:
    return [f.span.text for f in corpus.flags if f.kind == "insertion" and f.span.article == article_id]


def test_republications_flags_a_sentence_slipped_into_a_copied_paragraph(ctx: Context) -> None:
    slipped = "Local farmers said the terminal had never been inspected by the port authority at all."
    copy_text = WIRE.replace("halted for the day.", f"halted for the day. {slipped}")
    original = article(WIRE, published="2024-05-03")
    copy = article(copy_text, published="2024-05-04")
    corpus = analyse([original, copy], ctx)
    (rep,) = corpus.republications
    assert [s.text for s in rep.inserted] == [slipped]
    assert _insertions(corpus, copy.id) == [slipped]
    assert "sentence added" in next(f.reason for f in corpus.flags if f.kind == "insertion")


def test_republications_trivial_sentence_differences_are_not_insertions(ctx: Context) -> None:
    copy_text = (
        WIRE.replace("VELDA, Norland, May 3 (Harbour Press) - ", "VELDA, Norland (Coast Daily) - ")
        .replace("About 40 firefighters", "More than 55 firefighters")  # an updated figure
        .replace("for six hours", "for seven hours")
        .replace(  # the two sentences of a paragraph in the other order
            "The port authority said an electrical fault in a conveyor belt was the most likely cause. "
            "Investigators from the regional fire service are expected on site on Monday.",
            "Investigators from the regional fire service are expected on site on Monday. "
            "The port authority said an electrical fault in a conveyor belt was the most likely cause.",
        )
        .replace("halted for the day.", "halted for the day. Additional reporting by Sam Ortega in Velda.")  # a credit
    )
    original = article(WIRE, published="2024-05-03")
    copy = article(copy_text, published="2024-05-04")
    corpus = analyse([original, copy], ctx)
    (rep,) = corpus.republications
    assert rep.copy == copy.id
    assert rep.inserted == ()
    assert _insertions(corpus, copy.id) == []


def test_republications_flags_a_negated_restatement_beside_the_sentence_it_negates(ctx: Context) -> None:
    """Most of its words are the original's, but the copy also keeps the sentence it restates."""
    negated = "The port authority said an electrical fault in a conveyor belt was not the most likely cause."
    copy_text = WIRE.replace("on site on Monday.", f"on site on Monday. {negated}")
    corpus = analyse([article(WIRE, published="2024-05-03"), article(copy_text, published="2024-05-04")], ctx)
    (rep,) = corpus.republications
    assert [s.text for s in rep.inserted] == [negated]


def test_republications_a_sentence_split_in_two_is_not_an_insertion(ctx: Context) -> None:
    copy_text = WIRE.replace(
        "silos were emptied as a precaution, and shipping in the inner harbour",
        "silos were emptied as a precaution. Shipping in the inner harbour",
    )
    corpus = analyse([article(WIRE, published="2024-05-03"), article(copy_text, published="2024-05-04")], ctx)
    (rep,) = corpus.republications
    assert rep.inserted == ()
