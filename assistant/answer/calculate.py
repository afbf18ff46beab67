"""Calculation answers: route a question to the calculator, gather cited operands, show the working.

Operands come from the question (the user's own figures) or from stored facts, each cited with its quote. When an
operand is missing (or two currencies meet without a rate) the answer names what is missing instead of guessing.
A source's own estimate of the same thing is shown beside the result.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from assistant.answer.operands import (
    Pool,
    bare_rate,
    label,
    months_of,
    period_key,
    period_text,
    question_figures,
    question_rates,
    rate_for,
    usable,
)
from assistant.answer.query import Period, Query, contains
from assistant.calculator import ops
from assistant.calculator.expression import evaluate
from assistant.conflicts import SourcedFact
from assistant.entities import Registry
from assistant.errors import CalculatorError
from assistant.facts import Fact
from assistant.numbers import Quantity
from assistant.periods import parse_date, parse_periods
from assistant.store import Store
from assistant.text import normalise_for_match, split_sentences
from assistant.types import Hit

_UNITS_ASKED = re.compile(r"how many (?:billion|million)|in billions|in millions")
_SHARE = re.compile(r"占.{0,16}(?:比重|比例|百分之|几成|%)|贡献了?(?:百分之|多少|几)")
_COMPARED = re.compile(r"比.{1,16}(?:多(?!少)|(?<!多)少|高|低)|\bmore\b.{1,40}\bthan\b|\bless\b.{1,40}\bthan\b")
_EXPRESSION = re.compile(r"[\d.]+\s*(?:[-+*/×÷^]|\*\*)\s*[\d.(]|\(\s*[\d.]+\s*[-+*/×÷]")
_WORDS = {
    "runway": (
        "撑多久",
        "能撑",
        "撑到",
        "支撑多久",
        "维持多久",
        "够用多久",
        "够烧",
        "够亏",
        "能覆盖",
        "覆盖多少个月",
        "runway",
        "how long",
        "last until",
    ),
    "cagr": ("复合增长", "年均增长", "年复合", "cagr", "compound annual"),
    "ratio": ("几倍", "多少倍", "how many times", "times as", "multiple of"),
    "share": ("占比", "占营收", "比例", "比重", "what share of", "what percentage of", "percent of", "proportion"),
    "difference": ("相差", "差多少", "差距", "多多少", "少多少", "多出", "高出", "少了", "difference", "gap between"),
    "sum": ("合计", "加起来", "总共", "一共", "合起来", "combined", "in total", "altogether", "sum of", "add up"),
    "convert": (
        "换算",
        "换成",
        "折合",
        "折算",
        "兑换成",
        "convert",
        "in us dollars",
        "in hong kong dollars",
        "in yuan",
    ),
    "expression": ("计算", "算一下", "算算", "等于多少", "calculate", "compute", "work out"),
}


# Without a result, these are better answered by quoting the sources; those in GIVEN work on the user's figures.
QUOTABLE = frozenset({"growth", "sum", "difference", "share"})
GIVEN = frozenset({"expression", "proceeds", "convert"})


@dataclass
class Plan:
    """A calculation to show: the result, its cited operands, and notes."""

    calculation: ops.Calculation | None
    facts: list[SourcedFact] = field(default_factory=list)
    assumptions: list[tuple[str, str]] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    stated: list[SourcedFact] = field(default_factory=list)


def detect(query: Query) -> str:
    """The kind of calculation a question asks for, or '' for a plain factual question."""
    norm = normalise_for_match(query.text)
    if _EXPRESSION.search(norm) and _has(norm, "expression"):
        return "expression"
    given = question_figures(query)
    if any(q.unit == "shares" for q in given) and any(q.currency for q in given):
        return "proceeds"
    if {"shares_offered", "offer_price"} <= set(query.metrics) and (
        _has(norm, "expression") or _HYPOTHETICAL.search(norm) or any(w in norm for w in ("乘", "×", "times"))
    ):
        return "proceeds"  # 股数乘以发行价 / 如果按上限定价: asking for the figures themselves is not a calculation
    for kind in ("runway", "cagr", "ratio", "share", "difference", "sum"):
        if _has(norm, kind) and (kind not in ("difference", "sum") or _two_things(query)):
            return kind
    if _SHARE.search(norm):
        return "share"
    if "growth" in query.metrics and query.main_metrics and query.periods and _asks_amount(norm):
        return "growth"
    if _COMPARED.search(norm) and _two_things(query):
        return "difference"
    if _has(norm, "convert") and (given or question_rates(query.text) or bare_rate(query.text, "HKD")):
        return "convert"
    if _UNITS_ASKED.search(norm) and query.main_metrics and query.companies:
        return "convert"
    return ""


def _has(norm: str, kind: str) -> bool:
    return any(contains(norm, w) for w in _WORDS[kind])


def _two_things(query: Query) -> bool:
    spans = len(_spanned(query))
    return len(query.companies) > 1 or spans > 1 or len(question_figures(query)) > 1


def _asks_amount(norm: str) -> bool:
    words = (
        "多少",
        "几",
        "算一下",
        "自己算",
        "对得上",
        "how much",
        "by how much",
        "what was",
        "how fast",
        "what is",
        "rate",
    )
    return any(contains(norm, w) for w in words)


_EXPLICIT = re.compile(
    r"[+×÷*]|算一下|算算|帮我算|计算一下|请计算|算出|乘以|除以|加上|减去|加起来|calculate|multiply|divide|subtract"
)
_OPERATOR = re.compile(r"[-+*/×÷^%]")
_HYPOTHETICAL = re.compile(r"如果|假如|假设|若按|(?<![a-z])if(?![a-z])")


def explicit(query: Query) -> bool:
    """The question asks for the arithmetic itself (帮我算, 乘以, ÷, calculate): a quote cannot answer it."""
    return bool(_EXPLICIT.search(normalise_for_match(query.text)))


def plan(kind: str, query: Query, store: Store, evidence: list[Hit], registry: Registry) -> Plan:
    """Gather operands and compute; never raises for missing data (the plan says what is missing)."""
    metrics = tuple(dict.fromkeys((*query.main_metrics, *_extra_metrics(kind))))
    metrics += tuple(f"{m}.growth" for m in metrics if kind == "growth")
    pool = Pool.load(store, query.companies, metrics)
    pool.registry = registry
    norm = normalise_for_match(query.text)
    pool.details = tuple(d for d, words in _DETAILS.items() if any(w in norm for w in words))
    return solve(kind, query, pool, evidence)


def solve(kind: str, query: Query, pool: Pool, evidence: list[Hit]) -> Plan:
    """Compute from operands already gathered; a calculation that cannot be done is a plan saying why.

    Every planner checks what it needs (a company, a metric, the periods, usable figures) and names what is absent;
    the calculator's own refusals and any arithmetic trap of ``Decimal`` (overflow, an invalid operation) end here.
    """
    planner = _PLANNERS.get(kind)
    if planner is None:
        return Plan(None, missing=[(f"一种可做的计算（不支持“{kind}”）", f"a supported calculation (not '{kind}')")])
    try:
        return planner(query, pool, evidence)
    except CalculatorError as exc:
        return Plan(None, missing=[(f"无法计算（{exc}）", str(exc))])
    except ArithmeticError:  # decimal.InvalidOperation / DivisionByZero / Overflow, OverflowError
        return Plan(None, missing=[_ARITHMETIC])


# What a calculation lacks, in Chinese and English (``Plan.missing`` entries).
_NO_COMPANY = (
    "一家语料收录的公司（问题中没有可识别的公司，或该公司不在收录范围内）",
    "a company the sources cover (the question names none that they do)",
)
_NO_METRIC = ("要计算的指标（如营收、归母净利润、净亏损）", "which figure to use (e.g. revenue, net profit, net loss)")
_NO_PERIOD = ("年份或期间（如2024年、2025年上半年）", "a year or period (e.g. 2024, H1 2025)")
_TOO_LARGE = (
    "一个合理大小的数字（这个数字超过10^30，不像是真实的数字）",
    "a figure of a real size (this one is over 10^30)",
)
_ARITHMETIC = (
    "可以计算的数字（这些数字无法进行这项运算：结果溢出或无定义）",
    "figures this calculation can use (with these the arithmetic overflows or is undefined)",
)


def _needs(query: Query, *, company: bool = True, metric: bool = True, period: bool = False) -> list[tuple[str, str]]:
    """What the question lacks for a calculation about one company's metric: a company, a metric, a period."""
    missing = []
    if company and not query.companies:
        missing.append(_NO_COMPANY)
    if metric and not query.main_metrics:
        missing.append(_NO_METRIC)
    if period and not query.periods:
        missing.append(_NO_PERIOD)
    return missing


