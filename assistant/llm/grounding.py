"""The grounding check of a model's draft: keep only sentences whose figures are supported and whose ``[n]`` point
to a source that was given; the rest is removed, and the answer says how many sentences were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.calculator.ops import Calculation
from assistant.types import Citation
from assistant.verify import Verification, verify

_MARK = re.compile(r"\[(\d+)\]")
_GROUP = re.compile(r"[\[【]\s*(\d+(?:\s*[,，、;；]\s*\d+)*)\s*[\]】]")  # [1, 2] or 【1】 become [1][2]
_TRAILING_MARK = re.compile(r"[ \t]*\[\d+\]")
_ENDS = "。！？!?；;"
_CLOSERS = "。！？!?”’\"'）)"


@dataclass
class Grounded:
    """A draft after the check: the kept text, what was checked and removed, and the source numbers it cites."""

    text: str
    verification: Verification
    cited: list[int]
    dropped_marks: list[str]


def split_sentences(text: str) -> list[str]:
    """Sentences with their trailing ``[n]`` markers and whitespace; joined they give back ``text``."""
    pieces: list[str] = []
    start = i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\n" or ch in _ENDS or (ch == "." and (i + 1 == len(text) or text[i + 1].isspace())):
            j = i + 1
            while ch != "\n" and j < len(text) and text[j] in _CLOSERS:
                j += 1
            while ch != "\n" and (m := _TRAILING_MARK.match(text, j)):
                j = m.end()
            while j < len(text) and text[j] in " \t\n":
                j += 1
            pieces.append(text[start:j])
            start = i = j
            continue
        i += 1
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def ground(draft: str, sources: Sequence[Citation], calculations: Iterable[Calculation], question: str) -> Grounded:
    """Drop markers to sources not given, then every sentence with a figure its own citations do not support."""
    valid = {c.n for c in sources}
    calculations = list(calculations)
    text = _GROUP.sub(lambda m: "".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1))), draft)
    dropped = [m.group(0) for m in _MARK.finditer(text) if int(m.group(1)) not in valid]
    text = re.sub(r"[ \t]?\[(\d+)\]", lambda m: m.group(0) if int(m.group(1)) in valid else "", text)
    kept: list[str] = []
    removed: list[str] = []
    checked = 0
    for sentence in split_sentences(text):
        found = verify(sentence, sources, calculations, question)
        checked += found.checked
        if found.unsupported:
            removed.append(sentence.strip())
        else:
            kept.append(tighten(sentence, sources) if found.checked else sentence)
    body = "".join(kept).strip()
    cited = sorted({int(n) for n in _MARK.findall(body)})
    return Grounded(body, Verification(checked, [], removed), cited, dropped)


def tighten(sentence: str, sources: Sequence[Citation]) -> str:
    """Drop the ``[n]`` of a sentence whose source states none of its figures, when another cited one does.

    A model often cites every source in sight; the reader should be sent to the quotes that hold the figures.
    """
    by_number = {c.n: c for c in sources}
    marks = [int(n) for n in dict.fromkeys(_MARK.findall(sentence))]
    useful = [n for n in marks if n in by_number and _states_a_figure(sentence, by_number[n])]
    if not useful or len(useful) == len(marks):
        return sentence
    return _MARK.sub(lambda m: m.group(0) if int(m.group(1)) in useful else "", sentence)


def _states_a_figure(sentence: str, source: Citation) -> bool:
    """True when the source supports at least one figure of the sentence."""
    alone = _MARK.sub(lambda m: m.group(0) if int(m.group(1)) == source.n else "", sentence)
    found = verify(alone, [source])
    return len(found.unsupported) < found.checked


def removal_notice(count: int, language: str) -> str:
    """The line appended when sentences were removed."""
    if language == "zh":
        return f"（已删除{count}句：其中的数字无法在所给来源或计算中核实，或来源所说的不是所问的公司、口径或期间。）"
    plural = "sentence was" if count == 1 else "sentences were"
    return (
        f"({count} {plural} removed because their figures could not be verified against the sources, or the "
        "sources give them for another company, measure or period than the one asked.)"
    )


def fallback_notice(reason: str, language: str) -> str:
    """The line put before the extractive answer when the model's answer cannot be used."""
    if reason == "error":
        return (
            "（语言模型暂不可用，以下是直接摘自来源的回答。）"
            if language == "zh"
            else ("(The language model is unavailable; this answer quotes the sources directly.)")
        )
    return (
        "（模型的回答未能通过来源核查，以下是直接摘自来源的回答。）"
        if language == "zh"
        else ("(The model's answer could not be verified against the sources; this answer quotes them directly.)")
    )
