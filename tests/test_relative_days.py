"""A day an article names relative to its own date (上周四, 昨日, last Thursday), worked out from that date.

The article in ``tests/fixtures/dates/`` is written for these tests (an invented company, dated Monday 2024-05-13).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.periods import RELATIVE_DAY, relative_day
from tests.conftest import ingested

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dates"
MONDAY = dt.date(2024, 5, 13)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("上周四公布", dt.date(2024, 5, 9)),
        ("上週一", dt.date(2024, 5, 6)),
        ("本周五将发布", dt.date(2024, 5, 17)),
        ("昨日晚间", dt.date(2024, 5, 12)),
        ("前天", dt.date(2024, 5, 11)),
        ("said last Thursday", dt.date(2024, 5, 9)),
        ("last Monday", dt.date(2024, 5, 6)),  # the Monday before, not the day itself
        ("yesterday", dt.date(2024, 5, 12)),
    ],
)
def test_a_relative_day_is_counted_from_the_texts_date(text: str, day: dt.date) -> None:
    match = RELATIVE_DAY.search(text)
    assert match is not None and relative_day(match, MONDAY) == day


def test_a_weekday_without_its_week_is_not_resolved() -> None:
    assert RELATIVE_DAY.search("公司星期四公布了业绩") is None


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return ingested(FIXTURES, tmp_path_factory.mktemp("dates") / "store")


@pytest.mark.parametrize(
    "question", ["晨星半导体这份季度业绩是哪一天公布的？", "晨星半導體這份季度業績是哪一天公布的？"]
)
def test_when_a_source_says_last_thursday_the_answer_gives_the_day(assistant: Assistant, question: str) -> None:
    """The quote says 上周四; the answer adds the calendar day it is, from the source's date, and says so."""
    answer = assistant.ask(question)
    assert not answer.refused, answer.text
    assert "上周四" in answer.text and "2024年5月9日" in answer.text and "2024-05-13" in answer.text, answer.text
    assert answer.verification.ok, answer.verification
