"""Company registry: Chinese and English names, aliases and tickers resolved to one id."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from assistant.text import normalise_for_match


@dataclass(frozen=True)
class Company:
    """One company of the registry."""

    id: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    tickers: tuple[str, ...]
    description: str

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that refers to this company."""
        return (self.name_zh, self.name_en, *self.aliases, *self.tickers)


class Registry:
    """The companies, with alias lookup and mention detection."""

    def __init__(self, companies: list[Company]) -> None:
        self.companies = {c.id: c for c in companies}
        self._alias: dict[str, str] = {}
        for company in companies:
            for name in company.names:
                self._alias[normalise_for_match(str(name))] = company.id
        # Longest names first so 壁仞科技 wins over 壁仞; ASCII names need word boundaries.
        parts = []
        for alias in sorted(self._alias, key=len, reverse=True):
            escaped = re.escape(alias)
            parts.append(rf"(?<![a-z0-9]){escaped}(?![a-z0-9])" if alias.isascii() else escaped)
        self._pattern = re.compile("|".join(parts))

    def digest(self) -> str:
        """A short digest of every company's names (what an index's company flags were built from)."""
        rows = sorted(repr(c) for c in self.companies.values())
        return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()[:16]

    def resolve(self, name: str) -> str | None:
        """Return the company id for a name, alias or ticker (``壁仞`` / ``Biren`` / ``06082.HK``)."""
        key = normalise_for_match(name.strip())
        if key in self.companies:
            return key
        return self._alias.get(key)

    def mentions(self, text: str) -> list[str]:
        """Company ids mentioned in ``text``, in order of first mention, without repeats."""
        found: list[str] = []
        for match in self._pattern.finditer(normalise_for_match(text)):
            company = self._alias[match.group(0)]
            if company not in found:
                found.append(company)
        return found

    def spans(self, text: str) -> list[tuple[int, str]]:
        """Every company mention as ``(offset, company id)``, in text order (repeats included)."""
        return [(m.start(), self._alias[m.group(0)]) for m in self._pattern.finditer(normalise_for_match(text))]

    def all_names(self) -> list[str]:
        """Every alias, for the tokenizer's user dictionary."""
        return [name for company in self.companies.values() for name in company.names]

    def __contains__(self, company_id: object) -> bool:
        return company_id in self.companies

    def __getitem__(self, company_id: str) -> Company:
        return self.companies[company_id]


@cache
def default_registry() -> Registry:
    """The registry shipped with the package (``assistant/data/companies.yaml``)."""
    raw = resources.files("assistant.data").joinpath("companies.yaml").read_text(encoding="utf-8")
    companies = [
        Company(
            id=str(item["id"]),
            name_zh=str(item["name_zh"]),
            name_en=str(item["name_en"]),
            aliases=tuple(str(a) for a in item.get("aliases") or ()),
            tickers=tuple(str(t) for t in item.get("tickers") or ()),
            description=str(item.get("description", "")),
        )
        for item in yaml.safe_load(raw)
    ]
    return Registry(companies)
