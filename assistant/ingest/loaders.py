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
from assistant.ingest.clean import clean_text, is_bare_url, is_title_like, looks_like_caption, looks_like_sentence
from assistant.ingest.decode import decode
from assistant.types import Document, PageSpan

SUPPORTED = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_HTML_BODY = re.compile(r"<(p|div|br|span|h[1-6]|section|article|table|img)\b", re.I)
_META_KEYS = ("publisher", "url", "language", "reliability", "source_id", "kind", "author", "title_kind")
# Front-matter keys read for each field, first filled one wins.
_FALLBACKS = {
    "publisher": ("publisher", "source", "author", "site_name", "site"),
    "published": ("published", "date"),
    "url": ("url", "link", "source_url", "canonical", "source"),
}
# <meta> names (or properties) read for each field of an HTML page, first found wins.
_HTML_META = {
    "title": ("og:title", "twitter:title"),
    "publisher": ("og:site_name", "application-name", "author"),
    "published": ("article:published_time", "pubdate", "date", "publishdate", "publish_date", "og:updated_time"),
    "url": ("og:url",),
}
_HEADING_LINE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_BLOCK_NAMES = (
    "p div li ul ol h1 h2 h3 h4 h5 h6 section article main aside blockquote table tr td th figure figcaption pre hr "
    "dl dt dd header footer"
)
_BLOCK_TAGS = _BLOCK_NAMES.split()
_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y")


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
    meta = canonical_meta(meta)
    published = iso_date(meta["published"])
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
        **{key: str(meta.get(key) or "") for key in _META_KEYS}
        | {"source_id": str(meta.get("source_id") or path.stem)}
        | {"language": str(meta.get("language") or language(text))},
    )


def _markdown(data: bytes) -> tuple[str, dict[str, Any], tuple[PageSpan, ...]]:
    raw = decode(data)
    meta: dict[str, Any] = {}
    body = raw
    match = _FRONT_MATTER.match(raw)
    if match:
        meta = canonical_meta(_front_matter(match.group(1)))
        body = raw[match.end() :]
    if len(_HTML_BODY.findall(body)) >= 2:
        body, page_meta = _parse_html(body)
        for key, value in page_meta.items():
            if value and not meta.get(key):  # front matter wins over the page's own <meta> tags
                meta[key] = value
    body = clean_text(body)
    if not meta.get("title"):
        meta["title"] = title_from_text(body)
    return body, meta, ()


def _front_matter(block: str) -> dict[str, Any]:
    """The YAML front matter as a mapping; raise :class:`IngestError` when broken."""
    try:
        loaded = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        raise IngestError(f"broken YAML front matter: {str(exc).splitlines()[0]}") from exc
    if loaded is not None and not isinstance(loaded, dict):
        raise IngestError("front matter is not a mapping of keys to values")
    return loaded or {}


def _text(data: bytes) -> tuple[str, dict[str, Any], tuple[PageSpan, ...]]:
    meta, raw = _byline(decode(data).lstrip("\ufeff"))
    body = clean_text(raw)
    return body, {"title": title_from_text(body), **meta}, ()


# A plain-text article's opening byline block, as Chinese reposts write it: 文源 | 源媒汇, 作者 | 谢春生, 编辑 | 苏淮.
_BYLINE = re.compile(
    r"^\s*(文源|来源|來源|出处|出處|作者|记者|記者|编辑|編輯|责编|責編|责任编辑)\s*[|｜:：]\s*(\S.{0,40})$"
)
_BYLINE_KEYS = {"文源": "source", "来源": "source", "來源": "source", "出处": "source", "出處": "source"}
_BYLINE_KEYS |= {"作者": "author", "记者": "author", "記者": "author"}


def _byline(body: str) -> tuple[dict[str, str], str]:
    """The byline lines at the top of a plain-text article (publisher, author), and the text without them."""
    meta: dict[str, str] = {}
    lines = body.split("\n")
    taken = 0
    for line in lines[:8]:
        m = _BYLINE.match(line)
        if m is None:
            if line.strip():
                break
            taken += 1
            continue
        key = _BYLINE_KEYS.get(m.group(1))
        if key and key not in meta:
            meta[key] = m.group(2).strip()
        taken += 1
    return (meta, "\n".join(lines[taken:])) if meta else ({}, body)


def _html(data: bytes) -> tuple[str, dict[str, Any], tuple[PageSpan, ...]]:
    text, meta = _parse_html(decode(data))
    text = clean_text(text)
    if not meta.get("title"):
        meta["title"] = title_from_text(text)
    return text, meta, ()


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


def canonical_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Metadata with ``publisher``, ``published`` and ``url`` filled from their common aliases.

    ``publisher`` falls back to ``source``, ``author``, ``site_name`` then ``site`` (a value that is a
    bare URL is not a publisher); ``published`` to ``date``; ``url`` to ``link``, ``source_url``,
    ``canonical`` or a ``source`` that is a URL.

    Args:
        meta: Front matter or page metadata as read.

    Returns:
        A copy of ``meta`` whose three canonical keys hold the first filled alias ("" when none).
    """
    out = dict(meta)
    for key, names in _FALLBACKS.items():
        out[key] = ""
        for name in names:
            value = _meta_value(meta.get(name))
            if _usable(key, name, value):
                out[key] = value
                break
    return out


def _usable(key: str, name: str, value: object) -> bool:
    """Whether front-matter ``name`` may fill field ``key``: a filled value, and URL-ness that fits the field."""
    if value is None or value == "":
        return False
    if name == key:
        return True
    is_url = isinstance(value, str) and is_bare_url(value)
    if key == "url" and name == "source":
        return is_url
    return not (key == "publisher" and is_url)


def _meta_value(value: object) -> object:
    """A metadata value trimmed for use: text stripped, lists joined with commas, dates left as dates."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v).strip() for v in value if str(v).strip())
    if isinstance(value, str):
        return value.strip()
    return value


