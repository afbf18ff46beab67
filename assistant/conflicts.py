"""Figures that sources state differently: grouped by (company, metric, period), with a stated preference.

Two figures agree when one is the other rounded (2,822.52亿 vs 2,823亿), when ranges overlap, or when a qualifier
allows it (超过63亿 vs 63.57亿). Otherwise each value is shown with its sources, preferring a primary source, then
the most recent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.facts import Fact, decode
from assistant.numbers import Quantity
from assistant.types import Hit

_RELIABILITY = {"primary": 3, "news": 2, "digest": 1}
_NUMERAL = re.compile(r"\d[\d,]*(?:\.(\d+))?")


@dataclass(frozen=True)
class SourcedFact:
    """A fact and the chunk it was read from."""

    fact: Fact
    hit: Hit

    @property
    def quote(self) -> str:
        """The sentence stating the fact."""
        return self.hit.text[self.fact.start : self.fact.end]

    @property
    def published(self) -> str:
        """The source's publication date (ISO)."""
        return str(self.hit.metadata.get("published", ""))

    @property
    def reliability(self) -> str:
        """primary, news or digest."""
        return str(self.hit.metadata.get("reliability", ""))

    @property
    def source_id(self) -> str:
        """The source's id in the corpus."""
        return str(self.hit.metadata.get("source_id", ""))


@dataclass(frozen=True)
class Conflict:
    """Sources that disagree on one figure: one entry per distinct value, the preferred value first."""

    company: str
    metric: str
    period: str
    values: tuple[SourcedFact, ...]
    reason: str
    agreeing: tuple[tuple[str, ...], ...] = ()

    @property
    def preferred(self) -> SourcedFact:
        """The value the answer leads with."""
        return self.values[0]


def sourced(hits: list[Hit]) -> list[SourcedFact]:
    """Every stored fact of the given chunks."""
    return [SourcedFact(f, h) for h in hits for f in decode(str(h.metadata.get("facts", "")))]


def preference(item: SourcedFact) -> tuple[int, bool, str]:
    """Sort key, best first when reversed: reliability, then an original over a republished copy (a copy's later
    date is not newer information), then publication date."""
    return _RELIABILITY.get(item.reliability, 0), not republished(item), item.published


def republished(item: SourcedFact) -> bool:
    """The source says it is a copy of another outlet's report (转载, mirror, wire copy, aggregator)."""
    meta = item.hit.metadata
    about = f"{meta.get('publisher', '')} {meta.get('kind', '')}".lower()
    return any(word in about for word in _COPY_WORDS)


_COPY_WORDS = ("转载", "镜像", "republication", "republished", "mirror", "wire copy", "aggregator", "syndicated")


def ulp(q: Quantity) -> Decimal:
    """Half of the last written digit's worth: 2,823亿 → 0.5亿; calculator results (no text) → 0."""
    match = _NUMERAL.search(q.text or "")
    if not match:
        return Decimal(0)
    numeral = Decimal(match.group(0).replace(",", ""))
    if numeral == 0:
        return Decimal(0)
    places = len(match.group(1) or "")
    return abs(q.value / numeral) * Decimal(10) ** -places / 2


def consistent(a: Quantity, b: Quantity) -> bool:
    """True when two figures of the same thing can both be right."""
    a_low, a_high = _ends(a)
    b_low, b_high = _ends(b)
    slack = max(ulp(a), ulp(b))
    if a.qualifier or b.qualifier:
        return all(_qualified(x, y) for x, y in ((a, b), (b, a)) if x.qualifier)
    return a_low - slack <= b_high and b_low - slack <= a_high


def _ends(q: Quantity) -> tuple[Decimal, Decimal]:
    return (q.low, q.high) if q.is_range and q.low is not None and q.high is not None else (q.value, q.value)


def _qualified(a: Quantity, b: Quantity) -> bool:
    """Does b satisfy a's qualifier (over / under / about)?"""
    low, high = _ends(a)
    other_low, other_high = _ends(b)
    slack = max(ulp(a), ulp(b))
    if a.qualifier in ("over", "at least"):
        return other_high >= low - slack
    if a.qualifier in ("under", "up to"):
        return other_low <= high + slack
    if a.qualifier in ("about", "nearly"):
        return abs(other_low - low) <= abs(low) * Decimal("0.05") + slack
    return other_low - slack <= high and low - slack <= other_high


def find_conflicts(facts: list[SourcedFact]) -> list[Conflict]:
    """Groups of facts with the same key whose values cannot all be right."""
    groups: dict[tuple[str, ...], list[SourcedFact]] = {}
    for item in facts:
        groups.setdefault(item.fact.key, []).append(item)
    conflicts = []
    for key, items in groups.items():
        clusters: list[list[SourcedFact]] = []
        for item in sorted(items, key=preference, reverse=True):
            home = next((c for c in clusters if consistent(c[0].fact.quantity, item.fact.quantity)), None)
            if home is None:
                clusters.append([item])
            else:
                home.append(item)
        if len(clusters) > 1:
            best = [c[0] for c in clusters]
            agreeing = tuple(tuple(dict.fromkeys(i.source_id for i in c if not _copy_of(i, c))) for c in clusters)
            conflicts.append(Conflict(key[0], key[1], key[2], tuple(best), _reason(best), agreeing))
    return conflicts


def _copy_of(item: SourcedFact, cluster: list[SourcedFact]) -> bool:
    """A republished copy agreeing with an original in its cluster is the same report, not a second source."""
    return republished(item) and any(not republished(other) for other in cluster)


def _reason(best: list[SourcedFact]) -> str:
    top = best[0]
    if top.reliability == "primary" and all(b.reliability != "primary" for b in best[1:]):
        return "primary"
    rank = _RELIABILITY.get(top.reliability, 0)
    if all(rank > _RELIABILITY.get(b.reliability, 0) for b in best[1:]):
        return "reliable"
    if all(top.published > b.published for b in best[1:]):
        return "recent"
    return "tie"
