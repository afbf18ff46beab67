"""Our pipeline against the naive LangChain tutorial pipeline, measured in one run (``gpu-assistant bench``).

Each system runs in its own fresh process (so peak RSS and caches are its own) over the same corpus, the same
embedder and the same questions (the eval cases): ingest throughput, an unchanged re-ingest (time and embeddings
computed), warm retrieval and answer latency, hit@5 on the cases; then the cold ``ask`` wall time of each system
in another fresh process. The naive pipeline is the tutorial's: raw files, RecursiveCharacterTextSplitter(1000,
200), Chroma ``similarity_search(k=4)``, the top chunk as the answer. It has no incremental ingest: running its
ingest again embeds every chunk again, which is what its re-ingest measures (into a fresh collection).

Figures only: nothing here asserts a time. Child entry point: ``python -m assistant.bench.pipeline``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.bench.measure import p50_p95, peak_rss_mb
from assistant.evals.cases import Case, load_cases
from assistant.evals.scoring import relevant
from assistant.types import Hit

SYSTEMS = ("ours", "naive")
# (metric, target, lower is better): the targets for ours on a 2-core CPU, shipped corpus, warm.
TARGETS: dict[str, tuple[float, bool]] = {
    "retrieval_p50_ms": (20.0, True),
    "retrieval_p95_ms": (50.0, True),
    "answer_p50_ms": (40.0, True),
    "cold_ask_s": (3.0, True),
    "reingest_s": (2.0, True),
}
COLD_QUESTION = "壁仞科技2024年营收是多少？"


@dataclass
class Figures:
    """What one system measured."""

    system: str
    chunks: int = 0
    ingest_s: float = 0.0
    chunks_per_s: float = 0.0
    reingest_s: float = 0.0
    reingest_embeddings: int = 0
    retrieval_p50_ms: float = 0.0
    retrieval_p95_ms: float = 0.0
    answer_p50_ms: float = 0.0
    answer_p95_ms: float = 0.0
    cold_ask_s: float = 0.0
    peak_rss_mb: float = 0.0
    hit5: float | None = None
    questions: int = 0


@dataclass
class Bench:
    """Both systems' figures and the settings of the run."""

    ours: Figures
    naive: Figures
    corpus: str
    embedder: str
    notes: list[str] = field(default_factory=list)

    def ratios(self) -> dict[str, float | None]:
        """ours / naive for every figure both have (below 1 is better for times and memory)."""
        out: dict[str, float | None] = {}
        for name, mine in asdict(self.ours).items():
            theirs = getattr(self.naive, name)
            if isinstance(mine, (int, float)) and isinstance(theirs, (int, float)) and name != "questions":
                out[name] = mine / theirs if theirs else None
        return out

    def to_json(self) -> dict[str, Any]:
        """Everything, for ``--json``."""
        return {
            "corpus": self.corpus,
            "embedder": self.embedder,
            "ours": asdict(self.ours),
            "naive": asdict(self.naive),
            "ratios": self.ratios(),
            "targets": {k: {"target": t, "met": target_met(self.ours, k)} for k, (t, _) in TARGETS.items()},
            "notes": self.notes,
        }


def target_met(figures: Figures, metric: str) -> bool:
    """Whether ``figures`` meets the issue's target for ``metric``."""
    target, lower = TARGETS[metric]
    value = float(getattr(figures, metric))
    return value <= target if lower else value >= target


