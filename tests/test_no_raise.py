"""Questions never raise: whatever the text (any Unicode, empty, huge, mixed scripts, half-formed calculation
questions about companies the sources do not cover) and whatever the history, ``Assistant.ask`` returns an
``Answer``; and a calculation that cannot be done is a plan naming what is missing, never an exception.

Three properties (hypothesis, the deterministic fake embedder, no network): any text over a small real store built
from short articles written for this test (invented figures, an invented company and product, a traditional-Chinese
and an English brief); calculation questions spliced from templates; and every planner over random stored figures.
Then one regression test per crash found, in the exact shape that crashed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation, Overflow
from typing import Any

import pytest
from conftest import make_assistant
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import Assistant
from assistant.answer import calculate, working
from assistant.answer.calculate import Plan
from assistant.answer.operands import Pool, label
from assistant.answer.query import Period, Planner, Query
from assistant.conflicts import SourcedFact
from assistant.entities import default_registry
from assistant.facts import Fact
from assistant.numbers import Quantity
from assistant.types import Answer, Hit
from assistant.verify import verify
from assistant.vocabulary import shipped

REGISTRY = default_registry()
VOCABULARY = shipped()
analyse = Planner(REGISTRY, VOCABULARY).analyse

# Short articles written for this test: the figures are invented.
ARTICLES = {
    "hygon_9m.md": """---
title: "测试：海光信息前三季度业绩快报"
publisher: 测试证券报
published: 2021-10-28
url: https://example.test/nr/hygon-9m
language: zh
companies: [hygon]
reliability: news
source_id: nr01
kind: brief
---
# 海光信息前三季度业绩

海光信息2021年前三季度营业收入为15.20亿元，同比增长118.5%。
海光信息2021年前三季度归母净利润为3.10亿元，同比增长246%。海光信息2020年前三季度归母净利润为0.90亿元。
海光信息2020年营收为10.40亿元。海光信息2022年营收为51.80亿元。海光信息2022年研发投入为20.70亿元。
""",
    "iluvatar_ipo.md": """---
title: "测试：天数智芯港股招股"
publisher: 测试日报
published: 2025-12-30
url: https://example.test/nr/iluvatar-ipo
language: zh
companies: [iluvatar]
reliability: news
source_id: nr02
kind: brief
---
# 天数智芯启动招股

天数智芯本次发行股数为2,500万股，每股发行价为120.00-140.00港元，预计募资30亿-35亿港元。
天数智芯2025年上半年净亏损为6.40亿元。天数智芯2024年净亏损为8.90亿元，2024年营收为5.40亿元。
天数智芯将于2026年3月18日在港交所挂牌上市。有分析人士认为，这笔资金能撑到2028年。
""",
    "xinglan_xg200.md": """---
title: "测试：星澜微电子发布XG200"
publisher: 测试科技
published: 2025-06-12
url: https://example.test/nr/xinglan
language: zh
companies: []
reliability: news
source_id: nr03
kind: brief
---
# 星澜微电子发布XG200训练卡

星澜微电子发布XG200训练卡，FP16算力为256 TFLOPS，单卡售价约为8万元。
星澜微电子2024年营收为2.35亿元，同比增长48%，研发投入占营收比重超过六成。
星澜微电子计划科创板IPO，拟募资12亿元。
""",
    "enflame_tc.md": """---
title: "測試：燧原科技年度財報"
publisher: 測試財經
published: 2025-04-20
url: https://example.test/nr/enflame-tc
language: zh
companies: [enflame]
reliability: news
source_id: nr04
kind: brief
---
# 燧原科技年度業績

燧原科技2024年營收為9.87億元，同比增長35%。燧原科技2024年淨虧損為12.30億元，研發開支為7.65億元。
燧原科技2023年營收為7.31億元。
""",
    "moore_en.md": """---
title: "Test: Moore Threads half-year figures"
publisher: Test Markets
published: 2025-08-29
url: https://example.test/nr/moore-en
language: en
companies: [moore-threads]
reliability: primary
source_id: nr05
kind: brief
---
# Moore Threads' first half

