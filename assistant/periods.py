"""Periods and dates as written in Chinese and English news, parsed to exact calendar spans.

``2025年上半年`` / ``H1 2025`` / ``1H25`` → ``2025H1`` (2025-01-01..2025-06-30); ``2025年1-9月`` → ``2025-9M``;
``2022年至2025年上半年`` → ``2022–2025H1`` (42 months); ``截至2025年9月30日`` → the day ``2025-09-30``.
Fiscal years (``FY2024``, ``2024财年``) are taken as calendar years, and two-digit years (``1H25``, ``FY24``) as
20xx. Matching runs on width-normalised text, so ``pos`` and ``text`` index the original input.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assistant.text import normalise, simplified

_DAYS_PER_MONTH = Decimal("30.4375")
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_RELATIVE = {"前年": -2, "去年": -1, "今年": 0, "本年": 0, "明年": 1}
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_L = r"(?<![A-Za-z0-9_])"  # ASCII word boundaries: Python's \b treats Chinese characters as word characters
_R = r"(?![A-Za-z0-9_])"
_Y4 = r"(?P<y>(?:19|20)\d{2})"
_YQ = r"(?P<y>(?:19|20)\d{2}|'\d{2})"  # a four-digit year, or '25
_YS = r"'?(?P<y>(?:19|20)\d{2}|\d{2})"  # also a bare two-digit year, after 1H / 3Q / FY / 9M
_MON = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MON2 = _MON.replace("?P<mon>", "?P<mon2>")
_FY = r"(?:FY\s?|fiscal\s+(?:year\s+)?)"
_SEP = r"\s?(?:-|–|—|~|至|到)\s?"
_PART = r"全年|上半年|下半年|前三个?季度|前3个?季度|第\s?[1-4一二三四]\s?季度|[1-4一二三四]\s?季度|Q[1-4]"
_NOT_A_YEAR = (
    r"(?![\w.%‰]|,\d)(?!\s?(?:[万亿千百元股名家张个片颗户人台套倍]|shares|units|people|yuan|times"
    r"|[tgpm]?flops|tops|[gtm]b(?:/s)?|nm|w)(?![A-Za-z]))"
)

# (kind, pattern): every pattern is tried; overlapping candidates resolve leftmost-longest.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern, re.I))
    for kind, pattern in [
        ("day", rf"{_L}{_Y4}\s?年\s?(?P<m>\d{{1,2}})\s?月\s?(?P<d>\d{{1,2}})\s?[日号]"),
        ("day", r"(?<![\d年])(?P<m>\d{1,2})\s?月\s?(?P<d>\d{1,2})\s?[日号]"),
        ("day", rf"{_L}{_Y4}(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}}){_R}(?!\.\d)"),
        ("day", rf"{_L}{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+){_Y4}{_R}"),
        ("day", rf"{_L}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON},?\s+{_Y4}{_R}"),
        ("months", rf"{_L}{_MON}\s?(?:-|–|—|to|through)\s?{_MON2},?\s+(?:of\s+)?{_Y4}{_R}"),
        ("month", rf"{_L}{_MON},?\s+(?:of\s+)?{_Y4}{_R}"),
        ("months", rf"{_L}{_Y4}\s?年\s?(?P<m>\d{{1,2}})\s?月?{_SEP}(?P<m2>\d{{1,2}})\s?月份?"),
        ("month", rf"{_L}{_Y4}\s?年\s?(?P<m>\d{{1,2}})\s?月份?"),
        ("month", rf"{_L}{_Y4}[-/](?P<m>0?[1-9]|1[0-2]){_NOT_A_YEAR}(?![\d/-])"),
        ("part", rf"(?:(?P<rel>前年|去年|今年|本年|明年)|{_L}{_Y4}\s?(?:财年|年度?)\s?的?)(?P<part>{_PART})?"),
        ("part", r"(?<![年\d])(?P<part>上半年|下半年|前三个?季度|前3个?季度|第[1-4一二三四]季度|[1-4一二三四]季度)"),
        (
            "report",
            rf"{_L}{_Y4}\s?(?:年度?)?\s?的?(?P<rep>一季报|一季度报|半年报|半年度报告|中报|三季报|年报|年度报告)",
        ),
        (
            "quarter_end",
            r"(?:截至|截止)\s?(?:(?P<y>(?:19|20)\d{2})\s?年\s?)?(?P<qm>3|6|9|12)\s?月(?:底|末)?的?(?:当季|季度|那个季度)",
        ),
        ("half", rf"{_L}H(?P<h>[12])\s?(?:FY\s?)?{_YQ}{_R}"),
        ("half", rf"{_L}(?P<h>[12])H\s?(?:FY\s?)?{_YS}{_R}"),
        ("half", rf"{_L}{_Y4}\s?H(?P<h>[12]){_R}"),
        ("half", rf"{_L}(?P<h>first|second|1st|2nd)[\s-]+half\s+(?:of\s+)?(?:the\s+)?{_FY}?{_YQ}{_R}"),
        ("quarter", rf"{_L}Q(?P<q>[1-4])\s?(?:FY\s?)?{_YQ}{_R}"),
        ("quarter", rf"{_L}(?P<q>[1-4])Q\s?(?:FY\s?)?{_YS}{_R}"),
        ("quarter", rf"{_L}{_Y4}\s?Q(?P<q>[1-4]){_R}"),
        ("quarter", rf"{_L}(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?{_FY}?{_YQ}{_R}"),
        ("quarter", rf"{_L}Q(?P<q>[1-4]){_R}"),
        ("nine", rf"{_L}9M\s?(?:FY\s?)?{_YS}{_R}"),
        ("nine", rf"{_L}first\s+nine\s+months\s+(?:of\s+)?{_YQ}{_R}"),
        ("year", rf"{_L}{_FY}{_YS}{_R}"),
        ("bare_year", rf"{_L}(?<![$¥]){_Y4}{_NOT_A_YEAR}"),
    ]
]
_REPORTS = {"一季": (1, 3), "半年": (1, 6), "中报": (1, 6), "三季": (1, 9), "年报": (1, 12), "年度": (1, 12)}
_RANGE_GAP = re.compile(r"\s*(?:至|到|-|–|—|~|to|through)\s*", re.I)
_MODEL_BEFORE = re.compile(r"[A-Z]{2,}\s$")  # RTX 2060 is a graphics card, not a year
_DAY_LABEL = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Span:
    """A calendar span from ``start`` to ``end`` (both inclusive) with a canonical ``label``."""

    start: dt.date
    end: dt.date
    label: str
    text: str = ""
    pos: int = 0

    @property
    def months(self) -> Decimal:
        """Length in months: whole months for month-aligned spans (2025H1 → 6), else days / 30.4375."""
        if self.start.day == 1 and self.end == _month_end(self.end.year, self.end.month):
            return Decimal((self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1)
        return Decimal((self.end - self.start).days + 1) / _DAYS_PER_MONTH


def parse_periods(text: str, default_year: int | None = None) -> list[Span]:
    """Every period or date in ``text`` in order; ``2022年至2025年上半年``-style ranges become one span.

    Args:
        text: Chinese or English text (full-width characters accepted).
        default_year: The year for periods written without one (``前三季度``, ``12月22日``, ``Q3``) and the base
            of 今年/去年/明年; such periods are skipped when it is ``None``.

    Returns:
        The spans, each with the matched ``text`` and its ``pos`` in the original string.
    """
    return _merge_ranges(_tokens(text, default_year), text)


def parse_date(text: str) -> dt.date | None:
    """The first full date in ``text`` (``2026年1月2日``, ``2026-01-02``, ``Jan 2, 2026``, ``2 January 2026``)."""
    return next((span.start for span in _tokens(text, None) if _DAY_LABEL.match(span.label)), None)


def quarter_of(day: dt.date) -> str:
    """The calendar quarter containing ``day``, e.g. ``"2027Q2"``."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def add_months(day: dt.date, months: Decimal) -> dt.date:
    """``day`` moved by ``months`` calendar months; the fraction adds ``round(frac × days in the landing month)``.

    The whole months move the day of month (clamped to the month's end, Jan 31 + 1 → Feb 28/29); the fractional
    part (always in [0, 1), as the whole part is the floor) is then added as days, rounding half up.
    """
    whole = int(months.to_integral_value(rounding="ROUND_FLOOR"))
    index = day.year * 12 + day.month - 1 + whole
    year, month = divmod(index, 12)
    month += 1
    landed = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    extra = ((months - whole) * calendar.monthrange(year, month)[1]).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return landed + dt.timedelta(days=int(extra))


