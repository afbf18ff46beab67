"""The relevance gate: may this evidence sentence answer this question?

Provenance (the figure is in the quote) is checked elsewhere; this checks that the quote is about what was asked:
the same subject (company, organisation, product code), the same measure (no cumulative total for one period, no
segment for the total, no 扣非 for headline profit, no plan for the actual), the same period, and every content
word of the question that no vocabulary covers. A sentence that names no subject takes the subject of the text
before it in its paragraph, else its document's (discourse attribution: ``其中，仅上半年就亏损…``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.answer.attributes import attribute_reader, normalised, word_in
from assistant.answer.frame import event_span, period_mismatch, product_codes, published_before, sentence_periods
from assistant.answer.ordinals import ordinal
from assistant.answer.people import chinese_name_in, pinyin_names
from assistant.answer.query import WHY, Query
from assistant.entities import Registry
from assistant.facts import FORMATS, Fact
from assistant.numbers import Quantity, parse_quantities
from assistant.text import has_word, normalise_for_match, split_sentences
from assistant.types import Hit
from assistant.vocabulary import Vocabulary


@dataclass(frozen=True)
class Verdict:
    """Whether a sentence may answer, and if not, which part of the question it misses."""

    admitted: bool
    missing: str = ""  # "subject", "product", "period", "qualifier", or a required term
    attributed: tuple[str, ...] = ()  # the companies the sentence is about (its own, or its paragraph's)


def paragraph_before(hit: Hit, start: int) -> str:
    """The chunk's text from the start of the sentence's paragraph (line) up to the sentence."""
    line_start = hit.text.rfind("\n", 0, start) + 1
    return hit.text[line_start:start]


def section_before(hit: Hit, start: int, limit: int = 300, paragraph: bool = True) -> str:
    """Up to ``limit`` characters of the chunk before the sentence, from its paragraph's start (a blank line) or,
    with ``paragraph`` False, from its section's heading on."""
    text = hit.text[max(0, start - limit) : start]
    cut = max(text.rfind("\n\n") if paragraph else -1, text.rfind("\n#"))
    return text[cut + 1 :] if cut >= 0 else text


def attributed_companies(hit: Hit, start: int, own: tuple[str, ...], registry: Registry) -> tuple[str, ...]:
    """The sentence's companies, or the last one named before it in the chunk, or its document's main company."""
    if own:
        return own
    earlier = registry.spans(hit.text[:start])
    if earlier:
        return (earlier[-1][1],)
    main = str(hit.metadata.get("companies", "")).split(",")[0]
    return (main,) if main else ()


def _periods_before(before: str, hit: Hit, text: str = "") -> tuple[str, ...]:
    """The periods of the last sentence before this one in its paragraph that states any: a sentence stating none
    speaks of them (``2021 三季报显示，营收…；毛利率 63.24%``). A breakdown (``其中第三季度…；单季度…``) holds only
    for sentences that say they continue it (单季度); the next one returns to the period before it."""
    breakdown_goes_on = bool(_BREAKDOWN_GOES_ON.search(text))
    for start, end in reversed(list(split_sentences(before))):
        sentence = before[start:end]
        found = sentence_periods(sentence, document_year(hit))
        if found and not (sentence.lstrip().startswith("其中") and not breakdown_goes_on):
            return found
        breakdown_goes_on = breakdown_goes_on and bool(_BREAKDOWN_GOES_ON.search(sentence) or found)
    return ()


_BREAKDOWN_GOES_ON = re.compile(r"单季|当季|其中")


def _leading_period(text: str, hit: Hit) -> bool:
    """The sentence's first clause stating a figure names its period (``2024年则录得亏损`` after ``纯利报20.59亿元``
    names one for its own clause only)."""
    clauses = [c for c in _FIGURE_CLAUSE.split(text) if any(ch.isdigit() for ch in c)]
    return not clauses or bool(sentence_periods(clauses[0], document_year(hit)))


def _role_owners(text: str) -> list[str]:
    """Whose founder/chairman a text names: the name before the role word, or after "founder of"."""
    return [m.group("owner") or m.group("owner_zh") or m.group("owner_of") for m in _ROLE_OWNER.finditer(text)]


