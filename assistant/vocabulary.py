"""The domain vocabulary, as data: one object holding every word list the answerer and ingest read text with.

- ``vocabulary.yaml``: metrics, modifier metrics, part-of-year periods, question words, measure qualifiers;
- ``attributes.yaml``: attributes a question may ask about that no metric covers (存货, die area …);
- ``glossary.yaml``: how English question words are written in Chinese news text;
- ``names.yaml``: organisations, chip families and publishers outside the registry, English → Chinese forms.

``Vocabulary.load()`` reads the shipped files (or a folder holding the same three files). The object is built once
by whoever wires the assistant and passed explicitly to the planner, the relevance gate, the strategies and ingest's
enrichment; its ``digest`` goes into the index manifest, so a changed word re-enriches the store.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from assistant import bilingual
from assistant.errors import ConfigError
from assistant.glossary import lookup, parse_glossary
from assistant.text import has_word, normalise_for_match

FILES = ("vocabulary.yaml", "attributes.yaml", "glossary.yaml", "names.yaml")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when libyaml is there: 10x faster
Words = tuple[str, ...]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one loaded vocabulary, many cached lookups
class Vocabulary:
    """Every domain word list, by role. Treat the mappings as read-only."""

    metrics: Mapping[str, Words]
    modifier_metrics: frozenset[str]
    period_parts: Mapping[str, Words]
    quantity_words: Words
    date_words: Words
    who_words: Words
    qualifier_groups: Mapping[str, Mapping[str, Words]]
    strict: frozenset[str]
    required_when_asked: frozenset[str]
    attributes: Mapping[str, Words]
    glossary: Mapping[str, Words]
    english_labels: Mapping[str, str]
    names: Mapping[str, Words]
    digest: str = ""

    @classmethod
    def load(cls, folder: Path | str | None = None) -> Vocabulary:
        """The vocabulary in ``folder`` (the three files), or the one shipped with the package."""
        texts = [_read(folder, name) for name in FILES]
        try:
            main, attributes, glossary, names = (yaml.load(text, Loader=_LOADER) or {} for text in texts)
            return cls._build(main, attributes, glossary, names, _digest(texts))
        except (yaml.YAMLError, KeyError, TypeError, AttributeError) as error:
            where = folder or "assistant/data"
            raise ConfigError(f"the vocabulary in {where} is malformed: {type(error).__name__}: {error}") from error

    @classmethod
    def _build(
        cls,
        main: dict[str, Any],
        attributes: dict[str, Any],
        glossary: dict[str, Any],
        names: dict[str, Any],
        digest: str,
    ) -> Vocabulary:
        asks = main["question_words"]
        strict = frozenset(main["strict"])
        return cls(
            metrics=_word_map(main["metrics"]),
            modifier_metrics=frozenset(main["modifier_metrics"]),
            period_parts=_word_map(main["period_parts"]),
            quantity_words=_words(asks["quantity"]),
            date_words=_words(asks["date"]),
            who_words=_words(asks["who"]),
            qualifier_groups={str(g): _word_map(values) for g, values in main["qualifiers"].items()},
            strict=strict,
            required_when_asked=strict | frozenset(main["required_when_asked"]),
            attributes=_word_map(attributes),
            glossary=parse_glossary(glossary),
            english_labels={str(k): str(v) for k, v in main["english_labels"].items()},
            names={" ".join(str(k).lower().split()): _words(v) for k, v in names.items()},
            digest=digest,
        )

    def label(self, metric: str, language: str = "zh") -> str:
        """How an answer names a metric (``revenue.growth`` → 营收增长 / revenue growth)."""
        base, _, modifier = metric.partition(".")
        if language == "zh":
            return self.metrics.get(base, (base,))[0] + ("增长" if modifier else "")
        return self.english_labels.get(base, base.replace("_", " ")) + (" growth" if modifier else "")

    def labels(self, language: str) -> dict[str, str]:
        """Every metric's label in one language (for front ends that name metrics by key)."""
        return {metric: self.label(metric, language) for metric in self.metrics}

    def qualifiers(self, text: str) -> frozenset[str]:
        """The qualifier values a text states (``{"planned"}``, ``{"cumulative", "recurring"}`` …)."""
        return _qualifiers(self, text)

    def qualifier_conflict(self, asked: frozenset[str], stated: frozenset[str]) -> str:
        """The qualifier that makes a sentence measure something else than the question asks, or ''."""
        for values in self.qualifier_groups.values():
            want = asked & values.keys()
            have = stated & values.keys()
            if want and have and not want & have:
                return sorted(have)[0]
            if want & self.required_when_asked and not want & have:  # 扣非, cumulative, net …: asked, so stated
                return sorted(want & self.required_when_asked)[0]
            if not want:
                extra = sorted(have & self.strict)
                if extra:
                    return extra[0]
        return ""

    def qualifier_words(self) -> Words:
        """Every qualifier word (they frame a question; they are never a required term of their own)."""
        return tuple(w for values in self.qualifier_groups.values() for words in values.values() for w in words)

    def names_in(self, norm: str) -> list[str]:
        """The listed names a normalised English text uses, longest first, none inside another found one."""
        return list(_names_in(self, norm))

    def name_forms(self, name: str) -> Words:
        """How Chinese text writes a listed name (``"smic"`` → 中芯国际, 中芯), normalised; () if unlisted."""
        return tuple(normalise_for_match(form) for form in self.names.get(name, ()))

    def chinese_terms(self, word: str) -> Words:
        """Chinese renderings of an English word or phrase (``"shipments"`` → ``("出货量", "出货", …)``)."""
        return lookup(self.glossary, word)

    def renderings(self, word: str) -> Words:
        """How Chinese text may write an English question word: its listed name forms, else its glossary terms and
        the general dictionary's renderings (``joining`` → 加入 …). For checking coverage only: a word the
        dictionary knows is not thereby vocabulary (Samsung stays a name the answer must carry)."""
        forms = self.name_forms(word)
        if forms:
            return forms
        own = self.chinese_terms(word)
        general = bilingual.renderings(word) if word.isascii() and word.replace("-", "").isalpha() else ()
        return (*own, *general)


