"""Text helpers: width normalisation (length-preserving) and sentence splitting with offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

# Full-width ASCII (U+FF01..U+FF5E) -> ASCII and the ideographic space -> space. One character maps to one
# character, so offsets computed on normalised text are valid in the original text too.
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Chinese sentence punctuation kept as it is in text, mapped for matching only.
_PUNCT_TABLE = {ord("，"): ",", ord("："): ":", ord("（"): "(", ord("）"): ")", ord("％"): "%"}

SENTENCE_END = "。！？；!?;…"
_CLOSERS = "”’\"'」』)）】]"
_CJK = re.compile(r"[\u3400-\u9fff]")
# Taiwan's words for the trade (after t2s) → the mainland's, each of the same length.
_TAIWAN_WORDS = {
    "晶片": "芯片",
    "奈米": "纳米",
    "频宽": "带宽",
    "软体": "软件",
    "硬体": "硬件",
    "网路": "网络",
    "伺服器": "服务器",
    "人工智慧": "人工智能",
    "程式": "程序",
    "资料中心": "数据中心",
    "记忆体": "存储器",
    "绘图": "图形",
    "甚么": "什么",
}
_TAIWAN = re.compile("|".join(sorted(_TAIWAN_WORDS, key=len, reverse=True)))


def normalise(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII; same length as the input."""
    return text.translate(_WIDTH_TABLE)


@lru_cache(maxsize=16384)  # the same evidence sentences are matched for every part of a question
def normalise_for_match(text: str) -> str:
    """Normalise width, script (traditional to simplified) and common Chinese punctuation, lower-case; same
    length as the input."""
    return simplified(normalise(text).translate(_PUNCT_TABLE).lower())


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional Chinese as simplified, for matching; same length as the input.

    OpenCC converts by phrase; the rare phrase whose simplified form has another length is converted character
    by character instead, so offsets stay valid in the original text. Then the Taiwan words of the trade that the
    mainland writes otherwise, in as many characters, become the mainland's (晶片 → 芯片, 奈米 → 纳米): a fixed list,
    since OpenCC's regional table also rewrites by sense (核心 → 内核), which would match a word differently alone
    and in a sentence.
    """
    if not _CJK.search(text):
        return text
    converted = str(_t2s().convert(text))
    if len(converted) != len(text):
        converted = "".join(_char_t2s(ch) for ch in text)
    return _TAIWAN.sub(lambda m: _TAIWAN_WORDS[m.group(0)], converted)


def is_traditional(text: str) -> bool:
    """The text is written in traditional characters: more of its characters read otherwise in simplified than in
    traditional script (华为昇腾 is simplified: 昇 is a brand's character in both, 华 and 腾 are simplified)."""
    if not _CJK.search(text):
        return False
    as_simplified = simplified(text)
    if as_simplified == text:
        return False
    as_traditional = str(_s2t().convert(text))
    changed_back = sum(a != b for a, b in zip(text, as_traditional, strict=False))
    return sum(a != b for a, b in zip(text, as_simplified, strict=True)) > changed_back


def traditional(text: str, keep: tuple[str, ...] = ()) -> str:
    """Simplified characters as traditional ones, except inside the ``keep`` spans (quotes stay as written)."""
    if not _CJK.search(text):
        return text
    kept = sorted({(m.start(), m.end()) for span in keep if span for m in re.finditer(re.escape(span), text)})
    out, at = [], 0
    for start, end in kept:
        if start < at:
            continue
        out += [str(_s2t().convert(text[at:start])), text[start:end]]
        at = end
    return "".join(out) + str(_s2t().convert(text[at:]))


@cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


@cache
def _char_t2s(ch: str) -> str:
    converted = str(_t2s().convert(ch))
    return converted if len(converted) == 1 else ch


_ASCII_WORD = re.compile(r"^[a-z0-9][a-z0-9 -]*$")


def has_word(norm: str, word: str) -> bool:
    """``word`` in normalised text; an English word or code only whole: ``h2`` is not in ``fh210`` or ``h264``,
    though it is in ``2025h2`` (a letter-digit code stands alone against letters before it and digits after)."""
    if word not in norm:
        return False
    if _ASCII_WORD.match(word):
        return _whole(word).search(norm) is not None
    return True


@lru_cache(maxsize=4096)
def _whole(word: str) -> re.Pattern[str]:
    before = "a-z" if word[0].isalpha() and any(c.isdigit() for c in word) else "a-z0-9"
    after = "0-9" if word[-1].isdigit() and any(c.isalpha() for c in word) else "a-z0-9"
    return re.compile(rf"(?<![{before}]){re.escape(word)}(?![{after}])")


def has_cjk(text: str) -> bool:
    """True when the text contains Chinese characters."""
    return bool(_CJK.search(text))


# English words that make a question English even when it names a company or a figure in characters ("Why did
# MetaX's inventory climb to 7.77亿 yuan?", "Who founded 摩尔线程?").
_ENGLISH_ASKING = re.compile(
    r"^(?:what|who|whom|whose|how|why|when|which|where|did|does|do|is|was|are|were|can|could|has|have|had|list|name"
    r"|tell|give|compare|show)\b",
    re.IGNORECASE,
)
_ENGLISH_FUNCTION = re.compile(r"\b(?:the|of|in|did|does|was|were|is|are|to|and|for|its|what|how|why|who)\b", re.I)


def question_language(text: str) -> str:
    """'zh' for a question in Chinese, 'en' for one in English: characters make it Chinese unless it opens with an
    English question word or uses two English function words."""
    stripped = text.strip()
    if not has_cjk(stripped):
        return "en"
    if _ENGLISH_ASKING.match(stripped) or len(_ENGLISH_FUNCTION.findall(stripped)) >= 2:
        return "en"
    return "zh"


def split_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` spans of sentences in ``text[start:end]``.

    A sentence ends at 。！？；… (or ! ? ; and a '.' followed by a space), keeping the end mark and any closing
    quote with it; line breaks end a sentence too. Spans exclude surrounding whitespace.
    """
    end = len(text) if end is None else end
    i = start
    sent_start = start
    while i < end:
        ch = text[i]
        boundary = ch == "\n" or ch in SENTENCE_END or (ch == "." and _is_period(text, i, end))
        if boundary:
            j = i + 1
            while j < end and (text[j] in SENTENCE_END or text[j] in _CLOSERS or text[j] == "."):
                j += 1
            yield from _trimmed(text, sent_start, j)
            sent_start = j
            i = j
            continue
        i += 1
    yield from _trimmed(text, sent_start, end)


def _is_period(text: str, i: int, end: int) -> bool:
    """A '.' ends a sentence when followed by whitespace or the end, and not inside a number or 'e.g.'."""
    nxt = text[i + 1] if i + 1 < end else " "
    if not nxt.isspace():
        return False
    prev = text[i - 1] if i > 0 else " "
    before = text[max(0, i - 4) : i].lower()
    return not (prev.isupper() and len(before.strip()) <= 2) and not before.endswith(("e.g", "i.e", "vs", "no"))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def sentence_at(text: str, offset: int) -> str:
    """The sentence of ``text`` that holds ``offset`` (stripped), or the whole text when none does."""
    return next((text[s:e].strip() for s, e in split_sentences(text) if s <= offset < e), text.strip())
