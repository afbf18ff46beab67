"""Deterministic calculations on cited figures (``Decimal``; ranges carry low/high through every step).

Every function returns a :class:`Calculation` holding the formula, the operands as given and the result, so an
answer can show its working and the grounding check can accept the result. Currencies are never mixed unless an
explicit :class:`Rate` is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from typing import Any

from assistant.calculator.render import plain, render
from assistant.errors import CalculatorError
from assistant.numbers import Quantity
from assistant.periods import add_months, quarter_of

MAX_MAGNITUDE = Decimal(10) ** 18
MONEY_UNITS = ("", "per_share")


@dataclass(frozen=True)
class Operand:
    """A figure that went into a calculation, and where it came from (citation ``n``; ``None`` = the question)."""

    name: str
    quantity: Quantity
    citation: int | None = None
    quote: str = ""
    period: str = ""

    def to_json(self) -> dict[str, Any]:
        """JSON form: name, text, exact value(s), unit, currency and citation number."""
        head = {"name": self.name, "text": self.quantity.text or render(self.quantity, "en")}
        return head | _values(self.quantity) | {"citation": self.citation, "period": self.period}


@dataclass(frozen=True)
class Rate:
    """An explicit exchange rate: 1 ``source`` = ``value`` ``target``, cited (``citation``) or given by the user."""

    source: str
    target: str
    value: Decimal
    citation: int | None = None

    def text(self) -> str:
        """``1 HKD = 0.92 CNY``."""
        return f"1 {self.source} = {plain(self.value)} {self.target}"


@dataclass(frozen=True)
class Calculation:
    """One computed figure with its working."""

    kind: str
    formula: str
    result: Quantity
    operands: tuple[Operand, ...] = ()
    assumptions: tuple[str, ...] = ()
    details: dict[str, str] = field(default_factory=dict)
    steps: tuple[tuple[str, Quantity], ...] = ()

    def expression(self, language: str = "en") -> str:
        """The formula with the operands' values substituted."""
        return self.formula.format(*(render(o.quantity, language) for o in self.operands))

    def to_json(self) -> dict[str, Any]:
        """The ``calculations`` entry of ``ask --json``."""
        return {
            "kind": self.kind,
            "expression": self.expression(),
            "result": {"text": render(self.result, "en")} | _values(self.result),
            "operands": [o.to_json() for o in self.operands],
            "assumptions": list(self.assumptions),
            "details": dict(self.details),
            "steps": [{"name": name} | _values(q) for name, q in self.steps],
        }


def _values(q: Quantity) -> dict[str, Any]:
    values: dict[str, Any] = {"value": str(q.value), "unit": q.unit, "currency": q.currency}
    if q.is_range:
        values |= {"low": str(q.low), "high": str(q.high)}
    return values


# -- range arithmetic ------------------------------------------------------------------------------------------
def bounds(q: Quantity) -> tuple[Decimal, Decimal]:
    """(low, high) of a figure; a point figure has low == high."""
    if q.is_range:
        assert q.low is not None and q.high is not None
        return q.low, q.high
    return q.value, q.value


def make(low: Decimal, high: Decimal, unit: str = "", currency: str = "", qualifier: str = "") -> Quantity:
    """A result figure (a point when low == high)."""
    low, high = min(low, high), max(low, high)
    for v in (low, high):
        if not v.is_finite() or abs(v) > MAX_MAGNITUDE:
            raise CalculatorError("The result is too large to be meaningful (over 10^18); check the operands.")
    if low == high:
        return Quantity(low, unit, currency, qualifier=qualifier)
    return Quantity(low, unit, currency, low=low, high=high, qualifier=qualifier)


def _qualifier(*qs: Quantity) -> str:
    return "about" if any(q.qualifier for q in qs) else ""


def add(a: Quantity, b: Quantity) -> Quantity:
    """a + b (ranges: low+low, high+high)."""
    _same_kind(a, b, "add")
    (a1, a2), (b1, b2) = bounds(a), bounds(b)
    return make(a1 + b1, a2 + b2, a.unit, a.currency, _qualifier(a, b))


