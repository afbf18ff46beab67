"""Answer strategies behind one small protocol: ``strategy(query, evidence, context) -> Answer | None``.

Each strategy either answers (an :class:`Answer`, possibly a refusal that says what is missing) or passes (None) to
the next. ``answer`` tries them in order: a worked calculation when the question asks for arithmetic, then the
cited figure/sentence answer, which always answers or refuses. The next issue's entity, list and summary strategies
join the same list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from assistant.answer import calculate, extractive, notes, working
from assistant.answer.enumeration import numbered_list
from assistant.answer.extractive import Candidate
from assistant.answer.gate import Gate, asks_why
from assistant.answer.query import Planner, Query
from assistant.answer.summary import summary
from assistant.answer.tables import table_rows
from assistant.entities import Registry
from assistant.store import Store
from assistant.text import is_traditional, normalise_for_match, traditional
from assistant.tokenize import tokenize
from assistant.types import Answer, Hit
from assistant.vocabulary import Vocabulary


@dataclass(frozen=True)
class Context:
    """What strategies may use besides the question and its evidence: the store (facts for operands and
    conflicts), the planner (parts of a question), the relevance gate, and a search for extra evidence (a
    calculation's operands). Both planner and gate hold the one registry and vocabulary."""

    store: Store
    planner: Planner
    gate: Gate
    search: Callable[[Query, Sequence[str]], list[Hit]]

    @property
    def registry(self) -> Registry:
        return self.planner.registry


class Strategy(Protocol):
    def __call__(self, query: Query, hits: list[Hit], context: Context) -> Answer | None: ...


def calculation(query: Query, hits: list[Hit], context: Context) -> Answer | None:
    """A worked calculation when the question asks for one and the sources hold anything to work with."""
    if asks_why(query):  # "what was behind the growth" asks for a reason, not the arithmetic of the growth
        return None
    kind = calculate.detect(query)
    if not kind and calculate.explicit(query):
        kind = "expression"  # asked to compute something no planner recognises: say what is missing, never quote
    if not kind:
        return None
    evidence = list(hits)
    extra = calculate.support_queries(kind, query, context.registry)
    if extra:
        evidence += context.search(query, extra)
    plan = calculate.plan(kind, query, context.store, evidence, context.registry)
    quotable = kind in calculate.QUOTABLE or not plan.facts
    if plan.calculation is None and quotable and kind not in calculate.GIVEN and not calculate.explicit(query):
        return None  # the plain answer quotes what the sources state instead
    plan.stated += calculate.stated_estimates(kind, query, evidence, context.registry)
    text, citations, calculations = working.compose(query, plan, context.registry, context.planner.vocabulary)
    # A calculation that could not be done is a refusal, even when it lists the figures the sources do give.
    refused = plan.calculation is None
    return Answer(text, refused, citations, language=query.language, calculations=calculations)


def sentences(query: Query, hits: list[Hit], context: Context) -> Answer:
    """The best evidence sentences, cited, with conflicting figures and "as of" dates noted; or a refusal naming
    what no sentence covers."""
    misses: Counter[str] = Counter()
    found = extractive.candidates(query, hits, context.gate, misses)
    if not found:  # no one sentence answers every part (是谁，为什么离职): each part's own sentences may
        found = sorted(
            (c for part in context.planner.parts(query) for c in extractive.candidates(part, hits, context.gate)),
            key=lambda c: -c.score,
        )
    if not found and query.asks_list:  # a list its source gives one item per sentence (…950PR… …950DT…)
        relaxed = replace(query, items_apart=True)
        found = extractive.listed_one_per_sentence(query, extractive.candidates(relaxed, hits, context.gate))
    metrics = context.planner.vocabulary.metrics
    chosen = extractive.select(query, found, metrics)
    missing = extractive.uncovered_terms(query, chosen, context.gate) if chosen else []
    evidence = " ".join(normalise_for_match(c.hit.text) for c in chosen)
    strong = context.planner.strong_terms(query.text)
    absent = [t for t in strong if t not in evidence.replace(" ", "")]
    if not chosen:  # name what no evidence mentions, else what the closest sentences lacked
        searched = "".join(normalise_for_match(h.text) for h in hits).replace(" ", "")
        unknown = [t for t in strong if t not in searched]
        outside = [o for o in query.organisations if _nowhere(o, searched, context.store, context.planner.vocabulary)]
        if outside:  # an organisation no evidence mentions: say so, and which companies the corpus does cover
            return Answer(extractive.outside(query, outside, context.registry), True, [], language=query.language)
        closest = misses.most_common(1)
        parts = unknown or [extractive.missing_part(m, query.language, context.gate) for m, _ in closest]
        text = extractive.refusal(query, parts)
        if not unknown and closest and closest[0][0] == "period":  # offer the periods the corpus does state
            lines, citations = notes.nearest_facts(query, context.store)
            return Answer("\n".join([text, *lines]), True, citations, language=query.language)
        return Answer(text, True, [], language=query.language)
    if absent or _unknown_subject(query, missing, context.gate):
        return Answer(extractive.refusal(query, absent or missing), True, [], language=query.language)
    named = extractive.products_named(query, chosen)
    if query.asks_product and len(named) < query.asks_count:  # "哪两款" answered with one is not an answer
        short = (
            f"所问的全部{query.asks_count}款产品"
            if query.language == "zh"
            else f"all {query.asks_count} products asked"
        )
        return Answer(extractive.refusal(query, [short]), True, [], language=query.language)
    answered = _each_part(query, hits, chosen, context)
    if isinstance(answered, Answer):
        return answered
    chosen = extractive.with_antecedents(answered, context.store.chunks_of) if asks_why(query) else answered
    text, citations = extractive.compose(query, chosen)
    lines = text.split("\n")
    facts = notes.answered_facts(query, chosen)
    for i, cand in enumerate(chosen):
        own = [f for f in facts if f.hit.chunk_id == cand.hit.chunk_id]
        lines[i] = notes.as_of_prefix(own, citations[i], query.language, lines[i]) + lines[i]
    extra, conflicts = notes.conflict_lines(
        notes.conflicts_for(context.store, facts, context.gate), citations, query.language
    )
    figure = (
        ""
        if query.asks_person
        else notes.figure_lead(query, chosen, facts, citations, conflicts, context.registry, context.planner.vocabulary)
    )
    leads = [extractive.person_lead(query, chosen, citations), figure, extractive.latest_lead(query, chosen)]
    lead = [line for line in leads if line]
    if query.wants_date:  # 上周四: the day it is, from the source's date
        extra = notes.relative_day_lines(chosen, citations, query.language) + extra
    text = "\n".join(lead + lines + extra)
    return Answer(text, False, citations, language=query.language, conflicts=conflicts, lead=figure)


# A question no single sentence answers (why, challenges …) gets a summary when two or more sentences qualify.
STRATEGIES: tuple[Strategy, ...] = (calculation, table_rows, numbered_list, summary, sentences)


def answer(query: Query, hits: list[Hit], context: Context) -> Answer:
    """The first strategy's answer (the last one always answers or refuses), its own words in the question's
    script: a question in traditional characters gets a traditional frame, the quotes staying as written."""
    for strategy in STRATEGIES:
        result = strategy(query, hits, context)
        if result is not None:
            if query.language == "zh" and is_traditional(query.text):
                result.text = traditional(result.text, tuple(c.quote for c in result.citations))
            return result
    return Answer(extractive.refusal(query), True, [], language=query.language)  # pragma: no cover - see above


def _each_part(query: Query, hits: list[Hit], chosen: list[Candidate], context: Context) -> list[Candidate] | Answer:
    """A multi-part question gets the best sentence for each part; a part no sentence answers makes the whole
    answer a refusal that names it (what was found for the other parts is shown, marked as incomplete)."""
    parts = context.planner.parts(query)
    if not parts:
        return chosen
    metrics = context.planner.vocabulary.metrics
    best = [extractive.select(part, extractive.candidates(part, hits, context.gate), metrics) for part in parts]
    # an item part (一期 of 一期、二期、三期) is named by its item; a clause part by its words
    lacking = [_part_name(part, query) for part, found in zip(parts, best, strict=True) if not found]
    merged: list[Candidate] = []
    for cand in [found[0] for found in best if found] + chosen:
        if all((c.hit.chunk_id, c.start) != (cand.hit.chunk_id, cand.start) for c in merged):
            merged.append(cand)
    merged = merged[: max(extractive.MAX_SENTENCES, len(parts))]
    if not lacking:
        return merged
    found_text, citations = extractive.compose(query, [found[0] for found in best if found])
    text = extractive.partial_refusal(query, lacking, found_text)
    return Answer(text, True, citations, language=query.language)


def _part_name(part: Query, query: Query) -> str:
    return "、".join(part.required) if part.text == query.text and part.required else part.text


def _nowhere(name: str, searched: str, store: Store, vocabulary: Vocabulary) -> bool:
    """No chunk of the whole index names the organisation (not just the evidence retrieved for this question), in
    its own words or as Chinese writes it (Big Fund: 大基金)."""
    key = normalise_for_match(name).replace(" ", "")
    forms = [normalise_for_match(f).replace(" ", "") for f in vocabulary.renderings(name.lower()) if len(f) > 1]
    if key in searched or any(f in searched for f in forms):
        return False
    hits = store.keyword(tokenize(name), 20) if store.count() else []
    return not any(key in normalise_for_match(h.text).replace(" ", "") for h in hits)


def _unknown_subject(query: Query, missing: list[str], gate: Gate) -> bool:
    """Unless both subject (a company, or an organisation or product the gate found named) and metric are known,
    most of the question's content words must be in the evidence."""
    known = bool(query.companies or query.organisations or query.products) and bool(query.main_metrics)
    terms = [t for t in query.key_terms if not gate.question_word(t)]  # 多大, 哪天: they ask, they name nothing
    missing = [t for t in missing if not gate.attribute_word(t)]  # the gate found its attribute (128 核: 核心)
    return not known and bool(terms) and len([t for t in missing if t in terms]) * 2 > len(terms)
