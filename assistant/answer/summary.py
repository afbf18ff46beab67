"""The summary strategy: reasons, challenges and outlooks ("为什么…", "主要挑战是什么", "why did…").

No single sentence answers such a question, so the answer is a query-focused extractive summary: the few most
relevant sentences across sources, chosen by relevance to the question and diversity (maximal marginal relevance
over their words), each cited, under a line saying what the sources cover. A sentence must still pass the relevance
gate on everything but word coverage (subject, organisation, product, period, measure, required terms, and for a
"why" a reason marker), and must name at least a third of the question's content words itself or in the text before
it in its paragraph. Fewer than two such sentences is no summary: the plain answer's refusal stands.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.answer import extractive
from assistant.answer.extractive import Candidate
from assistant.answer.gate import asks_why, gives_reason, paragraph_before
from assistant.answer.query import Query
from assistant.text import has_word, normalise_for_match, split_sentences
from assistant.tokenize import tokenize, words
from assistant.types import Answer, Hit

if TYPE_CHECKING:
    from assistant.answer.strategies import Context

# Questions a summary answers: reasons, challenges, risks, outlooks, the aspects of something.
_ASKS = re.compile(
    r"为什么|为何|原因|挑战|困难|难点|难题|风险|前景|哪几方面|哪些方面|怎么看|如何看待"
    r"|(?<![a-z])(?:why|how come|what caused|challenges?|obstacles?|risks?|outlook|prospects?|hurdles?"
    r"|what (?:was|is|were|are) behind|what drove)(?![a-z])"
)
MAX_SENTENCES = 4
MIN_SENTENCES = 2
_LAMBDA = 0.7  # relevance against diversity


def summary(query: Query, hits: list[Hit], context: Context) -> Answer | None:
    """A cited summary for a reason/challenge/outlook question, or None (another strategy answers or refuses)."""
    if query.wants_date or query.asks_person or query.asks_product:
        return None
    if (query.wants_number or query.main_metrics) and not asks_why(query):  # the growth's reason, not its figure
        return None
    if not _ASKS.search(normalise_for_match(query.text)) or not query.key_terms:
        return None
    found = _relevant(query, hits, context)
    picked = _diverse(found)
    if len(picked) < MIN_SENTENCES:
        return None
    text, citations = extractive.compose(query, picked)
    sources = len({c.hit.doc_id for c in picked})
    if query.language == "zh":
        lead = f"来源中与这个问题相关的要点（{len(picked)}句，来自{sources}个来源，按相关程度排列）："
    else:
        lead = f"What the sources say on this ({len(picked)} sentences from {sources} sources, most relevant first):"
    return Answer(f"{lead}\n{text}", False, citations, language=query.language)


def _relevant(query: Query, hits: list[Hit], context: Context) -> list[Candidate]:
    """Sentences the gate admits (word coverage aside), scored by the share of the question's words they name."""
    gate, seen, found = context.gate, set(), []
    terms = [t for t in query.key_terms if not gate.question_word(t)]
    for hit in hits:
        for start, end in split_sentences(hit.text):
            text = hit.text[start:end]
            key = normalise_for_match(text)
            if key in seen or len(text) < 12 or extractive.is_heading(hit.text, start, end):
                continue
            seen.add(key)
            own = tuple(gate.registry.mentions(text))
            verdict = gate.judge(query, hit, start, end, own)
            if (not verdict.admitted and verdict.missing not in ("terms", "list")) or not gives_reason(query, key):
                continue
            before = normalise_for_match(paragraph_before(hit, start))
            named = sum(1 for t in terms if _names(t, key, query, context))
            around = sum(1 for t in terms if _names(t, f"{before} {key}", query, context))
            share = (named + 0.5 * (around - named)) / len(terms) if terms else 0.0
            if share * 3 < 1 or named == 0:
                continue
            found.append(Candidate(hit, start, end, text, share + 0.3 / (hit.rank or 1), own))
    found.sort(key=lambda c: -c.score)
    return found


def _names(term: str, norm: str, query: Query, context: Context) -> bool:
    """A Chinese question word as a word of the text (挑战 is not in 挑战者), an English one as the gate finds it."""
    found = _words(norm)
    if not term.isascii():
        return term in found
    vocabulary = context.gate.vocabulary
    if has_word(norm, term):
        return True
    forms = vocabulary.renderings(term)
    return any(f in found or (len(f) >= 3 and f in norm) for f in forms)


@lru_cache(maxsize=2048)  # each sentence is segmented once, not once per question word
def _words(norm: str) -> frozenset[str]:
    return frozenset(words(norm))


def _diverse(found: list[Candidate]) -> list[Candidate]:
    """Maximal marginal relevance: each next sentence the most relevant one least like those already chosen."""
    words = {id(c): set(tokenize(c.text)) for c in found}
    picked: list[Candidate] = []
    pool = list(found)
    while pool and len(picked) < MAX_SENTENCES:

        def gain(c: Candidate) -> float:
            overlap = max((_jaccard(words[id(c)], words[id(p)]) for p in picked), default=0.0)
            return _LAMBDA * c.score - (1 - _LAMBDA) * overlap

        best = max(pool, key=gain)
        pool.remove(best)
        if all(_jaccard(words[id(best)], words[id(p)]) < 0.6 for p in picked):  # a near-repeat adds nothing
            picked.append(best)
    return picked


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
