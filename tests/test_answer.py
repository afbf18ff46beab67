"""The extractive answerer: cited sentences, exact quotes, English units, refusals, follow-ups, bad questions."""

from __future__ import annotations

from pathlib import Path

from assistant import Assistant


def _quote_is_exact(assistant: Assistant, answer) -> None:  # type: ignore[no-untyped-def]
    for c in answer.citations:
        record = assistant.store.documents()[c.doc_id]
        text = Path(record.path).read_text(encoding="utf-8")
        assert c.quote in text
        assert f"[{c.n}]" in answer.text


def test_answer_cites_the_sentence_with_the_figure(assistant: Assistant) -> None:
    answer = assistant.ask("壁仞科技IPO计划募资多少？")
    assert not answer.refused
    assert "42.1亿-48.5亿港元" in answer.text
    assert answer.citations[0].source_id == "t01" and "42.1亿-48.5亿港元" in answer.citations[0].quote
    assert not answer.lead  # a planned raise: the quote says "计划", a one-line label could not
    assert all(line.rstrip().endswith(f"[{n}]") for n, line in enumerate(answer.text.splitlines(), start=1))
    plain = assistant.ask("壁仞科技2024年营收是多少？")
    lead, *quotes = plain.text.splitlines()
    assert lead == plain.lead == "壁仞科技2024年营收：3.37亿元 [1]"  # the answer first, then its quote
    assert quotes[0].endswith("[1]") and "3.37亿元" in plain.citations[0].quote
    _quote_is_exact(assistant, answer)


def test_citation_offsets_point_at_the_quote(assistant: Assistant) -> None:
    answer = assistant.ask("沐曦股份的在手订单有多少？")
    c = answer.citations[0]
    from assistant.ingest.loaders import load

    doc = load(Path(assistant.store.documents()[c.doc_id].path), 10**7)
    assert doc.text[c.start : c.end] == c.quote and "14.3亿元" in c.quote


def test_english_question_over_chinese_source_gives_english_units(assistant: Assistant) -> None:
    answer = assistant.ask("How much does Biren plan to raise in its Hong Kong IPO?")
    assert not answer.refused
    assert "HK$4.21–4.85 billion" in answer.text and answer.text.endswith("[1]")
    assert answer.language == "en"


def test_absent_company_is_refused_without_figures(assistant: Assistant) -> None:
    for question in ("海光信息2024年营收是多少？", "昆仑芯2024年营收是多少？", "What was Kunlunxin's revenue in 2024?"):
        answer = assistant.ask(question)
        assert answer.refused and not answer.citations, question
        assert not any(ch.isdigit() for ch in answer.text.replace("2024", "")), answer.text


def test_unreported_year_is_refused(assistant: Assistant) -> None:
    answer = assistant.ask("壁仞科技2021年营收是多少？")
    assert answer.refused
    assert "语料中没有找到" in answer.text


def test_english_refusal_is_in_english(assistant: Assistant) -> None:
    answer = assistant.ask("What was Hygon's net profit in 2024?")
    assert answer.refused and answer.text.startswith("The corpus has no source")


def test_follow_up_in_chinese_carries_metric_and_period(assistant: Assistant) -> None:
    first = "壁仞科技2024年营收是多少？"
    answer = assistant.ask("那沐曦呢？", history=[first])
    assert not answer.refused and "7.43亿元" in answer.text


def test_follow_up_in_english_carries_company(assistant: Assistant) -> None:
    history = [
        {"role": "user", "content": "What was Biren's revenue in 2024?"},
        {"role": "assistant", "content": "..."},
    ]
    answer = assistant.ask("And its R&D spend?", history=history)
    assert not answer.refused and "8.27亿元" in answer.text


def test_follow_up_accepts_pair_history(assistant: Assistant) -> None:
    answer = assistant.ask("那沐曦呢？", history=[("壁仞科技2024年营收是多少？", "3.37亿元")])
    assert "7.43亿元" in answer.text


def test_empty_and_over_long_questions_get_polite_answers(assistant: Assistant) -> None:
    assert assistant.ask("   ").refused
    long = assistant.ask("壁仞" * 1500)
    assert long.refused and "太长" in long.text


def test_stream_yields_growing_text_then_the_answer(assistant: Assistant) -> None:
    items = list(assistant.stream("壁仞科技2024年净亏损多少？"))
    *parts, final = items
    assert parts and all(isinstance(p, str) for p in parts)
    assert final.text == parts[-1] and "15.38亿元" in final.text
    assert final.timings["total_ms"] > 0