def _tokens(text: str, default_year: int | None) -> list[Span]:
    """Single periods (no ranges), leftmost-longest among overlapping candidates."""
    norm = simplified(normalise(text))  # 三季報 reads as 三季报; the same length, so offsets hold
    candidates: list[Span] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(norm):
            bounds = _build(kind, m, default_year)
            if bounds is not None:
                start, end, label = bounds
                candidates.append(Span(start, end, label, text[m.start() : m.end()], m.start()))
    chosen: list[Span] = []
    reached = 0
    for span in sorted(candidates, key=lambda s: (s.pos, -len(s.text))):
        if span.pos >= reached:
            chosen.append(span)
            reached = span.pos + len(span.text)
    return chosen


def _merge_ranges(tokens: list[Span], text: str) -> list[Span]:
    merged: list[Span] = []
    index = 0
    while index < len(tokens):
        first = tokens[index]
        second = tokens[index + 1] if index + 1 < len(tokens) else None
        gap = text[first.pos + len(first.text) : second.pos] if second else ""
        if second and _RANGE_GAP.fullmatch(normalise(gap)) and first.start < second.start and first.end < second.end:
            label = f"{first.label}–{second.label}"
            whole = text[first.pos : second.pos + len(second.text)]
            merged.append(Span(first.start, second.end, label, whole, first.pos))
            index += 2
        else:
            merged.append(first)
            index += 1
    return merged


_Bounds = tuple[dt.date, dt.date, str]


