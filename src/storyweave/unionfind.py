"""Disjoint sets over 0..n-1: how the cross-article stages turn pairwise links into groups."""

from __future__ import annotations


class UnionFind:
    """Union by smallest index with path halving, so group representatives are deterministic."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