Moore Threads' revenue for the first half of 2025 was 7.02亿 yuan, up 180% year on year.
Moore Threads' net loss for the first half of 2025 was 2.71亿 yuan.
Polaris Compute, a smaller rival, raised US$50 million.
Moore Threads' 2024 revenue was 4.38亿 yuan and its 2023 revenue was 1.24亿 yuan.
""",
    "enflame_ipo.md": """---
title: "测试：燧原科技科创板募资"
publisher: 测试日报
published: 2025-12-30
url: https://example.test/nr/enflame-ipo
language: zh
companies: [enflame]
reliability: news
source_id: nr06
kind: brief
---
# 燧原科技拟募资40亿元

燧原科技预计募资40亿元。燧原科技2025年上半年净亏损为3万元。燧原科技将于2026年6月1日在科创板挂牌上市。
""",
}


# -- the store ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A fake-embedder assistant over the articles above (built once for the module)."""
    root = tmp_path_factory.mktemp("no-raise")
    folder = root / "docs"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    a = make_assistant(root / "store")
    report = a.ingest([folder])
    assert report.ok, report.failed
    return a


# -- questions ---------------------------------------------------------------------------------------------------
COMPANIES = (
    "海光信息",
    "海光",
    "天数智芯",
    "燧原科技",
    "燧原",
    "摩尔线程",
    "Moore Threads",
    "Hygon",
    "Iluvatar",
    "Enflame",
    "星澜微电子",
    "某某公司",
    "北辰算力",
    "Polaris Compute",
    "XG200",
    "它",
    "该公司",
    "",
)
PERIODS = (
    "2021年前三季度",
    "2021年前三个季度",
    "2020年",
    "2022年",
    "2024年",
    "2025年上半年",
    "上半年",
    "下半年",
    "2023年至2025年",
    "2020-2022年",
    "2022年到2025年上半年",
    "FY2024",
    "H1 2025",
    "Q3 2021",
    "2024年第四季度",
    "2099年",
    "1999年",
    "2045年",
    "",
)
METRICS = (
    "营收",
    "营业收入",
    "归母净利润",
    "扣非净利润",
    "净亏损",
    "亏损",
    "研发投入",
    "募资",
    "募资净额",
    "发行价",
    "发行股数",
    "市值",
    "毛利率",
    "revenue",
    "net loss",
    "net profit",
    "R&D",
    "IPO proceeds",
    "offer price",
    "",
)
ASKS = (
    "是多少？",
    "同比涨了多少？",
    "同比增长多少？",
    "增长多少",
    "是上一年的几倍？",
    "能撑多久？",
    "占营收比重是多少？",
    "合计多少？",
    "换算成美元是多少？",
    "换算成港元",
    "的CAGR是多少",
    "年复合增长率是多少？",
    "比去年多多少？",
    "相差多少？",
    "按1港元兑0.92元人民币计算",
    "按0.13的汇率换成美元",
    "按上限计算募资多少",
    "算一下",
    "",
)
FIGURES = (
    "3.37亿元",
    "42.1亿-48.5亿港元",
    "0",
    "0元",
    "0.00000001元",
    "1港元兑0元人民币",
    "0%",
    "-100%",
    "100%",
    "2,500万股",
    "120.00-140.00港元",
    "9" * 40 + "亿元",
    "1e999999",
    "十亿",
    "五千万",
    "120%",
    "1/0",
    "2**99",
    "(((1+2)))",
    "0^-1",
    "100港元",
    "7.8 HKD per USD",
    "HKD/CNY 0",
    "",
)
TEMPLATES = (
    "{c}{p}的{m}{a}",
    "{c}{p}{m}是多少？{a}",
    "{c}{p}的{m}是多少？同比涨了多少？",
    "{c}和{c2}{p}的{m}{a}",
    "{c}{m}是{c2}的几倍？",
    "{c}{p}{m}{f}，{a}",
    "按{p}的亏损速度，{c}IPO募资能撑多久？{f}",
    "{c}{p}到{p2}{m}的CAGR是多少？",
    "{c}{p}{m}和{p2}{m}合计多少？",
    "{c}发行{f}，每股{f2}，{a}",
    "{f}换算成美元是多少？{a}",
    "计算{f}+{f2}",
    "How much did {c} {m} grow in {p}?",
    "What is {c}'s {m} CAGR from {p} to {p2}?",
    "How long would {c}'s IPO proceeds last at its {p} loss rate?",
    "How many times {c2}'s {m} is {c}'s {m}?",
    "What was {c}'s {m} in {p} in US dollars at {f}?",
    "{c} {m} {p} {a} {f}",
)
EXTRA = (
    "亿",
    "万",
    "%",
    "港元",
    "美元",
    "元",
    "同比",
    "几倍",
    "撑多久",
    "占比",
    "合计",
    "😀",
    "\x00",
    "\u200b",
    "\n",
    "\u202e",
)

