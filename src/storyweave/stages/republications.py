"""Republications: near-duplicate articles and what each copy added.

The ``republications`` corpus stage (order 15) finds near-duplicate articles with MinHash LSH over
word shingles, so candidate pairs come from hash buckets, never from comparing every pair. Each copy
links to one original (the best-ranked member of its near-duplicate group), so n copies give n
records, not n² pairs. A copy's paragraphs that the original lacks are what the republisher added
(insertion flags), and so is a sentence slipped into a copied paragraph: within each paragraph the
copy shares, a sentence of some length whose words are (almost) nowhere in the original, or one
no sentence of the original stands for (a negated restatement beside the sentence it negates), is
flagged too, while a changed figure, a moved sentence or a dateline is not. The duplicate flag covers each
run of paragraphs the copy shares with its original, not the copy's whole text: a whole-text flag
would also cover the added paragraphs, the part a reader most needs to see apart.
Alignment reads the records so that a copy never corroborates its original.
"""

from __future__ import annotations

import re
from dataclasses import replace

from storyweave.figures import is_rise, units
from storyweave.language.negation import NEGATION_WORDS
from storyweave.model import ArticleAnalysis, Corpus, Flag, Quantity, Republication, Span, stable_id
from storyweave.pipeline import Context, stage

#: MinHash permutations and LSH threshold (estimated Jaccard of 5-word shingles).
NUM_PERM = 128
SHINGLE = 5
REPUBLICATION_JACCARD = 0.5
#: A copy's paragraph counts as present in the original when this share of its shingles is there.
PARAGRAPH_CONTAINMENT = 0.5
#: Inside a copied paragraph, a sentence that makes a claim, of at least this many words, is an
#: addition when less than this share of its shingles is in the original (a changed figure or a few
#: edited words keep most).
SENTENCE_MIN_WORDS = 5
SENTENCE_CONTAINMENT = 0.2
#: ... or when no sentence of the original is left to stand for it and less than this share of
#: its shingles is the original's words.
SENTENCE_RESTATED = 0.8
#: A copied sentence is changed in place when it holds at least this many words of four letters or
#: more that its original sentence lacks, and they are at least this share of its distinct ones.
CHANGED_WORDS = 3
CHANGED_SHARE = 0.3
_WORD = re.compile(r"[a-z][a-z'-]+")


def _shingles(words: list[str]) -> set[str]:
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _content_words(analysis: ArticleAnalysis, span: Span | None = None) -> list[str]:
    """Lower-case words outside boilerplate (captions and credits are not the story)."""
    if span is not None:
        return _WORD.findall(span.text.lower())
    words: list[str] = []
    for para in analysis.paragraphs or (analysis.span(0, len(analysis.article.text)),):
        if not analysis.skipped(para.start, para.end):
            words.extend(_WORD.findall(para.text.lower()))
    return words


def _original_rank(a: ArticleAnalysis, length: int) -> tuple[str, int, str]:
    """How an article ranks as the original of its near-duplicate group: the earliest
    publication, then the shortest text (a copy adds to its original), then the lowest id."""
    return (a.article.published or "\uffff", length, a.id)


