"""Errors with a stable code, the thing they concern and a reason a person can act on."""

from __future__ import annotations


class StoryweaveError(Exception):
    """Base class for every error storyweave raises on purpose."""


class IngestError(StoryweaveError):
    """A file or record that could not be read as an article; the batch goes on without it."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StageError(StoryweaveError):
    """A stage failed or the stage order is inconsistent."""


class StoreError(StoryweaveError):
    """The store cannot be opened or written (busy, corrupt, newer schema)."""
