"""The offline answerer: choose the evidence sentences that answer the question and cite each one.

Deterministic and LLM-free. A sentence qualifies only if it names the asked company, metric and period (when the
question names them) and carries a figure when a figure is asked for; otherwise the answer is a refusal.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from assistant.answer.frame import has_unit, product_codes, sentence_periods
from assistant.answer.gate import Gate, asks_why, document_year, other_products, section_before
from assistant.answer.operands import period_key
from assistant.answer.people import person_names, romanised
from assistant.answer.query import Query, contains
from assistant.entities import Registry
from assistant.facts import MONEY_METRICS, Fact, decode
from assistant.numbers import parse_quantities
from assistant.periods import RELATIVE_DAY
from assistant.text import has_cjk, has_word, normalise_for_match, split_sentences
from assistant.tokenize import tokenize
from assistant.types import Citation, Hit

_DATE = re.compile(
    r"\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s\d{1,2}"
    r"|\d{1,2}\s(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|\d{4}年第?[一二三四1-4]季度|\d{4}年[上下]半年|q[1-4]\s?\d{4}|(first|second|third|fourth) quarter of \d{4}",
    re.I,
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")

_YEAR_WORDS = ("哪年", "哪一年", "which year", "what year")
_RELIABILITY_BONUS = {"primary": 0.4, "news": 0.2, "digest": 0.0, "user": -0.3}
MAX_SENTENCES = 4


@dataclass
class Candidate:
    """One evidence sentence and how well it answers the question."""

    hit: Hit
    start: int
    end: int
    text: str
    score: float = 0.0
    companies: tuple[str, ...] = ()
    period: str = ""  # the latest period of the asked metric's figures in the sentence ('' when none)


def candidates(query: Query, hits: list[Hit], gate: Gate, misses: Counter[str] | None = None) -> list[Candidate]:
    """Every sentence of the evidence that the relevance gate admits, scored, best first.

    ``misses`` (when given) counts, for sentences about the asked subject, which part of the question they miss.
    """
    seen: set[str] = set()
    missed: set[str] = set()
    found: list[Candidate] = []
    question_tokens = set(tokenize(query.text))
    for hit in hits:
        stated = decode(str(hit.metadata.get("facts", "")))
        for start, end in split_sentences(hit.text):
            text = hit.text[start:end]
            key = normalise_for_match(text)
            if key in seen or len(text) < 6 or is_heading(hit.text, start, end) or _ABOUT_SOURCE.match(key):
                continue
            if _in_table(hit.text, start):  # a table row says nothing without its table (see tables.py)
                continue
            candidate = Candidate(hit, start, end, text, companies=tuple(gate.registry.mentions(text)))
            verdict = gate.judge(query, hit, start, end, candidate.companies)
            if not verdict.admitted:
                if misses is not None and verdict.missing != "subject" and key not in missed:
                    misses[verdict.missing] += 1
                    missed.add(key)
                continue
            own_facts = [f for f in stated if start <= f.start < end]
            if _figures_of_other_measures(query, own_facts) and _all_filed(text, own_facts):
                if misses is not None:
                    misses["qualifier"] += 1
                continue
            crossed = _crossed(query, key, gate) if query.language == "en" and has_cjk(text) else 0.0
            # the asked step of an event (申请获受理), or an asked attribute (保荐人 of 上市), stands for the measure
            step = _event_step(query, text, gate) or (not query.wants_number and gate.names_attribute(query, key))
            score = _score(query, candidate, key, question_tokens, gate.vocabulary.metrics, crossed, step)
            if score is not None:
                score += _fact_bonus(query, own_facts) + _product_bonus(query, key, gate.registry)
                score += 2.0 if query.asks_person and person_names(text) else 0.0
                score += 2.0 if query.required and all(normalise_for_match(r) in key for r in query.required) else 0.0
                if len(query.products) > 1:  # 910C vs H100: a sentence naming both asked products ranks first
                    score += 2.0 * len(set(query.products) & set(product_codes(text))) / len(query.products)
                candidate.score = score
                asked = [f.period for f in own_facts if f.metric.split(".")[0] in query.main_metrics and f.period]
                candidate.period = max(asked, key=period_key, default="")
                found.append(candidate)
                seen.add(key)  # once found; a sentence another chunk cut short may still be found in the next
    found.sort(key=lambda c: -c.score)
    return found


_WRAPPED = re.compile(r"^(?:\*\*.*\*\*|“[^”]*”|「[^」]*」|【[^】]*】|《[^》]*》|\"[^\"]*\")$")


# A sentence about the source itself (这是…发布的公告, 本文概述…, This brief covers…) states no fact about the subject.
_ABOUT_SOURCE = re.compile(
    r"^(?:这是|本文|该文本|该文|文章|报道依据|报道解读|该页面|该研报|该摘要|该简报|该帖|"
    r"this (?:brief|article|page|report|item|summary|note)|the (?:page|brief|article|report|item) (?:is|was|covers))"
    r"(?!认为|称|指出|表示|提到|分析|argues|says|notes)"  # 文章认为…: the source's claim, not the source itself
)


def _in_table(text: str, start: int) -> bool:
    """The sentence is (part of) a Markdown table row."""
    return text[text.rfind("\n", 0, start) + 1 :].lstrip().startswith("|")


def is_heading(text: str, start: int, end: int) -> bool:
    """A heading, caption or pull quote states nothing: a '#' line, a line wholly in bold, quotes or brackets, or
    a short line of its own without sentence punctuation (table rows excepted)."""
    sentence = text[start:end].strip()
    if sentence.startswith("#") or _WRAPPED.match(sentence):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end].strip()
    if line != sentence or "|" in sentence or _ENDS_SENTENCE.search(sentence):
        return False
    words = sentence.split()
    title_case = len(words) >= 4 and sum(w[:1].isupper() or not w[:1].isalpha() for w in words) >= 0.7 * len(words)
    caption = bool(_LABEL.match(sentence))  # 联合创始人、CTO：杨建（…）
    return len(sentence) <= 30 or title_case or caption


_LABEL = re.compile(r"^[^，,：:]{1,24}[：:]\s*\S")


_ENDS_SENTENCE = re.compile(r"[。！？；!?;…]|\.(?:\s|$)")


def _figures_of_other_measures(query: Query, facts: list[Fact]) -> bool:
    """Every figure the ingest attached to this sentence measures something other than the asked metric (a market
    value beside the words "offer price", a growth rate for a share question): the sentence cannot answer a
    question for that metric's figure."""
    figures = [m for m in query.main_metrics if m not in _EVENT_METRICS]
    if not (query.wants_number and figures and facts):
        return False
    for fact in facts:
        base, _, modifier = fact.metric.partition(".")
        if modifier and modifier not in query.metrics:
            continue  # a growth rate never answers for the level (nor a level for a growth question)
        if base in figures:
            return False
        if query.units and has_unit(fact.quantity.unit, fact.quantity.currency, query.units):
            return False  # the asked unit frames the figure (多少钱 for a round the extractor filed as proceeds)
    return True


