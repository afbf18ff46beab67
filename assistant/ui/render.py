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

from assistant import sources
from assistant.answer.operands import period_text
from assistant.answer.working import KIND_NAMES, OPERAND_NAMES, STEP_NAMES
from assistant.calculator.ops import Calculation
from assistant.calculator.render import render
from assistant.numbers import parse_quantities
from assistant.types import Answer, Citation

# Status marks from common text fonts (no emoji font needed): ∅ nothing found, ✎ fix the question, ∑ working.
NOT_IN_CORPUS = ("∅ 语料库中没有答案", "∅ Not in the corpus")
INPUT_PROBLEM = "✎"
WORKING = "∑"
RELIABILITY = {
    "primary": ("一手来源", "primary source"),
    "news": ("新闻报道", "news report"),
    "digest": ("摘要转述", "digest"),
    "user": ("用户提供", "user-supplied"),
}
_WORDS_ZH = {"cash": "现金", "burn": "亏损", "growth": "增长率", "rate": "汇率", "total": "总数", "part": "部分"}
_DETAILS = {"start": ("起算日", "counted from"), "runs_out": ("资金约在此时耗尽", "the cash runs out in")}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~<>])")
_REASONS = {
    "primary": ("一手来源优先", "the primary source is preferred"),
    "reliable": ("更可靠的来源优先", "the more reliable source is preferred"),
    "recent": ("最新的来源优先", "the most recent source is preferred"),
    "tie": ("同样可靠、日期相同，无法判断", "equally reliable and dated alike: neither is preferred"),
}

CSS = """
.ga-panel { font-size: 0.92rem; line-height: 1.45; }
.ga-panel h3 { font-size: 1rem; margin: 0.2rem 0 0.6rem; }
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


def chat_markdown(text: str) -> str:
    """``text`` with Markdown's emphasis, code and tag characters escaped (the chat renders Markdown)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def is_input_problem(question: str, max_chars: int) -> bool:
    """True for an empty or over-long question (the assistant refused it before searching)."""
    stripped = (question or "").strip()
    return not stripped or len(stripped) > max_chars


def answer_markdown(answer: Answer | str, question: str, max_chars: int) -> str:
    """The chat message for an answer (or its text so far): refusals get a clear label on top."""
    text = answer.text if isinstance(answer, Answer) else answer
    if isinstance(answer, Answer) and answer.refused:
        if is_input_problem(question, max_chars):
            return f"{INPUT_PROBLEM} {chat_markdown(text)}"
        label = NOT_IN_CORPUS[0 if answer.language == "zh" else 1]
        return f"**{label}**\n{chat_markdown(text)}"
    if isinstance(answer, Answer) and answer.lead and text.startswith(answer.lead + "\n"):
        return f"**{chat_markdown(answer.lead)}**\n{chat_markdown(text[len(answer.lead) + 1 :])}"  # the answer first
    return chat_markdown(text)


def placeholder_html() -> str:
    """The sources panel before the first answer."""
    return (
        '<div class="ga-panel"><h3>来源 · Sources</h3><div class="ga-empty">'
        "回答的来源会显示在这里：标题、发布方、日期、链接和原文引文。<br>"
        "The sources of each answer appear here: title, publisher, date, link and the quoted span.</div></div>"
    )


def error_html() -> str:
    """The sources panel after a failure (the chat shows the apology)."""
    text = "⚠ 出错了，请重试。Something went wrong; please try again."
    return f'<div class="ga-panel"><div class="ga-empty">{text}</div></div>'


def sources_html(answer: Answer, question: str, max_chars: int, names: Mapping[str, str] | None = None) -> str:
    """The sources panel for ``answer``: numbered sources, conflicting figures side by side, the grounding check.

    Args:
        answer: the final answer.
        question: the question it answers (tells an input problem from a refusal).
        max_chars: the question length limit.
        names: company and metric id → display name, for the conflict headings.
    """
    zh = answer.language == "zh"
    if answer.refused:
        return _refusal_html(answer, question, max_chars, zh)
    documents = by_document(answer.citations)
    parts = ['<div class="ga-panel">', f"<h3>{'来源' if zh else 'Sources'} ({len(documents)})</h3>", "<ol>"]
    parts += [_source_html(cited, zh) for cited in documents]
    parts.append("</ol>")
    if answer.conflicts:
        parts.append(f"<h3>{'来源数字不一致' if zh else 'Sources disagree'}</h3>")
        parts += [_conflict_html(c, answer.citations, names or {}, zh) for c in answer.conflicts]
    parts.append(_check_html(answer, zh))
    parts.append("</div>")
    return "".join(parts)