def title_from_text(text: str) -> str:
    """A title read from a document's text, or "" when none looks like one (the caller uses the file stem).

    The first line wins when it is a Markdown heading; else the first level-one heading anywhere;
    else the first line when it passes :func:`~assistant.ingest.clean.is_title_like`.

    Args:
        text: The cleaned body text.

    Returns:
        The title without heading marks or emphasis, or "".
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    headings = [m for m in map(_HEADING_LINE.match, lines) if m]
    if _HEADING_LINE.match(lines[0]):
        return _bare_title(headings[0].group(2))
    level_one = next((m.group(2) for m in headings if m.group(1) == "#"), None)
    if level_one:
        return _bare_title(level_one)
    first = _bare_title(lines[0])
    return first if is_title_like(first) else ""


def _bare_title(text: str) -> str:
    """A title without surrounding emphasis marks or whitespace, at most 200 characters."""
    return text.strip().strip("*_").strip()[:200]


def iso_date(value: object) -> str:
    """A date as ``YYYY-MM-DD`` from a date object, ISO text, RFC 2822, ``Nov 16, 2021`` or ``2018年10月10日``.

    Args:
        value: A date, a datetime or text holding a date.

    Returns:
        The ISO date; a bare ``YYYY-MM`` or ``YYYY`` unchanged; "" for text that states no date (a note such as
        "not stated in stored text" is not a publication date).
    """
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    text = str(value).strip()
    match = re.search(r"(?<!\d)(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})(?!\d)", text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            pass
    partial = re.fullmatch(r"\d{4}(?:-\d{2})?", text)
    return _english_date(text) or (text if partial else "")


def _english_date(text: str) -> str:
    """An ISO date from RFC 2822 (``Tue, 16 Nov 2021 09:20:59 GMT``) or ``16 Nov 2021``-style text, else ""."""
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    bare = re.sub(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", "", text, flags=re.I).strip()
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(bare, pattern).date().isoformat()
        except ValueError:
            continue
    return ""


def html_to_text(html: str) -> tuple[str, str]:
    """Main text of an HTML page (no tags, scripts or styles), one block per line; and its title.

    Args:
        html: The page source.

    Returns:
        The text and the title (``og:title``, ``twitter:title``, ``<title>`` or the first ``<h1>``).
    """
    text, meta = _parse_html(html)
    return text, str(meta.get("title") or "")


def _parse_html(html: str) -> tuple[str, dict[str, str]]:
    """The page's text, one block per line, and its metadata (title, publisher, published, url)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    meta = html_meta(soup)
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "form", "iframe", "svg"]):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    _drop_link_blocks(root)
    _drop_captions(root)
    return _block_text(root), meta


def html_meta(soup: Any) -> dict[str, str]:
    """Title, publisher, date and URL from an HTML page's ``<meta>`` and ``<link rel="canonical">`` tags.

    Args:
        soup: The parsed page (a ``BeautifulSoup``).

    Returns:
        A mapping with the keys found: ``title`` (falling back to ``<title>`` then ``<h1>``),
        ``publisher``, ``published`` and ``url``.
    """
    tags: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = str(tag.get("content") or "").strip()
        if name and content:
            tags.setdefault(name, content)
    meta = {key: next((tags[n] for n in names if n in tags), "") for key, names in _HTML_META.items()}
    if not meta["title"]:
        title_tag = soup.find("title") or soup.find("h1")
        meta["title"] = title_tag.get_text(" ", strip=True) if title_tag else ""
    canonical = soup.find("link", rel="canonical")
    if not meta["url"] and canonical is not None and canonical.get("href"):
        meta["url"] = str(canonical["href"]).strip()
    return {key: value for key, value in meta.items() if value}


def _drop_link_blocks(root: Any) -> None:
    """Remove paragraphs and list items made only of links (menus, tag lists, related-article lists)."""
    for block in root.find_all(["p", "li"]):
        if getattr(block, "decomposed", False) or not block.find("a"):
            continue
        link_text = " ".join(a.get_text(" ", strip=True) for a in block.find_all("a"))
        residue = block.get_text(" ", strip=True)
        for a in block.find_all("a"):
            residue = residue.replace(a.get_text(" ", strip=True), "", 1)
        if not re.search(r"\w", residue) and not looks_like_sentence(link_text):
            block.decompose()


def _drop_captions(root: Any) -> None:
    """Remove paragraphs and figures that hold a picture and nothing but a short caption."""
    blocks = {id(b): b for img in root.find_all("img") if (b := img.find_parent(["p", "figure"])) is not None}
    for block in blocks.values():
        if getattr(block, "decomposed", False):
            continue
        if looks_like_caption(block.get_text(" ", strip=True)):
            block.decompose()


def _block_text(root: Any) -> str:
    """Text of an HTML tree with one line per block element; inline tags do not break lines."""
    from bs4 import NavigableString

    for string in list(root.find_all(string=True)):
        if string.find_parent("pre") is None and type(string) is NavigableString:
            string.replace_with(re.sub(r"\s+", " ", str(string)))
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = (line.strip() for line in root.get_text().splitlines())
    return "\n".join(line for line in lines if line)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:200]


_LOADERS = {"markdown": _markdown, "text": _text, "html": _html, "pdf": _pdf}


_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]+")


def language(text: str) -> str:
    """The language a document without a stated one is written in: ``en`` when English words outnumber Chinese
    characters by ten to one (a Chinese article quotes English names freely), else ``zh``."""
    han = len(_HAN.findall(text))
    words = len(_LATIN.findall(text))
    return "en" if words > 10 * han else "zh"
