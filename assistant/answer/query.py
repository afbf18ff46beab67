"""Question analysis: language, companies, metrics, periods, question type; follow-ups inherit context."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from assistant.answer.frame import (
    ASKING,
    PeriodAsk,
    asked_units,
    clause_texts,
    organisations,
    period_ask,
    product_codes,
    qualifiers,
)
from assistant.answer.lexicon import (
    DATE_WORDS,
    ENGLISH_FUNCTION_WORDS,
    GENERIC_TERMS,
    METRICS,
    MODIFIER_METRICS,
    PERIOD_PARTS,
    QUANTITY_WORDS,
    WHO_WORDS,
)
from assistant.entities import Registry
from assistant.text import has_cjk, normalise_for_match
from assistant.tokenize import tokenize

_YEAR = re.compile(r"(?<!\d)(20[0-4]\d|199\d)(?!\d)")
_FY = re.compile(r"fy\s?(20\d\d)", re.I)


@dataclass(frozen=True)
class Period:
    """A year, optionally with a part (H1, Q3, 9M); part '' means the year as a whole or unspecified."""

    year: str
    part: str = ""


@dataclass(frozen=True)
class Query:
    """What a question asks, after follow-up context is applied."""

    text: str
    language: str
    companies: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    periods: tuple[Period, ...] = ()
    wants_number: bool = False
    wants_date: bool = False
    key_terms: tuple[str, ...] = ()
    inherited: dict[str, Any] = field(default_factory=dict)
    products: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    qualifiers: frozenset[str] = frozenset()
    period: PeriodAsk = PeriodAsk()
    names: tuple[str, ...] = ()  # English key terms written capitalised or with digits (names, codes)
    units: frozenset[str] = frozenset()  # the units an answering figure may have (多少股 → shares), or any
    required: tuple[str, ...] = ()  # words an answering sentence must contain (one item of 一期、二期、三期)

    @property
    def main_metrics(self) -> tuple[str, ...]:
        """Metrics other than modifiers such as growth."""
        return tuple(m for m in self.metrics if m not in MODIFIER_METRICS)


# "哪一款显卡" asks for a product, not a figure (unless it also asks 多少).
_WHICH_ONE = ("哪一款", "哪款", "哪个型号", "哪一个型号", "which card", "which chip", "which model", "which product")


def _find_terms(text: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    found = []
    for key, words in table.items():
        if any(contains(text, w) for w in words):
            found.append(key)
    return found


def contains(text: str, word: str) -> bool:
    """True when `word` occurs in `text`; ASCII words must stand alone (no letter or digit either side)."""
    if word.isascii() and word[:1].isalnum():
        return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None
    return word in text


def find_metrics(text: str) -> list[str]:
    """Metric keys named in a text (normalised, lower-case input)."""
    return _find_terms(text, METRICS)


def find_periods(text: str) -> list[Period]:
    """Periods named in a text: years with an optional half, quarter or nine-month part."""
    norm = normalise_for_match(text)
    years = list(dict.fromkeys(_YEAR.findall(norm) + _FY.findall(norm)))
    parts = _find_terms(norm, PERIOD_PARTS)
    if "9M" in parts:
        parts = [p for p in parts if p not in ("Q3",)]
    if not years:
        return []
    if len(parts) == 1:
        return [Period(y, parts[0]) for y in years]
    return [Period(y) for y in years]


def analyse(question: str, registry: Registry) -> Query:
    """Analyse one question on its own."""
    norm = normalise_for_match(question)
    companies = tuple(registry.mentions(question))
    metrics = tuple(find_metrics(norm))
    if any(contains(norm, w) for w in WHO_WORDS) and "founded" in metrics:
        metrics = tuple(m for m in metrics if m != "founded") + ("founder",)
    periods = tuple(find_periods(question))
    wants_date = any(contains(norm, w) for w in DATE_WORDS)
    wants_number = (
        not wants_date
        and (any(contains(norm, w) for w in QUANTITY_WORDS) or bool(set(metrics) - {"founder", "founded", "listing"}))
        and not any(contains(norm, w) for w in WHO_WORDS)
        and not (any(contains(norm, w) for w in _WHICH_ONE) and not any(contains(norm, w) for w in QUANTITY_WORDS))
    )
    return Query(
        text=question.strip(),
        language="zh" if has_cjk(question) else "en",
        companies=companies,
        metrics=metrics,
        periods=periods,
        wants_number=wants_number,
        wants_date=wants_date,
        key_terms=tuple(_key_terms(question, registry)),
        products=tuple(product_codes(question)),
        organisations=tuple(organisations(question, registry, _vocabulary(registry)[0])),
        qualifiers=qualifiers(question),
        period=period_ask(question),
        names=tuple(_names(question)),
        units=asked_units(question),
    )


@lru_cache(maxsize=4)
def _vocabulary(registry: Registry) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Metric and period words, company-alias tokens and aliases: computed once per registry."""
    covered = frozenset(normalise_for_match(w) for words in (*METRICS.values(), *PERIOD_PARTS.values()) for w in words)
    alias_tokens = frozenset(t for name in registry.all_names() for t in tokenize(name))
    alias_text = frozenset(normalise_for_match(n) for n in registry.all_names())
    return covered, alias_tokens, alias_text


