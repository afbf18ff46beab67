"""Keyword tokens for BM25: jieba (loaded once, with the company aliases) plus lower-cased English words."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from functools import cache
from typing import Any, cast

from assistant.entities import default_registry
from assistant.text import normalise_for_match

# Domain words jieba should keep whole (metrics and periods as the sector writes them).
DOMAIN_WORDS = (
    "营收",
    "营业收入",
    "净亏损",
    "净利润",
    "归母净利润",
    "扣非净利润",
    "毛利率",
    "研发投入",
    "研发费用",
    "募资",
    "募集资金",
    "发行价",
    "招股价",
    "市值",
    "在手订单",
    "市场份额",
    "出货量",
    "上半年",
    "下半年",
    "前三季度",
    "一季度",
    "二季度",
    "三季度",
    "四季度",
    "超额认购",
    "中签率",
    "基石投资者",
    "科创板",
    "港股",
)
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "也",
        "都",
        "而",
        "就",
        "并",
        "把",
        "被",
        "对",
        "从",
        "向",
        "为",
        "以",
        "于",
        "其",
        "之",
        "等",
        "这",
        "那",
        "该",
        "此",
        "个",
        "们",
        "吗",
        "呢",
        "吧",
        "啊",
        "么",
        "什么",
        "多少",
        "几",
        "怎么",
        "怎样",
        "如何",
        "哪些",
        "哪个",
        "哪",
        "谁",
        "请问",
        "请",
        "一下",
        "有",
        "没有",
        "是否",
        "可以",
        "能",
        "会",
        "说",
        "据",
        "按",
        "约",
        "达",
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "by",
        "with",
        "as",
        "from",
        "that",
        "this",
        "it",
        "its",
        "what",
        "which",
        "who",
        "how",
        "much",
        "many",
        "did",
        "does",
        "do",
        "per",
        "than",
        "about",
        "into",
        "over",
        "?",
        "？",
        ",",
        "，",
        "。",
        ".",
        ":",
        "：",
        ";",
        "；",
        "(",
        ")",
        "（",
        "）",
        "、",
        "“",
        "”",
        '"',
        "'",
        "！",
        "!",
        "-",
        "—",
        "~",
        "…",
    ]
)
_WORD = re.compile(r"[a-z][a-z0-9.+\-]*|\d[\d.,%]*")
_lock = threading.Lock()


@cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    from assistant.vocabulary import shipped  # (imported here: the vocabulary's own loading tokenizes nothing)

    names = [form for forms in shipped().names.values() for form in forms]  # 算能, 平头哥: one word each
    for word in (*default_registry().all_names(), *DOMAIN_WORDS, *names):
        if not word.isascii():
            tokenizer.add_word(normalise_for_match(word), freq=200000)
    return tokenizer


def word_frequencies() -> Mapping[str, int]:
    """How often each word of the segmenter's dictionary occurs (its corpus counts), for ranking renderings."""
    return cast("Mapping[str, int]", _jieba().FREQ)


def words(text: str) -> list[str]:
    """The words of a text as one reading segments it (挑战者 stays one word, unlike in search tokens)."""
    normalised = normalise_for_match(text)
    tokenizer = _jieba()
    with _lock:
        return [w for w in tokenizer.lcut(normalised) if w.strip()]


def tokenize(text: str) -> list[str]:
    """Search tokens of a text: normalised, lower-cased, without stopwords and punctuation."""
    normalised = normalise_for_match(text)
    tokenizer = _jieba()
    with _lock:  # jieba's tokenizer is not thread-safe during lazy work
        pieces = list(tokenizer.cut_for_search(normalised))
    tokens: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece or piece in STOPWORDS:
            continue
        if piece.isascii():
            tokens.extend(w.strip(".,") for w in _WORD.findall(piece) if w.strip(".,") not in STOPWORDS)
        elif any(ch.isalnum() for ch in piece):
            tokens.append(piece)
    return [t for t in tokens if t]