def _all_filed(text: str, facts: list[Fact]) -> bool:
    """Every figure of the sentence is one the ingest filed as a fact (an unfiled one, 每秒2千万亿次 beside a filed
    7纳米, may be the asked measure)."""
    filed = {f.quantity.text.strip() for f in facts}
    return all(q.text.strip() in filed for q in parse_quantities(text) if q.unit or q.currency or q.value >= 10)


_STATED_BY = {"founder": "founded"}  # a role the sentence states through its event's verb (X创立的, founded by X)
_EVENT_METRICS = frozenset({"listing", "founded", "founder"})  # words of events, not of figures


def _fact_bonus(query: Query, facts: list[Fact]) -> float:
    """A sentence whose own figure is the asked metric (not just a mention of its word) ranks higher."""
    asked = [f for f in facts if f.metric.split(".")[0] in query.main_metrics]
    if not asked or not query.wants_number:
        return 0.0
    bonus = 1.5
    if query.companies and any(f.company in query.companies for f in asked):
        bonus += 0.5
    return bonus


def _product_bonus(query: Query, norm: str, registry: Registry) -> float:
    """ "Which 昇腾 products": a sentence naming a product right after an asked company's name (昇腾 300I) ranks
    above one naming other makers' products."""
    if not query.asks_product or not query.companies:
        return 0.0
    names = [normalise_for_match(n) for c in query.companies for n in registry[c].names]
    return 3.0 if any(re.search(rf"{re.escape(n)}\s?[a-z]{{0,5}}-?\d", norm) for n in names if n) else 0.0


