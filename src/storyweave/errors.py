"""Errors with a stable code, the thing they concern and a reason a person can act on.

Every message that names a file, record or URL renders the name with :func:`shown`, so a name
cannot break a message into two lines, recolour a terminal or reorder the text around it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: Characters that would change how a message line reads: line and paragraph breaks, terminal
#: controls, and the bidirectional marks that reorder the text displayed around them.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escape(c: str) -> str:
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 in a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c, f"\\x{code:02x}")
    return f"\\u{code:04x}"


def shown(text: str) -> str:
    """``text`` as one printable line for a message: controls, line breaks, bidirectional marks,
    lone surrogates and undecodable bytes of a file name become ``\\n``, ``\\x1b``, ``\\u202e``,
    ``\\xe9`` ...; everything else (accents, quotes, any script) is kept as it is."""
    if text.isprintable() and not any(c in _BIDI_CONTROLS for c in text):
        return text
    return "".join(_escape(c) if _unsafe(c) else c for c in text)


def _unsafe(c: str) -> bool:
    return (not c.isprintable() and c != " ") or c in _BIDI_CONTROLS or unicodedata.category(c) == "Cs"


def message(source: str, reason: str) -> str:
    """The one form of a message about a file or record: ``SOURCE: reason``, both shown safely."""
    return f"{shown(source)}: {shown(reason)}"


class StoryweaveError(Exception):
    """Base class for every error storyweave raises on purpose."""


class IngestError(StoryweaveError):
    """A file or record that could not be read as an article; the batch goes on without it."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(message(source, reason))
        self.source = source
        self.reason = reason


@dataclass(frozen=True, slots=True)
class IngestWarning:
    """A file or record that was read, but not exactly as written (bytes or characters replaced)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return message(self.source, self.reason)


class StageError(StoryweaveError):
    """A stage failed or the stage order is inconsistent."""


class StoreError(StoryweaveError):
    """The store cannot be opened or written (busy, corrupt, newer schema)."""
