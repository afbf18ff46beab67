"""Answers beyond a company's figure: names outside the registry asked in English, and "which card" questions.

The articles in ``tests/fixtures/answer_types/`` and ``tests/fixtures/measures/`` are written for these tests
(invented figures and models).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from tests.conftest import ingested

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "answer_types"
MEASURES = Path(__file__).resolve().parent / "fixtures" / "measures"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return ingested(FIXTURES, tmp_path_factory.mktemp("answer-types") / "store")


@pytest.mark.parametrize(
    ("question", "right", "other"),
    [
        ("How much did Innosilicon plan to raise in 2023?", "12.6亿元", "8.4亿元"),
        ("How much did Denglin plan to raise in 2023?", "8.4亿元", "12.6亿元"),
    ],
)
def test_an_english_question_names_a_company_as_chinese_articles_write_it(
    assistant: Assistant, question: str, right: str, other: str
) -> None:
    """Innosilicon is 芯动科技 and Denglin is 登临科技 (``data/names.yaml``): the English name finds the Chinese
    sentence, and the other company's raise in the same year is never the answer."""
    answer = assistant.ask(question)
    assert not answer.refused, answer.text
    assert right in answer.text and other not in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    ["芯动科技FH210的性能相当于哪款显卡？", "Which Nvidia card does Innosilicon's FH210 perform like?"],
)
def test_which_card_is_answered_by_a_sentence_naming_another_product(assistant: Assistant, question: str) -> None:
    """ "哪款显卡" asks for a product the question does not name: the sentence comparing FH210 with RTX 2070 answers;
    FH210's tape-out, process and power sentences (which name no other card) never lead."""
    answer = assistant.ask(question)
    assert not answer.refused, answer.text
    assert answer.text.splitlines()[0].count("RTX 2070") == 1, answer.text
    assert "流片" not in answer.text.splitlines()[0]


def test_which_card_with_no_comparison_in_the_sources_is_refused(assistant: Assistant) -> None:
    """Goldwasser II is described, but no source compares it with another card: no sentence may answer."""
    answer = assistant.ask("登临科技Goldwasser II的性能相当于哪款显卡？")
    assert answer.refused, answer.text


def test_a_product_ratio_the_facts_do_not_hold_is_shown_with_the_other_sources_values(assistant: Assistant) -> None:
    """ "FH210 is 70% of an RTX 2070" is no stored fact, so conflict notes cannot compare it: the answer quotes
    the vendor's 85% and the review's 70% side by side instead of one of them alone."""
    answer = assistant.ask("FH210的性能大约是RTX 2070的多少？")
    assert not answer.refused, answer.text
    assert "85%" in answer.text and "70%" in answer.text, answer.text


def test_which_two_names_two_products_of_the_numbered_notice_asked(assistant: Assistant) -> None:
    """ "第2号公告…哪两款" asks for two products of that notice: both of its rows answer, and no row of 第1号."""
    answer = assistant.ask("2023年第2号公告里入选的是哪两款处理器？")
    assert not answer.refused, answer.text
    assert "QX-5100" in answer.text and "QX-5200" in answer.text, answer.text
    assert "QX-3100" not in answer.text and "QX-3200" not in answer.text, answer.text


def test_which_two_with_only_one_product_in_the_sources_is_refused(assistant: Assistant) -> None:
    """Only one card is ever compared with FH210: "哪两款" gets a refusal saying not all were found, not one card."""
    answer = assistant.ask("芯动科技FH210的性能相当于哪两款显卡？")
    assert answer.refused and "RTX 2070" not in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "lead"),
    [("行歌科技的执行总裁是谁？", "王平 [1]"), ("Who is the executive president of Xingge?", "Wang Ping (王平) [1]")],
)
def test_who_states_the_person_first(assistant: Assistant, question: str, lead: str) -> None:
    """A "who" answer opens with the person the quoted sentence names (in pinyin with the characters in English),
    then the cited sentence."""
    answer = assistant.ask(question)
    assert not answer.refused, answer.text
    assert answer.text.splitlines()[0] == lead, answer.text