def document_year(hit: Hit) -> int | None:
    """The year its source was published (what 今年 and an undated sentence refer to), or None."""
    published = str(hit.metadata.get("published", ""))
    return int(published[:4]) if published[:4].isdigit() else None


class Gate:
    """The relevance checks, reading sentences with one registry and one vocabulary."""

    def __init__(self, registry: Registry, vocabulary: Vocabulary) -> None:
        self.registry = registry
        self.vocabulary = vocabulary
        v = vocabulary
        asking = (*v.date_words, *v.who_words, *v.quantity_words, *_QUESTION_WORDS)
        self._asking = frozenset(normalise_for_match(w) for w in asking)
        words = [w for ws in v.attributes.values() for w in ws] + [*v.qualifier_words(), *asking]
        self._framing = frozenset(normalise_for_match(w) for w in words if len(w) >= 2 or not w.isascii())
        self._required: dict[tuple[object, ...], tuple[tuple[str, ...], ...]] = {}
        self._phrases: dict[str, list[tuple[list[str], frozenset[str]]]] = {}
        self._amounts: dict[str, list[Quantity]] = {}
        self._measure_words = tuple(  # the Chinese words naming a measure (growth and qoq only refine one)
            w for m, ws in v.metrics.items() if m not in v.modifier_metrics for w in ws if not w.isascii()
        )
        self._attribute_words = frozenset(normalise_for_match(w) for ws in v.attributes.values() for w in ws)
        self._attribute_parts = frozenset(part for w in self._attribute_words if w.isascii() for part in w.split())
        self._siblings = _siblings(v.glossary.values())
        self._attributes = attribute_reader(v)

    def judge(self, query: Query, hit: Hit, start: int, end: int, own: tuple[str, ...]) -> Verdict:
        """Check every constraint of the question's frame against one sentence (``hit.text[start:end]``)."""
        text = hit.text[start:end]
        norm = normalise_for_match(text)
        before = normalise_for_match(paragraph_before(hit, start))
        about = attributed_companies(hit, start, own, self.registry)
        if query.companies and not set(query.companies) & set(about):
            return Verdict(False, "subject", about)
        if query.organisations and not _names_organisation(query, text, before, hit, own, self._org_forms(query)):
            return Verdict(False, "subject", about)
        if "founder" in query.metrics and self._asks_own_founder(query) and self._role_of_others(query, text):
            return Verdict(False, "subject", about)  # "DeepSeek founder Liang Wenfeng invested in Moore Threads"
        earlier = f"{hit.metadata.get('title', '')}\n{hit.text[:start]}"
        if query.products and not _names_product(query, text, earlier) and not self._reason_of(query, hit, text, end):
            return Verdict(False, "product", about)
        answers_product = query.asks_product and bool(other_products(query, text))
        if query.asks_product and not answers_product:  # "which card": a sentence naming none cannot say
            return Verdict(False, "product_answer", about)
        if not asks_why(query) and self._measures_otherwise(query, text, section_heading(hit, start)):
            # (a reason names the part that drove the whole: 云端产品线收入大幅增长带动了营收增长)
            return Verdict(False, "qualifier", about)
        event = not (query.wants_number or query.main_metrics)  # who/which/when: the article's year dates it
        undated = document_year(hit) if event else None
        periods = sentence_periods(text, document_year(hit))
        if not event and not _leading_period(text, hit):  # a figure whose clause names no period speaks of its
            periods += _periods_before(paragraph_before(hit, start), hit, text)  # paragraph's; an event of its year
        if not periods and asks_why(query):  # a reason stated once for the period its section or source is about
            periods = sentence_periods(f"{section_heading(hit, start)} {hit.metadata.get('title', '')}", None)
        span = event_span(query.text, query.period.labels) if event and not query.period.days else None
        if period_mismatch(query.period, periods, undated, span):
            return Verdict(False, "period", about)
        if published_before(query.period, str(hit.metadata.get("published", ""))):
            return Verdict(False, "period", about)
        context = normalise_for_match(f"{source_names(hit)} {hit.text}")  # "the Liberty Times report" names a source
        absent = self.missing_term(query, norm, context)
        if absent:
            return Verdict(False, absent, about)
        if (
            query.asks_list
            and not query.items_apart
            and not (_ENUMERATES.search(text) or ordinal(text) or _IN_SEQUENCE.search(text))
        ):  # "哪几块": naming one thing lists none
            return Verdict(False, "list", about)  # (checked after the frame, so a summary may still quote it)
        if query.language != "zh":
            earlier = normalise_for_match(hit.text[max(0, start - _EARLIER) : start])
        else:  # a reason often points back (出售资产的目的是…): the sentences before it in its section count
            # (and a list given one item per sentence is introduced before its items: 公布了…加速卡路线图)
            if query.items_apart:
                earlier = normalise_for_match(section_before(hit, start, paragraph=False))
            else:
                earlier = normalise_for_match(section_before(hit, start)) if asks_why(query) else ""
        covers = answers_product or self._covers_question(query, f"{earlier} {norm}")
        if not covers:  # (a sentence naming the asked product and another one answers "which card" by its type)
            return Verdict(False, "terms", about)
        if not query.wants_number and not self._names_amounts(query, f"{earlier or before} {text}"):
            return Verdict(False, "amount", about)  # "the 2 billion yuan round": that round, not another
        if not gives_reason(query, norm):
            return Verdict(False, "reason", about)
        return Verdict(True, "", about)

    def _reason_of(self, query: Query, hit: Hit, text: str, end: int) -> bool:
        """A reason naming no product is the asked product's when the rest of its paragraph names it (为了…降低了
        处理器的速度。BR100 设计传输率…)."""
        if not asks_why(query) or product_codes(_COMPONENT.sub(" ", text)):
            return False
        line_end = hit.text.find("\n", end)
        rest = hit.text[end : len(hit.text) if line_end < 0 else line_end]
        return _names_product(query, rest, "")

    def _org_forms(self, query: Query) -> dict[str, tuple[str, ...]]:
        """Each asked organisation as text may write it: as asked, and (an English name) as Chinese writes it
        (Big Fund: 大基金)."""
        forms = {}
        for name in query.organisations:
            chinese = self.vocabulary.renderings(name.lower()) if name.isascii() else ()
            forms[name] = (normalise_for_match(name), *(normalise_for_match(c) for c in chinese if len(c) > 1))
        return forms

    def _asks_own_founder(self, query: Query) -> bool:
        """The question asks for an asked company's own founder (founder of Moore Threads, 摩尔线程的创始人), not for
        some founder who did something to it (which start-up founder invested in Moore Threads)."""
        return any(set(self.registry.mentions(owner)) & set(query.companies) for owner in _role_owners(query.text))

    def _role_of_others(self, query: Query, text: str) -> bool:
        """Every founder/chairman the sentence names is someone else's: the role word follows another
        organisation's name (DeepSeek founder, 某公司创始人) rather than an asked company's."""
        owners = _role_owners(text)
        if not owners:
            return False
        return all(not set(self.registry.mentions(owner)) & set(query.companies) for owner in owners)

    def _covers_question(self, query: Query, text: str) -> bool:
        """A question no metric or figure frames (which chip, who advised, why …) is answered only by a sentence
        that, with the text before it in its paragraph, names most of the question's content words (an English
        word counts when its Chinese rendering is there; for English questions half will do)."""
        why = WHY.search(normalise_for_match(query.text))
        if (query.main_metrics or query.wants_number) and not why:
            return True
        terms = [t for t in query.key_terms if not self.framed(t)]
        # An organisation the question names is one word however the segmenter cut it (晨星|半导体): it counts once.
        parts = [t for t in terms if not t.isascii() and any(t in name for name in query.organisations)]
        terms = [t for t in terms if t not in parts]
        named = 1 if parts else 0
        v = self.vocabulary
        phrased = {  # words of a glossary phrase the text renders (external power: 外接供电)
            word
            for words, renderings in self._phrases_of(query.text)
            if any(r in text for r in renderings)
            for word in words
        }
        found = sum(
            1
            for t in terms
            if t in phrased
            or _inflected(t) in text
            or any(normalised(z) in text for z in (*v.renderings(t), *self._siblings.get(t, ())))
        )
        found += 1 if any(t in text for t in parts) else 0
        total = len(terms) + named
        if query.language == "en" or query.products:  # English over Chinese text (the glossary misses many), or
            return found * 2 >= total  # an exact product code already pins the subject: half will do
        return not total or found * 2 > total

    def _phrases_of(self, question: str) -> list[tuple[list[str], frozenset[str]]]:
        """The question's glossary phrases (words, renderings), read once per question (asked per sentence)."""
        if question not in self._phrases:
            if len(self._phrases) > 256:
                self._phrases.clear()
            found = self._attributes.phrases(normalise_for_match(question))
            self._phrases[question] = [(phrase.split(), renderings) for _, _, phrase, renderings in found]
        return self._phrases[question]

    def question_word(self, term: str) -> bool:
        """A word that asks (多大, 哪天, how many) rather than names what is asked about."""
        return any(term in word or word in term for word in self._asking)

    def attribute_word(self, term: str) -> bool:
        """A word of an attribute the gate requires of the answering sentence (核心 of cores; close of "did it
        close")."""
        return term in self._attribute_words or (term.isascii() and term in self._attribute_parts)

    def framed(self, term: str) -> bool:
        """A question word some other part of the frame already checks (an attribute, qualifier, date or question
        word), or part of one (券商 in 保荐券商)."""
        return any(term in word or word in term for word in self._framing)

    def _measures_otherwise(self, query: Query, text: str, heading: str = "") -> bool:
        """The sentence's qualifiers make it measure something else; a sentence of several clauses passes when one
        clause stating a figure has none of them (``获得10亿Pre-B轮融资，迄今已累计完成5轮…``). An asked qualifier
        its section heading states counts as stated ('## First-day trading')."""
        v = self.vocabulary
        own = v.qualifiers(text)
        if _PERMITS_MAXIMUM.search(normalise_for_match(query.text)):  # 最高能到多少: a stated maximum answers it
            own -= {"maximum"}
        silent = {x for values in v.qualifier_groups.values() if not own & values.keys() for x in values}
        stated = own | (v.qualifiers(heading) & query.qualifiers & silent)  # a heading speaks for a silent sentence
        if not v.qualifier_conflict(query.qualifiers, stated):
            return False
        clauses = [c for c in _FIGURE_CLAUSE.split(text) if any(ch.isdigit() for ch in c)]
        met = stated & query.qualifiers  # an asked qualifier the sentence states holds for each of its clauses
        own_clauses: list[frozenset[str]] = []
        for clause in clauses:  # a clause naming no measure (同比上升117%) is of the clause before it
            named = any(w in clause for w in self._measure_words)
            own_clauses.append(v.qualifiers(clause) | (own_clauses[-1] if own_clauses and not named else frozenset()))
        return len(clauses) < 2 or all(v.qualifier_conflict(query.qualifiers, q | met) for q in own_clauses)

    def required_terms(self, query: Query) -> tuple[tuple[str, ...], ...]:
        """What an answering sentence must name, per part of the question (a sentence answers one part): each
        attribute no metric covers (存货, inventory, 毛利, die area …) and each English name (Zhong Lun, KUAE).
        Domain words the glossary knows (CEO, STAR, HBM) are vocabulary, not names."""
        key = (query.text, query.names, query.key_terms, query.required)
        if key not in self._required:  # asked once per evidence sentence: the same question each time
            if len(self._required) > 256:
                self._required.clear()
            self._required[key] = self._find_required(query)
        return self._required[key]

    def _find_required(self, query: Query) -> tuple[tuple[str, ...], ...]:
        norm_text = normalise_for_match(query.text)
        parts = [p for p in _CLAUSE.split(norm_text) if p.strip()] or [""]
        listed = tuple(self.vocabulary.names_in(norm_text))  # "Jingjia Micro": one name, written 景嘉微 in Chinese
        inside = " ".join(listed)
        names = listed + tuple(
            n
            for n in query.names
            if n in query.key_terms
            and not has_word(inside, n)
            and not self.vocabulary.chinese_terms(n)
            and not self._in_phrase(n, norm_text)
        )
        result = []
        for part in parts:
            asked = tuple(f"@{key}" for key in self._attributes.asked(part))
            result.append(asked + tuple(n for n in names if has_word(part, n)) + query.required)
        return tuple(result)

    def _in_phrase(self, name: str, question: str) -> bool:
        """The name is a word of a glossary phrase the question uses ("STAR" in "STAR Market"): vocabulary, not a
        name."""
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", question):
            before = [w.strip(".,?!") for w in question[: m.start()].split()[-1:]]
            after = [w.strip(".,?!") for w in question[m.end() :].split()[:1]]
            phrases = [f"{name} {w}" for w in after] + [f"{w} {name}" for w in before]
            if any(self.vocabulary.chinese_terms(p.removesuffix("'s").strip()) for p in phrases):
                return True
        return False

    def missing_term(self, query: Query, norm: str, context: str) -> str:
        """'' when some part of the question has every required term in the sentence (names: or in ``context``);
        otherwise the first term the best part misses."""
        misses = []
        for terms in self.required_terms(query):
            absent = [t for t in terms if not self.term_found(t, norm, context, query)]
            if not absent:
                return ""
            misses.append(absent[0])
        return misses[0]

    def _names_amounts(self, query: Query, text: str) -> bool:
        """Every amount the question names to pin its subject ("Enflame's 2 billion yuan round", "climb to 7.77亿
        yuan") is stated in the text (the sentence and what precedes it), in the same currency or unit."""
        if query.text not in self._amounts:
            if len(self._amounts) > 256:
                self._amounts.clear()
            self._amounts[query.text] = [q for q in parse_quantities(query.text) if q.currency or q.unit]
        named = self._amounts[query.text]
        if not named:
            return True
        stated = parse_quantities(text)
        return all(
            any(
                (s.currency, s.unit) == (q.currency, q.unit) and abs(s.value - q.value) <= abs(q.value) / 100
                for s in stated
            )
            for q in named
        )

    def names_attribute(self, query: Query, norm: str) -> bool:
        """The sentence names an attribute the question asks (保荐人, foundry …)."""
        asked = {t for terms in self.required_terms(query) for t in terms if t.startswith("@")}
        return any(self.term_found(t, norm) for t in asked)

    def term_found(self, term: str, norm: str, context: str = "", query: Query | None = None) -> bool:
        """A required attribute is named in the sentence (any of its words, not inside a longer measure word); a
        required name is in the sentence or its context (the chunk and the document title), a person's pinyin
        name as Chinese writes it (Yang Jian: 杨建)."""
        if term.startswith("@"):
            return any(word_in(norm, w) for w in self.vocabulary.attributes[term[1:]])
        chinese = self.vocabulary.name_forms(term) or self.vocabulary.chinese_terms(term)
        if has_word(norm, term) or has_word(context, term) or any(z in context for z in chinese):
            return True
        return query is not None and self._person_in(term, query, context)

    def _person_in(self, term: str, query: Query, context: str) -> bool:
        """``term`` is a word of a person's pinyin name in an English question, and ``context`` names that person
        in characters."""
        person = pinyin_names(query.text).get(term) if query.language == "en" else None
        return person is not None and bool(chinese_name_in(person, context))

    def mentioned(self, term: str, query: Query, context: str) -> bool:
        """A question word is in the (normalised) context: as written, as Chinese writes a listed name or a glossary
        word, or (a word of a listed name: "micro" of "Jingjia Micro") through its whole name."""
        v = self.vocabulary
        forms = (*v.renderings(term), *self._siblings.get(term, ()))
        if term in context or any(z in context for z in forms) or self._person_in(term, query, context):
            return True
        phrases = self._phrases_of(query.text)  # a word of a glossary phrase the context renders (STAR Market)
        if any(term in words and any(r in context for r in renderings) for words, renderings in phrases):
            return True
        whole = [n for n in v.names_in(normalise_for_match(query.text)) if has_word(n, term)]
        return any(z in context for n in whole for z in v.name_forms(n))

    def attribute_words(self, term: str) -> tuple[str, ...]:
        """The words of a required attribute (``@inventory`` → 存货, inventory …), or the term itself."""
        return self.vocabulary.attributes.get(term[1:], (term[1:],)) if term.startswith("@") else (term,)