_DETAILS = {"扣非": ("扣非", "adjusted", "recurring"), "净额": ("净额", "net proceeds", "净募", " net ")}


def _extra_metrics(kind: str) -> tuple[str, ...]:
    return {"runway": ("proceeds", "net_loss"), "proceeds": ("shares_offered", "offer_price", "proceeds")}.get(kind, ())


def _cite(q: Quantity, f: SourcedFact, name: str) -> ops.Operand:
    return ops.Operand(name, q, None, f.quote, f.fact.period)


def _expression(query: Query, pool: Pool, evidence: list[Hit]) -> Plan:
    match = re.search(r"[-+*/×÷^().%\d\s,]{3,}", query.text.replace("（", "(").replace("）", ")"))
    expression = match.group(0).strip() if match else ""
    if not _OPERATOR.search(expression.lstrip("-")):  # a year or a lone figure is not a sum to work out
        need = (
            "一个由数字写成的算式（或语料中可对应的数字）",
            "an arithmetic expression in figures (or sourced figures)",
        )
        return Plan(None, missing=[need])
    value = evaluate(expression)
    return Plan(ops.Calculation("expression", expression, Quantity(value), ()))


def _proceeds(query: Query, pool: Pool, evidence: list[Hit]) -> Plan:
    given = question_figures(query)
    shares = next((q for q in given if q.unit == "shares"), None)
    price = next((q for q in given if q.currency), None)
    facts: list[SourcedFact] = []
    company = query.companies[0] if query.companies else ""
    if shares is None or price is None:
        found = [pool.best(company, "shares_offered"), pool.best(company, "offer_price")]
        names = (("发行股数", "shares offered"), ("每股发行价", "offer price"))
        missing = [n for n, f in zip(names, found, strict=True) if f is None]
        if missing:
            return Plan(None, missing=list(missing))
        facts = [f for f in found if f is not None]
        shares, price = facts[0].fact.quantity, _price_end(facts[1].fact.quantity, query)
    calc = ops.proceeds(shares, replace(price, unit="per_share"))
    if facts:
        cited = (_cite(facts[0].fact.quantity, facts[0], "shares"), _cite(facts[1].fact.quantity, facts[1], "price"))
        calc = replace(calc, operands=cited)
    stated = [f for f in [pool.best(company, "proceeds")] if f is not None]
    notes = [("按招股价区间的上限计", "at the top of the price range")] if price is not _price_end(price, query) else []
    return Plan(calc, facts, notes, stated=stated)


