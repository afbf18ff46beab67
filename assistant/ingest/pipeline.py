"""Incremental ingestion: only new or changed files are embedded; broken files fail alone."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from assistant.embeddings import CountingEmbeddings
from assistant.errors import IngestError
from assistant.ingest.chunking import chunk_document
from assistant.ingest.enrich import Enricher
from assistant.ingest.loaders import is_supported, load
from assistant.store import DocRecord, Store
from assistant.text import normalise

Progress = Callable[[str, int, int], None]


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks_added: int = 0
    embeddings_computed: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed

    def summary(self) -> str:
        """One line for the CLI."""
        rate = self.chunks_added / self.seconds if self.seconds else 0.0
        return (
            f"added {len(self.added)}, replaced {len(self.replaced)}, unchanged {len(self.unchanged)}, "
            f"duplicates {len(self.duplicates)}, pruned {len(self.pruned)}, failed {len(self.failed)}; "
            f"{self.chunks_added} chunks, {self.embeddings_computed} embeddings in {self.seconds:.1f}s "
            f"({rate:.1f} chunks/s)"
        )


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and every supported file under named folders (sorted, recursive)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and is_supported(p))
        else:
            yield path


def embedding_text(title: str, text: str) -> str:
    """What is embedded for a chunk: its document title for context, then the width-normalised text."""
    return normalise(f"{title}\n{text}")


def ingest(
    store: Store,
    paths: Iterable[Path],
    enricher: Enricher,
    *,
    max_bytes: int,
    chunk_chars: int,
    chunk_overlap: int,
    prune: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Bring the store in step with the files under ``paths``, each chunk enriched by ``enricher``."""
    import time

    started = time.perf_counter()
    report = IngestReport()
    counter = CountingEmbeddings(store.embedder)
    known = store.documents()
    by_hash = {r.content_hash: r for r in known.values() if r.complete}
    files = list(iter_files(paths))
    for number, path in enumerate(files, start=1):
        if progress:
            progress(str(path), number, len(files))
        try:
            doc = load(path, max_bytes)
        except IngestError as exc:
            report.failed.append((str(path), str(exc)))
            continue
        except OSError as exc:
            report.failed.append((str(path), f"cannot read file: {exc.strerror or exc}"))
            continue
        previous = known.get(doc.doc_id)
        twin = by_hash.get(doc.content_hash)
        if previous and previous.complete and previous.content_hash == doc.content_hash:
            report.unchanged.append(doc.path)
            continue
        if twin and twin.doc_id != doc.doc_id and Path(twin.path).exists():
            report.duplicates.append((doc.path, twin.path))
            continue
        chunks = chunk_document(doc, chunk_chars, chunk_overlap)
        vectors = counter.embed_documents([embedding_text(doc.title, c.text) for c in chunks])
        store.put_document(doc, chunks, vectors, [enricher.chunk_metadata(doc, c) for c in chunks])
        if twin and twin.doc_id != doc.doc_id:
            store.delete_document(twin.doc_id)  # the same content moved to a new path
        (report.replaced if previous else report.added).append(doc.path)
        report.chunks_added += len(chunks)
        by_hash[doc.content_hash] = known[doc.doc_id] = DocRecord(
            doc.doc_id, doc.path, doc.content_hash, len(chunks), len(chunks)
        )
    if prune:
        for record in store.documents().values():
            if not Path(record.path).exists():
                store.delete_document(record.doc_id)
                report.pruned.append(record.path)
    store.keyword_index_ready()
    report.embeddings_computed = counter.documents_embedded
    report.seconds = time.perf_counter() - started
    return report