# -- the parent: both systems in fresh processes -----------------------------------------------------------------
def run_bench(
    corpus: Path,
    work: Path,
    embedder: str = "e5-small",
    cases_path: Path | None = None,
    every: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Bench:
    """Measure both systems; ``work`` is emptied first and holds their indexes."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    results: dict[str, Figures] = {}
    for system in SYSTEMS:
        if progress:
            progress(f"{system}: ingest, re-ingest, warm queries")
        results[system] = _child(system, corpus, work, embedder, cases_path, every)
        if progress:
            progress(f"{system}: cold ask in a fresh process")
        results[system].cold_ask_s = cold_ask(system, work, embedder)
    return Bench(results["ours"], results["naive"], str(corpus), embedder)


def _child(system: str, corpus: Path, work: Path, embedder: str, cases: Path | None, every: int) -> Figures:
    command = [sys.executable, "-m", "assistant.bench.pipeline", system, "--corpus", str(corpus)]
    command += ["--work", str(work), "--embedder", embedder, "--every", str(every)]
    if cases is not None:
        command += ["--cases", str(cases)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {system} benchmark failed:\n{done.stderr[-3000:]}")
    return Figures(**json.loads(done.stdout.strip().splitlines()[-1]))


def cold_ask(system: str, work: Path, embedder: str, question: str = COLD_QUESTION) -> float:
    """Wall time of one question in a fresh process: ``gpu-assistant ask`` for ours, the tutorial's query for naive."""
    if system == "ours":
        command = [sys.executable, "-m", "assistant.cli", "ask", question, "--store", str(work / "ours")]
        command += ["--embedder", embedder]
    else:
        command = [sys.executable, "-m", "assistant.bench.pipeline", "naive-ask", question, "--work", str(work)]
        command += ["--embedder", embedder]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"cold ask ({system}) failed:\n{done.stderr[-3000:]}")
    return seconds


# -- the children -------------------------------------------------------------------------------------------------
def measure_ours(corpus: Path, work: Path, embedder: str, cases: Sequence[Case]) -> Figures:
    """Ingest, unchanged re-ingest, warm retrieval and answers of the shipped assistant."""
    from assistant import Assistant, Settings

    figures = Figures("ours")
    assistant = Assistant(Settings(store=work / "ours", embedder=embedder, corpus=corpus, auto_ingest=False))
    report = assistant.ingest([corpus])
    figures.chunks, figures.ingest_s = report.chunks_added, report.seconds
    figures.chunks_per_s = report.chunks_added / report.seconds if report.seconds else 0.0
    again = assistant.ingest([corpus])
    figures.reingest_s, figures.reingest_embeddings = again.seconds, again.embeddings_computed
    assistant.ask(COLD_QUESTION)  # warm-up: jieba's dictionary, the BM25 index, the embedder's first call
    assistant.store.clear_query_cache()
    retrieval = _timed(cases, lambda c: assistant.retrieve(c.question, c.history))
    assistant.store.clear_query_cache()  # the answers embed their questions again, as new questions would
    answers = _timed(cases, lambda c: assistant.ask(c.question, c.history))
    figures.retrieval_p50_ms, figures.retrieval_p95_ms = p50_p95([t for t, _ in retrieval])
    figures.answer_p50_ms, figures.answer_p95_ms = p50_p95([t for t, _ in answers])
    figures.hit5 = hit_at_5(cases, [hits for _, hits in retrieval])
    return _finish(figures, cases)


def measure_naive(corpus: Path, work: Path, embedder: str, cases: Sequence[Case]) -> Figures:
    """The tutorial pipeline: ingest, its re-ingest (everything again), warm retrieval and answers."""
    from assistant.embeddings import make_embedder
    from assistant.evals.systems import Tutorial

    figures = Figures("naive")
    model = make_embedder(embedder)
    started = time.perf_counter()
    tutorial = Tutorial(corpus, model, persist=work / "naive")
    figures.chunks, figures.ingest_s = tutorial.chunks, time.perf_counter() - started
    figures.chunks_per_s = tutorial.chunks / figures.ingest_s
    started = time.perf_counter()
    again = Tutorial(corpus, model, persist=work / "naive-again")  # no change detection: all chunks embedded again
    figures.reingest_s, figures.reingest_embeddings = time.perf_counter() - started, again.chunks
    tutorial.respond(COLD_QUESTION)  # warm-up
    retrieval = _timed(cases, lambda c: tutorial.search(c.question, k=5))
    answers = _timed(cases, lambda c: tutorial.respond(c.question, c.language))
    figures.retrieval_p50_ms, figures.retrieval_p95_ms = p50_p95([t for t, _ in retrieval])
    figures.answer_p50_ms, figures.answer_p95_ms = p50_p95([t for t, _ in answers])
    figures.hit5 = hit_at_5(cases, [hits for _, hits in retrieval])
    return _finish(figures, cases)