def _inflected(term: str) -> str:
    """An English word's stem for matching inflected forms (partners: partner; advised: advis); others as they are."""
    if not term.isascii() or not term.isalpha() or len(term) < 5:
        return term
    for ending in ("ies", "es", "ed", "s", "e"):
        if term.endswith(ending) and len(term) - len(ending) >= 4:
            return term[: -len(ending)]
    return term


def asks_why(query: Query) -> bool:
    """The question asks for a reason (为什么, what was behind …)."""
    return bool(WHY.search(normalise_for_match(query.text)))


def gives_reason(query: Query, norm: str) -> bool:
    """A "why" question's sentence must give a reason (因为, 由于, because …); any sentence passes otherwise."""
    return not WHY.search(normalise_for_match(query.text)) or bool(_REASON.search(norm))


# One item of a sequence the text goes through (第一项 … 另一项 … 还将): it lists, one sentence at a time.
_IN_SEQUENCE = re.compile(
    r"第[一二三四五六七八九十\d]{1,2}[项点]|另一项|另一个|其次|此外|最后|还将|(?<![a-z])(?:another|also|finally)(?![a-z])"
)
_ENUMERATES = re.compile(r"(?<=\w)/(?=\w)|、|以及|(?<=\w)[和及与](?=\w)|,\s*(?:and\s)?\w|\band\b")
# The name right before a founder/chairman word: whose founder the sentence names.
_ROLE_OWNER = re.compile(
    r"(?P<owner>(?:[A-Z][\w-]+\s){0,2}[A-Z][\w-]+)(?:'s)?\s+(?:co-)?(?:founder|chairman|chief executive)"
    r"|(?P<owner_zh>[\u4e00-\u9fffA-Za-z]{2,8}?)(?:的)?(?:联合)?(?:创始人|创办人|董事长)"
    r"|(?:founder|chairman|chief executive) of (?P<owner_of>(?:[A-Z][\w-]+\s){0,2}[A-Z][\w-]+)"
)
# A sentence that gives a reason (not one that draws a consequence: 因此, so).
_REASON = re.compile(
    r"因为|由于|原因|理由|之所以|出于|鉴于|导致|致使|所致|为了|以便|基于上述|基于以上|考虑到|综合考虑"
    r"|目的是|目的在于|旨在|主要来自|来自于|源于|源自|归因于|归功于|得益于|受益于|受[^，。；]{1,12}影响|带动|驱动|拖累"
    r"|为(?:应对|突破|满足|解决|抢占|摆脱|弥补|缓解|筹集|支持)|以(?:应对|突破|满足|解决)"
    r"|because|due to|owing to|as a result of|since the|caused by|driven by|thanks to|on the back of|the reason"
    r"|fuell?ed by|boosted by|stems? from|attributed to|aimed at|aims? to|in a bid to|to cope with|weighed on"
    r"|led to|in order to"
)
_QUESTION_WORDS = ("哪家", "哪些", "哪个", "哪款", "哪两款", "什么", "时间", "大约", "大概", "是否", "如何", "怎样")
# A question that allows, without requiring, a figure stated as a maximum (最高可达1,000 TFLOPS).
_PERMITS_MAXIMUM = re.compile(r"最高|最大|峰值|(?<![a-z])(?:peak|up to|top|maximum|at most)(?![a-z])")
_FIGURE_CLAUSE = re.compile(r"[，；;]|,(?!\d{3})")  # 1,000 is one figure


