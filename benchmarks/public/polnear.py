"""Quotes and speakers on PolNeAR (real political news, every attribution annotated), beside a
quotation-marks-only baseline, in one run.

    .venv/bin/python benchmarks/public/polnear.py [--split dev|train] [--limit N] [--errors K] [--json]

Reads ``../shared/eval-data/polnear-dev/`` (skips cleanly when it is absent; nothing of it is
copied into the repository). Each article goes through ingest (as a ``.txt`` file) and the
per-article stages up to ``quotes``, then ``resolve`` across the split; predictions are the
report's ``quotes[]``. The spaCy parse of each article is cached under ``/tmp/quotes-cache/`` (by
text hash and model), so a second run costs only the stages.

Metrics (the dataset README's): per article, gold attributions and predicted quotes are matched
one-to-one, greedily by overlap, where a match needs shared characters >= 50 % of the shorter span
(gold: the content's outer span) — content F1; exact F1 after trimming whitespace, and after
trimming quotation marks and ``,.;:`` too; recall by gold kind; precision of the quotes predicted
``direct`` (matched to any gold attribution); speaker accuracy over matched pairs whose gold has a
source (right when the predicted speaker span, or a mention of the predicted speaker entity in that
article, overlaps the gold source), and end to end over all gold attributions with a source.

The baseline reports every double-quoted stretch (``"``, ``“…”``, ``''…''``) as a direct quote,
spoken by the nearest named person or organisation of its sentence outside the marks.

PolNeAR states no licence; it is used here for measurement only. Report on ``dev``; ``train`` is
for tuning. The test split is not in the shared folder and is never looked for.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "eval-data" / "polnear-dev"
CACHE = Path("/tmp/quotes-cache")
#: Characters trimmed from both ends of a span for the "trimmed" exact match.
TRIM = " \t\n\"'“”‘’«»,.;:"


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    kind: str
    source: tuple[tuple[int, int], ...] | None
    text: str
    source_text: str | None


@dataclass(frozen=True)
class Pred:
    start: int
    end: int
    direct: bool
    kind: str
    speaker_spans: tuple[tuple[int, int], ...]  # the speaker span and the speaker entity's mentions here
    speaker_text: str | None


@dataclass
class Scores:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    exact: int = 0
    exact_trimmed: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [matched, total]
    direct_pred: int = 0
    direct_matched: int = 0
    speaker_total: int = 0
    speaker_right: int = 0
    gold_with_source: int = 0

    def f1(self, hits: int) -> tuple[float, float, float]:
        p = hits / max(1, self.pred)
        r = hits / max(1, self.gold)
        return p, r, 2 * p * r / max(1e-9, p + r)

    def summary(self) -> dict[str, Any]:
        p, r, f = self.f1(self.matched)
        return {
            "gold": self.gold,
            "predicted": self.pred,
            "overlap_P": round(100 * p, 1),
            "overlap_R": round(100 * r, 1),
            "overlap_F1": round(100 * f, 1),
            "exact_F1": round(100 * self.f1(self.exact)[2], 1),
            "exact_trimmed_F1": round(100 * self.f1(self.exact_trimmed)[2], 1),
            **{f"recall_{k}": round(100 * v[0] / max(1, v[1]), 1) for k, v in sorted(self.by_kind.items())},
            "direct_precision": round(100 * self.direct_matched / max(1, self.direct_pred), 1),
            "direct_predicted": self.direct_pred,
            "speaker_accuracy": round(100 * self.speaker_right / max(1, self.speaker_total), 1),
            "speaker_end_to_end": round(100 * self.speaker_right / max(1, self.gold_with_source), 1),
        }


# --------------------------------------------------------------------------- data


def load_gold(split: str) -> tuple[dict[str, dict[str, Any]], dict[str, list[Gold]]]:
    data = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))
    docs = {name: d for name, d in data["docs"].items() if d["split"] == split}
    gold: dict[str, list[Gold]] = {name: [] for name in docs}
    for a in data["attributions"]:
        if a["doc"] not in docs:
            continue
        frags = a["content"]
        source = tuple((s, e) for s, e in a["source"]) if a["source"] else None
        gold[a["doc"]].append(
            Gold(
                min(s for s, _ in frags),
                max(e for _, e in frags),
                a["kind"],
                source,
                a["content_text"],
                a["source_text"],
            )
        )
    return docs, gold


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _trim(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def match(gold: list[Gold], pred: list[Pred]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), greedily by overlap, each sharing >= 50 % of
    the shorter span."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            shared = _overlap((g.start, g.end), (p.start, p.end))
            if shared and shared >= 0.5 * min(g.end - g.start, p.end - p.start):
                pairs.append((shared / (max(g.end, p.end) - min(g.start, p.start)), -shared, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2], x[3]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, _, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((i, j))
    return out


def score(
    texts: dict[str, str], gold: dict[str, list[Gold]], pred: dict[str, list[Pred]], errors: list[dict[str, Any]]
) -> Scores:
    s = Scores()
    for doc, golds in gold.items():
        text = texts[doc]
        preds = pred.get(doc, [])
        s.gold += len(golds)
        s.pred += len(preds)
        pairs = match(golds, preds)
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        for g in golds:
            s.by_kind.setdefault(g.kind, [0, 0])[1] += 1
            s.gold_with_source += g.source is not None
        for i, j in pairs:
            g, p = golds[i], preds[j]
            s.matched += 1
            s.by_kind[g.kind][0] += 1
            if _trim(text, g.start, g.end, " \t\n") == _trim(text, p.start, p.end, " \t\n"):
                s.exact += 1
            gt, pt = _trim(text, g.start, g.end, TRIM), _trim(text, p.start, p.end, TRIM)
            if gt == pt:
                s.exact_trimmed += 1
            else:
                errors.append(_err("bounds", doc, text, g, p))
            if g.source is not None:
                s.speaker_total += 1
                if any(_overlap(a, b) for a in p.speaker_spans for b in g.source):
                    s.speaker_right += 1
                else:
                    errors.append(_err("speaker", doc, text, g, p))
        for j, p in enumerate(preds):
            if p.direct:
                s.direct_pred += 1
                s.direct_matched += j in matched_p
            if j not in matched_p:
                errors.append(_err("spurious", doc, text, None, p))
        for i, g in enumerate(golds):
            if i not in matched_g:
                errors.append(_err(f"missed-{g.kind}", doc, text, g, None))
    return s


def _err(kind: str, doc: str, text: str, g: Gold | None, p: Pred | None) -> dict[str, Any]:
    out: dict[str, Any] = {"error": kind, "doc": doc}
    ref = g or p
    assert ref is not None
    lo = max(0, min(x.start for x in (g, p) if x is not None) - 120)
    hi = min(len(text), max(x.end for x in (g, p) if x is not None) + 60)
    out["context"] = text[lo:hi].replace("\n", " / ")
    if g is not None:
        out["gold"] = text[g.start : g.end]
        out["gold_source"] = g.source_text
    if p is not None:
        out["pred"] = text[p.start : p.end]
        out["pred_kind"] = p.kind
        out["pred_speaker"] = p.speaker_text
    return out


# --------------------------------------------------------------------------- running ours


def _cached_docs(texts: list[str], nlp: Any) -> list[Any]:
    from spacy.tokens import DocBin

    CACHE.mkdir(parents=True, exist_ok=True)
    tag = hashlib.sha1(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}-{nlp.pipe_names}".encode()).hexdigest()[:8]
    paths = [CACHE / f"{hashlib.sha1(t.encode()).hexdigest()}-{tag}.spacy" for t in texts]
    todo = [i for i, p in enumerate(paths) if not p.exists()]
    for i, doc in zip(todo, nlp.pipe([texts[i] for i in todo], batch_size=8), strict=True):
        DocBin(docs=[doc], store_user_data=True).to_disk(paths[i])
    return [next(iter(DocBin().from_disk(p).get_docs(nlp.vocab))) for p in paths]


def run_ours(
    docs: dict[str, dict[str, Any]],
) -> tuple[dict[str, str], dict[str, list[Pred]], dict[str, float], dict[str, Any]]:
    from dataclasses import replace

    from storyweave.contract import to_report
    from storyweave.ingest import ingest_paths
    from storyweave.model import Corpus
    from storyweave.pipeline import Context, new_analysis, run_article_stages, stages

    ctx = Context()
    names = sorted(docs)
    articles = []
    for name in names:
        result = ingest_paths([str(DATA / docs[name]["path"])])
        if not result.articles or result.articles[0].text != docs[name]["text"]:
            print(f"polnear: {name}: ingest changed the text; skipped", file=sys.stderr)
            continue
        articles.append((name, result.articles[0]))
    parsed = _cached_docs([a.text for _, a in articles], ctx.nlp)
    order = [s for s in stages("article") if s.order <= 40]
    analyses = []
    for (_, article), doc in zip(articles, parsed, strict=True):
        analyses.append(run_article_stages(replace(new_analysis(article), doc=doc), ctx, order))
    corpus = Corpus(analyses=tuple(sorted(analyses, key=lambda a: a.article.id)))
    for info in stages("corpus"):
        if info.name == "resolve":
            corpus = info.func(corpus, ctx)
    report = to_report(corpus)
    name_of = {a.id: name for name, a in articles}
    mentions: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for e in report["entities"]:
        for m in e["mentions"]:
            mentions.setdefault((e["id"], m["article"]), []).append((m["start"], m["end"]))
    pred: dict[str, list[Pred]] = {name: [] for name, _ in articles}
    for q in report["quotes"]:
        art = q["span"]["article"]
        spans = []
        if q["speaker_span"]:
            spans.append((q["speaker_span"]["start"], q["speaker_span"]["end"]))
        if q["speaker"]:
            spans.extend(mentions.get((q["speaker"], art), []))
        kind = q.get("kind") or ("direct" if q["direct"] else "indirect")
        pred[name_of[art]].append(
            Pred(
                q["span"]["start"],
                q["span"]["end"],
                q["direct"],
                kind,
                tuple(spans),
                q.get("speaker_name") or (q["speaker_span"] or {}).get("text"),
            )
        )
    texts = {name: a.text for name, a in articles}
    return texts, pred, dict(ctx.stage_seconds), report


# --------------------------------------------------------------------------- the baseline


def run_baseline(texts: dict[str, str], nlp: Any) -> dict[str, list[Pred]]:
    """Every double-quoted stretch a direct quote; its speaker the nearest PERSON or ORG of its
    sentence outside the marks."""
    from storyweave.language.quotation import find_marked

    names = sorted(texts)
    parsed = _cached_docs([texts[n] for n in names], nlp)
    out: dict[str, list[Pred]] = {}
    for name, doc in zip(names, parsed, strict=True):
        text = texts[name]
        preds = []
        start = 0
        for index, para in enumerate(text.split("\n")):
            end = start + len(para)
            for m in find_marked(text, start, end, index):
                if text[m.outer_start] not in '"“„«' and not text.startswith("''", m.outer_start):
                    continue
                sent = doc.char_span(m.start, m.end, alignment_mode="expand")
                sents = sent.sent if sent is not None else None
                ents = [
                    e
                    for e in (sents.ents if sents is not None else [])
                    if e.label_ in ("PERSON", "ORG") and (e.end_char <= m.outer_start or e.start_char >= m.outer_end)
                ]
                best = min(
                    ents,
                    key=lambda e: min(abs(e.start_char - m.outer_end), abs(m.outer_start - e.end_char)),
                    default=None,
                )
                spk = ((best.start_char, best.end_char),) if best is not None else ()
                preds.append(Pred(m.start, m.end, True, "direct", spk, best.text if best is not None else None))
            start = end + 1
        out[name] = preds
    return out


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="dev", choices=("dev", "train"))
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (by name)")
    ap.add_argument("--errors", type=int, default=0, help="print a sample of K errors of each class")
    ap.add_argument("--error-file", help="write every error as JSON lines here")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not (DATA / "gold.json").exists():
        print(f"polnear: {DATA} is not available; skipped")
        return 0
    docs, gold = load_gold(args.split)
    if args.limit:
        keep = sorted(docs)[: args.limit]
        docs = {k: docs[k] for k in keep}
        gold = {k: gold[k] for k in keep}
    started = time.process_time()
    texts, ours, stage_seconds, _ = run_ours(docs)
    ours_cpu = time.process_time() - started
    gold = {k: v for k, v in gold.items() if k in texts}
    from storyweave.pipeline import Context

    base = run_baseline(texts, Context().nlp)
    errors: list[dict[str, Any]] = []
    results = {
        "storyweave": score(texts, gold, ours, errors).summary(),
        "quotation marks only": score(texts, gold, base, []).summary(),
    }
    cost = {
        "articles": len(texts),
        "quotes_stage_cpu_s": round(stage_seconds.get("quotes", 0.0), 2),
        "quotes_ms_per_article": round(1000 * stage_seconds.get("quotes", 0.0) / max(1, len(texts)), 1),
        "stages_cpu_s": {k: round(v, 2) for k, v in stage_seconds.items()},
        "run_cpu_s_with_cached_parse": round(ours_cpu, 1),
    }
    if args.error_file:
        with open(args.error_file, "w", encoding="utf-8") as fh:
            for e in errors:
                fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps({"split": args.split, "results": results, "cost": cost}, indent=2))
        return 0
    print(f"PolNeAR {args.split}: {len(texts)} articles, {sum(len(v) for v in gold.values())} attributions")
    keys = list(results["storyweave"])
    print(f"{'measure':<22}{'storyweave':>12}{'marks only':>12}")
    for k in keys:
        print(f"{k:<22}{results['storyweave'][k]!s:>12}{results['quotation marks only'].get(k, '-')!s:>12}")
    print(
        f"quotes stage: {cost['quotes_stage_cpu_s']} s CPU, {cost['quotes_ms_per_article']} ms/article (shared machine)"
    )
    if args.errors:
        rng = random.Random(0)
        by: dict[str, list[dict[str, Any]]] = {}
        for e in errors:
            by.setdefault(e["error"], []).append(e)
        for kind, items in sorted(by.items()):
            print(f"\n== {kind}: {len(items)}")
            for e in rng.sample(items, min(args.errors, len(items))):
                print(json.dumps(e, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
