"""Quantities as written in Chinese and English news, parsed to exact ``Decimal`` values.

``42.1亿-48.5亿港元`` → a HKD range 4.21e9–4.85e9; ``HK$5.58bn`` → 5.58e9 HKD; ``约63亿元`` → qualifier 约;
``每股17.00港元`` → 17.00 HKD per share; ``亏损-16.18亿`` / ``−18.94亿`` → negative values.
Currencies are never converted implicitly.

Not figures (nothing is returned for them): years (``2024年``, ``2025``, ``2022-2024``), dates and times
(``2026年1月2日``, ``12月22日``, ``2025-12-22``, ``Jan 2``, ``10:30``), quarters and months (``3季度``, ``1-9月``),
ordinals (``第3名``), and product or period codes (``BR100``, ``MTT S80``, ``910C``, ``RTX 3060``, ``H1``, ``3Q25``):
a bare number glued to letters, or after an all-capitals word, is a name. Single-letter magnitudes (``m``, ``b``,
``k``) count only after a currency (``US$372.5m``), so ``910B`` is a chip, not 910 billion. Chinese numerals
(``三亿``) and approximate suffixes (``3亿多``) are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from assistant.text import normalise, simplified

# Chinese magnitudes: 十/百/千 before 万 or 亿, and 万亿 (10^12) with its own 十/百/千 (千万亿 = 10^15).
CHINESE_MAGNITUDES = {
    f"{small}{big}": Decimal(10) ** (power + exponent)
    for big, power in (("万", 4), ("亿", 8), ("万亿", 12))
    for small, exponent in (("", 0), ("十", 1), ("百", 2), ("千", 3))
}
MAGNITUDES = CHINESE_MAGNITUDES | {
    "quadrillion": Decimal(10) ** 15,
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
    "￥": "CNY",
}
UNIT_WORDS = {
    "%": "%",
    "percent": "%",
    "per cent": "%",
    "个百分点": "pp",
    "percentage points": "pp",
    "percentage point": "pp",
    "/股": "per_share",
    "/share": "per_share",
    "per share": "per_share",
    "a share": "per_share",
    "股": "shares",
    "shares": "shares",
    "倍": "x",
    "times": "x",
    "×": "x",
    "x": "x",
    "tflops": "TFLOPS",
    "tops": "TOPS",
    "t": "T",  # 算力1000T: tera-operations, FLOPS or OPS unstated
    "gb/s": "GB/s",
    "tb/s": "TB/s",
    "tb": "TB",
    "gb": "GB",
    "mb": "MB",
    "nm": "nm",
    "纳米": "nm",
    "nanometer": "nm",
    "nanometre": "nm",
    "ghz": "GHz",
    "mhz": "MHz",
    "w": "W",
    "张": "cards",
    "片": "units",
    "颗": "units",
    "家": "companies",
    "名": "people",
    "人": "people",
    "台": "units",
    "户": "accounts",
    "个": "items",
    "轮": "rounds",
    "参数": "params",
    "parameters": "params",
    "params": "params",
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
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def _alternation(words: Iterable[str], guards: dict[str, str] | None = None) -> str:
    """Longest first; English words may not run on into a longer word (``5 weeks`` is not ``5 W``)."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    guards = guards or {}
    return "|".join(
        re.escape(w) + guards.get(w, r"(?![A-Za-z])" if w[-1].isalpha() and w.isascii() else "") for w in ordered
    )