def subtract(a: Quantity, b: Quantity) -> Quantity:
    """a − b (ranges: low−high, high−low)."""
    _same_kind(a, b, "subtract")
    (a1, a2), (b1, b2) = bounds(a), bounds(b)
    return make(a1 - b2, a2 - b1, a.unit, a.currency, _qualifier(a, b))


def multiply(a: Quantity, b: Quantity, unit: str = "", currency: str = "") -> Quantity:
    """a × b over every pair of ends."""
    (a1, a2), (b1, b2) = bounds(a), bounds(b)
    with localcontext() as ctx:
        ctx.prec = 28
        products = [x * y for x in (a1, a2) for y in (b1, b2)]
    return make(min(products), max(products), unit, currency, _qualifier(a, b))


def divide(a: Quantity, b: Quantity, unit: str = "", currency: str = "") -> Quantity:
    """a ÷ b over every pair of ends; a divisor that is or spans zero is an error."""
    (a1, a2), (b1, b2) = bounds(a), bounds(b)
    if b1 <= 0 <= b2:
        raise CalculatorError("Division by zero: the divisor is zero (or a range that includes zero).")
    with localcontext() as ctx:
        ctx.prec = 28
        quotients = [x / y for x in (a1, a2) for y in (b1, b2)]
    return make(min(quotients), max(quotients), unit, currency, _qualifier(a, b))


def _same_kind(a: Quantity, b: Quantity, verb: str) -> None:
    if a.unit != b.unit:
        raise CalculatorError(
            f"Cannot {verb} figures in different units ({a.unit or 'an amount'} and {b.unit or 'an amount'})."
        )
    if a.currency != b.currency:
        raise CalculatorError(
            f"Cannot {verb} {a.currency or 'a non-currency figure'} and {b.currency or 'a non-currency figure'} "
            "without an exchange rate; give one (e.g. '1 HKD = 0.92 CNY') or cite a source that states it."
        )


def scale(q: Quantity, factor: Decimal, unit: str | None = None) -> Quantity:
    """q × a plain number."""
    low, high = bounds(q)
    return make(low * factor, high * factor, q.unit if unit is None else unit, q.currency, q.qualifier)


def absolute(q: Quantity) -> Quantity:
    """A loss written as a negative figure, as its size."""
    low, high = bounds(q)
    if low >= 0:
        return q
    if high >= 0:  # a range spanning zero: its size runs from 0
        return make(Decimal(0), max(-low, high), q.unit, q.currency, q.qualifier)
    return make(-high, -low, q.unit, q.currency, q.qualifier)


def with_text(q: Quantity, text: str) -> Quantity:
    """The same figure with its written form."""
    return replace(q, text=text)


# -- named calculations ----------------------------------------------------------------------------------------
def proceeds(shares: Quantity, price: Quantity) -> Calculation:
    """Shares × price per share."""
    if shares.currency or shares.unit not in ("shares", ""):
        raise CalculatorError("The first operand must be a number of shares.")
    if not price.currency:
        raise CalculatorError("The price per share needs a currency.")
    result = multiply(shares, price, currency=price.currency)
    operands = (Operand("shares", shares), Operand("price per share", price))
    return Calculation("proceeds", "{} × {}", result, operands)


def ratio(a: Quantity, b: Quantity, names: tuple[str, str] = ("a", "b")) -> Calculation:
    """How many times b is a (a ÷ b, as a multiple)."""
    _same_kind(a, b, "compare")
    result = divide(a, b, unit="x")
    return Calculation("ratio", "{} ÷ {}", result, (Operand(names[0], a), Operand(names[1], b)))


def share(part: Quantity, total: Quantity) -> Calculation:
    """part ÷ total, in percent."""
    _same_kind(part, total, "compare")
    result = scale(divide(part, total), Decimal(100), unit="%")
    return Calculation("share", "{} ÷ {} × 100%", result, (Operand("part", part), Operand("total", total)))


def growth(new: Quantity, old: Quantity) -> Calculation:
    """(new − old) ÷ old, in percent (year on year when the periods are a year apart)."""
    _same_kind(new, old, "compare")
    if bounds(old)[0] <= 0:
        raise CalculatorError("Growth needs a positive base figure (the earlier one).")
    result = scale(divide(new, old), Decimal(100), unit="%")
    low, high = bounds(result)
    result = make(low - 100, high - 100, "%", qualifier=result.qualifier)  # new ÷ old − 1: the base counts once
    return Calculation("growth", "({0} − {1}) ÷ {1} × 100%", result, (Operand("new", new), Operand("old", old)))


