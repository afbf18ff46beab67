"""Listing and first-day questions over one English report and one Chinese digest of the same (invented) debut.

The articles in ``tests/fixtures/debut/`` are written for these tests: the opening price is only in the English
report, each source gives its own closing price, and the first-day section's later sentences sit in a chunk of their
own below the section heading.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from tests.conftest import ingested

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "debut"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return ingested(FIXTURES, tmp_path_factory.mktemp("debut") / "store")


def test_a_chinese_question_reaches_the_english_report_by_the_asked_attribute(assistant: Assistant) -> None:
    """开盘 is the opening price: the English extra search looks for "opened at", and the Chinese digest's closing
    price is neither the answer nor a conflicting value (an opening price does not disagree with a close)."""
    answer = assistant.ask("燧原首日开盘价是多少？")
    assert not answer.refused, answer.text
    assert "88.80" in answer.text.splitlines()[0], answer.text
    assert "75.9" not in answer.text and "76.40" not in answer.text and not answer.conflicts, answer.text


def test_two_closing_prices_are_a_conflict(assistant: Assistant) -> None:
    """Both sources state the close, differently: the answer gives one and notes the other as a disagreement."""
    answer = assistant.ask("燧原首日收盘收在多少？")
    assert not answer.refused, answer.text
    assert "75.9" in answer.text and "76.40" in answer.text and answer.conflicts, answer.text
    assert "88.80" not in answer.text


def test_a_section_heading_in_an_earlier_chunk_qualifies_its_sentences(assistant: Assistant) -> None:
    """The close sentence names no "first day": its section heading does, from the chunk before."""
    chunks = [
        h for h in assistant.store.chunks_of(_doc_id(assistant, "enflame_debut_report")) if "closed at 76.40" in h.text
    ]
    assert chunks and "First-day trading" not in chunks[0].text.split("closed at")[0]
    assert chunks[0].metadata["heading"] == "## First-day trading"
    answer = assistant.ask("What did Enflame close at on its first trading day?")
    assert not answer.refused and "76.40" in answer.text, answer.text


def test_a_follow_up_asking_where_it_closed_gets_the_close(assistant: Assistant) -> None:
    answer = assistant.ask("And where did it close?", history=["What did Enflame open at on its first day?"])
    assert not answer.refused, answer.text
    lead = answer.text.splitlines()[0]
    assert ("76.40" in lead or "75.9" in lead) and "88.80" not in lead, answer.text


def test_the_asked_step_of_a_listing_dates_it(assistant: Assistant) -> None:
    """申请获受理 names the listing's acceptance: its date answers; the listing day (no 受理) does not."""
    answer = assistant.ask("燧原科技的科创板上市申请是哪天被受理的？")
    assert not answer.refused, answer.text
    assert "2025年9月12日" in answer.text and "2026年3月5日" not in answer.text, answer.text


def test_a_sum_of_money_is_not_answered_by_a_percentage(assistant: Assistant) -> None:
    """ "196% above the IPO price" states no worth: refused rather than quoted."""
    answer = assistant.ask("What was Enflame worth at its IPO price?")
    assert answer.refused, answer.text
    assert "196%" not in answer.text


def test_a_share_of_revenue_is_answered_by_a_percentage(assistant: Assistant) -> None:
    answer = assistant.ask("What share of Enflame's revenue came from its largest customer?")
    assert not answer.refused, answer.text
    assert "63.5%" in answer.text


def test_a_question_word_is_covered_by_its_close_glossary_sibling(assistant: Assistant) -> None:
    """推出 and 发布 render the same English words in several glossary entries (launch, release, unveil)."""
    answer = assistant.ask("燧原云燧T30是什么时候推出的？")
    assert not answer.refused, answer.text
    assert "2024年6月" in answer.text


def test_a_loose_sibling_does_not_stand_for_the_asked_thing(assistant: Assistant) -> None:
    """裸片 (die) and 芯片 (chip) share one glossary entry only: chip shipments do not answer a question on dies."""
    answer = assistant.ask("燧原明年计划生产多少颗裸片？")
    assert answer.refused, answer.text


def _doc_id(assistant: Assistant, stem: str) -> str:
    return next(d.doc_id for d in assistant.store.documents().values() if stem in d.path)


def test_an_english_line_naming_its_source_and_date_gets_no_second_as_of(assistant: Assistant) -> None:
    """A first-day price changes with the day: its line is dated. A Chinese quote rendered for an English question
    already opens "Per 芯片快讯, 2026-03-06:", so no "As of …, per [n]:" is put in front of it."""
    answer = assistant.ask("What did Enflame close at on its first trading day?")
    assert not answer.refused, answer.text
    lines = answer.text.splitlines()
    assert any(line.startswith("Per 芯片快讯, 2026-03-06:") for line in lines), answer.text
    assert not any(line.startswith("As of") and "Per 芯片快讯" in line for line in lines), answer.text
    assert not any(", per [" in line for line in lines), answer.text  # the [n] closes the line, once
    # "closed at 76.40 yuan on 5 March 2026" dates itself: no publication date is put in front as its "as of"
    assert any(line.startswith("Per the report, Enflame's shares closed at 76.40") for line in lines), answer.text
