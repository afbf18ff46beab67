"""Enrichment at ingest: what each chunk carries beyond its text, read with one registry and one vocabulary.

- the companies a chunk is about (its document's, and any its title or text names), as search filters;
- the facts its sentences state (``assistant.facts``), a sentence naming no company taking its document's main one
  (discourse attribution: ``其中，仅上半年就亏损…`` in an article about one company).

The index records a manifest of what built it (``assistant.manifest``); a changed registry or vocabulary re-enriches.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

from assistant.answer.frame import organisations
from assistant.entities import Registry
from assistant.facts import annotate
from assistant.types import Chunk, Document
from assistant.vocabulary import Vocabulary


class Enricher:
    """Chunk metadata from the registry and vocabulary it is given."""

    def __init__(self, registry: Registry, vocabulary: Vocabulary) -> None:
        self.registry = registry
        self.vocabulary = vocabulary

    def chunk_metadata(self, doc: Document, chunk: Chunk) -> dict[str, Any]:
        """The chunk's companies (a list and one ``co_<id>`` flag each) and its facts (``facts`` and ``m_`` flags)."""
        companies = [c for c in doc.companies if c in self.registry]
        for company in self.registry.mentions(f"{doc.title}\n{chunk.text}"):
            if company not in companies:
                companies.append(company)
        meta: dict[str, Any] = {"companies": ",".join(companies)} | {f"co_{c}": True for c in companies}
        return meta | annotate(chunk.text, self.registry, self.vocabulary, self.main_company(doc), doc.title)

    def main_company(self, doc: Document) -> str:
        """The company a document is about, for sentences that name none: its front matter's only company, else
        the one its title names, else the one its text names most often; '' if unclear."""
        if doc.companies:
            return doc.companies[0] if len(doc.companies) == 1 else ""
        return _named_most(doc.title, doc.text, self.registry)


@lru_cache(maxsize=64)  # every chunk of a document asks
def _named_most(title: str, text: str, registry: Registry) -> str:
    in_title = registry.mentions(title)
    if len(in_title) == 1:
        return in_title[0]
    if in_title or organisations(title, registry):  # several companies, or one we do not know (景嘉微…)
        return ""
    ranked = Counter(company for _, company in registry.spans(text)).most_common(2)
    if not ranked or ranked[0][1] < 3 or (len(ranked) == 2 and ranked[0][1] < 2 * ranked[1][1]):
        return ""
    return ranked[0][0]
