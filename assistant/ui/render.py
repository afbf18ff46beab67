"""What the chat UI shows, as HTML and Markdown text: the sources panel, calculator steps and the footer.

Pure functions of an :class:`~assistant.types.Answer` (no Gradio import), so they are tested on their own. Every
string that comes from the corpus or the question is escaped here: HTML with :func:`html.escape`, Markdown with
backslashes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.numbers import parse_quantities
from assistant.types import Answer, Citation
from assistant.view import INPUT_PROBLEM, WORKING, Source, View, Working, view_of

RELIABILITY = {
    "primary": ("一手来源", "primary source"),
    "news": ("新闻报道", "news report"),
    "digest": ("摘要转述", "digest"),
    "user": ("用户提供", "user-supplied"),
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~<>])")
_REASONS = {
    "primary": ("一手来源优先", "the primary source is preferred"),
    "reliable": ("更可靠的来源优先", "the more reliable source is preferred"),
    "recent": ("最新的来源优先", "the most recent source is preferred"),
    "tie": ("同样可靠、日期相同，无法判断", "equally reliable and dated alike: neither is preferred"),
}

CSS = """
.ga-panel { font-size: 0.92rem; line-height: 1.45; }
.ga-panel h2 { font-size: 1rem; margin: 0.2rem 0 0.6rem; }
.ga-panel ol { padding-left: 0; list-style: none; margin: 0; }
.ga-source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.5rem 0.7rem;
  margin-bottom: 0.6rem; }
