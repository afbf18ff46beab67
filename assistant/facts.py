"""Facts: (company, metric, period, figure) read from each chunk's sentences at ingest and kept with the chunk.

``据该文，壁仞科技2025年上半年净亏损为16.01亿元。`` → ``Fact("biren", "net_loss", "2025H1", 16.01亿 CNY)``. A figure
is attached to the nearest metric word before it whose kind fits the figure (money, percent, shares, TFLOPS…),
the nearest company named before it (else the document's own company) and the nearest period.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from assistant.answer.frame import product_codes
from assistant.answer.query import contains
from assistant.entities import Registry
from assistant.numbers import Quantity, parse_quantities
from assistant.periods import parse_periods
from assistant.text import normalise_for_match, split_sentences
from assistant.vocabulary import Vocabulary

MONEY_METRICS = frozenset({"revenue", "net_loss", "net_profit", "rd", "proceeds", "market_cap", "backlog"})
# Figures that describe a moment rather than a period: answers say "as of <date>".
TIME_VARYING = frozenset({"market_cap", "shareholding", "backlog", "market_share", "first_day", "subscription"})
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Product models and number formats that tell apart figures of one metric (BR100 FP16 vs BR100 INT8).
_DETAIL = re.compile(
    r"(?<![a-z0-9])(?:fp\d+\+?|bf16|int\d+|tf32\+?|[a-z]{1,4}\s?\d{2,4}[a-z]{0,2}|\d{3}[a-z]{1,2})(?![a-z0-9])"
)
_FORMAT = re.compile(r"fp\d+\+?|bf16|int\d|tf32\+?")
# Number formats written in a text (FP16, INT8, TF32+), whole words: the facts' formats, for matching a question.
FORMATS = re.compile(r"(?<![a-z0-9])(?:fp\d+\+?|bf16|int\d+|tf32\+?)(?![a-z0-9])")
_DETAILED = frozenset({"performance", "memory", "transistors", "process"})
_UNIT_KINDS = {
    "gross_margin": ("%",),
    "market_share": ("%",),
    "performance": ("TFLOPS", "TOPS", "T"),
    "shares_offered": ("shares",),
    "subscription": ("x", "%"),
    "memory": ("GB", "GB/s", "TB/s"),
    "process": ("nm",),
    "shipments": ("cards", "units"),
}


@dataclass(frozen=True)
class Fact:
    """One figure of one company's metric for a period, with the sentence it came from (offsets in the chunk)."""

    company: str
    metric: str
    period: str
    quantity: Quantity
    start: int
    end: int
    detail: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        """What two facts must share to be about the same thing."""
        q = self.quantity
        return self.company, self.metric, self.period, self.detail, q.unit, q.currency


def fits(metric: str, q: Quantity) -> bool:
    """True when a figure of this kind can be a value of the metric (no percent revenue, no yuan TFLOPS)."""
    if metric in MONEY_METRICS:
        return bool(q.currency) and q.unit == ""
    if metric.partition(".")[2]:  # revenue.growth: a modifier's figure is a percent
        return q.unit == "%"
    if metric == "offer_price":
        return bool(q.currency)
    if metric in _UNIT_KINDS:
        return q.unit in _UNIT_KINDS[metric]
    if metric == "shareholding":
        return q.unit in ("shares", "%")
    if metric == "cornerstone":
        return bool(q.currency) or q.unit in ("%", "", "companies", "people", "items")
    if metric == "first_day":
        return q.unit == "%" or bool(q.currency)
    return False


def extract(
    text: str, registry: Registry, vocabulary: Vocabulary, default_company: str = "", title: str = ""
) -> list[Fact]:
    """Every fact stated in ``text`` (a chunk), in order, read with the registry's companies and the vocabulary's
    metrics and qualifiers; ``title`` (the document's) names the model a chunk's spec sentences are about when the
    chunk itself names none before them."""
    facts: list[Fact] = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        model = _model_before(text[:start]) or _model_before(title)
        for f in _sentence_facts(sentence, registry, vocabulary, default_company, model):
            facts.append(Fact(f.company, f.metric, f.period, f.quantity, start + f.start, start + f.end, f.detail))
    return facts


def _model_before(text: str) -> str:
    """The last product model named before a sentence in its chunk (a spec sentence naming none is about it)."""
    figures = {re.sub(r"\D", "", x.text) for x in parse_quantities(text) if x.unit or x.currency}
    codes = [c for c in product_codes(text) if c not in figures and not _FORMAT.fullmatch(c)]
    return codes[-1] if codes else ""


def _sentence_facts(
    sentence: str, registry: Registry, vocabulary: Vocabulary, default_company: str, model: str = ""
) -> list[Fact]:
    quantities = parse_quantities(sentence)
    if not quantities:
        return []
    norm = normalise_for_match(sentence)
    words = _metric_positions(norm, vocabulary)
    companies = registry.spans(sentence)
    periods = [(p.pos, p.label) for p in parse_periods(sentence) if not _DAY.match(p.label)]
    found = []
    for q in quantities:
        metric = _metric_for(q, words, vocabulary.modifier_metrics)
        company = _nearest(q.start, companies) or default_company
        if not metric or not company:
            continue
        if metric == "net_profit" and q.value < 0:
            metric, q = "net_loss", _negated(q)
        detail = _detail(norm[: q.start], norm[q.end : q.end + 20]) if metric in _DETAILED else ""
        if detail and model and all(_FORMAT.fullmatch(t) for t in detail.split()):
            detail = f"{model} {detail}"  # "性能方面，1024 TOPS INT8" after a paragraph about the BR100
        if metric in ("net_loss", "net_profit") and "扣非" in norm[max(0, q.start - 12) : q.start]:
            detail = "扣非"
        if metric == "proceeds" and re.search(r"净额|net proceeds|net of", norm[max(0, q.start - 24) : q.start]):
            detail = "净额"
        detail = " ".join(filter(None, [detail, *_measure_qualifiers(sentence, q, vocabulary)]))
        found.append(Fact(company, metric, _nearest(q.start, periods) or "", q, 0, len(sentence), detail))
    return found


