"""Question frames: the pieces the relevance gate checks, each on small examples we wrote."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.answer.extractive import candidates, is_heading
from assistant.answer.frame import PeriodAsk, asked_units, period_ask, product_codes, published_before
from assistant.answer.gate import Gate
from assistant.answer.query import Planner
from assistant.entities import default_registry
from assistant.numbers import parse_quantities
from assistant.text import is_traditional, normalise_for_match, simplified
from assistant.types import Hit
from assistant.vocabulary import shipped

REGISTRY = default_registry()
VOCABULARY = shipped()
PLANNER = Planner(REGISTRY, VOCABULARY)
qualifiers, qualifier_conflict = VOCABULARY.qualifiers, VOCABULARY.qualifier_conflict


@pytest.mark.parametrize(
    ("question", "units"),
    [
        ("买壁仞H股，一手是多少股？", {"shares"}),
        ("上市第一天开盘报多少港元？", {"currency"}),
        ("腾讯持有燧原多少股份比例？", set()),  # 多少股份 asks a stake, not a share count
        ("新股占发售股份的几成？", {"%"}),
        ("沐曦发行后总股本多少股？新股占比多少？", set()),  # one clause asks any figure
    ],
)
def test_asked_units(question: str, units: set[str]) -> None:
    assert asked_units(question) == units


def test_an_asked_strict_qualifier_must_be_stated() -> None:
    """扣非 asked: a sentence with headline profit does not answer; 扣非 not asked: a 扣非 sentence does not either."""
    assert qualifier_conflict(qualifiers("扣非净利润是多少"), qualifiers("公司净利润为3亿元"))
    assert qualifier_conflict(qualifiers("净利润是多少"), qualifiers("扣非净利润为2亿元"))
    assert not qualifier_conflict(qualifiers("扣非净利润是多少"), qualifiers("扣非净利润为2亿元"))


def test_listing_events_do_not_answer_each_other() -> None:
    """An acceptance date never answers an approval question, nor an approval a listing question."""
    assert qualifier_conflict(qualifiers("哪天过会的？"), qualifiers("申请于6月30日获受理。"))
    assert qualifier_conflict(qualifiers("哪天上市？"), qualifiers("于9月26日通过上市委员会审议。"))


def test_a_source_published_before_the_asked_month_cannot_report_it() -> None:
    ask = period_ask("壁仞2026年10月那次配售募了多少？")
    assert published_before(ask, "2025-12-22")
    assert not published_before(ask, "2026-10-08")
    assert not published_before(PeriodAsk(), "2020-01-01")


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("# 标题", True),
        ("“5轮融资背后”", True),
        ("**安全可靠测评结果公告（2024年第1号）**", True),
        ("China's AI Chip Startup Raises Funds In New Round", True),
        ("联合创始人、CTO：某某（资深架构师）", True),
        ("据该文，壁仞科技2024年营收为3.37亿元。", False),
        ("| 海光 | C86-4G | Ⅱ级 |", False),
    ],
)
def test_headings_captions_and_pull_quotes_state_nothing(text: str, heading: bool) -> None:
    assert is_heading(text, 0, len(text)) is heading


def test_parts_of_a_question() -> None:
    """Clauses, listed items, and each company and metric asked "各/分别" are parts of their own."""
    items = PLANNER.parts(PLANNER.analyse("国家大基金一期、二期、三期的规模各是多少？"))
    assert [p.required for p in items] == [("一期",), ("二期",), ("三期",)]
    metrics = PLANNER.parts(PLANNER.analyse("寒武纪2025年的营收、净利润分别是多少？"))
    assert [p.main_metrics for p in metrics] == [("revenue",), ("net_profit",)]
    clauses = PLANNER.parts(PLANNER.analyse("At what price did MetaX list, and how many shares did it sell?"))
    assert len(clauses) == 2 and all(p.companies == ("metax",) for p in clauses)
    change = PLANNER.parts(PLANNER.analyse("景嘉微2021年前三季度归母净利润多少？同比涨了多少？"))
    assert change[1].main_metrics == change[0].main_metrics  # 同比涨了多少 is about the profit
    assert PLANNER.parts(PLANNER.analyse("壁仞2024年营收是多少？")) == []


def test_traditional_characters_match_simplified_and_keep_offsets() -> None:
    text = "摩爾線程2024年營收為4.38億元"
    assert normalise_for_match(text) == "摩尔线程2024年营收为4.38亿元"
    assert len(normalise_for_match(text)) == len(text)
    assert parse_quantities(text)[0].value == 438_000_000


def test_stock_codes_are_not_figures_and_per_share_ranges_are_one() -> None:
    assert parse_quantities("寒武纪（688256.SH）发布公告") == []
    price = parse_quantities("招股价为每股17.00港元至19.60港元")
    assert len(price) == 1 and (price[0].low, price[0].high, price[0].unit) == (
        Decimal("17"),
        Decimal("19.6"),
        "per_share",
    )


def test_a_series_takes_its_members_and_an_exact_code_does_not() -> None:
    sentence = "据券商研报，景嘉微JM9231芯片性能与某款显卡相当。"
    hit = Hit("c:0", "d", sentence, {"companies": ""})
    series = PLANNER.analyse("景嘉微JM9系列GPU的性能相当于哪款显卡？")
    exact = PLANNER.analyse("景嘉微JM9的性能相当于哪款显卡？")
    gate = Gate(REGISTRY, VOCABULARY)
    assert gate.judge(series, hit, 0, len(sentence), ()).missing != "product"
    assert gate.judge(exact, hit, 0, len(sentence), ()).missing == "product"


def test_a_period_code_is_a_whole_word_never_part_of_a_model_code() -> None:
    from assistant.text import has_word

    assert has_word("2025h2营收", "h2") and has_word("h2 2025", "h2")
    assert not has_word("fh210显卡", "h2") and not has_word("h264编码", "h2") and not has_word("h100", "h1")
    assert period_ask("Which Nvidia card does Innosilicon's FH210 perform like?").part == ""


@pytest.mark.parametrize(
    ("question", "organisations"),
    [
        ("王平认为要做出大算力芯片，需要解决哪几方面的挑战？", ()),  # a speaker, not the subject
        ("杨建引用的数据里，2021年图形市场有多大？", ()),
        ("現在的910C是用哪家的製程？", ()),  # a time word
        ("中芯国际截至2023年6月的季度收入是多少？", ("中芯国际",)),
        ("智芯未来首款芯片的设计算力是多少？", ("智芯未来",)),  # the name, not its product words
        ("单颗芯片有多少晶体管？", ()),
        ("登临科技的Goldwasser芯片算力是多少？", ("登临科技",)),
    ],
)
def test_a_questions_opening_name_is_an_organisation_only_when_it_names_one(
    question: str, organisations: tuple[str, ...]
) -> None:
    assert PLANNER.plan(question).organisations == organisations


@pytest.mark.parametrize(
    ("question", "traditional"),
    [
        ("百度向华为订了多少颗昇腾910B？", False),  # 昇 is the brand's character in either script
        ("壁仞為甚麼要把BR100的速度調低？", True),
        ("昇騰910C用了幾個裸晶？", True),
        ("What did Ascend ship?", False),
    ],
)
def test_a_question_is_traditional_by_most_of_its_characters(question: str, traditional: bool) -> None:
    assert is_traditional(question) is traditional


@pytest.mark.parametrize(
    ("taiwan", "mainland"),
    [
        ("晶片", "芯片"),
        ("奈米", "纳米"),
        ("頻寬", "带宽"),
        ("台積電以3奈米製程代工這款晶片", "台积电以3纳米制程代工这款芯片"),
        ("記憶體", "存储器"),  # 内存 is shorter: the same-length mainland word
        ("這顆處理器有128個核心", "这颗处理器有128个核心"),  # 核心 is not rewritten by sense (内核)
    ],
)
def test_taiwan_words_become_the_mainlands_when_the_length_holds(taiwan: str, mainland: str) -> None:
    assert simplified(taiwan) == mainland
    assert len(simplified(taiwan)) == len(taiwan)
    assert normalise_for_match(taiwan) == normalise_for_match(mainland)


def test_a_word_matches_alike_alone_and_in_a_sentence() -> None:
    """A word normalises the same way on its own and inside a sentence (both sides of a match agree)."""
    for word in ("核心", "晶片", "昇騰", "頻寬", "記憶體"):
        assert normalise_for_match(word) in normalise_for_match(f"這款產品的{word}很重要")
    assert normalise_for_match("昇騰910C") == normalise_for_match("昇腾910C")


@pytest.mark.parametrize(
    "text",
    ["這款晶片的記憶體頻寬很高", "華為昇騰910C搭配高頻寬記憶體（HBM）", "記憶體 and 頻寬", "奈米、晶片、記憶體"],
)
def test_simplified_text_keeps_every_offset(text: str) -> None:
    """Whatever the words become, each character stays at its offset (quotes are cut from the original)."""
    assert len(simplified(text)) == len(text) and len(normalise_for_match(text)) == len(text)


@pytest.mark.parametrize(
    ("question", "wants_number"),
    [
        ("What type of memory does the Ascend 910C use?", False),  # a kind of memory, not an amount
        ("What kind of memory does Huawei's Ascend 910C use?", False),
        ("How much memory does the Ascend 910C have?", True),
        ("What is the memory bandwidth of Huawei's Ascend 910C?", True),
    ],
)
def test_a_question_for_a_kind_asks_no_figure(question: str, wants_number: bool) -> None:
    assert PLANNER.plan(question).wants_number is wants_number


# A Taiwanese-style sentence: HBM as 高頻寬記憶體, with no figure of bandwidth.
_HBM = "華為昇騰910C搭載的高頻寬記憶體（HBM）由韓國廠商供應。"
_HBM_PLAIN = "昇腾910C采用HBM2e，由海外厂商供货。"
_CAPACITY = "昇腾910C配备了128GB显存。"
_BANDWIDTH = "昇腾910C的显存带宽达到3.2TB/s。"


def _ascend_hit(text: str, **meta: str) -> Hit:
    return Hit("c:0", "d", text, {"companies": "huawei-ascend", "published": "2025-03-01", "title": "测试"} | meta)


@pytest.mark.parametrize(
    "question",
    [
        "What type of high-bandwidth memory does Huawei's Ascend 910C use?",
        "What type of high bandwidth memory does the Ascend 910C use?",
        "昇腾910C用的是哪种高带宽内存？",
    ],
)
def test_high_bandwidth_memory_is_a_memory_not_a_bandwidth(question: str) -> None:
    """The compound term names a kind of memory: the answering sentence need not state a bandwidth."""
    gate = Gate(REGISTRY, VOCABULARY)
    query = PLANNER.plan(question)
    assert all("@bandwidth" not in part for part in gate.required_terms(query))
    for sentence in (_HBM, _HBM_PLAIN):
        verdict = gate.judge(query, _ascend_hit(sentence), 0, len(sentence), ())
        assert verdict.admitted, (sentence, verdict)


@pytest.mark.parametrize(
    "question", ["What is the memory bandwidth of Huawei's Ascend 910C?", "昇腾910C的显存带宽是多少？"]
)
def test_a_memory_bandwidth_question_still_requires_bandwidth(question: str) -> None:
    gate = Gate(REGISTRY, VOCABULARY)
    query = PLANNER.plan(question)
    assert all("@bandwidth" in part for part in gate.required_terms(query))
    assert gate.judge(query, _ascend_hit(_CAPACITY), 0, len(_CAPACITY), ()).missing == "@bandwidth"
    assert gate.judge(query, _ascend_hit(_BANDWIDTH), 0, len(_BANDWIDTH), ()).admitted


def test_a_source_named_in_the_question_is_found_as_the_hits_publisher() -> None:
    """A question citing "the Liberty Times report" names a source: its publisher counts, though the text never
    says it."""
    gate = Gate(REGISTRY, VOCABULARY)
    sentence = "华为今年计划交付约60万颗昇腾910C芯片。"
    query = PLANNER.plan("According to the Liberty Times report, how many Ascend 910C chips will Huawei deliver?")
    theirs = _ascend_hit(sentence, publisher="Liberty Times Net", url="https://news.example.test/ltn/1")
    others = _ascend_hit(sentence, publisher="Morning Post", url="https://news.example.test/mp/1")
    assert gate.judge(query, theirs, 0, len(sentence), ()).admitted
    assert not gate.judge(query, others, 0, len(sentence), ()).admitted


# The second sentence's first figure clause states no period (the paragraph's 2025); its last clause names 2024.
_RESULTS = "寒武纪2025年业绩：营收61.3亿元。净利润19.8亿元，扣非后净利润16.2亿元，2024年则亏损4.1亿元。"


def _results_hit(text: str = _RESULTS) -> Hit:
    return Hit("c:0", "d", text, {"companies": "cambricon", "published": "2026-01-30", "title": "寒武纪年报"})


def test_a_figure_clause_without_a_period_takes_its_paragraphs() -> None:
    gate = Gate(REGISTRY, VOCABULARY)
    hit = _results_hit()
    start = _RESULTS.index("净利润19.8")
    query = PLANNER.plan("寒武纪2025年扣非净利润是多少？")
    assert gate.judge(query, hit, start, len(_RESULTS), ()).admitted
    found = [c.text for c in candidates(query, [hit], gate)]
    assert any("16.2亿元" in text for text in found), found


def test_a_figure_clause_naming_its_period_keeps_it() -> None:
    """A sentence that opens with its own year is not about the paragraph's."""
    gate = Gate(REGISTRY, VOCABULARY)
    text = "寒武纪2025年业绩：营收61.3亿元。2024年净利润为-4.1亿元，扣非后净利润为-8.6亿元。"
    start = text.index("2024年净")
    query = PLANNER.plan("寒武纪2025年扣非净利润是多少？")
    assert gate.judge(query, _results_hit(text), start, len(text), ()).missing == "period"