def _refusal_html(answer: Answer, question: str, max_chars: int, zh: bool) -> str:
    if is_input_problem(question, max_chars):
        body = f"{INPUT_PROBLEM} {html.escape(answer.text)}"
    else:
        label = NOT_IN_CORPUS[0 if zh else 1]
        tail = "没有给出任何数字。" if zh else "No figure is stated."
        body = f"<strong>{label}</strong><br>{html.escape(answer.text)}<br>{tail}"
    return f'<div class="ga-panel"><h3>{"来源" if zh else "Sources"}</h3><div class="ga-empty">{body}</div></div>'


def by_document(citations: Sequence[Citation]) -> list[list[Citation]]:
    """The citations grouped by the document they quote, in order of first citation: one source entry per
    document, however many of its sentences the answer quotes."""
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.doc_id, []).append(c)
    return list(groups.values())


def _source_html(cited: list[Citation], zh: bool) -> str:
    c = cited[0]
    title = html.escape(sources.title_of(c, zh))
    url = sources.link_of(c)
    head = f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>' if url else title
    meta = [html.escape(part) for part in sources.byline_parts(c, zh)]
    if c.reliability:
        label = RELIABILITY.get(c.reliability, (c.reliability, c.reliability))[0 if zh else 1]
        badge = f'<span class="ga-badge ga-badge-{html.escape(c.reliability)}">{html.escape(label)}</span>'
        meta.append(badge)
    numbers = "".join(f"[{q.n}]" for q in cited)
    quotes = "".join(
        f'<blockquote class="ga-quote" id="ga-src-{q.n}">{_mark_n(q, cited)}{highlight(q.quote)}</blockquote>'
        for q in cited
    )
    return (
        f'<li class="ga-source"><div><span class="ga-n">{numbers}</span>{head}</div>'
        f'<div class="ga-meta">{" · ".join(m for m in meta if m)}</div>{quotes}</li>'
    )


def _mark_n(c: Citation, cited: list[Citation]) -> str:
    """A quote's own number, when its document gives the answer more than one quote."""
    return f'<span class="ga-n">[{c.n}]</span>' if len(cited) > 1 else ""


def sources_markdown(answer: Answer) -> str:
    """The answer's own sources as a chat message (kept under the answer, so an earlier answer's [n] still finds
    its source): one entry per document, its quotes below it."""
    zh = answer.language == "zh"
    lines = []
    for cited in by_document(answer.citations):
        c = cited[0]
        numbers = "".join(f"[{q.n}]" for q in cited)
        title = chat_markdown(sources.title_of(c, zh))
        url = sources.link_of(c)
        head = f"[{title}]({url.replace(')', '%29')})" if url else title
        lines.append(f"**{numbers}** {head} — {chat_markdown(', '.join(sources.byline_parts(c, zh)))}")
        lines += [f"> {'[' + str(q.n) + '] ' if len(cited) > 1 else ''}{chat_markdown(q.quote)}" for q in cited]
        lines.append("")
    return "\n".join(lines).strip()


def calculation_details(calc: Calculation, answer: Answer, names: Mapping[str, str] | None = None) -> str:
    """A calculation's working as a collapsed ``<details>`` block to append to the answer's chat message."""
    title, body = calculation_title(calc, answer.language), calculation_markdown(calc, answer, names)
    return f'<details class="ga-working"><summary>{title}</summary>\n\n{body}\n\n</details>'


def sources_details(answer: Answer) -> str:
    """The answer's sources as a collapsed ``<details>`` block to append to its chat message."""
    count = len(by_document(answer.citations))
    summary = f"来源 · {count}篇" if answer.language == "zh" else f"Sources · {count}"
    return f'<details class="ga-cited"><summary>{summary}</summary>\n\n{sources_markdown(answer)}\n\n</details>'


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


def _check_html(answer: Answer, zh: bool) -> str:
    check = answer.verification
    if check is None or not check.checked:
        return ""
    if check.ok:
        text = (
            f"✓ 核对：{check.checked}个数字均出自所引原文或本次计算"
            if zh
            else f"✓ Grounding check: all {check.checked} figures are in a cited quote or this turn's working"
        )
    else:
        missing = "、".join(check.unsupported) if zh else ", ".join(check.unsupported)
        text = f"⚠ 核对：未找到依据的数字：{missing}" if zh else f"⚠ Grounding check: unsupported figures: {missing}"
    return f'<p class="ga-check">{html.escape(text)}</p>' + _author_html(answer, zh)