def _siblings(entries: Iterable[Sequence[str]]) -> dict[str, set[str]]:
    """Chinese terms that render the same English words in at least two glossary entries (推出 and 发布: launch,
    release, unveil), each to its siblings; one shared entry is too loose (die: 裸片, 芯片)."""
    pairs: Counter[tuple[str, str]] = Counter()
    for renderings in entries:
        forms = sorted({normalise_for_match(t) for t in renderings if not t.isascii() and len(t) > 1})
        pairs.update(itertools.combinations(forms, 2))
    siblings: dict[str, set[str]] = {}
    for (a, b), count in pairs.items():
        if count >= 2:
            siblings.setdefault(a, set()).add(b)
            siblings.setdefault(b, set()).add(a)
    return siblings


def source_names(hit: Hit) -> str:
    """How a question may name a chunk's source: its title, publisher and address."""
    meta = hit.metadata
    return " ".join(str(meta.get(key, "")) for key in ("title", "publisher", "url"))


def section_heading(hit: Hit, start: int) -> str:
    """The last Markdown heading before the sentence in its chunk, or the one in force where the chunk starts
    ('## First-day trading'), or ''."""
    headings = [line for line in hit.text[:start].splitlines() if line.lstrip().startswith("#")]
    return headings[-1] if headings else str(hit.metadata.get("heading", ""))