def test_a_follow_up_for_the_year_before_asks_that_year() -> None:
    """那前一年呢 after a 2025 question asks the same company and metric for 2024; 赚了多少钱 asks net profit."""
    first = "寒武纪2025年赚了多少钱？"
    assert PLANNER.plan(first).main_metrics == ("net_profit",)
    query = PLANNER.plan("那前一年呢？", [first])
    assert query.companies == ("cambricon",)
    assert query.main_metrics == ("net_profit",)
    assert query.period.labels == ("2024",)
    assert [(p.year, p.part) for p in query.periods] == [("2024", "")]
    assert query.wants_number


def test_a_follow_up_without_a_shifting_word_keeps_the_year_asked() -> None:
    """Only 前一年 / the year before moves the year: 那沐曦呢 keeps 2025."""
    query = PLANNER.plan("那沐曦呢？", ["寒武纪2025年赚了多少钱？"])
    assert query.companies == ("metax",) and query.period.labels == ("2025",)


@pytest.mark.parametrize(
    ("history", "question"),
    [
        ("What was MetaX's IPO price?", "How does that compare with Moore Threads'?"),
        ("沐曦的发行价是多少？", "和摩尔线程相比呢？"),
    ],
)
def test_a_follow_up_comparing_with_another_company_asks_both(history: str, question: str) -> None:
    query = PLANNER.plan(question, [history])
    assert set(query.companies) == {"metax", "moore-threads"}
    assert query.main_metrics == ("offer_price",)


