"""Loaders: one file to a :class:`~assistant.types.Document` (Markdown, text, HTML, PDF)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import IngestError
from assistant.ingest.decode import decode
from assistant.types import Document, PageSpan

SUPPORTED = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_HTML_BODY = re.compile(r"<(p|div|br|span|h[1-6]|section|article|table|img)\b", re.I)
_META_KEYS = ("publisher", "url", "language", "reliability", "source_id", "kind")


def is_supported(path: Path) -> bool:
    """True when a loader exists for the file's extension."""
    return path.suffix.lower() in SUPPORTED


def load(path: Path, max_bytes: int) -> Document:
    """Read one file into a Document; raise :class:`IngestError` with a one-line reason."""
    if not path.is_file():
        raise IngestError("not a file")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(f"file too large ({size / 1e6:.1f} MB > limit {max_bytes / 1e6:.1f} MB)")
    data = path.read_bytes()
    kind = SUPPORTED.get(path.suffix.lower())
    if kind is None:
        raise IngestError(f"unsupported file type '{path.suffix}'")
    loader: Callable[[bytes], tuple[str, dict[str, Any], tuple[PageSpan, ...]]] = _LOADERS[kind]
    text, meta, pages = loader(data)
    if not text.strip():
        raise IngestError("no text found in file")
    return _document(path, text, meta, pages)


def _document(path: Path, text: str, meta: dict[str, Any], pages: tuple[PageSpan, ...]) -> Document:
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    published = iso_date(meta.get("published") or meta.get("date") or "")
    companies = meta.get("companies") or ()
    if isinstance(companies, str):
        companies = [c.strip() for c in companies.split(",") if c.strip()]
    return Document(
        doc_id=hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16],
        path=str(path.resolve()),
        text=text,
        content_hash=content_hash,
        title=str(meta.get("title") or path.stem),
        published=str(published),
        companies=tuple(str(c) for c in companies),
        pages=pages,
        **{key: str(meta.get(key) or "") for key in _META_KEYS},
    )


def _markdown(data: bytes) -> tuple[str, dict[str, Any], tuple[PageSpan, ...]]:
    raw = decode(data)
    meta: dict[str, Any] = {}
    body = raw
    match = _FRONT_MATTER.match(raw)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise IngestError(f"broken YAML front matter: {str(exc).splitlines()[0]}") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise IngestError("front matter is not a mapping of keys to values")
        meta = loaded or {}
        body = raw[match.end() :]
    if len(_HTML_BODY.findall(body)) >= 2:
        html_text, html_title = html_to_text(body)
        body = html_text
        meta.setdefault("title", html_title)
    body = body.strip("\n")
    if "title" not in meta:
        meta["title"] = _first_line(body).lstrip("# ").strip()
    return body, meta, ()


def _text(data: bytes) -> tuple[str, dict[str, Any], tuple[PageSpan, ...]]:
    body = decode(data).strip("\n")
    return body, {"title": _first_line(body)}, ()


def _html(data: bytes) -> tuple[str, dict[str, Any], tuple[PageSpan, ...]]:
    text, title = html_to_text(decode(data))
    return text, {"title": title or _first_line(text)}, ()


def _pdf(data: bytes) -> tuple[str, dict[str, Any], tuple[PageSpan, ...]]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        page_texts = [(page.extract_text() or "").strip() for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or ""
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(f"broken PDF: {exc}") from exc
    parts: list[str] = []
    pages: list[PageSpan] = []
    offset = 0
    for number, page_text in enumerate(page_texts, start=1):
        if not page_text:
            continue
        if parts:
            parts.append("\n\n")
            offset += 2
        parts.append(page_text)
        pages.append(PageSpan(number, offset, offset + len(page_text)))
        offset += len(page_text)
    text = "".join(parts)
    return text, {"title": str(title) or _first_line(text)}, tuple(pages)


def iso_date(value: object) -> str:
    """A date as ``YYYY-MM-DD`` from a date object, ISO text, RFC 2822 or ``2018年10月10日``; else the text."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    text = str(value).strip()
    match = re.search(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return text


def html_to_text(html: str) -> tuple[str, str]:
    """Main text of an HTML page (no tags, scripts or styles), one block per line; and its title."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title_tag = soup.find("title") or soup.find("h1")
    title = title_tag.get_text(" ", strip=True) if title_tag else ""
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "form", "iframe", "svg"]):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    lines = [line.strip() for line in root.get_text("\n").splitlines()]
    return "\n".join(line for line in lines if line), title


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:200]


_LOADERS = {"markdown": _markdown, "text": _text, "html": _html, "pdf": _pdf}