fragment = st.one_of(
    st.sampled_from(COMPANIES),
    st.sampled_from(PERIODS),
    st.sampled_from(METRICS),
    st.sampled_from(ASKS),
    st.sampled_from(FIGURES),
    st.sampled_from(EXTRA),
    st.text(max_size=4),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.integers().map(str),
)
templated = st.builds(
    lambda t, c, c2, p, p2, m, a, f, f2: t.format(c=c, c2=c2, p=p, p2=p2, m=m, a=a, f=f, f2=f2),
    st.sampled_from(TEMPLATES),
    st.sampled_from(COMPANIES),
    st.sampled_from(COMPANIES),
    st.sampled_from(PERIODS),
    st.sampled_from(PERIODS),
    st.sampled_from(METRICS),
    st.sampled_from(ASKS),
    st.sampled_from(FIGURES),
    st.sampled_from(FIGURES),
)
questions = st.one_of(
    st.text(),  # all of Unicode: empty, whitespace, control characters, surrogates excluded by hypothesis
    st.text(min_size=1500, max_size=3000),  # around and over the length limit
    st.lists(fragment, max_size=12).map("".join),  # mixed scripts, figures and calculation words
    templated,
    templated,
)
history_item = st.one_of(
    questions,
    questions.map(lambda q: (q, "an earlier answer")),  # Gradio's (user, assistant) pairs
    questions.map(lambda q: {"role": "user", "content": q}),  # and its messages
)
histories = st.one_of(st.none(), st.lists(history_item, max_size=3))


def _answers(answer: Any) -> None:
    assert isinstance(answer, Answer)
    assert isinstance(answer.text, str)
    assert isinstance(answer.refused, bool)


@settings(database=None, deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(question=questions, history=histories)
def test_any_text_gets_an_answer(small: Assistant, question: str, history: list[Any] | None) -> None:
    _answers(small.ask(question, history))


@settings(database=None, deadline=None, max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(question=templated, history=st.lists(templated, max_size=3))
def test_any_calculation_question_gets_an_answer(small: Assistant, question: str, history: list[str]) -> None:
    _answers(small.ask(question, history))


# -- every planner over random stored figures --------------------------------------------------------------------
PLAN_COMPANIES = ("hygon", "iluvatar")
PLAN_METRICS = ("revenue", "net_loss", "net_profit", "proceeds", "rd", "growth", "shares_offered", "offer_price")
LABELS = ("2020", "2021", "2022", "2024", "2025", "2021-9M", "2020-9M", "2025H1", "2024Q4", "2025-03", "2023–2025", "")
EVIDENCE = (
    "天数智芯将于2026年3月18日在港交所挂牌上市。",
    "天数智芯于9999年12月1日上市。",
    "海光信息2019年11月8日在科创板上市。",
    "有分析人士认为，天数智芯这笔资金能撑到2028年。",
    "Hygon listed on 8 November 2019; analysts say the cash will last until 2030.",
    "海光信息营收是去年的3倍。",
)
odd_values = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [Decimal(0), Decimal("-0"), Decimal("1E-30"), Decimal("1E+30"), Decimal("9E+5000"), Decimal("-1E+999990")]
        + [Decimal("1E-999990"), Decimal(-100), Decimal(-150), Decimal("0.5")]
    ),
)
sane_values = st.one_of(
    st.decimals(min_value=Decimal("-1E12"), max_value=Decimal("1E12"), places=2),
    st.sampled_from([Decimal(0), Decimal("0.01"), Decimal("3.1E8"), Decimal("1.5E9"), Decimal(-100), Decimal(250)]),
)