_MAG = _alternation(MAGNITUDES)
_CUR_PRE = _alternation(["HK$", "US$", "RMB", "CNY", "HKD", "USD", "¥", "￥", "$", "人民币"])
_CUR_POST = _alternation(["港元", "港币", "美元", "人民币", "元", "yuan", "HKD", "USD", "RMB"])
_UNIT = _alternation(UNIT_WORDS, guards={"人": "(?!民币)"})  # 72亿元人民币
_QUAL = _alternation(QUALIFIERS)
_RANGE = r"\s?(?:-|–|—|~|至|到|to)\s?"
# A hyphen is a minus sign only where it cannot be a dash after a figure (3亿元-5亿元, 12%-15%); U+2212 always is.
_ENDERS = re.escape("".join(sorted({w[-1] for w in (*UNIT_WORDS, *CURRENCY_WORDS, *MAGNITUDES) if not w.isascii()})))
_SIGN = rf"−|(?<![0-9A-Za-z%)${_ENDERS}])-"
PATTERN = re.compile(
    r"(?<![A-Za-z0-9_])(?<![0-9][.,/:\-–~])(?<![A-Za-z][.\-])"
    rf"(?P<ps>每股\s?)?(?P<qual>(?:{_QUAL})\s?)?(?:(?P<sign0>[-−])(?=(?:{_CUR_PRE})))?(?P<pre>{_CUR_PRE})?\s?"
    rf"(?P<sign>(?(pre)[-−]|(?:{_SIGN})))?"
    rf"(?P<n1>{_NUM})\s?(?P<m1>{_MAG})?"
    rf"(?:(?P<rng>{_RANGE})(?P<pre2>{_CUR_PRE})?(?P<sign2>[-−])?(?P<n2>{_NUM})\s?(?P<m2>{_MAG})?)?"
    rf"\s?(?P<post>{_CUR_POST})?\s?(?P<unit>{_UNIT})?",
    re.I,
)
_TICKER = re.compile(r"\.(?:SH|SZ|HK|BJ|SS)(?![A-Za-z])", re.I)
_TICKER_BEFORE = re.compile(r"(?:代码|代號|代号|ticker|stock code)[:：\s]*$", re.I)
_MERGE_GAP = re.compile(r"\s?(?:-|–|—|~|至)\s?")
_FUNDING_AFTER = re.compile(r"\s?(?:[A-Za-z0-9+\-]{1,8}\s?轮|[\u4e00-\u9fff]{1,2}轮)?(?:战略)?(?:融资|投资|注资)")
_DATE_FOLLOWERS = frozenset("月日号季时点分秒周天")
_MODEL_BEFORE = re.compile(r"[A-Z]{2,}[A-Za-z0-9]*\s$")  # RTX 3060, MTT S4000: product names, not figures
_MONTH_BEFORE = re.compile(rf"{_MONTHS}\s$")
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s{_MONTHS}(?![a-z])")


@dataclass(frozen=True)
class Quantity:
    """A parsed figure. ``value`` is the point value (the low end for a range).

    ``unit`` is one of the values of :data:`UNIT_WORDS` (``"%"``, ``"pp"``, ``"shares"``, ``"x"``, ``"per_share"``,
    ``"TFLOPS"`` …) or ``""`` for a plain amount; ``currency`` is ``"CNY"``, ``"HKD"``, ``"USD"`` or ``""``.
    ``text`` is ``original[start:end]`` of the string that was parsed.
    """

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
        values = [v for v in ([self.low, self.high] if self.is_range else [self.value]) if v is not None]
        sign = "-" if len(values) == 1 and values[0] < 0 else ""
        values = [abs(v) for v in values] if sign else values
        scale, word = _scale(max(abs(v) for v in values))
        numbers = "–".join(_plain(v / scale) for v in values)
        qual = f"{self.qualifier} " if self.qualifier else ""
        suffix = f" {word}" if word else ""
        if self.currency:
            prefix = {"HKD": "HK$", "USD": "US$", "CNY": "RMB "}.get(self.currency, self.currency + " ")
            per = " per share" if self.unit == "per_share" else ""
            return f"{qual}{sign}{prefix}{numbers}{suffix}{per}"
        unit = _ENGLISH_UNITS.get(self.unit, f" {self.unit}")
        return f"{qual}{sign}{numbers}{suffix}{unit}"


_ENGLISH_UNITS = {"%": "%", "pp": " percentage points", "x": "×", "": "", "per_share": " per share"}


def _scale(value: Decimal) -> tuple[Decimal, str]:
    if value >= Decimal(10) ** 15:
        return Decimal(10) ** 15, "quadrillion"
    if value >= Decimal(10) ** 12:
        return Decimal(10) ** 12, "trillion"
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


def _number(text: str, sign: str | None = None) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex only lets numbers through
        return Decimal(0)
    return -value if sign else value


def parse_quantities(text: str) -> list[Quantity]:
    """Every figure in ``text``, in order.

    Args:
        text: Chinese or English text; full-width digits and punctuation are read like ASCII.

    Returns:
        The figures; ``start``/``end`` index ``text`` itself and ``text[start:end] == quantity.text``.
        ``3亿元-5亿元`` and ``12%至15%`` become one range.
    """
    norm = simplified(normalise(text))  # 億, 萬, 港幣 read as 亿, 万, 港币
    found = [q for m in PATTERN.finditer(norm) if (q := _from_match(m, text)) is not None]
    return _merge_ranges(found, norm, text)