def _crossed(query: Query, norm: str, gate: Gate) -> float:
    """For an English question over a Chinese sentence: the share of its content words the sentence writes in
    Chinese (names.yaml, the glossary), the cross-language stand-in for word overlap."""
    terms = query.key_terms  # an attribute word the gate has already required counts as met (clock speed: 主频)
    if not terms:
        return 0.0
    names = gate.vocabulary.names_in(normalise_for_match(query.text))  # Commerce Department: one name, one term
    units: list[list[str]] = [[t for t in terms if has_word(n, t)] for n in names]
    units = [u for u in units if u] + [[t] for t in terms if not any(has_word(n, t) for n in names)]
    met = sum(1 for unit in units if any(gate.framed(t) or gate.mentioned(t, query, norm) for t in unit))
    return met / len(units)


def _score(
    query: Query,
    cand: Candidate,
    norm: str,
    question_tokens: set[str],
    metrics: Mapping[str, tuple[str, ...]],
    crossed: float = 0.0,
    stated_otherwise: bool = False,
) -> float | None:
    score = 0.0
    if query.companies:
        score += 3.0 if set(query.companies) & set(cand.companies) else 1.0
    main = query.main_metrics
    if main:
        named = any(contains(norm, w) for m in main for w in metrics[m]) or _in_units(main, norm)
        if not named and asks_why(query):  # a reason names its measure earlier in the section (出售资产的目的是…)
            earlier = normalise_for_match(section_before(cand.hit, cand.start))
            named = any(contains(earlier, w) for m in main for w in metrics[m])
        if not named and not _stated_by(main, norm, metrics, cand) and not stated_otherwise:
            return None
        score += 3.0
    if "growth" in query.metrics and (any(contains(norm, w) for w in metrics["growth"]) or "%" in norm):
        score += 1.0
    if query.period.labels or query.period.part:
        score += 2.0
    if query.wants_number:
        compared = len(query.products) > 1  # 910C vs H100: "about 60%" is the answer
        if not _has_figure(cand.text, query.units) or (not compared and _only_other_units(query, cand.text)):
            return None
        score += 1.0
    if query.wants_date:
        pattern = _YEAR if _asks_year(query) else _DATE
        relative = not _asks_year(query) and RELATIVE_DAY.search(cand.text) and cand.hit.metadata.get("published")
        # 上周四 in a dated article is a day (periods.py); a month without its year (今年1月) dates only the event
        # in its clause
        if not pattern.search(cand.text) and not relative:
            if _asks_year(query) or not _states_month(cand):
                return None
            if main and not _dated_event(cand.text, [w for m in main for w in metrics[m]]):
                return None
        score += 1.0
    context = norm + " " + normalise_for_match(str(cand.hit.metadata.get("title", "")))
    if query.key_terms:
        covered = sum(1 for t in query.key_terms if t in context)
        score += 2.0 * covered / len(query.key_terms)
    overlap = max(crossed, len(question_tokens & set(tokenize(cand.text))) / max(1, len(question_tokens)))
    pinned = query.companies or query.organisations or query.products or query.required  # the subject is checked
    if not (pinned or main or query.periods) and overlap < 0.3:
        return None
    score += 2.0 * overlap
    score += 1.0 / (cand.hit.rank or 1)
    score += _RELIABILITY_BONUS.get(str(cand.hit.metadata.get("reliability", "")), 0.0)
    return score


# A figure in its unit states its measure (7nm tech: a process node).
_MEASURE_UNITS = {"process": re.compile(r"\d\s?(?:nm|纳米)(?![a-z])")}


