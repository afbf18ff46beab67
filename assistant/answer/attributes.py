"""Which attributes a question asks about (存货, die area, data transfer rate …), read one way by the planner and the
relevance gate: an attribute word counts unless it sits inside a glossary term that means something else
(high-bandwidth memory, 高带宽内存, is a memory, not a bandwidth; external power, 外接供电, is no power draw)."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from assistant.text import has_word, normalise_for_match
from assistant.vocabulary import Vocabulary

Phrase = tuple[int, int, str, frozenset[str]]  # start, end, the English phrase, its Chinese renderings


class AttributeReader:
    """The attributes a question part names, with the glossary's compound terms masked."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._foreign: dict[str, tuple[str, ...]] = {}  # an attribute → compound terms that hold its words
        self._compounds: dict[str, set[str]] = {}  # a Chinese compound term → every rendering of its entries
        for renderings in vocabulary.glossary.values():
            forms = {normalise_for_match(t) for t in renderings}
            for term in forms:
                if len(term) >= 3 and not term.isascii():
                    self._compounds.setdefault(term, set()).update(forms)

    def asked(self, part: str) -> tuple[str, ...]:
        """The attributes a (normalised) question part asks about, in the vocabulary's order."""
        phrases = self.phrases(part)
        return tuple(key for key, words in self.vocabulary.attributes.items() if self._asks(part, phrases, key, words))

    def phrases(self, part: str) -> list[Phrase]:
        """The English two- and three-word phrases of a question part the glossary knows, with their terms."""
        tokens = list(re.finditer(r"[a-z0-9]+", part))
        found = []
        for size in (3, 2):
            for i in range(len(tokens) - size + 1):
                start, end = tokens[i].start(), tokens[i + size - 1].end()
                phrase = re.sub(r"[\s-]+", " ", part[start:end])
                terms = frozenset(normalised(t) for t in self.vocabulary.chinese_terms(phrase))
                if terms:
                    found.append((start, end, phrase, terms))
        return found

    def _asks(self, part: str, phrases: list[Phrase], key: str, words: tuple[str, ...]) -> bool:
        if not any(word_in(part, w) for w in words):  # cheap first: masking only takes words away
            return False
        masked = self._masked(part, phrases, key, words)
        return any(word_in(masked, w) for w in words)

    def _masked(self, part: str, phrases: list[Phrase], key: str, words: tuple[str, ...]) -> str:
        """The part with the glossary's compound terms blanked when they hold an attribute word but mean something
        else; memory bandwidth stays a bandwidth."""
        own = {normalised(w) for w in words}
        spans = [(start, end) for start, end, phrase, terms in phrases if not terms & own and phrase not in own]
        spans += [
            (m.start(), m.end())
            for term in self._foreign_compounds(key, own)
            for m in re.finditer(re.escape(term), part)
        ]
        for start, end in spans:
            part = part[:start] + " " * (end - start) + part[end:]
        return part

    def _foreign_compounds(self, key: str, own: set[str]) -> tuple[str, ...]:
        """The Chinese compound terms holding one of an attribute's words while meaning something else."""
        if key not in self._foreign:
            self._foreign[key] = tuple(
                term
                for term, siblings in self._compounds.items()
                if not siblings & own and any(w in term for w in own if not w.isascii())
            )
        return self._foreign[key]


# Attributes that name a party or a thing, not a measure: "what is its foundry" asks for a name, not a figure.
NAMED = frozenset(
    {"sponsor", "underwriter", "law_firm", "auditor", "headquarters", "partner", "ticker", "foundry", "interface"}
    | {"largest_shareholder", "customers", "suppliers", "mainland_china", "investment", "guidance"}
)


def measured(attributes: tuple[str, ...]) -> bool:
    """Some asked attribute is a measure (data transfer rate, inventory, die area)."""
    return any(a not in NAMED for a in attributes)


@cache
def attribute_reader(vocabulary: Vocabulary) -> AttributeReader:
    """The one reader of a vocabulary (its compound table is built once)."""
    return AttributeReader(vocabulary)


def word_in(norm: str, word: str) -> bool:
    """``word`` occurs in ``norm`` as itself: English words whole, Chinese words not followed by 率 unless they end
    with it (毛利 is not in 毛利率)."""
    word = normalised(word)
    if word.isascii():
        return has_word(norm, word)
    if word not in norm:
        return False
    return any(norm[m.end() : m.end() + 1] != "率" or word.endswith("率") for m in re.finditer(re.escape(word), norm))


@lru_cache(maxsize=4096)
def normalised(word: str) -> str:
    return normalise_for_match(word)