@st.composite
def figures(draw: st.DrawFn, metric: str) -> Quantity:
    """A stored figure of the metric's kind (one in ten of any kind and size: wrong units, absurd values)."""
    odd = draw(st.integers(0, 9)) == 0
    values = odd_values if odd else sane_values
    low, high = draw(values), draw(st.one_of(st.none(), st.none(), values))
    if odd:
        unit, currency = (
            draw(st.sampled_from(["", "%", "shares", "per_share", "x"])),
            draw(st.sampled_from(["", "CNY", "HKD", "USD"])),
        )
    elif metric.endswith(".growth"):
        unit, currency = "%", ""
    elif metric == "shares_offered":
        unit, currency = "shares", ""
    else:
        unit, currency = "", draw(st.sampled_from(["CNY", "CNY", "HKD", "USD"]))
    qualifier = draw(st.sampled_from(["", "", "about", "up to"]))
    if high is None or high == low:
        return Quantity(low, unit, currency, qualifier=qualifier, text="3.1亿元")
    return Quantity(min(low, high), unit, currency, min(low, high), max(low, high), qualifier, text="1亿-2亿元")


periods = st.builds(
    Period,
    st.sampled_from(["2020", "2021", "2022", "2023", "2024", "2025", "1999", "2049"]),
    st.sampled_from(["", "", "H1", "H2", "Q3", "Q4", "9M"]),
)
some = st.sampled_from([0, 1, 1, 1])


@st.composite
def cases(draw: st.DrawFn) -> tuple[Query, Pool, list[Hit]]:
    """A query (its fields need not match its text, as after a follow-up), stored figures mostly about what it
    asks, and evidence sentences with listing dates and a source's own estimates."""
    query = Query(
        text=draw(templated),
        language=draw(st.sampled_from(["zh", "en"])),
        companies=tuple(draw(st.lists(st.sampled_from(PLAN_COMPANIES), min_size=draw(some), max_size=2, unique=True))),
        metrics=tuple(draw(st.lists(st.sampled_from(PLAN_METRICS), min_size=draw(some), max_size=3, unique=True))),
        periods=tuple(draw(st.lists(periods, min_size=draw(some), max_size=3, unique=True))),
    )
    labels = [label(p) for p in query.periods] + [p.year for p in query.periods]
    labels += [label(Period(str(int(p.year) - 1), p.part)) for p in query.periods]
    main = [m for m in query.metrics if m != "growth"]
    facts = []
    for i in range(draw(st.integers(0, 14))):
        metric = draw(st.sampled_from([*main, *(f"{m}.growth" for m in main), "proceeds", "net_loss", "offer_price"]))
        if main and draw(st.integers(0, 2)):
            metric = main[0]
        period = draw(st.sampled_from(labels) if labels and draw(st.integers(0, 3)) else st.sampled_from(LABELS))
        sentence = draw(st.sampled_from(EVIDENCE)) + "其他内容。"
        start = draw(st.integers(0, len(sentence)))
        end = draw(st.integers(start, len(sentence)))
        meta = {
            "publisher": draw(st.sampled_from(["测试日报", ""])),
            "published": draw(st.sampled_from(["2025-01-01", "2024-06-30", ""])),
            "reliability": draw(st.sampled_from(["news", "primary", "user", ""])),
        }
        company = draw(st.sampled_from(query.companies or PLAN_COMPANIES))
        detail = draw(st.sampled_from(["", "", "扣非", "净额"]))
        fact = Fact(company, metric, period, draw(figures(metric)), start, end, detail)
        facts.append(SourcedFact(fact, Hit(f"c{i}", f"d{i % 3}", sentence, meta)))
    evidence = [Hit("e", "de", s, {"publisher": "p"}) for s in draw(st.lists(st.sampled_from(EVIDENCE), max_size=3))]
    return query, Pool(facts, draw(st.sampled_from([(), ("扣非",), ("净额",)])), REGISTRY), evidence


