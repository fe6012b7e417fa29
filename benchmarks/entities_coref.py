"""Cross-article entity coreference on our own invented stories: B-cubed and MUC, with a baseline.

usage: python benchmarks/entities_coref.py [tests/data/entity_coref/stories.json | --all]

``--all`` scores every story set of that folder in this format (stories, heldout, romanisation,
org_short_names), one line each, and the false merges of any.

Runs the real article stages up to ``entities`` and the ``resolve`` stage on each story, then
scores the resolved entities on the annotated key mentions (see the data README). The baseline
clusters the same key mentions by exact normalised name (the proper-name words, folded).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from storyweave.ingest import article_id
from storyweave.model import Article, Corpus
from storyweave.names import fold
from storyweave.pipeline import Context, new_analysis, run_article_stages, stages
from storyweave.stages.resolve import resolve

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "entity_coref" / "stories.json"

Item = tuple[int, int, str]  # (story, article, surface form)


def b_cubed(gold: dict[Item, str], system: dict[Item, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 over the gold items (unmatched items are singletons)."""
    g_members: dict[str, set[Item]] = defaultdict(set)
    s_members: dict[str, set[Item]] = defaultdict(set)
    for item, g in gold.items():
        g_members[g].add(item)
        s_members[system[item]].add(item)
    p = r = 0.0
    for item, g in gold.items():
        same = len(g_members[g] & s_members[system[item]])
        p += same / len(s_members[system[item]])
        r += same / len(g_members[g])
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def muc(gold: dict[Item, str], system: dict[Item, str]) -> tuple[float, float, float]:
    """MUC link-based precision, recall and F1."""

    def score(key: dict[Item, str], response: dict[Item, str]) -> float:
        clusters: dict[str, set[Item]] = defaultdict(set)
        for item, c in key.items():
            clusters[c].add(item)
        num = den = 0
        for members in clusters.values():
            parts = {response[i] for i in members}
            num += len(members) - len(parts)
            den += len(members) - 1
        return num / den if den else 1.0

    r, p = score(gold, system), score(system, gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def baseline_key(form: str) -> str:
    """The proper-name words at the end of a form, folded ("Captain Ann Lee's" -> "ann lee")."""
    words = form.replace("’s", "").replace("'s", "").split()
    tail: list[str] = []
    for w in reversed(words):
        if not w[:1].isupper():
            break
        tail.insert(0, w)
    key = fold(" ".join(tail)) if tail else ""
    return key or fold(form)


def _locate(story: dict) -> dict[tuple[int, str], tuple[int, int]]:
    """Where each gold form is: its first occurrence not inside a longer gold form ("Lee" in "Ann Lee")."""
    out: dict[tuple[int, str], tuple[int, int]] = {}
    for ai, text in enumerate(story["articles"]):
        forms = sorted({f for per in story["gold"].values() for f in per.get(str(ai), [])}, key=len, reverse=True)
        taken: list[tuple[int, int]] = []
        for form in forms:
            start = text.find(form)
            while start >= 0 and any(s <= start and start + len(form) <= e for s, e in taken):
                start = text.find(form, start + 1)
            if start < 0:
                start = text.index(form)
            out[(ai, form)] = (start, start + len(form))
            taken.append((start, start + len(form)))
    return out


def evaluate(path: Path, ctx: Context) -> dict[str, object]:
    stories = json.loads(path.read_text(encoding="utf-8"))
    order = [s for s in stages("article") if s.order <= 30]
    gold: dict[Item, str] = {}
    system: dict[Item, str] = {}
    baseline: dict[Item, str] = {}
    for si, story in enumerate(stories):
        analyses = []
        for text in story["articles"]:
            article = Article(id=article_id(text), source=f"{story['story']}.txt", text=text)
            analyses.append(run_article_stages(new_analysis(article), ctx, order))
        corpus = resolve(Corpus(analyses=tuple(analyses)), ctx)
        by_article = defaultdict(list)
        for entity in corpus.entities:
            for span in entity.mentions:
                by_article[span.article].append((span.start, span.end, entity.id))
        located = _locate(story)
        for entity_name, per_article in story["gold"].items():
            for ai, forms in per_article.items():
                aid = analyses[int(ai)].article.id
                for form in forms:
                    item = (si, int(ai), form)
                    gold[item] = f"{si}:{entity_name}"
                    baseline[item] = f"{si}:{baseline_key(form)}"
                    start, end = located[(int(ai), form)]
                    best, best_overlap = f"unmatched:{item}", 0.0
                    for s, e, eid in by_article[aid]:  # the mention that best covers the form, both ways
                        overlap = (min(e, end) - max(s, start)) / (max(e, end) - min(s, start))
                        if overlap > best_overlap and overlap >= 0.5:
                            best, best_overlap = eid, overlap
                    system[item] = best
    unmatched = sum(1 for v in system.values() if v.startswith("unmatched:"))
    return {
        "items": len(gold),
        "unmatched": unmatched,
        "system": {"b3": b_cubed(gold, system), "muc": muc(gold, system)},
        "baseline": {"b3": b_cubed(gold, baseline), "muc": muc(gold, baseline)},
        "split": sorted({g for i, g in gold.items() if any(system[j] != system[i] for j in gold if gold[j] == g)}),
        "merged": sorted(
            {
                f"{gold[i]} + {gold[j]}"
                for i in gold
                for j in gold
                if gold[i] < gold[j] and system[i] == system[j] and not system[i].startswith("unmatched")
            }
        ),
    }


def story_sets() -> list[Path]:
    """The key-mention story sets beside the default one (generalisation.json has its own scorer)."""
    return sorted(p for p in DEFAULT.parent.glob("*.json") if "gold" in json.loads(p.read_text("utf-8"))[0])


def main_all() -> None:
    ctx = Context()
    for path in story_sets():
        result = evaluate(path, ctx)
        scores = result["system"]
        assert isinstance(scores, dict)
        b3, mu = scores["b3"], scores["muc"]
        print(
            f"{path.stem:16s} items {result['items']:3d} | B3 P {b3[0]:.3f} F1 {b3[2]:.3f} | MUC P {mu[0]:.3f} "
            f"F1 {mu[2]:.3f} | false merges {len(result['merged'])} {result['merged'] or ''}"
        )


def main() -> None:
    if sys.argv[1:] == ["--all"]:
        main_all()
        return
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    result = evaluate(path, Context())
    print(f"key mentions: {result['items']} ({result['unmatched']} not found by the system)")
    for who in ("system", "baseline"):
        scores = result[who]
        assert isinstance(scores, dict)
        b3, mu = scores["b3"], scores["muc"]
        print(
            f"{who:9s} B3 P {b3[0]:.3f} R {b3[1]:.3f} F1 {b3[2]:.3f} | MUC P {mu[0]:.3f} R {mu[1]:.3f} F1 {mu[2]:.3f}"
        )
    print("gold entities split by the system:", result["split"])
    print("gold entities merged by the system (false merges):", result["merged"])


if __name__ == "__main__":
    main()
