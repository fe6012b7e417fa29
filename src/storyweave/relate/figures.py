"""The exact figure override: two mentions give the same measure with values that cannot both hold.

A figure is read as the interval its qualifier allows ("less than 3" is [0, 3), "about 40" is
40 ± a margin); values clash only when the intervals lie further apart than ``NUMBER_RATIO`` of the
larger, and not when the higher is a count given as risen in a later-published article (an
update). This is an override of the learned relation: a clash found here makes two otherwise
matching mentions contradict.
"""

from __future__ import annotations

from dataclasses import replace

from storyweave.figures import (
    units,
)
from storyweave.relate.facts import Facts

#: Exact numbers for the same measure further apart than this are incompatible.
NUMBER_RATIO = 0.1


def numbers_clash(a: Facts, b: Facts) -> bool:
    """Numbers of the same measure whose values as qualified lie more than NUMBER_RATIO apart:
    exact 13 against exact 20, or "less than 3" against 13; "about 3" and 3.5 or "at least 12"
    and 14 can both be true. Not when the higher is a count given as risen in an article
    published after the other's (an update)."""
    for va, ma, low_a, high_a in a.quantities:
        for vb, mb, low_b, high_b in b.quantities:
            if not ma or ma != mb:
                continue
            gap = max(low_a, low_b) - min(high_a, high_b)
            if gap > NUMBER_RATIO * max(abs(va), abs(vb)) and not _update(a, va, b, vb):
                return True
    return False


def durations_clash(a: Facts, b: Facts) -> bool:
    """The same named subject, and durations in one unit whose values as qualified clash."""
    if not (a.subject_entities & b.subject_entities):
        return False
    table = units()
    keep = [q for q in a.quantities if table.get(q[1], ("", ""))[1] == "duration"]
    other = [q for q in b.quantities if table.get(q[1], ("", ""))[1] == "duration"]
    if not keep or not other:
        return False
    return numbers_clash(replace(a, quantities=tuple(keep)), replace(b, quantities=tuple(other)))


def _update(a: Facts, va: float, b: Facts, vb: float) -> bool:
    """The higher value is a count that rose, reported in a later-published article."""
    (low, _), (high, vh) = sorted(((a, va), (b, vb)), key=lambda x: x[1])
    return bool(vh in high.risen and low.published and high.published and low.published[:10] < high.published[:10])
