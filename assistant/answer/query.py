"""The planner: a question (with the conversation before it) becomes a ``Query`` frame: language, companies and
other organisations, products, metrics with qualifiers, periods, answer type, required terms; follow-ups inherit
what they leave out. It reads questions with the ``Registry`` and ``Vocabulary`` it is given."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.answer.attributes import attribute_reader, measured
from assistant.answer.frame import (
    ASKING,
    ORG_GENERIC,
    PeriodAsk,
    asked_units,
    clause_texts,
    organisations,
    period_ask,
    product_codes,
)
from assistant.answer.lexicon import ENGLISH_FUNCTION_WORDS, GENERIC_TERMS
from assistant.entities import Registry
from assistant.text import normalise_for_match, question_language, simplified
from assistant.tokenize import tokenize
from assistant.vocabulary import Vocabulary

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
    modifiers: frozenset[str] = frozenset()  # the vocabulary's metrics that refine another (growth, qoq)
    named_order: tuple[str, ...] = ()  # the metrics in the order the question names them
    asks_product: bool = False  # "which card / 哪款": the answer is a product the question does not name
    asks_count: int = 1  # how many it asks for ("哪两款", "which two chips")
    asks_person: bool = False  # 谁, 哪位, who, which executive: the answer names a person (or an organisation)
    asks_list: bool = False  # 哪些, 哪几块, which chips, what are the: the answer lists several items
    items_apart: bool = False  # a list question answered by one item per sentence (no enumeration required)

    @property
    def main_metrics(self) -> tuple[str, ...]:
        """Metrics other than modifiers such as growth."""
        return tuple(m for m in self.metrics if m not in self.modifiers)

    @property
    def growth(self) -> tuple[str, ...]:
        """The modifiers asked (growth, qoq)."""
        return tuple(m for m in self.metrics if m in self.modifiers)


# "哪一款显卡" asks for a product, not a figure (unless it also asks 多少).
_WHICH_ONE = re.compile(
    r"哪(?:一|两|几)?款|哪(?:一)?个型号"
    r"|which (?:[a-z0-9-]+ ){0,2}(?:cards?|chips?|models?|products?|gpus?|processors?)\b"
)


_LIST = re.compile(
    r"哪些|哪几(?![个]?(?:月|年|天|日))|有哪"
    r"|(?<![a-z])(?:what are the|which (?:[a-z-]+ ){0,2}[a-z]+(?<!s)s (?:are|were|do|did|have|has))"
)
# A follow-up that compares with another company, or asks for the year before the one asked.
_COMPARED = re.compile(r"相比|比较|对比|比起|(?<![a-z])(?:compare|compared|comparison|versus|vs)(?![a-z])")
_YEAR_BEFORE = re.compile(
    r"前一年|上一年|再前一年|(?<![a-z])(?:the year before|previous year|prior year|a year earlier)"
)
# A question for a kind (what type of memory, 哪种工艺): it names a thing, not a figure of it.
_KIND = re.compile(r"\bwhat (?:type|kind|sort)s? of\b|\bwhich (?:type|kind)s? of\b|什么类型|哪种|哪一种|什么样的")
_WHICH_PERSON = re.compile(
    r"which (?:[a-z-]+ ){0,2}(?:executive|person|official|analyst|partner|founder|ceo|chairman|manager|engineer)s?\b"
)
# A numbered item the question names (2024年第2号公告, 第三批名单, 第5轮): the answering sentence, its chunk or its
# document's title must name the same one.
_NUMBERED = re.compile(r"第[0-9一二三四五六七八九十]+(?:号|批|届)")
_COUNT = re.compile(r"哪(两|二|三|四|五|几)(?:款|个|种)|which (two|three|four|five) ")
_COUNTS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "几": 2, "two": 2, "three": 3, "four": 4, "five": 5}


def _asked_count(norm: str) -> int:
    """How many products a "which" question asks for: 哪两款 → 2, which three chips → 3, 哪几款 → at least 2."""
    m = _COUNT.search(norm)
    return _COUNTS[m.group(1) or m.group(2)] if m else 1


def find_terms(text: str, table: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The keys of ``table`` whose words occur in ``text`` (normalised)."""
    found = []
    for key, words in table.items():
        if any(contains(text, w) for w in words):
            found.append(key)
    return found


