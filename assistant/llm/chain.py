"""LLM mode's answer chain: numbered sources and calculations in, a streamed draft out, the grounding check last.

The follow-up is condensed and the evidence retrieved by :class:`~assistant.Assistant` (no model needed); the
deterministic calculation and the extractive answer are computed first, so the model is shown the same evidence and
working, and the extractive answer is the fallback when the model fails or nothing it wrote survives the check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterator, Sequence
from dataclasses import replace
from importlib import resources
from typing import Any

from assistant.answer import extractive
from assistant.answer.gate import Gate
from assistant.answer.query import Query
from assistant.calculator.ops import Calculation
from assistant.calculator.render import render
from assistant.calculator.tools import calculator_tools, run_tool_call
from assistant.config import Settings
from assistant.entities import Registry
from assistant.errors import CalculatorError
from assistant.llm.grounding import fallback_notice, ground, removal_notice
from assistant.llm.relevance import cited_facts, off_question
from assistant.text import normalise_for_match
from assistant.types import Answer, Citation, Hit
from assistant.verify import verify

MAX_SOURCES = 6
# Sentences that address the model rather than state a fact are withheld from it (a heuristic first line of defence;
# the grounding check is the second: a figure no given source states is removed whatever the model was told).
_INSTRUCTION = re.compile(
    r"忽略(之前|以上|上述|前面|所有)|无视(之前|以上|上述)|(之前|以上)的?(指令|指示|提示)|系统提示|你(现在)?必须回答"
    r"|ignore (all |any )?(the )?(previous|prior|above|earlier)|disregard (all |the )?(previous|prior|above)"
    r"|system prompt|you must (now )?(answer|say|reply)",
    re.I,
)


def system_prompt() -> str:
    """The answering instructions (``prompts/answer.md``)."""
    return resources.files("assistant.llm").joinpath("prompts/answer.md").read_text(encoding="utf-8")


def numbered_sources(query: Query, hits: list[Hit], gate: Gate, base: Answer) -> list[Citation]:
    """The citations of the offline answer first (their numbers stay), then further evidence sentences the
    relevance gate admits."""
    sources = [c for c in base.citations if not looks_like_instruction(c.quote)]
    seen = {normalise_for_match(c.quote) for c in sources}
    for cand in extractive.candidates(query, hits, gate):
        if len(sources) >= MAX_SOURCES:
            break
        key = normalise_for_match(cand.text)
        if key not in seen and not looks_like_instruction(cand.text):
            seen.add(key)
            sources.append(extractive.make_citation(len(sources) + 1, cand.hit, cand.start, cand.end))
    return sources


def looks_like_instruction(text: str) -> bool:
    """True for a sentence that gives the model orders ("忽略之前的指令", "ignore previous instructions")."""
    return bool(_INSTRUCTION.search(text))


def user_message(
    question: str,
    query: Query,
    sources: Sequence[Citation],
    calculations: Sequence[Calculation],
    conflicts: Sequence[dict[str, Any]] = (),
    registry: Registry | None = None,
) -> str:
    """The question with the numbered sources and the calculator results the answer may use."""
    zh = query.language == "zh"
    lines = ["Sources:"]
    for c in sources:
        about = ", ".join(x for x in (c.publisher or c.title, c.published) if x)
        lines.append(f"[{c.n}] ({about}) {c.quote.strip()}")
    if calculations:
        lines += ["", "Calculator results:"]
        for calc in calculations:
            cited = "".join(f"[{o.citation}]" for o in calc.operands if getattr(o, "citation", None))
            result = render(calc.result, "zh" if zh else "en")
            lines.append(f"- {calc.kind}: {calc.expression('zh' if zh else 'en')} = {result} {cited}".rstrip())
    if conflicts:
        lines += ["", "Sources that disagree:"]
        for conflict in conflicts:
            values = "; ".join(f"{v['text']} ({v['published']}) [{v['citation']}]" for v in conflict["values"])
            lines.append(f"- {conflict['company']} {conflict['metric']} {conflict['period']}: {values}")
    lines += ["", f"Question: {question.strip()}"]
    if query.inherited and registry is not None:
        lines.append(f"(A follow-up to earlier questions; it asks about: {_reading(query, registry)})")
    return "\n".join(lines)


def _reading(query: Query, registry: Registry) -> str:
    names = [registry[c].name_zh if query.language == "zh" else registry[c].name_en for c in query.companies]
    periods = [f"{p.year} {p.part}".strip() for p in query.periods]
    return ", ".join(names + list(query.metrics) + periods) or query.text


def answer(
    model: Any,
    settings: Settings,
    question: str,
    query: Query,
    hits: list[Hit],
    gate: Gate,
    base: Answer,
) -> Iterator[str | Answer]:
    """Stream the model's draft (growing text), then yield the checked :class:`Answer`.

    ``base`` is the offline answer (a worked calculation or the extractive one); it is the fallback.
    """
    from langchain_core.messages import HumanMessage, SystemMessage

    sources = numbered_sources(query, hits, gate, base)
    calculations = list(base.calculations)
    messages: list[Any] = [
        SystemMessage(system_prompt()),
        HumanMessage(user_message(question, query, sources, calculations, base.conflicts, gate.registry)),
    ]
    try:
        draft = yield from _converse(model, settings, messages, calculations)
    except Exception:  # any failure of the model (network, timeout, bad reply) falls back to the offline answer
        yield _fallback(base, question, "error")
        return
    checked = ground(draft, sources, calculations, question)
    relevant, off = off_question(checked.text, cited_facts(sources, hits), query)
    if off:  # a figure its quote states for another company, measure or period: removed like an unsupported one
        checked = replace(
            checked,
            text=relevant,
            cited=sorted({int(n) for n in re.findall(r"\[(\d+)\]", relevant)}),
            verification=replace(checked.verification, removed=[*checked.verification.removed, *off]),
        )
    if not checked.cited:
        yield _fallback(base, question, "unverified", checked.verification.removed)
        return
    text = checked.text
    if calculations and base.calculations:  # the deterministic working stays, with its operands' quotes
        text += "\n\n" + base.text
        checked.cited = sorted(set(checked.cited) | {c.n for c in base.citations})
    removed = checked.verification.removed
    used = set(checked.cited) | {o.citation for c in calculations for o in c.operands if getattr(o, "citation", None)}
    pool = {c.n: c for c in base.citations} | {c.n: c for c in sources}  # a shown source wins its number
    notice = "\n" + removal_notice(len(removed), query.language) if removed else ""
    result = Answer(
        text + notice,
        False,
        [pool[n] for n in sorted(used) if n in pool],
        language=query.language,
        calculations=calculations,
        conflicts=list(base.conflicts),
        written_by="model",
    )
    final = verify(text, list(pool.values()), calculations, question)
    result.verification = replace(final, checked=final.checked + len(removed), removed=removed)
    yield result


def _converse(
    model: Any, settings: Settings, messages: list[Any], calculations: list[Calculation]
) -> Generator[str, None, str]:
    """Call the model, run its calculator calls (at most ``llm_max_tool_calls``); stream and return the final text."""
    from langchain_core.messages import ToolMessage

    tools_model = _with_tools(model) if settings.llm_max_tool_calls > 0 else None
    budget = settings.llm_max_tool_calls
    while True:
        with_tools = tools_model is not None and budget > 0
        current: Any = tools_model if with_tools else model
        reply: Any = None
        shown = ""
        for chunk in current.stream(messages):
            reply = chunk if reply is None else reply + chunk
            text = _text(reply.content)
            if text != shown:
                shown = text
                yield text
        calls = list(getattr(reply, "tool_calls", None) or [])
        if reply is None or not calls or not with_tools:
            return shown
        messages.append(reply)
        for call in calls:
            messages.append(ToolMessage(_tool_result(call, budget, calculations), tool_call_id=call.get("id") or ""))
            budget -= 1


def _with_tools(model: Any) -> Any:
    try:
        return model.bind_tools(calculator_tools())
    except (NotImplementedError, AttributeError):
        return None


def _tool_result(call: dict[str, Any], budget: int, calculations: list[Calculation]) -> str:
    """The tool's JSON working; the calculation joins this turn's calculations for the grounding check."""
    if budget <= 0:
        return "Error: the limit of calculator calls for this answer is reached; answer with what you have."
    try:
        calc = run_tool_call(call["name"], call.get("args") or {})
    except CalculatorError as exc:
        return f"Error: {exc}"
    calculations.append(calc)
    return json.dumps(calc.to_json(), ensure_ascii=False)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content or "")


def _fallback(base: Answer, question: str, reason: str, removed: Sequence[str] = ()) -> Answer:
    """The offline answer, prefixed with a notice saying why the model's answer is not shown."""
    answer = replace(base, text=fallback_notice(reason, base.language) + "\n" + base.text, written_by="fallback")
    answer.verification = replace(verify(base.text, base.citations, base.calculations, question), removed=list(removed))
    return answer
