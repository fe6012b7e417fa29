"""Splitting a story that holds two events: the batch refinement after the online pass.

An online clusterer that has already merged two similar events (two DUI arrests of players of one team,
two pirate attacks repelled by one navy) sees a centroid with both events' names and keeps joining.
With the whole group in hand the two events show themselves: each has names and numbers that most of
its own reports carry and the other's lack (the ship, the player, the toll). So the group is weighed
*locally*: a name's weight is its rarity inside the group (a name in every report — the team, the
navy — weighs nothing), the group is cut in two by average link on those local similarities, and a
logistic regression decides from the cut's cues whether the two halves are different stories; if so,
each half is tried again.

Cues of a cut into halves A and B (in :data:`SPLIT_FEATURES` order): the local similarity within the
halves minus across them, for names and numbers and for topic words; the strongest name or number
that one half has and the other lacks, both ways (``exclusive``: the weaker side's best share
difference; ``exclusive3``: the mean of each side's best three, the weaker side); the halves' balance
and size; the mean global (corpus-IDF) similarity across the halves for names and numbers and for
words; and the number of pairs across. Trained with the join model (``scripts/train_story_model.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from storyweave.story_model import JoinModel

SPLIT_FEATURES = (
    "bias",
    "key_gap",
    "term_gap",
    "exclusive",
    "exclusive3",
    "balance",
    "size",
    "global_keys",
    "global_terms",
    "pairs",
)
#: Groups larger than this are left as the online pass made them: the cut is quadratic in the group.
MAX_SPLIT_GROUP = 400
#: Recursion depth: a group is cut at most this many times along one branch.
MAX_SPLIT_DEPTH = 12


@dataclass(frozen=True, slots=True)
class Member:
    """What the split reads of one article: counted keys (names, numbers) and topic words."""

    keys: dict[str, float]
    terms: dict[str, float]


def _matrix(bags: Sequence[dict[str, float]], idf: Callable[[str, int], float]) -> np.ndarray:
    """Unit rows of sublinear counts times ``idf(feature, document frequency in the group)``."""
    vocab: dict[str, int] = {}
    for bag in bags:
        for k in bag:
            vocab.setdefault(k, len(vocab))
    df = np.zeros(len(vocab))
    for bag in bags:
        for k in bag:
            df[vocab[k]] += 1
    rows = np.zeros((len(bags), max(1, len(vocab))))
    names = list(vocab)
    weights = np.array([idf(k, int(df[vocab[k]])) for k in names]) if names else np.zeros(1)
    for r, bag in enumerate(bags):
        for k, c in bag.items():
            rows[r, vocab[k]] = (1.0 + math.log(c) if c > 1 else c) * weights[vocab[k]]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


def _local(bags: Sequence[dict[str, float]]) -> np.ndarray:
    """Cosine similarities with weights local to the group: log((1 + m) / (1 + df)), so a feature
    every member has weighs nothing."""
    m = len(bags)
    rows = _matrix(bags, lambda _k, df: math.log((1 + m) / (1 + df)))
    return rows @ rows.T


def average_link(similarity: np.ndarray, *, cut: float = -math.inf, until: int = 1) -> np.ndarray:
    """Average-link agglomeration: merge the two clusters of highest mean similarity while it is at
    least ``cut`` and more than ``until`` clusters remain. Returns a cluster number per row, numbered
    in the order of each cluster's lowest row."""
    n = len(similarity)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    sums = similarity.astype(float).copy()
    np.fill_diagonal(sums, -np.inf)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    while alive.sum() > until:
        mean = sums / np.outer(sizes, sizes)
        mean[~alive, :] = -np.inf
        mean[:, ~alive] = -np.inf
        row, col = np.unravel_index(int(np.argmax(mean)), mean.shape)
        if mean[row, col] < cut:
            break
        a, b = int(min(row, col)), int(max(row, col))
        members[a].extend(members.pop(b))
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        sums[a, a] = -np.inf
        sizes[a] += sizes[b]
        alive[b] = False
    labels = np.zeros(n, dtype=int)
    for number, group in enumerate(sorted(members.values(), key=min)):
        labels[group] = number
    return labels


def bisect(similarity: np.ndarray) -> np.ndarray:
    """Average link down to two clusters; 0/1 per row (0: the cluster holding the first row)."""
    return average_link(similarity, until=2)


def _mean_block(matrix: np.ndarray, rows: np.ndarray, cols: np.ndarray, *, same: bool) -> float | None:
    block = matrix[np.ix_(rows, cols)]
    if same:
        if len(rows) < 2:
            return None
        return float((block.sum() - np.trace(block)) / (len(rows) * (len(rows) - 1)))
    return float(block.mean())