def naive_ask(question: str, work: Path, embedder: str) -> str:
    """The tutorial's query in a fresh process: open the persisted collection, search, print the top chunk."""
    from assistant.embeddings import make_embedder
    from assistant.evals.systems import open_tutorial_db

    found = open_tutorial_db(make_embedder(embedder), work / "naive").similarity_search(question, k=4)
    return found[0].page_content if found else ""


def hit_at_5(cases: Sequence[Case], rankings: Sequence[list[Hit]]) -> float | None:
    """Share of answerable cases with a relevant chunk in the top 5 (the eval's definition of relevant)."""
    flags = [any(relevant(c, h) for h in hits[:5]) for c, hits in zip(cases, rankings, strict=True) if c.sources]
    return sum(flags) / len(flags) if flags else None


def _timed(cases: Sequence[Case], call: Callable[[Case], Any]) -> list[tuple[float, Any]]:
    out = []
    for case in cases:
        started = time.perf_counter()
        result = call(case)
        out.append(((time.perf_counter() - started) * 1000, result))
    return out


def _finish(figures: Figures, cases: Sequence[Case]) -> Figures:
    figures.questions = len(cases)
    figures.peak_rss_mb = peak_rss_mb()
    return figures


# -- the report -----------------------------------------------------------------------------------------------------
_ROWS = (
    ("chunks", "chunks indexed", "{:.0f}"),
    ("chunks_per_s", "ingest throughput (chunks/s)", "{:.1f}"),
    ("ingest_s", "ingest time (s)", "{:.2f}"),
    ("reingest_s", "re-ingest, files unchanged (s)", "{:.2f}"),
    ("reingest_embeddings", "embeddings computed on re-ingest", "{:.0f}"),
    ("retrieval_p50_ms", "warm retrieval p50 (ms)", "{:.1f}"),
    ("retrieval_p95_ms", "warm retrieval p95 (ms)", "{:.1f}"),
    ("answer_p50_ms", "full answer p50 (ms)", "{:.1f}"),
    ("answer_p95_ms", "full answer p95 (ms)", "{:.1f}"),
    ("cold_ask_s", "cold ask in a fresh process (s)", "{:.2f}"),
    ("peak_rss_mb", "peak RSS (MB)", "{:.0f}"),
    ("hit5", "hit@5 on the eval cases", "{:.3f}"),
)


def markdown(bench: Bench) -> str:
    """The report: each figure for ours and naive, the ratio, and the target for ours where the issue sets one."""
    ratios = bench.ratios()
    lines = [
        "# Benchmark: ours vs the naive LangChain pipeline",
        "",
        f"Corpus `{bench.corpus}`, embedder `{bench.embedder}`, {bench.ours.questions} questions (eval cases), "
        "each system in its own fresh process on this machine.",
        "",
        "| figure | ours | naive | ours/naive | target (ours) |",
        "|---|---:|---:|---:|---|",
    ]
    for name, label, fmt in _ROWS:
        mine, theirs = getattr(bench.ours, name), getattr(bench.naive, name)
        ratio = ratios.get(name)
        cells = [fmt.format(v) if v is not None else "–" for v in (mine, theirs)]
        target = ""
        if name in TARGETS:
            limit, lower = TARGETS[name]
            target = f"{'≤' if lower else '≥'} {limit:g}: {'met' if target_met(bench.ours, name) else 'MISSED'}"
        lines.append(f"| {label} | {cells[0]} | {cells[1]} | {f'{ratio:.2f}' if ratio else '–'} | {target} |")
    lines += [f"\n{note}" for note in bench.notes]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    """Child entry point: ``ours|naive`` prints one JSON line of figures; ``naive-ask Q`` prints the top chunk."""
    parser = argparse.ArgumentParser(prog="python -m assistant.bench.pipeline")
    parser.add_argument("system", choices=(*SYSTEMS, "naive-ask"))
    parser.add_argument("question", nargs="?", default=COLD_QUESTION)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument("--cases", type=Path)
    parser.add_argument("--every", type=int, default=1)
    args = parser.parse_args(argv)
    if args.system == "naive-ask":
        print(naive_ask(args.question, args.work, args.embedder))
        return
    cases = load_cases(args.cases)[:: args.every]
    measure = measure_ours if args.system == "ours" else measure_naive
    print(json.dumps(asdict(measure(args.corpus, args.work, args.embedder, cases))))


if __name__ == "__main__":
    main()
