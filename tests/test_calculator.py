"""The deterministic calculator: exact expressions, named calculations on points and ranges, every refusal, the
LangChain tools, and properties (sound range arithmetic, render/parse round trips, exact products)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, localcontext
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.calculator import ops
from assistant.calculator.expression import evaluate
from assistant.calculator.render import plain, render
from assistant.calculator.tools import calculator_tools, figure
from assistant.errors import CalculatorError
from assistant.numbers import Quantity, parse_quantities

D = Decimal
PROPERTY = settings(max_examples=200, deadline=None, database=None)


def F(text: str) -> Quantity:
    """A figure as written, e.g. ``42.1亿-48.5亿港元``."""
    return figure(text)


def R(low: str | Decimal, high: str | Decimal, currency: str = "", unit: str = "") -> Quantity:
    """A range figure built directly (for ranges the parser would not read, e.g. spanning zero)."""
    return ops.make(D(low), D(high), unit=unit, currency=currency)


def ends(q: Quantity) -> tuple[Decimal, Decimal]:
    return ops.bounds(q)


# -- expressions: exact results ----------------------------------------------------------------------------------
EXPRESSIONS: list[tuple[str, str, str]] = [
    ("0.1+0.2", "0.3", "float-trap-exact"),
    ("1+2*3", "7", "mul-before-add"),
    ("(1+2)*3", "9", "parentheses"),
    ("2**3**2", "512", "power-right-assoc"),
    ("2^3^2", "512", "caret-is-power"),
    ("-2**2", "-4", "unary-minus-binds-looser-than-power"),
    ("(-2)**2", "4", "negative-base-integer-power"),
    ("2**-1", "0.5", "negative-exponent"),
    ("3--2", "5", "double-minus"),
    ("+5", "5", "unary-plus"),
    ("-(3-5)*2", "4", "unary-minus-on-group"),
    ("15% * 80", "12", "percent"),
    ("100-10%", "99.9", "percent-as-number"),
    ("1.5%", "0.015", "decimal-percent"),
    ("50％×2", "1", "full-width-percent-and-times"),
    ("（1＋2）×3", "9", "full-width-parens-and-plus"),
    ("6÷4−1", "0.5", "divide-sign-and-unicode-minus"),
    ("1–2", "-1", "en-dash-minus"),
    ("1,234,567+1", "1234568", "thousands-commas"),
    ("１，２３４＋１", "1235", "full-width-digits-and-comma"),
    ("(42.1-16.01)*2", "52.18", "docstring-example"),
    ("1/4", "0.25", "exact-division"),
    ("10**12*10**12*10**6", "1e30", "exactly-the-limit"),
    ("1e5", "100000", "scientific-notation"),
]


@pytest.mark.parametrize(("expr", "expected"), [(e, x) for e, x, _ in EXPRESSIONS], ids=[i for *_, i in EXPRESSIONS])
def test_expression_exact(expr: str, expected: str) -> None:
    result = evaluate(expr)
    assert isinstance(result, Decimal)
    assert result == D(expected)


def test_one_third_keeps_28_digits() -> None:
    assert evaluate("1/3") == D("0.3333333333333333333333333333")


# -- expressions: refusals ---------------------------------------------------------------------------------------
BAD_EXPRESSIONS: list[tuple[str, str, str]] = [
    ("1/0", r"Division by zero", "divide-by-zero"),
    ("1/(2-2)", r"Division by zero", "divide-by-computed-zero"),
    ("0**-1", r"Division by zero", "zero-to-negative-power"),
    ("__import__('os')", r"function call", "dunder-import"),
    ("a+1", r"the name 'a'", "name"),
    ("(1).real", r"attribute", "attribute"),
    ("lambda: 1", r"Lambda", "lambda"),
    ("[x for x in (1,)]", r"ListComp", "comprehension"),
    ("[1,2]", r"List", "list"),
    ("'1'+'2'", r"the value '1'", "strings"),
    ("True+1", r"the value True", "bool"),
    ("1j", r"the value 1j", "complex"),
    ("(x:=1)", r"NamedExpr", "walrus"),
    ("1<2", r"Compare", "comparison"),
    ("~1", r"UnaryOp", "bitwise-not"),
    ("1//2", r"FloorDiv is not allowed", "floor-division"),
    ("(3)%2", r"Mod is not allowed", "modulo"),
    ("1,2345", r"Tuple", "tuple-not-thousands"),
    ("2**100", r"Exponents are limited to ±12", "big-exponent"),
    ("10**12**12", r"Exponents are limited to ±12", "tower"),
    ("2**-13", r"Exponents are limited to ±12", "big-negative-exponent"),
    ("10**12*10**12*10**7", r"too large.*10\^30", "result-over-limit"),
    ("(10**12)**12", r"too large", "power-result-over-limit"),
    ("1e31", r"too large", "literal-over-limit"),
    ("1e400", r"too large", "float-infinity"),
    ("", r"empty", "empty"),
    ("   ", r"empty", "blank"),
    ("1" * 201, r"too long \(201 characters", "over-long"),
    ("1+" * 40 + "1", r"too many terms", "too-many-nodes"),
    ("-" * 150 + "1", r"too many terms", "deep-unary"),
    ("(-8)**(1/3)", r"no real fractional power", "negative-base-fractional-power"),
    ("(-8)**0.5", r"no real fractional power", "negative-base-half-power"),
    ("1+", r"not an arithmetic expression", "syntax-error"),
    ("10 % 3", r"not an arithmetic expression", "percent-then-number"),
    ("1\x00", r"not an arithmetic expression", "null-byte"),
]


@pytest.mark.parametrize(
    ("expr", "message"), [(e, m) for e, m, _ in BAD_EXPRESSIONS], ids=[i for *_, i in BAD_EXPRESSIONS]
)
def test_expression_refused(expr: str, message: str) -> None:
    with pytest.raises(CalculatorError, match=message):
        evaluate(expr)


def test_expression_none_is_empty() -> None:
    with pytest.raises(CalculatorError, match="empty"):
        evaluate(None)  # type: ignore[arg-type]


# -- named calculations: points and ranges -----------------------------------------------------------------------
# (calculation, low, high, unit, currency, id); low/high are compared after rounding to 4 decimals.
CALCULATIONS: list[tuple[Callable[[], ops.Calculation], str, str, str, str, str]] = [
    (lambda: ops.proceeds(F("7000万股"), F("114.28元")), "7999600000", "7999600000", "", "CNY", "proceeds-biren"),
    (lambda: ops.proceeds(F("1亿股"), F("每股17.00-19.60港元")), "1.7e9", "1.96e9", "", "HKD", "proceeds-price-range"),
    (lambda: ops.ratio(F("33亿元"), F("4.58亿元")), "7.2052", "7.2052", "x", "", "ratio-rd-over-revenue"),
    (lambda: ops.ratio(F("10亿-12亿元"), F("2亿-4亿元")), "2.5", "6", "x", "", "ratio-ranges"),
    (lambda: ops.share(F("8.27亿元"), F("33.08亿元")), "25", "25", "%", "", "share-point"),
    (lambda: ops.share(F("1亿-2亿元"), F("4亿-5亿元")), "20", "50", "%", "", "share-ranges"),
    (lambda: ops.growth(F("11.74亿元"), F("7.09亿元")), "65.5853", "65.5853", "%", "", "growth-yoy"),
    (lambda: ops.growth(F("5亿元"), F("10亿元")), "-50", "-50", "%", "", "growth-decline"),
    (lambda: ops.growth(F("12亿-15亿元"), F("10亿元")), "20", "50", "%", "", "growth-range-new"),
    (lambda: ops.cagr(F("100元"), F("121元"), D(2)), "10", "10", "%", "", "cagr-two-years"),
    (lambda: ops.cagr(F("100元"), F("121元-144元"), D(2)), "10", "20", "%", "", "cagr-range-end"),
    (lambda: ops.cagr(F("1亿元"), F("1亿元"), D(3)), "0", "0", "%", "", "cagr-flat"),
    (lambda: ops.difference(F("10亿-20亿元"), F("3亿-5亿元")), "5e8", "1.7e9", "", "CNY", "difference-ranges"),
    (lambda: ops.difference(F("3亿元"), F("5亿元")), "-2e8", "-2e8", "", "CNY", "difference-negative"),
    (lambda: ops.total([F("1亿元"), F("2亿-3亿元"), F("5000万元")]), "3.5e8", "4.5e8", "", "CNY", "sum-ranges"),
    (lambda: ops.total([F("HK$1bn")]), "1e9", "1e9", "", "HKD", "sum-single"),
    (
        lambda: ops.convert_currency(F("42.1亿港元"), ops.Rate("HKD", "CNY", D("0.92"))),
        "3873200000",
        "3873200000",
        "",
        "CNY",
        "convert-point",
    ),
    (
        lambda: ops.convert_currency(F("42.1亿-48.5亿港元"), ops.Rate("HKD", "CNY", D("0.92"))),
        "3873200000",
        "4462000000",
        "",
        "CNY",
        "convert-range",
    ),
    (
        lambda: ops.runway(F("42.1亿-48.5亿元"), F("16.01亿元"), D(6)),
        "15.7776",
        "18.1761",
        "months",
        "",
        "runway-range",
    ),
    (
        lambda: ops.runway(F("42.1亿-48.5亿元"), F("-16.01亿元"), D(6)),
        "15.7776",
        "18.1761",
        "months",
        "",
        "runway-loss-written-negative",
    ),
    (lambda: ops.runway(F("12亿元"), F("1亿元"), D(1)), "12", "12", "months", "", "runway-point"),
]


@pytest.mark.parametrize(
    ("calc", "low", "high", "unit", "currency"), [c[:5] for c in CALCULATIONS], ids=[c[5] for c in CALCULATIONS]
)
def test_named_calculation(calc: Callable[[], ops.Calculation], low: str, high: str, unit: str, currency: str) -> None:
    result = calc().result
    got_low, got_high = ends(result)
    assert round(got_low, 4) == D(low)
    assert round(got_high, 4) == D(high)
    assert result.is_range == (D(low) != D(high))
    assert (result.unit, result.currency) == (unit, currency)


def test_proceeds_is_exact_and_shows_its_working() -> None:
    calc = ops.proceeds(F("7000万股"), F("114.28元"))
    assert calc.result.value == D("7999600000")
    assert calc.expression("zh") == "7000万股 × 114.28元"
    assert calc.expression("en") == "70 million shares × RMB 114.28"
    data = calc.to_json()
    assert data["kind"] == "proceeds"
    assert data["result"]["text"] == "RMB 7.9996 billion"
    assert [o["name"] for o in data["operands"]] == ["shares", "price per share"]


def test_range_json_carries_low_and_high() -> None:
    data = ops.difference(F("10亿-20亿元"), F("3亿-5亿元")).to_json()
    assert (D(data["result"]["low"]), D(data["result"]["high"])) == (D("5e8"), D("1.7e9"))
    assert data["operands"][0]["low"] == "1000000000" and data["operands"][0]["high"] == "2000000000"


@pytest.mark.parametrize(
    ("cash", "burn", "months", "start", "runs_out"),
    [
        ("42.1亿-48.5亿元", "16.01亿元", "6", dt.date(2026, 1, 2), "2027Q2–2027Q3"),
        ("12亿元", "1亿元", "1", dt.date(2026, 1, 2), "2027Q1"),
        ("3亿元", "1亿元", "1", dt.date(2026, 12, 31), "2027Q1"),
    ],
    ids=["biren-range-two-quarters", "point-one-quarter", "year-end-start"],
)
def test_runway_runs_out(cash: str, burn: str, months: str, start: dt.date, runs_out: str) -> None:
    calc = ops.runway(F(cash), F(burn), D(months), start)
    assert calc.details == {"start": start.isoformat(), "runs_out": runs_out}
    assert calc.steps[0][0] == "monthly burn"


def test_runway_without_start_has_no_quarter() -> None:
    assert ops.runway(F("12亿元"), F("1亿元"), D(1)).details == {}


def test_convert_records_the_rate_as_an_assumption() -> None:
    calc = ops.convert_currency(F("42.1亿港元"), ops.Rate("HKD", "CNY", D("0.92"), citation=3))
    assert calc.assumptions == ("HKD→CNY at 1 HKD = 0.92 CNY",)
    assert calc.operands[1].citation == 3


def test_converted_keeps_the_value() -> None:
    q = F("42.1亿-48.5亿港元")
    calc = ops.converted(q, "en")
    assert ends(calc.result) == ends(q)
    assert calc.result.text == "HK$4.21–4.85 billion"


def test_qualifier_propagates() -> None:
    assert ops.add(F("约63亿元"), F("1亿元")).qualifier == "about"


# -- named calculations: refusals --------------------------------------------------------------------------------
BAD_CALCULATIONS: list[tuple[Callable[[], Any], str, str]] = [
    (lambda: ops.divide(F("5亿元"), Quantity(D(0))), r"Division by zero", "divide-by-zero"),
    (lambda: ops.divide(F("5亿元"), R("-1", "1")), r"includes zero", "divisor-range-spans-zero"),
    (lambda: ops.divide(F("5亿元"), R("0", "5")), r"includes zero", "divisor-range-ends-at-zero"),
    (lambda: ops.ratio(F("5亿元"), F("0元")), r"Division by zero", "ratio-by-zero"),
    (lambda: ops.share(F("5亿元"), R("-1e8", "1e8", "CNY")), r"Division by zero", "share-total-spans-zero"),
    (lambda: ops.add(F("42.1亿港元"), F("16亿元")), r"Cannot add HKD and CNY without an exchange rate", "add-mixed"),
    (lambda: ops.ratio(F("42.1亿港元"), F("16亿元")), r"exchange rate", "ratio-mixed"),
    (lambda: ops.share(F("1亿美元"), F("16亿元")), r"exchange rate", "share-mixed"),
    (lambda: ops.growth(F("1亿美元"), F("16亿元")), r"exchange rate", "growth-mixed"),
    (lambda: ops.difference(F("1亿美元"), F("16亿元")), r"Cannot subtract USD and CNY", "difference-mixed"),
    (lambda: ops.total([F("1亿元"), F("HK$1bn")]), r"Cannot add CNY and HKD", "sum-mixed"),
    (lambda: ops.runway(F("42.1亿港元"), F("16.01亿元"), D(6)), r"exchange rate", "runway-mixed"),
    (lambda: ops.ratio(F("5亿元"), F("3%")), r"different units \(an amount and %\)", "money-vs-percent"),
    (lambda: ops.add(F("5亿股"), F("5亿")), r"different units", "shares-vs-amount"),
    (lambda: ops.ratio(F("3%"), F("5倍")), r"different units \(% and x\)", "percent-vs-multiple"),
    (lambda: ops.cagr(F("100元"), F("121元"), D(0)), r"number of years", "cagr-zero-years"),
    (lambda: ops.cagr(F("100元"), F("121元"), D(-2)), r"number of years", "cagr-negative-years"),
    (lambda: ops.cagr(F("100元"), F("121元"), D(101)), r"number of years", "cagr-too-many-years"),
    (lambda: ops.cagr(F("0元"), F("121元"), D(2)), r"positive start and end", "cagr-zero-start"),
    (lambda: ops.cagr(F("100元"), F("-5元"), D(2)), r"positive start and end", "cagr-negative-end"),
    (lambda: ops.cagr(R("-1", "100", "CNY"), F("121元"), D(2)), r"positive start and end", "cagr-start-spans-zero"),
    (lambda: ops.growth(F("5亿元"), F("0元")), r"positive base", "growth-from-zero"),
    (lambda: ops.growth(F("5亿元"), F("-3亿元")), r"positive base", "growth-from-negative"),
    (
        lambda: ops.convert_currency(F("42.1亿港元"), ops.Rate("USD", "CNY", D("7.1"))),
        r"rate converts USD, but the figure is in HKD",
        "rate-wrong-currency",
    ),
    (
        lambda: ops.convert_currency(F("5"), ops.Rate("HKD", "CNY", D("0.92"))),
        r"figure is in no currency",
        "rate-for-plain-number",
    ),
    (lambda: ops.convert_currency(F("1亿港元"), ops.Rate("HKD", "CNY", D(0))), r"must be positive", "rate-zero"),
    (lambda: ops.convert_currency(F("1亿港元"), ops.Rate("HKD", "CNY", D("-0.9"))), r"must be positive", "rate-neg"),
    (lambda: ops.proceeds(F("1亿元"), F("17港元")), r"number of shares", "proceeds-shares-with-currency"),
    (lambda: ops.proceeds(F("5%"), F("17港元")), r"number of shares", "proceeds-shares-percent"),
    (lambda: ops.proceeds(F("1亿股"), F("17")), r"needs a currency", "proceeds-price-without-currency"),
    (lambda: ops.runway(F("12亿元"), F("0元"), D(6)), r"Division by zero", "runway-no-burn"),
    (lambda: ops.runway(F("12亿元"), F("1亿元"), D(0)), r"positive number of months", "runway-zero-months"),
    (lambda: ops.total([]), r"Nothing to add up", "sum-empty"),
    (lambda: ops.multiply(F("1万亿元"), F("1万亿元")), r"over 10\^18", "result-too-large"),
]


@pytest.mark.parametrize(("calc", "message"), [c[:2] for c in BAD_CALCULATIONS], ids=[c[2] for c in BAD_CALCULATIONS])
def test_calculation_refused(calc: Callable[[], Any], message: str) -> None:
    with pytest.raises(CalculatorError, match=message):
        calc()


# -- figure(): exactly one figure, known words only ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "low", "high", "unit", "currency"),
    [
        ("42.1亿-48.5亿港元", "4.21e9", "4.85e9", "", "HKD"),
        ("HK$5.58bn", "5.58e9", "5.58e9", "", "HKD"),
        ("US$372.5m", "3.725e8", "3.725e8", "", "USD"),
        ("7000万股", "7e7", "7e7", "shares", ""),
        ("每股17.00港元", "17", "17", "per_share", "HKD"),
        (" 33亿元。", "3.3e9", "3.3e9", "", "CNY"),
    ],
    ids=["zh-range", "en-bn", "en-m", "shares", "per-share", "surrounding-punctuation"],
)
def test_figure_reads_one(text: str, low: str, high: str, unit: str, currency: str) -> None:
    q = figure(text)
    assert ends(q) == (D(low), D(high))
    assert (q.unit, q.currency) == (unit, currency)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5 furlongs", r"Unknown unit or word 'furlongs'"),
        ("5 weeks", r"Unknown unit or word 'weeks'"),
        ("42亿 bananas", r"Unknown unit or word 'bananas'"),
        ("", r"got no figure"),
        ("abc", r"got no figure"),
        ("2025", r"got no figure"),
        ("3亿 5亿", r"got 2 figures"),
    ],
    ids=["furlongs", "weeks", "bananas", "empty", "words", "a-year", "two-figures"],
)
def test_figure_refused(text: str, message: str) -> None:
    with pytest.raises(CalculatorError, match=message):
        figure(text)


# -- LangChain tools ---------------------------------------------------------------------------------------------
TOOL_NAMES = [
    "calc_proceeds",
    "calc_ratio",
    "calc_share",
    "calc_growth",
    "calc_cagr",
    "calc_difference",
    "calc_sum",
    "calc_convert",
    "calc_runway",
    "calc_expression",
]


@pytest.fixture(scope="module")
def tools() -> dict[str, Any]:
    return {t.name: t for t in calculator_tools()}


def test_tool_names_and_schemas(tools: dict[str, Any]) -> None:
    assert sorted(tools) == sorted(TOOL_NAMES)
    for tool in tools.values():
        assert tool.description
        assert tool.args_schema is not None
        assert tool.args_schema.model_json_schema()["properties"]
        assert tool.handle_tool_error is True


# (tool, arguments, result low, result high, id)
GOOD_CALLS: list[tuple[str, dict[str, Any], str, str, str]] = [
    ("calc_proceeds", {"shares": "7000万股", "price": "114.28元"}, "7999600000", "7999600000", "proceeds"),
    ("calc_ratio", {"a": "33亿元", "b": "4.58亿元"}, "7.2052", "7.2052", "ratio"),
    ("calc_share", {"part": "8.27亿元", "total": "33.08亿元"}, "25", "25", "share"),
    ("calc_growth", {"new": "11.74亿元", "old": "7.09亿元"}, "65.5853", "65.5853", "growth"),
    ("calc_cagr", {"start": "100元", "end": "121元", "years": "2"}, "10", "10", "cagr"),
    ("calc_difference", {"a": "10亿-20亿元", "b": "3亿-5亿元"}, "5e8", "1.7e9", "difference"),
    ("calc_sum", {"figures": ["1亿元", "2亿-3亿元"]}, "3e8", "4e8", "sum"),
    (
        "calc_convert",
        {"amount": "42.1亿港元", "source": "hkd", "target": "cny", "rate": "0.92"},
        "3873200000",
        "3873200000",
        "convert",
    ),
    (
        "calc_runway",
        {"cash": "42.1亿-48.5亿元", "burn": "16.01亿元", "burn_months": "6", "start": "2026-01-02"},
        "15.7776",
        "18.1761",
        "runway",
    ),
    ("calc_expression", {"expression": "(42.1-16.01)*2"}, "52.18", "52.18", "expression"),
]


@pytest.mark.parametrize(("name", "args", "low", "high"), [c[:4] for c in GOOD_CALLS], ids=[c[4] for c in GOOD_CALLS])
def test_tool_good_call(tools: dict[str, Any], name: str, args: dict[str, Any], low: str, high: str) -> None:
    out = tools[name].invoke(args)
    assert isinstance(out, dict)
    assert {"expression", "result", "operands"} <= set(out)
    result = out["result"]
    got = (D(result.get("low", result["value"])), D(result.get("high", result["value"])))
    assert (round(got[0], 4), round(got[1], 4)) == (D(low), D(high))
    assert isinstance(out["operands"], list)


def test_runway_tool_reports_the_quarter(tools: dict[str, Any]) -> None:
    args = {"cash": "42.1亿-48.5亿元", "burn": "16.01亿元", "burn_months": "6", "start": "2026-01-02"}
    assert tools["calc_runway"].invoke(args)["details"]["runs_out"] == "2027Q2–2027Q3"
    del args["start"]
    assert tools["calc_runway"].invoke(args)["details"] == {}


BAD_CALLS: list[tuple[str, dict[str, Any], str, str]] = [
    ("calc_expression", {"expression": "1/0"}, r"Division by zero", "expression-divide-by-zero"),
    ("calc_expression", {"expression": "__import__('os')"}, r"function call", "expression-call"),
    ("calc_ratio", {"a": "5 furlongs", "b": "1"}, r"Unknown unit or word 'furlongs'", "ratio-unknown-unit"),
    ("calc_ratio", {"a": "42.1亿港元", "b": "16亿元"}, r"exchange rate", "ratio-mixed-currency"),
    ("calc_sum", {"figures": ["1亿元", "HK$1bn"]}, r"exchange rate", "sum-mixed-currency"),
    ("calc_sum", {"figures": []}, r"Nothing to add up", "sum-empty"),
    ("calc_cagr", {"start": "100元", "end": "121元", "years": "two"}, r"not a number", "cagr-years-words"),
    ("calc_cagr", {"start": "100元", "end": "121元", "years": "0"}, r"number of years", "cagr-zero-years"),
    ("calc_cagr", {"start": "100元", "end": "121元", "years": "NaN"}, r"not a finite number", "cagr-nan-years"),
    ("calc_growth", {"new": "5亿元", "old": "0元"}, r"positive base", "growth-from-zero"),
    (
        "calc_convert",
        {"amount": "42.1亿港元", "source": "USD", "target": "CNY", "rate": "7.1"},
        r"rate converts USD",
        "convert-wrong-currency",
    ),
    (
        "calc_convert",
        {"amount": "42.1亿港元", "source": "HKD", "target": "CNY", "rate": "-1"},
        r"must be positive",
        "convert-negative-rate",
    ),
    (
        "calc_runway",
        {"cash": "42.1亿港元", "burn": "16.01亿元", "burn_months": "6"},
        r"exchange rate",
        "runway-mixed-currency",
    ),
    ("calc_proceeds", {"shares": "", "price": "114.28元"}, r"no figure", "proceeds-empty-shares"),
]


@pytest.mark.parametrize(("name", "args", "message"), [c[:3] for c in BAD_CALLS], ids=[c[3] for c in BAD_CALLS])
def test_tool_bad_call_returns_message(tools: dict[str, Any], name: str, args: dict[str, Any], message: str) -> None:
    out = tools[name].invoke(args)
    assert isinstance(out, str)
    assert re.search(message, out), out
    assert "Traceback" not in out


# -- regressions: bugs these tests found, now fixed ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("expr", "expected"),
    [("1.00000000000000001-1", "1e-17"), ("0.1234567890123456789", "0.1234567890123456789")],
    ids=["tiny-difference-lost", "long-literal-rounded"],
)
def test_fixed_long_literals_are_exact(expr: str, expected: str) -> None:
    assert evaluate(expr) == D(expected)


def test_fixed_growth_range_is_tight() -> None:
    # 4.5亿 against a base of 4亿..5亿: the growth can only be 4.5/5−1 = −10% .. 4.5/4−1 = +12.5%.
    result = ops.growth(F("4.5亿元"), F("4亿-5亿元")).result
    assert ends(result) == (D(-10), D("12.5"))


def test_fixed_absolute_of_range_spanning_zero() -> None:
    assert ends(ops.absolute(R("-2", "3"))) == (D(0), D(3))


def test_fixed_runway_burn_spanning_zero_is_refused() -> None:
    with pytest.raises(CalculatorError, match="Division by zero"):
        ops.runway(F("10亿元"), R("-2e8", "3e8", "CNY"), D(6))


def test_fixed_rate_without_source_currency_is_refused() -> None:
    with pytest.raises(CalculatorError):
        ops.convert_currency(F("5"), ops.Rate("", "CNY", D(2)))


def test_fixed_runway_tool_bad_start_date_is_a_message(tools: dict[str, Any]) -> None:
    args = {"cash": "12亿元", "burn": "1亿元", "burn_months": "1", "start": "2026-13-45"}
    out = tools["calc_runway"].invoke(args)
    assert isinstance(out, str) and "date" in out.lower()


def test_fixed_units_message_names_both_units() -> None:
    with pytest.raises(CalculatorError, match=r"\(shares and an amount\)"):
        ops.add(F("5亿股"), F("5亿"))


# -- properties --------------------------------------------------------------------------------------------------
def _scaled(max_units: int, places: int) -> st.SearchStrategy[Decimal]:
    return st.integers(-max_units, max_units).map(lambda n: D(n).scaleb(-places))


VALUES = _scaled(10**9, 3)  # |v| ≤ 10^6, at most 10 significant digits: sums and products stay exact
POSITIVE = st.integers(1, 10**9).map(lambda n: D(n).scaleb(-3))


def _range_and_point(values: st.SearchStrategy[Decimal]) -> st.SearchStrategy[tuple[Quantity, Decimal]]:
    """A range (or point) figure and a value inside it."""
    return st.lists(values, min_size=3, max_size=3).map(sorted).map(lambda v: (ops.make(v[0], v[2]), v[1]))


def _inside(value: Decimal, q: Quantity) -> bool:
    low, high = ends(q)
    return low <= value <= high


@PROPERTY
@given(_range_and_point(VALUES), _range_and_point(VALUES))
def test_property_add_subtract_multiply_are_sound(a: tuple[Quantity, Decimal], b: tuple[Quantity, Decimal]) -> None:
    (qa, x), (qb, y) = a, b
    assert _inside(x + y, ops.add(qa, qb))
    assert _inside(x - y, ops.subtract(qa, qb))
    assert _inside(x * y, ops.multiply(qa, qb))


@PROPERTY
@given(_range_and_point(POSITIVE), _range_and_point(POSITIVE))
def test_property_multiply_positive_ranges(a: tuple[Quantity, Decimal], b: tuple[Quantity, Decimal]) -> None:
    (qa, x), (qb, y) = a, b
    product = ops.multiply(qa, qb)
    assert _inside(x * y, product)
    assert ends(product) == (ends(qa)[0] * ends(qb)[0], ends(qa)[1] * ends(qb)[1])


@PROPERTY
@given(_range_and_point(VALUES), _range_and_point(POSITIVE), st.booleans())
def test_property_divide_is_sound(a: tuple[Quantity, Decimal], b: tuple[Quantity, Decimal], negate: bool) -> None:
    (qa, x), (qb, y) = a, b
    if negate:  # a divisor entirely below zero is as valid as one above it
        qb, y = ops.scale(qb, D(-1)), -y
    with localcontext() as ctx:
        ctx.prec = 28
        quotient = x / y
    assert _inside(quotient, ops.divide(qa, qb))


@PROPERTY
@given(VALUES, VALUES, _range_and_point(VALUES))
def test_property_divisor_spanning_zero_is_refused(low: Decimal, high: Decimal, a: tuple[Quantity, Decimal]) -> None:
    divisor = ops.make(min(low, high, D(0)), max(low, high, D(0)))
    with pytest.raises(CalculatorError, match="Division by zero"):
        ops.divide(a[0], divisor)


@PROPERTY
@given(_range_and_point(VALUES), _range_and_point(VALUES))
def test_property_add_then_subtract_contains_original(a: tuple[Quantity, Decimal], b: tuple[Quantity, Decimal]) -> None:
    qa, qb = a[0], b[0]
    back = ops.subtract(ops.add(qa, qb), qb)
    (low, high), (back_low, back_high) = ends(qa), ends(back)
    assert back_low <= low <= high <= back_high


AMOUNTS = st.integers(0, 4).flatmap(lambda places: _scaled(10**14, places))  # |v| ≤ 10^14, ≤ 4 decimals


def _tolerance(q: Quantity, language: str) -> Decimal:
    """Half of the last displayed digit: four decimals in the scale (亿/万 in zh, billion/million in en)."""
    biggest = max(abs(v) for v in ends(q))
    steps = ((D(10) ** 8, D(10) ** 4) if language == "zh" else (D(10) ** 9, D(10) ** 6)) + (D(1),)
    factor = next(s for s in steps if biggest >= s or s == 1)
    return factor * D("0.00005")


@PROPERTY
@given(st.lists(AMOUNTS, min_size=1, max_size=2).map(sorted), st.sampled_from(["CNY", "HKD", "USD"]))
def test_property_render_parse_round_trip(values: list[Decimal], currency: str) -> None:
    q = ops.make(values[0], values[-1], currency=currency)
    for language in ("zh", "en"):
        text = render(q, language)
        parsed = parse_quantities(text)
        assert len(parsed) == 1, text
        back = parsed[0]
        assert back.currency == currency, text
        tolerance = _tolerance(q, language)
        for want, got in zip(ends(q), ends(back), strict=True):
            assert abs(want - got) <= tolerance, (text, want, got)


@PROPERTY
@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False, allow_infinity=False),
)
def test_property_evaluate_product_is_exact(a: Decimal, b: Decimal) -> None:
    assert evaluate(f"{a}*{b}") == a * b


def test_plain_rounds_half_up_and_groups_thousands() -> None:
    assert plain(D("1234567.00005")) == "1,234,567.0001"
    assert plain(D("2.5"), 0) == "3"
