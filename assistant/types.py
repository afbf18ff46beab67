"""Value objects shared by every module: plain dataclasses with honest names."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class PageSpan:
    """A page of a PDF as a character range of the document text (1-based page number)."""

    page: int
    start: int
    end: int


@dataclass
class Document:
    """One source file after loading: its text and its metadata."""

    doc_id: str
    path: str
    text: str
    content_hash: str
    title: str
    publisher: str = ""
    published: str = ""
    url: str = ""
    language: str = ""
    companies: tuple[str, ...] = ()
    reliability: str = ""
    source_id: str = ""
    kind: str = ""
    pages: tuple[PageSpan, ...] = ()
    author: str = ""
    title_kind: str = ""  # "descriptive": the source has no headline, the title is ours


@dataclass(frozen=True)
class Chunk:
    """A span of a document's text, the unit that is embedded and retrieved."""

    chunk_id: str
    doc_id: str
    index: int
    text: str
    start: int
    end: int
    page: int | None = None


@dataclass
class Hit:
    """A retrieved chunk with its metadata and how it was found."""

    chunk_id: str
    doc_id: str
    text: str
    metadata: dict[str, Any]
    rank: int = 0
    fused_score: float = 0.0
    dense_rank: int | None = None
    keyword_rank: int | None = None
    distance: float | None = None


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer, with the exact quoted span."""

    n: int
    doc_id: str
    chunk_id: str
    title: str
    publisher: str
    url: str
    published: str
    page: int | None
    quote: str
    start: int = 0
    end: int = 0
    source_id: str = ""
    reliability: str = ""
    author: str = ""
    title_kind: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of a citation (``ask --json``)."""
        keys = ("n", "doc_id", "chunk_id", "title", "publisher", "url", "published", "page", "quote")
        data = asdict(self)
        return {key: data[key] for key in keys} | {
            "source_id": self.source_id,
            "reliability": self.reliability,
            "author": self.author,
            "title_kind": self.title_kind,
        }


@dataclass
class Answer:
    """What :meth:`Assistant.ask` returns."""

    text: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    language: str = "zh"
    query: str = ""
    calculations: list[Any] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    verification: Any = None
    written_by: str = "offline"  # "offline" (quotes and calculator), "model" (checked LLM answer) or "fallback"
    lead: str = ""  # the first line when it states the answer's figure (what front ends show in bold)
    input_problem: bool = False  # refused before searching: the question was empty or too long

    def to_json(self) -> dict[str, Any]:
        """The JSON contract printed by ``gpu-assistant ask --json``."""
        return {
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "calculations": [c.to_json() for c in self.calculations],
            "conflicts": list(self.conflicts),
            "verification": self.verification.to_json() if self.verification is not None else None,
            "written_by": self.written_by,
            "lead": self.lead,
            "input_problem": self.input_problem,
            "timings_ms": {k: round(v, 2) for k, v in self.timings.items()},
        }
