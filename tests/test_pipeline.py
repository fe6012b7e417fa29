from __future__ import annotations

import pytest

from storyweave.errors import StageError
from storyweave.pipeline import StageInfo, check_stages, stages


def test_pipeline_default_order_is_consistent() -> None:
    order = stages()
    check_stages(order)
    names = [s.name for s in order]
    assert names.index("clean") < names.index("segment")
    assert all(s.scope == "article" for s in order[: len(stages("article"))])


def test_pipeline_rejects_a_stage_whose_input_nobody_writes() -> None:
    lonely = StageInfo("lonely", "article", lambda a, c: a, frozenset({"nothing-writes-this"}), frozenset(), 1)
    with pytest.raises(StageError, match="lonely"):
        check_stages([lonely])