def _gap(similarity: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Mean similarity within the halves minus across them."""
    cross = _mean_block(similarity, a, b, same=False) or 0.0
    within = [
        w for w in (_mean_block(similarity, a, a, same=True), _mean_block(similarity, b, b, same=True)) if w is not None
    ]
    return (float(np.mean(within)) if within else cross) - cross


def _exclusive(bags: Sequence[dict[str, float]], a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """The weaker side's best, and best-three mean, share difference of a key it has and the other lacks."""

    def side(x: np.ndarray, y: np.ndarray) -> list[float]:
        count_x: dict[str, int] = {}
        count_y: dict[str, int] = {}
        for i in x:
            for k in bags[i]:
                count_x[k] = count_x.get(k, 0) + 1
        for i in y:
            for k in bags[i]:
                count_y[k] = count_y.get(k, 0) + 1
        return sorted((c / len(x) - count_y.get(k, 0) / len(y) for k, c in count_x.items()), reverse=True)

    sa, sb = side(a, b), side(b, a)
    best = min(sa[0] if sa else 0.0, sb[0] if sb else 0.0)
    best3 = min(float(np.mean(sa[:3])) if sa else 0.0, float(np.mean(sb[:3])) if sb else 0.0)
    return best, best3


def split_features(
    members: Sequence[Member], labels: np.ndarray, global_keys: np.ndarray, global_terms: np.ndarray
) -> list[float]:
    """The cues of cutting ``members`` into ``labels`` 0 and 1 (see the module docstring).

    ``global_keys`` / ``global_terms``: the members' similarity matrices with corpus-wide weights.
    """
    a = np.flatnonzero(labels == 0)
    b = np.flatnonzero(labels == 1)
    keys = [m.keys for m in members]
    exclusive, exclusive3 = _exclusive(keys, a, b)
    return [
        1.0,
        _gap(_local(keys), a, b),
        _gap(_local([m.terms for m in members]), a, b),
        exclusive,
        exclusive3,
        min(len(a), len(b)) / len(members),
        math.log(len(members)),
        float(global_keys[np.ix_(a, b)].mean()),
        float(global_terms[np.ix_(a, b)].mean()),
        math.log(len(a) * len(b)),
    ]


def global_matrices(members: Sequence[Member], idf: Callable[[str], float]) -> tuple[np.ndarray, np.ndarray]:
    """The members' similarity matrices for keys and for topic words, weighted by corpus IDF."""
    keys = _matrix([m.keys for m in members], lambda k, _df: idf(k))
    terms = _matrix([m.terms for m in members], lambda k, _df: idf(k))
    return keys @ keys.T, terms @ terms.T


def candidate_cuts(
    members: Sequence[Member], idf: Callable[[str], float]
) -> list[tuple[list[int], list[int], list[float]]]:
    """Every cut the recursion would try were each accepted: ``(half A, half B, cues)``, indices into
    ``members``; for training, where the gold decides."""
    out: list[tuple[list[int], list[int], list[float]]] = []
    gk, gt = global_matrices(members, idf)

    def walk(index: list[int], depth: int) -> None:
        if len(index) < 2 or depth > MAX_SPLIT_DEPTH:
            return
        sub = [members[i] for i in index]
        labels = bisect(_local([m.keys for m in sub]))
        cues = split_features(sub, labels, gk[np.ix_(index, index)], gt[np.ix_(index, index)])
        a = [index[i] for i in np.flatnonzero(labels == 0)]
        b = [index[i] for i in np.flatnonzero(labels == 1)]
        out.append((a, b, cues))
        walk(a, depth + 1)
        walk(b, depth + 1)

    walk(list(range(len(members))), 0)
    return out


def split_group(
    members: Sequence[Member], model: JoinModel, idf: Callable[[str], float], threshold: float | None = None
) -> list[list[int]]:
    """Cut a group into stories while the model says the halves differ; lists of member indices."""
    if len(members) < 2 or len(members) > MAX_SPLIT_GROUP:
        return [list(range(len(members)))]
    cut = model.threshold if threshold is None else threshold
    gk, gt = global_matrices(members, idf)
    done: list[list[int]] = []

    def walk(index: list[int], depth: int) -> None:
        if len(index) < 2 or depth > MAX_SPLIT_DEPTH:
            done.append(index)
            return
        sub = [members[i] for i in index]
        labels = bisect(_local([m.keys for m in sub]))
        cues = split_features(sub, labels, gk[np.ix_(index, index)], gt[np.ix_(index, index)])
        if model.probability(cues) < cut:
            done.append(index)
            return
        walk([index[i] for i in np.flatnonzero(labels == 0)], depth + 1)
        walk([index[i] for i in np.flatnonzero(labels == 1)], depth + 1)

    walk(list(range(len(members))), 0)
    return sorted(done, key=min)
