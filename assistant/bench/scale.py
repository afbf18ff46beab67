"""The scale run (``gpu-assistant bench --scale 10000,100000``): the real store and search at 10^3 to 10^5 chunks.

Each size gets two fresh subprocesses (``python -m assistant.bench.scale --size N --work DIR --phase build|query``,
one JSON line each), so peak RSS and caches never leak from one size, or from building into serving, to the next:

* **build** generates N synthetic chunks, writes them the way ingestion does and rebuilds the BM25 index, timing
  generation, metadata (fact annotation), the Chroma adds and BM25 separately;
* **query** opens the store as a restarted assistant would and times ~100 warm questions through the real
  :func:`assistant.retrieval.search` (hybrid: dense + BM25 + RRF, with the company filter the assistant derives from
  a question naming a company), then the same questions dense-only and BM25-only.

Synthetic chunks are realistic Chinese text, deterministic from a seed: 150-360 characters mixing the seven listed
GPU companies, metric words (营收, 净亏损, 研发投入, 毛利率, 募资, 市值), years, periods and figures (``3.37亿元``)
with filler words drawn Zipf-like from jieba's dictionary, so BM25 sees a vocabulary of thousands of tokens
that grows with the corpus as real text does. Documents of 4-16 chunks carry the metadata of real ones.

Write path: metadata comes from the store's own ``_metadata`` (the real fact annotation, timed as ``annotate_s``)
and the chunks go straight to the collection in batches of ``client.get_max_batch_size()`` after one ``_touch``
(the generation bump): the ``add`` of :meth:`Store.put_document`, batched. Calling ``put_document`` per document
was measured at ~200 ms a document (97 s for 5,000 chunks in 496 documents), nearly all of it Chroma's fixed cost
per ``add`` of 5-16 chunks (an ``add`` of 5,461 takes ~1 s); at 100k chunks that would be over half an hour of
per-call overhead instead of a measure of the index. Its per-document ``modify`` + ``delete(where=doc_id)`` serve
re-ingesting a changed document, which a build of new documents does not do.

Vectors: :class:`SyntheticEmbeddings`, 384-dimensional (as e5-small), L2-normalised, a pure function of the text:
fixed random directions for each company, metric word and year found in the text plus text-seeded noise, so chunks
and questions sharing a company or metric are closer and nearest-neighbour queries are not degenerate.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.bench.measure import p95, peak_rss_mb
from assistant.config import Settings
from assistant.entities import default_registry
from assistant.ingest.enrich import Enricher
from assistant.tokenize import DOMAIN_WORDS, STOPWORDS
from assistant.types import Chunk, Document
from assistant.vocabulary import shipped

SEED = 20251222
DIM = 384
COMPANIES = ("biren", "moore-threads", "metax", "cambricon", "hygon", "iluvatar", "enflame")
METRIC_WORDS = ("营收", "净亏损", "研发投入", "毛利率", "募资", "市值")
PERIODS = ("年", "年上半年", "年前三季度", "年一季度", "年下半年")
YEARS = tuple(range(2019, 2026))
PUBLISHERS = (
    "财联社",
    "证券时报",
    "第一财经",
    "界面新闻",
    "21世纪经济报道",
    "上海证券报",
    "新浪财经",
    "36氪",
    "源媒汇",
    "每日经济新闻",
    "招股书",
    "公司公告",
)
KINDS = ("brief", "news", "filing", "analysis")
RELIABILITY = ("news", "filing", "analysis")
CHUNK_MIN, CHUNK_MAX = 150, 360
EMBEDDER_NAME = "synthetic-384"
TARGET_P50_MS = 60.0
TARGET_RSS_MB = 2048.0
Progress = Callable[[str], None]


# -- synthetic text ------------------------------------------------------------------------------------------------
@cache
def filler_vocabulary(size: int = 10000) -> tuple[str, ...]:
    """The ``size`` most frequent 2-4 character Chinese words of jieba's dictionary, minus stopwords and anything
    naming a company or metric (so filler never adds a mention the generator did not decide on)."""
    import jieba

    registry = default_registry()
    reserved = (*METRIC_WORDS, *DOMAIN_WORDS)
    rows: list[tuple[int, str]] = []
    for line in (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf-8").splitlines():
        word, freq = line.split(" ")[:2]
        if not 2 <= len(word) <= 4 or word in STOPWORDS or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        rows.append((-int(freq), word))
    rows.sort()
    words = [w for _, w in rows if not any(r in w for r in reserved)]
    return tuple(w for w in words[: size * 2] if not registry.mentions(w))[:size]


class SyntheticCorpus:
    """Documents and chunks drawn from one seeded generator: the first N chunks are the same for every larger N."""

    def __init__(self, seed: int = SEED, vocabulary: int = 10000) -> None:
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        registry = default_registry()
        self.names = {c: registry[c].name_zh for c in COMPANIES}
        self.vocab = filler_vocabulary(vocabulary)
        # Zipf with exponent 1.25: at the real corpus's size (274 chunks) this gives ~3,400 BM25 tokens (real: 2,874).
        weights = 1.0 / np.arange(1, len(self.vocab) + 1) ** 1.25
        self._cdf = np.cumsum(weights) / weights.sum()

    def documents(self, n_chunks: int) -> Iterator[tuple[Document, list[Chunk]]]:
        """Documents until exactly ``n_chunks`` chunks were yielded (the last one may be cut short)."""
        made, number = 0, 0
        while made < n_chunks:
            count = min(int(self.rng.integers(4, 17)), n_chunks - made)
            yield self._document(number, count)
            made, number = made + count, number + 1

    def _document(self, number: int, count: int) -> tuple[Document, list[Chunk]]:
        rng = self.rng
        doc_id = hashlib.blake2b(f"{self.seed}:{number}".encode(), digest_size=8).hexdigest()
        company = COMPANIES[int(rng.integers(len(COMPANIES)))]
        year = int(rng.choice(YEARS))
        texts = [self._chunk_text(company, year) for _ in range(count)]
        chunks, offset = [], 0
        for index, text in enumerate(texts):
            chunks.append(Chunk(f"{doc_id}-{index:04d}", doc_id, index, text, offset, offset + len(text)))
            offset += len(text) + 1
        title = f"{self.names[company]}{year}年{''.join(self._words(2))}{rng.choice(('分析', '报道', '点评', '解读'))}"
        doc = Document(
            doc_id=doc_id,
            path=f"synthetic/{doc_id}.md",
            text="",  # not stored: the store keeps chunks only
            content_hash=hashlib.sha256("\n".join(texts).encode()).hexdigest(),
            title=title,
            publisher=str(rng.choice(PUBLISHERS)),
            published=f"{year}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}",
            url=f"https://example.test/{doc_id}",
            language="zh",
            companies=(company,),
            reliability=str(rng.choice(RELIABILITY)),
            source_id=f"src{int(rng.integers(20)):02d}",
            kind=str(rng.choice(KINDS)),
        )
        return doc, chunks

    def _chunk_text(self, company: str, year: int) -> str:
        """150-360 characters of whole sentences: at least one figure about the document's company, filler between."""
        rng = self.rng
        target = int(rng.integers(CHUNK_MIN, CHUNK_MAX + 1))
        sentences = [self._fact(company, year)]
        length = len(sentences[0])
        while length < target:
            room = CHUNK_MAX - length
            if room >= 48 and rng.random() < 0.3:
                other = company if rng.random() < 0.7 else COMPANIES[int(rng.integers(len(COMPANIES)))]
                sentence = self._fact(other, year + int(rng.integers(-2, 1)))
            else:
                sentence = self._filler(min(room, int(rng.integers(16, 64))))
            sentences.insert(int(rng.integers(len(sentences) + 1)), sentence)
            length += len(sentence)
        return "".join(sentences)[:CHUNK_MAX]

    def _fact(self, company: str, year: int) -> str:
        """One sentence stating a figure, in one of the ways the sector's press writes them (at most 47 chars)."""
        rng = self.rng
        name, metric = self.names[company], str(rng.choice(METRIC_WORDS))
        period = f"{year}{rng.choice(PERIODS)}"
        if metric == "毛利率":
            figure = f"{rng.uniform(5, 75):.1f}%"
        elif rng.random() < 0.1:
            figure = f"{rng.uniform(100, 9999):.0f}万元"
        else:
            figure = f"{min(rng.lognormal(2.0, 1.0), 9999):.2f}亿元"
        pattern = int(rng.integers(3))
        if pattern == 0:
            return f"据{rng.choice(PUBLISHERS)}，{name}{period}{metric}为{figure}。"
        if pattern == 1:
            change = f"增长{rng.uniform(1, 300):.1f}%" if rng.random() < 0.6 else f"下降{rng.uniform(1, 95):.1f}%"
            return f"{name}{period}{metric}{figure}，同比{change}。"
        return f"{rng.choice(PUBLISHERS)}指出，{name}的{metric}在{period}达到{figure}。"

    def _filler(self, chars: int) -> str:
        """Zipf-drawn dictionary words, with commas, ending in a full stop: about ``chars`` characters."""
        words = self._words(max(2, chars // 3))
        out, length = [], 0
        for i, word in enumerate(words):
            if length + len(word) >= chars - 1:
                break
            out.append(word)
            length += len(word)
            if i and i % 5 == 4 and length < chars - 3:
                out.append("，")
                length += 1
        return "".join(out or words[:1]).rstrip("，") + "。"

    def _words(self, count: int) -> list[str]:
        picks = np.searchsorted(self._cdf, self.rng.random(count))
        return [self.vocab[min(int(i), len(self.vocab) - 1)] for i in picks]


# -- synthetic vectors -------------------------------------------------------------------------------------------
class SyntheticEmbeddings(Embeddings):
    """Fast deterministic 384-d unit vectors: topic directions of the companies, metrics and years a text names,
    plus noise seeded by the text. A LangChain ``Embeddings``, so :meth:`Store.dense` embeds questions with it."""

    name = EMBEDDER_NAME

    def __init__(self, dim: int = DIM, seed: int = SEED) -> None:
        self.dim = dim
        rng = np.random.default_rng(seed)
        registry = default_registry()
        weighted = [(registry[c].name_zh, 1.0) for c in COMPANIES]
        weighted += [(m, 0.6) for m in METRIC_WORDS] + [(str(y), 0.3) for y in YEARS]
        self._topics = [(word, weight * _unit(rng.standard_normal(dim))) for word, weight in weighted]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One vector per text."""
        return self.matrix(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """The same function as for documents (no query/passage asymmetry)."""
        return self.matrix([text])[0].tolist()

    def matrix(self, texts: list[str]) -> np.ndarray:
        """The vectors as a float32 array (what the build passes to Chroma, without a list of floats per value)."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
            vec = np.random.default_rng(int.from_bytes(digest, "little")).standard_normal(self.dim) * 0.05
            for word, direction in self._topics:
                hits = text.count(word)
                if hits:
                    vec += np.log1p(hits) * direction
            out[row] = _unit(vec)
        return out


def _unit(vec: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm else vec


def metadata(doc: Document, chunks: list[Chunk], enricher: Enricher) -> list[dict[str, Any]]:
    """What ingest stores beside each chunk (``Store.put_document``'s metadata, with the real enrichment)."""
    from assistant.store import chunk_metadata

    return [chunk_metadata(doc, c, len(chunks), enricher.chunk_metadata(doc, c)) for c in chunks]


# -- the two phases (run in a subprocess each) ---------------------------------------------------------------------
def build(size: int, folder: Path, seed: int = SEED) -> dict[str, Any]:
    """Write ``size`` synthetic chunks to a new store in ``folder`` and build BM25; the timings and footprint."""
    from assistant.store import Store

    enricher = Enricher(default_registry(), shipped())

    shutil.rmtree(folder, ignore_errors=True)
    embedder = SyntheticEmbeddings(seed=seed)
    store = Store(folder, embedder, embedder.name)
    batch = _Batch(store, store._client.get_max_batch_size())
    timers = {"generate_s": 0.0, "annotate_s": 0.0}
    store._touch()  # what put_document does first: the keyword index is stale from here on
    documents = 0
    for doc, chunks in _timed(SyntheticCorpus(seed).documents(size), timers, "generate_s"):
        started = time.perf_counter()
        vectors = embedder.matrix([c.text for c in chunks])
        mark = time.perf_counter()
        metadatas = metadata(doc, chunks, enricher)
        timers["annotate_s"] += time.perf_counter() - mark
        timers["generate_s"] += mark - started
        batch.add(chunks, vectors, metadatas)
        documents += 1
    batch.flush()
    started = time.perf_counter()
    index = store.rebuild_keyword_index()
    bm25_s = time.perf_counter() - started
    build_s = timers["annotate_s"] + batch.seconds + bm25_s
    return {
        "size": size,
        "documents": documents,
        "chunks": store.count(),
        "vocabulary": len(index.bm25.vocab_dict) if index.bm25 is not None else 0,
        "generate_s": timers["generate_s"],
        "annotate_s": timers["annotate_s"],
        "chroma_s": batch.seconds,
        "bm25_s": bm25_s,
        "build_s": build_s,
        "rss_build_mb": peak_rss_mb(),
        "disk_mb": disk_mb(folder),
        "load_build": os.getloadavg()[0],
    }


class _Batch:
    """Chunks waiting for one ``collection.add`` (flushed at Chroma's maximum batch size), with the time spent."""

    def __init__(self, store: Any, limit: int) -> None:
        self.store, self.limit, self.seconds = store, limit, 0.0
        self.ids: list[str] = []
        self.texts: list[str] = []
        self.metadatas: list[dict[str, Any]] = []
        self.vectors: list[np.ndarray] = []

    def add(self, chunks: list[Chunk], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        """Queue one document's chunks; flush when a full batch is waiting."""
        self.ids += [c.chunk_id for c in chunks]
        self.texts += [c.text for c in chunks]
        self.metadatas += metadatas
        self.vectors.append(vectors)
        if len(self.ids) >= self.limit:
            self.flush()

    def flush(self) -> None:
        """Send up to ``limit`` queued chunks per call (the same ``add`` as ``Store.put_document``)."""
        vectors = np.vstack(self.vectors) if self.vectors else np.empty((0, DIM), dtype=np.float32)
        started = time.perf_counter()
        for i in range(0, len(self.ids), self.limit):
            self.store._collection.add(
                ids=self.ids[i : i + self.limit],
                embeddings=vectors[i : i + self.limit],
                documents=self.texts[i : i + self.limit],
                metadatas=self.metadatas[i : i + self.limit],
            )
        self.seconds += time.perf_counter() - started
        self.ids, self.texts, self.metadatas, self.vectors = [], [], [], []


def _timed(items: Iterator[Any], timers: dict[str, float], key: str) -> Iterator[Any]:
    """Yield from ``items``, adding the time spent producing each item to ``timers[key]``."""
    while True:
        started = time.perf_counter()
        item = next(items, None)
        timers[key] += time.perf_counter() - started
        if item is None:
            return
        yield item


@dataclass(frozen=True)
class Question:
    """A benchmark question and the company filter the assistant would derive from it ("" for none)."""

    text: str
    company: str = ""
    metric: str = ""


def questions(count: int, seed: int = SEED) -> list[Question]:
    """``count`` questions like users ask: four in five name a company (and get its filter), one in five none."""
    rng = np.random.default_rng(seed + 1)
    registry = default_registry()
    out = []
    for i in range(count):
        metric, year = str(rng.choice(METRIC_WORDS)), int(rng.choice(YEARS))
        if i % 5 == 4:
            out.append(Question(f"国产GPU公司{year}年的{metric}对比", "", metric))
            continue
        company = COMPANIES[int(rng.integers(len(COMPANIES)))]
        name = registry[company].name_zh
        template = ("{n}{y}年{m}是多少？", "{n}{y}年上半年的{m}有多少？", "{n}最新的{m}", "{n}的{m}变化")[i % 4]
        out.append(Question(template.format(n=name, y=year, m=metric), company, metric))
    return out


def query(folder: Path, count: int = 100, seed: int = SEED, profile: Path | None = None) -> dict[str, Any]:
    """Open the store like a restarted assistant and time warm questions: hybrid, dense-only and BM25-only."""
    from assistant.store import Filters, Store

    settings = Settings()
    started = time.perf_counter()
    embedder = SyntheticEmbeddings(seed=seed)
    store = Store(folder, embedder, embedder.name)
    open_s = time.perf_counter() - started
    started = time.perf_counter()
    store.keyword_index_ready()  # loads BM25 and the chunk side file from disk
    keyword_load_s = time.perf_counter() - started
    asked = questions(count, seed)

    def run(question: Question, mode: str) -> list[Any]:
        from assistant.retrieval import search

        filters = Filters((question.company,)) if question.company else None
        return search(store, [question.text], settings.top_k, settings.candidates, filters, mode)

    for question in asked[:5]:  # warm-up: jieba's dictionary, Chroma's caches
        for mode in ("hybrid", "dense", "bm25"):
            run(question, mode)
    load = os.getloadavg()[0]
    hybrid, results = _latencies(asked, lambda q: run(q, "hybrid"), profile)
    dense, _ = _latencies(asked, lambda q: run(q, "dense"))
    keyword, _ = _latencies(asked, lambda q: run(q, "bm25"))
    named = [(q, hits) for q, hits in zip(asked, results, strict=True) if q.company]
    registry = default_registry()
    return {
        "queries": len(asked),
        "open_s": open_s,
        "keyword_load_s": keyword_load_s,
        "hybrid_p50_ms": statistics.median(hybrid),
        "hybrid_p95_ms": p95(hybrid),
        "dense_p50_ms": statistics.median(dense),
        "dense_p95_ms": p95(dense),
        "keyword_p50_ms": statistics.median(keyword),
        "keyword_p95_ms": p95(keyword),
        "company_hit_rate": _share(named, lambda q, hits: registry[q.company].name_zh in hits[0].text),
        "metric_hit_rate": _share(named, lambda q, hits: q.metric in hits[0].text),
        "rss_query_mb": peak_rss_mb(),
        "load_query": (load + os.getloadavg()[0]) / 2,
    }


def _latencies(
    asked: list[Question], ask: Callable[[Question], list[Any]], profile: Path | None = None
) -> tuple[list[float], list[list[Any]]]:
    """Milliseconds per question, and the hits; with ``profile``, cProfile statistics of the loop go there."""
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    times, results = [], []
    for question in asked:
        started = time.perf_counter()
        results.append(ask(question))
        times.append((time.perf_counter() - started) * 1000.0)
    if profiler is not None and profile is not None:
        profiler.disable()
        profiler.dump_stats(str(profile))
    return times, results


def _share(items: list[tuple[Question, list[Any]]], test: Callable[[Question, list[Any]], bool]) -> float:
    """The fraction of questions whose hits pass ``test`` (no hits fail)."""
    return sum(1 for q, hits in items if hits and test(q, hits)) / len(items) if items else 0.0


def disk_mb(folder: Path) -> float:
    """Bytes under ``folder`` in MB (Chroma's SQLite and HNSW files plus the BM25 folder)."""
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()) / 1e6


# -- the run: one row per size ---------------------------------------------------------------------------------------
@dataclass
class ScaleRow:
    """The figures of one size (seconds, milliseconds, MB; ``load_*`` is the 1-minute load average then)."""

    size: int
    documents: int
    chunks: int
    vocabulary: int
    generate_s: float
    annotate_s: float
    chroma_s: float
    bm25_s: float
    build_s: float
    rss_build_mb: float
    disk_mb: float
    load_build: float
    queries: int
    open_s: float
    keyword_load_s: float
    hybrid_p50_ms: float
    hybrid_p95_ms: float
    dense_p50_ms: float
    dense_p95_ms: float
    keyword_p50_ms: float
    keyword_p95_ms: float
    company_hit_rate: float
    metric_hit_rate: float
    rss_query_mb: float
    load_query: float

    @property
    def p50_met(self) -> bool:
        """Hybrid query p50 within the target."""
        return self.hybrid_p50_ms <= TARGET_P50_MS

    @property
    def rss_met(self) -> bool:
        """Peak RSS of both the build and the serving process within the target."""
        return max(self.rss_build_mb, self.rss_query_mb) <= TARGET_RSS_MB


def run_scale(
    sizes: list[int], work: Path, progress: Progress | None = None, queries: int = 100, seed: int = SEED
) -> list[ScaleRow]:
    """Build and query a store of each size, each phase in a fresh subprocess; one row per size."""
    rows = []
    for size in sizes:
        figures: dict[str, Any] = {}
        for phase in ("build", "query"):
            if progress:
                progress(f"{size} chunks: {phase}")
            figures |= _subprocess(size, Path(work), phase, queries, seed)
        rows.append(ScaleRow(**{f.name: figures[f.name] for f in fields(ScaleRow)}))
    return rows


def _subprocess(size: int, work: Path, phase: str, queries: int, seed: int) -> dict[str, Any]:
    """Run one phase in a new interpreter and read the JSON line it prints last."""
    args = ["--size", str(size), "--work", str(work), "--phase", phase, "--queries", str(queries), "--seed", str(seed)]
    env = os.environ | {"ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false"}
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    done = subprocess.run(
        [sys.executable, "-m", "assistant.bench.scale", *args], capture_output=True, text=True, env=env, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"scale {phase} of {size} chunks failed ({done.returncode}): {done.stderr[-2000:]}")
    return dict(json.loads(lines[-1]))


# -- reporting ---------------------------------------------------------------------------------------------------------
def markdown(rows: list[ScaleRow]) -> str:
    """The table of the report, with a column saying whether each size meets the targets."""
    lines = [
        f"Targets: hybrid query p50 ≤ {TARGET_P50_MS:.0f} ms and peak RSS ≤ {TARGET_RSS_MB / 1024:.0f} GB "
        "of both the build and the serving process (aimed at 100k chunks). Latencies are warm, over the same "
        f"questions in each mode. {os.cpu_count()} CPUs; `load` is the 1-minute load average while timing.",
        "",
        "| chunks | docs | BM25 vocab | build s (annotate + Chroma + BM25) | hybrid p50 / p95 ms | dense p50 ms "
        "| BM25 p50 ms | peak RSS MB build / query | disk MB | top hit names company | load build / query "
        "| targets met |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.chunks:,} | {r.documents:,} | {r.vocabulary:,} "
            f"| {r.build_s:.1f} ({r.annotate_s:.1f} + {r.chroma_s:.1f} + {r.bm25_s:.1f}) "
            f"| {r.hybrid_p50_ms:.1f} / {r.hybrid_p95_ms:.1f} | {r.dense_p50_ms:.1f} | {r.keyword_p50_ms:.1f} "
            f"| {r.rss_build_mb:.0f} / {r.rss_query_mb:.0f} | {r.disk_mb:.0f} | {r.company_hit_rate:.0%} "
            f"| {r.load_build:.1f} / {r.load_query:.1f} | {_verdict(r)} |"
        )
    return "\n".join(lines) + "\n"


def _verdict(row: ScaleRow) -> str:
    missed = []
    if not row.p50_met:
        missed.append(f"p50 {row.hybrid_p50_ms:.0f} > {TARGET_P50_MS:.0f} ms")
    if not row.rss_met:
        missed.append(f"RSS {max(row.rss_build_mb, row.rss_query_mb):.0f} > {TARGET_RSS_MB:.0f} MB")
    return "yes" if not missed else "no: " + "; ".join(missed)


def plot(rows: list[ScaleRow], path: Path) -> Path:
    """Latency (p50/p95, log-log: BM25's ~1 ms and Chroma's ~300 ms on one axis) and peak RSS against corpus size,
    two panels, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r.chunks for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for values, label, style in (
        ([r.hybrid_p50_ms for r in rows], "hybrid p50", "o-"),
        ([r.hybrid_p95_ms for r in rows], "hybrid p95", "o--"),
        ([r.dense_p50_ms for r in rows], "dense p50", "s:"),
        ([r.keyword_p50_ms for r in rows], "BM25 p50", "^:"),
    ):
        left.plot(sizes, values, style, label=label)
    left.axhline(TARGET_P50_MS, color="grey", linewidth=0.8, linestyle="-.", label="p50 target")
    left.set(xscale="log", yscale="log", xlabel="chunks", ylabel="ms per question", title="Query latency (warm)")
    right.plot(sizes, [r.rss_build_mb for r in rows], "o-", label="build process")
    right.plot(sizes, [r.rss_query_mb for r in rows], "s-", label="serving process")
    right.axhline(TARGET_RSS_MB, color="grey", linewidth=0.8, linestyle="-.", label="RSS target")
    right.set(xscale="log", xlabel="chunks", ylabel="peak RSS (MB)", title="Memory")
    for axis in (left, right):
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


# -- subprocess entry ----------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """``python -m assistant.bench.scale --size N --work DIR [--phase build|query|all]``: one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m assistant.bench.scale", description=main.__doc__)
    parser.add_argument("--size", type=int, required=True, help="chunks in the store")
    parser.add_argument("--work", type=Path, required=True, help="the store goes to WORK/n<SIZE>")
    parser.add_argument("--phase", choices=("build", "query", "all"), default="all")
    parser.add_argument("--queries", type=int, default=100, help="timed questions per mode")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--profile", type=Path, help="write cProfile statistics of the hybrid queries here")
    args = parser.parse_args(argv)
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    folder = args.work / f"n{args.size}"
    result: dict[str, Any] = {}
    if args.phase in ("build", "all"):
        result |= build(args.size, folder, args.seed)
    if args.phase in ("query", "all"):
        result |= query(folder, args.queries, args.seed, args.profile)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
