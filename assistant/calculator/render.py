"""Figures written back as text in Chinese (亿元, 万股, 倍, 个月) or English (HK$4.21 billion), rounded for display.

Displayed values keep at most four decimals in their scale (two for percentages, multiples and months); the exact
value stays in the :class:`~assistant.numbers.Quantity`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from assistant.numbers import Quantity

_ZH_CURRENCY = {"CNY": "元", "HKD": "港元", "USD": "美元"}
_EN_CURRENCY = {"CNY": "RMB ", "HKD": "HK$", "USD": "US$"}
_ZH_UNIT = {"%": "%", "pp": "个百分点", "x": "倍", "months": "个月", "shares": "股", "rate": ""}
_EN_UNIT = {"%": "%", "pp": " percentage points", "x": "×", "months": " months", "shares": " shares", "rate": ""}
_SHORT_UNITS = ("%", "pp", "x", "months")


def plain(value: Decimal, places: int = 4) -> str:
    """A decimal with thousands separators and at most ``places`` decimals, trailing zeros removed."""
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP) if value.adjusted() < 24 else value
    text = f"{rounded.normalize():f}"
    if text.lstrip("-").strip("0.") == "":
        text = "0"  # no "-0" for a tiny negative
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    whole = f"{int(whole):,}"
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


def render(q: Quantity, language: str) -> str:
    """The figure for display in ``language`` ('zh' or 'en'); ranges as low–high."""
    values = [q.low, q.high] if q.is_range else [q.value]
    places = 2 if q.unit in _SHORT_UNITS else 4
    if language == "zh":
        return _zh(q, values, places)  # type: ignore[arg-type]
    return _en(q, values, places)  # type: ignore[arg-type]


_ZH_SCALES = ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
_EN_SCALES = ((Decimal(10) ** 9, " billion"), (Decimal(10) ** 6, " million"))


def _scale(q: Quantity, values: list[Decimal], scales: tuple[tuple[Decimal, str], ...]) -> tuple[Decimal, str]:
    """The largest scale word (亿, billion…) the figure reaches; amounts and share counts only."""
    biggest = max(abs(v) for v in values)
    if q.unit in ("", "shares"):
        for factor, word in scales:
            if biggest >= factor:
                return factor, word
    return Decimal(1), ""


def _zh(q: Quantity, values: list[Decimal], places: int) -> str:
    factor, word = _scale(q, values, _ZH_SCALES)
    numbers = "–".join(plain(v / factor, places).replace(",", "") if word else plain(v, places) for v in values)
    qual = "约" if q.qualifier else ""
    if q.unit == "per_share":
        return f"{qual}每股{numbers}{_ZH_CURRENCY.get(q.currency, q.currency)}"
    unit = _ZH_CURRENCY.get(q.currency, q.currency) if q.currency else _ZH_UNIT.get(q.unit, q.unit)
    return f"{qual}{numbers}{word}{unit}"


def _en(q: Quantity, values: list[Decimal], places: int) -> str:
    factor, word = _scale(q, values, _EN_SCALES)
    numbers = "–".join(plain(v / factor, places) for v in values)
    qual = "about " if q.qualifier else ""
    if q.currency:
        prefix = _EN_CURRENCY.get(q.currency, q.currency + " ")
        suffix = " per share" if q.unit == "per_share" else ""
        return f"{qual}{prefix}{numbers}{word}{suffix}"
    return f"{qual}{numbers}{word}{_EN_UNIT.get(q.unit, ' ' + q.unit if q.unit else '')}"
