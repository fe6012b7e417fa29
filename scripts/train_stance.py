"""Train the stance model of ``storyweave check`` and write src/storyweave/relate/weights/stance.json.

    .venv/bin/python scripts/train_stance.py

Data: the FNC-1 dev half in ``../shared/eval-data/fnc1-dev/`` (FNC-1 states no licence; the texts
stay there). Trained on the pairs whose body falls in parts 1-4 of the split in
``benchmarks/public/fnc1.py`` (SHA-1 of ``"stance:" + body id``, mod 5); part 0 is never seen and
is where the benchmark reports. The fit is deterministic (zero start, full batch).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks" / "public"))

import fnc1  # noqa: E402

from storyweave.pipeline import Context  # noqa: E402
from storyweave.relate.stance import STANCES, fit  # noqa: E402

OUT = ROOT / "src" / "storyweave" / "relate" / "weights" / "stance.json"
#: L2 strength and steps, chosen by cross-validation over the training parts (by body).
L2 = 1e-3
STEPS = 600


def main() -> int:
    if not (fnc1.DATA / "pairs.jsonl").exists():
        print(f"{fnc1.DATA} is absent: nothing to train on")
        return 1
    pairs, bodies = fnc1.load()
    train = [p for p in pairs if fnc1.part(p["body_id"]) != 0]
    x = fnc1.features(train, bodies, Context())
    y = np.array([STANCES.index(fnc1.LABELS[p["stance"]]) for p in train])
    # cross-validation inside the training parts, by body, for the record
    parts = np.array([fnc1.part(p["body_id"]) for p in train])
    predicted = np.zeros(len(y), dtype=int)
    for k in (1, 2, 3, 4):
        held = parts == k
        model = fit(x[~held], y[~held], l2=L2, steps=STEPS)
        predicted[held] = model.probabilities(x[held]).argmax(axis=1)
    cv = fnc1.scores([STANCES[i] for i in y], [STANCES[i] for i in predicted])
    print("cross-validated on the training parts:", {k: round(v, 3) for k, v in cv.items()})
    model = fit(x, y, l2=L2, steps=STEPS)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "trained_on": "FNC-1 dev half, bodies in parts 1-4 (SHA-1 of 'stance:' + body id, mod 5)",
        "pairs": len(train),
        "licence_of_data": "FNC-1 states no licence; texts copyright of their publishers",
        "l2": L2,
        "steps": STEPS,
        "cross_validated_macro_f1": round(cv["macro-F1"], 4),
    }
    OUT.write_text(model.as_json(meta) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
