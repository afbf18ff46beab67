"""What a question (or an evidence sentence) is about, beyond companies and metric words.

The pieces a relevance check needs to tell "the right sentence" from "a sentence with the same words":

- product and model codes, exact: ``910`` ≠ ``910B`` ≠ ``310``, ``BR20X`` ≠ ``BR100``;
- organisations outside the registry (``登临科技``, ``Zhong Lun Law Firm``), which must be the sentence's subject;
- measure qualifiers: cumulative vs one period, a segment vs the total, 扣非 vs headline profit, plan vs actual vs
  maximum, net vs gross proceeds;
- periods as exact calendar spans (``2022–2025H1`` is not ``2025H1``), a part without a year (``上半年``), and
  "latest" words that ask for the most recent stated period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.entities import Registry
from assistant.periods import parse_periods
from assistant.text import has_word, normalise_for_match

# -- product and model codes -------------------------------------------------------------------------------------
# Letters glued to digits (BR100, JM9, S80, P800, 910B, KX-6000G), or three or more digits right after a Chinese
# character or a capitalised brand word (昇腾910, Ascend 910).
_GLUED = re.compile(r"(?<![a-z0-9.])([a-z]{1,5})-?(\d{1,5})([a-z]{0,3})(?![a-z0-9])")
_AFTER_NAME = re.compile(
    r"(?:(?<=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff] )|(?<=[a-z]{3} ))(\d{3,5})([a-z]{0,2})(?![a-z0-9.,%])"
)
_DIGITS_FIRST = re.compile(r"(?<![a-z0-9.,$¥])(\d{2,5})([a-z]{1,2})(?![a-z0-9])")
_SPACED = re.compile(r"(?<![a-z0-9])(gtx|rtx|gt|rx|mtt|hd)\s(\d{2,5}[a-z]{0,3})(?![a-z0-9])")
# Number formats, units and periods that look like codes but name no product.
_NOT_A_CODE = re.compile(
    r"^(?:fp\d+|bf\d+|int\d+|tf\d+|fy\d+|h[12]|q[1-4]|[1-4]q|[12]h|\d+(?:nm|gb|tb|mb|w|k|hz|ghz|mhz|g|t|x|mm|cm|km|kg|ms|fps)"
    r"|hbm\d[a-z]?|gddr\d[a-z]?|lpddr\d[a-z]?|ddr\d|pcie\d|usb\d|hdmi\d*|dp\d*|5g|4g|3d|2d|ai\d*|covid\d+)$"
)
_YEARISH = re.compile(r"^(?:19|20)\d\d$")
_DATED = re.compile(r"^(?:mid|end|early|late|since|by|pre|post|fy|cy)(?:19|20)\d\d$")  # mid-2025 is a time
_NOT_A_MODEL_AFTER = re.compile(
    r"^\s?(?:年|月|日|亿|万|元|家|个|名|人|股|倍|张|片|台|颗|款|项|次|号|核|位|路|层|条|%|个百分点"
    r"|(?:gb/s|gbps|gb|tb|mb|ghz|mhz|hz|nm|tops|tflops|w|fps|mm)(?![a-z]))"  # 低于 600 GB/s: a measure
)


def product_codes(text: str) -> list[str]:
    """Product and model codes in a text, normalised (lower case, no space or hyphen), in order, without repeats."""
    norm = normalise_for_match(text)
    found: list[tuple[int, str]] = []
    for m in _SPACED.finditer(norm):
        found.append((m.start(), m.group(1) + m.group(2)))
    taken = [(m.start(), m.end()) for m in _SPACED.finditer(norm)]
    for m in _GLUED.finditer(norm):
        if any(a <= m.start() < b for a, b in taken):
            continue
        code = "".join(m.groups())
        if not _NOT_A_CODE.match(code) and not _DATED.match(code):
            found.append((m.start(), code))
    for m in _DIGITS_FIRST.finditer(norm):
        code = "".join(m.groups())
        if (
            not any(a <= m.start() < b for a, b in taken)
            and not _NOT_A_CODE.match(code)
            and not _YEARISH.match(m.group(1))
        ):
            found.append((m.start(), code))
    for m in _AFTER_NAME.finditer(norm):
        code = m.group(1) + m.group(2)
        if any(a <= m.start() < b for a, b in taken) or _YEARISH.match(m.group(1)):
            continue
        if _NOT_A_MODEL_AFTER.match(norm[m.end() :]) or _NOT_A_CODE.match(code):
            continue
        found.append((m.start(), code))
    return list(dict.fromkeys(code for _, code in sorted(found)))


# -- organisations outside the registry ---------------------------------------------------------------------------
_ORG_ZH = re.compile(
    r"([\u4e00-\u9fff]{2,6}?)(科技|股份|集团|公司|半导体|微电子|电子|智能|资本|基金|研究院|交易所|律师事务所|律所|咨询)"
)
_ORG_FUNCTION = re.compile(r"[的之了是在和与及其这那多少几哪个些年月日家为被把向从对他她它我你估认称说]")
_ORG_VERB = re.compile(r"控制|持有|收购|投资|合计|一共|拥有|成立|创办")  # 陈维良一共控制公司: a verb, not a name
# Words that make no organisation name, places included (中国半导体 is the sector, 日本半导体 an industry).
ORG_GENERIC = frozenset(
    {"上市", "国产", "中国", "国内", "全球", "美国", "海外", "芯片", "这家", "该", "其他", "相关"}
    | {"日本", "韩国", "欧洲", "大陆", "中国大陆", "内地"}
)
_ORG_EN = re.compile(
    r"(?<![A-Za-z])((?:[A-Z][A-Za-z&.\-]+\s){0,3}[A-Z][A-Za-z&.\-]+)\s"
    r"(Law Firm|Technologies|Technology|Semiconductor|Microelectronics|Group|Capital|Fund|Holdings|Corp|Inc|Ltd)\b"
)


# A Chinese question usually opens with its subject: the characters before the first year, metric or question word.
_LEADING = re.compile(
    r"^([\u4e00-\u9fff]{2,10}?)(?=\d|的|有|是|在|和|与|为|将|今年|去年|明年|上半年|下半年|前三|第|一季|二季|三季|四季"
    r"|截至|截止|大约|大約|说|說|向|给|給|跟|把|被|这|這|那|此次|本次|也|还|還|已经|已經|曾|最近|近期|目前|当年|當年"
    r"|如何|怎么|怎麼|计划|計劃|拟|擬|准备|準備|预计|預計)"
)
# 智芯未来首款芯片的…: the name is 智芯未来, the rest is what of it the question asks about.
_GENERIC_TAIL = re.compile(r"(?:首款|首颗|第一款|最新款?|新款|旗下|自研)?(?:芯片|产品|显卡|处理器|加速卡|服务器)$")
# 王平认为…, 杨建引用的数据: the question opens with who says it, a speaker rather than the subject.
_SPEAKER = re.compile(r"^[\u4e00-\u9fff]{2,4}?(?:认为|認為|表示|引用|指出|透露|提到|估计|估計|说|說|称|稱)")
_REPORTING_VERB = re.compile(
    r"(?<=[\u4e00-\u9fff]{2})(预测|预计|表示|认为|宣布|公布|披露|发布|称)(?=\d|的|今年|去年|明年)"
)
_NOT_A_NAME_START = re.compile(
    r"^(?:[他她那它其这该此每各哪谁什怎如为请按若假截根从与和对近今去明上下前第一二三四五六七八九十几多全美是有]|中国|国产|国内|国家"
    r"|现在|現在|目前|当前|當前|拆解|分析|报道|報導|报导|據|据|单|單|每|总额|总计|合计|总共|大概|大约|大約|约|約|占|佔)"
)
_ASKS = re.compile(r"谁|哪|什么|怎|为何|是否|多少")  # 是谁表示倚天710…: a question's words, not a name


def organisations(text: str, registry: Registry, vocabulary: frozenset[str] = frozenset()) -> list[str]:
    """Names of organisations in ``text`` that the registry does not know (``登临科技``, ``Zhong Lun Law Firm``).

    Besides names with an organisation suffix, a Chinese question's opening name (``昆仑芯2024年营收…``) counts
    when it is not a known company, a word of the ``vocabulary`` (metrics, periods) or a pronoun.
    """
    names: list[str] = []
    lead = _LEADING.match(_REPORTING_VERB.sub("", text.strip(), count=1))
    opening = _GENERIC_TAIL.sub("", lead.group(1)) if lead and not _SPEAKER.match(text.strip()) else ""
    if (
        2 <= len(opening) <= 6
        and not _NOT_A_NAME_START.match(opening)
        and not _ASKS.search(opening)
        and not registry.mentions(opening)
        and not any(word in opening for word in vocabulary if len(word) >= 2)
    ):
        names.append(opening)
    for m in _ORG_ZH.finditer(text):
        stem = m.group(1)
        if _ORG_FUNCTION.search(stem) or _ORG_VERB.search(stem) or stem in ORG_GENERIC or registry.mentions(m.group(0)):
            continue
        names.append(m.group(0))
    for m in _ORG_EN.finditer(text):
        if not registry.mentions(m.group(0)):
            names.append(m.group(0))
    return list(dict.fromkeys(names))


# -- the unit an answer must carry --------------------------------------------------------------------------------
_UNIT_ASKS = {
    "shares": re.compile(r"(?:多少|几|多少万|多少亿)股(?![份权东本价])|how many shares|number of shares"),
    "currency": re.compile(
        r"多少钱|多少(?:亿|万|千万|百万)?(?:港元|港币|美元|人民币|元)"
        r"|how much money|how many (?:yuan|dollars|hong kong dollars)"
    ),
    "x": re.compile(r"几倍|多少倍|how many times"),
    "people": re.compile(r"(?:多少|几)(?:个|名)?(?:人|员工)(?![民工])|how many (?:people|employees|staff)"),
    "%": re.compile(
        r"百分之几|多少%|百分比|几成|高出多少|涨幅|溢价|what percentage|what percent|what share of"
        r"|how (?:far|much) (?:above|below|higher|lower)"
    ),
}


def clause_texts(text: str) -> list[str]:
    """A question cut at its clause marks (？；，、 and ", and what/how …")."""
    clauses = (_LEADING_AND.sub("", c.strip()) for c in _PART_SPLIT.split(text))
    return [c for c in clauses if c]


_PART_SPLIT = re.compile(r"[?？;；,，、]|(?<=[A-Za-z]) and (?=what|how|when|which|who|where)", re.I)
_LEADING_AND = re.compile(r"^(?:and|以及|还有|并且|并|和|另外)\s*", re.I)
ASKING = re.compile(  # a clause that asks something
    r"多少|几|什么|哪|多大|多高|谁|如何|怎样|是否|how|what|which|who|when|where|whether"
)


def asked_units(question: str) -> frozenset[str]:
    """The units a figure answering the question may have ("shares", "currency", "x", "%"), one per clause;
    empty when some clause asks for a figure of any unit (or none is asked)."""
    units = set()
    for clause in clause_texts(normalise_for_match(question)):
        if not ASKING.search(clause):
            continue
        found = [unit for unit, pattern in _UNIT_ASKS.items() if pattern.search(clause)]
        if not found:
            return frozenset()
        units.update(found)
    return frozenset(units)


def has_unit(quantity_unit: str, currency: str, units: frozenset[str]) -> bool:
    """A parsed figure (its unit and currency) is of one of the asked units."""
    return (
        ("shares" in units and quantity_unit == "shares")
        or ("currency" in units and bool(currency))
        or ("x" in units and quantity_unit == "x")
        or ("people" in units and quantity_unit == "people")
        or ("%" in units and quantity_unit in ("%", "pp"))
    )


# -- periods ------------------------------------------------------------------------------------------------------
LATEST_WORDS = ("最新", "最近", "目前", "去年", "今年", "latest", "most recent", "last year", "this year", "recent")
_AS_OF = re.compile(
    r"截至|截止|到.{0,6}为止|as of|(?<![a-z])by (?:the )?(?:end|mid|early|late)|(?<![a-z])by (?:19|20)\d\d|until"
)
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_DAY_OR_MONTH = re.compile(r"^\d{4}-\d\d(?:-\d\d)?$")
_PART_ONLY = {
    "H1": ("上半年", "first half", "h1"),
    "H2": ("下半年", "second half", "h2"),
    "9M": ("前三季度", "前三个季度", "first three quarters", "first nine months"),
    "Q1": ("一季度", "第一季度", "first quarter"),
    "Q2": ("二季度", "第二季度", "second quarter"),
    "Q3": ("三季度", "第三季度", "third quarter"),
    "Q4": ("四季度", "第四季度", "fourth quarter"),
}


@dataclass(frozen=True)
class PeriodAsk:
    """The period a question asks about: exact labels, or a part of an unnamed year, or the latest stated.

    ``as_of`` marks a point in time (截至2025年年中, by mid-2025): any date of that year answers it.
    """

    labels: tuple[str, ...] = ()
    part: str = ""
    latest: bool = False
    as_of: bool = False
    days: tuple[str, ...] = ()  # calendar days asked (2025年12月5日那天): a sentence dated another day is out
    months: tuple[str, ...] = ()  # months and days asked (2026年10月那次配售): a source published before is out


def period_ask(question: str) -> PeriodAsk:
    """Exact period labels (``2025H1``, ``2022–2025H1``, ``2024``) or a bare part (``上半年`` → part ``H1``).

    Relative years (去年, last year) ask for the latest period the sources state, as do 最新 / latest.
    """
    every = parse_periods(question)
    spans = [s for s in every if not re.fullmatch(r"\d{4}-\d\d(-\d\d)?", s.label)]
    days = tuple(s.label for s in every if _DAY.fullmatch(s.label))
    months = tuple(s.label for s in every if _DAY_OR_MONTH.fullmatch(s.label))
    labels = tuple(dict.fromkeys(s.label for s in spans))
    norm = normalise_for_match(question)
    latest = any(has_word(norm, w) for w in LATEST_WORDS)
    if labels:
        return PeriodAsk(labels, latest=latest, as_of=bool(_AS_OF.search(norm)), days=days, months=months)
    part = next((p for p, words in _PART_ONLY.items() if any(has_word(norm, w) for w in words)), "")
    return PeriodAsk((), part, latest, days=days, months=months)


def sentence_periods(sentence: str, default_year: int | None) -> tuple[str, ...]:
    """The period and date labels a sentence states (relative words such as 去年 resolved against ``default_year``)."""
    return tuple(s.label for s in parse_periods(sentence, default_year))


def published_before(ask: PeriodAsk, published: str) -> bool:
    """The source was published before the first month the question asks about, so it cannot report it."""
    if not ask.months or not re.match(r"\d{4}-\d\d", published):
        return False
    return published[:7] < min(label[:7] for label in ask.months)


def label_part(label: str) -> str:
    """The part of a period label: ``2025H1`` → ``H1``, ``2025-9M`` → ``9M``, ``2024`` → ``''``."""
    m = re.fullmatch(r"\d{4}-?(H[12]|Q[1-4]|9M)?", label)
    return (m.group(1) or "") if m else "?"


# A span of years a question asks about: 2026 to 2028, 2022至2024年, 2021-2023.
_YEAR_SPAN = re.compile(r"(20\d\d)\s*年?\s*(?:to|through|until|至|到|-|–|—|~)\s*(20\d\d)")


def event_span(question: str, labels: tuple[str, ...]) -> tuple[int, int] | None:
    """The years an event question (who, which, when …) asks about, as a closed span: a range it writes, or the
    one year it names (a date in 2026年第一季度 is in 2026); None when it names no year."""
    m = _YEAR_SPAN.search(question)
    if m:
        low, high = sorted((int(m.group(1)), int(m.group(2))))
        return low, high
    years = {label[:4] for label in labels if label[:4].isdigit()}
    if len(years) == 1:
        year = int(next(iter(years)))
        return year, year
    return None


def period_mismatch(
    ask: PeriodAsk, stated: tuple[str, ...], undated_year: int | None = None, span: tuple[int, int] | None = None
) -> bool:
    """True when a sentence's periods cannot answer the asked period. ``undated_year``: the year a sentence that
    states no year speaks of (an event question's article year: "8日的说明会上" in a 2024 article is 2024's).
    ``span``: for an event question, the years it asks about (2026 to 2028): any date within them answers."""
    if undated_year and not any(not _DAY_OR_MONTH.match(s) for s in stated):
        stated = (*stated, str(undated_year))
    if span is not None:
        dated = [int(s[:4]) for s in stated if s[:4].isdigit()]
        return not dated or not any(span[0] <= y <= span[1] for y in dated)
    stated_days = {s for s in stated if _DAY.fullmatch(s)}
    if ask.days and stated_days and not stated_days & set(ask.days):
        return True
    if ask.labels and ask.as_of:
        years = {label[:4] for label in ask.labels}
        return bool(stated) and not any(s[:4] in years for s in stated)
    if ask.labels:
        return not set(ask.labels) & {s for s in stated if not _DAY_OR_MONTH.match(s)}
    if ask.part:
        return not any(label_part(s) == ask.part for s in stated)
    return False
