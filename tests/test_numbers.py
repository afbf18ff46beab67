"""Figures in Chinese and English news text parsed to exact Decimals: a table of cases, spans, English, properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.numbers import CHINESE_MAGNITUDES, Quantity, figure_values, parse_quantities
from assistant.text import has_cjk

D = Decimal

# (sentence, value, unit, currency, high (ranges only), qualifier, matched text). Every sentence holds one figure.
FIGURES: list[tuple[str, str, str, str, str | None, str, str]] = [
    # Chinese money with 万亿 / 千亿 / 百亿 / 亿 / 千万 / 百万 / 万
    ("公司计划募资42.1亿港元。", "4.21e9", "", "HKD", None, "", "42.1亿港元"),
    ("募资规模为42.1亿-48.5亿港元", "4.21e9", "", "HKD", "4.85e9", "", "42.1亿-48.5亿港元"),
    ("募资规模为42.1亿至48.5亿港元", "4.21e9", "", "HKD", "4.85e9", "", "42.1亿至48.5亿港元"),
    ("募资规模为42.1-48.5亿港元", "4.21e9", "", "HKD", "4.85e9", "", "42.1-48.5亿港元"),
    ("募资规模为42.1–48.5亿港元", "4.21e9", "", "HKD", "4.85e9", "", "42.1–48.5亿港元"),
    ("募资规模为42.1~48.5亿港元", "4.21e9", "", "HKD", "4.85e9", "", "42.1~48.5亿港元"),
    ("利润区间为3亿元-5亿元", "3e8", "", "CNY", "5e8", "", "3亿元-5亿元"),
    ("政府补助5890万元", "5.89e7", "", "CNY", None, "", "5890万元"),
    ("研发投入5,890.3万元", "5.8903e7", "", "CNY", None, "", "5,890.3万元"),
    ("市场规模1.2万亿元", "1.2e12", "", "CNY", None, "", "1.2万亿元"),
    ("估值达3千亿元", "3e11", "", "CNY", None, "", "3千亿元"),
    ("投资超过5百亿元的项目", "5e10", "", "CNY", None, "over", "超过5百亿元"),
    ("首期资金5千万元", "5e7", "", "CNY", None, "", "5千万元"),
    ("订单金额8百万美元", "8e6", "", "USD", None, "", "8百万美元"),
    ("收入为2.5万元", "2.5e4", "", "CNY", None, "", "2.5万元"),
    ("营收3.37亿元。", "3.37e8", "", "CNY", None, "", "3.37亿元"),
    ("总额9.6万亿美元", "9.6e12", "", "USD", None, "", "9.6万亿美元"),
    ("收购价为人民币12亿元", "1.2e9", "", "CNY", None, "", "人民币12亿元"),
    ("融资72亿元人民币", "7.2e9", "", "CNY", None, "", "72亿元"),
    ("又获得6亿C+轮融资", "6e8", "", "CNY", None, "", "6亿"),  # a round in 亿 with no currency: yuan
    ("获得3亿战略投资", "3e8", "", "CNY", None, "", "3亿"),
    ("采用7纳米工艺", "7", "nm", "", None, "", "7纳米"),
    ("採用7奈米製程", "7", "nm", "", None, "", "7奈米"),
    ("出货10万颗", "1e5", "units", "", None, "", "10万颗"),
    ("市值约1200亿港币", "1.2e11", "", "HKD", None, "about", "约1200亿港币"),
    ("交易额12.3亿美元", "1.23e9", "", "USD", None, "", "12.3亿美元"),
    ("售价￥5999元", "5999", "", "CNY", None, "", "￥5999元"),
    # English money
    ("It raised HK$5.58bn in the offering.", "5.58e9", "", "HKD", None, "", "HK$5.58bn"),
    ("a loss of US$372.5m last year", "3.725e8", "", "USD", None, "", "US$372.5m"),
    ("revenue reached US$ 1.2 billion", "1.2e9", "", "USD", None, "", "US$ 1.2 billion"),
    ("sales of RMB 4.2 bn", "4.2e9", "", "CNY", None, "", "RMB 4.2 bn"),
    ("sales of RMB4.2bn", "4.2e9", "", "CNY", None, "", "RMB4.2bn"),
    ("a budget of $3 million", "3e6", "", "USD", None, "", "$3 million"),
    ("cash of HKD 800 million", "8e8", "", "HKD", None, "", "HKD 800 million"),
    ("grants worth 15 million yuan", "1.5e7", "", "CNY", None, "", "15 million yuan"),
    ("a US$2 trillion market", "2e12", "", "USD", None, "", "US$2 trillion"),
    ("a seed round of US$500k", "5e5", "", "USD", None, "", "US$500k"),
    ("raised US$1bn to US$1.5bn", "1e9", "", "USD", "1.5e9", "", "US$1bn to US$1.5bn"),
    ("guidance of 4.1bn", "4.1e9", "", "", None, "", "4.1bn"),
    # shares, percentages, percentage points, multiples
    ("发行66597200股H股", "66597200", "shares", "", None, "", "66597200股"),
    ("发行247,692,800股", "247692800", "shares", "", None, "", "247,692,800股"),
    ("增发1.2亿股新股", "1.2e8", "shares", "", None, "", "1.2亿股"),
    ("offering 30 million shares", "3e7", "shares", "", None, "", "30 million shares"),
    ("持股比例为2.82%", "2.82", "%", "", None, "", "2.82%"),
    ("持股比例为2.82％", "2.82", "%", "", None, "", "2.82％"),
    ("毛利率预计12%-15%", "12", "%", "", "15", "", "12%-15%"),
    ("毛利率预计12%至15%", "12", "%", "", "15", "", "12%至15%"),
    ("margin of 45 percent", "45", "%", "", None, "", "45 percent"),
    ("毛利率提升12.45个百分点", "12.45", "pp", "", None, "", "12.45个百分点"),
    ("up 3.5 percentage points", "3.5", "pp", "", None, "", "3.5 percentage points"),
    ("市销率高达2,347.53倍", "2347.53", "x", "", None, "", "2,347.53倍"),
    ("oversubscribed 25.95 times", "25.95", "x", "", None, "", "25.95 times"),
    ("a 5x speed-up", "5", "x", "", None, "", "5x"),
    # per-share prices keep their currency
    ("发行价为114.28元/股", "114.28", "per_share", "CNY", None, "", "114.28元/股"),
    ("定价每股17.00港元", "17.00", "per_share", "HKD", None, "", "每股17.00港元"),
    ("价格区间每股17.00-19.60港元", "17.00", "per_share", "HKD", "19.60", "", "每股17.00-19.60港元"),
    ("priced at HK$19.60 per share", "19.60", "per_share", "HKD", None, "", "HK$19.60 per share"),
    ("priced at US$21 a share", "21", "per_share", "USD", None, "", "US$21 a share"),
    # hardware
    ("算力达到1,024 TOPS", "1024", "TOPS", "", None, "", "1,024 TOPS"),
    ("FP16算力672TFLOPS", "672", "TFLOPS", "", None, "", "672TFLOPS"),
    ("显存带宽2.3 TB/s", "2.3", "TB/s", "", None, "", "2.3 TB/s"),
    ("带宽2.3-2.8 TB/s", "2.3", "TB/s", "", "2.8", "", "2.3-2.8 TB/s"),
    ("互联带宽448GB/s", "448", "GB/s", "", None, "", "448GB/s"),
    ("配备64GB显存", "64", "GB", "", None, "", "64GB"),
    ("采用7nm工艺", "7", "nm", "", None, "", "7nm"),
    ("功耗为350W", "350", "W", "", None, "", "350W"),
    ("出货6.6万张", "6.6e4", "cards", "", None, "", "6.6万张"),
    ("浮点算力在1000T以上", "1000", "T", "", None, "", "1000T"),
    ("2024年出货1.9 M张", "1.9e6", "cards", "", None, "", "1.9 M张"),
    ("约820k颗", "8.2e5", "units", "", None, "about", "约820k颗"),
    ("累计交付1200片", "1200", "units", "", None, "", "1200片"),
    # counts
    ("董事会共有23名成员", "23", "people", "", None, "", "23名"),
    ("员工3000人", "3000", "people", "", None, "", "3000人"),
    ("服务超过100家客户", "100", "companies", "", None, "over", "超过100家"),
    ("2024名员工参与持股", "2024", "people", "", None, "", "2024名"),
    # qualifiers
    ("募资约63亿元", "6.3e9", "", "CNY", None, "about", "约63亿元"),
    ("营收超10亿元", "1e9", "", "CNY", None, "over", "超10亿元"),
    ("研发人员逾3000名", "3000", "people", "", None, "over", "逾3000名"),
    ("市场份额近50%", "50", "%", "", None, "nearly", "近50%"),
    ("增长接近30%", "30", "%", "", None, "nearly", "接近30%"),
    ("亏损不到5亿元", "5e8", "", "CNY", None, "under", "不到5亿元"),
    ("about US$1 billion in orders", "1e9", "", "USD", None, "about", "about US$1 billion"),
    ("more than 200 million shares", "2e8", "shares", "", None, "over", "more than 200 million shares"),
    ("nearly 30% of the market", "30", "%", "", None, "nearly", "nearly 30%"),
    ("around 2,000 engineers", "2000", "", "", None, "about", "around 2,000"),
    # full-width digits
    ("募资４２．１亿元", "4.21e9", "", "CNY", None, "", "４２．１亿元"),
    ("发行１２３４５股", "12345", "shares", "", None, "", "１２３４５股"),
    ("出资５，８９０．３万元", "5.8903e7", "", "CNY", None, "", "５，８９０．３万元"),
    # negative figures
    ("净利润为-4.52亿元", "-4.52e8", "", "CNY", None, "", "-4.52亿元"),
    ("亏损-16.18亿", "-1.618e9", "", "", None, "", "-16.18亿"),
    ("净利润−18.94亿元", "-1.894e9", "", "CNY", None, "", "−18.94亿元"),
    ("净利润（−18.94亿）", "-1.894e9", "", "", None, "", "−18.94亿"),
    ("净利润为人民币-4.52亿元", "-4.52e8", "", "CNY", None, "", "人民币-4.52亿元"),
    ("毛利率同比-5%", "-5", "%", "", None, "", "-5%"),
    ("区间-5%至-3%", "-5", "%", "", "-3", "", "-5%至-3%"),
    ("net loss of RMB-1.2bn", "-1.2e9", "", "CNY", None, "", "RMB-1.2bn"),
    # bare amounts are still figures
    ("净利润增长了12.5", "12.5", "", "", None, "", "12.5"),
    ("排名前30", "30", "", "", None, "", "30"),
]

# Text with no figure in it: years, dates, quarters, ordinals and product or period codes.
NOT_FIGURES = [
    "2024年",
    "2024年全年",
    "2025",
    "in 2025, sales rose",
    "2022-2024",
    "2019至2025年",
    "2026年1月2日",
    "12月22日",
    "2025-12-22",
    "2025-12",
    "2026/1/2",
    "2025.12.22",
    "3季度",
    "第3季度",
    "2025年1-9月",
    "10-12月",
    "10:30",
    "H1 2025",
    "1H25",
    "3Q25",
    "Q3",
    "FY2024",
    "Jan 2, 2026",
    "2 January 2026",
    "BR100",
    "MTT S80",
    "MTT S4000",
    "C600",
    "910C",
    "昇腾910B",
    "RTX 3060",
    "RTX 4090D",
    "5G网络",
    "COVID-19",
    "第3名",
    "a 5m cable",
]


def _expected(value: str, unit: str, currency: str, high: str | None, qualifier: str) -> tuple[object, ...]:
    low = D(value) if high is not None else None
    return D(value), unit, currency, low, None if high is None else D(high), qualifier


def _observed(q: Quantity) -> tuple[object, ...]:
    return q.value, q.unit, q.currency, q.low, q.high, q.qualifier


@pytest.mark.parametrize(("text", "value", "unit", "currency", "high", "qualifier", "matched"), FIGURES)
def test_figure(
    text: str, value: str, unit: str, currency: str, high: str | None, qualifier: str, matched: str
) -> None:
    found = parse_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert _observed(q) == _expected(value, unit, currency, high, qualifier)
    assert q.text == matched
    assert text[q.start : q.end] == q.text
    assert q.is_range == (high is not None)


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_a_figure(text: str) -> None:
    assert parse_quantities(text) == []


def test_table_is_large_enough() -> None:
    assert len(FIGURES) + len(NOT_FIGURES) >= 80
    assert len(FIGURES) >= 80


def test_several_figures_in_one_sentence_keep_order_and_spans() -> None:
    text = "2025年上半年，公司营收同比增长12%至3亿元，净亏损1.5亿元，毛利率下降2.1个百分点。"
    found = parse_quantities(text)
    assert [(q.value, q.unit, q.currency) for q in found] == [
        (D(12), "%", ""),
        (D("3e8"), "", "CNY"),
        (D("1.5e8"), "", "CNY"),
        (D("2.1"), "pp", ""),
    ]
    assert all(text[q.start : q.end] == q.text for q in found)
    assert [q.start for q in found] == sorted(q.start for q in found)


def test_english_sentence_with_a_date_a_period_and_a_model() -> None:
    text = "On Dec 22, 2025 the maker of the BR100 said H1 2025 revenue was RMB 58.9 million, up 49.7%."
    found = parse_quantities(text)
    assert [(q.value, q.unit, q.currency) for q in found] == [(D("5.89e7"), "", "CNY"), (D("49.7"), "%", "")]


def test_full_width_spans_index_the_original_text() -> None:
    text = "公司（预计）募资４２．１亿－４８．５亿港元，约占３０％。"
    found = parse_quantities(text)
    assert [q.text for q in found] == ["４２．１亿－４８．５亿港元", "３０％"]
    first = found[0]
    assert (first.low, first.high, first.currency) == (D("4.21e9"), D("4.85e9"), "HKD")
    assert all(text[q.start : q.end] == q.text for q in found)


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("42.1亿-48.5亿港元", "HK$4.21–4.85 billion"),
        ("5,890.3万元", "RMB 58.903 million"),
        ("2.82%", "2.82%"),
        ("约63亿元", "about RMB 6.3 billion"),
        ("每股17.00港元", "HK$17 per share"),
        ("2,347.53倍", "2,347.53×"),
        ("12.45个百分点", "12.45 percentage points"),
        ("-4.52亿元", "-RMB 452 million"),
        ("US$372.5m", "US$372.5 million"),
        ("1,024 TOPS", "1,024 TOPS"),
        ("66597200股", "66.5972 million shares"),
    ],
)
def test_english(text: str, english: str) -> None:
    (q,) = parse_quantities(text)
    assert q.english() == english


def test_figure_values_lists_both_ends_of_a_range() -> None:
    assert figure_values("募资42.1亿-48.5亿港元，发行1.2亿股") == [D("4.21e9"), D("4.85e9"), D("1.2e8")]


def test_a_descending_dash_is_not_a_range() -> None:
    assert parse_quantities("3亿-2亿") == []
    found = parse_quantities("营收5亿元-净亏损2亿元")
    assert [q.value for q in found] == [D("5e8"), D("2e8")]


def test_a_dash_after_a_figure_is_not_a_minus_sign() -> None:
    found = parse_quantities("A股-5%，港股涨3%")
    assert [q.value for q in found] == [D(5), D(3)]


# -- properties (database=None: hypothesis keeps no example directory in the repo) ---------------------------------
_ZH_MAGNITUDES = {"万亿": 12, "千亿": 11, "百亿": 10, "十亿": 9, "亿": 8, "千万": 7, "百万": 6, "十万": 5, "万": 4}
_ZH_MAGNITUDES |= {"十万亿": 13, "百万亿": 14, "千万亿": 15}
_EN_MAGNITUDES = {"trillion": 12, "billion": 9, "bn": 9, "million": 6, "mn": 6}
_amounts = st.decimals(min_value=0, max_value=10**7, places=4, allow_nan=False, allow_infinity=False)


@settings(database=None)
@given(value=_amounts, magnitude=st.sampled_from(sorted(_ZH_MAGNITUDES)), negative=st.booleans())
def test_chinese_amounts_round_trip(value: Decimal, magnitude: str, negative: bool) -> None:
    sign = "-" if negative else ""
    (q,) = parse_quantities(f"净利润为{sign}{value:f}{magnitude}元。")
    expected = value * Decimal(10) ** _ZH_MAGNITUDES[magnitude]
    assert q.value == (-expected if negative else expected)
    assert (q.currency, q.unit, q.high) == ("CNY", "", None)


@settings(database=None)
@given(
    value=_amounts,
    magnitude=st.sampled_from(sorted(_ZH_MAGNITUDES)),
    suffix=st.sampled_from(["元", "港元", "美元", "次", ""]),
    negative=st.booleans(),
)
def test_every_chinese_magnitude_renders_in_english_and_parses_back_exactly(
    value: Decimal, magnitude: str, suffix: str, negative: bool
) -> None:
    sign = "-" if negative else ""
    (q,) = parse_quantities(f"数字为{sign}{value:f}{magnitude}{suffix}。")
    expected = value * Decimal(10) ** _ZH_MAGNITUDES[magnitude]
    assert q.value == (-expected if negative else expected)
    english = q.english()
    assert not has_cjk(english)
    (back,) = parse_quantities(f"The figure is {english} in all.")
    assert (back.value, back.currency) == (q.value, q.currency), english


def test_the_set_of_chinese_magnitudes_is_complete() -> None:
    assert set(CHINESE_MAGNITUDES) == set(_ZH_MAGNITUDES)
    assert parse_quantities("整机算力2千万亿次")[0].english() == "2 quadrillion"


@settings(database=None)
@given(
    value=_amounts, magnitude=st.sampled_from(sorted(_EN_MAGNITUDES)), prefix=st.sampled_from(["US$", "HK$", "RMB "])
)
def test_english_amounts_round_trip(value: Decimal, magnitude: str, prefix: str) -> None:
    (q,) = parse_quantities(f"It reported {prefix}{value:,f} {magnitude} in sales.")
    assert q.value == value * Decimal(10) ** _EN_MAGNITUDES[magnitude]
    assert q.currency == {"US$": "USD", "HK$": "HKD", "RMB ": "CNY"}[prefix]


@settings(database=None)
@given(low=_amounts, extra=_amounts)
def test_ranges_round_trip(low: Decimal, extra: Decimal) -> None:
    high = low + extra
    (q,) = parse_quantities(f"募资{low:f}亿至{high:f}亿港元")
    assert (q.value, q.low, q.high, q.currency) == (low * 10**8, low * 10**8, high * 10**8, "HKD")


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


@settings(database=None)
@given(st.lists(st.sampled_from([row[0] for row in FIGURES] + NOT_FIGURES), min_size=1, max_size=4))
def test_full_width_text_parses_identically(parts: list[str]) -> None:
    text = "；".join(parts)
    wide = _full_width(text)
    plain, converted = parse_quantities(text), parse_quantities(wide)
    assert [(_observed(q), q.start, q.end) for q in converted] == [(_observed(q), q.start, q.end) for q in plain]
    assert all(wide[q.start : q.end] == q.text for q in converted)
