"""The relevance gate: the answer states the figure the question asks about, never a neighbouring one.

The articles in ``tests/fixtures/relevance/`` are written for these tests, with invented figures that are all
distinct, so a wrong pick shows up as a wrong number in the answer text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Answer, Assistant
from assistant.numbers import parse_quantities
from tests.conftest import ingested

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "relevance"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A fake-embedder assistant over the relevance articles (built once for the module)."""
    return ingested(FIXTURES, tmp_path_factory.mktemp("relevance") / "store")


def _conflict_values(answer: Answer) -> list[str]:
    return [value["text"] for conflict in answer.conflicts for value in conflict["values"]]


def test_following_sentence_is_attributed_to_the_company(assistant: Assistant) -> None:
    """A "其中" sentence with no company name belongs to the company of the sentence before it."""
    answer = assistant.ask("壁仞上半年净亏损多少？")
    assert not answer.refused, answer.text
    assert "12.74亿元" in answer.text
    assert "58.36" not in answer.text


def test_product_code_is_matched_exactly(assistant: Assistant) -> None:
    """A question about 昇腾910 gets the 910 figures and never the 昇腾310 ones."""
    answer = assistant.ask("华为昇腾910的算力是多少？")
    assert not answer.refused, answer.text
    assert "296 TFLOPS" in answer.text or "592 TOPS" in answer.text
    assert "9.5 TFLOPS" not in answer.text and "19 TOPS" not in answer.text, answer.text


def test_product_code_not_in_the_corpus_is_refused(assistant: Assistant) -> None:
    """昇腾920 is not in any source, so the question is refused rather than answered with 910 or 310 figures."""
    answer = assistant.ask("昇腾920的算力是多少？")
    assert answer.refused, answer.text
    assert not any(figure in answer.text for figure in ("296", "592", "9.5", "19 TOPS"))


def test_chinese_magnitude_is_not_misread_in_english(assistant: Assistant) -> None:
    """2千万亿次 is 2×10^15 (2 quadrillion), never "20 million", in an English answer."""
    quantity = parse_quantities("2千万亿次")[0]
    assert quantity.value == 2 * 10**15
    assert "2 quadrillion" in quantity.english()
    answer = assistant.ask("What is the INT8 performance of Biren's BR100?")
    assert not answer.refused, answer.text
    assert "20 million" not in answer.text
    assert "2千万亿次" in answer.citations[0].quote


def test_publisher_falls_back_to_author(assistant: Assistant) -> None:
    """Front matter with ``author:`` and no ``publisher:`` cites the author as publisher."""
    answer = assistant.ask("天数智芯2024年营收是多少？")
    assert not answer.refused, answer.text
    assert "5.27亿元" in answer.text
    assert answer.citations[0].publisher == "星河科技评论"


def test_unmentioned_product_is_refused(assistant: Assistant) -> None:
    """BR20X appears in no source, so BR100's launch and share price do not answer a question about it."""
    answer = assistant.ask("What is Biren's BR20X and when will it be commercialized?")
    assert answer.refused, answer.text
    assert not any(figure in answer.text for figure in ("27.45", "2千万亿", "quadrillion", "2022"))


def test_missing_attribute_is_refused(assistant: Assistant) -> None:
    """Revenue, gross margin and R&D figures do not answer a question about inventory."""
    answer = assistant.ask("What was Biren inventory in 2024?")
    assert answer.refused, answer.text
    assert not any(figure in answer.text for figure in ("4.06", "41.3", "9.12", "406", "912"))


def test_gross_margin_does_not_answer_gross_profit(assistant: Assistant) -> None:
    """毛利率 (a ratio) is not 毛利 (an amount): the question about the amount is refused."""
    answer = assistant.ask("壁仞科技2024年的毛利是多少？")
    assert answer.refused, answer.text
    assert "41.3" not in answer.text and "4.06" not in answer.text


