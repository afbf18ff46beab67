"""The systems an eval compares: ours (any retriever) and the naive LangChain tutorial pipeline.

Every system answers a case and reports the ranking its answer came from, so retrieval and answers are scored alike.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from langchain_core.embeddings import Embeddings

from assistant.core import PACKAGE_CORPUS, Assistant
from assistant.embeddings import make_embedder
from assistant.evals.cases import Case
from assistant.ingest.loaders import load
from assistant.ingest.pipeline import iter_files
from assistant.types import Answer, Citation, Hit
from assistant.verify import verify

TUTORIAL_K = 4


class System(Protocol):
    """Something that answers eval cases."""

    name: str

    def answer(self, case: Case) -> tuple[Answer, list[Hit]]:
        """The answer to the case's last question and the ranked evidence behind it."""
        ...


class Ours:
    """The assistant as shipped (or with another retriever or embedder, for the baselines)."""

    def __init__(self, name: str, assistant: Assistant) -> None:
        self.name = name
        self.assistant = assistant

    def answer(self, case: Case) -> tuple[Answer, list[Hit]]:
        """Ask with the earlier turns as history."""
        ranking = self.assistant.retrieve(case.question, case.history)
        return self.assistant.ask(case.question, case.history), ranking


def variant(base: Assistant, name: str, **changes: object) -> Ours:
    """The assistant over the same index with other settings (e.g. ``retriever="bm25"``)."""
    return Ours(name, Assistant(replace(base.settings, **changes), embedder=base.embedder))  # type: ignore[arg-type]


def minilm(base: Assistant, store: Path, model_path: str) -> Ours:
    """Dense retrieval with the English MiniLM model a tutorial would pick, over its own index of the corpus."""
    embedder = f"sentence-transformers:{model_path}"
    settings = replace(base.settings, store=store, embedder=embedder, retriever="dense")
    assistant = Assistant(settings)
    assistant.ensure_index()
    return Ours("dense-minilm", assistant)


class Tutorial:
    """The LangChain tutorial pipeline: raw files, RecursiveCharacterTextSplitter(1000, 200), Chroma
    ``similarity_search(k=4)`` (MiniLM in the eval, any embedder in the benchmark), the top chunk as the answer."""

    name = "langchain-tutorial"

    def __init__(self, corpus: Path | None, embedder: Embeddings | str, persist: Path | None = None) -> None:
        """Split and embed ``corpus``; ``embedder`` is an Embeddings or a sentence-transformers model path.

        ``persist`` keeps the collection on disk (the benchmark reopens it in a fresh process); in memory otherwise.
        """
        if isinstance(embedder, str):
            embedder = make_embedder(f"sentence-transformers:{embedder}")
        self.db = open_tutorial_db(embedder, persist)
        docs = tutorial_documents(corpus)
        self.db.add_documents(docs)
        self.chunks = len(docs)

    def search(self, question: str, k: int = TUTORIAL_K) -> list[Hit]:
        """``similarity_search`` as the tutorial calls it, as ranked hits."""
        found = self.db.similarity_search(question, k=k)
        return [
            Hit(f"t{i}", str(d.metadata["source"]), d.page_content, dict(d.metadata), rank=i + 1)
            for i, d in enumerate(found)
        ]

    def respond(self, question: str, language: str = "zh") -> tuple[Answer, list[Hit]]:
        """The top chunk, cited by [1]; the tutorial never refuses and ignores history."""
        hits = self.search(question)
        if not hits:
            return Answer("", True), []
        top = hits[0]
        meta = top.metadata
        citation = Citation(
            1,
            top.doc_id,
            top.chunk_id,
            str(meta.get("title", "")),
            str(meta.get("publisher", "")),
            str(meta.get("url", "")),
            str(meta.get("published", "")),
            None,
            top.text,
            source_id=str(meta.get("source_id", "")),
        )
        one_line = " ".join(top.text.split())  # the whole chunk is the answer, all of it cited by [1]
        return Answer(f"{one_line} [1]", False, [citation], language=language), hits

    def answer(self, case: Case) -> tuple[Answer, list[Hit]]:
        """The tutorial's answer, with our grounding check recorded for scoring."""
        answer, hits = self.respond(case.question, case.language)
        if not answer.refused:
            answer.verification = verify(answer.text, answer.citations)
        return answer, hits


def tutorial_documents(corpus: Path | None) -> list[Any]:
    """The corpus files as the tutorial splits them (raw text, 1000/200), with our source metadata."""
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    docs = []
    for path in iter_files([corpus or PACKAGE_CORPUS]):
        meta = load(path, 20_000_000)
        raw = Document(page_content=path.read_text(encoding="utf-8"), metadata={"source": str(path)})
        for chunk in splitter.split_documents([raw]):
            chunk.metadata |= {"source_id": meta.source_id, "title": meta.title, "publisher": meta.publisher}
            chunk.metadata |= {"published": meta.published, "url": meta.url}
            docs.append(chunk)
    return docs


def open_tutorial_db(embedder: Embeddings, persist: Path | None = None) -> Any:
    """The tutorial's ``langchain_chroma.Chroma`` store, in memory or persisted at ``persist``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    settings = ChromaSettings(anonymized_telemetry=False)
    if persist is None:
        client = chromadb.EphemeralClient(settings=settings)
    else:
        client = chromadb.PersistentClient(path=str(persist), settings=settings)
    return Chroma(collection_name="tutorial", embedding_function=embedder, client=client)