def _build(kind: str, m: re.Match[str], default_year: int | None) -> _Bounds | None:
    groups = m.groupdict()
    year = _year(groups, default_year)
    if year is None:
        return None
    if kind == "day":
        month = int(groups["m"]) if groups.get("m") else _MONTH_NAMES.index(groups["mon"][:3].lower()) + 1
        return _day(year, month, int(groups["d"]))
    if kind == "month":
        month = int(groups["m"]) if groups.get("m") else _MONTH_NAMES.index(groups["mon"][:3].lower()) + 1
        return _months(year, month, month)
    if kind == "months":
        if groups.get("mon"):  # January–September 2025
            first, last = (_MONTH_NAMES.index(groups[g][:3].lower()) + 1 for g in ("mon", "mon2"))
            return _months(year, first, last)
        return _months(year, int(groups["m"]), int(groups["m2"]))
    if kind == "half":
        half = _number(groups["h"])
        return _months(year, 6 * half - 5, 6 * half)
    if kind == "quarter":
        quarter = _number(groups["q"])
        return _months(year, 3 * quarter - 2, 3 * quarter)
    if kind == "quarter_end":  # 截至6月当季: the quarter ending in June
        last = int(groups["qm"])
        return _months(year, last - 2, last)
    if kind == "nine":
        return _months(year, 1, 9)
    if kind == "report":  # a periodic report covers the year to date: 三季报 is January–September
        first, last = _REPORTS[groups["rep"][:2]]
        return _months(year, first, last)
    if kind == "part":
        return _part(year, groups.get("part") or "")
    if kind == "bare_year" and _MODEL_BEFORE.search(m.string[max(0, m.start() - 12) : m.start()]):
        return None
    return _months(year, 1, 12)


def _year(groups: dict[str, str | None], default_year: int | None) -> int | None:
    written = groups.get("y")
    if written:
        digits = written.lstrip("'")
        return 2000 + int(digits) if len(digits) == 2 else int(digits)
    rel = groups.get("rel")
    if default_year is None:
        return None
    return default_year + _RELATIVE[rel] if rel else default_year


def _number(word: str) -> int:
    word = word.lower()
    return _ORDINAL.get(word) or _CN.get(word) or int(word)


def _part(year: int, part: str) -> _Bounds | None:
    part = part.replace(" ", "")
    if part in ("", "全年"):
        return _months(year, 1, 12)
    if part in ("上半年", "下半年"):
        return _months(year, 1, 6) if part == "上半年" else _months(year, 7, 12)
    if part.replace("个", "") in ("前三季度", "前3季度"):
        return _months(year, 1, 9)
    quarter = _number(part.lstrip("第Qq").removesuffix("季度"))
    return _months(year, 3 * quarter - 2, 3 * quarter)


def _months(year: int, first: int, last: int) -> _Bounds | None:
    """Whole months ``first``..``last`` of ``year`` with the canonical label (2025, 2025H1, 2025Q3, 2025-9M …)."""
    if not 1 <= first <= last <= 12:
        return None
    if (first, last) == (1, 12):
        label = f"{year}"
    elif (first, last) in ((1, 6), (7, 12)):
        label = f"{year}H{last // 6}"
    elif first % 3 == 1 and last == first + 2:
        label = f"{year}Q{last // 3}"
    elif (first, last) == (1, 9):
        label = f"{year}-9M"
    elif first == last:
        label = f"{year}-{first:02d}"
    else:
        label = f"{year}-{first:02d}–{year}-{last:02d}"
    return dt.date(year, first, 1), _month_end(year, last), label


def _day(year: int, month: int, day: int) -> _Bounds | None:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date, date, date.isoformat()


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# A day named relative to the text's date: 上周四, 本周一, 昨日, last Thursday. (星期四 alone, with no 上/本, could be
# either week: it is not resolved.)
RELATIVE_DAY = re.compile(
    r"(?P<week>[上本这這])[周週]\s?(?P<zh>[一二三四五六日天])|(?P<ago>昨天|昨日|前天|今天|今日)"
    r"|(?P<en_week>last|this) (?P<en>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?P<yesterday>yesterday)",
    re.I,
)
_WEEKDAY_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAYS_AGO = {"昨天": 1, "昨日": 1, "前天": 2, "今天": 0, "今日": 0}


def relative_day(match: re.Match[str], published: dt.date) -> dt.date:
    """The calendar day a :data:`RELATIVE_DAY` match names in a text dated ``published`` (weeks start on Monday:
    上周四 in a Monday 2023-08-14 post is 2023-08-10; "last Thursday" is the latest Thursday before the date)."""
    if match.group("ago"):
        return published - dt.timedelta(days=_DAYS_AGO[match.group("ago")])
    if match.group("yesterday"):
        return published - dt.timedelta(days=1)
    monday = published - dt.timedelta(days=published.weekday())
    if match.group("zh"):
        day = _WEEKDAY_ZH[match.group("zh")]
        return monday + dt.timedelta(days=day - (7 if match.group("week") == "上" else 0))
    day = _WEEKDAY_EN.index(match.group("en").lower())
    if match.group("en_week").lower() == "this":
        return monday + dt.timedelta(days=day)
    back = (published.weekday() - day) % 7 or 7
    return published - dt.timedelta(days=back)
