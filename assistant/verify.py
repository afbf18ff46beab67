"""The grounding check: every figure in an answer must be in a source it cites or come from this turn's working.

A figure counts as supported when, after normalisation (42.1亿 = 4.21 billion = 4,210,000,000), it equals a figure
in the quote, title or publisher of a citation on the same line, a figure the user gave in the question, or an
operand or result of one of this turn's calculations — equal up to the last digit either side wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assistant.calculator.ops import Calculation, bounds
from assistant.conflicts import ulp
from assistant.numbers import Quantity, parse_quantities
from assistant.types import Citation

_MARK = re.compile(r"\[(\d+)\]")


@dataclass
class Verification:
    """What the grounding check found.

    Attributes:
        checked: figures checked.
        unsupported: figures of the answer that no cited source, calculation or the question supports.
        removed: sentences of a model's draft that were dropped because a figure in them was unsupported.
    """

    checked: int = 0
    unsupported: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every figure is supported."""
        return not self.unsupported

    def to_json(self) -> dict[str, Any]:
        """The ``verification`` field of ``ask --json``."""
        return {
            "figures_checked": self.checked,
            "unsupported": list(self.unsupported),
            "removed": list(self.removed),
            "ok": self.ok,
        }


# The notes ``llm.grounding.removal_notice`` writes under a checked draft.
_NOTICE = re.compile(r"^[（(](?:已删除\d+句：|\d+ sentences? (?:was|were) removed because)")


def verify(
    text: str,
    citations: Iterable[Citation],
    calculations: Iterable[Calculation] = (),
    question: str = "",
) -> Verification:
    """Check every figure of ``text`` line by line against its citations and this turn's working."""
    by_number = {c.n: c for c in citations}
    worked = _worked(calculations) + parse_quantities(question)
    result = Verification()
    for line in text.splitlines():
        if _NOTICE.match(line.strip()):
            continue  # the check's own note ("已删除1句…"): a count of removed sentences, not a figure from a source
        cited = [by_number[int(n)] for n in _MARK.findall(line) if int(n) in by_number]
        pool = worked + [q for c in cited for q in parse_quantities(f"{c.quote}\n{c.title}\n{c.publisher}")]
        for figure in parse_quantities(_MARK.sub(" ", line)):
            result.checked += 1
            if not any(_same(figure, known) for known in pool):
                result.unsupported.append(figure.text)
    return result


def _worked(calculations: Iterable[Calculation]) -> list[Quantity]:
    found = []
    for calc in calculations:
        found.append(calc.result)
        found.extend(o.quantity for o in calc.operands)
        found.extend(q for _, q in calc.steps)
        found.extend(parse_quantities(re.sub(r"\{\d*\}", " ", calc.formula)))  # constants such as the 1 in (1 + g)
    return found


def _same(figure: Quantity, known: Quantity) -> bool:
    """Equal up to the precision either side was written with (signs ignored: a loss may be written -4.52亿)."""
    slack = max(ulp(figure), ulp(known)) + Decimal("1e-9") * max(abs(figure.value), Decimal(1))
    ends = [abs(v) for v in bounds(known)]
    return all(any(abs(abs(v) - e) <= slack for e in ends) for v in bounds(figure))