def _where(text: str, word: str) -> int:
    """Where ``word`` first stands in ``text`` (as ``contains`` finds it), or the text's length."""
    if word.isascii() and word[:1].isalnum():
        m = re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text)
        return m.start() if m else len(text)
    at = text.find(word)
    return at if at >= 0 else len(text)


def contains(text: str, word: str) -> bool:
    """True when `word` occurs in `text`; ASCII words must stand alone (no letter or digit either side)."""
    if word.isascii() and word[:1].isalnum():
        return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None
    return word in text


# "What is" asks a figure only of a measure (a metric or a measured attribute), not of a thing.
_ONLY_OF_A_MEASURE = frozenset({"what was", "what is", "what were"})


class Planner:
    """Reads questions into ``Query`` frames with one registry and one vocabulary."""

    def __init__(self, registry: Registry, vocabulary: Vocabulary) -> None:
        self.registry = registry
        self.vocabulary = vocabulary
        words = (*vocabulary.metrics.values(), *vocabulary.period_parts.values())
        self._covered = frozenset(normalise_for_match(w) for ws in words for w in ws)  # metric and period words
        self._alias_tokens = frozenset(t for name in registry.all_names() for t in tokenize(name))
        self._alias_text = frozenset(normalise_for_match(n) for n in registry.all_names())

    def plan(self, question: str, history: Sequence[Any] | None = None) -> Query:
        """The frame of a question, with what a follow-up leaves out taken from the conversation before it."""
        return self.with_history(self.analyse(question), history_questions(history))

    def metrics_in(self, text: str) -> list[str]:
        """Metric keys named in a text (normalised, lower-case input), in the vocabulary's order."""
        return find_terms(text, self.vocabulary.metrics)

    def _named_order(self, norm: str, metrics: tuple[str, ...]) -> tuple[str, ...]:
        """The metrics in the order the text names them ("研发是营收的几倍": R&D, then revenue)."""
        return tuple(sorted(metrics, key=lambda m: min(_where(norm, w) for w in self.vocabulary.metrics[m])))

    def periods_in(self, text: str) -> list[Period]:
        """Periods named in a text: years with an optional half, quarter or nine-month part."""
        norm = normalise_for_match(text)
        years = list(dict.fromkeys(_YEAR.findall(norm) + _FY.findall(norm)))
        parts = find_terms(norm, self.vocabulary.period_parts)
        if "9M" in parts:
            parts = [p for p in parts if p not in ("Q3",)]
        if not years:
            return []
        if len(parts) == 1:
            return [Period(y, parts[0]) for y in years]
        return [Period(y) for y in years]

    def analyse(self, question: str) -> Query:
        """One question on its own."""
        vocabulary, registry = self.vocabulary, self.registry
        norm = normalise_for_match(question)
        metrics = tuple(self.metrics_in(norm))
        asks_who = any(contains(norm, w) for w in vocabulary.who_words) or bool(_WHICH_PERSON.search(norm))
        asks_quantity = any(contains(norm, w) for w in vocabulary.quantity_words if w not in _ONLY_OF_A_MEASURE)
        why = bool(WHY.search(norm))  # "what was behind the growth" asks no figure of the growth
        if (
            not asks_quantity and not why and any(contains(norm, w) for w in _ONLY_OF_A_MEASURE)
        ):  # what is its revenue / its
            asks_quantity = bool(metrics) or measured(attribute_reader(vocabulary).asked(norm))  # form factor
        if asks_who and "founded" in metrics:
            metrics = tuple(m for m in metrics if m != "founded") + ("founder",)
        wants_date = any(contains(norm, w) for w in vocabulary.date_words)
        asks_product = bool(_WHICH_ONE.search(norm))
        list_ask = bool(_LIST.search(norm)) and not asks_product
        counted = any(contains(norm, w) for w in vocabulary.quantity_words if w != "几")  # 哪几块 lists, 多少 counts
        wants_number = (
            not wants_date
            and (asks_quantity or bool(set(metrics) - {"founder", "founded", "listing"}))
            and not asks_who
            and not ((asks_product or _KIND.search(norm)) and not asks_quantity)
            and not (list_ask and not counted)
            and not (why and not asks_quantity)  # why it cannot buy HBM asks no figure of HBM
        )
        return Query(
            text=question.strip(),
            language=question_language(question),
            companies=tuple(registry.mentions(question)),
            metrics=metrics,
            periods=tuple(self.periods_in(question)),
            wants_number=wants_number,
            wants_date=wants_date,
            key_terms=tuple(self._key_terms(question)),
            products=tuple(product_codes(question)),
            organisations=tuple(organisations(simplified(question), registry, self._covered)),
            qualifiers=vocabulary.qualifiers(question),
            period=period_ask(question),
            names=tuple(_names(question)),
            units=asked_units(question),
            modifiers=vocabulary.modifier_metrics,
            named_order=self._named_order(norm, metrics),
            asks_product=asks_product,
            asks_count=_asked_count(norm) if asks_product else 1,
            asks_person=asks_who,
            asks_list=list_ask and not wants_number and not wants_date,
            required=tuple(dict.fromkeys(_NUMBERED.findall(norm))),
        )

    def _key_terms(self, question: str) -> list[str]:
        """Content words the evidence must cover: not stopwords, metrics, periods, companies or generic words."""
        covered = self._covered
        terms: list[str] = []
        chinese = question_language(question) == "zh"  # "Why did MetaX's inventory climb to 7.77亿 yuan?" is English
        norm = normalise_for_match(question)
        phrases = " ".join(w for w in covered if " " in w and contains(norm, w))  # "gross margin", "first half"
        for token in dict.fromkeys(tokenize(WHY.sub(" ", _QUESTION_WORDS.sub(" ", question.lower())))):
            if token in GENERIC_TERMS or token in covered or token in self._alias_tokens or token in self._alias_text:
                continue
            if token.isascii() and contains(phrases, token):
                continue
            if _YEAR.fullmatch(token) or any(token in w for w in covered if len(token) >= 2 and not token.isascii()):
                continue
            if (
                token.endswith("得")
                and len(token) == 2
                and any(w.startswith(token[0]) for w in covered if not w.isascii())
            ):
                continue  # 亏得 (亏得这么多): a measure word's verb with its complement particle
            if token.isascii() and not _english_key(token, question, chinese):
                continue
            if not token.isascii() and len(token) < 2:
                continue
            if any(token != other and token in other for other in terms):
                continue
            terms = [t for t in terms if t not in token]
            terms.append(token)
        return terms

    def strong_terms(self, question: str) -> list[str]:
        """Product codes (S4000, 910C) and company-like names (登临科技) the evidence must mention, or the answer
        is about something else. Number formats (FP16), periods (H1, FY24) and known companies are not included."""
        norm = normalise_for_match(question)
        codes = [c.replace(" ", "") for c in _CODE.findall(norm) if not _FORMAT_CODE.match(c.replace(" ", ""))]
        codes = [c for c in codes if c not in self._alias_text and not c.isdigit() and not _YEAR.fullmatch(c)]
        names = [
            m.group(0)
            for m in _NAME.finditer(norm)
            if not self.registry.mentions(m.group(0))
            and not _FUNCTION_CHARS.search(m.group(1))
            and m.group(1) not in ORG_GENERIC  # 中国半导体 is the sector, not a company
        ]
        return list(dict.fromkeys(codes + names))

    def with_history(self, query: Query, history: Sequence[str]) -> Query:
        """Fill what a follow-up leaves out (company, metric, period) from the earlier questions."""
        if not history:
            return query
        previous = [self.analyse(q) for q in history]
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
        norm = normalise_for_match(query.text)
        if companies and _COMPARED.search(norm) and not set(companies) & set(last.companies):  # "how does that
            companies = tuple(dict.fromkeys((*last.companies, *companies)))  # compare with Moore Threads'?"
            inherited["companies"] = list(companies)
        own_measure = any(contains(norm, w) for words in self.vocabulary.attributes.values() for w in words)
        if not query.main_metrics and last.metrics and not own_measure:  # 它有多少个核心 asks its own measure
            metrics = tuple(dict.fromkeys((*last.metrics, *metrics)))
            inherited["metrics"] = list(metrics)
        if not periods and not period.part and last.periods and (inherited or _short(query.text)):
            shift = -1 if _YEAR_BEFORE.search(norm) else 0  # 那前一年呢: the year before the one asked
            periods = tuple(replace(p, year=str(int(p.year) + shift)) for p in last.periods)
            period = period_ask(" ".join(self._period_words(p) for p in periods)) if shift else last.period
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

    def _period_words(self, period: Period) -> str:
        """How Chinese text writes a period (2024年, 2023年第二季度)."""
        part = self.vocabulary.period_parts[period.part][0] if period.part else ""
        return f"{period.year}年{part}"

    def parts(self, query: Query) -> list[Query]:
        """The separately asked parts of a multi-part question (募资多少、发行多少股？ / at what price …, and how many
        shares …), each a query of its own that takes the whole question's subject, products and period when it
        names none; [] for a question asking one thing."""
        clauses = [c.strip() for c in clause_texts(query.text)]
        asking = [c for c in clauses if ASKING.search(normalise_for_match(c))]
        if len(asking) < 2:
            return self._item_parts(query) or _metric_parts(query)
        return [each for part in self._clause_parts(query, asking) for each in (_metric_parts(part) or [part])]

    def _clause_parts(self, query: Query, asking: list[str]) -> list[Query]:
        """One query per asking clause, taking what it does not name from the whole question."""
        parts = []
        for clause in asking:
            part = self.analyse(clause)
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

    def _item_parts(self, query: Query) -> list[Query]:
        """ "一期、二期、三期的规模各是多少" asks about each listed item: one part per item, which its sentence must
        name. Lists of companies or metrics are parts of their own kind (see ``_metric_parts``)."""
        m = _ENUMERATION.search(normalise_for_match(query.text))
        if m is None:
            return []
        items = m.group(1).split("、")
        shortest = min(len(item) for item in items)
        items = [item[-shortest:] for item in items]
        if any(self.metrics_in(item) or self.registry.mentions(item) for item in items):
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
    return [
        replace(query, metrics=(m, *query.growth) if m else query.metrics, companies=(c,) if c else ())
        for c in companies or ("",)
        for m in metrics or ("",)
    ]


_EACH = re.compile(
    r"各|分别|和|与|及|比较|对比|相比|(?<![a-z])(?:and|both|respectively|compare|compared|vs|versus)(?![a-z])"
)


# Question words, cut out before segmenting so that 哪天上会 does not yield 天上.
_QUESTION_WORDS = re.compile(
    r"哪天|哪一天|哪年|哪一年|哪个月|哪家|哪些|哪个|哪款|哪一种|哪一类|哪种|哪类|哪项|哪位|哪里|什么时候|什么|多少|是谁|谁"
)


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
# A question asking for a reason (the planner asks no figure of it; the gate wants a sentence giving one).
WHY = re.compile(
    r"为什么|为何|为甚么|为啥|原因|驱动因素"
    r"|why|how come|what caused|what (?:was|is|were|are) behind|what drove|what drives"
)
_FUNCTION_CHARS = re.compile(r"[的之了是在和与及其这那多少几哪个些年月日家]")
_NAME = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:科技|股份|智能|半导体|微电子|集团)")


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
