"""Voice and labelled-insert flags on real web pages: false alarms as they are, recall of planted inserts.

The 92 dev pages of the article-extraction benchmark (``../shared/eval-data/article-extraction-dev/``:
news, blogs, reviews, columns; many are written in the first person throughout) are read as the tool
reads HTML and run through the per-article stages. Nobody inserted editorial text into them, so every
"first-person editorial voice" flag on them is a false alarm. Then each page is edited once per kind
and the flag is looked for:

* ``labelled``  a labelled paragraph ("Editor's note: ...", "Comment: ...") added between two
  paragraphs. Found when an insertion flag covers it.
* ``voice``     a first-person editorial paragraph ("In our view, ...") added to an English page that
  has no first person outside quotation marks (a third-person report). Found when an insertion flag covers it.

The 196 ECB+ dev articles (news, a sentence a line, with many quotations broken over lines) are
counted the same way.

The baseline is the simple voice rule: a paragraph with a first-person pronoun outside quotation
marks, in a report where at most a quarter of the paragraphs have one, is an insertion.

    .venv/bin/python benchmarks/public/voice_flags.py [--cache /tmp/x] [--flags 40]
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks" / "public"))

from planted_changes import DATA as ECB_DATA  # noqa: E402
from planted_changes import Runner, dev_docs  # noqa: E402

from storyweave.errors import IngestError  # noqa: E402
from storyweave.ingest import article_id, read_html  # noqa: E402
from storyweave.model import Article, ArticleAnalysis  # noqa: E402
from storyweave.pipeline import new_analysis, run_article_stages  # noqa: E402
from storyweave.settings import Settings  # noqa: E402

DATA = ROOT.parent / "shared" / "eval-data" / "article-extraction-dev"
VOICE_REASON = "first-person editorial voice"
FIRST_PERSON = re.compile(r"\b(?:I|we|me|us|my|our|ours|myself|ourselves)\b", re.IGNORECASE)
QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")
#: Invented insertions, written for this benchmark (none is taken from the pages).
LABELLED = (
    "Editor's note: This report has been updated; the company disputes the figures given here.",
    "Comment: The officials quoted above have every reason to play down what happened.",
    "Editor's note: An earlier version of this story misstated the date of the meeting.",
    "Comment: None of this would have happened if the warnings had been heeded.",
)
VOICE = (
    "In our view, the authorities have not told the whole story, and we expect more of the same.",
    "We believe this decision was a mistake, and our readers deserve a full explanation.",
    "I have followed cases like this for years, and I have rarely seen a response this slow.",
    "Our newsroom thinks the public was misled, and we will keep asking questions.",
)


ENGLISH_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "is",
        "that",
        "for",
        "it",
        "was",
        "on",
        "with",
        "as",
        "be",
        "by",
        "at",
        "this",
        "are",
        "from",
        "have",
    ]
)


def english(text: str) -> bool:
    """The page reads as English (a fifth of its words among the twenty commonest English ones)."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return bool(words) and sum(w in ENGLISH_WORDS for w in words) >= 0.2 * len(words)


def pages(data: Path) -> list[Article]:
    out = []
    for path in sorted((data / "html").glob("*.html.gz")):
        try:
            out.append(read_html(gzip.decompress(path.read_bytes()), path.name, Settings()))
        except IngestError as exc:
            print(f"skipped {path.name}: {exc}")
    return out


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def baseline_flags(text: str) -> list[tuple[int, int]]:
    """The simple voice rule on the page's paragraphs."""
    paras = _paragraphs(text)
    voiced = [(s, e) for s, e in paras if FIRST_PERSON.search(QUOTED.sub("", text[s:e]))]
    return voiced if voiced and len(voiced) * 4 <= len(paras) else []


def plant(article: Article, inserted: str, rng: random.Random) -> tuple[Article, int, int]:
    paras = _paragraphs(article.text)
    if len(paras) < 3:
        return article, -1, -1
    k = rng.randrange(1, len(paras))
    at = paras[k][0]
    text = article.text[:at] + inserted + "\n" + article.text[at:]
    return replace(article, id=article_id(text), text=text), at, at + len(inserted)


