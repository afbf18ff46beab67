"""Reasons and who/which answers on sentences that say so in the ways articles do.

A reason is written with 目的是, 主要来自, 为应对…而, 带动 as often as with 因为/由于; it often points back to the
sentences before it (出售资产的目的是…) or is stated once for the period its article covers. An amount the
question names pins its subject ("the 1.5 billion yuan round"), and an asked attribute (保荐机构) answers a
question framed by its event (上市). The articles in ``tests/fixtures/reasons/`` are written for these tests
(invented companies and figures).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.text import question_language
from tests.conftest import ingested

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reasons"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return ingested(FIXTURES, tmp_path_factory.mktemp("reasons") / "store")


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("晨曦微电子为什么会亏这么多？", "主要来自持续扩大的研发投入"),
        ("晨曦微电子2024年为什么存货增加了？", "为应对供应链不确定性而提前备货"),
        ("Why did Chenxi's inventory climb to 3.2亿 yuan in 2024?", "为应对供应链不确定性而提前备货"),
        ("What was behind 晨曦微电子's revenue growth in 2024?", "数据中心产品线收入大幅增长带动"),
    ],
)
def test_a_reason_written_without_because_answers_why(assistant: Assistant, question: str, reason: str) -> None:
    """主要来自, 为应对…而 and 带动 state reasons; the 带动 sentence names no year, and its article's title says it
    covers 2024."""
    answer = assistant.ask(question)
    assert not answer.refused, answer.text
    assert reason in answer.text, answer.text


def test_a_reason_pointing_back_to_its_section_answers(assistant: Assistant) -> None:
    """出售资产的目的是… names neither holding sold: the two sentences before it in its section do."""
    answer = assistant.ask("港湾资本为什么陆续卖掉星河存储、云帆航天这些股权？")
    assert not answer.refused, answer.text
    assert "偿还到期债务" in answer.text, answer.text


def test_a_why_question_gets_no_sentence_without_a_reason(assistant: Assistant) -> None:
    """The sources say the group keeps its chip investments but never why: no reason, no answer."""
    answer = assistant.ask("港湾集团为什么保留对芯片企业的投资？")
    assert answer.refused, answer.text


def test_an_asked_attribute_answers_a_question_framed_by_its_event(assistant: Assistant) -> None:
    """保荐机构 answers "上市…保荐人是哪家" although the sentence never says 上市."""
    answer = assistant.ask("云溪智芯这次在科创板上市，保荐人是哪家？")
    assert not answer.refused, answer.text
    assert "东岳证券" in answer.text, answer.text


def test_the_amount_a_question_names_pins_the_round(assistant: Assistant) -> None:
    """The co-lead sentence follows the 1.5 billion yuan figure and answers; the firm that joined a 300 million
    yuan round, far below it, never does."""
    answer = assistant.ask("Which state-backed investor co-led Lumen Silicon's 1.5 billion yuan round?")
    assert not answer.refused, answer.text
    assert "state asset regulator" in answer.text and "300 million" not in answer.text, answer.text
    other = assistant.ask("Which venture firm co-led Lumen Silicon's 800 million yuan round?")
    assert other.refused, other.text


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Why did MetaX's inventory climb to 7.77亿 yuan in 2024?", "en"),
        ("Who founded 摩尔线程?", "en"),
        ("沐曦MetaX C500的TDP是多少？", "zh"),
        ("壁仞的BR100和S60有什么区别", "zh"),
        ("What is Biren's revenue?", "en"),
    ],
)
def test_a_question_is_english_when_it_asks_in_english(question: str, language: str) -> None:
    """A figure or a name written in characters does not make an English question Chinese."""
    assert question_language(question) == language


def test_who_led_a_round_is_answered_by_the_sentence_naming_the_leads(assistant: Assistant) -> None:
    """领投 is asked: the sentence saying the round closed names no lead and never answers; the one that does,
    though it says only 本轮融资, answers."""
    answer = assistant.ask("星云智算的A轮融资由谁领投？")
    assert not answer.refused, answer.text
    assert "北辰资本" in answer.text.splitlines()[0] and "宣布完成" not in answer.text, answer.text


@pytest.mark.parametrize("question", ["星云智算的A轮融资由谁领投？", "Who led 星云智算's Series A round?"])
def test_a_person_quoted_beside_a_round_is_never_stated_as_its_lead(assistant: Assistant, question: str) -> None:
    """The CEO quoted in the same article is a person, the leads are firms: no answer opens with his name."""
    answer = assistant.ask(question)
    first = answer.text.splitlines()[0]
    assert "林晓峰" not in first and "Lin Xiaofeng" not in first, answer.text


def test_a_reason_stated_as_its_reason_answers_why(assistant: Assistant) -> None:
    """离职理由是…: 理由 states a reason as plainly as 因为."""
    answer = assistant.ask("星云智算的技术负责人为什么离职？")
    assert not answer.refused, answer.text
    assert "个人发展规划调整" in answer.text, answer.text
