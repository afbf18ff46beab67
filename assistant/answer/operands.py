"""Finding a calculation's operands: figures the user gave, and stored facts chosen by company, metric and period."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.answer.query import Period, Query
from assistant.calculator.expression import MAX_MAGNITUDE
from assistant.calculator.ops import Rate
from assistant.conflicts import SourcedFact, preference, sourced
from assistant.entities import Registry
from assistant.numbers import Quantity, parse_quantities
from assistant.store import Store
from assistant.text import normalise

_PART_END = {"": 12, "H1": 6, "H2": 12, "Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12, "-9M": 9}
_PART_LEN = {"": 12, "H1": 6, "H2": 6, "Q1": 3, "Q2": 3, "Q3": 3, "Q4": 3, "-9M": 9}
_LABEL = re.compile(r"^(\d{4})(H1|H2|Q[1-4]|-9M|-\d\d)?$")
_CURRENCY = r"(港元|港币|港幣|hkd|hk\$|美元|usd|us\$|人民币|元|rmb|cny)"
_RATE_PATTERNS = (
    re.compile(rf"1\s?{_CURRENCY}\s?(?:兑|=|≈|约合|折合|换|兑换)\s?(\d+(?:\.\d+)?)\s?{_CURRENCY}", re.I),
    re.compile(rf"(\d+(?:\.\d+)?)\s?{_CURRENCY}\s?(?:per|/|每)\s?{_CURRENCY}", re.I),
    re.compile(rf"{_CURRENCY}\s?/\s?{_CURRENCY}\s?(?:at|=|of|为|是)?\s?(\d+(?:\.\d+)?)", re.I),
)
_CODES = {"港元": "HKD", "港币": "HKD", "港幣": "HKD", "hkd": "HKD", "hk$": "HKD", "美元": "USD", "usd": "USD"}
_CODES |= {"us$": "USD", "人民币": "CNY", "元": "CNY", "rmb": "CNY", "cny": "CNY"}


def label(period: Period) -> str:
    """The fact-period label of a question period: 2025 / 2025H1 / 2025Q3 / 2025-9M."""
    if period.part == "9M":
        return f"{period.year}-9M"
    return f"{period.year}{period.part}"


def period_key(text: str) -> tuple[int, int, int]:
    """Sort key of a fact period label: (end year, end month, length in months); '' sorts first."""
    first, _, last = text.partition("–")
    end = _LABEL.match(last or first)
    start = _LABEL.match(first)
    if not end or not start:
        return (0, 0, 0)
    end_month = int(end.group(2)[1:]) if (end.group(2) or "").startswith("-") and end.group(2) != "-9M" else None
    end_month = end_month or _PART_END.get(end.group(2) or "", 12)
    if not last:
        length = 1 if end_month and (end.group(2) or "").startswith("-0") else _PART_LEN.get(end.group(2) or "", 1)
        return int(end.group(1)), end_month, length
    start_month = _PART_END.get(start.group(2) or "", 12) - _PART_LEN.get(start.group(2) or "", 12)
    return int(end.group(1)), end_month, (int(end.group(1)) - int(start.group(1))) * 12 + end_month - start_month


def months_of(text: str) -> Decimal:
    """Length of a fact period in months (0 when unknown)."""
    return Decimal(period_key(text)[2])


@dataclass
class Pool:
    """The stored facts about the asked companies and metrics; ``details`` are qualifiers the question asked for
    (扣非, 净额) and facts carrying them are preferred."""

    facts: list[SourcedFact]
    details: tuple[str, ...] = ()
    registry: Registry | None = None  # for sentences the facts leave out (a listing date's company)

    @classmethod
    def load(cls, store: Store, companies: tuple[str, ...], metrics: tuple[str, ...]) -> Pool:
        """Every stored fact of these companies' metrics."""
        wanted = set(metrics)
        found = [
            f
            for f in sourced(store.with_facts(companies, metrics))
            if f.fact.company in companies and f.fact.metric in wanted
        ]
        return cls(found)

    def matching(self, company: str, metric: str, period: str | None = None) -> list[SourcedFact]:
        """Facts of one company's metric (for one period label, if given), best source first; figures no
        calculation can use (not finite, or beyond 10^30) are left out."""
        found = [
            f
            for f in self.facts
            if f.fact.company == company
            and f.fact.metric == metric
            and (period is None or f.fact.period == period)
            and usable(f.fact.quantity)
        ]
        wanted = set(self.details)
        return sorted(
            found,
            key=lambda f: (
                (f.fact.detail in wanted) if wanted else not f.fact.detail,
                _firm(f.fact.quantity),
                *preference(f),
            ),
            reverse=True,
        )

    def best(self, company: str, metric: str, period: str | None = None) -> SourcedFact | None:
        """The figure to use: a firm (not 'up to') value from the most reliable, then most recent, source."""
        found = self.matching(company, metric, period)
        return found[0] if found else None

    def periods(self, company: str, metric: str) -> list[str]:
        """Period labels for which a figure exists, latest (then longest) first."""
        labels = {f.fact.period for f in self.facts if f.fact.company == company and f.fact.metric == metric}
        return sorted((p for p in labels if p), key=period_key, reverse=True)