@pytest.mark.parametrize(
    ("question", "name", "tracked"),
    [
        ("昆仑芯2024年营收是多少？", "昆仑芯", "壁仞科技"),
        ("What was Acme Semiconductor's revenue in 2024?", "Acme Semiconductor", "Biren Technology"),
    ],
)
def test_an_organisation_no_source_mentions_is_named_as_outside_the_corpus(
    assistant: Assistant, question: str, name: str, tracked: str
) -> None:
    answer = assistant.ask(question)
    assert answer.refused and name in answer.text and tracked in answer.text, answer.text


def test_a_traditional_question_gets_a_traditional_frame_and_the_quote_as_written(assistant: Assistant) -> None:
    """Our own words follow the question's script; the cited sentence stays in the article's simplified text."""
    answer = assistant.ask("昆侖芯2024年營收是多少？")
    assert answer.refused and "語料中沒有" in answer.text, answer.text
    quoted = assistant.ask("芯動科技FH210的性能相當於哪款顯卡？")
    assert not quoted.refused, quoted.text
    assert quoted.citations[0].quote in quoted.text and "英伟达RTX 2070" in quoted.text, quoted.text


@pytest.mark.parametrize(
    "question", ["国产GPU企业面临的主要挑战是什么？", "What are the main challenges facing domestic GPU makers?"]
)
def test_a_challenges_question_gets_a_cited_summary_without_filler(assistant: Assistant, question: str) -> None:
    """No one sentence answers it: the summary quotes the sentences naming the challenges (software ecosystem,
    manufacturing capacity, funding), each cited, never the "challenger" label line or the venue line."""
    answer = assistant.ask(question)
    assert not answer.refused, answer.text
    body = "\n".join(answer.text.splitlines()[1:])
    assert sum(word in body for word in ("软件生态", "产能", "资金")) >= 2, answer.text
    assert "挑战者" not in body and "上千名观众" not in body, answer.text
    assert len(answer.citations) >= 2


def test_a_why_question_without_a_reason_in_the_sources_is_refused(assistant: Assistant) -> None:
    """The sources describe FH210 but never say why it was delayed: a "why" needs a sentence giving a reason."""
    answer = assistant.ask("芯动科技为什么推迟FH210的量产？")
    assert answer.refused, answer.text


def test_a_reason_naming_no_product_is_the_product_its_paragraph_goes_on_to_name(assistant: Assistant) -> None:
    """The reason sentence says "the chip" and a bandwidth limit (500 GB/s is a measure, not a model); the next
    sentence of its paragraph names FH210, so the reason is FH210's."""
    answer = assistant.ask("芯动科技为什么要把FH210的频率调低？")
    assert not answer.refused, answer.text
    assert "为了让代工厂继续为其生产" in answer.text


def test_a_month_without_its_year_dates_the_event_in_its_own_clause(assistant: Assistant) -> None:
    """ "今年5月完成流片" answers when FH210 taped out; "今年6月又宣布完成融资" does not say when 登临 was founded."""
    answer = assistant.ask("芯动科技FH210是什么时候流片的？")
    assert not answer.refused and "今年5月" in answer.text, answer.text
    founded = assistant.ask("登临科技是什么时候成立的？")
    assert founded.refused, founded.text


@pytest.mark.parametrize(
    "question",
    [
        "刘晨光认为要做出大算力的车载芯片需要跨过哪几道坎？",
        "What are the hurdles Liu Chenguang lists for big automotive chips?",
    ],
)
def test_a_list_question_gets_every_item_of_the_numbered_list_in_order(assistant: Assistant, question: str) -> None:
    """The talk numbers four hurdles in four paragraphs (第一个… to 第四个…): each item is cited, in the source's
    order, and the English question finds the speaker by his pinyin name (Liu Chenguang: 刘晨光)."""
    answer = assistant.ask(question)
    assert not answer.refused, answer.text
    items = ["存储带宽", "工具链", "车规认证", "量产供应"]
    at = [answer.text.find(item) for item in items]
    assert all(i >= 0 for i in at) and at == sorted(at), answer.text
    assert len(answer.citations) == 4


def test_a_list_question_no_numbered_list_answers_gets_no_list(assistant: Assistant) -> None:
    """A numbered list about something else (the talk's hurdles) never answers a list question on investors."""
    answer = assistant.ask("智芯未来有哪些投资方？")
    assert "第一个" not in answer.text, answer.text