def find_republications(corpus: Corpus) -> tuple[tuple[Republication, ...], tuple[Flag, ...]]:
    """Near-duplicate articles (MinHash LSH), with the paragraphs each copy added.

    Each copy links to one original, the best-ranked earlier member of its near-duplicate
    group, so fifty copies of a wire story give fifty records and flags, not every pair."""
    from datasketch import MinHash, MinHashLSH

    analyses = sorted(corpus.analyses, key=lambda a: a.id)
    lsh = MinHashLSH(threshold=REPUBLICATION_JACCARD, num_perm=NUM_PERM)
    sketches: dict[str, MinHash] = {}
    shingle_sets: dict[str, set[str]] = {}
    lengths: dict[str, int] = {}
    joined: dict[str, str] = {}
    for a in analyses:
        words = _content_words(a)
        lengths[a.id] = len(words)
        joined[a.id] = f" {' '.join(words)} "
        sh = _shingles(words)
        if len(sh) < 3:
            continue
        mh = MinHash(num_perm=NUM_PERM, seed=1)
        mh.update_batch([s.encode("utf-8") for s in sorted(sh)])
        sketches[a.id], shingle_sets[a.id] = mh, sh
        lsh.insert(a.id, mh)
    by_id = {a.id: a for a in analyses}
    rank = {aid: _original_rank(by_id[aid], lengths[aid]) for aid in sketches}
    originals: set[str] = set()
    republications: list[Republication] = []
    flags: list[Flag] = []
    for aid in sorted(sketches, key=lambda x: rank[x]):
        best: tuple[float, str] | None = None
        for other in lsh.query(sketches[aid]):
            if other not in originals:
                continue
            sa, sb = shingle_sets[aid], shingle_sets[other]
            jaccard = len(sa & sb) / max(1, len(sa | sb))
            if jaccard >= REPUBLICATION_JACCARD and (
                best is None or (-jaccard, rank[other]) < (-best[0], rank[best[1]])
            ):
                best = (jaccard, other)
        if best is None:
            originals.add(aid)
            continue
        jaccard, original_id = best
        copy = by_id[aid]
        paragraphs = [
            (p, _shingles(_content_words(copy, p))) for p in copy.paragraphs if not copy.skipped(p.start, p.end)
        ]
        inserted, shared_runs = _copy_paragraphs(copy, paragraphs, shingle_sets[original_id], joined[original_id])
        for run in shared_runs:
            flags.append(
                Flag(
                    id=stable_id("flg", aid, run.start, run.end, "duplicate", original_id),
                    span=run,
                    kind="duplicate",
                    reason=f"republishes article {original_id} (shingle similarity {jaccard:.2f})",
                )
            )
        added = set(_added_sentences(copy, shared_runs, by_id[original_id]))
        inserted = tuple(sorted({*inserted, *added}, key=lambda s: (s.start, s.end)))
        republications.append(Republication(original=original_id, copy=aid, similarity=jaccard, inserted=inserted))
        for span in inserted:
            what = (
                "sentence added to a paragraph copied from"
                if span in added
                else "paragraph added to a republication of"
            )
            flags.append(
                Flag(
                    id=stable_id("flg", aid, span.start, span.end, "insertion"),
                    span=span,
                    kind="insertion",
                    reason=f"{what} article {original_id}",
                )
            )
    republications.sort(key=lambda r: (r.original, r.copy))
    return tuple(republications), tuple(flags)


def _copy_paragraphs(
    copy: ArticleAnalysis,
    paragraphs: list[tuple[Span, set[str]]],
    original_shingles: set[str],
    original_words: str,
) -> tuple[tuple[Span, ...], list[Span]]:
    """(paragraphs the copy added, maximal runs of paragraphs it shares with the original),
    from the copy's content paragraphs with their shingles; ``original_words`` is the original's
    content words joined by single spaces, with a space at either end."""
    inserted: list[Span] = []
    runs: list[Span] = []
    run_start: Span | None = None
    run_end: Span | None = None
    for para, sh in paragraphs:
        words = _WORD.findall(para.text.lower())
        if len(words) < 4:
            continue  # a dateline or a one-line credit says nothing about what was copied
        if len(words) < SHINGLE:  # too short for a shingle of its own: look for the words in order
            shared = 1.0 if f" {' '.join(words)} " in original_words else 0.0
        else:
            shared = len(sh & original_shingles) / max(1, len(sh))
        if shared >= PARAGRAPH_CONTAINMENT:
            run_start = run_start or para
            run_end = para
            continue
        if run_start is not None and run_end is not None:
            runs.append(copy.span(run_start.start, run_end.end))
        run_start = run_end = None
        inserted.append(para)
    if run_start is not None and run_end is not None:
        runs.append(copy.span(run_start.start, run_end.end))
    return tuple(inserted), runs


