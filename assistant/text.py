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
_CJK_RUN = re.compile(r"([\u3400-\u9fff]+)")
# Characters OpenCC's regional tables treat as variants but brands write as they are (昇腾, Huawei's Ascend).
_KEEP_VARIANT = frozenset("昇")


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


@cache
def _tw2sp() -> Any:
    import opencc

    return opencc.OpenCC("tw2sp")


def simplified(text: str) -> str:
    """Traditional Chinese as simplified, for matching; same length as the input.

    Taiwan's words become the mainland's where OpenCC's ``tw2sp`` keeps the length (晶片 → 芯片, 奈米 → 纳米,
    頻寬 → 带宽); a run of characters whose mainland form has another length (記憶體 → 内存) is converted by
    character (``t2s``), phrase by phrase where that keeps the length, else character by character, so offsets
    stay valid in the original text. A brand's variant character stays (昇腾 is not 升腾).
    """
    if not _CJK.search(text):
        return text
    whole = _mainland(text)
    if whole is not None:
        return whole
    return "".join(_mainland(run) or _by_character(run) for run in _CJK_RUN.split(text) if run)


def _mainland(text: str) -> str | None:
    """``text`` in mainland words and characters, or None when that changes its length."""
    words = str(_tw2sp().convert(text))
    if len(words) == len(text):
        return "".join(t if t in _KEEP_VARIANT else w for t, w in zip(text, words, strict=True))
    return None


def _by_character(text: str) -> str:
    converted = str(_t2s().convert(text))
    if len(converted) == len(text):
        return converted
    return "".join(_char_t2s(ch) for ch in text)


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