def _plans_and_writes(kind: str, query: Query, pool: Pool, evidence: list[Hit]) -> Plan:
    """What core does with a plan: add the sources' estimates, compose, verify, and print the JSON."""
    plan = calculate.solve(kind, query, pool, evidence)
    assert isinstance(plan, Plan)
    assert plan.calculation is not None or plan.missing, "a plan without a result must name what is missing"
    plan.stated += calculate.stated_estimates(kind, query, evidence, REGISTRY)
    text, citations, calculations = working.compose(query, plan, REGISTRY, VOCABULARY)
    assert isinstance(text, str)
    for calc in calculations:
        calc.to_json()
    verify(text, citations, calculations, query.text)
    return plan


@settings(database=None, deadline=None, max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(), kind=st.sampled_from(sorted(calculate._PLANNERS)))
def test_every_planner_returns_a_plan(case: tuple[Query, Pool, list[Hit]], kind: str) -> None:
    _plans_and_writes(kind, *case)


# -- regressions: each crash found, in the shape that crashed ----------------------------------------------------
def _missing(plan: Plan) -> str:
    return " ".join(zh + en for zh, en in plan.missing)


@pytest.mark.parametrize(
    "question",
    [
        "某某公司2021年前三个季度的归母净利润是多少？同比涨了多少？",  # the reported crash: a company not covered
        "北辰算力2024年营收是多少？同比增长多少？",
        "2000营收同比多少",  # found by the property: no company at all
        "How much did Polaris Compute's revenue grow in 2024?",
    ],
)
def test_growth_without_a_known_company(small: Assistant, question: str) -> None:
    """Was IndexError in _growth (query.companies[0])."""
    _answers(small.ask(question))
    plan = _plans_and_writes("growth", analyse(question), Pool([]), [])
    assert plan.calculation is None and "a company the sources cover" in _missing(plan)


def test_growth_follow_up_without_a_known_company(small: Assistant) -> None:
    """The same crash reached through a follow-up: the period and metric are inherited, no company is."""
    _answers(small.ask("同比涨了多少？", ["某某公司2021年前三个季度的归母净利润是多少？"]))


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        ("的CAGR是多少", ("a company the sources cover", "which figure to use", "a first and a last year")),
        ("R&D0元，的CAGR是多少", ("a company the sources cover", "a first and a last year")),  # found by the property
        ("海光信息2020年到2022年的CAGR是多少？", ("which figure to use",)),  # a company, but no metric
        ("What is Polaris Compute's revenue CAGR from 2020 to 2022?", ("a company the sources cover",)),
        ("海光信息2022年营收的年复合增长率是多少？", ("a first and a last year",)),
    ],
)
def test_cagr_without_company_metric_or_two_years(small: Assistant, question: str, absent: tuple[str, ...]) -> None:
    """Was IndexError in _cagr (query.companies[0], query.main_metrics[0])."""
    _answers(small.ask(question))
    plan = _plans_and_writes("cagr", analyse(question), Pool([]), [])
    assert plan.calculation is None
    assert all(a in _missing(plan) for a in absent), plan.missing


def test_cagr_of_one_year_asked_twice_names_the_missing_years() -> None:
    query = Query("海光信息2022年营收的CAGR", "zh", ("hygon",), ("revenue",), (Period("2022"), Period("2022", "H1")))
    plan = _plans_and_writes("cagr", query, Pool([]), [])
    assert plan.missing == [("起始年份和结束年份", "a first and a last year")]


@pytest.mark.parametrize("kind", ["ratio", "share", "difference", "sum", "runway", "growth", "cagr"])
def test_no_company_and_no_metric_are_named(kind: str) -> None:
    plan = _plans_and_writes(kind, Query("合计多少？", "zh"), Pool([]), [])
    assert plan.calculation is None and "a company the sources cover" in _missing(plan)


def _fact(company: str, metric: str, period: str, q: Quantity, sentence: str) -> SourcedFact:
    hit = Hit("c-" + metric, "d", sentence, {"publisher": "测试日报", "published": "2025-12-30"})
    return SourcedFact(Fact(company, metric, period, q, 0, len(sentence)), hit)


LISTED = Hit("e", "de", "燧原科技将于2026年6月1日在科创板挂牌上市。", {"publisher": "测试日报"})


