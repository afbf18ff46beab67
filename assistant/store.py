"""The index: Chroma (dense vectors, the one module that knows Chroma) plus a persisted BM25 keyword index."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from langchain_core.embeddings import Embeddings

from assistant.config import DEFAULT_COLLECTION, parse_chroma_url
from assistant.entities import default_registry
from assistant.errors import ConfigError, StoreError
from assistant.facts import annotate
from assistant.tokenize import tokenize
from assistant.types import Chunk, Document, Hit

COLLECTION = DEFAULT_COLLECTION
# Bumped when the stored chunk metadata changes shape; an older index must be rebuilt.
SCHEMA = "2"
_BM25_DIR = "bm25"
# Server mode: how long keyword search trusts the collection's generation before asking the server again. Another
# process's ingest shows in this process's BM25 results at most this many seconds late.
KEYWORD_REFRESH_SECONDS = 2.0
# Query embeddings a store remembers (the most recently used).
QUERY_CACHE = 256
# From this many chunks on, a filtered dense search names the allowed ids instead of sending a ``where`` clause.
IDS_FILTER_FROM = 5000
# A BM25 snapshot of another generation (or a temp folder a crashed writer left) is deleted once it is this old;
# younger ones may still be read, or written, by another process sharing the folder.
_SNAPSHOT_GRACE_SECONDS = 120.0
_PAGE = 5000  # chunks fetched per Chroma ``get`` when reading the whole collection

_T = TypeVar("_T")


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
    columns: dict[tuple[str, ...], Any] = field(default_factory=dict)  # metadata columns as arrays, built on demand
    positions: dict[str, int] = field(default_factory=dict)  # chunk id -> row, built on demand

    def row(self, chunk_id: str) -> int | None:
        """The row of a chunk id in this index (``None`` when the index does not hold it)."""
        if not self.positions and self.ids:
            self.positions = {cid: i for i, cid in enumerate(self.ids)}
        return self.positions.get(chunk_id)

    def mask(self, filters: Filters) -> Any:
        """``filters.accepts`` of every chunk, as a boolean array from cached columns: a Python pass over every
        chunk's metadata per question cost ~15 ms at 10k chunks and ~150 ms at 100k."""
        import numpy as np

        mask = np.ones(len(self.ids), dtype=bool)
        if filters.companies:
            mask &= np.any([self._column(("co", c)) for c in filters.companies], axis=0)
        if filters.date_from:
            mask &= self._column(("ts",)) >= _date_int(filters.date_from)
        if filters.date_to:
            mask &= self._column(("ts",)) <= _date_int(filters.date_to)
        if filters.source_ids:
            mask &= np.any([self._column(("source", s)) for s in filters.source_ids], axis=0)
        return mask

    def _column(self, key: tuple[str, ...]) -> Any:
        """One metadata test over every chunk, computed once per index (the index is replaced when chunks change)."""
        import numpy as np

        column = self.columns.get(key)
        if column is None:
            kind, *arg = key
            if kind == "co":
                values: list[Any] = [bool(m.get(f"co_{arg[0]}")) for m in self.metadatas]
            elif kind == "ts":
                values = [int(m.get("published_ts", 0)) for m in self.metadatas]
            else:
                values = [m.get("source_id") == arg[0] for m in self.metadatas]
            column = self.columns[key] = np.array(values, dtype=np.int64 if kind == "ts" else bool)
        return column