def test_a_follow_up_naming_another_company_without_comparing_asks_only_it() -> None:
    query = PLANNER.plan("What about Moore Threads?", ["What was MetaX's IPO price?"])
    assert query.companies == ("moore-threads",)


def test_a_follow_up_asking_an_attribute_of_its_own_does_not_take_the_earlier_metric() -> None:
    """它有多少个核心 after a process question asks the cores of the same product, not its process."""
    query = PLANNER.plan("它有多少个核心？", ["倚天710是几纳米工艺？"])
    assert "process" not in query.metrics and "metrics" not in query.inherited
    assert query.products == ("710",)
    assert query.organisations == ("倚天",)


# A nine-month report, its third quarter broken out (其中…, then a 单季度 clause), then the report's ratios again.
_BREAKDOWN = (
    "海光信息2021年三季报显示，营收8亿元；其中2021年第三季度，单季度营收3亿元；单季度净利润1亿元；"
    "资产负债率15%，毛利率60%。"
)


def _report_hit(text: str) -> Hit:
    return Hit("c:0", "d", text, {"companies": "hygon", "published": "2021-10-28", "title": "海光信息三季报"})


@pytest.mark.parametrize(
    ("question", "sentence", "admitted"),
    [
        ("海光信息2021年三季报的毛利率是多少？", "资产负债率15%，毛利率60%。", True),  # back to the report
        ("海光信息2021年第三季度的毛利率是多少？", "资产负债率15%，毛利率60%。", False),
        ("海光信息2021年第三季度净利润是多少？", "单季度净利润1亿元；", True),  # continues the breakdown
        ("海光信息2021年三季报的净利润是多少？", "单季度净利润1亿元；", False),
    ],
)
def test_a_breakdown_holds_only_for_the_sentences_continuing_it(question: str, sentence: str, admitted: bool) -> None:
    gate = Gate(REGISTRY, VOCABULARY)
    start = _BREAKDOWN.index(sentence)
    verdict = gate.judge(PLANNER.plan(question), _report_hit(_BREAKDOWN), start, start + len(sentence), ())
    assert verdict.admitted is admitted, verdict
    if not admitted:
        assert verdict.missing == "period"


