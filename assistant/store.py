"""The index: Chroma (dense vectors, the one module that knows Chroma) plus a persisted BM25 keyword index."""

from __future__ import annotations

import contextlib
import json
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from langchain_core.embeddings import Embeddings

from assistant import keywords
from assistant.config import DEFAULT_COLLECTION, parse_chroma_url
from assistant.errors import ConfigError, StoreError
from assistant.keywords import Filters, KeywordIndex, _any_of, _date_int
from assistant.types import Chunk, Document, Hit

COLLECTION = DEFAULT_COLLECTION
# Bumped when the stored chunk metadata changes shape; an older index must be rebuilt.
SCHEMA = "11"
# Server mode: how long keyword search trusts the collection's generation before asking the server again. Another
# process's ingest shows in this process's BM25 results at most this many seconds late.
KEYWORD_REFRESH_SECONDS = 2.0
# Query embeddings a store remembers (the most recently used).
QUERY_CACHE = 256
_PAGE = 5000  # chunks fetched per Chroma ``get`` when reading the whole collection

_T = TypeVar("_T")


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
        manifest: str = "",
    ) -> None:
        self.path = Path(path)
        self.manifest = manifest
        self.stale = ""  # why the stored chunks no longer match what this version would build ('' when they do)
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
        self._keyword = KeywordIndex()
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
        recorded = (self._collection.metadata or {}).get("embedder")
        if recorded and recorded != self.embedder_name:  # another process rebuilt it with another embedder
            raise StoreError(self._other_embedder(str(recorded)))

    # -- writing ---------------------------------------------------------------------------------------------
    def put_document(
        self, doc: Document, chunks: list[Chunk], vectors: list[list[float]], enrichments: list[dict[str, Any]]
    ) -> None:
        """Replace every chunk of ``doc`` with ``chunks`` (one Chroma call for the new ones); ``enrichments`` holds
        each chunk's companies and facts."""
        self._call(self._put, doc, chunks, vectors, enrichments)

    def _put(
        self, doc: Document, chunks: list[Chunk], vectors: list[list[float]], enrichments: list[dict[str, Any]]
    ) -> None:
        self._touch()
        self._collection.delete(where={"doc_id": doc.doc_id})
        if chunks:
            self._collection.add(
                ids=[c.chunk_id for c in chunks],
                embeddings=vectors,
                documents=[c.text for c in chunks],
                metadatas=[chunk_metadata(doc, c, len(chunks), e) for c, e in zip(chunks, enrichments, strict=True)],
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
        index may be seconds behind, Chroma returns them. Embedded, a filter is passed to Chroma as the ids it
        allows (from the index's metadata columns): Chroma answers that ~2x faster than the ``where`` clause on the
        shipped corpus and ~5x faster at 100k chunks.
        """
        self._call(self._refresh)  # server mode: notice another process's rebuild (at most every few seconds)
        stored = self._stored()
        if stored == 0:
            return []
        vector = self.query_vector(query)
        index = None if self._shared else self._keyword_index()
        restrict: dict[str, Any] = {}
        if filters is not None and filters.where() is not None:
            if index is not None:
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

    def _hydrate(self, index: KeywordIndex, ids: list[str]) -> tuple[list[str], list[dict[str, Any]]]:
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
        return [
            Hit(
                index.ids[i],
                str(index.metadatas[i]["doc_id"]),
                index.texts[i],
                dict(index.metadatas[i]),
                keyword_rank=r,
            )
            for r, i in enumerate(index.top(query_tokens, n, filters), start=1)
        ]

    def chunks_of(self, doc_id: str) -> list[Hit]:
        """Every chunk of one document, in order (read from the keyword index, which holds them all)."""
        index = self._keyword_index()
        rows = [i for i, meta in enumerate(index.metadatas) if meta["doc_id"] == doc_id]
        rows.sort(key=lambda i: int(index.metadatas[i].get("chunk_index", 0)))
        return [Hit(index.ids[i], doc_id, index.texts[i], dict(index.metadatas[i])) for i in rows]

    # -- keyword index -----------------------------------------------------------------------------------------
    def _generation(self) -> str:
        return str((self._collection.metadata or {}).get("generation", ""))

    def _keyword_index(self) -> KeywordIndex:
        self._call(self._refresh)
        generation = self._generation()
        if self._keyword.generation != generation:
            loaded = keywords.load(self.path / keywords.BM25_DIR, generation)
            self._keyword = loaded if loaded is not None else self.rebuild_keyword_index()
        return self._keyword

    def keyword_index_ready(self) -> None:
        """Make sure the keyword index matches the chunks (rebuilt and saved only when stale)."""
        self._keyword_index()

    @property
    def keyword_path(self) -> Path:
        """The folder of the BM25 snapshot for the collection's current generation (it may not exist yet)."""
        return keywords.snapshot_folder(self.path / keywords.BM25_DIR, self._generation())

    def rebuild_keyword_index(self) -> KeywordIndex:
        """Rebuild BM25 from the chunks in Chroma and persist it beside the store."""
        generation = self._generation()  # read before the chunks: a later write then shows as a new generation
        got = self._call(self._get_all, ["documents", "metadatas"])
        index = KeywordIndex.build(
            generation, list(got["ids"]), list(got["documents"]), [dict(m) for m in got["metadatas"]]
        )
        if index.ids:
            keywords.save(index, self.path / keywords.BM25_DIR)
        self._keyword = index
        return index

    def _check_embedder(self) -> None:
        recorded = (self._collection.metadata or {}).get("embedder")
        if recorded and recorded != self.embedder_name and self.count() > 0:
            raise StoreError(self._other_embedder(str(recorded)))
        if recorded != self.embedder_name:
            self._set_meta(embedder=self.embedder_name)

    def _other_embedder(self, recorded: str) -> str:
        return (
            f"The index at {self.location} was built with the embedder '{recorded}', not "
            f"'{self.embedder_name}'. Re-ingest with --rebuild (gpu-assistant ingest PATH --rebuild) or use the "
            "same embedder."
        )

    def _check_schema(self) -> None:
        """Note (in ``stale``) when the chunks were built by another schema or manifest; record ours otherwise."""
        meta = self._collection.metadata or {}
        recorded, built_by = meta.get("schema"), meta.get("manifest", "")
        if self.count() > 0 and recorded != SCHEMA:
            self.stale = f"schema {recorded or '1'} (this version writes schema {SCHEMA})"
        elif self.count() > 0 and self.manifest and built_by and built_by != self.manifest:
            self.stale = "another vocabulary, company registry, chunking or tokenizer"
        if not self.stale and (recorded != SCHEMA or (self.manifest and built_by != self.manifest)):
            self._set_meta(schema=SCHEMA, **({"manifest": self.manifest} if self.manifest else {}))

    def begin_ingest(self, roots: Sequence[Path]) -> None:
        """Record the paths being ingested until :meth:`end_ingest`: a process stopped part-way leaves the record,
        and the next open finishes the work (a half-built first index is never taken for a whole one)."""
        self._set_meta(ingesting=json.dumps([str(Path(p).resolve()) for p in roots], ensure_ascii=False))

    def end_ingest(self) -> None:
        self._set_meta(ingesting="")

    def interrupted(self) -> list[Path]:
        """The paths of an ingest that was stopped part-way ([] when none was)."""
        recorded = str((self._collection.metadata or {}).get("ingesting", "") or "")
        return [Path(p) for p in json.loads(recorded)] if recorded else []

    def stale_error(self) -> StoreError:
        """The error for a stale index that this process may not rebuild (a shared server collection)."""
        return StoreError(
            f"The index at {self.location} was built with {self.stale}; its facts and search tokens are stale. "
            "Rebuild it: gpu-assistant ingest PATH --rebuild (or delete the folder and run again)."
        )

    def mark_current(self) -> None:
        """Record that the chunks now match this version's schema and manifest."""
        self.stale = ""
        self._set_meta(schema=SCHEMA, **({"manifest": self.manifest} if self.manifest else {}))

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
        shutil.rmtree(self.path / keywords.BM25_DIR, ignore_errors=True)
        self._collection = self._open_collection(uuid.uuid4().hex)
        self._keyword = KeywordIndex()
        self.stale = ""
        if self.manifest:
            self._set_meta(manifest=self.manifest)

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


def chunk_metadata(doc: Document, chunk: Chunk, n_chunks: int, enrichment: dict[str, Any]) -> dict[str, Any]:
    """What the store keeps beside a chunk's text: its document's fields, its place, and ingest's enrichment
    (companies and facts, ``assistant.ingest.enrich``)."""
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
        "heading": _heading_before(doc.text, chunk.start),
        "author": doc.author,
        "title_kind": doc.title_kind,
    }
    return meta | enrichment


def _heading_before(text: str, start: int) -> str:
    """The Markdown heading in force where a chunk starts (its section, when the chunk does not open it)."""
    headings = [line.strip() for line in text[:start].splitlines() if line.lstrip().startswith("#")]
    return headings[-1] if headings else ""
