"""Incremental ingestion: counted embeddings, replacement, pruning, duplicates, failures, interruption."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.embeddings import FakeEmbeddings
from assistant.ingest.chunking import chunk_document
from assistant.ingest.loaders import load
from tests.conftest import BIREN, make_assistant


def test_reingesting_unchanged_files_embeds_nothing(tmp_path: Path, docs: Path) -> None:
    embedder = FakeEmbeddings()
    a = make_assistant(tmp_path / "s", embedder)
    first = a.ingest([docs])
    assert len(first.added) == 3 and first.embeddings_computed == embedder.calls > 0
    calls = embedder.calls
    second = a.ingest([docs])
    assert second.embeddings_computed == 0 and embedder.calls == calls
    assert len(second.unchanged) == 3 and not second.added


def test_changed_file_replaces_its_chunks(tmp_path: Path, docs: Path) -> None:
    a = make_assistant(tmp_path / "s")
    a.ingest([docs])
    before = a.store.count()
    (docs / "metax.md").write_text(
        (docs / "metax.md").read_text(encoding="utf-8") + "\n沐曦股份2022年营收为42.64万元。\n", encoding="utf-8"
    )
    report = a.ingest([docs])
    assert len(report.replaced) == 1 and len(report.unchanged) == 2
    assert a.store.count() >= before
    texts = " ".join(h.text for h in a.store.keyword(["沐曦"], 20))
    assert "42.64万元" in texts
    assert len(a.store.documents()) == 3


def test_prune_removes_documents_whose_files_are_gone(tmp_path: Path, docs: Path) -> None:
    a = make_assistant(tmp_path / "s")
    a.ingest([docs])
    (docs / "cambricon.md").unlink()
    kept = a.ingest([docs])
    assert not kept.pruned and len(a.store.documents()) == 3
    pruned = a.ingest([docs], prune=True)
    assert len(pruned.pruned) == 1 and len(a.store.documents()) == 2


def test_same_content_under_two_paths_is_stored_once(tmp_path: Path, docs: Path) -> None:
    (docs / "copy-of-biren.md").write_text(BIREN, encoding="utf-8")
    a = make_assistant(tmp_path / "s")
    report = a.ingest([docs])
    assert len(report.duplicates) == 1 and len(a.store.documents()) == 3


def test_broken_files_fail_alone(tmp_path: Path, docs: Path) -> None:
    (docs / "empty.md").write_text("", encoding="utf-8")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (docs / "big.txt").write_text("壁仞。" * 400_000, encoding="utf-8")
    a = make_assistant(tmp_path / "s", max_file_mb=1)
    report = a.ingest([docs])
    assert sorted(Path(p).name for p, _ in report.failed) == ["big.txt", "binary.txt", "empty.md"]
    assert len(report.added) == 3 and not report.ok


class _FailingEmbeddings(FakeEmbeddings):
    """Raises after a number of embedding calls, like a run killed half way."""

    def __init__(self, fail_after: int) -> None:
        super().__init__()
        self.fail_after = fail_after

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.fail_after <= 0:
            raise KeyboardInterrupt
        self.fail_after -= 1
        return super().embed_documents(texts)


def test_interrupted_ingest_is_completed_without_duplicates(tmp_path: Path, docs: Path) -> None:
    store = tmp_path / "s"
    with pytest.raises(KeyboardInterrupt):
        make_assistant(store, _FailingEmbeddings(fail_after=1)).ingest([docs])
    a = make_assistant(store)  # opening the index finishes the stopped ingest (it adds the two files it lacked)
    report = a.ingest([docs])
    assert len(report.unchanged) == 3 and not report.added
    expected = sum(len(chunk_document(load(p, 10**7))) for p in docs.iterdir())
    assert a.store.count() == expected
    assert len(a.store.keyword(["壁仞科技"], 50)) == len({h.chunk_id for h in a.store.keyword(["壁仞科技"], 50)})


def test_chunk_ids_are_doc_id_plus_index_and_stable(tmp_path: Path, docs: Path) -> None:
    first, second = make_assistant(tmp_path / "a"), make_assistant(tmp_path / "b")
    first.ingest([docs])
    second.ingest([docs])
    tokens = ["壁仞科技", "沐曦股份", "cambricon"]
    ids_a = {h.chunk_id for h in first.store.keyword(tokens, 50)}
    ids_b = {h.chunk_id for h in second.store.keyword(tokens, 50)}
    assert ids_a == ids_b
    for record in first.store.documents().values():
        assert {f"{record.doc_id}-{i:04d}" for i in range(record.n_chunks)} <= ids_a


def test_an_index_built_by_other_rules_is_re_ingested(tmp_path: Path, docs: Path) -> None:
    """A store whose manifest (schema, vocabulary, registry, chunking) differs is rebuilt from its recorded files;
    a file that no longer exists is dropped rather than answered from stale chunks."""
    first = make_assistant(tmp_path / "store")
    assert first.ingest([docs]).ok
    before = {r.path for r in first.store.documents().values()}
    first.store._set_meta(manifest="built-by-an-older-vocabulary")
    (docs / "metax.md").unlink()

    again = make_assistant(tmp_path / "store")

    after = {r.path for r in again.store.documents().values()}
    assert after == {p for p in before if not p.endswith("metax.md")}
    assert again.store.stale == ""
    assert (again.store._collection.metadata or {})["manifest"] == again.store.manifest
    assert not again.ask("壁仞科技2024年营收是多少？").refused


def test_a_current_index_is_not_rebuilt(tmp_path: Path, docs: Path) -> None:
    """Opening an index built by this version keeps its chunks (no re-ingest on every start)."""
    first = make_assistant(tmp_path / "store")
    assert first.ingest([docs]).ok
    generation = (first.store._collection.metadata or {})["generation"]
    again = make_assistant(tmp_path / "store")
    assert again.store.stale == ""
    assert (again.store._collection.metadata or {})["generation"] == generation  # no reset, no re-ingest


def test_an_ingest_stopped_part_way_is_finished_when_the_index_is_next_opened(tmp_path: Path, docs: Path) -> None:
    """A process stopped while ingesting a folder (Ctrl-C in the first `make run`) leaves some of its files
    indexed: the next process to open the index sees the unfinished ingest and completes it, instead of answering
    from part of the corpus."""
    first = make_assistant(tmp_path / "store")
    one = sorted(docs.iterdir())[0]
    assert first.ingest([one]).ok
    first.store.begin_ingest([docs])  # a folder's ingest began … and the process was stopped
    del first
    reopened = make_assistant(tmp_path / "store")
    assert reopened.index_info()["documents"] == len(list(docs.iterdir()))
    assert reopened.store.interrupted() == []
