"""Notes added to a factual answer: sources that disagree on its figure, and "as of" dates for changing facts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from assistant.answer.extractive import Candidate, make_citation
from assistant.answer.gate import Gate, fact_answers
from assistant.answer.operands import label, period_key, period_text
from assistant.answer.query import Query
from assistant.calculator.render import render
from assistant.conflicts import Conflict, SourcedFact, find_conflicts, sourced
from assistant.entities import Registry
from assistant.facts import TIME_VARYING
from assistant.numbers import parse_quantities
from assistant.periods import RELATIVE_DAY, relative_day
from assistant.store import Store
from assistant.text import normalise_for_match, sentence_at
from assistant.types import Citation, Hit
from assistant.vocabulary import Vocabulary


def answered_facts(query: Query, chosen: list[Candidate]) -> list[SourcedFact]:
    """Facts stated in the chosen sentences that are about what was asked."""
    periods = {label(p) for p in query.periods}
    found = []
    for cand in chosen:
        for item in sourced([cand.hit]):
            f = item.fact
            if not (cand.start <= f.start < cand.end):
                continue
            if not fact_answers(f, query) or (periods and f.period not in periods):
                continue
            found.append(item)
    return found


def nearest_facts(query: Query, store: Store, limit: int = 3) -> tuple[list[str], list[Citation]]:
    """For a refusal whose missing part is the period: the same company's same plain measure for the periods the
    corpus does state, latest first, each cited and labelled as not the answer."""
    if len(query.companies) != 1 or len(query.main_metrics) != 1 or query.qualifiers:
        return [], []
    company, metric = query.companies[0], query.main_metrics[0]
    facts = [f for f in sourced(store.with_facts((company,), (metric,))) if f.fact.company == company]
    facts = [f for f in facts if f.fact.metric == metric and f.fact.period and not f.fact.detail]
    by_period: dict[str, SourcedFact] = {}
    for item in sorted(facts, key=lambda f: str(f.hit.metadata.get("published", "")), reverse=True):
        by_period.setdefault(item.fact.period, item)  # the latest source for each period
    chosen = sorted(by_period.values(), key=lambda f: period_key(f.fact.period), reverse=True)[:limit]
    zh = query.language == "zh"
    lines, citations = [], []
    for n, item in enumerate(chosen, start=1):
        f = item.fact
        citations.append(make_citation(n, item.hit, f.start, f.end))
        shown = f.quantity.text.strip() if zh else render(f.quantity, "en")
        lines.append(
            f"· {period_text(f.period, zh)}：{shown} [{n}]" if zh else f"· {period_text(f.period, zh)}: {shown} [{n}]"
        )
    if not lines:
        return [], []
    head = (
        "语料中有的相近数字（同一公司、同一指标的其他期间，并非所问期间）："
        if zh
        else ("What the corpus does have (the same company and measure for other periods, not the period asked):")
    )
    return [head, *lines], citations


def figure_lead(
    query: Query,
    chosen: list[Candidate],
    facts: list[SourcedFact],
    citations: list[Citation],
    conflicts: list[dict[str, Any]],
    registry: Registry,
    vocabulary: Vocabulary,
) -> str:
    """The one-line answer before the quotes: what was asked and its figure, cited (``壁仞科技2024年营收：3.37亿元
    [1]``); where sources disagree, the preferred value. '' unless one company, one measure and one value answer,
    and nothing qualifies the measure (planned, net, 扣非, a segment: the quote says how, a label could not)."""
    if not chosen or not query.wants_number or len(query.companies) != 1 or len(query.main_metrics) != 1:
        return ""
    if query.qualifiers:
        return ""
    first = chosen[0]
    own = [f for f in facts if f.hit.chunk_id == first.hit.chunk_id and first.start <= f.fact.start < first.end]
    values = {(f.fact.metric, f.fact.period, f.fact.quantity.currency) for f in own}
    if len(values) != 1 or not _one_figure([f.fact.quantity.value for f in own]):
        return ""  # (117,446.44万元（11.74亿元）states one figure twice, rounded once)
    if own[0].fact.company != query.companies[0] or own[0].fact.detail:
        return ""
    fact, n = own[0].fact, citations[0].n
    shown_zh, shown_en = fact.quantity.text.strip(), render(fact.quantity, "en")
    for record in conflicts:
        if (record["company"], record["metric"], record["period"]) == (fact.company, fact.metric, fact.period):
            preferred = next(v for v in record["values"] if v["citation"] == record["preferred"])
            n = int(preferred["citation"])
            shown_zh = str(preferred["text"])  # the preferred source's figure, as it states it
            parsed = parse_quantities(shown_zh)
            shown_en = render(parsed[0], "en") if parsed else shown_zh
    company = registry[fact.company]
    if query.language == "zh":
        return f"{company.name_zh}{period_text(fact.period, True)}{vocabulary.label(fact.metric)}：{shown_zh} [{n}]"
    period = period_text(fact.period, False)
    name = f"{company.name_en} {vocabulary.label(fact.metric, 'en')}" + (f", {period}" if period else "")
    return f"{name}: {shown_en} [{n}]"


def relative_day_lines(chosen: list[Candidate], citations: list[Citation], language: str) -> list[str]:
    """For each quoted sentence naming a day relative to its source's date (上周四), the calendar day it is, worked
    out from that date: ``上周四 = 2023年8月10日（按来源[1]的发布日期2023-08-14推算）``."""
    lines = []
    for cand, citation in zip(chosen, citations, strict=False):
        match = RELATIVE_DAY.search(cand.text)
        published = str(cand.hit.metadata.get("published", ""))
        if match is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", published):
            continue
        day = relative_day(match, dt.date.fromisoformat(published))
        if language == "zh":
            shown = f"{day.year}年{day.month}月{day.day}日"
            lines.append(f"{match.group(0)} = {shown}（按来源[{citation.n}]的发布日期{published}推算）")
        else:
            shown = f"{day.day} {day:%B} {day.year}"
            lines.append(f"{match.group(0)} = {shown} (counted from source [{citation.n}]'s date, {published})")
    return lines


def _one_figure(values: list[Decimal]) -> bool:
    """The values are one figure, written more and less precisely (within half a percent of each other)."""
    low, high = min(values), max(values)
    return high == low or (low > 0 and (high - low) / high < Decimal("0.005"))


def conflicts_for(store: Store, facts: list[SourcedFact], gate: Gate) -> list[Conflict]:
    """Disagreements, across the whole corpus, about the figures an answer states: values for the same key whose
    sentences name the same attributes (an opening price does not conflict with that day's closing price)."""
    if not facts:
        return []

    def named(item: SourcedFact) -> tuple[object, frozenset[str]]:
        norm = normalise_for_match(sentence_at(item.hit.text, item.fact.start))
        return item.fact.key, frozenset(a for a in gate.vocabulary.attributes if gate.term_found(f"@{a}", norm))

    answered = {named(f) for f in facts}
    companies = tuple(sorted({f.fact.company for f in facts}))
    metrics = tuple(sorted({f.fact.metric for f in facts}))
    pool = [f for f in sourced(store.with_facts(companies, metrics)) if named(f) in answered]
    return find_conflicts(pool)


def conflict_lines(
    conflicts: list[Conflict], citations: list[Citation], language: str
) -> tuple[list[str], list[dict[str, Any]]]:
    """One line per conflict listing each value with source and date (new citations appended), and its JSON."""
    lines, records = [], []
    for conflict in conflicts:
        parts, values = [], []
        for item in conflict.values:
            n = _cite(item.hit, item.fact.start, item.fact.end, citations)
            who = item.hit.metadata.get("publisher", "")
            shown = item.fact.quantity.text if language == "zh" else render(item.fact.quantity, "en")
            parts.append(
                f"{shown}（{who}，{item.published}）[{n}]"
                if language == "zh"
                else f"{shown} ({who}, {item.published}) [{n}]"
            )
            values.append(
                {"text": item.fact.quantity.text, "value": str(item.fact.quantity.value), "citation": n}
                | {"source_id": item.source_id, "published": item.published, "reliability": item.reliability}
            )
        pick = int(str(values[0]["citation"]))
        lines.append(_verdict(parts, conflict.reason, pick, language))
        records.append(
            {"company": conflict.company, "metric": conflict.metric, "period": conflict.period}
            | {"values": values, "preferred": pick, "reason": conflict.reason}
        )
    return lines, records


_REASONS = {
    "primary": ("优先采用一手来源", "Preferring the primary source"),
    "recent": ("优先采用最新的来源", "Preferring the most recent source"),
    "reliable": ("优先采用更可靠的来源", "Preferring the more reliable source"),
}


def _verdict(parts: list[str], reason: str, pick: int, language: str) -> str:
    zh = language == "zh"
    if reason == "tie":
        if zh:
            return f"注意，各来源的数字不一致：{'；'.join(parts)}。这些来源同样可靠、日期相同，无法判断哪个正确。"
        tail = "They are equally reliable and dated alike; neither is preferred."
        return f"Note: sources disagree: {'; '.join(parts)}. {tail}"
    lead = _REASONS[reason][0 if zh else 1]
    if zh:
        return f"注意，各来源的数字不一致：{'；'.join(parts)}。{lead}[{pick}]。"
    return f"Note: sources disagree: {'; '.join(parts)}. {lead} [{pick}]."


def _cite(hit: Hit, start: int, end: int, citations: list[Citation]) -> int:
    """The number of the citation quoting this sentence, adding one if needed."""
    base = int(hit.metadata.get("start", 0))
    for c in citations:
        if c.chunk_id == hit.chunk_id and c.start <= base + start and base + end <= c.end:
            return c.n
        if c.doc_id == hit.doc_id and c.start == base + start:
            return c.n
    citations.append(make_citation(len(citations) + 1, hit, start, end))
    return citations[-1].n


_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY = re.compile(
    rf"\d{{1,2}}月\d{{1,2}}日|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\s{_MONTHS}\s\d{{4}}|{_MONTHS}\s\d{{1,2}},?\s\d{{4}}",
    re.I,
)


def as_of_prefix(facts: list[SourcedFact], citation: Citation, language: str, line: str = "") -> str:
    """'截至2025-12-22，据[1]：' for a figure that changes over time and carries no period of its own; nothing when
    the line already names its source and date ("Per 财新网, 2025-12-17: …")."""
    if not any(f.fact.metric in TIME_VARYING and not f.fact.period for f in facts) or not citation.published:
        return ""
    if _DAY.search(citation.quote):  # "closed at HK$34.6 on 2 January 2026": the sentence dates itself
        return ""
    if language != "zh" and line.startswith("Per ") and citation.published in line.split(":", 1)[0]:
        return ""
    if language == "zh":
        return f"截至{citation.published}，据[{citation.n}]："
    return f"As of {citation.published}: "  # the line ends with its [n]