def _in_units(main: tuple[str, ...], norm: str) -> bool:
    return any(m in _MEASURE_UNITS and _MEASURE_UNITS[m].search(norm) for m in main)


def _event_step(query: Query, text: str, gate: Gate) -> bool:
    """The sentence states the asked step of an event, which names the event (申请获受理: the listing
    application's acceptance)."""
    if not query.qualifiers or not set(query.main_metrics) <= _EVENT_METRICS:
        return False
    return query.qualifiers <= gate.vocabulary.qualifiers(text)


def _stated_by(main: tuple[str, ...], norm: str, metrics: Mapping[str, tuple[str, ...]], cand: Candidate) -> bool:
    """A role the sentence states through its event's verb and a person's name (张建中创立的摩尔线程: its founder;
    "founded by former AMD engineers" names nobody)."""
    verbs = [w for m in main if m in _STATED_BY for w in metrics[_STATED_BY[m]]]
    return any(contains(norm, w) for w in verbs) and bool(person_names(cand.text))


def _dated_event(text: str, words: list[str]) -> bool:
    """Some clause of the sentence holds both a date and a word of the asked event (成立, listed …): the date of
    another event in the same sentence (今年7月又宣布获得融资) does not date this one."""
    clauses = re.split(r"[，,；;]", normalise_for_match(text))
    dated = [c for c in clauses if _DATE.search(c) or _MONTH.search(c) or _YEAR.search(c)]
    return any(contains(c, w) for c in dated for w in words) or len(clauses) == 1


def _states_month(cand: Candidate) -> bool:
    """The sentence dates something to a month or day, a relative year included (今年1月 in a 2022 article)."""
    labels = sentence_periods(cand.text, document_year(cand.hit))
    return any(re.match(r"\d{4}-\d\d", label) for label in labels) or bool(_MONTH.search(cand.text))


_MONTH = re.compile(
    r"(?<![\d.])\d{1,2}\s?月(?!份额)|\b(?:january|february|march|april|june|july|august|september|october|"
    r"november|december)\b",
    re.I,
)


def _asks_year(query: Query) -> bool:
    text = query.text.lower()
    return any(w in text for w in _YEAR_WORDS)


# Measures never stated as a share or in money (a computing power is not 94.82% of revenue).
_NOT_IN_SHARES_OR_MONEY = frozenset({"performance", "transistors", "memory", "process"})


_ASKS_SHARE = re.compile(r"占|比例|比重|几成|百分之|(?<![a-z])(?:share|percent|percentage|proportion)(?![a-z])")
_SUMS_OF_MONEY = frozenset({"revenue", "net_loss", "net_profit", "rd", "proceeds", "offer_price", "market_cap"})


def _only_other_units(query: Query, text: str) -> bool:
    """The asked measure is a physical one, and every figure of the sentence is a percentage or a sum of money; or
    it is a sum of money (its level: growth asks no main metric of its own), and every figure is a percentage
    (569% above its IPO price is no price) and no growth is asked."""
    main = query.main_metrics
    if not main:
        return False
    found = parse_quantities(text)
    if set(main) <= _SUMS_OF_MONEY and not query.growth and not _ASKS_SHARE.search(normalise_for_match(query.text)):
        return bool(found) and all(q.unit == "%" for q in found)
    return set(main) <= _NOT_IN_SHARES_OR_MONEY and all(q.unit == "%" or q.currency for q in found)


def _has_figure(text: str, units: frozenset[str] = frozenset()) -> bool:
    """The sentence states a figure (not a bare small count), of an asked unit when the question names one."""
    found = [q for q in parse_quantities(text) if q.currency or q.unit or q.value >= 10 or "." in q.text]
    return any(has_unit(q.unit, q.currency, units) for q in found) if units else bool(found)