def _price_end(price: Quantity, query: Query) -> Quantity:
    """The top or bottom of a price range when the question asks for it."""
    if not price.is_range:
        return price
    norm = normalise_for_match(query.text)
    if any(w in norm for w in ("上限", "最高", "top of", "upper end", "high end")):
        return replace(price, value=price.high or price.value, low=None, high=None)
    if any(w in norm for w in ("下限", "最低", "bottom of", "lower end", "low end")):
        return replace(price, value=price.low or price.value, low=None, high=None)
    return price


def _runway(query: Query, pool: Pool, evidence: list[Hit]) -> Plan:
    company = query.companies[0] if query.companies else ""
    cash = pool.best(company, "proceeds")
    periods = [label(p) for p in query.periods] or [p for p in pool.periods(company, "net_loss") if "–" not in p]
    burn = next((pool.best(company, "net_loss", p) for p in periods if pool.best(company, "net_loss", p)), None)
    names = (
        ("IPO募资额（现金）", "IPO proceeds (cash)"),
        ("某一期间的亏损（消耗速度）", "a period's loss (burn rate)"),
    )
    missing = [n for n, f in zip(names, (cash, burn), strict=True) if f is None]
    if cash is None or burn is None:
        return Plan(None, [f for f in (cash, burn) if f], missing=_needs(query, metric=False) or list(missing))
    cash_q, burn_q = cash.fact.quantity, ops.absolute(burn.fact.quantity)
    when = burn.fact.period
    if months_of(when) <= 0:
        need = (
            f"亏损所对应期间的长度（“{period_text(when, True) or '未注明'}”不是可计算的期间）",
            f"the length of the loss's period ('{when or 'unstated'}' is not a period of whole months)",
        )
        return Plan(None, [cash, burn], missing=[need])
    if ops.bounds(burn_q)[0] <= 0:
        need = (
            f"一个不为零的亏损额（{period_text(when, True)}的亏损为{burn.fact.quantity.text or '0'}，无法推算）",
            f"a loss that is not zero (the loss for {period_text(when, False)} is {burn.fact.quantity.text or '0'})",
        )
        return Plan(None, [cash, burn], missing=[need])
    assumptions = [
        (
            f"按{period_text(when, True)}的亏损速度不变，且只计IPO募资、不计公司原有现金",
            f"the {period_text(when, False)} loss rate stays constant and only the IPO proceeds are spent",
        )
    ]
    conversion = None
    if cash_q.currency != burn_q.currency:
        rate = rate_for(question_rates(query.text), cash_q.currency, burn_q.currency)
        if rate is None:
            need = (
                f"{cash_q.currency}→{burn_q.currency}汇率（语料中没有，请在问题中注明汇率）",
                f"an exchange rate {cash_q.currency}→{burn_q.currency} (none in the sources; give one in the question)",
            )
            return Plan(None, [cash, burn], missing=[need])
        conversion = ops.convert_currency(cash_q, rate)
        cash_q = conversion.result
        assumptions.append(
            (f"汇率按问题给出的{rate.text()}", f"{rate.source}→{rate.target} at {rate.text()}, as given")
        )
    start = listing_date(company, evidence, pool.registry) if pool.registry is not None else None
    calc = ops.runway(cash_q, burn_q, months_of(burn.fact.period))
    if start and not _datable(start[0], calc.result):
        start = None  # too long to put a date on: the months stand alone
    if start:
        calc = ops.runway(cash_q, burn_q, months_of(burn.fact.period), start[0])
    operands = (_cite(cash.fact.quantity, cash, "cash"), _cite(burn.fact.quantity, burn, "burn"))
    calc = replace(calc, operands=operands + calc.operands[2:], assumptions=tuple(a[1] for a in assumptions))
    if conversion is not None:  # every step shown: the cash as stated × the rate, then ÷ the monthly burn
        calc = replace(
            calc,
            formula="{} × {} ÷ ({} ÷ {})",
            operands=calc.operands[:1] + conversion.operands[1:] + calc.operands[1:],
            steps=(("cash converted", conversion.result), *calc.steps),
        )
    if start:
        when = start[0].isoformat()
        assumptions.append((f"从上市日{when}起算", f"counted from the listing date, {when}"))
    return Plan(calc, [cash, burn] + ([start[1]] if start else []), assumptions)


