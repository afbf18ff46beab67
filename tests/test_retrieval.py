"""Hybrid retrieval: RRF arithmetic, near-duplicate collapse, filters and aliases, the LangChain retriever."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, Filters
from assistant.entities import default_registry
from assistant.retrieval import RRF_K, HybridRetriever, collapse_near_duplicates, fuse
from assistant.types import Hit
from tests.conftest import BIREN, make_assistant


def _hit(cid: str, text: str = "x") -> Hit:
    return Hit(cid, "d", text, {"doc_id": "d"})


def test_rrf_sums_reciprocal_ranks() -> None:
    fused = fuse([[_hit("a"), _hit("b")], [_hit("b"), _hit("c")]])
    assert [h.chunk_id for h in fused] == ["b", "a", "c"]
    assert fused[0].fused_score == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))
    assert [h.rank for h in fused] == [1, 2, 3]


def test_near_duplicate_chunks_collapse_to_the_better_ranked() -> None:
    text = "摩尔线程发行价为114.28元，发行7,000万股，募资约80亿元。"
    hits = [_hit("a", text), _hit("b", text + "！"), _hit("c", "沐曦股份发行价为104.66元。")]
    assert [h.chunk_id for h in collapse_near_duplicates(hits)] == ["a", "c"]


@pytest.mark.parametrize("name", ["壁仞", "壁仞科技", "Biren", "biren technology", "06082.HK"])
def test_aliases_resolve_to_one_company(name: str) -> None:
    assert default_registry().resolve(name) == "biren"


def test_company_filter_keeps_only_that_company(assistant: Assistant) -> None:
    hits = assistant.store.dense("营收", 10, Filters(companies=("metax",)))
    assert hits and all("metax" in h.metadata["companies"] for h in hits)
    keyword = assistant.store.keyword(["营收"], 10, Filters(companies=("metax",)))
    assert keyword and all("metax" in h.metadata["companies"] for h in keyword)


def test_date_and_source_filters(assistant: Assistant) -> None:
    late = assistant.store.dense("营收", 10, Filters(date_from="2025-12-01"))
    assert {h.metadata["source_id"] for h in late} == {"t01", "t02"}
    early = assistant.store.keyword(["cambricon", "营收"], 10, Filters(date_to="2025-06-30"))
    assert {h.metadata["source_id"] for h in early} == {"t03"}
    only = assistant.store.dense("营收", 10, Filters(source_ids=("t02",)))
    assert {h.metadata["source_id"] for h in only} == {"t02"}


def test_langchain_retriever_returns_documents_with_metadata(assistant: Assistant) -> None:
    retriever = HybridRetriever(store=assistant.store, k=3)
    docs = retriever.invoke("沐曦股份在手订单")
    assert docs and docs[0].metadata["source_id"] == "t02"
    assert docs[0].metadata["rank"] == 1 and docs[0].id == docs[0].metadata["chunk_id"]


def test_filter_by_alias_through_ask(assistant: Assistant) -> None:
    answer = assistant.ask(
        "What was the 2024 revenue?", filters=Filters(companies=(default_registry().resolve("沐曦") or "",))
    )
    assert not answer.refused and all(c.source_id == "t02" for c in answer.citations)


def test_bm25_index_is_persisted_and_rebuilt_when_stale(assistant: Assistant) -> None:
    folder = assistant.store.keyword_path  # <store>/bm25/<generation>
    assert folder.parent == assistant.store.path / "bm25" and (folder / "chunks.json").exists()
    reopened = Assistant(assistant.settings, embedder=assistant.embedder)
    assert reopened.store.keyword(["沐曦股份"], 5)
    (folder / "chunks.json").unlink()
    again = Assistant(assistant.settings, embedder=assistant.embedder)
    assert again.store.keyword(["沐曦股份"], 5) and (folder / "chunks.json").exists()


@pytest.mark.parametrize(
    "filters",
    [Filters(("biren",)), Filters(date_from="2025-01-01"), Filters(source_ids=("t02",)), Filters(("nobody",))],
)
def test_filtered_dense_search_ranks_as_chromas_where_clause_does(assistant: Assistant, filters: Filters) -> None:
    store, question = assistant.store, "壁仞科技2024年营收是多少？"
    where = filters.where()
    assert where is not None
    expected = store._collection.query(
        query_embeddings=[store.query_vector(question)], n_results=10, where=where, include=["distances"]
    )["ids"][0]
    assert [h.chunk_id for h in store.dense(question, 10, filters)] == expected  # the store passes the allowed ids


def test_dense_hits_carry_the_stored_text_and_query_embeddings_are_remembered(assistant: Assistant) -> None:
    store = assistant.store
    store.clear_query_cache()
    calls = []
    embed = store.embedder.embed_query
    store.embedder.embed_query = lambda text: calls.append(text) or embed(text)  # type: ignore[method-assign]
    first = store.dense("壁仞科技2024年营收", 3)
    again = store.dense("壁仞科技2024年营收", 3)
    assert calls == ["壁仞科技2024年营收"] and [h.chunk_id for h in first] == [h.chunk_id for h in again]
    got = store._collection.get(ids=[first[0].chunk_id], include=["documents", "metadatas"])
    assert (first[0].text, first[0].metadata) == (got["documents"][0], got["metadatas"][0])


# Two Cambricon sources without a stated language: an English brief with the figure, a Chinese note without it.
_CAMBRICON_EN = """---
title: "Test: Cambricon's year"
publisher: Test Wire
published: 2025-04-18
companies: [cambricon]
---
# Cambricon's 2024 results

Cambricon's 2024 revenue was 11.74亿 yuan, up 65.56% from the year before, the company said in its annual report.
"""
_CAMBRICON_ZH = """---
title: "测试：寒武纪新品"
publisher: 测试日报
published: 2025-05-01
companies: [cambricon]
---
# 寒武纪发布新品

寒武纪2024年营收增长较快，公司发布了新一代思元芯片。
"""


def test_a_chinese_comparison_reaches_an_english_source_of_undetected_language(tmp_path: Path) -> None:
    """The English brief states no language; it is detected as English and appended to each company's evidence."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in (("biren.md", BIREN), ("cambricon-en.md", _CAMBRICON_EN), ("cambricon-zh.md", _CAMBRICON_ZH)):
        (docs / name).write_text(text, encoding="utf-8")
    a = make_assistant(tmp_path / "store", top_k=1)
    assert a.ingest([docs]).ok
    question = "壁仞科技和寒武纪2024年营收分别是多少？"
    english = [h for h in a.retrieve(question) if h.metadata["language"] == "en"]
    assert [h.metadata["source_id"] for h in english] == ["cambricon-en"]
    answer = a.ask(question)
    assert not answer.refused, answer.text
    assert "3.37亿元" in answer.text and "11.74亿" in answer.text