.ga-n { font-weight: 700; margin-right: 0.3rem; }
.ga-meta { color: var(--body-text-color-subdued); font-size: 0.85rem; margin: 0.15rem 0 0.3rem; }
.ga-quote { margin: 0; padding-left: 0.6rem; border-left: 3px solid var(--color-accent); }
.ga-quote mark { background: #ffe58a; color: #111; padding: 0 2px; border-radius: 2px; }
.ga-badge { display: inline-block; font-size: 0.75rem; padding: 0 6px; border-radius: 9px;
  border: 1px solid var(--border-color-primary); }
.ga-badge-primary { background: #d9f2dd; color: #114d1d; }
.ga-badge-digest { background: #f2ead9; color: #5a4310; }
.ga-conflict { display: flex; gap: 0.5rem; flex-wrap: wrap; margin-bottom: 0.6rem; }
.ga-value { flex: 1 1 8rem; border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.4rem; }
.ga-value.ga-preferred { border: 2px solid #2e9d4a; }
.ga-value strong { font-size: 1.05rem; }
.ga-empty { border: 1px dashed var(--border-color-primary); border-radius: 8px; padding: 0.8rem; }
.ga-check, .ga-author { color: var(--body-text-color-subdued); font-size: 0.85rem; }
.ga-footer { color: var(--body-text-color-subdued); font-size: 0.8rem; text-align: center; }
"""


# The quote an answer's [n] was clicked for, and the question's counter: styled page-wide (the chat and the box
# are outside the HTML panels' CSS scope).
CHAT_CSS = """
.ga-q.ga-hit { background: #ffe58a; color: #111; outline: 2px solid #c2410c; border-radius: 2px; }
#ga-count { font-size: 0.8rem; color: var(--body-text-color-subdued); text-align: right; padding: 0 0.5rem; }
#ga-count.ga-over { color: #b91c1c; font-weight: 600; }
"""


def chat_markdown(text: str) -> str:
    """``text`` with Markdown's emphasis, code and tag characters escaped (the chat renders Markdown)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def answer_markdown(answer: Answer | str, anchor: str = "") -> str:
    """The chat message for an answer (or its text so far, while it streams): the heading of its parts (refusal
    label, input note or the figure lead, in bold), then its lines; with ``anchor``, each ``[n]`` links to its
    quote in the sources block under the answer (see :func:`sources_details`)."""
    if not isinstance(answer, Answer):
        return chat_markdown(answer)
    shown = view_of(answer)
    body = "\n".join(_linked(chat_markdown(line), anchor) for line in shown.lines)
    if shown.heading == INPUT_PROBLEM:
        return f"{INPUT_PROBLEM} {body}"
    if shown.heading:
        return f"**{_linked(chat_markdown(shown.heading), anchor)}**\n{body}"
    return body


_CITE = re.compile(r"\[(\d{1,3})\]")


def _linked(line: str, anchor: str) -> str:
    """``[n]`` as a link to quote n of the answer ``anchor`` names (a click opens the sources and marks it)."""
    if not anchor:
        return line
    return _CITE.sub(lambda m: f'<a class="ga-ref" href="#{anchor}-{m.group(1)}">[{m.group(1)}]</a>', line)


def placeholder_html() -> str:
    """The sources panel before the first answer."""
    return (
        '<div class="ga-panel"><h2>来源 · Sources</h2><div class="ga-empty">'
        "回答的来源会显示在这里：标题、发布方、日期、链接和原文引文。<br>"
        "The sources of each answer appear here: title, publisher, date, link and the quoted span.</div></div>"
    )


def error_html() -> str:
    """The sources panel after a failure (the chat shows the apology)."""
    text = "⚠ 出错了，请重试。Something went wrong; please try again."
    return f'<div class="ga-panel"><div class="ga-empty">{text}</div></div>'


def sources_html(answer: Answer, names: Mapping[str, str] | None = None) -> str:
    """The sources panel for ``answer``: numbered sources (one per document), conflicting figures side by side,
    the grounding check.

    Args:
        answer: the final answer.
        names: company and metric id → display name, for the conflict headings.
    """
    shown = view_of(answer)
    zh = shown.zh
    if answer.refused:
        return _refusal_html(answer, shown)
    parts = ['<div class="ga-panel">', f"<h2>{'来源' if zh else 'Sources'} ({len(shown.sources)})</h2>", "<ol>"]
    parts += [_source_html(source, zh) for source in shown.sources]
    parts.append("</ol>")
    if answer.conflicts:
        parts.append(f"<h2>{'来源数字不一致' if zh else 'Sources disagree'}</h2>")
        parts += [_conflict_html(c, answer.citations, names or {}, zh) for c in answer.conflicts]
    parts.append(_check_html(shown))
    parts.append("</div>")
    return "".join(parts)


def _refusal_html(answer: Answer, shown: View) -> str:
    zh = shown.zh
    if answer.input_problem:
        body = f"{INPUT_PROBLEM} {html.escape(answer.text)}"
    else:
        tail = "没有给出任何数字。" if zh else "No figure is stated."
        body = f"<strong>{html.escape(shown.heading)}</strong><br>{html.escape(answer.text)}<br>{tail}"
    return f'<div class="ga-panel"><h2>{"来源" if zh else "Sources"}</h2><div class="ga-empty">{body}</div></div>'


def _source_html(source: Source, zh: bool) -> str:
    title = html.escape(source.title)
    url = source.link
    head = f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>' if url else title
    meta = [html.escape(source.byline)]
    if source.reliability:
        label = RELIABILITY.get(source.reliability, (source.reliability, source.reliability))[0 if zh else 1]
        badge = f'<span class="ga-badge ga-badge-{html.escape(source.reliability)}">{html.escape(label)}</span>'
        meta.append(badge)
    numbers = "".join(f"[{n}]" for n in source.numbers)
    several = len(source.quotes) > 1
    quotes = "".join(
        f'<blockquote class="ga-quote" id="ga-src-{q.n}">{_mark_n(q.n, several)}{highlight(q.text)}</blockquote>'
        for q in source.quotes
    )
    return (
        f'<li class="ga-source"><div><span class="ga-n">{numbers}</span>{head}</div>'
        f'<div class="ga-meta">{" · ".join(m for m in meta if m)}</div>{quotes}</li>'
    )


def _mark_n(n: int, several: bool) -> str:
    """A quote's own number, when its document gives the answer more than one quote."""
    return f'<span class="ga-n">[{n}]</span>' if several else ""


def sources_markdown(answer: Answer, anchor: str = "") -> str:
    """The answer's own sources as Markdown (kept under the answer, so an earlier answer's [n] still finds its
    source): one entry per document, its quotes below it, each quote an anchor its ``[n]`` links to."""
    shown = view_of(answer)
    lines = []
    for source in shown.sources:
        numbers = "".join(f"[{n}]" for n in source.numbers)
        title = chat_markdown(source.title)
        head = f"[{title}]({source.link.replace(')', '%29')})" if source.link else title
        lines.append(f"**{numbers}** {head} — {chat_markdown(source.byline)}")
        several = len(source.quotes) > 1
        for q in source.quotes:
            text = f"{'[' + str(q.n) + '] ' if several else ''}{chat_markdown(q.text)}"
            lines.append(f'> <span class="ga-q" id="{anchor}-{q.n}">{text}</span>' if anchor else f"> {text}")
        lines.append("")
    return "\n".join(lines).strip()


def calculation_details(work: Working) -> str:
    """A calculation's working as a collapsed ``<details>`` block to append to the answer's chat message."""
    return f'<details class="ga-working"><summary>{work.title}</summary>\n\n{working_markdown(work)}\n\n</details>'


def sources_details(answer: Answer, anchor: str = "") -> str:
    """The answer's sources as a collapsed ``<details>`` block to append to its chat message."""
    count = len(view_of(answer).sources)
    summary = f"来源 · {count}篇" if answer.language == "zh" else f"Sources · {count}"
    body = sources_markdown(answer, anchor)
    return f'<details class="ga-cited"><summary>{summary}</summary>\n\n{body}\n\n</details>'


def highlight(quote: str) -> str:
    """The quote HTML-escaped, with every figure in it wrapped in ``<mark>``."""
    out, last = [], 0
    for q in parse_quantities(quote):
        if q.start < last or q.end <= q.start:
            continue
        out.append(html.escape(quote[last : q.start]))
        out.append(f"<mark>{html.escape(quote[q.start : q.end])}</mark>")
        last = q.end
    out.append(html.escape(quote[last:]))
    return "".join(out)


def _conflict_html(
    conflict: Mapping[str, Any], citations: Sequence[Citation], names: Mapping[str, str], zh: bool
) -> str:
    by_n = {c.n: c for c in citations}
    company = names.get(str(conflict.get("company", "")), str(conflict.get("company", "")))
    metric = str(conflict.get("metric", ""))
    metric = names.get(metric, metric)
    heading = f"{company} {conflict.get('period', '')} {metric}".strip()
    reason = _REASONS.get(str(conflict.get("reason", "")), ("", ""))[0 if zh else 1]
    cells = []
    for value in conflict.get("values", []):
        n = value.get("citation")
        preferred = n == conflict.get("preferred") and conflict.get("reason") != "tie"
        cited = by_n.get(n) if isinstance(n, int) else None
        who = html.escape(cited.publisher) if cited else ""
        mark = ("✓ 采用" if zh else "✓ preferred") if preferred else ""
        rel = RELIABILITY.get(str(value.get("reliability", "")), (value.get("reliability", ""),) * 2)[0 if zh else 1]
        cells.append(
            f'<div class="ga-value{" ga-preferred" if preferred else ""}"><strong>{html.escape(str(value["text"]))}'
            f"</strong> [{html.escape(str(n))}]<br>{html.escape(str(value.get('published', '')))} · "
            f"{html.escape(str(rel))}<br>{who}<br><b>{mark}</b></div>"
        )
    return (
        f"<div><b>{html.escape(heading)}</b> — {html.escape(reason)}</div>"
        f'<div class="ga-conflict">{"".join(cells)}</div>'
    )


def _check_html(shown: View) -> str:
    if shown.check is None:
        return ""
    text = ("✓ " if shown.check.ok else "⚠ ") + shown.check.text
    author = f'<p class="ga-author">{html.escape(shown.author)}</p>' if shown.author else ""
    return f'<p class="ga-check">{html.escape(text)}</p>{author}'


def working_markdown(work: Working) -> str:
    """A calculation's working as Markdown: expression and result, each step, operands with their ``[n]``,
    assumptions."""
    zh = work.title.startswith(f"{WORKING} 计算")
    result = f"{chat_markdown(work.expression)} = **{chat_markdown(work.result)}**"
    lines = [f"**{'算式' if zh else 'Expression'}:** {result}"]
    lines += [f"- {chat_markdown(name)}: {chat_markdown(value)}" for name, value in work.steps]
    if work.operands:
        lines.append(f"\n**{'数据' if zh else 'Operands'}:**")
        lines += [f"- {chat_markdown(o.name)}: {chat_markdown(o.shown)} {o.origin}" for o in work.operands]
    if work.assumptions:
        lines.append(f"\n**{'假设' if zh else 'Assumptions'}:**")
        lines += [f"- {chat_markdown(a)}" for a in work.assumptions]
    return "\n".join(lines)


def footer_html(info: Mapping[str, Any], indexed: str) -> str:
    """The footer: corpus size and when the index was built."""
    docs, chunks = info.get("documents", 0), info.get("chunks", 0)
    embedder = html.escape(str(info.get("embedder", "")))
    when = html.escape(indexed or "—")
    return (
        f'<div class="ga-footer">语料 Corpus: {docs} 篇文档 documents · {chunks} 个片段 chunks · '
        f"索引日期 indexed {when} · {embedder} · 离线抽取式回答 offline, extractive, cited</div>"
    )
