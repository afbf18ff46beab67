"""The benchmark harness on a tiny corpus: a smoke run of both systems in fresh processes (figures, no timings)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.bench import pipeline
from assistant.cli import main

CASES = """
- id: biren-revenue
  category: figure
  language: zh
  question: "壁仞科技2024年营收是多少？"
  expect:
    refused: false
    figures:
      - {value: 337000000, currency: CNY}
    sources: [t01]
- id: unknown-company
  category: unanswerable
  language: zh
  question: "某某芯片公司2024年营收是多少？"
  expect:
    refused: true
"""


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[pipeline.Bench, Path]:
    from tests.conftest import BIREN, CAMBRICON_EN, METAX

    root = tmp_path_factory.mktemp("bench")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in (("biren.md", BIREN), ("metax.md", METAX), ("cambricon.md", CAMBRICON_EN)):
        (corpus / name).write_text(text, encoding="utf-8")
    cases = root / "cases.yaml"
    cases.write_text(CASES, encoding="utf-8")
    return pipeline.run_bench(corpus, root / "work", "fake", cases), root


def test_both_systems_report_every_figure(bench: tuple[pipeline.Bench, Path]) -> None:
    result, _ = bench
    for figures in (result.ours, result.naive):
        assert figures.chunks > 0 and figures.questions == 2
        assert figures.ingest_s > 0 and figures.chunks_per_s > 0 and figures.cold_ask_s > 0
        assert 0 < figures.retrieval_p50_ms <= figures.retrieval_p95_ms
        assert 0 < figures.answer_p50_ms <= figures.answer_p95_ms
        assert figures.peak_rss_mb > 10 and figures.hit5 is not None
    assert result.ours.reingest_embeddings == 0  # unchanged files embed nothing
    assert result.naive.reingest_embeddings == result.naive.chunks  # the tutorial embeds everything again
    assert result.ours.hit5 == 1.0  # the one answerable case's gold chunk is retrieved


def test_the_report_gives_ratios_and_targets(bench: tuple[pipeline.Bench, Path]) -> None:
    result, _ = bench
    ratios = result.ratios()
    assert ratios["chunks"] == result.ours.chunks / result.naive.chunks
    text = pipeline.markdown(result)
    assert "| warm retrieval p50 (ms) |" in text and "ours/naive" in text
    assert text.count(": met") + text.count(": MISSED") >= len(pipeline.TARGETS)  # each target is judged
    assert set(result.to_json()["targets"]) == set(pipeline.TARGETS)


def test_the_cli_writes_the_report_and_json(
    bench: tuple[pipeline.Bench, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, root = bench
    report, figures = root / "bench.md", root / "bench.json"
    args = ["bench", "--corpus", str(root / "corpus"), "--cases", str(root / "cases.yaml"), "--embedder", "fake"]
    assert main([*args, "--work", str(root / "cli-work"), "--report", str(report), "--json", str(figures)]) == 0
    assert report.read_text(encoding="utf-8") in capsys.readouterr().out
    assert json.loads(figures.read_text(encoding="utf-8"))["ours"]["reingest_embeddings"] == 0
    assert main(["bench", "--every", "0"]) == 2  # a bad argument is a clear error, not a traceback


def test_the_cli_runs_the_scale_run_and_writes_its_files(tmp_path: Path) -> None:
    report, figures, plot = tmp_path / "scale.md", tmp_path / "scale.json", tmp_path / "scale.png"
    args = ["bench", "--scale", "300", "--work", str(tmp_path / "work"), "--report", str(report)]
    assert main([*args, "--json", str(figures), "--plot", str(plot)]) == 0
    rows = json.loads(figures.read_text(encoding="utf-8"))["scale"]
    assert [row["chunks"] for row in rows] == [300] and "| 300 |" in report.read_text(encoding="utf-8")
    assert plot.stat().st_size > 1000
    assert main(["bench", "--scale", "many"]) == 2  # a clear error, not a traceback