@cache
def shipped() -> Vocabulary:
    """The vocabulary shipped with the package, read once (for the wiring layer and tests)."""
    return Vocabulary.load()


@lru_cache(maxsize=1024)  # asked for the same question text once per evidence sentence and term
def _names_in(vocabulary: Vocabulary, norm: str) -> tuple[str, ...]:
    found: list[tuple[int, int, str]] = []
    for name in sorted(vocabulary.names, key=len, reverse=True):
        for m in _whole_name(name).finditer(norm):
            if not any(a <= m.start() and m.end() <= b for a, b, _ in found):
                found.append((m.start(), m.end(), name))
    return tuple(dict.fromkeys(name for _, _, name in found))


@lru_cache(maxsize=1024)
def _whole_name(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])")


@lru_cache(maxsize=8192)
def _qualifiers(vocabulary: Vocabulary, text: str) -> frozenset[str]:
    norm = normalise_for_match(text).replace("主营业务", "主营")  # main-business revenue is the total
    found = set()
    for values in vocabulary.qualifier_groups.values():
        for value, words in values.items():
            if any(has_word(norm, w) for w in words):
                found.add(value)
    return frozenset(found)


def _read(folder: Path | str | None, name: str) -> str:
    if folder is None:
        return resources.files("assistant.data").joinpath(name).read_text(encoding="utf-8")
    path = Path(folder) / name
    if not path.is_file():
        raise ConfigError(f"the vocabulary folder {folder} has no {name}")
    return path.read_text(encoding="utf-8")


def _words(values: Any) -> Words:
    return tuple(str(v) for v in values)


def _word_map(raw: Mapping[str, Any]) -> dict[str, Words]:
    return {str(key): _words(values) for key, values in raw.items()}


def _digest(texts: list[str]) -> str:
    sha = hashlib.sha256()
    for text in texts:
        sha.update(text.encode("utf-8"))
    return sha.hexdigest()[:16]
