"""bm25s, imported without JAX.

bm25s imports JAX for its top-k selection whenever JAX is installed (TensorFlow, which Rasa needs,
brings it along). This package asks bm25s only for raw scores (``BM25.get_scores``, index.py) and
ranks the hits itself, so that selection never runs; the import alone held about 100 MB in the
action server. JAX is hidden while bm25s is imported, so bm25s falls back to its numpy selection,
and put back afterwards.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

_MISSING = object()


@contextmanager
def _without_jax() -> Iterator[None]:
    saved = sys.modules.get("jax", _MISSING)
    sys.modules["jax"] = None  # type: ignore[assignment]  # `import jax...` raises ImportError
    try:
        yield
    finally:
        if saved is _MISSING:
            sys.modules.pop("jax", None)
        else:
            sys.modules["jax"] = saved  # type: ignore[assignment]


with _without_jax():
    import bm25s
    from bm25s.stopwords import STOPWORDS_DANISH

__all__ = ["bm25s", "STOPWORDS_DANISH"]