def _datable(start: dt.date, months: Quantity) -> bool:
    """True when ``start`` moved by ``months`` (either end of a range) is a date the calendar can hold."""
    low, high = ops.bounds(months)
    room = (dt.date.max.year - start.year - 1) * 12, (start.year - dt.date.min.year - 1) * 12
    return -room[1] < low and high < room[0]


_LISTING = re.compile(r"上市|挂牌|listed|listing|debut|trading", re.I)


def listing_date(company: str, evidence: list[Hit], registry: Registry) -> tuple[dt.date, SourcedFact] | None:
    """The company's listing date as stated in the evidence (the first sentence naming one), with its source."""
    for hit in evidence:
        for start, end in split_sentences(hit.text):
            sentence = hit.text[start:end]
            if not _LISTING.search(sentence) or company not in registry.mentions(sentence):
                continue
            day = parse_date(sentence)
            if day is not None:
                return day, SourcedFact(Fact(company, "listing", "", Quantity(Decimal(0)), start, end), hit)
    return None


def support_queries(kind: str, query: Query, registry: Registry) -> list[str]:
    """Extra searches a calculation needs beyond the question: a source's own estimate, the listing date."""
    if kind != "runway" or not query.companies:
        return []
    name = registry[query.companies[0]].name_zh
    return [f"{name} 资金 {' '.join(ESTIMATE_WORDS['runway'])}", f"{name} 上市 挂牌 日期 listing date"]


