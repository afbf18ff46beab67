"""The shipped corpus: schema of every brief, registry ids, unique sources, clean ingestion, served answers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from assistant import Assistant, Settings
from assistant.entities import default_registry
from assistant.ingest.loaders import load
from tests.conftest import CORPUS, ROOT, make_assistant

REQUIRED = {"title", "publisher", "published", "url", "language", "companies", "reliability", "source_id", "kind"}
OPTIONAL = {"published_note", "original_language", "title_kind", "author", "note"}
# Words of internal notes that once sat in titles, publishers and URLs (they belong in `note`, which is never shown).
NOTE_WORDS = re.compile(r"描述性标题|urn:|read_file|archived|republication|GitHub repo|\(作者|\(记者|\(user post\)")
BRIEFS = sorted(CORPUS.glob("*.md"))


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, f"{path.name}: no front matter"
    return yaml.safe_load(match.group(1))


def test_corpus_has_at_least_forty_briefs() -> None:
    assert len(BRIEFS) >= 40


@pytest.mark.parametrize("path", BRIEFS, ids=lambda p: p.name)
def test_front_matter_schema(path: Path) -> None:
    meta = _front_matter(path)
    assert set(meta) >= REQUIRED, REQUIRED - set(meta)
    assert set(meta) <= REQUIRED | OPTIONAL, set(meta) - REQUIRED - OPTIONAL
    assert meta["kind"] == "brief" and meta["language"] in {"zh", "en"}
    assert meta["reliability"] in {"primary", "news", "digest", "user"}
    assert isinstance(meta["published"], dt.date), "published must be an ISO date"
    assert all(c in default_registry() for c in meta["companies"]), meta["companies"]
    assert str(meta["title"]).strip() and str(meta["publisher"]).strip()
    assert meta.get("title_kind", "headline") in {"headline", "descriptive"}
    url = str(meta["url"]).strip()
    assert not url or re.fullmatch(r"https?://\S+", url), f"url holds a note: {url}"  # no id where a link should be
    for key in ("title", "publisher"):
        assert not NOTE_WORDS.search(str(meta[key])), f"{key} holds a note: {meta[key]}"
    assert meta["source_id"] == "seed" or re.fullmatch(r"src\d{2,3}", meta["source_id"])


def test_source_ids_are_unique() -> None:
    ids = [_front_matter(p)["source_id"] for p in BRIEFS]
    assert len(ids) == len(set(ids))


def test_coverage_of_companies_and_languages() -> None:
    metas = [_front_matter(p) for p in BRIEFS]
    for company in ("biren", "moore-threads", "metax", "cambricon", "hygon", "huawei-ascend", "enflame", "iluvatar"):
        assert any(company in m["companies"] for m in metas), company
    assert sum(m["language"] == "en" for m in metas) >= 8
    assert any(not m["companies"] for m in metas)  # market-size sources
    years = {m["published"].year for m in metas}
    assert min(years) <= 2022 and max(years) >= 2026


def test_every_brief_loads_and_ingests(tmp_path: Path) -> None:
    for path in BRIEFS:
        doc = load(path, 20_000_000)
        assert doc.source_id and doc.text.strip()
    report = make_assistant(tmp_path / "s").ingest([CORPUS])
    assert report.ok, report.failed
    assert len(report.added) == len(BRIEFS)


@pytest.mark.slow
def test_seed_brief_answers_the_ipo_question_with_the_real_embedder(tmp_path: Path) -> None:
    seed = next(p for p in BRIEFS if _front_matter(p)["source_id"] == "seed")
    a = Assistant(Settings(store=tmp_path / "s"))
    assert a.ingest([seed]).ok
    answer = a.ask("壁仞科技IPO计划募资多少？")
    assert not answer.refused
    assert any("42.1亿" in c.quote and "48.5亿港元" in c.quote for c in answer.citations)
    assert a.ask("海光信息2024年营收是多少？").refused


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("壁仞科技2024年营收是多少？", "3.37亿元"),
        ("沐曦股份的在手订单有多少？", "14.3亿元"),
        ("How much did Cambricon's revenue grow in 2024?", "65.56%"),
        ("天数智芯的发行价是多少？", "144.60港元"),
        ("When was Moore Threads founded?", "2020年"),
    ],
)
def test_corpus_is_served(corpus_assistant: Assistant, question: str, figure: str) -> None:
    answer = corpus_assistant.ask(question)
    assert not answer.refused and figure in answer.text
    assert all(c.quote in answer.text for c in answer.citations)


@pytest.mark.slow
def test_the_runway_question_names_the_missing_rate_and_computes_with_a_given_one(corpus_assistant: Assistant) -> None:
    without = corpus_assistant.ask("按2025年上半年的亏损速度，壁仞这次IPO募资能撑多久？")
    assert "汇率" in without.text and not without.calculations
    assert any("16.01亿元" in c.quote for c in without.citations)
    assert any("2028年第二季度" in c.quote for c in without.citations)  # the source's own estimate, shown beside
    given = corpus_assistant.ask("按2025年上半年的亏损速度，壁仞这次IPO募资能撑多久？按1港元兑0.92元人民币计算")
    [calc] = given.calculations
    assert calc.kind == "runway" and calc.result.unit == "months"
    assert "runs_out" in calc.details and "个月" in given.text
    assert given.to_json()["calculations"][0]["operands"][0]["currency"] == "HKD"
    # Every step is arithmetic a reader can check: the conversion is in the expression and has its own line.
    working = given.text.splitlines()[0]
    assert "55.8亿港元 × 0.92 ÷ (16.01亿元 ÷ 6个月) = 19.24个月" in working, given.text
    assert "其中换算后的现金：51.336亿元" in given.text and "其中每月亏损：2.6683亿元" in given.text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "kind", "result"),
    [
        ("壁仞研发支出是营收的几倍？", "ratio", "7.21倍"),
        ("摩尔线程发行7000万股、每股114.28元，募资多少？", "proceeds", "79.996亿元"),
        ("How much did Cambricon's revenue grow in 2024?", "implied_base", "65.56%"),
    ],
)
def test_calculation_questions_show_cited_working(
    corpus_assistant: Assistant, question: str, kind: str, result: str
) -> None:
    answer = corpus_assistant.ask(question)
    assert [c.kind for c in answer.calculations] == [kind]
    assert result in answer.text
    assert answer.verification.ok
    operands = answer.to_json()["calculations"][0]["operands"]
    cited = [o["citation"] for o in operands]
    if kind == "proceeds":  # the user's own figures
        assert cited == [None, None]
    else:  # figures from the sources, each with its citation number and that citation quoting it
        assert all(cited) and all(o["text"] in answer.citations[o["citation"] - 1].quote for o in operands)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "values"),
    [
        ("摩尔线程2024年净亏损是多少？", ("14.92亿元", "16.18亿元")),
        ("BR100的BF16算力是多少？", ("512 TFLOPS", "1,024 TFLOPS")),
    ],
)
def test_conflicted_figures_show_every_value_with_source_and_date(
    corpus_assistant: Assistant, question: str, values: tuple[str, ...]
) -> None:
    answer = corpus_assistant.ask(question)
    [conflict] = answer.conflicts
    shown = {v["text"] for v in conflict["values"]}
    assert set(values) <= shown
    assert all(v["published"] and v["citation"] <= len(answer.citations) for v in conflict["values"])
    assert "不一致" in answer.text


@pytest.mark.slow
def test_a_figure_that_changes_over_time_is_dated(corpus_assistant: Assistant) -> None:
    answer = corpus_assistant.ask("壁仞科技的在手订单有多少？")
    assert "截至" in answer.text


@pytest.mark.slow
def test_no_answer_to_an_eval_question_states_an_unsupported_figure(corpus_assistant: Assistant) -> None:
    cases = yaml.safe_load((ROOT / "evals" / "cases.yaml").read_text(encoding="utf-8"))
    failures = []
    for case in cases:
        turns = case.get("turns") or [case["question"]]
        answer = corpus_assistant.ask(turns[-1], history=turns[:-1])
        if not answer.verification.ok:
            failures.append((case["id"], answer.verification.unsupported))
    assert len(cases) >= 150 and failures == []