_CLAUSE = re.compile(r"[?？;；]")
_EARLIER = 400  # characters before an English sentence that may carry its question's words (the round it names)


def _names_organisation(
    query: Query, text: str, before: str, hit: Hit, own: tuple[str, ...], forms: dict[str, tuple[str, ...]]
) -> bool:
    """Every asked organisation is named in the sentence, or (the sentence naming no other company, or naming the
    asked product: FH210 is compared with 英伟达's card) before it in its paragraph or in its document's title."""
    norm = normalise_for_match(text)
    title = normalise_for_match(str(hit.metadata.get("title", "")))
    pinned = any(_asked_product(query, code) for code in product_codes(text)) if query.products else False
    for name in query.organisations:
        keys = forms.get(name, (normalise_for_match(name),))
        if any(key in norm for key in keys):
            continue
        if (own and not pinned) or not any(key in before or key in title for key in keys):
            return False
    return True


def _names_product(query: Query, text: str, before: str) -> bool:
    """The sentence names an asked product code exactly (or a member of an asked series: JM9系列 takes JM9231), or
    names none as its subject and the last code named before it (in its chunk, else its document's title) is one.
    A code the sentence names as a part or a standard it uses (基于ARMv9架构, 支持DDR5) is not its subject."""
    stated = product_codes(_COMPONENT.sub(" ", text))
    if stated:
        return any(_asked_product(query, code) for code in stated)
    last = _last_code(_COMPONENT.sub(" ", before))
    return bool(last) and _asked_product(query, last)


