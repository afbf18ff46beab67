"""The questions a new user tried when answer types were first specified, each answered (or helpfully refused) with
citations, over articles in ``tests/fixtures/issue_examples/`` written for these tests (invented people, funds and
figures for real company names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from tests.conftest import ingested

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "issue_examples"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return ingested(FIXTURES, tmp_path_factory.mktemp("issue-examples") / "store")


def test_who_led_a_round_is_answered_by_the_sentence_naming_the_lead(assistant: Assistant) -> None:
    answer = assistant.ask("沐曦的A轮融资由谁领投？")
    assert not answer.refused, answer.text
    assert "星河资本领投" in answer.text.splitlines()[0] and answer.citations, answer.text
    assert "天使轮" not in answer.text


def test_who_and_why_are_each_answered_by_their_own_sentence(assistant: Assistant) -> None:
    """No one sentence names the CTO and the reason: the person leads, then one cited sentence for each part."""
    answer = assistant.ask("寒武纪CTO是谁，为什么离职？")
    assert not answer.refused, answer.text
    lines = answer.text.splitlines()
    assert lines[0] == "韩立新 [1]", answer.text
    assert "个人原因" in answer.text and len(answer.citations) >= 2
    assert "平稳承接" not in answer.text


@pytest.mark.parametrize(
    ("question", "figure"), [("壁仞科技2024年淨虧損是多少？", "15.38亿元"), ("摩爾線程2024年營收是多少？", "4.62亿元")]
)
def test_traditional_questions_are_answered_from_simplified_sources(
    assistant: Assistant, question: str, figure: str
) -> None:
    answer = assistant.ask(question)
    assert not answer.refused, answer.text
    assert figure in answer.text and answer.citations[0].quote.endswith(f"{figure}。")


def test_a_missing_half_year_is_refused_with_the_periods_the_sources_state(assistant: Assistant) -> None:
    """H1 2025 is in no source: refused, then Q1 and the first nine months are offered, each cited and labelled as
    another period; no figure is presented as the H1 answer."""
    answer = assistant.ask("How much revenue did MetaX make in the first half of 2025?")
    assert answer.refused, answer.text
    head, *offered = answer.text.splitlines()
    assert "not the period asked" in answer.text and "320 million" not in head
    assert any("Q1 2025" in line and "RMB 320 million" in line for line in offered), answer.text
    assert any("nine months of 2025" in line and "RMB 1.2 billion" in line for line in offered), answer.text
    assert len(answer.citations) == 2