def _measure_qualifiers(sentence: str, q: Quantity, vocabulary: Vocabulary) -> list[str]:
    """Qualifiers that make a figure another measure than the plain one (a segment's revenue, a cumulative loss, a
    planned or maximum raise), read from the clause holding the figure: such figures never conflict with it."""
    start = max(sentence.rfind(mark, 0, q.start) for mark in "，,；;") + 1
    ends = [i for i in (sentence.find(mark, q.end) for mark in "，,；;。") if i >= 0]
    clause = sentence[start : min(ends) if ends else len(sentence)]
    return sorted(vocabulary.qualifiers(clause) & _OTHER_MEASURES)


_OTHER_MEASURES = frozenset({"cumulative", "segment", "planned", "maximum", "pre_ipo"})


def _detail(before: str, after: str) -> str:
    """The product model and number format of a figure ('br100 fp16', '910 fp16'); a format may also follow the
    figure."""
    tokens = [m.group(0).replace(" ", "") for m in _DETAIL.finditer(before)]
    models = [t for t in tokens if not _FORMAT.match(t)]
    figures = {re.sub(r"\D", "", x.text) for x in parse_quantities(before) if x.unit or x.currency}
    codes = [c for c in product_codes(before) if c not in figures]  # 昇腾910: a bare model number after a name
    if codes and (not models or codes[-1] != models[-1]):
        models.append(codes[-1])
    formats = [t for t in tokens if t not in models]
    head = re.split(r"[、,;，；]", after)[0]  # "1024 TOPS INT8、512 TFLOPS BF16": a format right after is its own
    following = [m.group(0) for m in _DETAIL.finditer(head) if _FORMAT.match(m.group(0))][:1]
    formats = following or formats
    return " ".join(x[-1] for x in (models, formats) if x)


def _metric_positions(norm: str, vocabulary: Vocabulary) -> list[tuple[int, str]]:
    found = []
    for metric, words in vocabulary.metrics.items():
        for word in words:
            for m in re.finditer(re.escape(word), norm):
                if contains(norm[max(0, m.start() - 1) : m.end() + 1], word):
                    found.append((m.start(), metric))
    return sorted(found)


def _metric_for(q: Quantity, words: list[tuple[int, str]], modifiers: frozenset[str]) -> str:
    """The closest metric word before the figure that fits it (growth attaches to the money metric before it)."""
    before = [(pos, m) for pos, m in words if pos < q.start]
    for index in range(len(before) - 1, -1, -1):
        metric = before[index][1]
        if metric in modifiers and q.unit == "%":
            base = next((m for _, m in reversed(before[:index]) if m in MONEY_METRICS), "")
            if base:
                return f"{base}.{metric}"
        if fits(metric, q):
            return metric
    after = [m for pos, m in words if pos >= q.end]
    if after and after[0] in modifiers and q.unit == "%":  # revenue fell 2.37% quarter on quarter
        base = next((m for _, m in reversed(before) if m in MONEY_METRICS), "")
        if base:
            return f"{base}.{after[0]}"
    return next((m for m in after if fits(m, q)), "")


def _nearest(position: int, spans: list[tuple[int, str]]) -> str:
    before = [value for pos, value in spans if pos <= position]
    if before:
        return before[-1]
    return spans[0][1] if spans else ""


def _negated(q: Quantity) -> Quantity:
    low = -q.high if q.high is not None else None
    high = -q.low if q.low is not None else None
    return Quantity(
        -q.value if low is None else low, q.unit, q.currency, low, high, q.qualifier, q.text, q.start, q.end
    )


# -- stored form -----------------------------------------------------------------------------------------------
def encode(facts: list[Fact]) -> str:
    """Compact JSON kept in the chunk's metadata."""
    rows = []
    for f in facts:
        q = f.quantity
        row: dict[str, Any] = {"c": f.company, "m": f.metric, "p": f.period, "v": str(q.value), "t": q.text}
        row |= {"u": q.unit, "cu": q.currency, "q": q.qualifier, "s": f.start, "e": f.end, "d": f.detail}
        if q.is_range:
            row |= {"lo": str(q.low), "hi": str(q.high)}
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def decode(stored: str) -> list[Fact]:
    """The facts kept by :func:`encode` (an empty list for chunks stored without facts)."""
    facts = []
    for row in json.loads(stored or "[]"):
        low = Decimal(row["lo"]) if "lo" in row else None
        high = Decimal(row["hi"]) if "hi" in row else None
        q = Quantity(Decimal(row["v"]), row["u"], row["cu"], low, high, row["q"], row["t"])
        facts.append(Fact(row["c"], row["m"], row["p"], q, int(row["s"]), int(row["e"]), row.get("d", "")))
    return facts


def annotate(
    text: str, registry: Registry, vocabulary: Vocabulary, default_company: str, title: str = ""
) -> dict[str, Any]:
    """The chunk metadata for its facts: the encoded list and one ``m_<metric>`` flag per metric present."""
    facts = extract(text, registry, vocabulary, default_company, title)
    flags = {f"m_{f.metric.split('.')[0]}": True for f in facts}
    return {"facts": encode(facts)} | flags
