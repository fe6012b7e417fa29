"""Coreference scores as the CoNLL-2012 reference scorer (v8.01) defines them: MUC, B³, CEAF-e, CoNLL.

Key and response are maps from one set of mentions to cluster ids (a mention absent from the
response counts as a singleton there). Pure functions over hashable mention ids, so every
benchmark scores the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

import numpy as np
from scipy.optimize import linear_sum_assignment

Scores = tuple[float, float, float]  # precision, recall, F1


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _clusters(assignment: Mapping[Hashable, Hashable]) -> list[set[Hashable]]:
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for item, cluster in assignment.items():
        groups[cluster].add(item)
    return list(groups.values())


def _response(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> dict[Hashable, Hashable]:
    """The response over the key's mentions, unmatched mentions as singletons of their own."""
    return {m: (("c", response[m]) if m in response else ("s", m)) for m in key}


def muc(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> Scores:
    """Link-based MUC: the links each side needs to join its clusters that the other side has."""
    resp = _response(key, response)

    def link_recall(a: Mapping[Hashable, Hashable], b: Mapping[Hashable, Hashable]) -> float:
        num = den = 0
        for members in _clusters(a):
            num += len(members) - len({b[m] for m in members})
            den += len(members) - 1
        return num / den if den else 0.0

    r, p = link_recall(key, resp), link_recall(resp, key)
    return p, r, _f1(p, r)


def b_cubed(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> Scores:
    """Mention-based B³: each mention's share of its key and response clusters that the other holds."""
    resp = _response(key, response)
    key_members = {c: frozenset(ms) for ms in _clusters(key) for c in [key[next(iter(ms))]]}
    resp_members = {c: frozenset(ms) for ms in _clusters(resp) for c in [resp[next(iter(ms))]]}
    p = r = 0.0
    for m in key:
        k, s = key_members[key[m]], resp_members[resp[m]]
        same = len(k & s)
        p += same / len(s)
        r += same / len(k)
    n = len(key) or 1
    return p / n, r / n, _f1(p / n, r / n)


def ceaf_e(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> Scores:
    """Entity-based CEAF (phi4 = 2|K∩R| / (|K|+|R|)), clusters aligned one-to-one for the best total."""
    resp = _response(key, response)
    key_clusters, resp_clusters = _clusters(key), _clusters(resp)
    if not key_clusters:
        return 0.0, 0.0, 0.0
    index = {c: j for j, c in enumerate({resp[m] for m in key})}
    resp_by_index = [set() for _ in index]  # type: list[set[Hashable]]
    for m in key:
        resp_by_index[index[resp[m]]].add(m)
    sim = np.zeros((len(key_clusters), len(resp_by_index)))
    for i, k in enumerate(key_clusters):
        for m in k:
            j = index[resp[m]]
            if sim[i, j] == 0:
                sim[i, j] = 2 * len(k & resp_by_index[j]) / (len(k) + len(resp_by_index[j]))
    rows, cols = linear_sum_assignment(sim, maximize=True)
    total = float(sim[rows, cols].sum())
    p, r = total / len(resp_clusters), total / len(key_clusters)
    return p, r, _f1(p, r)


def conll(key: Mapping[Hashable, Hashable], response: Mapping[Hashable, Hashable]) -> dict[str, Scores | float]:
    """MUC, B³ and CEAF-e, and CoNLL F1 (their F1 mean), all as fractions."""
    m, b, c = muc(key, response), b_cubed(key, response), ceaf_e(key, response)
    return {"muc": m, "b3": b, "ceafe": c, "conll": (m[2] + b[2] + c[2]) / 3}


__all__ = ["b_cubed", "ceaf_e", "conll", "muc"]