@pytest.mark.parametrize("question", ["LX1的互联带宽是多少？", "What is the interconnect bandwidth of the LX1 chip?"])
def test_a_measure_with_two_values_in_one_source_shows_both(assistant: Assistant, question: str) -> None:
    """Bandwidth is no filed fact, so no conflict note can compare it: the source's original and revised values
    are both quoted, each cited."""
    answer = assistant.ask(question)
    assert not answer.refused, answer.text
    assert "720 GB/s" in answer.text and "560 GB/s" in answer.text, answer.text


def test_a_question_opening_with_a_name_and_its_product_keeps_to_that_name(assistant: Assistant) -> None:
    """智芯未来首款芯片…: the organisation is 智芯未来 (the product words are not its name), so another maker's
    figure (FH210's) never joins the answer."""
    answer = assistant.ask("智芯未来首款芯片的设计算力是多少？")
    assert not answer.refused, answer.text
    assert "180TOPS" in answer.text and "FH210" not in answer.text, answer.text


def test_a_reason_that_points_back_is_given_with_what_it_points_to(assistant: Assistant) -> None:
    """基于上述因素…: the decision sentence names no reason itself; the sentences before it, which do, are quoted
    with it, in order."""
    answer = assistant.ask("蓝图微电子为什么终止车载显示芯片项目？")
    assert not answer.refused, answer.text
    price, clients, decision = (answer.text.find(w) for w in ("价格下降", "推迟", "基于上述因素"))
    assert 0 <= price < clients < decision, answer.text


@pytest.fixture(scope="module")
def measures(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """Cambricon's profit for two years and its revenue mix; the process of Huawei's Ascend 910C."""
    return ingested(MEASURES, tmp_path_factory.mktemp("measures") / "store")


def test_a_follow_up_for_the_year_before_is_answered_with_that_years_figure(measures: Assistant) -> None:
    """赚了多少钱 asks the net profit; 那前一年呢 then asks it for 2024, not 2025 again."""
    first = "寒武纪2025年赚了多少钱？"
    answer = measures.ask(first)
    assert not answer.refused and "18.6亿元" in answer.text, answer.text
    before = measures.ask("那前一年呢？", history=[first])
    assert not before.refused, before.text
    assert "2.7亿元" in before.text and "18.6亿元" not in before.text, before.text


def test_a_performance_question_is_not_answered_by_a_share_of_revenue(measures: Assistant) -> None:
    """The only sentence with 算力 and a figure gives a share of revenue (96%): no computing power is stated."""
    answer = measures.ask("寒武纪芯片的算力是多少？")
    assert answer.refused and "96%" not in answer.text, answer.text


@pytest.mark.parametrize(
    "question", ["Whose manufacturing process does the Ascend 910C use?", "昇腾910C用的是几纳米工艺？"]
)
def test_a_process_question_is_answered_by_the_nm_figure(measures: Assistant, question: str) -> None:
    """ "uses SMIC's 7nm tech" names no process word: its 7nm figure states the process."""
    answer = measures.ask(question)
    assert not answer.refused, answer.text
    assert "7nm" in answer.text.splitlines()[0] and "40%" not in answer.text, answer.text


def test_an_english_phrase_is_covered_by_its_chinese_rendering(assistant: Assistant) -> None:
    """ "external power" is 外接供电 as one phrase (neither word's own rendering is in the sentence)."""
    answer = assistant.ask("Does Innosilicon's FH210 need an external power connector, and what is its board form?")
    assert not answer.refused, answer.text
    assert "无需外接供电" in answer.text.splitlines()[0]


def test_an_english_question_ranks_the_sentence_naming_its_action_over_its_organisation(assistant: Assistant) -> None:
    """Both sentences pass; the Commerce Department is one name (one term of the question), so the sentence with
    the interim guidance and the warning (three terms) leads the one naming only the department."""
    answer = assistant.ask("What did the US Commerce Department's interim guidance warn companies against buying?")
    assert not answer.refused, answer.text
    assert "警告企业" in answer.text.splitlines()[0], answer.text


def test_a_list_given_one_sentence_per_item_is_answered_whole(assistant: Assistant) -> None:
    """第一项 … 另一项 … 还将: each sentence is one item of the sequence; leaving the middle one out would be a
    wrong list."""
    answer = assistant.ask("登临科技本轮融资要投到哪几块？")
    assert not answer.refused, answer.text
    for item in ("下一代推理芯片的研发", "扩充海外销售团队", "补充流动资金"):
        assert item in answer.text, (item, answer.text)