def cagr(start: Quantity, end: Quantity, years: Decimal) -> Calculation:
    """Compound annual growth rate: (end ÷ start)^(1 ÷ years) − 1, in percent."""
    _same_kind(start, end, "compare")
    if years <= 0 or years > 100:
        raise CalculatorError("CAGR needs a number of years between 0 and 100.")
    (s1, s2), (e1, e2) = bounds(start), bounds(end)
    if min(s1, e1) <= 0:
        raise CalculatorError("CAGR needs positive start and end figures.")
    with localcontext() as ctx:
        ctx.prec = 28
        rates = [((e / s) ** (1 / years) - 1) * 100 for s in (s1, s2) for e in (e1, e2)]
    result = make(min(rates), max(rates), "%")
    operands = (Operand("start", start), Operand("end", end))
    return Calculation("cagr", f"({{1}} ÷ {{0}})^(1/{plain(years)}) − 1", result, operands)


def difference(a: Quantity, b: Quantity) -> Calculation:
    """a − b."""
    return Calculation("difference", "{} − {}", subtract(a, b), (Operand("a", a), Operand("b", b)))


def total(figures: list[Quantity], names: list[str] | None = None) -> Calculation:
    """The sum of several figures (same unit and currency)."""
    if not figures:
        raise CalculatorError("Nothing to add up.")
    result = figures[0]
    for q in figures[1:]:
        result = add(result, q)
    names = names or [f"item {i}" for i in range(1, len(figures) + 1)]
    operands = tuple(Operand(n, q) for n, q in zip(names, figures, strict=True))
    return Calculation("sum", " + ".join("{}" for _ in figures), result, operands)


def convert_currency(q: Quantity, rate: Rate) -> Calculation:
    """A figure in another currency, only at an explicit rate."""
    if not rate.source or not rate.target:
        raise CalculatorError("An exchange rate needs both currencies, e.g. 1 HKD = 0.92 CNY.")
    if q.currency != rate.source:
        raise CalculatorError(f"The rate converts {rate.source}, but the figure is in {q.currency or 'no currency'}.")
    if rate.value <= 0:
        raise CalculatorError("An exchange rate must be positive.")
    low, high = bounds(q)
    result = make(low * rate.value, high * rate.value, q.unit, rate.target, q.qualifier)
    rate_q = Quantity(rate.value, "rate", text=rate.text())
    operands = (Operand("amount", q), Operand(f"rate {rate.source}→{rate.target}", rate_q, rate.citation))
    assumption = f"{rate.source}→{rate.target} at {rate.text()}"
    return Calculation("convert", "{} × {}", result, operands, (assumption,))


def runway(cash: Quantity, burn: Quantity, burn_months: Decimal, start: dt.date | None = None) -> Calculation:
    """How many months cash lasts at a burn rate of ``burn`` per ``burn_months`` months, and when it runs out."""
    burn = absolute(burn)
    _same_kind(cash, burn, "compare")
    if burn_months <= 0:
        raise CalculatorError("The burn period must be a positive number of months.")
    monthly = divide(burn, make(burn_months, burn_months), currency=burn.currency)
    months = divide(cash, monthly, unit="months")
    details: dict[str, str] = {}
    if start is not None:
        low, high = bounds(months)
        ends = sorted({quarter_of(add_months(start, low)), quarter_of(add_months(start, high))})
        details |= {"start": start.isoformat(), "runs_out": "–".join(ends)}
    period = Operand("burn period", Quantity(burn_months, "months"))
    operands = (Operand("cash", cash), Operand("burn", burn), period)
    steps = (("monthly burn", monthly),)
    return Calculation("runway", "{} ÷ ({} ÷ {})", months, operands, details=details, steps=steps)


def converted(q: Quantity, language: str) -> Calculation:
    """A figure restated in the other language's units (亿 ↔ billion); the value is unchanged."""
    result = with_text(q, render(q, language))
    return Calculation("convert_units", "{}", result, (Operand("figure", q),))
