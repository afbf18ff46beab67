"""One answer read once into the typed parts every front end shows (CLI, Slack, chat UI).

An :class:`~assistant.types.Answer` is composed as lines (its figure lead first when it has one); this module is
the one place that reads it into parts: a heading (the refusal label, the input note or the figure lead), the body
lines with their ``[n]``, each calculation's working as data, the sources (one entry per document, its quotes
under it), the grounding check and who wrote the answer. Front ends format these parts in their own markup and
never take an answer's text apart themselves, so the CLI, Slack and the chat UI show the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant import sources
from assistant.answer.operands import period_text
from assistant.answer.working import KIND_NAMES, OPERAND_NAMES, STEP_NAMES
from assistant.calculator.ops import Calculation
from assistant.calculator.render import render
from assistant.types import Answer, Citation

# Status marks from common text fonts (no emoji font needed): ∅ nothing found, ✎ fix the question, ∑ working.
NOT_IN_CORPUS = ("∅ 语料库中没有答案", "∅ Not in the corpus")
INPUT_PROBLEM = "✎"
WORKING = "∑"
_WORDS_ZH = {"cash": "现金", "burn": "亏损", "growth": "增长率", "rate": "汇率", "total": "总数", "part": "部分"}
_DETAILS = {"start": ("起算日", "counted from"), "runs_out": ("资金约在此时耗尽", "the cash runs out in")}


@dataclass(frozen=True)
class Quote:
    """One quoted span and its number in the answer."""

    n: int
    text: str


@dataclass(frozen=True)
class Source:
    """One cited document: its numbers in the answer, how it is named, and every span the answer quotes from it."""

    numbers: tuple[int, ...]
    title: str
    byline: str
    link: str
    quotes: tuple[Quote, ...]
    reliability: str = ""


@dataclass(frozen=True)
class Operand:
    """A figure a calculation used: its name, the figure as shown, and where it came from (``[n]`` or a note)."""

    name: str
    shown: str
    origin: str


@dataclass(frozen=True)
class Working:
    """A calculation's working: the expression and its result, each intermediate step, the operands and the
    assumptions, every line arithmetic a reader can check."""

    title: str
    expression: str
    result: str
    steps: tuple[tuple[str, str], ...]
    operands: tuple[Operand, ...]
    assumptions: tuple[str, ...]


@dataclass(frozen=True)
class Check:
    """The grounding check: whether every figure in the answer is in a cited quote or the working."""

    ok: bool
    text: str


@dataclass(frozen=True)
class View:
    """What an answer shows, in order: heading, body lines, workings, sources, check, author."""

    language: str
    refused: bool
    heading: str  # the refusal label, the input note mark, or the figure lead ('' when none)
    lead: bool  # the heading states the answer's figure (shown in bold)
    lines: tuple[str, ...]
    workings: tuple[Working, ...]
    sources: tuple[Source, ...]
    check: Check | None
    author: str

    @property
    def zh(self) -> bool:
        return self.language == "zh"


def view_of(answer: Answer, names: Mapping[str, str] | None = None) -> View:
    """The parts of ``answer``.

    Args:
        answer: a final answer.
        names: company and metric id → display name in the answer's language (operand names in the working).
    """
    zh = answer.language == "zh"
    lines = answer.text.split("\n")
    heading, lead = "", False
    if answer.input_problem:
        heading = INPUT_PROBLEM
    elif answer.refused:
        heading = NOT_IN_CORPUS[0 if zh else 1]
    elif answer.lead and lines and lines[0] == answer.lead:
        heading, lead, lines = answer.lead, True, lines[1:]
    return View(
        language=answer.language,
        refused=answer.refused,
        heading=heading,
        lead=lead,
        lines=tuple(lines),
        workings=tuple(working_of(calc, answer, names or {}) for calc in answer.calculations),
        sources=tuple(_source(cited, zh) for cited in by_document(answer.citations)),
        check=_check(answer, zh),
        author=_author(answer, zh),
    )


def by_document(citations: Sequence[Citation]) -> list[list[Citation]]:
    """The citations grouped by document, in order of first citation: one source entry per document."""
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.doc_id or c.chunk_id, []).append(c)
    return list(groups.values())


def _source(cited: list[Citation], zh: bool) -> Source:
    c = cited[0]
    return Source(
        numbers=tuple(q.n for q in cited),
        title=sources.title_of(c, zh),
        byline=", ".join(sources.byline_parts(c, zh)),
        link=sources.link_of(c),
        quotes=tuple(Quote(q.n, q.quote) for q in cited),
        reliability=c.reliability,
    )


def working_of(calc: Calculation, answer: Answer, names: Mapping[str, str]) -> Working:
    """A calculation's working in the answer's language, its operands numbered as the answer cites them."""
    zh = answer.language == "zh"
    lang = "zh" if zh else "en"
    steps = [(STEP_NAMES.get(name, (name, name))[0 if zh else 1], render(q, lang)) for name, q in calc.steps]
    for key, value in calc.details.items():
        shown = "–".join(period_text(part, zh) for part in str(value).split("–"))
        steps.append((_DETAILS.get(key, (key, key))[0 if zh else 1], shown))
    kind = KIND_NAMES.get(calc.kind, (calc.kind, calc.kind))[0 if zh else 1]
    return Working(
        title=f"{WORKING} 计算过程：{kind}" if zh else f"{WORKING} Calculation: {kind}",
        expression=calc.formula if calc.kind == "expression" else calc.expression(lang),
        result=render(calc.result, lang),
        steps=tuple(steps),
        operands=tuple(_operand(o, answer.citations, zh, lang, names) for o in calc.operands),
        assumptions=tuple(_assumptions(calc, answer, zh)),
    )


def operand_name(name: str, zh: bool, names: Mapping[str, str] | None = None) -> str:
    """A calculator operand's name for display: ``biren rd 2022–2025H1`` → ``壁仞科技 研发 2022–2025H1``."""
    if zh and name in OPERAND_NAMES:
        return OPERAND_NAMES[name]
    words = []
    for word in name.split():
        if names and word in names:
            words.append(names[word])
        else:
            words.append(_WORDS_ZH.get(word, period_text(word, True)) if zh else period_text(word, False))
    return " ".join(words)