def _pair(query: Query, pool: Pool) -> tuple[SourcedFact, SourcedFact] | None:
    """Two figures to compare: two metrics of one company, one metric of two companies, or of two periods."""
    metrics = tuple(m for m in query.named_order if m in query.main_metrics) or query.main_metrics
    companies = query.companies  # metrics in the order the question names them: 研发是营收的几倍
    periods = [label(p) for p in _spanned(query)]
    whole = ("全年", "full year", "full-year", "whole year")
    if len(periods) == 1 and any(p.part for p in query.periods) and any(w in query.text.lower() for w in whole):
        periods.append(query.periods[0].year)  # "Q4 as a share of the full year"
    if len(companies) >= 2 and metrics:
        shared = periods or _common(pool, [(c, metrics[0]) for c in companies[:2]])
        picks = [pool.best(c, metrics[0], shared[0] if shared else None) for c in companies[:2]]
    elif len(metrics) >= 2 and companies:
        shared = periods or _common(pool, [(companies[0], m) for m in metrics[:2]])
        picks = [pool.best(companies[0], m, shared[0] if shared else None) for m in metrics[:2]]
    elif len(periods) >= 2 and companies and metrics:
        ordered = sorted(periods[:2], key=period_key, reverse=True)
        picks = [pool.best(companies[0], metrics[0], p) for p in ordered]
    else:
        return None
    if picks[0] is None or picks[1] is None:
        return None
    return picks[0], picks[1]


def _common(pool: Pool, pairs: list[tuple[str, str]]) -> list[str]:
    sets = [set(pool.periods(c, m)) for c, m in pairs]
    return sorted(set.intersection(*sets), key=period_key, reverse=True) if sets else []


_BINARY: dict[str, Callable[[Quantity, Quantity], ops.Calculation]] = {
    "ratio": ops.ratio,
    "share": ops.share,
    "difference": ops.difference,
}


def _binary(kind: str) -> Callable[[Query, Pool, list[Hit]], Plan]:
    def planner(query: Query, pool: Pool, evidence: list[Hit]) -> Plan:
        pair = _pair(query, pool)
        if pair is None:
            two = ("两个可比的数字（同一期间、同一币种）", "two comparable figures (same period)")
            return Plan(None, missing=_needs(query) or [two])
        a, b = pair
        if kind == "share" and a.fact.metric == b.fact.metric and months_of(a.fact.period) > months_of(b.fact.period):
            a, b = b, a  # the part is the shorter period (Q4 of the year)
        qa, qb = a.fact.quantity, b.fact.quantity
        operation: Callable[[Quantity, Quantity], ops.Calculation] = _BINARY[kind]
        calc = operation(qa, qb)
        named = (_cite(qa, a, _name(a)), _cite(qb, b, _name(b)))
        notes = _same_period(a, b)
        calc = replace(calc, operands=named, assumptions=tuple(n[1] for n in notes))
        return Plan(calc, [a, b], notes)

    return planner


def _name(f: SourcedFact) -> str:
    return f"{f.fact.company} {f.fact.metric} {f.fact.period}".strip()


def _same_period(a: SourcedFact, b: SourcedFact) -> list[tuple[str, str]]:
    notes = []
    pa, pb = a.fact.period, b.fact.period
    if pa != pb:
        zh = f"两个数字的期间不同（{period_text(pa, True) or '未注明'}与{period_text(pb, True) or '未注明'}）"
        notes.append((zh, f"the two figures cover different periods ({pa or 'unstated'} and {pb or 'unstated'})"))
    elif pa:
        notes.append((f"两个数字同为{period_text(pa, True)}", f"both figures cover {period_text(pa, False)}"))
    for f in (a, b):
        q = f.fact.quantity
        if q.qualifier:
            notes.append(
                (f"“{q.text}”是约数，结果也是约数", f"'{q.text}' is approximate ({q.qualifier}), so is the result")
            )
    return notes


