"""Eval cases from ``evals/cases.yaml``: questions, expected figures, phrases, gold sources, refusals, calculations."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import ConfigError

DEFAULT_CASES = Path(__file__).resolve().parent.parent.parent / "evals" / "cases.yaml"
CATEGORIES = (
    "single_fact",
    "figure",
    "calculation",
    "comparison",
    "compare",
    "conflict",
    "follow_up",
    "english",
    "multi_part",
    "who",
    "when",
    "what",
    "which",
    "list",
    "why",
    "unanswerable",
)
LANGUAGES = ("zh", "zh-hant", "en")
DEFAULT_TOLERANCE = Decimal("0.001")


@dataclass(frozen=True)
class Expected:
    """A figure an answer must state: a value or a low/high range, with unit, currency and relative tolerance."""

    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str = ""
    currency: str = ""
    tolerance: Decimal = DEFAULT_TOLERANCE
    kind: str = ""

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Expected:
        """From a YAML mapping."""

        def dec(key: str) -> Decimal | None:
            return Decimal(str(raw[key])) if key in raw and raw[key] is not None else None

        return cls(
            dec("value"),
            dec("low"),
            dec("high"),
            str(raw.get("unit", "") or ""),
            str(raw.get("currency", "") or ""),
            dec("tolerance") or DEFAULT_TOLERANCE,
            str(raw.get("kind", "") or ""),
        )

    def ends(self) -> list[Decimal]:
        """The values the answer must state (both ends of a range)."""
        return [v for v in (self.value, self.low, self.high) if v is not None]


@dataclass(frozen=True)
class Case:
    """One eval question (or conversation) and what a correct answer contains."""

    id: str
    category: str
    language: str
    turns: tuple[str, ...]
    refused: bool = False
    figures: tuple[Expected, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    sources: tuple[str, ...] = ()
    calculation: Expected | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def question(self) -> str:
        """The judged (last) question."""
        return self.turns[-1]

    @property
    def history(self) -> list[str]:
        """Earlier turns of a follow-up conversation."""
        return list(self.turns[:-1])


def load_cases(path: Path | None = None) -> list[Case]:
    """Read and check the cases file; a malformed case is an error naming its id."""
    path = path or DEFAULT_CASES
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read eval cases from {path}: {exc}") from exc
    cases = [_case(item) for item in raw or []]
    ids = [c.id for c in cases]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ConfigError(f"Duplicate eval case ids: {', '.join(duplicated)}")
    return cases


def _case(item: dict[str, Any]) -> Case:
    case_id = str(item.get("id", "?"))
    turns = tuple(item.get("turns") or [item.get("question", "")])
    category = str(item.get("category", ""))
    if not all(isinstance(t, str) and t.strip() for t in turns) or category not in CATEGORIES:
        raise ConfigError(f"Eval case '{case_id}' needs a question (or turns) and a category in {CATEGORIES}")
    expect = item.get("expect") or {}
    calc = expect.get("calculation")
    return Case(
        id=case_id,
        category=category,
        language=str(item.get("language", "zh")),
        turns=turns,
        refused=bool(expect.get("refused", False)),
        figures=tuple(Expected.parse(f) for f in expect.get("figures") or ()),
        phrases=tuple(tuple(str(p) for p in group) for group in expect.get("phrases") or ()),
        sources=tuple(str(s) for s in expect.get("sources") or ()),
        calculation=Expected.parse(calc) if calc else None,
        note=str(item.get("note", "")),
    )