def with_antecedents(chosen: list[Candidate], chunks_of: Callable[[str], list[Hit]]) -> list[Candidate]:
    """A reason sentence that points back (基于上述因素，…; 因此…) is preceded by the sentences it points to: the three
    before it (read from the previous chunk when it opens its chunk), each cited."""
    result: list[Candidate] = []
    for cand in chosen:
        if _BACK_REFERENCE.match(normalise_for_match(cand.text)):
            hit, end = _text_before(cand, chunks_of)  # "the above": the sentences before it, across paragraphs
            for start, stop in list(split_sentences(hit.text[:end]))[-3:]:
                earlier = Candidate(hit, start, stop, hit.text[start:stop], cand.score, cand.companies)
                if all((c.hit.chunk_id, c.start) != (hit.chunk_id, earlier.start) for c in result):
                    result.append(earlier)
        result.append(cand)
    return result


def _text_before(cand: Candidate, chunks_of: Callable[[str], list[Hit]]) -> tuple[Hit, int]:
    """The chunk holding the text just before the sentence, and where the sentence starts in it."""
    if cand.hit.text[: cand.start].strip():
        return cand.hit, cand.start
    index = int(cand.hit.metadata.get("chunk_index", 0))
    previous = [h for h in chunks_of(cand.hit.doc_id) if int(h.metadata.get("chunk_index", -1)) == index - 1]
    if not previous:
        return cand.hit, cand.start
    at = previous[0].text.find(cand.text[:12])  # chunks overlap: the sentence may end the previous chunk too
    return previous[0], at if at >= 0 else len(previous[0].text)


_BACK_REFERENCE = re.compile(r"^(?:基于上述|基于以上|综上|鉴于上述|鉴于此|基于此|因此|所以|由此|for these reasons)")


def uncovered_terms(query: Query, chosen: list[Candidate], gate: Gate) -> list[str]:
    """Key terms of the question that none of the chosen evidence (sentence, chunk or title) mentions, in the
    question's words or (for English words) as Chinese text writes them."""
    context = " ".join(normalise_for_match(c.hit.text + " " + str(c.hit.metadata.get("title", ""))) for c in chosen)
    return [t for t in query.key_terms if not gate.mentioned(t, query, context)]


def select(query: Query, found: list[Candidate], metrics: Mapping[str, tuple[str, ...]]) -> list[Candidate]:
    """The best sentence, one per asked company for comparisons, plus close runners-up from other sources."""
    if not found:
        return []
    if wants_latest(query):
        found = _latest_first(found)
    chosen: list[Candidate] = []
    comparison = query.companies if len(query.companies) > 1 else ()
    for company in comparison:
        best = next((c for c in found if company in c.companies), None)
        if best is not None and best not in chosen:
            chosen.append(best)
    if not chosen:
        chosen.append(found[0])
    for metric in query.main_metrics[1:]:  # a question asking for several metrics gets each one
        words = metrics[metric]
        best = next((c for c in found if any(contains(normalise_for_match(c.text), w) for w in words)), None)
        if best is not None and best not in chosen and len(chosen) < MAX_SENTENCES:
            chosen.append(best)
    chosen += _items_of_the_source(query, found, chosen)
    # "到底是多少" / "do the reports agree": the asker expects sources to differ, so other figures count
    doubted = bool(_DOUBTED.search(normalise_for_match(query.text))) or query.wants_date  # sources' dates differ
    floor = chosen[0].score - (4.0 if doubted else 1.5)
    lead = normalise_for_match(chosen[0].text)
    codes = re.findall(r"[a-z]+\d+[a-z]*", normalise_for_match(query.text))  # BF16, BR100, 910C
    required = [t for t in codes if t in lead]  # model and format codes the best sentence matched, others must too
    # A product's figure, or one of a measure we file no facts for (TOPS, GB/s), never reaches the conflict notes:
    # other values of its unit about the same subject are shown beside it, as for a doubted figure.
    measured = not query.main_metrics  # (a measure with a unit of its own: a share or a count is too common a unit)
    unfiled = query.wants_number and (measured or (bool(query.products) and not _filed(chosen[0])))
    runners = [
        c
        for c in found
        if c not in chosen
        and (c.score >= floor or (unfiled and c.score + 4 >= chosen[0].score and _new_values(c, chosen[:1], measured)))
        and all(t in normalise_for_match(c.text) for t in required)
    ]
    # Other sources first (they may disagree), then sentences of a chosen source that add a new kind of figure.
    for same_source in (False, True):
        for cand in runners:
            if len(chosen) >= MAX_SENTENCES or cand in chosen or _same_figures(cand, chosen):
                continue
            if any(c.hit.doc_id == cand.hit.doc_id for c in chosen) != same_source:
                continue
            other = (doubted and _new_values(cand, chosen)) or (unfiled and _new_values(cand, chosen, measured))
            named = not query.wants_number and _new_products(cand, chosen)  # another series answers "what series"
            adds = _new_figures(cand, chosen) or other or named or query.asks_list
            if same_source and not adds:  # a list's further items are often the source's next sentences
                continue
            chosen.append(cand)
    return _each_product(query, found, chosen)


