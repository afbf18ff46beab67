"""Writing a calculation answer: formula, each operand with its citation, the result, assumptions, and any
estimate a source states for the same thing. Every figure written here is an operand, a result or a quote.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.calculate import Plan
from assistant.answer.extractive import make_citation
from assistant.answer.operands import period_key, period_text
from assistant.answer.query import Query
from assistant.calculator import ops
from assistant.calculator.render import render
from assistant.conflicts import SourcedFact
from assistant.entities import Registry
from assistant.periods import parse_periods
from assistant.types import Citation
from assistant.vocabulary import Vocabulary

KIND_NAMES = {
    "proceeds": ("募资额 = 发行股数 × 每股价格", "proceeds = shares × price per share"),
    "runway": ("资金可支撑月数 = 现金 ÷ 每月亏损", "runway in months = cash ÷ monthly loss"),
    "ratio": ("倍数 = 前者 ÷ 后者", "multiple = first ÷ second"),
    "share": ("占比 = 部分 ÷ 总数", "share = part ÷ total"),
    "difference": ("差额 = 前者 − 后者", "difference = first − second"),
    "growth": ("增长率 = (本期 − 上期) ÷ 上期", "growth = (new − old) ÷ old"),
    "implied_base": ("上期数 = 本期数 ÷ (1 + 增长率)", "earlier figure = later figure ÷ (1 + growth)"),
    "cagr": ("年复合增长率 = (末值 ÷ 初值)^(1/年数) − 1", "CAGR = (end ÷ start)^(1/years) − 1"),
    "sum": ("合计 = 各项相加", "total = sum of the items"),
    "convert": ("换算 = 金额 × 汇率", "converted = amount × rate"),
    "convert_units": ("单位换算", "unit conversion"),
    "expression": ("算式", "expression"),
}


# A calculation's intermediate results, named for reading.
STEP_NAMES = {
    "monthly burn": ("每月亏损", "monthly burn"),
    "cash converted": ("换算后的现金", "cash after conversion"),
}

OPERAND_NAMES = {
    "shares": "发行股数",
    "price per share": "每股价格",
    "amount": "金额",
    "figure": "数字",
    "burn period": "亏损期间",
    "rate HKD→CNY": "汇率（港元→人民币）",
    "rate USD→CNY": "汇率（美元→人民币）",
}


def compose(
    query: Query, plan: Plan, registry: Registry, vocabulary: Vocabulary
) -> tuple[str, list[Citation], list[ops.Calculation]]:
    """The answer text, its citations and the calculation (if one could be done)."""
    zh = query.language == "zh"
    citations: list[Citation] = []
    numbers: dict[int, int] = {}

    def cite(f: SourcedFact) -> int:
        key = id(f)
        if key not in numbers:
            numbers[key] = len(citations) + 1
            citations.append(make_citation(numbers[key], f.hit, f.fact.start, f.fact.end))
        return numbers[key]

    calc = plan.calculation
    stated = [_stated_line(f, cite(f), zh) for f in plan.stated] if calc is None or calc.kind == "implied_base" else []
    lines: list[str] = list(stated)
    if calc is None:
        lines.append(_missing_line(plan, zh))
        lines += [_fact_line(f, cite(f), registry, vocabulary, zh) for f in plan.facts]
    else:
        lines += _result_lines(calc, zh)
        lines += _operand_lines(calc, plan, cite, registry, vocabulary, zh)
        lines += [("假设：" if zh else "Assumes: ") + (a[0] if zh else a[1]) for a in plan.assumptions]
    if not stated:
        lines += [_stated_line(f, cite(f), zh) for f in plan.stated]
        lines += _difference(calc, plan.stated, zh)
    return "\n".join(lines), citations, [_numbered(calc, citations)] if calc is not None else []


def _numbered(calc: ops.Calculation, citations: list[Citation]) -> ops.Calculation:
    """The calculation with each cited operand carrying its citation number ``n``."""
    by_quote = {c.quote: c.n for c in citations}
    operands = tuple(replace(o, citation=by_quote.get(o.quote)) if o.quote else o for o in calc.operands)
    return replace(calc, operands=operands)


def _difference(calc: ops.Calculation | None, stated: list[SourcedFact], zh: bool) -> list[str]:
    """Why a source's own runway estimate differs from ours (it does not show its working)."""
    if calc is None or calc.kind != "runway" or not stated or "runs_out" not in calc.details:
        return []
    theirs = [p.label for p in parse_periods(stated[0].quote)]
    ours = calc.details["runs_out"].split("–")[-1]
    if not theirs or period_key(theirs[-1]) == period_key(ours):
        return []
    later = period_key(theirs[-1]) > period_key(ours)
    if zh:
        side = "更晚" if later else "更早"
        return [
            f"差异说明：来源的估计比本计算{side}。来源没有给出算法；本计算只计IPO募资并假设亏损速度不变，"
            "来源可能计入了公司原有现金、不同的募资额或对亏损变化的预期。"
        ]
    side = "later" if later else "earlier"
    return [
        f"Why they differ: the source's estimate is {side} than ours. It does not show its working; ours counts "
        "only the IPO proceeds at a constant loss rate, while the source may include cash on hand, a different "
        "proceeds figure or a changing loss rate."
    ]


