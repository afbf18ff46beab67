"""Item markers: a sentence that opens an item of a numbered list (第二个，…  一是…  （三）…  First, …)."""

from __future__ import annotations

import re

_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
_EN = {w: i for i, w in enumerate(("first", "second", "third", "fourth", "fifth", "sixth", "seventh"), start=1)}
# 第一个， / 第二点： / 第三方面 …, 一是…, 其一，, (1) / （二）, 1、 — never 第一季度, 第一批, 第1号 (those are names).
_ZH = re.compile(
    r"^(?:第(?P<n1>[一二三四五六七八九十]|\d{1,2})(?:(?P<word>个|個|點|点|条|條|方面)|(?=[，,、：:；]))"
    r"|(?P<n2>[一二三四五六七八九十])是(?=[^的])"
    r"|其(?P<n3>[一二三四五六七八九十])[，,、：:]"
    r"|[（(](?P<n4>[一二三四五六七八九十]|\d{1,2})[)）]"
    r"|(?P<n5>\d{1,2})[、．)）](?!\d))"
)
_EN_ORDINAL = re.compile(r"^(?P<n>first|second|third|fourth|fifth|sixth|seventh)(?:ly)?,\s", re.I)


def ordinal(text: str) -> tuple[str, int] | None:
    """The style and number of an item marker opening ``text`` (``("第个", 2)`` for 第二个，…), or None."""
    body = text.strip().lstrip('“"*#> ')
    m = _ZH.match(body)
    if m:
        for style in ("1", "2", "3", "4", "5"):
            value = m.group(f"n{style}")
            if value:
                number = _DIGITS.get(value) or int(value)
                return (f"{style}{m.group('word') or ''}" if style == "1" else style), number
    m = _EN_ORDINAL.match(body)
    return ("en", _EN[m.group("n").lower()]) if m else None
