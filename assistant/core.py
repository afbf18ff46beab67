"""The Assistant: ingest, ask, stream. Every front end (CLI, UI, Slack, evals) goes through it."""

from __future__ import annotations

import itertools
import logging
import re
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.answer import strategies
from assistant.answer.gate import Gate, asks_why
from assistant.answer.query import Planner, Query
from assistant.config import Settings
from assistant.embeddings import embedder_name, make_embedder
from assistant.entities import Registry, default_registry
from assistant.ingest.enrich import Enricher
from assistant.ingest.pipeline import IngestReport, Progress, ingest
from assistant.manifest import build_manifest, fingerprint
from assistant.retrieval import search
from assistant.store import SCHEMA, Filters, Store
from assistant.text import has_cjk, normalise_for_match
from assistant.tokenize import STOPWORDS
from assistant.types import Answer, Hit
from assistant.verify import verify
from assistant.vocabulary import Vocabulary, shipped

PACKAGE_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
log = logging.getLogger(__name__)
ENGLISH_EXTRA = 2  # English-language chunks appended to a Chinese question's evidence
_REASON_WORDS = ("原因", "由于", "因为", "带动", "驱动", "推动", "目的", "为了", "because", "due", "driven")


class Assistant:
    """Cited answers about China's GPU sector from an embedded index.

    Args:
        settings: configuration; defaults to :meth:`Settings.from_env`.
        embedder: an embedder instance overriding ``settings.embedder`` (tests pass a fake).
        chroma_client: a Chroma client overriding the embedded on-disk one (or ``settings.chroma_url``'s).
        registry: the company registry (default: the shipped one).
        vocabulary: the domain vocabulary (default: the shipped one, ``assistant/data``).
        rebuild: drop the existing index first (needed to switch embedders).
        chat_model: a LangChain chat model overriding ``settings.llm`` (tests pass
            :class:`~assistant.testing.ScriptedChatModel`); with neither, answers are extractive.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embeddings | None = None,
        chroma_client: Any = None,
        registry: Registry | None = None,
        vocabulary: Vocabulary | None = None,
        rebuild: bool = False,
        chat_model: Any = None,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.embedder = embedder or make_embedder(self.settings.embedder)
        self.registry = registry or default_registry()
        self.vocabulary = vocabulary or shipped()
        self.planner = Planner(self.registry, self.vocabulary)
        self.enricher = Enricher(self.registry, self.vocabulary)
        built_by = build_manifest(
            SCHEMA, self.settings.chunk_chars, self.settings.chunk_overlap, self.registry, self.vocabulary
        )
        self.store = Store(
            self.settings.store,
            self.embedder,
            embedder_name(self.embedder),
            chroma_client,
            reset=rebuild,
            url=self.settings.chroma_url,
            collection=self.settings.chroma_collection,
            manifest=fingerprint(built_by),
        )
        if self.store.stale:
            self._reingest_stale()
        elif self.store.interrupted() and not self.settings.chroma_url:
            self._finish_interrupted()
        self._context = strategies.Context(
            self.store,
            self.planner,
            Gate(self.registry, self.vocabulary),
            lambda q, extra: self._search(q, None, extra),
        )
        if chat_model is None and self.settings.llm != "none":
            from assistant.llm.models import make_chat_model

            chat_model = make_chat_model(self.settings)
        self.chat_model = chat_model

    # -- ingestion -------------------------------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        prune: bool = False,
        rebuild: bool = False,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Index files and folders; unchanged files are skipped, changed ones replaced, broken ones reported."""
        if rebuild:
            self.store.reset()
        roots = [Path(p) for p in paths]
        local = not self.settings.chroma_url  # (a shared server's collection is ingested by several processes)
        if local:
            self.store.begin_ingest(roots)
        report = ingest(
            self.store,
            roots,
            self.enricher,
            max_bytes=int(self.settings.max_file_mb * 1_000_000),
            chunk_chars=self.settings.chunk_chars,
            chunk_overlap=self.settings.chunk_overlap,
            prune=prune,
            progress=progress,
        )
        if local:
            self.store.end_ingest()
        return report

    def _finish_interrupted(self) -> IngestReport:
        """An ingest stopped part-way (Ctrl-C during the first build) left some of its files out: ingest its paths
        again, which adds what is missing and skips what is already indexed."""
        roots = [p for p in self.store.interrupted() if p.exists()]
        log.warning("An ingest into %s was stopped part-way; finishing it (%d paths).", self.store.location, len(roots))
        return self.ingest(roots)

    def _reingest_stale(self) -> IngestReport | None:
        """Re-ingest every recorded document into a fresh index: the stored facts, company flags and search tokens
        were built by other rules (an older schema, vocabulary, registry or chunking). A shared server collection
        is left to its owner (rebuilding it here would pull it from under other processes)."""
        if self.settings.chroma_url:
            raise self.store.stale_error()
        recorded = {Path(record.path) for record in self.store.documents().values()}
        paths = sorted(recorded | set(self.store.interrupted()))  # and what a stopped ingest had yet to add
        log.warning(
            "The index at %s is stale (%s); re-ingesting %d files.", self.store.location, self.store.stale, len(paths)
        )
        self.store.reset()
        present = [p for p in paths if p.exists()]
        report = self.ingest(present) if present else None
        self.store.mark_current()
        return report

    def ensure_index(self, progress: Progress | None = None) -> IngestReport | None:
        """Build the index from the shipped corpus when the store is empty (and auto-ingest is on)."""
        if self.store.count() > 0 or not self.settings.auto_ingest:
            return None
        corpus = self.settings.corpus or PACKAGE_CORPUS
        if not corpus.is_dir():
            return None
        return self.ingest([corpus], progress=progress)

    # -- answering -------------------------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: Sequence[Any] | None = None,
        filters: Filters | None = None,
        on_draft: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer a question with citations, or refuse when the corpus does not answer it.

        In LLM mode ``on_draft`` gets the model's growing draft (unchecked) before the checked answer is returned.
        """
        answer: Answer | None = None
        for item in self.stream(question, history, filters):
            if isinstance(item, Answer):
                answer = item
            elif on_draft is not None and self.chat_model is not None:
                on_draft(item)
        assert answer is not None
        return answer

    def stream(
        self, question: str, history: Sequence[Any] | None = None, filters: Filters | None = None
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it is composed (growing strings), then the final :class:`Answer`."""
        started = time.perf_counter()
        timings: dict[str, float] = {}
        problem = self._check_question(question)
        if problem is not None:
            yield problem
            return
        query = self.planner.plan(question, history)
        timings["analyse_ms"] = _ms(started)
        mark = time.perf_counter()
        hits = self._search(query, filters)
        timings["retrieve_ms"] = _ms(mark)
        mark = time.perf_counter()
        answer = strategies.answer(query, hits, self._context)
        if self.chat_model is not None and not answer.refused:
            answer = yield from self._generate(question, query, hits, answer)
        else:
            answer.verification = verify(answer.text, answer.citations, answer.calculations, question)
            lines = answer.text.split("\n")
            for i in range(1, len(lines) + 1):
                yield "\n".join(lines[:i])
        timings["compose_ms"] = _ms(mark)
        timings["total_ms"] = _ms(started)
        answer.timings, answer.query = timings, self._dense_query(query)
        yield answer

    def _generate(self, question: str, query: Query, hits: list[Hit], base: Answer) -> Generator[str, None, Answer]:
        """LLM mode: stream the model's draft, return the checked answer (``base`` is the offline fallback)."""
        from assistant.llm import chain

        final = base
        for item in chain.answer(self.chat_model, self.settings, question, query, hits, self._context.gate, base):
            if isinstance(item, Answer):
                final = item
            else:
                yield item
        return final

    def retrieve(
        self, question: str, history: Sequence[Any] | None = None, filters: Filters | None = None
    ) -> list[Hit]:
        """The evidence chunks a question gets, best first (what :meth:`ask` answers from)."""
        query = self.planner.plan(question, history)
        return self._search(query, filters)

    def _search(self, query: Query, filters: Filters | None, extra: Sequence[str] = ()) -> list[Hit]:
        """Evidence for the question; a comparison gets each company's own evidence, interleaved."""
        queries = list(extra) or self._queries(query)
        restrict = Filters(query.companies) if extra else _combine(filters, query)
        s = self.settings
        if len(query.companies) < 2 or (filters is not None and filters.companies):
            hits = search(self.store, queries, s.top_k, s.candidates, restrict, s.retriever)
            return hits if extra else hits + self._english_sources(query, restrict, hits)
        per_company = []
        for company in query.companies:
            own = Filters((company,), restrict.date_from, restrict.date_to, restrict.source_ids) if restrict else None
            per_company.append(search(self.store, queries, s.top_k, s.candidates, own, s.retriever))
        merged = [hit for group in itertools.zip_longest(*per_company) for hit in group if hit is not None]
        unique = list({h.chunk_id: h for h in merged[::-1]}.values())
        unique = sorted(unique, key=lambda h: merged.index(h))
        unique = unique[: s.top_k * 2]
        for rank, hit in enumerate(unique, start=1):
            hit.rank = rank
        return unique + self._english_sources(query, restrict, unique)

    def _english_sources(self, query: Query, restrict: Filters | None, hits: list[Hit]) -> list[Hit]:
        """For a Chinese question, the best English-language chunks for its English rendering, appended after the
        main evidence (they would otherwise rarely rank: the question's words are Chinese)."""
        if query.language != "zh" or not (query.companies and query.metrics):
            return []
        english = [self.registry[c].name_en for c in query.companies]
        english += [w for m in query.metrics for w in self.vocabulary.metrics[m] if w.isascii()]  # listed, debut
        english += [f"{self._part_word(p.part, 'en')} {p.year}".strip() for p in query.periods]
        asked = sorted({t[1:] for part in self._context.gate.required_terms(query) for t in part if t[:1] == "@"})
        english += [w for a in asked for w in self.vocabulary.attributes[a] if w.isascii()]  # closing, closed at
        # Keywords only: the rendering is a bag of names and terms, which BM25 matches in English chunks as well as
        # the embedder does, and a second embedding would double the cost of a question.
        mode = "bm25" if self.settings.retriever == "hybrid" else self.settings.retriever
        words = [" ".join(w for w in english if w)]
        found = search(self.store, words, ENGLISH_EXTRA * 3, self.settings.candidates, restrict, mode)
        seen = {h.chunk_id for h in hits}
        added = [h for h in found if h.chunk_id not in seen and h.metadata.get("language") == "en"][:ENGLISH_EXTRA]
        for rank, hit in enumerate(added, start=len(hits) + 1):
            hit.rank = rank
        return added

    def _check_question(self, question: str) -> Answer | None:
        stripped = (question or "").strip()
        chinese = has_cjk(stripped)
        if not stripped:
            text = "请输入一个问题。" if chinese else "Please type a question (in Chinese or English)."
            return Answer(text, True, language="zh" if chinese else "en", input_problem=True)
        if len(stripped) > self.settings.max_question_chars:
            limit = self.settings.max_question_chars
            text = (
                f"问题太长（{len(stripped)}字，上限{limit}字），请缩短后再问。"
                if chinese
                else f"The question is too long ({len(stripped)} characters; the limit is {limit}). Please shorten it."
            )
            return Answer(text, True, language="zh" if chinese else "en", input_problem=True)
        return None

    def _dense_query(self, query: Query) -> str:
        if not query.inherited:
            return query.text
        names = " ".join([*(self.registry[c].name_zh for c in query.companies), *query.organisations])
        names += "".join(f" {p}" for p in query.inherited.get("products", ()))
        periods = " ".join(f"{p.year}{self._part_word(p.part, query.language)}" for p in query.periods)
        metrics = " ".join(self.vocabulary.label(m) for m in query.metrics)
        return f"{names} {periods} {metrics} {query.text}".strip()

    def _queries(self, query: Query) -> list[str]:
        """The question, plus for English questions its Chinese rendering (names, metric and period words).

        Each query is ranked on its own (dense and BM25), so an English question meets Chinese sources without
        English-language chunks drowning them.
        """
        queries = [self._dense_query(query)] if query.language != "en" else self._english_queries(query)
        if asks_why(query):  # a reason is written with its markers (由于, 带动, 目的是): look for them by name
            names = [self.registry[c].name_zh for c in query.companies] + list(query.organisations)
            measures = [
                w for m in query.metrics for w in [x for x in self.vocabulary.metrics[m] if not x.isascii()][:2]
            ]
            queries.append(" ".join([*names, *measures, *_REASON_WORDS]))
        return queries

    def _english_queries(self, query: Query) -> list[str]:
        chinese = [self.registry[c].name_zh for c in query.companies]
        chinese += [self.vocabulary.names[n][0] for n in self.vocabulary.names_in(normalise_for_match(query.text))]
        chinese += [z[0] for z in (self.vocabulary.chinese_terms(t) for t in query.key_terms) if z]  # first → 第一
        words = re.findall(r"[a-z][a-z-]+", normalise_for_match(query.text))  # the words key terms leave out
        phrases = [" ".join(words[i : i + n]) for n in (2, 1) for i in range(len(words) - n + 1)]
        chinese += [z[0] for z in (self.vocabulary.chinese_terms(p) for p in phrases if p not in STOPWORDS) if z]
        chinese += [w for m in query.metrics for w in [x for x in self.vocabulary.metrics[m] if not x.isascii()][:4]]
        chinese += [f"{p.year}年{self._part_word(p.part, 'zh')}" for p in query.periods]
        return [self._dense_query(query), " ".join(dict.fromkeys(chinese))]

    def _part_word(self, part: str, language: str) -> str:
        if not part:
            return ""
        return self.vocabulary.period_parts[part][0] if language == "zh" else part

    def index_info(self) -> dict[str, Any]:
        """Corpus size and embedder, for footers and reports."""
        return self.store.index_info()


def _combine(filters: Filters | None, query: Query) -> Filters | None:
    """User filters win; otherwise restrict retrieval to the asked companies."""
    if filters is not None and filters.companies:
        return filters
    if not query.companies:
        return filters
    base = filters or Filters()
    return Filters(query.companies, base.date_from, base.date_to, base.source_ids)


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0


def ask(question: str, history: Sequence[Any] | None = None) -> Answer:
    """One-liner: answer with the default settings (building the index from the corpus if needed)."""
    assistant = Assistant()
    assistant.ensure_index()
    return assistant.ask(question, history)