_QUARTER = (
    "海光信息2021年第三季度：单季度营收5亿元；单季度扣非净利润1.2亿元，同比上升117%；"
    "单季度归母净利润1.24亿元，同比上升114%。"
)


@pytest.mark.parametrize(
    "question", ["海光信息2021年第三季度归母净利润是多少？", "海光信息2021年第三季度归母净利润同比增长多少？"]
)
def test_a_clause_naming_no_measure_takes_the_qualifiers_of_the_clause_before_it(question: str) -> None:
    """同比上升117% names no measure: it is the 扣非 profit's growth, so the 扣非 sentence never answers a 归母
    question through it."""
    gate = Gate(REGISTRY, VOCABULARY)
    query = PLANNER.plan(question)
    recurring = "单季度扣非净利润1.2亿元，同比上升117%；"
    attributable = "单季度归母净利润1.24亿元，同比上升114%。"
    start = _QUARTER.index(recurring)
    verdict = gate.judge(query, _report_hit(_QUARTER), start, start + len(recurring), ())
    assert verdict.missing == "qualifier", verdict
    start = _QUARTER.index(attributable)
    assert gate.judge(query, _report_hit(_QUARTER), start, start + len(attributable), ()).admitted


_DENSE = "某卡的稠密算力最高可达1,000 TFLOPS。"


