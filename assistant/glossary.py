"""English -> Chinese glossary lookups: how English question words are written in Chinese news text.

The terms live in ``assistant/data/glossary.yaml`` and are loaded with the rest of the vocabulary
(``assistant.vocabulary``). ``lookup`` finds a word or phrase, falling back to simple lemmas (plural, -ed, -ing)
and British/American spellings when the exact key is missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# British <-> American spellings, applied to every word of a phrase: -isation/-ization (and -ise/-ize forms),
# -our/-or (colour, labour, behaviour), -tre/-ter (centre).
_ISE = re.compile(r"(?<=[a-z]{2})is(?=(?:e|ed|es|ing|ation|ations)\b)")
_IZE = re.compile(r"(?<=[a-z]{2})iz(?=(?:e|ed|es|ing|ation|ations)\b)")
_OUR = re.compile(r"(?<=[a-z]{2})our(?=(?:s|ed|ing|able|ite|ites)?\b)")
_OR = re.compile(r"(?<=[a-z]{2})or(?=(?:s|ed|ing|able|ite|ites)?\b)")
_TRE = re.compile(r"(?<=[a-z])tre(?=s?\b)")
_TER = re.compile(r"(?<=[a-z])ter(?=s?\b)")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCT = " \t\"'“”‘’()[]{},.;:!?？，。：；！（）"
_VOWELS = set("aeiou")


def parse_glossary(data: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """A glossary file's mapping as lower-case English term -> Chinese renderings, most common first."""
    return {_SPACES.sub(" ", str(key).strip().lower()): tuple(str(v) for v in values) for key, values in data.items()}


def lookup(glossary: Mapping[str, tuple[str, ...]], word: str) -> tuple[str, ...]:
    """Chinese renderings of an English word or phrase (``"shipments"`` -> ``("出货量", "出货", ...)``).

    The exact key wins; otherwise hyphen/space variants, British/American spellings and simple lemmas are tried,
    in that order (see ``candidate_keys``). Returns ``()`` for an unknown word.
    """
    for key in candidate_keys(word):
        if key in glossary:
            return glossary[key]
    return ()


def candidate_keys(word: str) -> list[str]:
    """Glossary keys to try for ``word``, best first, without repeats.

    First the word as written (lower-cased, then with edge punctuation trimmed) with hyphen/space and spelling
    variants, then the same forms with the last word reduced to a lemma: -ies -> -y, -s, -es, -ied -> -y, -ed
    (with -e restored or a doubled consonant undone), -ing (likewise) and a trailing possessive 's.
    """
    lowered = _SPACES.sub(" ", word.lower().replace("’", "'")).strip()
    text = lowered.strip(_EDGE_PUNCT)
    if not text:
        return []
    surfaces = _unique([lowered, text, text.replace("-", " "), text.replace(" ", "-"), text.replace("-", "")])
    forms = _unique([variant for surface in surfaces for variant in _spellings(surface)])
    keys = list(forms)
    for form in forms:
        head, _, last = form.rpartition(" ")
        prefix = f"{head} " if head else ""
        for lemma in _lemmas(last):
            keys.extend(_spellings(prefix + lemma))
    return _unique(keys)


def _spellings(text: str) -> list[str]:
    """The text, its American spelling and its British spelling."""
    american = _TRE.sub("ter", _OUR.sub("or", _ISE.sub("iz", text)))
    british = _TER.sub("tre", _OR.sub("our", _IZE.sub("is", text)))
    return _unique([text, american, british])


def _lemmas(word: str) -> list[str]:
    """Possible base forms of one English word, most likely first (may include non-words)."""
    out: list[str] = []
    if word.endswith("'s"):
        return [word[:-2]]
    if len(word) > 4 and word.endswith("ies"):
        out.append(word[:-3] + "y")
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
        if word.endswith("es"):
            out.append(word[:-2])
    if len(word) > 4 and word.endswith("ied"):
        out.append(word[:-3] + "y")
    if len(word) > 3 and word.endswith("ed"):
        out.extend(_stems(word[:-2]))
    if len(word) > 5 and word.endswith("ing"):
        out.extend(_stems(word[:-3]))
    return _unique(out)


def _stems(stem: str) -> list[str]:
    """Base forms behind an -ed/-ing stem: with -e restored (priced), as is (listed), undoubled (planned)."""
    out = [stem + "e", stem]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        out.append(stem[:-1])
    return out


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))
