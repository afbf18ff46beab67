"""The keyword side of the index: BM25 over jieba tokens, held in memory with the chunks' texts and metadata, and
persisted as snapshots keyed by the collection's generation; and the retrieval filters both sides apply.

A snapshot lives in ``<store>/bm25/<generation>/``: it is written to a temporary folder and renamed into place in
one step, so processes sharing the folder never read half of one; snapshots of other generations are deleted after a
grace period (another process may still be reading them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.tokenize import tokenize

BM25_DIR = "bm25"
# A BM25 snapshot of another generation (or a temp folder a crashed writer left) is deleted once it is this old;
# younger ones may still be read, or written, by another process sharing the folder.
_SNAPSHOT_GRACE_SECONDS = 120.0


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
class KeywordIndex:
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

    @classmethod
    def build(cls, generation: str, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]]) -> KeywordIndex:
        """BM25 over each chunk's title and text (jieba tokens)."""
        index = cls(generation, ids, texts, metadatas)
        if ids:
            import bm25s

            # Tokens become ids as each chunk is cut: lists of token strings for 100k chunks held ~1.3 GB at once.
            vocab: dict[str, int] = {}
            corpus = [
                array("I", [vocab.setdefault(token, len(vocab)) for token in tokenize(f"{m.get('title', '')}\n{t}")])
                or array("I", [vocab.setdefault("∅", len(vocab))])
                for t, m in zip(texts, metadatas, strict=True)
            ]
            index.bm25 = bm25s.BM25()
            index.bm25.index((corpus, vocab), show_progress=False)
        return index

    def top(self, query_tokens: list[str], n: int, filters: Filters | None = None) -> list[int]:
        """Rows of the ``n`` best positive BM25 scores, best first (ties in row order)."""
        if not self.ids or not query_tokens:
            return []
        import numpy as np

        scores = self.bm25.get_scores(query_tokens)
        if filters is not None:
            scores = np.where(self.mask(filters), scores, 0.0)
        # The n best positive scores in the order of a stable argsort of all scores (ties by index), without sorting
        # all of them: partition finds the n-th best score, only scores at or above it are sorted.
        order = np.flatnonzero(scores > 0)
        if len(order) > n > 0:
            cut = np.partition(scores[order], len(order) - n)[len(order) - n]
            order = order[scores[order] >= cut]
        return [int(i) for i in order[np.argsort(-scores[order], kind="stable")][:n]]


def snapshot_folder(root: Path, generation: str) -> Path:
    """The folder of ``generation``'s snapshot under ``root`` (``<store>/bm25``)."""
    return root / (re.sub(r"[^0-9A-Za-z_-]", "_", generation) or "_")


def save(index: KeywordIndex, root: Path) -> None:
    """Write the snapshot into a temporary folder, then rename it into place (atomic; another process that saved
    the same generation first wins), then delete old snapshots."""
    root.mkdir(parents=True, exist_ok=True)
    target = snapshot_folder(root, index.generation)
    temp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
    try:
        index.bm25.save(str(temp), show_progress=False)
        side = {"generation": index.generation, "ids": index.ids, "texts": index.texts, "metadatas": index.metadatas}
        (temp / "chunks.json").write_text(json.dumps(side, ensure_ascii=False), encoding="utf-8")
        _move_into_place(temp, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    _delete_old_snapshots(root, keep=target)


def load(root: Path, generation: str) -> KeywordIndex | None:
    """The persisted snapshot of ``generation``, or None (missing, another generation, or deleted while read)."""
    folder = snapshot_folder(root, generation)
    try:
        side = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
        if side.get("generation") != generation:
            return None
        import bm25s

        bm25 = bm25s.BM25.load(str(folder), show_progress=False)
    except (OSError, ValueError):
        return None
    return KeywordIndex(generation, side["ids"], side["texts"], side["metadatas"], bm25)


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