def _plain_hit(text: str, companies: str = "", published: str = "2025-10-28") -> Hit:
    return Hit("c:0", "d", text, {"companies": companies, "published": published, "title": "Test"})


def test_zui_gao_neng_allows_a_stated_maximum_without_requiring_one() -> None:
    """最高能到多少 is answered by 最高可达…, and by a plain figure too (the source need not say 最高)."""
    gate = Gate(REGISTRY, VOCABULARY)
    asked = PLANNER.plan("某卡稠密算力最高能到多少？")
    for sentence in ("某卡的稠密算力最高可达1,000 TFLOPS。", "某卡的稠密算力为1,000 TFLOPS。"):
        assert not gate._measures_otherwise(asked, sentence)


def test_a_figure_with_a_thousands_separator_is_one_figure() -> None:
    """1,000 is one figure, not two clauses: the sentence's 最高可达 holds for it. It answers a question asking the
    maximum and, the maximum being strict, not one that does not ask it."""
    gate = Gate(REGISTRY, VOCABULARY)
    asked = PLANNER.plan("某卡稠密算力最高能到多少？")
    assert gate.judge(asked, _plain_hit(_DENSE), 0, len(_DENSE), ()).admitted
    assert [c.text for c in candidates(asked, [_plain_hit(_DENSE)], gate)] == [_DENSE]
    plain = PLANNER.plan("某卡稠密算力是多少？")
    assert gate.judge(plain, _plain_hit(_DENSE), 0, len(_DENSE), ()).missing == "qualifier"


@pytest.mark.parametrize(
    "other",
    [
        "寒武纪2024年的经营数据显示，AI算力产品收入占营收的94%。",  # a share
        "寒武纪2024年AI算力产品收入为11亿元。",  # a sum of money
    ],
)
def test_a_performance_question_is_never_answered_by_a_share_or_a_sum(other: str) -> None:
    gate = Gate(REGISTRY, VOCABULARY)
    query = PLANNER.plan("寒武纪芯片的算力是多少？")
    assert candidates(query, [_plain_hit(other, "cambricon")], gate) == []
    performance = "寒武纪思元590的算力为256 TOPS。"
    found = [c.text for c in candidates(query, [_plain_hit(f"{other}{performance}", "cambricon")], gate)]
    assert found == [performance]


