"""The index: Chroma (dense vectors, the one module that knows Chroma) plus a persisted BM25 keyword index."""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.entities import default_registry
from assistant.errors import StoreError
from assistant.facts import annotate
from assistant.tokenize import tokenize
from assistant.types import Chunk, Document, Hit

COLLECTION = "chunks"
# Bumped when the stored chunk metadata changes shape; an older index must be rebuilt.
SCHEMA = "2"
_BM25_DIR = "bm25"


@dataclass(frozen=True)
class Filters:
    """Optional restrictions on retrieval: company ids, an ISO date range, source ids."""

    companies: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""
    source_ids: tuple[str, ...] = ()

    def where(self) -> dict[str, Any] | None:
        """The Chroma ``where`` clause for these filters."""
        clauses: list[dict[str, Any]] = []
        if self.companies:
            clauses.append(_any_of([{f"co_{c}": True} for c in self.companies]))
        if self.date_from:
            clauses.append({"published_ts": {"$gte": _date_int(self.date_from)}})
        if self.date_to:
            clauses.append({"published_ts": {"$lte": _date_int(self.date_to)}})
        if self.source_ids:
            clauses.append({"source_id": {"$in": list(self.source_ids)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, meta: dict[str, Any]) -> bool:
        """The same test as :meth:`where`, in Python (for the keyword side)."""
        if self.companies and not any(meta.get(f"co_{c}") for c in self.companies):
            return False
        ts = int(meta.get("published_ts", 0))
        if self.date_from and ts < _date_int(self.date_from):
            return False
        if self.date_to and ts > _date_int(self.date_to):
            return False
        return not self.source_ids or meta.get("source_id") in self.source_ids


def _any_of(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def _date_int(iso: str) -> int:
    digits = "".join(ch for ch in iso if ch.isdigit())[:8]
    return int(digits.ljust(8, "0")) if digits else 0


@dataclass
class DocRecord:
    """What the store knows of one ingested document."""

    doc_id: str
    path: str
    content_hash: str
    n_chunks: int
    stored_chunks: int = 0

    @property
    def complete(self) -> bool:
        """False when an interrupted ingest left only part of the chunks."""
        return self.stored_chunks == self.n_chunks


@dataclass
class _KeywordIndex:
    generation: str = ""
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    metadatas: list[dict[str, Any]] = field(default_factory=list)
    bm25: Any = None


class Store:
    """Chunks in Chroma (cosine space) and a BM25 index over jieba tokens, kept in step by a generation id."""

    def __init__(
        self, path: Path, embedder: Embeddings, embedder_name: str, client: Any = None, reset: bool = False
    ) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self.path = Path(path)
        self.embedder = embedder
        self.embedder_name = embedder_name
        if client is None:
            self.path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(
                path=str(self.path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
            )
        self._client = client
        self._collection = client.get_or_create_collection(
            COLLECTION,
            metadata={"hnsw:space": "cosine", "embedder": embedder_name, "generation": "new", "schema": SCHEMA},
            embedding_function=None,
        )
        self._keyword = _KeywordIndex()
        if reset:
            self.reset()
        self._check_embedder()
        self._check_schema()

    # -- writing ---------------------------------------------------------------------------------------------
    def put_document(self, doc: Document, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        """Replace every chunk of ``doc`` with ``chunks`` (one Chroma call for the new ones)."""
        self._touch()
        self.delete_document(doc.doc_id, touch=False)
        if not chunks:
            return
        self._collection.add(
            ids=[c.chunk_id for c in chunks],
            embeddings=vectors,
            documents=[c.text for c in chunks],
            metadatas=[_metadata(doc, c, len(chunks)) for c in chunks],
        )

    def delete_document(self, doc_id: str, touch: bool = True) -> None:
        """Remove every chunk of a document."""
        if touch:
            self._touch()
        self._collection.delete(where={"doc_id": doc_id})

    def _touch(self) -> None:
        """Mark the keyword index stale before the chunks change (an interrupted run is then detected)."""
        self._set_meta(generation=uuid.uuid4().hex)

    def _set_meta(self, **values: str) -> None:
        meta = dict(self._collection.metadata or {})
        meta.update(values)
        meta.pop("hnsw:space", None)
        self._collection.modify(metadata=meta)

    # -- reading ---------------------------------------------------------------------------------------------
    def documents(self) -> dict[str, DocRecord]:
        """Every stored document, with how many of its chunks are present."""
        got = self._collection.get(include=["metadatas"])
        records: dict[str, DocRecord] = {}
        for meta in got["metadatas"] or []:
            doc_id = str(meta["doc_id"])
            record = records.setdefault(
                doc_id,
                DocRecord(doc_id, str(meta["path"]), str(meta["content_hash"]), int(meta["n_chunks"])),
            )
            record.stored_chunks += 1
        return records

    def count(self) -> int:
        """Number of chunks stored."""
        return int(self._collection.count())

    def dense(self, query: str, n: int, filters: Filters | None = None) -> list[Hit]:
        """Nearest chunks to the query embedding (cosine distance)."""
        stored = self.count()
        if stored == 0:
            return []
        vector = self.embedder.embed_query(query)
        result = self._collection.query(
            query_embeddings=[vector],
            n_results=min(n, stored),
            where=filters.where() if filters else None,
            include=["documents", "metadatas", "distances"],
        )
        hits = []
        for rank, (cid, text, meta, dist) in enumerate(
            zip(result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0], strict=True),
            start=1,
        ):
            hits.append(Hit(cid, str(meta["doc_id"]), text, dict(meta), dense_rank=rank, distance=float(dist)))
        return hits

    def keyword(self, query_tokens: list[str], n: int, filters: Filters | None = None) -> list[Hit]:
        """Best BM25 matches for the query tokens."""
        index = self._keyword_index()
        if not index.ids or not query_tokens:
            return []
        import numpy as np

        scores = index.bm25.get_scores(query_tokens)
        if filters is not None:
            mask = np.array([filters.accepts(m) for m in index.metadatas], dtype=bool)
            scores = np.where(mask, scores, 0.0)
        order = np.argsort(-scores, kind="stable")[:n]
        return [
            Hit(
                index.ids[i],
                str(index.metadatas[i]["doc_id"]),
                index.texts[i],
                dict(index.metadatas[i]),
                keyword_rank=rank,
            )
            for rank, i in enumerate(order, start=1)
            if scores[i] > 0
        ]

    # -- keyword index -----------------------------------------------------------------------------------------
    def _keyword_index(self) -> _KeywordIndex:
        generation = str((self._collection.metadata or {}).get("generation", ""))
        if self._keyword.generation != generation:
            loaded = self._load_keyword(generation)
            self._keyword = loaded if loaded is not None else self.rebuild_keyword_index()
        return self._keyword

    def keyword_index_ready(self) -> None:
        """Make sure the keyword index matches the chunks (rebuilt and saved only when stale)."""
        self._keyword_index()

    def rebuild_keyword_index(self) -> _KeywordIndex:
        """Rebuild BM25 from the chunks in Chroma and persist it beside the store."""
        import bm25s

        generation = str((self._collection.metadata or {}).get("generation", ""))
        got = self._collection.get(include=["documents", "metadatas"])
        index = _KeywordIndex(
            generation, list(got["ids"]), list(got["documents"] or []), [dict(m) for m in got["metadatas"] or []]
        )
        if index.ids:
            corpus = [
                tokenize(f"{m.get('title', '')}\n{t}") or ["∅"]
                for t, m in zip(index.texts, index.metadatas, strict=True)
            ]
            index.bm25 = bm25s.BM25()
            index.bm25.index(corpus, show_progress=False)
            self._save_keyword(index)
        self._keyword = index
        return index

    def _save_keyword(self, index: _KeywordIndex) -> None:
        folder = self.path / _BM25_DIR
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        index.bm25.save(str(folder), show_progress=False)
        side = {"generation": index.generation, "ids": index.ids, "texts": index.texts, "metadatas": index.metadatas}
        (folder / "chunks.json").write_text(json.dumps(side, ensure_ascii=False), encoding="utf-8")

    def _load_keyword(self, generation: str) -> _KeywordIndex | None:
        folder = self.path / _BM25_DIR
        try:
            side = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if side.get("generation") != generation:
            return None
        import bm25s

        bm25 = bm25s.BM25.load(str(folder), show_progress=False)
        return _KeywordIndex(generation, side["ids"], side["texts"], side["metadatas"], bm25)

    def _check_embedder(self) -> None:
        recorded = (self._collection.metadata or {}).get("embedder")
        if recorded and recorded != self.embedder_name and self.count() > 0:
            raise StoreError(
                f"The index at {self.path} was built with the embedder '{recorded}', not '{self.embedder_name}'. "
                "Re-ingest with --rebuild (gpu-assistant ingest PATH --rebuild) or use the same embedder."
            )
        if recorded != self.embedder_name:
            self._set_meta(embedder=self.embedder_name)

    def _check_schema(self) -> None:
        recorded = (self._collection.metadata or {}).get("schema")
        if recorded != SCHEMA and self.count() > 0:
            raise StoreError(
                f"The index at {self.path} was built by an older version of the assistant (no stored facts). "
                "Rebuild it: gpu-assistant ingest PATH --rebuild (or delete the folder and run again)."
            )
        if recorded != SCHEMA:
            self._set_meta(schema=SCHEMA)

    def with_facts(self, companies: tuple[str, ...], metrics: tuple[str, ...]) -> list[Hit]:
        """Every chunk holding a fact of one of ``metrics`` about one of ``companies`` (for conflicts, operands)."""
        if not companies or not metrics or self.count() == 0:
            return []
        where = {
            "$and": [
                _any_of([{f"co_{c}": True} for c in companies]),
                _any_of([{f"m_{m.split('.')[0]}": True} for m in metrics]),
            ]
        }
        got = self._collection.get(where=where, include=["documents", "metadatas"])
        return [
            Hit(cid, str(meta["doc_id"]), text, dict(meta))
            for cid, text, meta in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        ]

    def reset(self) -> None:
        """Delete every chunk and the keyword index (``--rebuild``)."""
        self._client.delete_collection(COLLECTION)
        shutil.rmtree(self.path / _BM25_DIR, ignore_errors=True)
        self._collection = self._client.get_or_create_collection(
            COLLECTION,
            metadata={
                "hnsw:space": "cosine",
                "embedder": self.embedder_name,
                "generation": uuid.uuid4().hex,
                "schema": SCHEMA,
            },
            embedding_function=None,
        )
        self._keyword = _KeywordIndex()

    def index_info(self) -> dict[str, Any]:
        """Corpus size and build facts for footers and reports."""
        docs = self.documents()
        return {"documents": len(docs), "chunks": self.count(), "embedder": self.embedder_name}


def _metadata(doc: Document, chunk: Chunk, n_chunks: int) -> dict[str, Any]:
    registry = default_registry()
    companies = [c for c in doc.companies if c in registry]
    for company in registry.mentions(f"{doc.title}\n{chunk.text}"):
        if company not in companies:
            companies.append(company)
    meta: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "chunk_index": chunk.index,
        "n_chunks": n_chunks,
        "path": doc.path,
        "content_hash": doc.content_hash,
        "title": doc.title,
        "publisher": doc.publisher,
        "published": doc.published,
        "published_ts": _date_int(doc.published),
        "url": doc.url,
        "language": doc.language,
        "reliability": doc.reliability,
        "source_id": doc.source_id,
        "kind": doc.kind,
        "page": chunk.page if chunk.page is not None else -1,
        "start": chunk.start,
        "end": chunk.end,
        "companies": ",".join(companies),
    }
    meta.update({f"co_{c}": True for c in companies})
    own = doc.companies[0] if len(doc.companies) == 1 else ""
    meta.update(annotate(chunk.text, registry, own))
    return meta
