"""The scale run: its synthetic corpus and vectors, and a smoke run at tiny sizes through real subprocesses.

No timing thresholds: the figures depend on the machine and on whatever else runs on it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from assistant.bench.scale import (
    CHUNK_MAX,
    CHUNK_MIN,
    SyntheticCorpus,
    SyntheticEmbeddings,
    markdown,
    metadata,
    plot,
    questions,
    run_scale,
)
from assistant.entities import default_registry
from assistant.ingest.enrich import Enricher
from assistant.vocabulary import shipped


def _texts(n: int, seed: int = 7) -> list[str]:
    return [c.text for _, chunks in SyntheticCorpus(seed).documents(n) for c in chunks]


def test_corpus_is_deterministic_and_a_prefix_of_larger_sizes() -> None:
    small, large = _texts(120), _texts(300)
    assert len(small) == 120 and len(large) == 300
    assert small == large[:120] == _texts(120)
    assert _texts(120, seed=8) != small


def test_chunks_look_like_ours() -> None:
    docs = list(SyntheticCorpus(3).documents(400))
    texts = [c.text for _, chunks in docs for c in chunks]
    assert all(CHUNK_MIN <= len(t) <= CHUNK_MAX for t in texts)
    assert len({w for t in texts for w in t}) > 1000  # thousands of distinct characters, not a toy alphabet
    doc, chunks = docs[0]
    meta = metadata(doc, chunks[:1], Enricher(default_registry(), shipped()))[0]
    assert meta[f"co_{doc.companies[0]}"] is True and meta["published_ts"] > 2019_00_00
    assert meta["facts"] != "[]"  # the figures are read as facts by the real annotation
    assert [c.chunk_id for c in chunks] == [f"{doc.doc_id}-{i:04d}" for i in range(len(chunks))]


def test_vectors_are_unit_deterministic_and_topical() -> None:
    embedder = SyntheticEmbeddings()
    texts = ["壁仞科技2024年营收为3.37亿元。", "壁仞科技2023年营收为1.2亿元。", "寒武纪2024年毛利率为55.0%。"]
    vectors = embedder.matrix(texts)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.embed_query(texts[0]) == pytest.approx(embedder.embed_documents(texts[:1])[0])
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_questions_mostly_name_a_company() -> None:
    asked = questions(50)
    assert len(asked) == 50 and 35 <= sum(1 for q in asked if q.company) < 50


def test_smoke_run_at_tiny_sizes(tmp_path: Path) -> None:
    messages: list[str] = []
    rows = run_scale([200, 1000], tmp_path / "work", progress=messages.append, queries=30)
    assert [r.size for r in rows] == [200, 1000]
    assert [r.chunks for r in rows] == [200, 1000]
    assert len(messages) == 4
    for row in rows:
        assert row.documents > 0 and row.vocabulary > 500 and row.queries == 30
        assert row.build_s > 0 and row.chroma_s > 0 and row.bm25_s > 0 and row.annotate_s > 0
        for name in ("hybrid", "dense", "keyword"):
            p50, p95 = getattr(row, f"{name}_p50_ms"), getattr(row, f"{name}_p95_ms")
            assert 0 < p50 <= p95
        assert row.company_hit_rate >= 0.8  # the top hit names the company asked about
        assert row.rss_build_mb > 0 and row.rss_query_mb > 0 and row.disk_mb > 0
    assert rows[1].vocabulary > rows[0].vocabulary

    png = plot(rows, tmp_path / "scale.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    table = markdown(rows)
    assert "| 200 |" in table and "| 1,000 |" in table
    assert len([line for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]) == len(rows)


def test_markdown_says_which_target_is_missed(tmp_path: Path) -> None:
    row = dataclasses.replace(_row(), hybrid_p50_ms=75.0, rss_query_mb=3000.0)
    table = markdown([_row(), row])
    assert "| yes |" in table
    assert "no: p50 75 > 60 ms; RSS 3000 > 2048 MB" in table


def _row():  # type: ignore[no-untyped-def]
    from assistant.bench.scale import ScaleRow

    values = {f.name: 1.0 for f in dataclasses.fields(ScaleRow)}
    values |= {"size": 100, "documents": 10, "chunks": 100, "vocabulary": 900, "queries": 10}
    return ScaleRow(**values)