def usable(q: Quantity) -> bool:
    """True when a figure can be an operand: every end finite and within ±10^30 (no news figure is larger)."""
    ends = [v for v in (q.value, q.low, q.high) if v is not None]
    return all(v.is_finite() and abs(v) <= MAX_MAGNITUDE for v in ends)


def _firm(q: Quantity) -> int:
    """Exact figures first, then ranges (estimates, guidance), then bounds ('up to', 'at least')."""
    if q.qualifier in ("up to", "at least"):
        return 0
    return 1 if q.is_range else 2


def question_figures(query: Query) -> list[Quantity]:
    """Figures the user wrote in the question (rates excluded)."""
    norm = normalise(query.text)
    spans = [m.span() for pattern in (*_RATE_PATTERNS, _BARE_RATE) for m in pattern.finditer(norm)]
    return [q for q in parse_quantities(query.text) if not any(s <= q.start < e for s, e in spans)]


def question_rates(text: str) -> list[Rate]:
    """Exchange rates the user gave: '1港元兑0.92元人民币', '0.92 CNY per HKD', 'HKD/CNY 0.92'."""
    rates = []
    norm = normalise(text)
    for index, pattern in enumerate(_RATE_PATTERNS):
        for m in pattern.finditer(norm):
            groups = [g.lower() for g in m.groups()]
            if index == 0:
                source, value, target = groups
            elif index == 1:
                value, target, source = groups
            else:
                source, target, value = groups
            a, b = _CODES.get(source, ""), _CODES.get(target, "")
            if a and b and a != b:
                rates.append(Rate(a, b, Decimal(value)))
    return rates


_BARE_RATE = re.compile(
    r"(?:按|以|at)\s?(?:a\s)?(?:rate\sof\s)?(\d+(?:\.\d+)?)\s?(?:的)?(?:汇率|exchange rate|rate)", re.I
)
_INTO = re.compile(rf"(?:换成|换算成|折合|折算成|兑换成|into|in)\s?{_CURRENCY}", re.I)


def bare_rate(text: str, source: str) -> Rate | None:
    """'按0.92的汇率换成人民币': a rate without its source currency, which the converted figure supplies."""
    norm = normalise(text)
    value, into = _BARE_RATE.search(norm), _INTO.search(norm)
    if value is None or into is None:
        return None
    target = _CODES.get(into.group(1).lower(), "")
    return Rate(source, target, Decimal(value.group(1))) if source and target and source != target else None


def rate_for(rates: list[Rate], source: str, target: str) -> Rate | None:
    """A given rate from ``source`` to ``target``, inverting a given opposite rate if needed."""
    for rate in rates:
        if (rate.source, rate.target) == (source, target):
            return rate
    for rate in rates:
        if (rate.source, rate.target) == (target, source) and rate.value > 0:
            return Rate(source, target, Decimal(1) / rate.value, rate.citation)
    return None


_PART_ZH = {"H1": "上半年", "H2": "下半年", "Q1": "第一季度", "Q2": "第二季度", "Q3": "第三季度", "Q4": "第四季度"}
_PART_ZH |= {"-9M": "前三季度"}


def period_text(text: str, zh: bool) -> str:
    """A fact period label for reading: '2025H1' → '2025年上半年' / 'H1 2025'; ranges joined by 至 / –."""
    if "–" in text:
        first, last = text.split("–", 1)
        return period_text(first, zh) + ("至" if zh else "–") + period_text(last, zh)
    m = _LABEL.match(text)
    if not m:
        return text
    year, part = m.group(1), m.group(2) or ""
    if zh:
        if part.startswith("-") and part != "-9M":
            return f"{year}年{int(part[1:])}月"
        return f"{year}年{_PART_ZH.get(part, '')}"
    if part == "-9M":
        return f"the first nine months of {year}"
    if part.startswith("-"):
        return f"{year}-{part[1:]}"
    return f"{part} {year}".strip()