def _key_terms(question: str, registry: Registry) -> list[str]:
    """Content words the evidence must cover: not stopwords, metrics, periods, companies or generic words."""
    covered, alias_tokens, alias_text = _vocabulary(registry)
    terms: list[str] = []
    chinese = has_cjk(question)
    norm = normalise_for_match(question)
    phrases = " ".join(w for w in covered if " " in w and contains(norm, w))  # "gross margin", "first half"
    for token in dict.fromkeys(tokenize(_QUESTION_WORDS.sub(" ", question))):
        if token in GENERIC_TERMS or token in covered or token in alias_tokens or token in alias_text:
            continue
        if token.isascii() and contains(phrases, token):
            continue
        if _YEAR.fullmatch(token) or any(token in w for w in covered if len(token) >= 2 and not token.isascii()):
            continue
        if token.isascii() and not _english_key(token, question, chinese):
            continue
        if not token.isascii() and len(token) < 2:
            continue
        if any(token != other and token in other for other in terms):
            continue
        terms = [t for t in terms if t not in token]
        terms.append(token)
    return terms


# Question words, cut out before segmenting so that 哪天上会 does not yield 天上.
_QUESTION_WORDS = re.compile(r"哪天|哪一天|哪年|哪一年|哪个月|哪家|哪些|哪个|哪款|哪位|哪里|什么时候|什么|多少|是谁|谁")


def _names(question: str) -> list[str]:
    """Lower-cased English words written like names: capitalised (not opening the question) or with digits."""
    found = []
    for m in re.finditer(r"[A-Za-z][A-Za-z0-9&\-]*", question):
        word = m.group(0)
        if (word[0].isupper() and m.start() > 0) or any(c.isdigit() for c in word):
            found.append(word.lower())
    return found


def _english_key(token: str, question: str, chinese: bool) -> bool:
    """English content words are key terms: names, model numbers, and (in English questions) every word that is
    not a function word; a number alone is not."""
    if any(ch.isdigit() for ch in token):
        return not token.replace(".", "").replace(",", "").isdigit()
    if not chinese:
        return len(token) > 1 and token not in ENGLISH_FUNCTION_WORDS
    match = re.search(rf"(?<![A-Za-z])({re.escape(token)})(?![A-Za-z])", question, re.I)
    if match is None:
        return False
    word = match.group(1)
    starts_sentence = match.start() == 0
    return word[:1].isupper() and (not starts_sentence or chinese) and len(word) > 2


_CODE = re.compile(r"(?<![a-z0-9])(?:[a-z]{1,5}\d{2,5}[a-z]{0,2}|\d{3,4}[a-z]{1,2})(?![a-z0-9])")
_FORMAT_CODE = re.compile(r"^(?:fp|bf|int|tf|fy|h|q)\d+$")
_FUNCTION_CHARS = re.compile(r"[的之了是在和与及其这那多少几哪个些年月日家]")
_NAME = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:科技|股份|智能|半导体|微电子|集团)")


def strong_terms(question: str, registry: Registry) -> list[str]:
    """Product codes (S4000, 910C) and company-like names (登临科技) the evidence must mention, or the answer is
    about something else. Number formats (FP16), periods (H1, FY24) and known companies are not included."""
    norm = normalise_for_match(question)
    known = _vocabulary(registry)[2]  # the normalised aliases, computed once per registry
    codes = [c.replace(" ", "") for c in _CODE.findall(norm) if not _FORMAT_CODE.match(c.replace(" ", ""))]
    codes = [c for c in codes if c not in known and not c.isdigit() and not _YEAR.fullmatch(c)]
    names = [
        m.group(0)
        for m in _NAME.finditer(norm)
        if not registry.mentions(m.group(0)) and not _FUNCTION_CHARS.search(m.group(1))
    ]
    return list(dict.fromkeys(codes + names))


FOLLOW_UP_MARKERS = (
    "呢",
    "那",
    "它",
    "其",
    "该公司",
    "这家",
    "and ",
    "what about",
    "how about",
    " its ",
    " it ",
    "their",
)


