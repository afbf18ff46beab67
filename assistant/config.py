"""Settings: every knob in one frozen object, read from ``ASSISTANT_*`` variables in one place."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from assistant.errors import ConfigError

DEFAULT_STORE = ".assistant"
DEFAULT_EMBEDDER = "e5-small"
_ENV_PREFIX = "ASSISTANT_"
RETRIEVERS = ("hybrid", "dense", "bm25")
DEFAULT_COLLECTION = "chunks"
# Chroma's own rule for collection names (checked here so a bad name fails before any server is contacted).
_COLLECTION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,510}[A-Za-z0-9]")


@dataclass(frozen=True)
class Settings:
    """Configuration of an :class:`~assistant.Assistant`.

    Attributes:
        store: directory of the embedded index (Chroma + BM25); with ``chroma_url`` only the BM25 index lives here.
        embedder: ``e5-small`` (bundled), ``sentence-transformers:<name or path>`` or ``fake``.
        corpus: folder ingested when the store is empty and ``auto_ingest`` is on.
        auto_ingest: build the index from ``corpus`` on first use if the store is empty.
        max_file_mb: files larger than this fail ingestion with a clear reason.
        chunk_chars: target maximum characters in one chunk.
        chunk_overlap: characters of trailing context repeated at the start of the next chunk.
        top_k: evidence chunks handed to the answerer.
        candidates: chunks taken from each retriever (dense and BM25) before fusion.
        max_question_chars: longer questions get a polite refusal.
        retriever: ``hybrid`` (dense + BM25, the default), ``dense`` or ``bm25`` (the last two for comparisons).
        llm: ``none`` (the extractive answerer) or ``<provider>:<model>`` for ``init_chat_model``, e.g.
            ``openai:qwen2.5``, ``anthropic:claude-sonnet-4-5`` or ``ollama:qwen2.5`` (needs the ``[llm]`` extra).
        llm_base_url: base URL of the model's server, e.g. any OpenAI-compatible one (empty: the provider's).
        llm_temperature: sampling temperature (0: the most likely words, the same answer each time).
        llm_timeout: seconds one model call may take.
        llm_retries: retries of a failed model call.
        llm_max_tool_calls: calculator tool calls the model may make for one answer.
        chroma_url: ``http(s)://HOST:PORT`` of a Chroma server (``chroma run --path DIR --port N``) holding the
            chunks instead of the embedded index under ``store``, so several app processes or machines can share
            one index. Empty (the default): embedded. Each process still keeps its BM25 index under ``store``.
        chroma_collection: the Chroma collection holding the chunks (default ``chunks``); several corpora, or test
            runs, can share one server under different names.
    """

    store: Path = Path(DEFAULT_STORE)
    embedder: str = DEFAULT_EMBEDDER
    corpus: Path | None = None
    auto_ingest: bool = True
    max_file_mb: float = 20.0
    chunk_chars: int = 360
    chunk_overlap: int = 80
    top_k: int = 8
    candidates: int = 40
    max_question_chars: int = 2000
    retriever: str = "hybrid"
    llm: str = "none"
    llm_base_url: str = ""
    llm_temperature: float = 0.0
    llm_timeout: float = 60.0
    llm_retries: int = 1
    llm_max_tool_calls: int = 4
    chroma_url: str = ""
    chroma_collection: str = DEFAULT_COLLECTION

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``ASSISTANT_<FIELD>`` variables; explicit ``overrides`` win."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = env.get(_ENV_PREFIX + field.name.upper())
            if raw is not None and raw != "":
                values[field.name] = _coerce(field.name, field.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            settings = cls(**values)  # type: ignore[arg-type]
        except TypeError as exc:
            raise ConfigError(f"Unknown setting: {exc}") from exc
        return settings.normalised()

    def normalised(self) -> Settings:
        """Return a copy with paths as ``Path`` objects and values checked."""
        corpus = Path(self.corpus) if self.corpus is not None else None
        if self.chunk_chars < 50 or self.chunk_overlap < 0 or self.chunk_overlap >= self.chunk_chars:
            raise ConfigError("chunk_chars must be >= 50 and chunk_overlap between 0 and chunk_chars")
        if self.top_k < 1 or self.candidates < self.top_k:
            raise ConfigError("top_k must be >= 1 and candidates >= top_k")
        if self.retriever not in RETRIEVERS:
            raise ConfigError(f"Unknown retriever '{self.retriever}'. Use one of: {', '.join(RETRIEVERS)}")
        if self.llm != "none" and not re.fullmatch(r"[\w-]+:\S+", self.llm):
            raise ConfigError(
                f"ASSISTANT_LLM='{self.llm}' is not 'none' or '<provider>:<model>', e.g. 'openai:qwen2.5'"
            )
        if not 0 <= self.llm_temperature <= 2:
            raise ConfigError("llm_temperature must be between 0 and 2")
        if self.llm_timeout <= 0 or self.llm_retries < 0 or self.llm_max_tool_calls < 0:
            raise ConfigError("llm_timeout must be > 0, llm_retries and llm_max_tool_calls >= 0")
        if self.chroma_url:
            parse_chroma_url(self.chroma_url)
        if not _COLLECTION_NAME.fullmatch(self.chroma_collection):
            raise ConfigError(
                f"ASSISTANT_CHROMA_COLLECTION='{self.chroma_collection}' is not a valid Chroma collection name: "
                "3-512 characters from a-z, A-Z, 0-9, '.', '_' and '-', starting and ending with a letter or digit"
            )
        return replace(self, store=Path(self.store), corpus=corpus)


def parse_chroma_url(url: str) -> tuple[str, str, int]:
    """Split ``http(s)://HOST:PORT`` into (scheme, host, port); anything else is a :class:`ConfigError`."""
    problem = f"ASSISTANT_CHROMA_URL='{url}' is not a Chroma server address like http://127.0.0.1:8000"
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"{problem} ({exc})") from exc
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"{problem}: the scheme must be http or https")
    if not parts.hostname or port is None:
        raise ConfigError(f"{problem}: give both the host and the port")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigError(f"{problem}: only the scheme, host and port are allowed")
    return parts.scheme, parts.hostname, port


def _coerce(name: str, kind: object, raw: str) -> object:
    kind_text = str(kind)
    try:
        if "bool" in kind_text:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if "int" in kind_text:
            return int(raw)
        if "float" in kind_text:
            return float(raw)
    except ValueError as exc:
        raise ConfigError(f"ASSISTANT_{name.upper()}={raw!r} is not a valid {kind_text}") from exc
    return raw
