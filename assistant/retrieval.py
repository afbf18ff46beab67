"""Hybrid retrieval: dense (Chroma) and BM25 (jieba tokens) fused by reciprocal rank fusion, with filters."""

from __future__ import annotations

from assistant.store import Filters, Store
from assistant.text import normalise_for_match
from assistant.tokenize import tokenize
from assistant.types import Hit

RRF_K = 60


def fuse(rankings: list[list[Hit]], k: int = RRF_K) -> list[Hit]:
    """Reciprocal rank fusion: ``sum(1 / (k + rank))`` over the lists each chunk appears in."""
    merged: dict[str, Hit] = {}
    for ranking in rankings:
        for rank, hit in enumerate(ranking, start=1):
            current = merged.get(hit.chunk_id)
            if current is None:
                current = merged[hit.chunk_id] = hit
            else:
                current.dense_rank = current.dense_rank or hit.dense_rank
                current.keyword_rank = current.keyword_rank or hit.keyword_rank
                current.distance = current.distance if current.distance is not None else hit.distance
            current.fused_score += 1.0 / (k + rank)
    fused = sorted(merged.values(), key=lambda h: -h.fused_score)
    for rank, hit in enumerate(fused, start=1):
        hit.rank = rank
    return fused


def collapse_near_duplicates(hits: list[Hit], threshold: float = 0.9, limit: int | None = None) -> list[Hit]:
    """Drop chunks whose character bigrams mostly repeat a better-ranked chunk (republished copies).

    With ``limit``, stop once that many are kept: each hit is compared with every kept one, so collapsing all ~80
    fused candidates when only the top 8 are used cost ~40 ms a question; the kept ones are the same."""
    kept: list[tuple[Hit, set[str]]] = []
    for hit in hits:
        if limit is not None and len(kept) >= limit:
            break
        text = normalise_for_match(hit.text)
        grams = {text[i : i + 2] for i in range(len(text) - 1)}
        if any(_jaccard(grams, other) >= threshold for _, other in kept):
            continue
        kept.append((hit, grams))
    for rank, (hit, _) in enumerate(kept, start=1):
        hit.rank = rank
    return [hit for hit, _ in kept]


def _jaccard(a: set[str], b: set[str]) -> float:
    if not (a and b):
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)  # |a ∪ b| without building the union


def search(
    store: Store,
    queries: list[str],
    k: int,
    candidates: int,
    filters: Filters | None = None,
    mode: str = "hybrid",
) -> list[Hit]:
    """Top ``k`` chunks: a dense and a BM25 ranking per query (e.g. the question and its Chinese rendering),
    fused by RRF per query; across queries a chunk keeps its best score, so a chunk that one query ranks first is
    not outvoted by chunks every query ranks middling. ``mode`` ``dense`` or ``bm25`` keeps one side only."""
    best: dict[str, Hit] = {}
    for query in (q for q in queries if q):
        rankings: list[list[Hit]] = []
        if mode != "bm25":
            rankings.append(store.dense(query, candidates, filters))
        if mode != "dense":
            rankings.append(store.keyword(tokenize(query), candidates, filters))
        for hit in fuse(rankings):
            if hit.chunk_id not in best or hit.fused_score > best[hit.chunk_id].fused_score:
                best[hit.chunk_id] = hit
    ranked = sorted(best.values(), key=lambda h: -h.fused_score)
    return collapse_near_duplicates(ranked, limit=k)[:k]


def __getattr__(name: str) -> object:
    """``HybridRetriever`` (the LangChain retriever) is imported on first use: LangChain's runnables cost ~0.5 s of a
    cold ``gpu-assistant ask`` that never uses them."""
    if name == "HybridRetriever":
        from assistant.langchain_retriever import HybridRetriever

        return HybridRetriever
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
