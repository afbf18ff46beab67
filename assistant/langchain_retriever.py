"""The assistant's hybrid search as a LangChain retriever (dense + BM25, RRF, optional filters), for chains built
on LangChain. Kept out of :mod:`assistant.retrieval` so answering never imports LangChain's runnables."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.retrieval import search
from assistant.store import Filters


class HybridRetriever(BaseRetriever):
    """A LangChain retriever over the assistant's store (dense + BM25, RRF, optional filters)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Any
    k: int = 8
    candidates: int = 40
    filters: Filters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        hits = search(self.store, [query], self.k, self.candidates, self.filters)
        return [
            LCDocument(
                page_content=hit.text,
                id=hit.chunk_id,
                metadata=hit.metadata | {"rank": hit.rank, "distance": hit.distance, "chunk_id": hit.chunk_id},
            )
            for hit in hits
        ]