def _growth(query: Query, pool: Pool, evidence: list[Hit]) -> Plan:
    absent = _needs(query, period=True)
    if absent:
        return Plan(None, missing=absent)
    company, metric = query.companies[0], query.main_metrics[0]
    latest = max(query.periods, key=lambda p: p.year)
    year = int(latest.year)
    now, before = label(latest), label(Period(str(year - 1), latest.part))
    new = pool.best(company, metric, now)
    old = pool.best(company, metric, before)
    stated = [f for f in [pool.best(company, f"{metric}.growth", now)] if f is not None]
    if new is not None and old is not None:
        calc = ops.growth(new.fact.quantity, old.fact.quantity)
        operands = (
            _cite(new.fact.quantity, new, f"{metric} {year}"),
            _cite(old.fact.quantity, old, f"{metric} {year - 1}"),
        )
        return Plan(replace(calc, operands=operands), [new, old], stated=stated)
    if new is not None and stated and ops.bounds(stated[0].fact.quantity)[0] > -100:
        g = stated[0].fact.quantity
        base = ops.make(g.value / 100 + 1, g.value / 100 + 1)
        implied = ops.divide(new.fact.quantity, base, currency=new.fact.quantity.currency)
        calc = ops.Calculation(
            "implied_base",
            "{} ÷ (1 + {})",
            implied,
            (_cite(new.fact.quantity, new, f"{metric} {year}"), _cite(g, stated[0], f"growth {year}")),
            (f"the {year - 1} figure is not in the sources; it is implied by the stated growth",),
        )
        note = (f"语料中没有{year - 1}年的数字，由{year}年数字和所述增长率倒推", calc.assumptions[0])
        return Plan(calc, [new, stated[0]], [note], stated=stated)
    need = (f"{year}年和{year - 1}年的数字", f"the figures for {year} and {year - 1}")
    return Plan(None, [f for f in (new, old) if f], missing=[need], stated=stated)


def _cagr(query: Query, pool: Pool, evidence: list[Hit]) -> Plan:
    years = sorted({int(p.year) for p in query.periods})
    absent = _needs(query) + ([] if len(years) >= 2 else [("起始年份和结束年份", "a first and a last year")])
    if absent:
        return Plan(None, missing=absent)
    company, metric = query.companies[0], query.main_metrics[0]
    first, last = pool.best(company, metric, str(years[0])), pool.best(company, metric, str(years[-1]))
    if first is None or last is None:
        need = (f"{years[0]}年和{years[-1]}年的数字", f"the figures for {years[0]} and {years[-1]}")
        return Plan(None, [f for f in (first, last) if f], missing=[need])
    calc = ops.cagr(first.fact.quantity, last.fact.quantity, Decimal(years[-1] - years[0]))
    named = (_cite(first.fact.quantity, first, str(years[0])), _cite(last.fact.quantity, last, str(years[-1])))
    return Plan(replace(calc, operands=named), [first, last])


def _sum(query: Query, pool: Pool, evidence: list[Hit]) -> Plan:
    metric = query.main_metrics[0] if query.main_metrics else ""
    periods: list[str | None] = [label(p) for p in _spanned(query)] or [None]
    picks = [pool.best(c, metric, p) for c in query.companies for p in periods]
    if not metric or len(picks) < 2 or any(p is None for p in picks):
        need = ("每家公司、每个期间各自的数字", "a figure for each company and period to add up")
        return Plan(None, [p for p in picks if p], missing=_needs(query) or [need])
    found = [p for p in picks if p is not None]
    calc = ops.total([f.fact.quantity for f in found], [_name(f) for f in found])
    named = tuple(_cite(f.fact.quantity, f, _name(f)) for f in found)
    return Plan(replace(calc, operands=named), found)


def _spanned(query: Query) -> list[Period]:
    """The question's periods, a span (2022年至2024年, 2022年到2025年上半年) expanded to its years and last part."""
    for span in parse_periods(query.text):
        first, _, last = span.label.partition("–")
        if not last or not first.isdigit():
            continue
        end = _LABEL_PARTS.match(last)
        if end is None or not 0 < int(end.group(1)) - int(first) <= 10:
            continue
        years = [Period(str(y)) for y in range(int(first), int(end.group(1)))]
        return years + [Period(end.group(1), _PART_OF.get(end.group(2) or "", ""))]
    dashed = re.search(r"(20\d\d)\s*年?\s*[—–-]{1,2}\s*(20\d\d)", normalise_for_match(query.text))
    if dashed and 0 < int(dashed.group(2)) - int(dashed.group(1)) <= 10 and all(not p.part for p in query.periods):
        return [Period(str(y)) for y in range(int(dashed.group(1)), int(dashed.group(2)) + 1)]
    return list(query.periods)