def test_follow_up_about_unknown_company_is_refused(assistant: Assistant) -> None:
    """A follow-up naming 昆仑芯 does not inherit 沐曦 from the history and borrow its figure."""
    first = assistant.ask("沐曦2024年营收是多少？")
    assert not first.refused and "8.21亿元" in first.text, first.text
    answer = assistant.ask("昆仑芯2024年营收是多少？", history=["沐曦2024年营收是多少？"])
    assert answer.refused, answer.text
    assert "8.21" not in answer.text


def test_segment_revenue_is_not_a_conflicting_total(assistant: Assistant) -> None:
    """The cloud product line's revenue is a part of the total, not a source disagreeing with it."""
    answer = assistant.ask("寒武纪2024年营收是多少？")
    assert not answer.refused, answer.text
    assert "12.58亿元" in answer.text
    assert "11.96亿元" not in _conflict_values(answer), answer.conflicts
    assert answer.conflicts == [], answer.text
    assert "11.96" not in answer.text, answer.text


def test_planned_maximum_and_actual_proceeds_are_not_conflicts(assistant: Assistant) -> None:
    """A planned raise, its over-allotment maximum and the actual proceeds are three facts, not a disagreement."""
    answer = assistant.ask("壁仞科技IPO计划募资多少？")
    assert not answer.refused, answer.text
    assert "45.6亿港元" in answer.text
    values = _conflict_values(answer)
    assert "52.4亿港元" not in values and "47.9亿港元" not in values, answer.conflicts
    assert "不一致" not in answer.text, answer.text


def test_nine_month_figure_does_not_answer_full_year(assistant: Assistant) -> None:
    """A 前三季度 (three-quarter report) figure does not answer a question about the full year."""
    answer = assistant.ask("景嘉微2021年全年的营业收入是多少？")
    assert answer.refused, answer.text
    assert "7.89" not in answer.text


def test_two_part_period_question_does_not_raise(assistant: Assistant) -> None:
    """A two-part question about a nine-month period returns an Answer instead of raising."""
    answer = assistant.ask("景嘉微2021年前三季度的归母净利润是多少？同比涨了多少？")
    assert isinstance(answer, Answer)
    assert isinstance(answer.text, str) and answer.text


def test_html_navigation_is_never_quoted(assistant: Assistant) -> None:
    """In an HTML page, the cited quote is the article sentence, not the nav bar or share buttons."""
    answer = assistant.ask("海光信息2024年营业收入是多少？")
    assert not answer.refused, answer.text
    assert "93.47亿元" in answer.text
    assert answer.citations[0].quote == "海光信息2024年营业收入为93.47亿元，同比增长55.3%。"
    for junk in ("首页", "登录", "分享到", "热门", "阅读"):
        assert all(junk not in c.quote for c in answer.citations), junk
        assert junk not in answer.text, junk


def test_traditional_chinese_question_matches_simplified_source(assistant: Assistant) -> None:
    """摩爾線程/營收 in traditional characters find 摩尔线程/营收 in a simplified source."""
    answer = assistant.ask("摩爾線程2024年營收是多少？")
    assert not answer.refused, answer.text
    assert "4.38亿元" in answer.text


def test_multi_part_question_with_a_missing_part_is_refused(assistant: Assistant) -> None:
    """When the share count is missing, the answer is a refusal that names the missing part."""
    answer = assistant.ask("沐曦IPO发行价是多少？发行了多少股？")
    assert answer.refused, answer.text
    assert "多少股" in answer.text
    assert "8.21" not in answer.text


def test_a_missing_period_is_refused_with_the_periods_the_sources_do_state(assistant: Assistant) -> None:
    """沐曦's 2023 revenue is in no source: the answer refuses, then offers 2024's figure, cited and labelled as
    another period, never as the answer."""
    answer = assistant.ask("沐曦2023年营收是多少？")
    assert answer.refused, answer.text
    head, *offered = answer.text.splitlines()
    assert "8.21亿元" not in head and "并非所问期间" in answer.text
    assert any("2024年" in line and "8.21亿元" in line and "[1]" in line for line in offered), answer.text
    assert answer.citations and "8.21亿元" in answer.citations[0].quote
