"""The eval suite: case loading, scoring rules, the report, and the gate on the shipped corpus."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assistant import Assistant
from assistant.errors import ConfigError
from assistant.evals import report, runner
from assistant.evals.cases import Case, Expected, load_cases
from assistant.evals.scoring import _stated, crash, relevant, score
from assistant.numbers import parse_quantities
from assistant.types import Answer, Citation, Hit
from tests.conftest import ROOT

CASES = ROOT / "evals" / "cases.yaml"
THRESHOLDS = ROOT / "evals" / "thresholds.yaml"
MINIMUMS = {"single_fact": 50, "figure": 30, "calculation": 15, "comparison": 10, "conflict": 8}
MINIMUMS |= {"follow_up": 8, "english": 20, "unanswerable": 20}


def test_the_cases_cover_every_category_with_enough_cases() -> None:
    cases = load_cases(CASES)
    assert len(cases) >= 150
    for category, minimum in MINIMUMS.items():
        assert sum(c.category == category for c in cases) >= minimum, category
    assert all(c.sources for c in cases if not c.refused)
    assert all(len(c.turns) == 2 for c in cases if c.category == "follow_up")


def test_a_malformed_cases_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "cases.yaml"
    bad.write_text("- id: x\n  category: nonsense\n  question: q\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'x'"):
        load_cases(bad)
    bad.write_text("- {id: a, category: figure, question: q}\n- {id: a, category: figure, question: r}\n")
    with pytest.raises(ConfigError, match="Duplicate"):
        load_cases(bad)


CASE = Case(
    "t",
    "figure",
    "zh",
    ("壁仞2024年营收多少？",),
    figures=(Expected(value=Decimal("337000000"), currency="CNY"),),
    sources=("src05",),
)


def _hit(text: str, source: str = "src05") -> Hit:
    return Hit(f"{source}:0", source, text, {"source_id": source})


def test_a_chunk_is_relevant_only_from_a_gold_source_holding_the_gold_figure() -> None:
    assert relevant(CASE, _hit("壁仞科技2024年营收为3.37亿元。"))
    assert not relevant(CASE, _hit("壁仞科技2024年营收为3.37亿元。", "src99"))
    assert not relevant(CASE, _hit("壁仞科技2023年营收为6,203万元。"))


def _answer(text: str, quote: str) -> Answer:
    citation = Citation(1, "d", "d:0", "t", "p", "", "2025-12-22", None, quote, source_id="src05")
    return Answer(text, False, [citation])


def test_scoring_needs_the_figure_in_its_unit_and_currency_and_ranks_retrieval() -> None:
    ranking = [_hit("壁仞科技2023年营收为6,203万元。"), _hit("壁仞科技2024年营收为3.37亿元。")]
    good = score(CASE, "s", _answer("壁仞科技2024年营收为3.37亿元。[1]", "壁仞科技2024年营收为3.37亿元。"), ranking)
    assert good.correct and good.figures_matched == 1 and good.citations_precise == 1
    assert (good.hit1, good.hit5, good.rr10) == (False, True, 0.5)
    wrong_currency = score(CASE, "s", _answer("营收为3.37亿港元[1]", "营收为3.37亿港元"), ranking)
    assert not wrong_currency.correct and wrong_currency.why() == "figures 0/1"
    refused = score(CASE, "s", Answer("语料中没有", True), ranking)
    assert refused.why() == "refused an answerable question"


def test_a_model_number_figure_is_stated_by_naming_the_model() -> None:
    case = Case("m", "conflict", "zh", ("摩尔线程MTT S80对标哪款显卡？",), figures=(Expected(value=Decimal("3060")),))
    named = score(case, "s", _answer("性能接近RTX 3060。[1]", "性能接近RTX 3060。"), [])
    bare = score(case, "s", _answer("约为3060亿元。[1]", "约为3060亿元。"), [])
    longer = score(case, "s", _answer("接近RTX 30600。[1]", "接近RTX 30600。"), [])
    assert named.correct and not bare.correct and not longer.correct


def test_a_small_count_is_stated_by_its_english_word_but_not_inside_another_word() -> None:
    case = Case("d", "figure", "en", ("How many dies?",), figures=(Expected(value=Decimal("2")),))
    worded = score(case, "s", _answer("It packs two dies. [1]", "It packs two dies."), [])
    inside = score(case, "s", _answer("It packs network dies. [1]", "It packs network dies."), [])
    other = score(case, "s", _answer("It packs three dies. [1]", "It packs three dies."), [])
    assert worded.correct and not inside.correct and not other.correct


def test_a_bare_number_in_a_case_is_stated_with_its_measurement_unit_but_not_as_a_percent() -> None:
    case = Case("g", "figure", "zh", ("主频多少？",), figures=(Expected(value=Decimal("3.2")),))
    assert score(case, "s", _answer("主频为3.2GHz。[1]", "主频为3.2GHz。"), []).correct
    assert not score(case, "s", _answer("增长3.2%。[1]", "增长3.2%。"), []).correct


def test_a_citation_that_does_not_hold_its_figure_is_imprecise() -> None:
    result = score(CASE, "s", _answer("壁仞科技2024年营收为3.37亿元。[1]", "壁仞科技2023年营收为6,203万元。"), [])
    assert result.citations_precise == 0 and result.figures_unsupported == 1


def test_the_gate_names_each_metric_that_misses(tmp_path: Path) -> None:
    limits = tmp_path / "t.yaml"
    limits.write_text("min: {hit@5: 0.9, refusal: 0.5}\nmax: {unsupported_figures: 0}\n", encoding="utf-8")
    summary = {"s": {"overall": {"hit@5": 0.8, "refusal": 0.6, "unsupported_figures": 2.0}}}
    assert report.gate(summary, limits, "s") == ["hit@5 = 0.800 is below 0.9", "unsupported_figures = 2 is above 0"]


@pytest.mark.slow
def test_the_shipped_assistant_meets_the_thresholds(corpus_assistant: Assistant, tmp_path: Path) -> None:
    result = runner.run(corpus_assistant, load_cases(CASES), [], tmp_path)
    text = runner.write(result, tmp_path / "report.md", tmp_path / "scores.json", None)
    assert report.gate(result.summary, THRESHOLDS, result.ours) == [], text
    categories = {c.category for c in load_cases(CASES)}
    languages = {f"language:{c.language}" for c in load_cases(CASES)}
    assert set(result.summary[result.ours]) == {"overall", *categories, *languages}
    assert result.summary[result.ours]["overall"]["crashes"] == 0


def test_a_crash_is_counted_apart_from_refusals() -> None:
    crashed = crash(CASE, "s", IndexError("tuple index out of range"))
    refused = score(CASE, "s", Answer("语料中没有。", True), [])
    assert crashed.crashed and not crashed.refused and not crashed.correct and not crashed.wrong
    assert "crashed: IndexError" in crashed.why()
    counts = report.outcomes([crashed, refused])
    assert (counts["crashed"], counts["refused"], counts["wrong"], counts["right"]) == (1, 1, 0, 0)


def test_wrong_counts_answers_given_that_are_not_right() -> None:
    right = score(CASE, "s", _answer("壁仞科技2024年营收为3.37亿元。[1]", "壁仞科技2024年营收为3.37亿元。"), [])
    wrong = score(CASE, "s", _answer("壁仞科技2023年营收为6,203万元。[1]", "壁仞科技2023年营收为6,203万元。"), [])
    summary = report.aggregate([right, wrong])
    assert right.correct and wrong.wrong and summary["wrong"] == 0.5 and summary["accuracy"] == 0.5


def test_eval_corpus_folder_takes_its_articles_and_cases(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "cases.yaml").write_text("[]", encoding="utf-8")
    assert runner.corpus_paths(tmp_path, None) == (tmp_path / "articles", tmp_path / "cases.yaml")
    assert runner.corpus_paths(None, None) == (None, None)
    with pytest.raises(ConfigError, match="not a folder"):
        runner.corpus_paths(tmp_path / "missing", None)


@pytest.mark.slow
def test_every_baseline_runs_in_the_same_report(corpus_assistant: Assistant, tmp_path: Path) -> None:
    cases = load_cases(CASES)
    sample = [c for i, c in enumerate(cases) if i % 10 == 0]
    result = runner.run(corpus_assistant, sample, list(runner.BASELINES), tmp_path / "work")
    text = runner.write(result, tmp_path / "report.md", None, tmp_path / "report.png")
    assert len(result.summary) == 1 + len(runner.BASELINES) and not result.skipped
    assert "langchain-tutorial" in text and (tmp_path / "report.png").stat().st_size > 10_000
    tutorial = result.summary["langchain-tutorial"]["overall"]
    assert tutorial["refusal"] == 0.0 and tutorial["calculator"] == 0.0  # it never refuses and cannot compute


def _briefs() -> dict[str, str]:
    bodies = {}
    for path in sorted((ROOT / "corpus").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        bodies[str(yaml.safe_load(front)["source_id"])] = body
    return bodies


def test_every_expected_figure_is_stated_by_a_gold_brief() -> None:
    briefs = _briefs()
    missing = []
    for case in load_cases(CASES):
        assert all(s in briefs for s in case.sources), case.id
        for expected in case.figures:
            found = [q for s in case.sources for q in parse_quantities(briefs[s])]
            if not _stated(expected, found) and not any(
                f"{v.normalize():f}天" in briefs[s] for s in case.sources for v in expected.ends()
            ):
                missing.append((case.id, [str(v) for v in expected.ends()]))
    assert missing == []