_LABEL_PARTS = re.compile(r"^(\d{4})(H1|H2|Q[1-4]|-9M)?$")
_PART_OF = {"-9M": "9M", "H1": "H1", "H2": "H2", "Q1": "Q1", "Q2": "Q2", "Q3": "Q3", "Q4": "Q4"}


def _convert(query: Query, pool: Pool, evidence: list[Hit]) -> Plan:
    given = question_figures(query)
    sourced = None
    if not given and query.companies and query.main_metrics:
        company, metric = query.companies[0], query.main_metrics[0]
        asked = [label(p) for p in _spanned(query)]
        sourced = pool.best(company, metric, asked[-1] if asked else None)
    if not given and sourced is None:
        return Plan(None, missing=[("要换算的数字", "a figure to convert")])
    figure = given[0] if given else sourced.fact.quantity  # type: ignore[union-attr]
    if not usable(figure):
        return Plan(None, missing=[_TOO_LARGE])
    rates = question_rates(query.text)
    bare = bare_rate(query.text, figure.currency)
    rates += [bare] if bare else []
    if sourced is not None and not rates:
        calc = ops.converted(figure, "zh" if query.language == "en" else "en")
        return Plan(replace(calc, operands=(_cite(figure, sourced, "figure"),)), [sourced])
    if sourced is not None and rates:
        first = rates[0]
        rate = rate_for(rates, figure.currency, first.source if first.target == figure.currency else first.target)
        if rate is not None:
            calc = ops.convert_currency(figure, rate)
            calc = replace(calc, operands=(_cite(figure, sourced, "amount"), *calc.operands[1:]))
            note = (f"汇率按问题给出的{rate.text()}", rate.text())
            return Plan(calc, [sourced], assumptions=[note])
    target = next((r.target for r in rates if r.source == figure.currency), "")
    if figure.currency and rates:
        rate = rate_for(rates, figure.currency, target or rates[0].target)
        if rate is None:
            return Plan(None, missing=[(f"{figure.currency}的汇率", f"an exchange rate from {figure.currency}")])
        return Plan(ops.convert_currency(figure, rate), assumptions=[(f"汇率按问题给出的{rate.text()}", rate.text())])
    return Plan(ops.converted(figure, "zh" if query.language == "en" else "en"))


_PLANNERS = {
    "expression": _expression,
    "proceeds": _proceeds,
    "runway": _runway,
    "ratio": _binary("ratio"),
    "share": _binary("share"),
    "difference": _binary("difference"),
    "growth": _growth,
    "cagr": _cagr,
    "sum": _sum,
    "convert": _convert,
}


ESTIMATE_WORDS = {
    "runway": ("维持到", "支撑到", "撑到", "能撑", "耗尽", "runway", "last until", "run out"),
    "ratio": ("倍", "times"),
}


def stated_estimates(kind: str, query: Query, hits: list[Hit], registry: Registry) -> list[SourcedFact]:
    """Sentences in the evidence where a source states its own figure for what was calculated."""
    words = ESTIMATE_WORDS.get(kind, ())
    if not words or not query.companies:
        return []
    found = []
    for hit in hits:
        for start, end in split_sentences(hit.text):
            sentence = hit.text[start:end]
            norm = normalise_for_match(sentence)
            if not any(contains(norm, w) for w in words) or query.companies[0] not in registry.mentions(sentence):
                continue
            if kind == "runway" and not parse_periods(sentence):
                continue
            if kind == "ratio" and not re.search(r"\d\s?(倍|times)", norm):
                continue
            fact = Fact(query.companies[0], f"{kind}.stated", "", Quantity(Decimal(0)), start, end)
            found.append(SourcedFact(fact, hit))
    return found[:1]