def _author_html(answer: Answer, zh: bool) -> str:
    """Who wrote the answer on screen: the language model (checked) or the sources' own sentences (fallback)."""
    removed = len(answer.verification.removed) if answer.verification is not None else 0
    if answer.written_by == "model":
        text = "✍️ 由语言模型撰写，已逐句核查" if zh else "✍️ Written by the language model, checked sentence by sentence"
        if removed:
            text += f"（删除了{removed}句无法核实的内容）" if zh else f" ({removed} unverifiable removed)"
    elif answer.written_by == "fallback":
        text = "📄 语言模型的回答未能使用，显示的是来源原句"
        if not zh:
            text = "📄 The model's answer was not used: source quotes"
    else:
        return ""
    return f'<p class="ga-author">{html.escape(text)}</p>'


def calculation_title(calc: Calculation, language: str) -> str:
    """The title of the collapsible calculator message: ``∑ 计算过程：倍数 = 前者 ÷ 后者``."""
    zh = language == "zh"
    name = KIND_NAMES.get(calc.kind, (calc.kind, calc.kind))[0 if zh else 1]
    return f"{WORKING} 计算过程：{name}" if zh else f"{WORKING} Calculation: {name}"


def calculation_markdown(calc: Calculation, answer: Answer, names: Mapping[str, str] | None = None) -> str:
    """The calculator's working as Markdown: expression and result, operands with their ``[n]``, assumptions.

    Args:
        calc: one of ``answer.calculations``.
        answer: the answer it belongs to (language, citations, assumption lines).
        names: company and metric id → display name, for the operand names.
    """
    zh = answer.language == "zh"
    lang = "zh" if zh else "en"
    result = render(calc.result, lang)
    expression = calc.formula if calc.kind == "expression" else calc.expression(lang)
    lines = [f"**{'算式' if zh else 'Expression'}:** {chat_markdown(expression)} = **{chat_markdown(result)}**"]
    for name, q in calc.steps:
        shown = STEP_NAMES.get(name, (name, name))[0 if zh else 1]
        lines.append(f"- {chat_markdown(shown)}: {chat_markdown(render(q, lang))}")
    for key, value in calc.details.items():
        shown = _DETAILS.get(key, (key, key))[0 if zh else 1]
        value = "–".join(period_text(part, zh) for part in str(value).split("–"))
        lines.append(f"- {chat_markdown(shown)}: {chat_markdown(value)}")
    if calc.operands:
        lines.append(f"\n**{'数据' if zh else 'Operands'}:**")
        lines += [_operand_line(o, answer.citations, zh, lang, names or {}) for o in calc.operands]
    assumptions = _assumptions(calc, answer, zh)
    if assumptions:
        lines.append(f"\n**{'假设' if zh else 'Assumptions'}:**")
        lines += [f"- {chat_markdown(a)}" for a in assumptions]
    return "\n".join(lines)


def operand_name(name: str, zh: bool, names: Mapping[str, str] | None = None) -> str:
    """A calculator operand's name for display: ``biren rd 2022–2025H1`` → ``壁仞科技 研发 2022–2025H1``."""
    if zh and name in OPERAND_NAMES:
        return OPERAND_NAMES[name]
    words = []
    for word in name.split():
        if names and word in names:
            words.append(names[word])
        else:
            words.append(_WORDS_ZH.get(word, period_text(word, True)) if zh else period_text(word, False))
    return " ".join(words)


def _operand_line(operand: Any, citations: Sequence[Citation], zh: bool, lang: str, names: Mapping[str, str]) -> str:
    name = operand_name(operand.name, zh, names)
    shown = operand.quantity.text or render(operand.quantity, lang)
    n = operand.citation
    if n is None and operand.quote:
        n = next((c.n for c in citations if c.quote == operand.quote), None)
    if n is not None:
        where = f"[{n}]"
    elif operand.name == "burn period":
        where = "（由期间推出）" if zh else "(from the period)"
    else:
        where = "（问题中给出）" if zh else "(given in the question)"
    return f"- {chat_markdown(name)}: {chat_markdown(shown)} {where}"


def _assumptions(calc: Calculation, answer: Answer, zh: bool) -> list[str]:
    """The answer's own "假设：" lines for a Chinese answer (the calculation keeps English ones)."""
    if zh:
        own = [line.removeprefix("假设：") for line in answer.text.splitlines() if line.startswith("假设：")]
        if own:
            return own
    return list(calc.assumptions)


def footer_html(info: Mapping[str, Any], indexed: str) -> str:
    """The footer: corpus size and when the index was built."""
    docs, chunks = info.get("documents", 0), info.get("chunks", 0)
    embedder = html.escape(str(info.get("embedder", "")))
    when = html.escape(indexed or "—")
    return (
        f'<div class="ga-footer">语料 Corpus: {docs} 篇文档 documents · {chunks} 个片段 chunks · '
        f"索引日期 indexed {when} · {embedder} · 离线抽取式回答 offline, extractive, cited</div>"
    )
