"""Quantities as written in Chinese and English news, parsed to exact ``Decimal`` values.

``42.1亿-48.5亿港元`` → a HKD range 4.21e9–4.85e9; ``HK$5.58bn`` → 5.58e9 HKD; ``约63亿元`` → qualifier 约.
Currencies are never converted implicitly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from assistant.text import normalise

MAGNITUDES = {
    "万亿": Decimal(10) ** 12,
    "千亿": Decimal(10) ** 11,
    "百亿": Decimal(10) ** 10,
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "万": Decimal(10) ** 4,
    "trillion": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "thousand": Decimal(10) ** 3,
    "k": Decimal(10) ** 3,
}
CURRENCY_WORDS = {
    "港元": "HKD",
    "港币": "HKD",
    "hk$": "HKD",
    "hkd": "HKD",
    "美元": "USD",
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "元": "CNY",
    "人民币": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "¥": "CNY",
}
UNIT_WORDS = {
    "%": "%",
    "个百分点": "pp",
    "percentage points": "pp",
    "股": "shares",
    "shares": "shares",
    "倍": "x",
    "times": "x",
    "×": "x",
    "x": "x",
    "tflops": "TFLOPS",
    "tops": "TOPS",
    "gb/s": "GB/s",
    "tb/s": "TB/s",
    "gb": "GB",
    "mb": "MB",
    "nm": "nm",
    "w": "W",
    "张": "cards",
    "片": "units",
    "颗": "units",
    "家": "companies",
    "名": "people",
    "户": "accounts",
    "个": "items",
    "轮": "rounds",
}
QUALIFIERS = {
    "约": "about",
    "约合": "about",
    "大约": "about",
    "超": "over",
    "超过": "over",
    "逾": "over",
    "近": "nearly",
    "接近": "nearly",
    "不到": "under",
    "最高": "up to",
    "至少": "at least",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "over": "over",
    "more than": "over",
    "nearly": "nearly",
    "almost": "nearly",
    "up to": "up to",
    "less than": "under",
    "≈": "about",
    ">": "over",
}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MAG = r"万亿|千亿|百亿|亿|千万|百万|万|trillion|billion|million|thousand|bn|mn|[bmk](?![a-z])"
_CUR_PRE = r"HK\$|US\$|RMB|CNY|HKD|USD|¥|\$|人民币"
_CUR_POST = r"港元|港币|美元|人民币|元|yuan|HKD|USD|RMB"
_UNIT = r"%|个百分点|percentage points|股|shares|倍|times|×|TFLOPS|TOPS|GB/s|TB/s|GB|MB|nm|张|片|颗|家|名|户|个|轮"
_QUAL = (
    r"约合|大约|约|超过|超|逾|接近|近|不到|最高|至少"
    r"|about|around|approximately|over|more than|nearly|almost|up to|less than|≈|>"
)
_RANGE = r"\s?(?:-|–|—|~|至|到|to)\s?"
PATTERN = re.compile(
    rf"(?<![A-Za-z0-9.,_])(?P<qual>(?:{_QUAL})\s?)?(?P<pre>{_CUR_PRE})?\s?(?P<n1>{_NUM})\s?(?P<m1>{_MAG})?"
    rf"(?:(?P<rng>{_RANGE})(?P<pre2>{_CUR_PRE})?(?P<n2>{_NUM})\s?(?P<m2>{_MAG})?)?"
    rf"\s?(?P<post>{_CUR_POST})?\s?(?P<unit>{_UNIT})?",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    """A parsed figure. ``value`` is the point value (the low end for a range)."""

    value: Decimal
    unit: str = ""
    currency: str = ""
    low: Decimal | None = None
    high: Decimal | None = None
    qualifier: str = ""
    text: str = ""
    start: int = 0
    end: int = 0

    @property
    def is_range(self) -> bool:
        """True for a range such as 42.1亿-48.5亿."""
        return self.high is not None and self.low is not None and self.high != self.low

    def english(self) -> str:
        """The figure in English units: ``HK$4.21–4.85 billion``, ``RMB 58.903 million``, ``2.82%``."""
        values = [self.low, self.high] if self.is_range else [self.value]
        scale, word = _scale(max(abs(v) for v in values if v is not None))  # type: ignore[type-var]
        numbers = "–".join(_plain(v / scale) for v in values if v is not None)
        qual = f"{self.qualifier} " if self.qualifier else ""
        suffix = f" {word}" if word else ""
        if self.currency:
            prefix = {"HKD": "HK$", "USD": "US$", "CNY": "RMB "}.get(self.currency, self.currency + " ")
            return f"{qual}{prefix}{numbers}{suffix}"
        unit = {"%": "%", "pp": " percentage points", "x": "×", "": ""}.get(self.unit, f" {self.unit}")
        return f"{qual}{numbers}{suffix}{unit}"


def _scale(value: Decimal) -> tuple[Decimal, str]:
    if value >= Decimal(10) ** 9:
        return Decimal(10) ** 9, "billion"
    if value >= Decimal(10) ** 6:
        return Decimal(10) ** 6, "million"
    return Decimal(1), ""


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    whole, _, frac = text.partition(".")
    whole = f"{int(whole):,}" if whole.lstrip("-").isdigit() else whole
    return f"{whole}.{frac}" if frac else whole


def _number(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex only lets numbers through
        return Decimal(0)


def parse_quantities(text: str) -> list[Quantity]:
    """Every figure in ``text`` (full-width digits accepted), with its span in ``text``."""
    found = []
    for match in PATTERN.finditer(normalise(text)):
        quantity = _from_match(match)
        if quantity is not None:
            found.append(quantity)
    return found


def _from_match(m: re.Match[str]) -> Quantity | None:
    mag2 = m.group("m2")
    mag1 = m.group("m1") or (mag2 if m.group("n2") else None)
    low = _number(m.group("n1")) * MAGNITUDES.get((mag1 or "").lower(), Decimal(1))
    high = _number(m.group("n2")) * MAGNITUDES.get((mag2 or "").lower(), Decimal(1)) if m.group("n2") else None
    currency_word = (m.group("pre") or m.group("post") or "").lower()
    unit = UNIT_WORDS.get((m.group("unit") or "").lower(), "")
    if high is not None and high < low:
        return None  # "2022-2024" style year spans and dates are not ranges of one figure
    if _is_year_like(m) or (high is not None and _looks_like_years(m)):
        return None
    qualifier = QUALIFIERS.get((m.group("qual") or "").strip().lower(), "")
    end = m.end()
    while end > m.start() and m.string[end - 1].isspace():
        end -= 1
    start = m.start()
    while start < end and m.string[start].isspace():
        start += 1
    return Quantity(
        value=low,
        unit=unit,
        currency=CURRENCY_WORDS.get(currency_word, ""),
        low=low if high else None,
        high=high,
        qualifier=qualifier,
        text=m.string[start:end],
        start=start,
        end=end,
    )


def _is_year_like(m: re.Match[str]) -> bool:
    """A bare year (2024, 2024年) or a day/month/quarter number (1月2日, 3季度) is a date, not a figure."""
    n1 = m.group("n1")
    follows = m.string[m.end("n1") : m.end("n1") + 1]
    bare = not (m.group("m1") or m.group("pre") or m.group("post") or m.group("unit") or m.group("n2"))
    if bare and follows in ("月", "日", "号", "季", "时", "点", "分", "秒", "周", "天"):
        return True
    return bare and len(n1) == 4 and n1.isdigit() and 1990 <= int(n1) <= 2100 and follows in ("年", "", " ", "-", "–")


def _looks_like_years(m: re.Match[str]) -> bool:
    n1, n2 = m.group("n1"), m.group("n2")
    return len(n1) == 4 and len(n2 or "") == 4 and n1.isdigit() and 1990 <= int(n1) <= 2100


def figure_values(text: str) -> list[Decimal]:
    """Every numeric value in a text, ranges contributing both ends (used to check figures against quotes)."""
    values: list[Decimal] = []
    for q in parse_quantities(text):
        values.extend(v for v in (q.value, q.high) if v is not None)
    return values