def with_history(query: Query, history: Sequence[str], registry: Registry) -> Query:
    """Fill what a follow-up leaves out (company, metric, period) from the earlier questions."""
    if not history:
        return query
    previous = [analyse(q, registry) for q in history]
    inherited: dict[str, Any] = {}
    companies, metrics, periods = query.companies, query.metrics, query.periods
    products, period = query.products, query.period
    if not companies and not query.organisations:  # a newly named organisation never takes the previous subject
        source = next((p for p in reversed(previous) if p.companies or p.organisations), None)
        if source and source.companies:
            companies = source.companies
            inherited["companies"] = list(companies)
        if source and source.organisations:
            inherited["organisations"] = list(source.organisations)
        if source and not products and source.products:
            products = source.products
            inherited["products"] = list(products)
    last = previous[-1]
    if not query.main_metrics and last.metrics:
        metrics = tuple(dict.fromkeys((*last.metrics, *metrics)))
        inherited["metrics"] = list(metrics)
    if not periods and not period.part and last.periods and (inherited or _short(query.text)):
        periods, period = last.periods, last.period
        inherited["periods"] = [f"{p.year}{p.part}" for p in periods]
    if not inherited:
        return query
    wants_number = query.wants_number or (last.wants_number and "metrics" in inherited)
    organisations = tuple(inherited.get("organisations", query.organisations))
    return replace(
        query,
        companies=companies,
        metrics=metrics,
        periods=periods,
        wants_number=wants_number,
        inherited=inherited,
        products=products,
        organisations=organisations,
        period=period,
    )


def question_parts(query: Query, registry: Registry) -> list[Query]:
    """The separately asked parts of a multi-part question (募资多少、发行多少股？ / at what price …, and how many
    shares …), each a query of its own that takes the whole question's subject, products and period when it names
    none; [] for a question asking one thing."""
    clauses = [c.strip() for c in clause_texts(query.text)]
    asking = [c for c in clauses if ASKING.search(normalise_for_match(c))]
    if len(asking) < 2:
        return _item_parts(query, registry) or _metric_parts(query)
    return [each for part in _clause_parts(query, asking, registry) for each in (_metric_parts(part) or [part])]


def _clause_parts(query: Query, asking: list[str], registry: Registry) -> list[Query]:
    """One query per asking clause, taking what it does not name from the whole question."""
    parts = []
    for clause in asking:
        part = analyse(clause, registry)
        parts.append(
            replace(
                part,
                companies=part.companies or query.companies,
                products=part.products or query.products,
                periods=part.periods or query.periods,
                period=part.period if (part.period.labels or part.period.part) else query.period,
                organisations=part.organisations or query.organisations,
                qualifiers=part.qualifiers | query.qualifiers,
                metrics=_part_metrics(part, query),
            )
        )
    return parts


def _item_parts(query: Query, registry: Registry) -> list[Query]:
    """ "一期、二期、三期的规模各是多少" asks about each listed item: one part per item, which its sentence must name.
    Lists of companies or metrics are parts of their own kind (see ``_metric_parts``)."""
    m = _ENUMERATION.search(normalise_for_match(query.text))
    if m is None:
        return []
    items = m.group(1).split("、")
    shortest = min(len(item) for item in items)
    items = [item[-shortest:] for item in items]
    if any(find_metrics(item) or registry.mentions(item) for item in items):
        return []
    return [replace(query, required=(item,)) for item in items]


_ENUMERATION = re.compile(r"((?:[^、的，,?？\s]{1,8}、)+[^、的，,?？\s]{1,8})(?=的|分别|各)")


def _part_metrics(part: Query, whole: Query) -> tuple[str, ...]:
    """A part's own metrics; a part asking only for a change (同比涨了多少) is about the whole question's metric."""
    if part.main_metrics:
        return part.metrics
    if part.metrics:
        return (*whole.main_metrics, *part.metrics)
    return () if part.units or part.wants_date else whole.metrics


def _metric_parts(query: Query) -> list[Query]:
    """ "营收和净利润各是多少" asks one figure per metric, "海光和寒武纪营收各多少" one per company: one part for each
    company and metric."""
    metrics, companies = query.main_metrics, query.companies
    if max(1, len(metrics)) * max(1, len(companies)) < 2 or not _EACH.search(normalise_for_match(query.text)):
        return []
    growth = tuple(m for m in query.metrics if m in MODIFIER_METRICS)
    return [
        replace(query, metrics=(m, *growth) if m else query.metrics, companies=(c,) if c else ())
        for c in companies or ("",)
        for m in metrics or ("",)
    ]


_EACH = re.compile(
    r"各|分别|和|与|及|比较|对比|相比|(?<![a-z])(?:and|both|respectively|compare|compared|vs|versus)(?![a-z])"
)


def _short(text: str) -> bool:
    norm = f" {normalise_for_match(text)} "
    return len(text) <= 16 or any(m in norm for m in FOLLOW_UP_MARKERS)


def history_questions(history: Sequence[Any] | None) -> list[str]:
    """The user's earlier questions from any common history shape.

    Accepts a list of strings, ``(user, assistant)`` pairs, or ``{"role", "content"}`` messages (Gradio's two shapes).
    """
    questions: list[str] = []
    for item in history or ():
        if isinstance(item, str):
            questions.append(item)
        elif isinstance(item, dict):
            if item.get("role") == "user":
                questions.append(_content_text(item.get("content")))
        elif isinstance(item, (list, tuple)) and item:
            questions.append(_content_text(item[0]))
    return [q for q in questions if q]


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(_content_text(c) for c in content)
    if isinstance(content, dict):
        return str(content.get("text", ""))
    return "" if content is None else str(content)