MAX_ITEMS = 6


def listed_one_per_sentence(query: Query, found: list[Candidate]) -> list[Candidate]:
    """For a list question no single sentence enumerates: the best source's sentences that each name another
    product (at least two of them), or none."""
    if not found:
        return []
    items = [found[0], *_items_of_the_source(query, found, found[:1])]
    return items if len(items) >= 2 else []


def _items_of_the_source(query: Query, found: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
    """A list asked for ("哪些", "which chips") that its best source gives one item per sentence (950PR … 2026年第一
    季度推出. 950DT … 960 …): that source's sentences scoring as well as the best one, each naming a product not yet
    named, in the source's order."""
    if not (query.asks_list or query.asks_product) or query.wants_number:
        return []
    top = chosen[0]
    items = [
        c
        for c in found
        if c not in chosen
        and c.hit.doc_id == top.hit.doc_id
        and c.score >= top.score - 0.5
        and set(other_products(query, c.text)) - set(products_named(query, chosen))
    ]
    items = items[: MAX_ITEMS - len(chosen)]
    return sorted(items, key=lambda c: (c.hit.chunk_id, c.start)) if items else []


def _each_product(query: Query, found: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
    """ "哪两款": sentences naming further products until as many as asked are named (one table row each)."""
    for cand in found:
        if len(products_named(query, chosen)) >= query.asks_count:
            break
        if cand not in chosen and set(other_products(query, cand.text)) - set(products_named(query, chosen)):
            chosen.append(cand)
    return chosen


def products_named(query: Query, chosen: list[Candidate]) -> list[str]:
    """The products the chosen sentences name besides the asked ones (what a "which" question's answer lists)."""
    return list(dict.fromkeys(code for c in chosen for code in other_products(query, c.text)))


def wants_latest(query: Query) -> bool:
    """A figure question naming no period (壁仞营收), or asking for the latest (last year, 最新): the latest period
    the sources state answers it."""
    unnamed = not (query.period.labels or query.period.part)
    periodic = any(m in _PERIODIC for m in query.main_metrics)
    asks_when = query.wants_date or _ASKS_WHEN.search(normalise_for_match(query.text))
    named = bool(query.companies)  # the latest period *of this company's* figure
    return query.wants_number and named and periodic and not asks_when and (unnamed or query.period.latest)


# Figures reported period by period (the latest one answers an unnamed period); a chip's process node and an IPO's
# proceeds are not.
_PERIODIC = (MONEY_METRICS - {"proceeds"}) | {
    "gross_margin",
    "shipments",
    "market_share",
    "employees",
    "cash_flow",
    "subscription",
}
_ASKS_WHEN = re.compile(
    r"哪个季度|哪一季|哪年|哪一年|哪个月|第一次|首次|首个|最早|which quarter|which year|first time|earliest"
)


def _latest_first(found: list[Candidate]) -> list[Candidate]:
    """Close candidates (within 3 points of the best) reordered by the period their figure is for, latest first."""
    if not found:
        return found
    floor = found[0].score - 3.0
    close = [c for c in found if c.score >= floor]
    rest = [c for c in found if c.score < floor]
    return sorted(close, key=lambda c: (period_key(c.period), c.score), reverse=True) + rest


def person_lead(query: Query, chosen: list[Candidate], citations: list[Citation]) -> str:
    """ "Who …": the people the best sentence names, stated first with its citation (romanised in English:
    ``Zhang Jianfeng (张建锋) [1]``), or '' when it names none (a runner-up's name may answer something else: the
    CEO quoted beside the round's lead investors) or when a round's investors are asked (organisations, mostly)."""
    if not query.asks_person or "funding" in query.metrics:
        return ""
    for cand, citation in list(zip(chosen, citations, strict=False))[:1]:
        names = person_names(cand.text)
        if names:
            if query.language == "zh":
                return f"{'、'.join(names)} [{citation.n}]"
            shown = [n if romanised(n) == n else f"{romanised(n)} ({n})" for n in names]
            return f"{', '.join(shown)} [{citation.n}]"
    return ""


def latest_lead(query: Query, chosen: list[Candidate]) -> str:
    """The line that says an unnamed period was answered with the latest one stated, or ''."""
    if not chosen or not chosen[0].period or not wants_latest(query):
        return ""
    label = chosen[0].period
    if query.language == "zh":
        return f"问题未指明期间，以下按语料中最新的一期（{label}）作答："
    return f"No period was named, so this gives the latest one the sources state ({label}):"


_DOUBTED = re.compile(r"到底|究竟|说法不一|是否一致|对得上|(?<![a-z])(?:agree|disagree|conflict|conflicting|differ)")


def _filed(cand: Candidate) -> bool:
    """The ingest read a fact from the sentence (so the conflict notes compare it with other sources)."""
    stated = decode(str(cand.hit.metadata.get("facts", "")))
    return any(cand.start <= f.start < cand.end for f in stated)


def _new_values(cand: Candidate, chosen: list[Candidate], measured: bool = False) -> bool:
    """A sentence stating a figure of a unit the chosen ones state, with a value none of them has (200 vs 250);
    ``measured``: of a unit of measure (TOPS, GB/s), not a share, count or amount of money."""
    have = {
        (q.unit, q.currency, q.value)
        for c in chosen
        for q in parse_quantities(c.text)
        if not measured or (q.unit not in ("", "%") and not q.currency)
    }
    units = {(u, c) for u, c, _ in have}
    return any(
        (q.unit, q.currency) in units and (q.unit, q.currency, q.value) not in have for q in parse_quantities(cand.text)
    )


def _new_figures(cand: Candidate, chosen: list[Candidate]) -> bool:
    """A sentence that adds a kind of figure (unit or currency) none of the chosen ones has."""
    have = {(q.unit, q.currency) for c in chosen for q in parse_quantities(c.text)}
    return any((q.unit, q.currency) not in have for q in parse_quantities(cand.text))


def _new_products(cand: Candidate, chosen: list[Candidate]) -> bool:
    """A sentence naming a product code none of the chosen ones names."""
    have = {code for c in chosen for code in product_codes(c.text)}
    return bool(set(product_codes(cand.text)) - have)


def _same_figures(cand: Candidate, chosen: list[Candidate]) -> bool:
    figures = {q.value for q in parse_quantities(cand.text)}
    return any(figures and figures == {q.value for q in parse_quantities(c.text)} for c in chosen)


def compose(query: Query, chosen: list[Candidate]) -> tuple[str, list[Citation]]:
    """Answer text where every sentence ends with ``[n]``, and the numbered citations."""
    citations: list[Citation] = []
    lines: list[str] = []
    for n, cand in enumerate(chosen, start=1):
        citations.append(make_citation(n, cand.hit, cand.start, cand.end))
        lines.append(_line(query, cand, citations[-1]))
    return "\n".join(lines), citations


def make_citation(n: int, hit: Hit, start: int, end: int) -> Citation:
    """Citation ``n`` quoting ``hit.text[start:end]`` (offsets become the document's)."""
    meta = hit.metadata
    base = int(meta.get("start", 0))
    page = int(meta.get("page", -1))
    return Citation(
        n=n,
        doc_id=hit.doc_id,
        chunk_id=hit.chunk_id,
        title=str(meta.get("title", "")),
        publisher=str(meta.get("publisher", "")),
        url=str(meta.get("url", "")),
        published=str(meta.get("published", "")),
        page=page if page > 0 else None,
        quote=hit.text[start:end],
        start=base + start,
        end=base + end,
        source_id=str(meta.get("source_id", "")),
        reliability=str(meta.get("reliability", "")),
        author=str(meta.get("author", "")),
        title_kind=str(meta.get("title_kind", "")),
    )


def _line(query: Query, cand: Candidate, citation: Citation) -> str:
    if query.language == "zh":
        return f"{cand.text.rstrip()}[{citation.n}]"
    if not has_cjk(cand.text):
        return f"{cand.text.rstrip()} [{citation.n}]"
    who = citation.publisher or citation.title
    when = f", {citation.published}" if citation.published else ""
    figures = [q for q in parse_quantities(cand.text) if has_cjk(q.text)]
    english = "; ".join(f"{q.text} = {q.english()}" for q in figures)
    units = f" (in English units: {english})" if english else ""
    return f"Per {who}{when}: “{cand.text.rstrip()}”{units} [{citation.n}]"


_PARTS = {
    "product": ("该型号", "that product model"),
    "product_answer": ("所问的产品型号", "the product asked for"),
    "list": ("列出多项的句子", "a sentence listing the items asked for"),
    "period": ("所问期间的数字", "a figure for the period asked"),
    "qualifier": (
        "所问口径的数字（而非累计、分部或其他口径）",
        "the measure asked (not a cumulative, segment or other basis)",
    ),
    "terms": ("问题所问的具体内容", "what the question asks about"),
    "reason": ("说明原因的句子", "a sentence giving the reason"),
    "amount": ("问题中提到的数额", "the amount the question names"),
}


def missing_part(miss: str, language: str, gate: Gate) -> str:
    """How a refusal names the part of the question no evidence sentence covers."""
    if miss.startswith("@"):  # a required attribute: name it by its first word in the answer's language
        words = gate.attribute_words(miss)
        english = [w for w in words if w.isascii()]
        return words[0] if language == "zh" or not english else english[0]
    named = _PARTS.get(miss)
    if named is None:
        return miss
    return named[0] if language == "zh" else named[1]


def refusal(query: Query, missing: list[str] | None = None) -> str:
    """The polite 'the corpus does not know' answer, naming what was looked for; no figure stated."""
    asked = _asked(query)
    if query.language == "zh":
        detail = f"（检索内容：{asked}）" if asked else ""
        extra = f"；语料未提及：{'、'.join(missing)}" if missing else ""
        return f"语料中没有找到能回答这个问题的来源{detail}{extra}。"
    detail = f" (looked for: {asked})" if asked else ""
    extra = f"; not mentioned anywhere: {', '.join(missing)}" if missing else ""
    return f"The corpus has no source that answers this{detail}{extra}."


def outside(query: Query, names: list[str], registry: Registry) -> str:
    """The refusal for organisations no source mentions: named as outside the corpus, with the companies it
    tracks (no figure stated)."""
    if query.language == "zh":
        tracked = "、".join(c.name_zh for c in registry.companies.values())
        return f"语料中没有关于{'、'.join(names)}的来源：它不在已收录的资料里。语料重点收录的公司有：{tracked}。"
    tracked = ", ".join(c.name_en for c in registry.companies.values())
    return (
        f"The corpus has no source about {', '.join(names)}: it is outside the articles indexed. "
        f"The companies the corpus tracks: {tracked}."
    )


def partial_refusal(query: Query, lacking: list[str], found_text: str) -> str:
    """A multi-part question answered only in part: which parts the corpus does not answer, then (marked as not
    the whole answer) the cited sentences found for the others."""
    if query.language == "zh":
        head = f"只能回答这个问题的一部分：语料中没有找到这部分的答案：{'；'.join(lacking)}。"
        return f"{head}\n以下是其余部分的来源（并非完整答案）：\n{found_text}"
    head = f"I can answer only part of this; the corpus does not answer: {'; '.join(lacking)}."
    return f"{head}\nWhat the sources give for the other parts (not a full answer):\n{found_text}"


def _asked(query: Query) -> str:
    parts = list(query.companies) + [m for m in query.metrics] + [f"{p.year}{p.part}" for p in query.periods]
    return ", ".join(parts)