_NODE = "The current Ascend 910C chip uses SMIC's 7nm tech."


@pytest.mark.parametrize(
    "question", ["Whose manufacturing process does the Ascend 910C use?", "What process node is the Ascend 910C on?"]
)
def test_a_process_is_named_by_an_nm_figure(question: str) -> None:
    """A sentence naming no process word states the process by its nm figure; one with no nm figure does not."""
    gate = Gate(REGISTRY, VOCABULARY)
    query = PLANNER.plan(question)
    assert query.main_metrics == ("process",)
    text = f"{_NODE} The Ascend 910C chip packs 53 billion transistors. The Ascend 910C is made by SMIC."
    found = [c.text for c in candidates(query, [_plain_hit(text, "huawei-ascend")], gate)]
    assert found == [_NODE]


# The round's words (Series D, Tencent) are in the sentence before the answering one.
_ROUND = "Enflame's Series D round, led by Tencent, closed in May."
_PARTNER = "A provincial fund also came in as a strategic partner."
_FILLER = " The company said demand for its training cards kept growing through the spring." * 6


@pytest.mark.parametrize(
    ("text", "admitted"),
    [
        (f"{_ROUND} {_PARTNER}", True),
        (f"{_ROUND}\n\n{_PARTNER}", True),  # another paragraph, within 400 characters
        (f"{_ROUND}{_FILLER} {_PARTNER}", False),  # more than 400 characters before
    ],
)
def test_english_coverage_reads_the_400_characters_before_the_sentence(text: str, admitted: bool) -> None:
    gate = Gate(REGISTRY, VOCABULARY)
    query = PLANNER.plan("Which strategic partners joined Enflame's Series D round led by Tencent?")
    start = text.rindex(_PARTNER)
    verdict = gate.judge(query, _plain_hit(text, "enflame"), start, start + len(_PARTNER), ())
    assert verdict.admitted is admitted, verdict


@pytest.mark.parametrize(
    ("question", "sentence", "companies"),
    [
        (
            "Which provincial funds joined Biren's rounds?",
            "Biren said a provincial fund is joining the round.",
            "biren",
        ),
        (
            "Which law firms advised the sponsors and underwriters?",
            "A Shanghai law firm was adviser to the sponsor and the underwriter.",
            "",
        ),
    ],
)
def test_english_question_words_match_their_inflected_forms(question: str, sentence: str, companies: str) -> None:
    """funds ↔ fund, joined ↔ joining, rounds ↔ round, advised ↔ adviser."""
    gate = Gate(REGISTRY, VOCABULARY)
    verdict = gate.judge(PLANNER.plan(question), _plain_hit(sentence, companies), 0, len(sentence), ())
    assert verdict.admitted, verdict


def test_a_quarter_named_by_its_last_month_is_asked_as_that_quarter() -> None:
    assert period_ask("中芯国际截至2023年6月的季度收入是多少？").labels == ("2023Q2",)
    assert period_ask("截至2025年9月30日的在手订单是多少？").labels == ()  # a day: no quarter asked


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("规定要求低于 600 GB/s，为了", []),
        ("功耗 300 W", []),
        ("算力 256 TOPS", []),
        ("昇腾 910 和昇腾910B", ["910", "910b"]),
    ],
)
def test_a_number_followed_by_its_unit_is_a_measure_not_a_model(text: str, codes: list[str]) -> None:
    assert product_codes(text) == codes


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("What is the data transfer rate of Biren's BR100?", True),  # a measured attribute
        ("What was Biren's revenue in 2024?", True),  # a metric
        ("Does the MTT S10 need external power, and what is its board form factor?", False),  # a thing
        ("What is Moore Threads' foundry?", False),  # a named attribute: a party, not a figure
    ],
)
def test_what_is_asks_a_figure_only_of_a_measure(question: str, figure: bool) -> None:
    assert PLANNER.analyse(question).wants_number is figure