class Store:
    """Chunks in Chroma (cosine space) and a BM25 index over jieba tokens, kept in step by a generation id.

    Chroma is embedded (``PersistentClient`` under ``path/chroma``) or, with ``url``, a Chroma server that several
    app processes or machines share (``HttpClient``). Every write first sets a new random *generation* in the
    collection's metadata (and, on a server, again after the write, so a reader that rebuilt in the middle of
    someone's write sees one more change). BM25 is not in Chroma: each process builds it from the collection's
    documents and persists it under ``path/bm25/<generation>/`` with the generation inside, so it is loaded instead
    of rebuilt while the collection has not changed, and rebuilt when it has (an interrupted ingest included).

    Several processes may share one ``path``: a snapshot is written to a temporary folder and renamed into place in
    one step (a reader never sees half a snapshot; when two processes build the same generation the first rename
    wins), and snapshots of other generations are deleted only after a grace period.

    On a server another process may write at any time, but a Chroma ``Collection`` keeps the metadata it was
    fetched with; so before keyword search the collection is fetched again, at most every
    :data:`KEYWORD_REFRESH_SECONDS`, to notice a new generation (an embedded store only changes through this
    object, which keeps today's behaviour: no refresh). Dense search always asks Chroma, so it is never stale.
    An unreachable server is a :class:`StoreError` naming the URL.

    Args:
        path: the store directory (embedded Chroma and the BM25 snapshots).
        embedder: embeds queries (documents are embedded by the ingest pipeline).
        embedder_name: recorded in the collection; another embedder is refused.
        client: a Chroma client to use instead of the embedded one or ``url``'s.
        reset: drop the collection first.
        url: ``http(s)://HOST:PORT`` of a Chroma server; empty for the embedded store.
        collection: the collection's name (several corpora can share one server).
    """

    def __init__(
        self,
        path: Path,
        embedder: Embeddings,
        embedder_name: str,
        client: Any = None,
        reset: bool = False,
        *,
        url: str = "",
        collection: str = COLLECTION,
    ) -> None:
        self.path = Path(path)
        self.embedder = embedder
        self.embedder_name = embedder_name
        self.collection_name = collection
        if client is None:
            client = connect(url) if url else _embedded_client(self.path)
        self._client = client
        self.url = url or _server_url(client)
        self._shared = bool(self.url)
        self._refreshed_at = time.monotonic()
        self._vectors: dict[str, list[float]] = {}
        self._counted: tuple[str, int] = ("", 0)
        self._keyword = _KeywordIndex()
        self._collection = self._call(self._open_collection, "new")
        if reset:
            self.reset()
        self._call(self._check_embedder)
        self._call(self._check_schema)

    @property
    def location(self) -> str:
        """Where the chunks live, for messages: the store directory or the server's collection."""
        if self._shared:
            return f"collection '{self.collection_name}' on the Chroma server {self.url}"
        return str(self.path)

    def _open_collection(self, generation: str) -> Any:
        """Get the collection, creating it (with ``generation``) if it does not exist yet."""
        return self._client.get_or_create_collection(
            self.collection_name,
            metadata={
                "hnsw:space": "cosine",
                "embedder": self.embedder_name,
                "generation": generation,
                "schema": SCHEMA,
            },
            embedding_function=None,
        )

    def _call(self, action: Callable[..., _T], *args: Any) -> _T:
        """Run one Chroma operation; on a server, turn connection failures into a :class:`StoreError`, and look
        the collection up again once when another process dropped it (``--rebuild``)."""
        if not self._shared:
            return action(*args)
        import httpx
        from chromadb.errors import NotFoundError

        try:
            try:
                return action(*args)
            except NotFoundError:
                self._refresh(force=True)
                return action(*args)
        except httpx.TransportError as exc:
            raise StoreError(_unreachable(self.url, exc)) from exc

    def _refresh(self, force: bool = False) -> None:
        """Server mode: fetch the collection again (its generation may be another process's), at most every
        :data:`KEYWORD_REFRESH_SECONDS` unless forced."""
        if not self._shared:
            return
        now = time.monotonic()
        if not force and now - self._refreshed_at < KEYWORD_REFRESH_SECONDS:
            return
        from chromadb.errors import NotFoundError

        try:
            self._collection = self._client.get_collection(self.collection_name, embedding_function=None)
        except NotFoundError:  # dropped by another process's --rebuild and not created again yet
            self._collection = self._open_collection(uuid.uuid4().hex)
        self._refreshed_at = now

    # -- writing ---------------------------------------------------------------------------------------------
    def put_document(self, doc: Document, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        """Replace every chunk of ``doc`` with ``chunks`` (one Chroma call for the new ones)."""
        self._call(self._put, doc, chunks, vectors)

    def _put(self, doc: Document, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        self._touch()
        self._collection.delete(where={"doc_id": doc.doc_id})
        if chunks:
            self._collection.add(
                ids=[c.chunk_id for c in chunks],
                embeddings=vectors,
                documents=[c.text for c in chunks],
                metadatas=[_metadata(doc, c, len(chunks)) for c in chunks],
            )
        self._touch_after()

    def delete_document(self, doc_id: str, touch: bool = True) -> None:
        """Remove every chunk of a document."""
        self._call(self._delete, doc_id, touch)

    def _delete(self, doc_id: str, touch: bool) -> None:
        if touch:
            self._touch()
        self._collection.delete(where={"doc_id": doc_id})
        if touch:
            self._touch_after()

    def _touch(self) -> None:
        """Mark the keyword index stale before the chunks change (an interrupted run is then detected)."""
        self._set_meta(generation=uuid.uuid4().hex)

    def _touch_after(self) -> None:
        """Server mode: a new generation after a write too, so a process that rebuilt its BM25 index between our
        first mark and the write notices the write (embedded, nobody else reads in between)."""
        if self._shared:
            self._touch()

    def _set_meta(self, **values: str) -> None:
        meta = dict(self._collection.metadata or {})
        meta.update(values)
        meta.pop("hnsw:space", None)
        self._collection.modify(metadata=meta)

    # -- reading ---------------------------------------------------------------------------------------------
    def documents(self) -> dict[str, DocRecord]:
        """Every stored document, with how many of its chunks are present."""
        got = self._call(self._get_all, ["metadatas"])
        records: dict[str, DocRecord] = {}
        for meta in got["metadatas"]:
            doc_id = str(meta["doc_id"])
            record = records.setdefault(
                doc_id,
                DocRecord(doc_id, str(meta["path"]), str(meta["content_hash"]), int(meta["n_chunks"])),
            )
            record.stored_chunks += 1
        return records

    def _get_all(self, include: list[str], where: dict[str, Any] | None = None) -> dict[str, list[Any]]:
        """Every matching chunk's id and ``include`` fields, a page at a time: one reply for the whole collection
        is slow over HTTP, and embedded Chroma fails on one ``get`` of more than ~32,000 chunks (SQLite's variable
        limit)."""
        got: dict[str, list[Any]] = {"ids": [], **{key: [] for key in include}}
        while True:
            page = self._collection.get(where=where, include=include, limit=_PAGE, offset=len(got["ids"]))
            got["ids"] += page["ids"]
            for key in include:
                got[key] += page[key] or []
            if len(page["ids"]) < _PAGE:
                return got

    def count(self) -> int:
        """Number of chunks stored."""
        return int(self._call(lambda: self._collection.count()))

    def _stored(self) -> int:
        """The chunk count, asked of Chroma once per generation (every write sets a new one)."""
        generation = self._generation()
        if self._counted[0] != generation or not generation:
            self._counted = (generation, self.count())
        return self._counted[1]

    def query_vector(self, query: str) -> list[float]:
        """The query's embedding, remembered for the last ``QUERY_CACHE`` queries: a comparison searches each
        company with the same words, and people ask the same question again (the embedder costs ~7-12 ms a call)."""
        vector = self._vectors.pop(query, None)
        if vector is None:
            vector = self.embedder.embed_query(query)
        self._vectors[query] = vector
        while len(self._vectors) > QUERY_CACHE:
            self._vectors.pop(next(iter(self._vectors)))
        return vector

    def clear_query_cache(self) -> None:
        """Forget remembered query embeddings (benchmarks measure uncached questions)."""
        self._vectors.clear()

    def dense(self, query: str, n: int, filters: Filters | None = None) -> list[Hit]:
        """Nearest chunks to the query embedding (cosine distance).

        Embedded, Chroma is asked for ids and distances only and the texts and metadata come from the in-memory
        keyword index of the same generation (fetching them cost ~3 ms of a ~5 ms query); on a server, where that
        index may be seconds behind, Chroma returns them. On a large store a filter is passed to Chroma as the ids
        it allows (from the index's metadata columns), which Chroma answers ~5x faster than the ``where`` clause at
        100k chunks; a small store keeps ``where``.
        """
        stored = self._stored()
        if stored == 0:
            return []
        vector = self.query_vector(query)
        index = None if self._shared else self._keyword_index()
        restrict: dict[str, Any] = {}
        if filters is not None and filters.where() is not None:
            if index is not None and len(index.ids) >= IDS_FILTER_FROM:
                allowed = [index.ids[i] for i in index.mask(filters).nonzero()[0]]
                if not allowed:
                    return []
                restrict = {"ids": allowed}
            else:
                restrict = {"where": filters.where()}
        include = ["distances"] if index is not None else ["documents", "metadatas", "distances"]
        result = self._call(
            lambda: self._collection.query(
                query_embeddings=[vector], n_results=min(n, stored), include=include, **restrict
            )
        )
        ids, distances = result["ids"][0], result["distances"][0]
        if index is None:
            texts, metas = result["documents"][0], result["metadatas"][0]
        else:
            texts, metas = self._hydrate(index, ids)
        return [
            Hit(cid, str(meta["doc_id"]), text, dict(meta), dense_rank=rank, distance=float(dist))
            for rank, (cid, text, meta, dist) in enumerate(zip(ids, texts, metas, distances, strict=True), start=1)
        ]

    def _hydrate(self, index: _KeywordIndex, ids: list[str]) -> tuple[list[str], list[dict[str, Any]]]:
        """Texts and metadata of ``ids`` from the index, or from Chroma for any it does not hold."""
        rows = [index.row(cid) for cid in ids]
        if any(r is None for r in rows):
            got = self._call(lambda: self._collection.get(ids=ids, include=["documents", "metadatas"]))
            found = dict(zip(got["ids"], zip(got["documents"], got["metadatas"], strict=True), strict=True))
            return [found[c][0] for c in ids], [found[c][1] for c in ids]
        return [index.texts[r] for r in rows], [index.metadatas[r] for r in rows]  # type: ignore[index]

    def keyword(self, query_tokens: list[str], n: int, filters: Filters | None = None) -> list[Hit]:
        """Best BM25 matches for the query tokens."""
        index = self._keyword_index()
        if not index.ids or not query_tokens:
            return []
        import numpy as np

        scores = index.bm25.get_scores(query_tokens)
        if filters is not None:
            scores = np.where(index.mask(filters), scores, 0.0)
        # The n best positive scores in the order of a stable argsort of all scores (ties by index), without sorting
        # all of them: partition finds the n-th best score, only scores at or above it are sorted.
        order = np.flatnonzero(scores > 0)
        if len(order) > n > 0:
            cut = np.partition(scores[order], len(order) - n)[len(order) - n]
            order = order[scores[order] >= cut]
        order = order[np.argsort(-scores[order], kind="stable")][:n]
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
    def _generation(self) -> str:
        return str((self._collection.metadata or {}).get("generation", ""))

    def _keyword_index(self) -> _KeywordIndex:
        self._call(self._refresh)
        generation = self._generation()
        if self._keyword.generation != generation:
            loaded = self._load_keyword(generation)
            self._keyword = loaded if loaded is not None else self.rebuild_keyword_index()
        return self._keyword

    def keyword_index_ready(self) -> None:
        """Make sure the keyword index matches the chunks (rebuilt and saved only when stale)."""
        self._keyword_index()

    @property
    def keyword_path(self) -> Path:
        """The folder of the BM25 snapshot for the collection's current generation (it may not exist yet)."""
        return self._snapshot_folder(self._generation())

    def rebuild_keyword_index(self) -> _KeywordIndex:
        """Rebuild BM25 from the chunks in Chroma and persist it beside the store."""
        import bm25s

        generation = self._generation()  # read before the chunks: a later write then shows as a new generation
        got = self._call(self._get_all, ["documents", "metadatas"])
        index = _KeywordIndex(generation, list(got["ids"]), list(got["documents"]), [dict(m) for m in got["metadatas"]])
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

    def _snapshot_folder(self, generation: str) -> Path:
        return self.path / _BM25_DIR / (re.sub(r"[^0-9A-Za-z_-]", "_", generation) or "_")

    def _save_keyword(self, index: _KeywordIndex) -> None:
        """Write the snapshot into a temporary folder, then rename it into place (atomic; another process that
        saved the same generation first wins), then delete old snapshots."""
        root = self.path / _BM25_DIR
        root.mkdir(parents=True, exist_ok=True)
        target = self._snapshot_folder(index.generation)
        temp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
        try:
            index.bm25.save(str(temp), show_progress=False)
            side = {
                "generation": index.generation,
                "ids": index.ids,
                "texts": index.texts,
                "metadatas": index.metadatas,
            }
            (temp / "chunks.json").write_text(json.dumps(side, ensure_ascii=False), encoding="utf-8")
            _move_into_place(temp, target)
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        _delete_old_snapshots(root, keep=target)

    def _load_keyword(self, generation: str) -> _KeywordIndex | None:
        """The persisted snapshot of ``generation``, or None (missing, another generation, or deleted while read)."""
        folder = self._snapshot_folder(generation)
        try:
            side = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
            if side.get("generation") != generation:
                return None
            import bm25s

            bm25 = bm25s.BM25.load(str(folder), show_progress=False)
        except (OSError, ValueError):
            return None
        return _KeywordIndex(generation, side["ids"], side["texts"], side["metadatas"], bm25)

    def _check_embedder(self) -> None:
        recorded = (self._collection.metadata or {}).get("embedder")
        if recorded and recorded != self.embedder_name and self.count() > 0:
            raise StoreError(
                f"The index at {self.location} was built with the embedder '{recorded}', not "
                f"'{self.embedder_name}'. Re-ingest with --rebuild (gpu-assistant ingest PATH --rebuild) or use the "
                "same embedder."
            )
        if recorded != self.embedder_name:
            self._set_meta(embedder=self.embedder_name)

    def _check_schema(self) -> None:
        recorded = (self._collection.metadata or {}).get("schema")
        if recorded != SCHEMA and self.count() > 0:
            raise StoreError(
                f"The index at {self.location} was built by an older version of the assistant (no stored facts). "
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
        got = self._call(self._get_all, ["documents", "metadatas"], where)
        return [
            Hit(cid, str(meta["doc_id"]), text, dict(meta))
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]

    def reset(self) -> None:
        """Delete every chunk and the keyword index (``--rebuild``; on a server, for every process sharing it)."""
        self._call(self._reset)

    def _reset(self) -> None:
        from chromadb.errors import NotFoundError

        with contextlib.suppress(NotFoundError):  # already dropped by another process
            self._client.delete_collection(self.collection_name)
        shutil.rmtree(self.path / _BM25_DIR, ignore_errors=True)
        self._collection = self._open_collection(uuid.uuid4().hex)
        self._keyword = _KeywordIndex()

    def index_info(self) -> dict[str, Any]:
        """Corpus size and build facts for footers and reports."""
        docs = self.documents()
        return {"documents": len(docs), "chunks": self.count(), "embedder": self.embedder_name}


def connect(url: str) -> Any:
    """A Chroma ``HttpClient`` for ``http(s)://HOST:PORT``; an unreachable server is a :class:`StoreError`."""
    import chromadb
    import httpx
    from chromadb.config import Settings as ChromaSettings

    scheme, host, port = parse_chroma_url(url)
    try:
        return chromadb.HttpClient(
            host=host, port=port, ssl=scheme == "https", settings=ChromaSettings(anonymized_telemetry=False)
        )
    except (ValueError, httpx.TransportError) as exc:  # chromadb reports a refused connection as ValueError
        raise StoreError(_unreachable(url, exc)) from exc


def _unreachable(url: str, exc: BaseException) -> str:
    try:
        port = parse_chroma_url(url)[2]
    except ConfigError:
        port = 8000
    return (
        f"Cannot reach the Chroma server at {url} ({exc}). Start one with: chroma run --path DIR --port {port} "
        "(add --host 0.0.0.0 for other machines), or unset ASSISTANT_CHROMA_URL to use the embedded index."
    )


def _embedded_client(path: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))


def _server_url(client: Any) -> str:
    """The server's address for a client talking to a Chroma server (``HttpClient``), whose data other processes
    may change; empty for an embedded client."""
    try:
        settings = client.get_settings()
    except AttributeError:
        return ""
    if not settings.chroma_server_host:
        return ""
    scheme = "https" if settings.chroma_server_ssl_enabled else "http"
    return f"{scheme}://{settings.chroma_server_host}:{settings.chroma_server_http_port}"


def _move_into_place(temp: Path, target: Path) -> None:
    """Rename the finished snapshot ``temp`` to ``target``. A complete ``target`` means another process saved the
    same generation first (equally good, ours is dropped); an incomplete one was damaged and is replaced."""
    try:
        os.rename(temp, target)
        return
    except OSError:
        if (target / "chunks.json").exists():
            return
    shutil.rmtree(target, ignore_errors=True)
    try:
        os.rename(temp, target)
    except OSError:
        if not (target / "chunks.json").exists():
            raise


def _delete_old_snapshots(root: Path, keep: Path) -> None:
    """Delete BM25 snapshots other than ``keep`` (and leftover temp folders) older than the grace period, and the
    files of the old single-folder layout."""
    cutoff = time.time() - _SNAPSHOT_GRACE_SECONDS
    for entry in root.iterdir():
        try:
            if not entry.is_dir():
                entry.unlink()
            elif entry != keep and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue  # another process removed it first


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