def insertion_flags(analysis: ArticleAnalysis) -> list[tuple[int, int, str]]:
    return [(f.span.start, f.span.end, f.reason) for f in analysis.flags if f.kind == "insertion"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--cache", type=Path, default=None, help="a folder for cached parses (outside the repo)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--flags", type=int, default=0, help="print this many of the flags on unedited pages")
    parser.add_argument("--misses", action="store_true", help="list the planted paragraphs not found")
    args = parser.parse_args()
    if not (args.data / "html").is_dir():
        print(f"voice_flags: {args.data} is absent; nothing to measure")
        return
    started, cpu = time.perf_counter(), time.process_time()
    runner = Runner(args.cache)
    articles = pages(args.data)
    rng = random.Random(args.seed)
    planted = []
    for a in articles:
        planted.append(("labelled", a, *plant(a, rng.choice(LABELLED), rng)))
        if english(a.text) and not any(
            FIRST_PERSON.search(QUOTED.sub("", a.text[s:e])) for s, e in _paragraphs(a.text)
        ):
            planted.append(("voice", a, *plant(a, rng.choice(VOICE), rng)))
    texts = [a.text for a in articles] + [p[2].text for p in planted]
    parses = runner.parses(texts)

    def analyse(a: Article) -> ArticleAnalysis:
        return run_article_stages(replace(new_analysis(a), doc=parses[a.text]), runner.ctx)

    voice = flagged_pages = other = base_voice = base_pages = 0
    samples = []
    for a in articles:
        flags = insertion_flags(analyse(a))
        mine = [f for f in flags if VOICE_REASON in f[2]]
        voice += len(mine)
        other += len(flags) - len(mine)
        flagged_pages += bool(mine)
        samples += [f"{a.source[:12]}: {a.text[s:e][:150]!r}" for s, e, _ in mine]
        base = baseline_flags(a.text)
        base_voice += len(base)
        base_pages += bool(base)
    found = {"labelled": [0, 0, 0], "voice": [0, 0, 0]}
    misses = []
    for kind, original, edited, s, e in planted:
        if s < 0:
            continue
        found[kind][0] += 1
        flags = insertion_flags(analyse(edited))
        hit = any(fs < e and s < fe for fs, fe, _ in flags)
        found[kind][1] += hit
        if not hit:
            misses.append(f"{kind} {original.source[:12]} ({len(_paragraphs(original.text))} paragraphs)")
        base = baseline_flags(edited.text) if kind == "voice" else []
        found[kind][2] += any(fs < e and s < fe for fs, fe in base)
    ecb_voice = ecb_flagged = ecb_base = ecb_n = 0
    if (ECB_DATA / "gold.json").exists():
        docs = dev_docs(ECB_DATA)
        ecb_parses = runner.parses(d["text"] for d in docs.values())
        for name, d in docs.items():
            analysis = runner.analysis(name, d["text"], ecb_parses[d["text"]])
            mine = [f for f in insertion_flags(analysis) if VOICE_REASON in f[2]]
            ecb_n += 1
            ecb_voice += len(mine)
            ecb_flagged += bool(mine)
            ecb_base += len(baseline_flags(d["text"]))
            samples += [f"{name}: {d['text'][s:e][:150]!r}" for s, e, _ in mine]
    n = len(articles)
    print(f"article-extraction dev: {n} real pages, none with an inserted editorial passage")
    print(f"{'':<44} {'ours':>8} {'baseline':>9}")
    print(f"{'first-person voice flags (all false)':<44} {voice:>8} {base_voice:>9}")
    print(f"{'pages with one':<44} {flagged_pages:>8} {base_pages:>9}")
    print(f"{'other insertion flags (labels, brackets)':<44} {other:>8} {'-':>9}")
    if ecb_n:
        print(f"{f'ECB+ dev articles ({ecb_n}): voice flags (all false)':<44} {ecb_voice:>8} {ecb_base:>9}")
        print(f"{'articles with one':<44} {ecb_flagged:>8} {'':>9}")
    for kind, (cases, ours, base) in found.items():
        label = f"planted {kind} paragraphs found (of {cases})"
        base_text = f"{base}" if kind == "voice" else "-"
        print(f"{label:<44} {ours:>8} {base_text:>9}")
    print(f"({time.perf_counter() - started:.0f} s wall, {time.process_time() - cpu:.0f} s CPU)")
    if args.misses:
        for line in misses:
            print("missed " + line)
    if args.flags:
        random.Random(args.seed).shuffle(samples)
        for line in sorted(samples[: args.flags]):
            print("flag " + line)


if __name__ == "__main__":
    main()
