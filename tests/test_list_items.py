"""A list a source gives one item per sentence, and event questions over a span of years.

The articles in ``tests/fixtures/lists/`` are written for these tests (an invented company and products).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answer.frame import event_span
from tests.conftest import ingested

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lists"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return ingested(FIXTURES, tmp_path_factory.mktemp("lists") / "store")


@pytest.mark.parametrize(
    "question",
    [
        "星河芯片2026年到2028年的路线图上有哪些加速卡？",
        "Which accelerators are on 星河芯片's roadmap for 2026 to 2028?",
    ],
)
def test_a_roadmap_written_one_product_per_sentence_is_listed_whole(assistant: Assistant, question: str) -> None:
    """Four sentences, one product each, in one paragraph: all four, in the source's order; the other article's
    production plan for XH100 is no roadmap item and the answer does not need it."""
    answer = assistant.ask(question)
    assert not answer.refused, answer.text
    at = [answer.text.find(code) for code in ("XH300", "XH350", "XH500", "XH700")]
    assert all(i >= 0 for i in at) and at == sorted(at), answer.text


def test_an_event_in_a_quarter_answers_a_question_about_its_year(assistant: Assistant) -> None:
    """ "2027年推出哪款" is answered by a launch planned for 2027年第三季度 (a figure question would not be)."""
    answer = assistant.ask("星河芯片计划2027年推出哪款加速卡？")
    assert not answer.refused and "XH500" in answer.text, answer.text
    assert "XH300" not in answer.text.splitlines()[0], answer.text


@pytest.mark.parametrize(
    ("question", "labels", "span"),
    [
        ("Which chips are due 2026 to 2028?", ("2026", "2028"), (2026, 2028)),
        ("2022至2024年谁担任CEO？", ("2022", "2024"), (2022, 2024)),
        ("2025年推出了哪款芯片？", ("2025",), (2025, 2025)),
        ("哪款芯片最先推出？", (), None),
    ],
)
def test_the_years_an_event_question_asks(question: str, labels: tuple[str, ...], span: object) -> None:
    assert event_span(question, labels) == span
