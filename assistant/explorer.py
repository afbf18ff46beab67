"""The facts explorer: a company's stated figures over time, read from the facts ingest filed beside each chunk.

Nothing here is computed: every row is a figure a source states, with its sentence and source, and the rows of one
company, metric and period that disagree are marked as conflicting (with the value the answerer would prefer). The
CLI prints the rows as a table or CSV; the UI charts them (one series per metric and unit).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from assistant.answer.operands import period_key, period_text
from assistant.calculator.render import render
from assistant.conflicts import Conflict, SourcedFact, consistent, find_conflicts, sourced
from assistant.entities import Registry
from assistant.numbers import Quantity
from assistant.store import Store
from assistant.text import sentence_at

# The measures the explorer tracks, in the order it shows them.
METRICS = ("revenue", "net_profit", "net_loss", "rd", "gross_margin", "proceeds", "market_cap")


@dataclass(frozen=True)
class FactRow:
    """One stated figure: what, when, how much (as written and as a number), and where it is said."""

    company: str
    metric: str
    period: str
    quantity: Quantity
    quote: str
    source_id: str
    title: str
    publisher: str
    published: str
    url: str
    reliability: str
    doc_id: str
    chunk_id: str
    conflict: bool = False
    preferred: bool = False

    @property
    def value(self) -> Decimal:
        return self.quantity.value

    @property
    def unit(self) -> str:
        """The currency of a sum of money, else the unit ('%', 'TFLOPS' …), else ''."""
        return self.quantity.currency or self.quantity.unit

    @property
    def stated(self) -> str:
        """The figure as the source writes it."""
        return self.quantity.text.strip()

    @property
    def series(self) -> str:
        """The chart series the row belongs to: one per metric and unit (yuan and HK dollars never share one)."""
        return f"{self.metric} ({self.unit})" if self.unit else self.metric

    def english(self) -> str:
        """The figure in English units (RMB 3.37 billion), as the answers render it."""
        return render(self.quantity, "en")


def fact_rows(store: Store, company: str, metrics: Iterable[str] = METRICS) -> list[FactRow]:
    """Every figure the corpus states for one company's metrics, one row per source sentence, by metric then period
    (earliest first); disagreeing values for the same metric and period are marked."""
    wanted = tuple(m for m in METRICS if m in set(metrics)) or tuple(metrics)
    pool = [
        item
        for item in sourced(store.with_facts((company,), wanted))
        if item.fact.company == company and item.fact.metric in wanted and item.fact.period and not item.fact.detail
    ]
    unique: dict[tuple[object, ...], SourcedFact] = {}
    for item in pool:  # overlapping chunks file the same sentence twice
        quote = sentence_at(item.hit.text, item.fact.start)
        unique.setdefault((item.hit.doc_id, quote, item.fact.key, item.fact.quantity.value), item)
    items = list(unique.values())
    conflicts = {c.values[0].fact.key: c for c in find_conflicts(items)}
    rows = [_row(item, conflicts.get(item.fact.key)) for item in items]
    order = {m: n for n, m in enumerate(wanted)}
    return sorted(rows, key=lambda r: (order.get(r.metric, 99), r.series, period_key(r.period), r.published))


def _row(item: SourcedFact, conflict: Conflict | None) -> FactRow:
    meta, fact = item.hit.metadata, item.fact
    return FactRow(
        company=fact.company,
        metric=fact.metric,
        period=fact.period,
        quantity=fact.quantity,
        quote=sentence_at(item.hit.text, item.fact.start),
        source_id=str(meta.get("source_id", "")),
        title=str(meta.get("title", "")),
        publisher=str(meta.get("publisher", "")),
        published=str(meta.get("published", "")),
        url=str(meta.get("url", "")),
        reliability=str(meta.get("reliability", "")),
        doc_id=item.hit.doc_id,
        chunk_id=item.hit.chunk_id,
        conflict=conflict is not None,
        preferred=conflict is not None and consistent(conflict.preferred.fact.quantity, fact.quantity),
    )


def comparison_rows(store: Store, registry: Registry, metric: str, period: str) -> list[FactRow]:
    """One metric for one period across every registered company (the preferred value where sources disagree)."""
    rows = []
    for company in registry.companies:
        found = [r for r in fact_rows(store, company, (metric,)) if r.period == period]
        best = next((r for r in found if r.preferred), None) or (found[0] if found else None)
        if best is not None:
            rows.append(best)
    return rows


COLUMNS = ("company", "metric", "period", "value", "unit", "stated", "conflict", "source_id", "published", "title")


def as_csv(rows: list[FactRow]) -> str:
    """The rows as CSV (the value as a plain decimal, the figure as stated, the source and its quote)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*COLUMNS, "publisher", "url", "quote"])
    for r in rows:
        writer.writerow(
            [r.company, r.metric, r.period, _plain(r.value), r.unit, r.stated]
            + [_mark(r), r.source_id, r.published, r.title, r.publisher, r.url, r.quote]
        )
    return out.getvalue()


def as_table(rows: list[FactRow], zh: bool = False, name: str = "") -> str:
    """The rows as an aligned text table for a terminal, under a line naming the company and counting figures and
    sources (conflicting values marked ≠, the preferred one ✓)."""
    if not rows:
        return "语料中没有这家公司的相关数字。" if zh else "The corpus states no such figures for this company."
    sources = len({r.source_id or r.doc_id for r in rows})
    if zh:
        head = f"{name}：{len(rows)}个来源数字，来自{sources}个来源（≠ 与其他来源不一致，✓ 采用的数值）"
        columns = ("指标", "期间", "数字", "", "来源")
    else:
        head = f"{name}: {len(rows)} stated figures from {sources} sources (≠ another source disagrees, ✓ preferred)"
        columns = ("metric", "period", "figure", "", "source")
    lines = [head.lstrip("：: "), f"{columns[0]:<12} {columns[1]:<22} {columns[2]:<24} {columns[3]:<2} {columns[4]}"]
    shown: dict[tuple[str, ...], list[str]] = {}  # one line per figure; the sources that state it alike, together
    for r in rows:
        figure = r.stated if zh else r.english()
        key = (r.metric, period_text(r.period, zh), figure, _mark(r))
        digest = ("（摘要）" if zh else " (digest)") if r.reliability == "digest" else ""
        shown.setdefault(key, []).append(f"{r.source_id} {r.publisher}, {r.published}{digest}")
    for (metric, period, figure, mark), cited in shown.items():
        lines.append(f"{metric:<12} {period:<22} {figure:<24} {mark:<2} {'; '.join(cited)}")
    return "\n".join(lines)


def _mark(row: FactRow) -> str:
    if not row.conflict:
        return ""
    return "✓" if row.preferred else "≠"


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
