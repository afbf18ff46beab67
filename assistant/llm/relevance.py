"""The relevance gate for a model's draft: a sentence whose figure its cited quote states for another company,
measure or period than the question asks is removed, like an unsupported one.

Provenance (``grounding``) proves the figure is in the quote; this proves the quote's figure is the asked one: the
quote ``2022年至2025年上半年累计亏损63.57亿元，其中2025年上半年亏损16.01亿元`` supports both figures, but only
16.01亿 answers "上半年亏损多少".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer.gate import fact_answers
from assistant.answer.query import Query
from assistant.conflicts import consistent
from assistant.facts import Fact, decode
from assistant.llm.grounding import split_sentences
from assistant.numbers import parse_quantities
from assistant.types import Citation, Hit

_MARK = re.compile(r"\[(\d+)\]")


def cited_facts(sources: Sequence[Citation], hits: Sequence[Hit]) -> dict[int, list[Fact]]:
    """For each numbered source, the stored facts of its quoted sentence."""
    by_chunk = {h.chunk_id: h for h in hits}
    found: dict[int, list[Fact]] = {}
    for source in sources:
        hit = by_chunk.get(source.chunk_id)
        if hit is None:
            continue
        start = source.start - int(hit.metadata.get("start", 0))
        end = start + len(source.quote)
        found[source.n] = [f for f in decode(str(hit.metadata.get("facts", ""))) if start <= f.start < end]
    return found


def off_question(text: str, facts: dict[int, list[Fact]], query: Query) -> tuple[str, list[str]]:
    """The draft without sentences whose every cited fact for one of their figures answers another question;
    and the removed sentences."""
    kept: list[str] = []
    removed: list[str] = []
    for sentence in split_sentences(text):
        if _states_another_measure(sentence, facts, query):
            removed.append(sentence.strip())
        else:
            kept.append(sentence)
    return "".join(kept).strip(), removed


def _states_another_measure(sentence: str, facts: dict[int, list[Fact]], query: Query) -> bool:
    cited = [f for n in _MARK.findall(sentence) for f in facts.get(int(n), [])]
    for figure in parse_quantities(_MARK.sub(" ", sentence)):
        same = [f for f in cited if consistent(f.quantity, figure) and f.quantity.unit == figure.unit]
        if same and not any(fact_answers(f, query) for f in same):
            return True
    return False