def test_runway_longer_than_the_calendar(small: Assistant) -> None:
    """Was ValueError ('year 68693 is out of range') from dating the run-out: 40亿元 lasts 800,000 months at a
    3万元 half-year loss, and the listing date was moved by that many months."""
    answer = small.ask("按2025年上半年的亏损速度，燧原科技IPO募资能撑多久？")
    _answers(answer)
    assert "800,000个月" in answer.text and "耗尽" not in answer.text
    cash = _fact("enflame", "proceeds", "", Quantity(Decimal("4E9"), currency="CNY", text="40亿元"), "募资40亿元。")
    burn = _fact("enflame", "net_loss", "2025H1", Quantity(Decimal(30000), currency="CNY", text="3万元"), "亏3万元。")
    query = analyse("按2025年上半年的亏损速度，燧原科技IPO募资能撑多久？")
    plan = _plans_and_writes("runway", query, Pool([cash, burn], registry=REGISTRY), [LISTED])
    assert plan.calculation is not None and "runs_out" not in plan.calculation.details
    # a runway the calendar can hold is still dated
    burn = _fact("enflame", "net_loss", "2025H1", Quantity(Decimal("6E8"), currency="CNY", text="6亿元"), "亏6亿元。")
    plan = _plans_and_writes("runway", query, Pool([cash, burn], registry=REGISTRY), [LISTED])
    assert plan.calculation is not None and plan.calculation.details["runs_out"] == "2029Q4"


def test_runway_with_a_zero_loss_names_it() -> None:
    cash = _fact("enflame", "proceeds", "", Quantity(Decimal("4E9"), currency="CNY", text="40亿元"), "募资40亿元。")
    burn = _fact("enflame", "net_loss", "2025H1", Quantity(Decimal(0), currency="CNY", text="0元"), "亏损0元。")
    query = analyse("按2025年上半年的亏损速度，燧原科技IPO募资能撑多久？")
    plan = _plans_and_writes("runway", query, Pool([cash, burn], registry=REGISTRY), [LISTED])
    assert plan.calculation is None and "a loss that is not zero" in _missing(plan)


@pytest.mark.parametrize("kind", ["convert", "growth", "ratio", "sum", "runway"])
def test_a_stored_figure_too_large_to_write(kind: str) -> None:
    """Was ValueError ('Exceeds the limit (4300 digits) for integer string conversion') when rendering a stored
    figure of thousands of digits; such figures are no operand now."""
    huge = Quantity(Decimal("9E+5000"), currency="CNY", text="9…9亿元")
    facts = [
        _fact("iluvatar", "revenue", "2024", huge, "营收巨大。"),
        _fact("iluvatar", "revenue", "2023", Quantity(Decimal("5E8"), currency="CNY", text="5亿元"), "营收5亿元。"),
        _fact("iluvatar", "proceeds", "", huge, "募资巨大。"),
        _fact("iluvatar", "net_loss", "2024", huge, "亏损巨大。"),
    ]
    query = Query("How many billion yuan was Iluvatar's 2024 revenue?", "en", ("iluvatar",), ("revenue",))
    _plans_and_writes(kind, query, Pool(facts), [])


def test_a_question_figure_too_large_to_use() -> None:
    query = Query("9" * 40 + "亿元换算成美元", "zh")
    assert calculate.solve("convert", query, Pool([]), []).missing == [calculate._TOO_LARGE]


@pytest.mark.parametrize("trap", [InvalidOperation, Overflow, ZeroDivisionError, OverflowError])
def test_a_decimal_trap_is_a_plan(monkeypatch: pytest.MonkeyPatch, trap: type[ArithmeticError]) -> None:
    """Any arithmetic trap (of Decimal, or of dates and integers) in a planner ends as a plan naming the problem."""

    def trapped(query: Query, pool: Pool, evidence: list[Hit]) -> Plan:
        raise trap()

    monkeypatch.setitem(calculate._PLANNERS, "growth", trapped)
    plan = calculate.solve("growth", Query("x", "en", ("hygon",), ("revenue",), (Period("2024"),)), Pool([]), [])
    assert plan.calculation is None and plan.missing == [calculate._ARITHMETIC]


def test_an_unknown_kind_is_a_plan() -> None:
    assert calculate.solve("no such kind", Query("x", "en"), Pool([]), []).missing