def _operand(operand: Any, citations: Sequence[Citation], zh: bool, lang: str, names: Mapping[str, str]) -> Operand:
    n = operand.citation
    if n is None and operand.quote:
        n = next((c.n for c in citations if c.quote == operand.quote), None)
    if n is not None:
        origin = f"[{n}]"
    elif operand.name == "burn period":
        origin = "（由期间推出）" if zh else "(from the period)"
    else:
        origin = "（问题中给出）" if zh else "(given in the question)"
    shown = operand.quantity.text or render(operand.quantity, lang)
    return Operand(operand_name(operand.name, zh, names), shown, origin)


def _assumptions(calc: Calculation, answer: Answer, zh: bool) -> list[str]:
    """The answer's own "假设：" lines for a Chinese answer (the calculation keeps English ones)."""
    if zh:
        own = [line.removeprefix("假设：") for line in answer.text.splitlines() if line.startswith("假设：")]
        if own:
            return own
    return list(calc.assumptions)


def _check(answer: Answer, zh: bool) -> Check | None:
    """The check's sentence without a mark (each front end marks a pass or a failure its own way)."""
    check = answer.verification
    if check is None or not check.checked:
        return None
    if check.ok:
        if zh:
            return Check(True, f"核对：{check.checked}个数字均出自所引原文或本次计算")
        return Check(True, f"Grounding check: all {check.checked} figures are in a cited quote or this turn's working")
    missing = "、".join(check.unsupported) if zh else ", ".join(check.unsupported)
    return Check(
        False, f"核对：未找到依据的数字：{missing}" if zh else f"Grounding check: unsupported figures: {missing}"
    )


def _author(answer: Answer, zh: bool) -> str:
    """Who wrote the answer: the language model (checked) or the sources' own sentences (fallback); '' offline."""
    removed = len(answer.verification.removed) if answer.verification is not None else 0
    if answer.written_by == "model":
        text = "由语言模型撰写，已逐句核查" if zh else "Written by the language model, checked sentence by sentence"
        if removed:
            text += f"（删除了{removed}句无法核实的内容）" if zh else f" ({removed} unverifiable removed)"
        return text
    if answer.written_by == "fallback":
        return "语言模型的回答未能使用，显示的是来源原句" if zh else "The model's answer was not used: source quotes"
    return ""
