"""How every front end (CLI, Slack, chat UI) names a cited source, in one place: its title (marked when it is a
descriptive title of ours, not the source's headline), its publisher and author, its date and page, and a link only
when the source has a web address."""

from __future__ import annotations

from assistant.types import Citation


def title_of(c: Citation, zh: bool) -> str:
    """The source's headline, or our descriptive title marked as such; the document id when it has neither."""
    title = c.title or c.doc_id
    if c.title_kind == "descriptive":
        return f"{title}（描述性标题）" if zh else f"{title} (descriptive title)"
    return title


def byline_parts(c: Citation, zh: bool) -> list[str]:
    """Publisher (with the author when the source names one), date, and page: the parts a source line lists."""
    publisher = c.publisher
    if c.author and c.author != c.publisher:
        publisher = f"{publisher}（作者 {c.author}）" if zh else f"{publisher} (by {c.author})"
    parts = [p for p in (publisher.strip(), c.published) if p]
    if c.page:
        parts.append(f"第{c.page}页" if zh else f"p. {c.page}")
    return parts


def link_of(c: Citation) -> str:
    """The source's web address, or '' when it has none (an id or a note is never shown as a link)."""
    return c.url if c.url.startswith(("http://", "https://")) else ""
