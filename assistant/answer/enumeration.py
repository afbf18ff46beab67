"""Numbered lists in a source: a list question ("需要解决哪几方面的挑战？") is answered by every item of the one
enumeration a source gives (第一个…第二个…第四个, 一是…二是…, First … Second …), in order, each cited.

An item is a sentence that opens with an ordinal marker. The items of one enumeration share the marker's style and
number 1, 2, 3 … without a gap; they are gathered from the whole document, since a long list spans chunks.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.answer import extractive
from assistant.answer.extractive import Candidate
from assistant.answer.gate import paragraph_before
from assistant.answer.ordinals import ordinal
from assistant.answer.query import Query
from assistant.text import normalise_for_match, split_sentences
from assistant.types import Answer, Hit

if TYPE_CHECKING:
    from assistant.answer.strategies import Context

MAX_ITEMS = 8
_LIST_WORDS = re.compile(r"哪几|哪些|方面|几个|几项|which|what|items?|list")  # the question's words for "a list"
_WINDOW = 4000  # characters: the items of one list sit within a few paragraphs of each other


def items(lead: Candidate, chunks: list[Hit]) -> list[Candidate]:
    """Every item of the enumeration ``lead`` belongs to, in the document's order (``chunks`` are the document's
    chunks in order); just ``lead`` when no sibling item is found."""
    marker = ordinal(lead.text)
    if marker is None:
        return [lead]
    at = int(lead.hit.metadata.get("start", 0)) + lead.start
    numbered: dict[int, Candidate] = {}
    for hit in chunks:
        offset = int(hit.metadata.get("start", 0))
        for start, end in split_sentences(hit.text):
            text = hit.text[start:end]
            found = ordinal(text)
            if found is None or found[0] != marker[0] or abs(offset + start - at) > _WINDOW:
                continue
            numbered.setdefault(found[1], replace(lead, hit=hit, start=start, end=end, text=text))
    numbered[marker[1]] = lead
    run = [marker[1]]
    while run[0] - 1 in numbered:
        run.insert(0, run[0] - 1)
    while run[-1] + 1 in numbered and len(run) < MAX_ITEMS:
        run.append(run[-1] + 1)
    return [numbered[n] for n in run] if len(run) > 1 else [lead]


def numbered_list(query: Query, hits: list[Hit], context: Context) -> Answer | None:
    """Every item of the numbered list that answers a list question, each cited; None when no evidence sentence
    opens a list item, or no list's items with the text introducing them name most of the question's words."""
    if not query.asks_list:
        return None
    best: tuple[float, list[Candidate]] = (0.0, [])
    tried: set[tuple[str, str]] = set()
    for lead in _openers(query, hits, context):
        marker = ordinal(lead.text)
        if marker is None or (lead.hit.doc_id, marker[0]) in tried:
            continue
        tried.add((lead.hit.doc_id, marker[0]))
        run = items(lead, context.store.chunks_of(lead.hit.doc_id))
        share = _coverage(query, run, context) if len(run) > 1 else 0.0
        if share > best[0]:
            best = (share, run)
    share, run = best
    if share * 2 <= 1:
        return None
    text, citations = extractive.compose(query, run)
    heading = f"来源列出了{len(run)}项：" if query.language == "zh" else f"The source lists {len(run)} items:"
    return Answer(f"{heading}\n{text}", False, citations, language=query.language)


def _openers(query: Query, hits: list[Hit], context: Context) -> list[Candidate]:
    """Evidence sentences opening a list item that the gate admits, word coverage aside (an item names its own
    point, not the question's words: the text introducing the list does)."""
    found = []
    for hit in hits:
        for start, end in split_sentences(hit.text):
            text = hit.text[start:end]
            if ordinal(text) is None:
                continue
            verdict = context.gate.judge(query, hit, start, end, tuple(context.registry.mentions(text)))
            if verdict.admitted or verdict.missing in ("terms", "list"):
                found.append(Candidate(hit, start, end, text, 1.0 / (hit.rank or 1)))
    return found


def _coverage(query: Query, run: list[Candidate], context: Context) -> float:
    """The share of the question's content words named by the list's items and the paragraph introducing it."""
    first = run[0]
    intro = paragraph_before(first.hit, first.start) or first.hit.text[max(0, first.start - 300) : first.start]
    norm = normalise_for_match(" ".join([intro, *(c.text for c in run)]))
    gate = context.gate
    subject = normalise_for_match(" ".join(query.organisations))  # the subject is not what the list is about
    terms = [t for t in query.key_terms if not gate.question_word(t) and not _LIST_WORDS.search(t) and t not in subject]
    if not terms:
        return 0.0
    return sum(1 for t in terms if gate.mentioned(t, query, norm)) / len(terms)