def _from_match(m: re.Match[str], original: str) -> Quantity | None:
    g = m.groupdict()
    currency = CURRENCY_WORDS.get((g["pre"] or g["post"] or g["pre2"] or "").lower(), "")
    if _not_a_figure(m, currency):
        return None
    mag2 = g["m2"]
    mag1 = g["m1"] or (mag2 if g["n2"] else None)
    low = _number(g["n1"], g["sign"] or g["sign0"]) * MAGNITUDES.get((mag1 or "").lower(), Decimal(1))
    high = _number(g["n2"], g["sign2"]) * MAGNITUDES.get((mag2 or "").lower(), Decimal(1)) if g["n2"] else None
    if high is not None and high < low:
        return None  # "2022-2024"-style spans and "2025-12" dates are not ranges of one figure
    unit = "per_share" if g["ps"] else UNIT_WORDS.get(" ".join((g["unit"] or "").lower().split()), "")
    start, end = m.start(), m.end()
    while end > start and m.string[end - 1].isspace():
        end -= 1
    if not (currency or unit) and (mag2 or mag1 or "") in ("亿", "万") and _FUNDING_AFTER.match(m.string, end):
        currency = "CNY"  # 获得10亿Pre-B轮融资: a round in 亿 with no currency named is in yuan
    return Quantity(
        value=low,
        unit=unit,
        currency=currency,
        low=low if high is not None else None,
        high=high,
        qualifier=QUALIFIERS.get(" ".join((g["qual"] or "").lower().split()), ""),
        text=original[start:end],
        start=start,
        end=end,
    )


def _not_a_figure(m: re.Match[str], currency: str) -> bool:
    """Dates, years, ordinals and product names; ``m``/``b``/``k`` without a currency (``910B``, ``5m``)."""
    g = m.groupdict()
    counted = UNIT_WORDS.get((g["unit"] or "").lower(), "") in ("cards", "units")  # 1.9 M张, 820k颗
    if not currency and not counted and any((g[k] or "").lower() in ("b", "m", "k") for k in ("m1", "m2")):
        return True
    end = m.end()
    while end > m.start() and m.string[end - 1].isspace():
        end -= 1
    if end < len(m.string) and _ascii_alnum(m.string[end - 1]) and _ascii_alnum(m.string[end]):
        return True  # 910C, 1H25, 5G: the number is part of a name
    if m.string[max(0, m.start() - 1) : m.start()] == "第":
        return True  # 第3名, 第2大: an ordinal
    if _TICKER.match(m.string, end) or _TICKER_BEFORE.search(m.string[max(0, m.start() - 6) : m.start()]):
        return True  # 688256.SH, 06082.HK, 股票代码688795: a stock code
    bare = not any(g[k] for k in ("m1", "m2", "pre", "pre2", "post", "unit", "ps"))
    return bare and _bare_not_a_figure(m)


def _bare_not_a_figure(m: re.Match[str]) -> bool:
    text, last = m.string, m.end("n2") if m.group("n2") else m.end("n1")
    follows = text[last : last + 2]
    if follows[:1] in _DATE_FOLLOWERS or re.match(r"[./:]\d", follows):
        return True  # 12月22日, 3季度, 1-9月, 2025.12.22, 10:30
    if _is_year(m.group("n1")) and (not m.group("n2") or _is_year(m.group("n2"))):
        return True  # 2025, 2024年, 2019-2025
    before = text[max(0, m.start() - 12) : m.start()]
    return bool(_MODEL_BEFORE.search(before) or _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(text, last))


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1990 <= int(number) <= 2100


def _ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _merge_ranges(found: list[Quantity], norm: str, original: str) -> list[Quantity]:
    """Join ``3亿元-5亿元`` / ``12%至15%``: two figures of one kind with only a dash or 至 between them."""
    merged: list[Quantity] = []
    for q in found:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and _MERGE_GAP.fullmatch(norm[prev.end : q.start])
            and prev.currency == q.currency
            and (
                prev.unit == q.unit or (prev.unit == "per_share" and not q.unit and q.currency)
            )  # 每股17港元至19.6港元
            and (q.unit or q.currency)
            and not (prev.is_range or q.is_range or q.qualifier)
            and prev.value <= q.value
        ):
            text = original[prev.start : q.end]
            merged[-1] = replace(prev, low=prev.value, high=q.value, text=text, end=q.end)
        else:
            merged.append(q)
    return merged


def figure_values(text: str) -> list[Decimal]:
    """Every numeric value in a text, ranges contributing both ends (used to check figures against quotes)."""
    values: list[Decimal] = []
    for q in parse_quantities(text):
        values.extend(v for v in (q.value, q.high) if v is not None)
    return values