def _last_code(text: str) -> str:
    """The product code named last in a text ('' if none): the latest sentence naming one, its last code."""
    for start, end in reversed(list(split_sentences(text))):
        codes = product_codes(text[start:end])
        if codes:
            return max(codes, key=lambda c: normalise_for_match(text[start:end]).replace(" ", "").rfind(c))
    return ""


# A code right after these words is a part or standard the subject uses, not the subject.
_COMPONENT = re.compile(
    r"(?:基于|采用|支持|集成|内含|搭载|配备|兼容|使用|based on|using|supports?|integrat\w*|with)"
    r"\s*(?:最新的|业界领先的|先进的)?"
    r"\s*[A-Za-z]{1,6}[-\s]?\d[\w.]*(?:\s*[、,，和与及]\s*[A-Za-z]{1,6}[-\s]?\d[\w.]*)*",
    re.IGNORECASE,
)


def _asked_product(query: Query, code: str) -> bool:
    return code in query.products or any(code.startswith(s) for s in _series(query.text, query.products))


def other_products(query: Query, text: str) -> list[str]:
    """Product codes the sentence names besides the asked ones (the answer to "which card")."""
    return [code for code in product_codes(text) if not _asked_product(query, code)]


def _series(question: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The asked codes written as a series or family (JM9系列, the JM9 series)."""
    norm = normalise_for_match(question).replace(" ", "").replace("-", "")
    return tuple(c for c in codes if re.search(rf"{re.escape(c)}(?:系列|series|family)", norm))


def fact_answers(fact: Fact, query: Query) -> bool:
    """A stored fact is of the asked company, metric, period, measure, model and number format (each checked only
    when the question asks): the fact-level twin of ``judge`` for conflict notes and model drafts."""
    if query.companies and fact.company not in query.companies:
        return False
    base, _, modifier = fact.metric.partition(".")
    if query.wants_number and query.main_metrics and base not in query.main_metrics:
        return False
    if modifier and modifier not in query.metrics:
        return False
    labels = query.period.labels
    if labels and not query.period.as_of and fact.period and fact.period not in labels:
        return False
    details = fact.detail.split()
    formats = set(FORMATS.findall(normalise_for_match(query.text)))
    if formats and not formats & set(details):
        return False
    stated = frozenset(_DETAIL_QUALIFIER.get(word, word) for word in details) & _FACT_QUALIFIERS
    asked = query.qualifiers & _FACT_QUALIFIERS
    if "actual" in query.qualifiers and "planned" in stated:
        return False
    return not (stated - asked - {"planned"}) and asked <= stated


# The measure qualifiers facts carry (``facts._measure_qualifiers`` and the 扣非/净额 tags).
_DETAIL_QUALIFIER = {"扣非": "recurring", "净额": "net"}
_FACT_QUALIFIERS = frozenset({"cumulative", "segment", "planned", "maximum", "pre_ipo", "recurring", "net"})