def _stated_line(f: SourcedFact, n: int, zh: bool) -> str:
    who = f.hit.metadata.get("publisher", "")
    if zh:
        return f"来源的说法（{who}）：{f.quote}[{n}]"
    return f"What the source states ({who}): {f.quote} [{n}]"


def _result_lines(calc: ops.Calculation, zh: bool) -> list[str]:
    lang = "zh" if zh else "en"
    name = KIND_NAMES.get(calc.kind, (calc.kind, calc.kind))[0 if zh else 1]
    result = render(calc.result, lang)
    head = f"计算（{name}）：" if zh else f"Calculation ({name}): "
    if calc.kind == "expression":
        return [f"{head}{calc.formula} = {result}"]
    lines = [f"{head}{calc.expression(lang)} = {result}"]
    for step, q in calc.steps:
        shown = STEP_NAMES.get(step, (step, step))[0 if zh else 1]
        lines.append(f"其中{shown}：{render(q, lang)}" if zh else f"where the {shown} is {render(q, lang)}")
    if "runs_out" in calc.details:
        quarters = "–".join(period_text(q, zh) for q in calc.details["runs_out"].split("–"))
        lines.append(f"按此推算，资金约在{quarters}耗尽" if zh else f"At that rate the cash runs out in {quarters}")
    return lines


def _operand_lines(calc, plan, cite, registry, vocabulary, zh):  # type: ignore[no-untyped-def]
    by_quote = {f.quote: f for f in plan.facts}
    lines = []
    for operand in calc.operands:
        fact = by_quote.get(operand.quote) if operand.quote else None
        if fact is not None:
            lines.append(_fact_line(fact, cite(fact), registry, vocabulary, zh))
        elif operand.name != "burn period":
            where = "问题中给出" if zh else "given in the question"
            text = operand.quantity.text or render(operand.quantity, "zh" if zh else "en")
            name = OPERAND_NAMES.get(operand.name, operand.name) if zh else operand.name
            lines.append(f"· {name}：{text}（{where}）" if zh else f"· {name}: {text} ({where})")
    return lines


def _fact_line(f: SourcedFact, n: int, registry: Registry, vocabulary: Vocabulary, zh: bool) -> str:
    meta = f.hit.metadata
    who, when = meta.get("publisher", ""), meta.get("published", "")
    q = f.fact.quantity
    if zh:
        name = f"{registry[f.fact.company].name_zh}{period_text(f.fact.period, True)}{vocabulary.label(f.fact.metric)}"
        return f"· {name}：{q.text}（{who}，{when}：“{f.quote}”）[{n}]"
    period = period_text(f.fact.period, False)
    name = f"{registry[f.fact.company].name_en} {vocabulary.label(f.fact.metric, 'en')}"
    name += f", {period}" if period else ""
    shown = render(q, "en")
    original = f" ({q.text})" if q.text and q.text != shown else ""
    return f"· {name}: {shown}{original}, per {who}, {when}: “{f.quote}” [{n}]"


def _missing_line(plan: Plan, zh: bool) -> str:
    items = [m[0] if zh else m[1] for m in plan.missing]
    if zh:
        return "无法完成这项计算，缺少：" + "；".join(items) + "。以下是语料中找到的相关数字。"
    return "I cannot compute this; missing: " + "; ".join(items) + ". Here is what the sources do give."
