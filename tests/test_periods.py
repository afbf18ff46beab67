"""Periods and dates in Chinese and English news parsed to exact calendar spans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assistant.periods import Span, add_months, parse_date, parse_periods, quarter_of

D = Decimal

# (text, default year, label, first day, last day, months, matched text). Each text holds exactly one period.
PERIODS: list[tuple[str, int | None, str, str, str, str, str]] = [
    # halves
    ("公司2025年上半年营收增长", None, "2025H1", "2025-01-01", "2025-06-30", "6", "2025年上半年"),
    ("2025年下半年将量产", None, "2025H2", "2025-07-01", "2025-12-31", "6", "2025年下半年"),
    ("revenue in H1 2025 rose", None, "2025H1", "2025-01-01", "2025-06-30", "6", "H1 2025"),
    ("H2'24 margins", None, "2024H2", "2024-07-01", "2024-12-31", "6", "H2'24"),
    ("1H25 results", None, "2025H1", "2025-01-01", "2025-06-30", "6", "1H25"),
    ("2025H1 loss", None, "2025H1", "2025-01-01", "2025-06-30", "6", "2025H1"),
    ("in the first half of 2025", None, "2025H1", "2025-01-01", "2025-06-30", "6", "first half of 2025"),
    ("second half of fiscal 2024", None, "2024H2", "2024-07-01", "2024-12-31", "6", "second half of fiscal 2024"),
    ("上半年亏损收窄", 2025, "2025H1", "2025-01-01", "2025-06-30", "6", "上半年"),
    ("去年下半年", 2026, "2025H2", "2025-07-01", "2025-12-31", "6", "去年下半年"),
    # quarters
    ("2025年第三季度营收", None, "2025Q3", "2025-07-01", "2025-09-30", "3", "2025年第三季度"),
    ("2025年三季度营收", None, "2025Q3", "2025-07-01", "2025-09-30", "3", "2025年三季度"),
    ("2025年第1季度", None, "2025Q1", "2025-01-01", "2025-03-31", "3", "2025年第1季度"),
    ("2024年Q4出货", None, "2024Q4", "2024-10-01", "2024-12-31", "3", "2024年Q4"),
    ("sales in Q3 2025", None, "2025Q3", "2025-07-01", "2025-09-30", "3", "Q3 2025"),
    ("3Q25 gross margin", None, "2025Q3", "2025-07-01", "2025-09-30", "3", "3Q25"),
    ("2025Q2 revenue", None, "2025Q2", "2025-04-01", "2025-06-30", "3", "2025Q2"),
    ("the fourth quarter of 2024", None, "2024Q4", "2024-10-01", "2024-12-31", "3", "fourth quarter of 2024"),
    ("二季度毛利率", 2025, "2025Q2", "2025-04-01", "2025-06-30", "3", "二季度"),
    ("Q1 orders", 2026, "2026Q1", "2026-01-01", "2026-03-31", "3", "Q1"),
    ("2025年4-6月", None, "2025Q2", "2025-04-01", "2025-06-30", "3", "2025年4-6月"),
    # the quarter ending in a month (截至6月当季: April–June), the year from the text or the default
    ("截至 6 月当季", 2023, "2023Q2", "2023-04-01", "2023-06-30", "3", "截至 6 月当季"),
    ("截至2024年9月的季度", None, "2024Q3", "2024-07-01", "2024-09-30", "3", "截至2024年9月的季度"),
    ("截止12月底的季度营收", 2025, "2025Q4", "2025-10-01", "2025-12-31", "3", "截止12月底的季度"),
    # nine months
    ("2025年前三季度净亏损", None, "2025-9M", "2025-01-01", "2025-09-30", "9", "2025年前三季度"),
    ("2025年1-9月营收", None, "2025-9M", "2025-01-01", "2025-09-30", "9", "2025年1-9月"),
    ("2025年1月至9月", None, "2025-9M", "2025-01-01", "2025-09-30", "9", "2025年1月至9月"),
    ("前三季度营收", 2025, "2025-9M", "2025-01-01", "2025-09-30", "9", "前三季度"),
    ("2021年前三个季度的归母净利润", None, "2021-9M", "2021-01-01", "2021-09-30", "9", "2021年前三个季度"),
    ("in January–September 2025", None, "2025-9M", "2025-01-01", "2025-09-30", "9", "January–September 2025"),
    ("from January to June 2024", None, "2024H1", "2024-01-01", "2024-06-30", "6", "January to June 2024"),
    ("9M25 revenue", None, "2025-9M", "2025-01-01", "2025-09-30", "9", "9M25"),
    ("the first nine months of 2025", None, "2025-9M", "2025-01-01", "2025-09-30", "9", "first nine months of 2025"),
    # years
    ("2024年营收", None, "2024", "2024-01-01", "2024-12-31", "12", "2024年"),
    ("2024年全年亏损", None, "2024", "2024-01-01", "2024-12-31", "12", "2024年全年"),
    ("2024年度报告", None, "2024", "2024-01-01", "2024-12-31", "12", "2024年度报告"),
    ("2021 三季报显示", None, "2021-9M", "2021-01-01", "2021-09-30", "9", "2021 三季报"),
    ("2024年半年报", None, "2024H1", "2024-01-01", "2024-06-30", "6", "2024年半年报"),
    ("2024财年", None, "2024", "2024-01-01", "2024-12-31", "12", "2024财年"),
    ("FY2024 revenue", None, "2024", "2024-01-01", "2024-12-31", "12", "FY2024"),
    ("FY24 revenue", None, "2024", "2024-01-01", "2024-12-31", "12", "FY24"),
    ("in fiscal 2024", None, "2024", "2024-01-01", "2024-12-31", "12", "fiscal 2024"),
    ("sales in 2024, up", None, "2024", "2024-01-01", "2024-12-31", "12", "2024"),
    ("１年前的２０２４年", None, "2024", "2024-01-01", "2024-12-31", "12", "２０２４年"),
    # months and days
    ("2025年12月上市", None, "2025-12", "2025-12-01", "2025-12-31", "1", "2025年12月"),
    ("2025年2月份", None, "2025-02", "2025-02-01", "2025-02-28", "1", "2025年2月份"),
    ("in March 2025", None, "2025-03", "2025-03-01", "2025-03-31", "1", "March 2025"),
    ("2025年3-5月", None, "2025-03–2025-05", "2025-03-01", "2025-05-31", "3", "2025年3-5月"),
    ("2026年1月2日上市", None, "2026-01-02", "2026-01-02", "2026-01-02", "", "2026年1月2日"),
    ("截至2025年9月30日", None, "2025-09-30", "2025-09-30", "2025-09-30", "", "2025年9月30日"),
    ("截至6月30日", 2023, "2023-06-30", "2023-06-30", "2023-06-30", "", "6月30日"),  # a day, not a quarter
    ("as of Sept 30, 2025", None, "2025-09-30", "2025-09-30", "2025-09-30", "", "Sept 30, 2025"),
    ("on 2 January 2026", None, "2026-01-02", "2026-01-02", "2026-01-02", "", "2 January 2026"),
    ("dated 2025-12-22", None, "2025-12-22", "2025-12-22", "2025-12-22", "", "2025-12-22"),
    ("公告于12月22日发布", 2025, "2025-12-22", "2025-12-22", "2025-12-22", "", "12月22日"),
    # multi-period ranges
    ("2022年至2025年上半年累计亏损", None, "2022–2025H1", "2022-01-01", "2025-06-30", "42", "2022年至2025年上半年"),
    ("2022年-2025年6月", None, "2022–2025-06", "2022-01-01", "2025-06-30", "42", "2022年-2025年6月"),
    ("losses over 2022–1H2025", None, "2022–2025H1", "2022-01-01", "2025-06-30", "42", "2022–1H2025"),
    ("2019年至2025年", None, "2019–2025", "2019-01-01", "2025-12-31", "84", "2019年至2025年"),
    ("from 2022 to 2024", None, "2022–2024", "2022-01-01", "2024-12-31", "36", "2022 to 2024"),
    ("2025年1月-2026年3月", None, "2025-01–2026-03", "2025-01-01", "2026-03-31", "15", "2025年1月-2026年3月"),
]

# Text without any period: counts, amounts and product names that look like years, and undated parts.
NOT_PERIODS = [
    ("2024名员工", None),
    ("募资2025亿元", None),
    ("2025亿", None),
    ("2,024 shares", None),
    ("US$2025", None),
    ("RTX 2060", None),
    ("H100 and H20", None),
    ("MTT S2000", None),
    ("前三季度", None),
    ("12月22日", None),
    ("Q3", None),
    ("2025.5亿元", None),
]


@pytest.mark.parametrize(("text", "year", "label", "first", "last", "months", "matched"), PERIODS)
def test_period(text: str, year: int | None, label: str, first: str, last: str, months: str, matched: str) -> None:
    (span,) = parse_periods(text, default_year=year)
    assert (span.label, span.start.isoformat(), span.end.isoformat()) == (label, first, last)
    assert span.text == matched and text[span.pos : span.pos + len(span.text)] == matched
    if months:
        assert span.months == D(months)
    else:
        assert span.months == D(1) / D("30.4375")


@pytest.mark.parametrize(("text", "year"), NOT_PERIODS)
def test_not_a_period(text: str, year: int | None) -> None:
    assert parse_periods(text, default_year=year) == []


def test_table_is_large_enough() -> None:
    assert len(PERIODS) >= 30


def test_several_periods_in_order() -> None:
    text = "2024年营收3.37亿元，2025年上半年营收5.8亿元；截至2025年9月30日，在手订单14.3亿元。"
    assert [s.label for s in parse_periods(text)] == ["2024", "2025H1", "2025-09-30"]


def test_and_is_not_a_range() -> None:
    assert [s.label for s in parse_periods("2023年和2024年")] == ["2023", "2024"]


def test_a_backwards_pair_is_two_periods() -> None:
    assert [s.label for s in parse_periods("2025年-2024年")] == ["2025", "2024"]


def test_span_months_for_days_and_odd_spans() -> None:
    week = Span(dt.date(2025, 1, 1), dt.date(2025, 1, 7), "x")
    assert week.months == D(7) / D("30.4375")
    assert Span(dt.date(2024, 1, 1), dt.date(2024, 12, 31), "2024").months == 12


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("公司于2026年1月2日在港交所上市", dt.date(2026, 1, 2)),
        ("listing on 2026-01-02", dt.date(2026, 1, 2)),
        ("listing on 2026/1/2", dt.date(2026, 1, 2)),
        ("listing on Jan 2, 2026", dt.date(2026, 1, 2)),
        ("listing on January 2nd, 2026", dt.date(2026, 1, 2)),
        ("listing on 2 January 2026", dt.date(2026, 1, 2)),
        ("２０２６年１月２日", dt.date(2026, 1, 2)),
        ("2025年上半年，截至2025年6月30日", dt.date(2025, 6, 30)),
        ("2025年上半年", None),
        ("2025年2月30日", None),
        ("12月22日", None),
    ],
)
def test_parse_date(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (dt.date(2027, 4, 1), "2027Q2"),
        (dt.date(2027, 6, 30), "2027Q2"),
        (dt.date(2025, 1, 1), "2025Q1"),
        (dt.date(2025, 12, 31), "2025Q4"),
        (dt.date(2025, 9, 30), "2025Q3"),
    ],
)
def test_quarter_of(day: dt.date, quarter: str) -> None:
    assert quarter_of(day) == quarter


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 1, 15), "0", dt.date(2025, 1, 15)),
        (dt.date(2025, 1, 15), "3", dt.date(2025, 4, 15)),
        (dt.date(2025, 1, 31), "1", dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), "1", dt.date(2024, 2, 29)),
        (dt.date(2025, 11, 30), "14", dt.date(2027, 1, 30)),
        (dt.date(2025, 1, 1), "0.5", dt.date(2025, 1, 17)),  # half of January's 31 days, rounded half up: 16
        (dt.date(2025, 1, 1), "1.5", dt.date(2025, 2, 15)),  # half of February's 28 days: 14
        (dt.date(2025, 3, 31), "-1", dt.date(2025, 2, 28)),
        (dt.date(2025, 3, 15), "-0.5", dt.date(2025, 3, 1)),  # -1 month, then +0.5 × 28 days
        (dt.date(2025, 6, 30), "18.2", dt.date(2027, 1, 5)),  # Dec 30 + round(0.2 × 31) = 6 days
    ],
)
def test_add_months(day: dt.date, months: str, expected: dt.date) -> None:
    assert add_months(day, D(months)) == expected


def test_add_months_is_monotonic_over_fractions() -> None:
    start = dt.date(2025, 12, 31)
    days = [add_months(start, D(n) / 10) for n in range(0, 40)]
    assert days == sorted(days)