def _added_sentences(copy: ArticleAnalysis, shared_runs: list[Span], original: ArticleAnalysis) -> list[Span]:
    """Sentences inside the copy's shared paragraphs that the original does not have.

    Only a sentence that states something counts: one of some length in which the claims stage
    found a claim, so a byline, a credit or a dateline never does. Each of the original's sentences
    stands for at most one of the copy's (the one sharing most shingles with it, best pairs
    first); a copy sentence is added when nearly none of its shingles occur anywhere in the
    original, or when it is left without a counterpart and is not wholly the original's words (a
    negated restatement of a sentence the copy also keeps). A sentence moved elsewhere, or one
    whose figures or a word or two were updated, keeps its counterpart (figures are not words here
    at all); one the copy splits in two is wholly the original's words."""
    original_shingles: set[str] = set()
    sentence_of: dict[str, set[int]] = {}
    for k, sentence in enumerate(original.sentences):
        if sentence.skip or original.skipped(sentence.span.start, sentence.span.end):
            continue
        for shingle in _shingles(_WORD.findall(sentence.span.text.lower())):
            original_shingles.add(shingle)
            sentence_of.setdefault(shingle, set()).add(k)
    candidates: list[tuple[Span, set[str]]] = []
    for sentence in copy.sentences:
        span = sentence.span
        if sentence.skip or copy.skipped(span.start, span.end):
            continue
        if not any(run.start <= span.start and span.end <= run.end for run in shared_runs):
            continue
        words = _WORD.findall(span.text.lower())
        if len(words) >= SENTENCE_MIN_WORDS and any(span.start <= c.span.start < span.end for c in copy.claims):
            candidates.append((span, _shingles(words)))
    pairs: list[tuple[float, int, int]] = []
    for i, (_, sh) in enumerate(candidates):
        shared: dict[int, int] = {}
        for x in sh:
            for k in sentence_of.get(x, ()):
                shared[k] = shared.get(k, 0) + 1
        pairs.extend((n / max(1, len(sh)), i, k) for k, n in shared.items())
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for share, i, k in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if share >= SENTENCE_CONTAINMENT and i not in matched and k not in taken:
            matched[i] = k
            taken.add(k)
    added: list[Span] = []
    for i, (span, sh) in enumerate(candidates):
        share = len(sh & original_shingles) / max(1, len(sh))
        if i in matched:
            gone = share < SENTENCE_CONTAINMENT or _changed(copy, span, original, original.sentences[matched[i]].span)
        else:
            gone = share < SENTENCE_RESTATED
        if gone:
            added.append(span)
    return added


def _negations(text: str) -> list[str]:
    words = re.findall(r"[a-z]+(?:n't|-[a-z]+)?", text.lower().replace("’", "'"))
    return sorted(w if not w.endswith("n't") else "n't" for w in words if w in NEGATION_WORDS or w.endswith("n't"))


def _figures(analysis: ArticleAnalysis, span: Span) -> list[Quantity]:
    """The sentence's exact figures: a hedged count ("about 40", "more than 55") or a duration
    ("for six hours") is what a later edit of a developing story updates, so neither counts here."""
    durations = {unit for unit, kind in units().values() if kind == "duration"}
    return [
        q
        for q in analysis.quantities
        if span.start <= q.span.start
        and q.span.end <= span.end
        and q.qualifier is None
        and not q.vague
        and q.unit not in durations
    ]


def _changed(copy: ArticleAnalysis, span: Span, original: ArticleAnalysis, source: Span) -> bool:
    """A copied sentence changed in place: its negation differs from the original sentence it
    stands for ("said he would appeal" -> "said he would not appeal"), an exact figure of it was
    replaced by another (not a count given as risen in a copy published later: an update), or
    it carries several content words its original lacks. A corrected typo changes one word, and
    datelines, dates and bylines hold no figure here."""
    if _negations(span.text) != _negations(source.text):
        return True
    ours, theirs = _figures(copy, span), _figures(original, source)
    old = {q.value for q in theirs}
    new = [q for q in ours if q.value not in old]
    if new and old - {q.value for q in ours}:
        later = (copy.article.published or "")[:10] > (original.article.published or "\uffff")[:10]
        if not all(later and is_rise(q) for q in new):
            return True
    words = [w for w in _WORD.findall(span.text.lower()) if len(w) > 3]
    fresh = set(words) - set(_WORD.findall(source.text.lower()))
    return len(fresh) >= CHANGED_WORDS and len(fresh) >= CHANGED_SHARE * len(set(words))


@stage(
    "republications",
    scope="corpus",
    requires={"analyses.paragraphs", "analyses.sentences", "analyses.flags", "analyses.quantities", "analyses.claims"},
    assigns={"republications", "flags"},
    order=15,
)
def republications(corpus: Corpus, ctx: Context) -> Corpus:
    """Near-duplicate articles; a copy never corroborates its original."""
    found, flags = find_republications(corpus)
    known = {f.id for f in corpus.flags}
    return replace(corpus, republications=found, flags=corpus.flags + tuple(f for f in flags if f.id not in known))
